//! Database connection and migrations, for SQLite (embedded default) and PostgreSQL.
//!
//! Queries are written once and run on either engine through its own sqlx driver ([`engine`]).
//! The two schemas in `migrations/` have the same tables and columns.

mod engine;
mod query;
mod row;
mod rows;
mod timestamps;

pub use engine::{Conn, Executor, Pool, PoolConn, Target, Tx};
pub use query::{
    query, query_scalar, Bind, JsonText, Kind, Query, QueryResult, QueryScalar, Value,
};
pub use row::{ColumnIndex, Decode, Row};

pub(crate) use rows::{
    count_column, decode_error, json_column, json_text, optional_count_column,
    optional_json_column, optional_uuid_column, placeholders, total_column, uuid_column,
    UnknownValue,
};
pub use timestamps::{api_time, now, now_text, parse_timestamp, timestamp_text};

use std::str::FromStr;

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::{ConnectOptions, Connection};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Which database engine a [`Db`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite file.
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

impl Backend {
    /// Name reported by the health endpoint.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }
}

/// The connection pools plus the engine behind them.
///
/// On SQLite, writes go through one connection of their own (`writer`), each transaction
/// started with `BEGIN IMMEDIATE`: writers wait their turn in the pool's queue, in order,
/// instead of colliding on SQLite's write lock and retrying it with sleeps (`SQLITE_BUSY`).
/// Readers (`pool`) read WAL snapshots beside it and are never blocked; their connections are
/// `query_only`, so a write sent to them by mistake fails at once. On PostgreSQL both are the
/// same pool.
#[derive(Debug, Clone)]
pub struct Db {
    /// Reads.
    pub pool: Pool,
    /// Writes: statements that change data, and every transaction that may.
    pub writer: Pool,
    /// The engine, for the few places where dialects differ.
    pub backend: Backend,
}

impl Db {
    /// Begins a transaction that may write.
    pub async fn begin_write(&self) -> Result<Tx, sqlx::Error> {
        match self.backend {
            // Takes the write lock at once: a deferred BEGIN that reads first could be refused
            // the lock later, half-way through (another process writing the file, say).
            Backend::Sqlite => self.writer.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.writer.begin().await,
        }
    }
}

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The URL names an engine the server does not support.
    #[error("unsupported database URL {0:?}: use sqlite://PATH or postgres://…")]
    UnsupportedUrl(String),
    /// Connecting failed.
    #[error("cannot open the database: {0}")]
    Connect(#[source] sqlx::Error),
    /// Applying migrations failed.
    #[error("cannot migrate the database: {0}")]
    Migrate(#[source] sqlx::migrate::MigrateError),
    /// Started with `--no-migrate` on a database that misses migrations this server needs.
    #[error(
        "the database schema is at version {have}, this server needs {need}: \
         run `colmena-server migrate` first"
    )]
    SchemaBehind {
        /// The last migration applied.
        have: i64,
        /// The last migration this server knows.
        need: i64,
    },
}

/// How the pool is sized and whether the schema is migrated at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolOptions {
    /// Connections at most; by default 8 on SQLite (readers; it has one writer at a time
    /// anyway) and 20 on PostgreSQL.
    pub max_connections: Option<u32>,
    /// How long a request waits for a free connection before it fails with 503.
    pub acquire_timeout: std::time::Duration,
    /// Apply pending migrations (otherwise only check that none are pending).
    pub migrate: bool,
    /// When a SQLite commit reaches the disk.
    pub sqlite_durability: SqliteDurability,
}

/// When a SQLite commit reaches the disk (the `synchronous` pragma, in WAL mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SqliteDurability {
    /// The WAL is synced at checkpoints, not at each commit: a commit survives the server
    /// crashing, but the last ones may be lost if the machine loses power. The database is
    /// never corrupted. About a third more checkouts per second (`docs/benchmarks.md`).
    #[default]
    Normal,
    /// Each commit is synced to disk before it is answered.
    Full,
}

impl Default for PoolOptions {
    fn default() -> Self {
        Self {
            max_connections: None,
            acquire_timeout: std::time::Duration::from_secs(10),
            migrate: true,
            sqlite_durability: SqliteDurability::default(),
        }
    }
}

/// Applies pending migrations to the database at `url` and returns the schema version: the
/// `colmena-server migrate` command.
pub async fn migrate(url: &str) -> Result<i64, DbError> {
    let db = connect(url, &PoolOptions::default()).await?;
    let version = schema_version(&db.pool).await?;
    db.pool.close().await;
    Ok(version)
}

/// The last migration applied (0 on an empty database).
async fn schema_version<'e>(executor: impl Executor<'e>) -> Result<i64, DbError> {
    let version: Option<i64> =
        query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success = TRUE")
            .fetch_one(executor)
            .await
            .unwrap_or(None);
    Ok(version.unwrap_or(0))
}

/// Opens (creating a SQLite file if needed) and, unless `options` say not to, migrates the
/// database at `url`.
pub async fn connect(url: &str, options: &PoolOptions) -> Result<Db, DbError> {
    if url.starts_with("sqlite:") {
        connect_sqlite(url, options).await
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        connect_postgres(url, options).await
    } else {
        Err(DbError::UnsupportedUrl(url.to_owned()))
    }
}

/// With `--no-migrate`: another process migrates (a release step), and this server only refuses
/// a schema older than it needs. A newer one is fine: migrations add before they remove.
async fn check_schema<'e>(migrator: &Migrator, executor: impl Executor<'e>) -> Result<(), DbError> {
    let need = migrator.iter().map(|m| m.version).max().unwrap_or(0);
    let have = schema_version(executor).await?;
    if have < need {
        return Err(DbError::SchemaBehind { have, need });
    }
    Ok(())
}

/// A connection the migration step already holds, as an [`Executor`].
struct TargetOnce<'e>(Target<'e>);

impl<'e> Executor<'e> for TargetOnce<'e> {
    fn target(self) -> Target<'e> {
        self.0
    }
}

async fn connect_sqlite(url: &str, options: &PoolOptions) -> Result<Db, DbError> {
    let connect = SqliteConnectOptions::from_str(&sqlite_url_with_create(url))
        .map_err(DbError::Connect)?
        // WAL lets readers proceed while a writer commits; the setting persists in the file.
        .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
        // Pages read through a memory map, not copied into each connection's own cache:
        // readers share the operating system's copy of the file.
        .pragma("mmap_size", "268435456");
    let mut migrating = connect.connect().await.map_err(DbError::Connect)?;
    // Migrated on a connection of its own, before the pools open, so that every pooled
    // connection sees the migrated schema.
    if options.migrate {
        SQLITE_MIGRATIONS
            .run(&mut migrating)
            .await
            .map_err(DbError::Migrate)?;
    } else {
        check_schema(
            &SQLITE_MIGRATIONS,
            TargetOnce(Target::Sqlite(&mut migrating)),
        )
        .await?;
    }
    migrating.close().await.map_err(DbError::Connect)?;
    // Readers: `query_only`, so a write sent to them by mistake fails at once.
    let readers = options.max_connections.unwrap_or(8);
    let pool = open_sqlite(
        &connect.clone().pragma("query_only", "ON"),
        readers,
        options,
    )
    .await?;
    let durable = connect.synchronous(match options.sqlite_durability {
        SqliteDurability::Normal => sqlx::sqlite::SqliteSynchronous::Normal,
        SqliteDurability::Full => sqlx::sqlite::SqliteSynchronous::Full,
    });
    let writer = open_sqlite(&durable, 1, options).await?;
    Ok(Db {
        pool: Pool::Sqlite(pool),
        writer: Pool::Sqlite(writer),
        backend: Backend::Sqlite,
    })
}

async fn open_sqlite(
    connect: &SqliteConnectOptions,
    max_connections: u32,
    options: &PoolOptions,
) -> Result<sqlx::SqlitePool, DbError> {
    SqlitePoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(options.acquire_timeout)
        // A connection to a local file does not drop: pinging it before each use costs a
        // round trip to its thread per request, for nothing.
        .test_before_acquire(false)
        .after_connect(|conn, _| {
            Box::pin(async move {
                // FTS5 reads its configuration when a connection first uses the search index.
                // Inside a write transaction (a catalog write's trigger) that read would take
                // a snapshot before the write lock, and a writer committing in between makes
                // SQLite refuse the upgrade at once ("database is locked", no busy wait).
                // Reading it here, outside any transaction, avoids that.
                sqlx::query("SELECT 1 FROM search_index LIMIT 0")
                    .execute(&mut *conn)
                    .await?;
                Ok(())
            })
        })
        .connect_with(connect.clone())
        .await
        .map_err(DbError::Connect)
}

async fn connect_postgres(url: &str, options: &PoolOptions) -> Result<Db, DbError> {
    let connect = PgConnectOptions::from_str(url).map_err(DbError::Connect)?;
    let mut migrating = connect.connect().await.map_err(DbError::Connect)?;
    if options.migrate {
        POSTGRES_MIGRATIONS
            .run(&mut migrating)
            .await
            .map_err(DbError::Migrate)?;
    } else {
        check_schema(
            &POSTGRES_MIGRATIONS,
            TargetOnce(Target::Postgres(&mut migrating)),
        )
        .await?;
    }
    migrating.close().await.map_err(DbError::Connect)?;
    let pool = PgPoolOptions::new()
        .max_connections(options.max_connections.unwrap_or(20))
        .acquire_timeout(options.acquire_timeout)
        .connect_with(connect)
        .await
        .map_err(DbError::Connect)?;
    let pool = Pool::Postgres(pool);
    Ok(Db {
        writer: pool.clone(),
        pool,
        backend: Backend::Postgres,
    })
}

/// SQLite only creates a missing file when asked to (`mode=rwc`).
fn sqlite_url_with_create(url: &str) -> String {
    if url.contains("mode=") || url.contains(":memory:") {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    }
}

/// A list position (0-based index) as the `INTEGER` column that keeps list order: an index
/// beyond `i64` is an encode error, never a wrapped or clamped number.
pub fn position(index: usize) -> Result<i64, sqlx::Error> {
    i64::try_from(index).map_err(|e| sqlx::Error::Encode(Box::new(e)))
}
