//! Database connection and migrations, for SQLite (embedded default) and PostgreSQL.
//!
//! Both run through sqlx's `Any` driver so that every query is written once. The two schemas in
//! `migrations/` are kept column-for-column identical for that reason.

mod rows;
mod timestamps;

pub(crate) use rows::{
    count_column, decode_error, json_column, json_text, optional_count_column,
    optional_json_column, optional_uuid_column, placeholders, total_column, uuid_column,
    UnknownValue,
};
pub use timestamps::{now_text, parse_timestamp, timestamp_text};

use sqlx::any::AnyPoolOptions;
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Connection};

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
    pub pool: AnyPool,
    /// Writes: statements that change data, and every transaction that may.
    pub writer: AnyPool,
    /// The engine, for the few places where dialects differ.
    pub backend: Backend,
}

impl Db {
    /// Begins a transaction that may write.
    pub async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
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

impl SqliteDurability {
    fn pragma(self) -> &'static str {
        match self {
            Self::Normal => "NORMAL",
            Self::Full => "FULL",
        }
    }
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
async fn schema_version<'c>(
    executor: impl sqlx::Executor<'c, Database = sqlx::Any>,
) -> Result<i64, DbError> {
    let version: Option<i64> =
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success = TRUE")
            .fetch_one(executor)
            .await
            .unwrap_or(None);
    Ok(version.unwrap_or(0))
}

/// Opens (creating a SQLite file if needed) and, unless `options` say not to, migrates the
/// database at `url`.
pub async fn connect(url: &str, options: &PoolOptions) -> Result<Db, DbError> {
    sqlx::any::install_default_drivers();
    let (backend, url) = if url.starts_with("sqlite:") {
        (Backend::Sqlite, sqlite_url_with_create(url))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        (Backend::Postgres, url.to_owned())
    } else {
        return Err(DbError::UnsupportedUrl(url.to_owned()));
    };
    // Migrated on a connection of their own, before the pool opens, so that every pooled
    // connection can be prepared for the migrated schema (below).
    let mut migrating = <sqlx::AnyConnection as Connection>::connect(&url)
        .await
        .map_err(DbError::Connect)?;
    if backend == Backend::Sqlite {
        // WAL lets readers proceed while a writer commits; the setting persists in the file.
        sqlx::query("PRAGMA journal_mode = WAL")
            .execute(&mut migrating)
            .await
            .map_err(DbError::Connect)?;
    }
    let migrator = match backend {
        Backend::Sqlite => &SQLITE_MIGRATIONS,
        Backend::Postgres => &POSTGRES_MIGRATIONS,
    };
    if options.migrate {
        migrator
            .run(&mut migrating)
            .await
            .map_err(DbError::Migrate)?;
    } else {
        // Another process migrates (a release step); this server only refuses a schema older
        // than it needs. A newer one is fine: migrations add before they remove.
        let need = migrator.iter().map(|m| m.version).max().unwrap_or(0);
        let have = schema_version(&mut migrating).await?;
        if have < need {
            return Err(DbError::SchemaBehind { have, need });
        }
    }
    migrating.close().await.map_err(DbError::Connect)?;
    let max_connections = options.max_connections.unwrap_or(match backend {
        Backend::Sqlite => 8,
        Backend::Postgres => 20,
    });
    let pool = open_pool(&url, backend, max_connections, options, Role::Reader).await?;
    let writer = match backend {
        Backend::Sqlite => open_pool(&url, backend, 1, options, Role::Writer).await?,
        Backend::Postgres => pool.clone(),
    };
    Ok(Db {
        pool,
        writer,
        backend,
    })
}

/// What a SQLite pool is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Reader,
    Writer,
}

async fn open_pool(
    url: &str,
    backend: Backend,
    max_connections: u32,
    options: &PoolOptions,
    role: Role,
) -> Result<AnyPool, DbError> {
    let durability = options.sqlite_durability;
    AnyPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(options.acquire_timeout)
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    // FTS5 reads its configuration when a connection first uses the search
                    // index. Inside a write transaction (a catalog write's trigger) that read
                    // would take a snapshot before the write lock, and a writer committing in
                    // between makes SQLite refuse the upgrade at once ("database is locked",
                    // no busy wait). Reading it here, outside any transaction, avoids that.
                    sqlx::query("SELECT 1 FROM search_index LIMIT 0")
                        .execute(&mut *conn)
                        .await?;
                    // Pages read through a memory map, not copied into each connection's own
                    // cache: readers share the operating system's copy of the file.
                    sqlx::query("PRAGMA mmap_size = 268435456")
                        .execute(&mut *conn)
                        .await?;
                    if role == Role::Reader {
                        sqlx::query("PRAGMA query_only = ON")
                            .execute(&mut *conn)
                            .await?;
                    } else {
                        let pragma = format!("PRAGMA synchronous = {}", durability.pragma());
                        sqlx::query(&pragma).execute(&mut *conn).await?;
                    }
                }
                Ok(())
            })
        })
        .connect(url)
        .await
        .map_err(DbError::Connect)
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
