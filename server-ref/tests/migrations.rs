//! Databases made by earlier releases migrate forward without losing or changing data.
//!
//! On PostgreSQL, versions 22 and 23 turned text and integer columns into native types (ids into
//! `uuid`, flags into `boolean`).
//! The test fills a database the way the server does (demo stores, a paid order), copies its
//! rows into a database built only up to version 21 (the last schema with text ids), migrates
//! that one forward, and then requires both to agree: the same column types, the same
//! constraints and the same rows, table by table. On SQLite the schema's types did not change,
//! and the test has nothing to compare.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::process::Command;

use colmena_test_support::{
    database_engine, fresh_data_dir, prepare_database, remove_data_dir, StartOptions, TestServer,
};
use common::{Api, BIN};
use sqlx::migrate::Migrator;
use sqlx::{Connection, PgConnection};

/// The last schema version before native types: text ids, integer flags.
const LAST_TEXT_SCHEMA: i64 = 21;

#[tokio::test]
async fn a_version_21_database_migrates_forward_with_every_row_intact() {
    if database_engine() != "postgres" {
        return;
    }
    // The reference: the current schema, filled by the server itself.
    let current_dir = fresh_data_dir();
    let current = prepare_database(&current_dir);
    {
        let server = TestServer::start_with(
            Path::new(BIN),
            &StartOptions {
                data_dir: Some(current_dir.clone()),
                ..StartOptions::default()
            },
        );
        let api = Api::new(&server);
        let variant = api.variant("demo", "bee-brush").await;
        api.order("demo", &variant, 1, "ana@example.com", true)
            .await;
    }

    // The same rows in a database of the old schema.
    let old_dir = fresh_data_dir();
    let old = prepare_database(&old_dir);
    let mut migrator =
        Migrator::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/postgres"))
            .await
            .unwrap();
    migrator.migrations = migrator
        .migrations
        .iter()
        .filter(|m| m.version <= LAST_TEXT_SCHEMA)
        .cloned()
        .collect();
    let mut connection = PgConnection::connect(&old).await.unwrap();
    migrator.run(&mut connection).await.unwrap();
    connection.close().await.unwrap();
    let old_types = as_old_types(&current).await;
    copy_rows(&old_types, &old);
    drop_database(&old_types).await;
    let mut old_db = PgConnection::connect(&old).await.unwrap();
    assert_eq!(
        column_types(&mut old_db)
            .await
            .iter()
            .filter(|c| c.ends_with(" uuid"))
            .count(),
        0,
        "version {LAST_TEXT_SCHEMA} has text ids"
    );

    let migrated = Command::new(BIN)
        .args(["migrate", "--database-url", &old])
        .output()
        .unwrap();
    assert!(migrated.status.success(), "{migrated:?}");

    let mut current_db = PgConnection::connect(&current).await.unwrap();
    assert_eq!(
        column_types(&mut old_db).await,
        column_types(&mut current_db).await
    );
    assert_eq!(
        constraints(&mut old_db).await,
        constraints(&mut current_db).await
    );
    let tables = tables(&mut current_db).await;
    assert!(tables.len() > 40, "{tables:?}");
    for table in &tables {
        let want = rows(&mut current_db, table).await;
        let have = rows(&mut old_db, table).await;
        assert_eq!(have, want, "the rows of {table}");
    }
    // The demo and the order filled the tables that matter.
    for table in [
        "stores",
        "products",
        "product_variants",
        "orders",
        "order_items",
    ] {
        assert_ne!(rows(&mut current_db, table).await.0, 0, "{table} has rows");
    }
    old_db.close().await.unwrap();
    current_db.close().await.unwrap();
    remove_data_dir(&current_dir);
    remove_data_dir(&old_dir);
}

/// A copy of the database at `url` whose flags are integers and times text again, as version 21
/// stored them, so that its rows load into that schema (ids load from their text as they are);
/// its URL.
async fn as_old_types(url: &str) -> String {
    let (base, name) = url.rsplit_once('/').unwrap();
    let copy = format!("{name}_as_old_types");
    let mut admin = PgConnection::connect(&format!("{base}/postgres"))
        .await
        .unwrap();
    sqlx::query(&format!("CREATE DATABASE {copy} TEMPLATE {name}"))
        .execute(&mut admin)
        .await
        .unwrap();
    admin.close().await.unwrap();
    let copy_url = format!("{base}/{copy}");
    let mut connection = PgConnection::connect(&copy_url).await.unwrap();
    // The view of listing documents (version 26) reads the columns retyped below; the copy's
    // rows are all this copy is for.
    sqlx::query("DROP VIEW product_listing_documents")
        .execute(&mut connection)
        .await
        .unwrap();
    retype(&mut connection, "boolean", |column| {
        format!("DROP DEFAULT, ALTER COLUMN {column} TYPE bigint USING {column}::int")
    })
    .await;
    // The fixed-width UTC text the server wrote before times were timestamptz.
    let times = retype(&mut connection, "timestamp with time zone", |column| {
        format!(
            "TYPE text USING to_char({column} AT TIME ZONE 'UTC', \
             'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
        )
    })
    .await;
    assert!(times > 80, "{times} time columns");
    connection.close().await.unwrap();
    copy_url
}

/// Alters every column of `data_type` with `change(column)` (what follows `ALTER COLUMN c`);
/// returns how many there were.
async fn retype(
    connection: &mut PgConnection,
    data_type: &str,
    change: impl Fn(&str) -> String,
) -> usize {
    let columns: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text FROM information_schema.columns \
         WHERE table_schema = 'public' AND data_type = $1",
    )
    .bind(data_type)
    .fetch_all(&mut *connection)
    .await
    .unwrap();
    for (table, column) in &columns {
        let change = change(column);
        sqlx::query(&format!(
            "ALTER TABLE {table} ALTER COLUMN {column} {change}"
        ))
        .execute(&mut *connection)
        .await
        .unwrap();
    }
    columns.len()
}

async fn drop_database(url: &str) {
    let (base, name) = url.rsplit_once('/').unwrap();
    let mut admin = PgConnection::connect(&format!("{base}/postgres"))
        .await
        .unwrap();
    sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .execute(&mut admin)
        .await
        .unwrap();
    admin.close().await.unwrap();
}

/// Every row of `from` into `to` with PostgreSQL's own tools. Triggers (search upkeep, foreign
/// keys) stay off while copying: the rows are already consistent, and copied as they are.
fn copy_rows(from: &str, to: &str) {
    let dump = Command::new("pg_dump")
        .args(["--data-only", "--inserts", "--disable-triggers"])
        .args(["--exclude-table", "_sqlx_migrations"])
        // Version 26 added the listing documents: the migration builds them from the rows.
        .args(["--exclude-table", "product_listings", from])
        .output()
        .unwrap();
    assert!(dump.status.success(), "{dump:?}");
    let restore = Command::new("psql")
        .args(["-v", "ON_ERROR_STOP=1", "-q", to])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    restore
        .stdin
        .as_ref()
        .unwrap()
        .write_all(&dump.stdout)
        .unwrap();
    let restored = restore.wait_with_output().unwrap();
    assert!(restored.status.success(), "{restored:?}");
}

async fn strings(connection: &mut PgConnection, sql: &str) -> Vec<String> {
    sqlx::query_scalar(sql).fetch_all(connection).await.unwrap()
}

/// `table.column type` of every column.
async fn column_types(connection: &mut PgConnection) -> Vec<String> {
    strings(
        connection,
        "SELECT table_name || '.' || column_name || ' ' || data_type \
         FROM information_schema.columns WHERE table_schema = 'public' \
           AND table_name <> '_sqlx_migrations' ORDER BY 1",
    )
    .await
}

/// Every constraint: keys, foreign keys and checks, as PostgreSQL reads them back.
async fn constraints(connection: &mut PgConnection) -> Vec<String> {
    strings(
        connection,
        "SELECT conrelid::regclass::text || ' ' || pg_get_constraintdef(oid) \
         FROM pg_constraint WHERE connamespace = 'public'::regnamespace \
           AND conrelid::regclass::text <> '_sqlx_migrations' ORDER BY 1",
    )
    .await
}

async fn tables(connection: &mut PgConnection) -> Vec<String> {
    strings(
        connection,
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE' \
           AND table_name <> '_sqlx_migrations' ORDER BY 1",
    )
    .await
}

/// How many rows `table` has and a digest of them all, in a fixed order.
async fn rows(connection: &mut PgConnection, table: &str) -> (i64, String) {
    let sql = format!(
        "SELECT COUNT(*), COALESCE(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') \
         FROM {table} t"
    );
    sqlx::query_as(&sql).fetch_one(connection).await.unwrap()
}
