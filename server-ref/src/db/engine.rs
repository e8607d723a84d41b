//! Pools, connections and transactions on either engine, through sqlx's own SQLite and
//! PostgreSQL drivers.
//!
//! sqlx's `Any` driver would run every query unchanged on both, but it only carries the types
//! the two engines share (text, integers, floats, bytes), so PostgreSQL would have to store ids,
//! times and documents as text. Here each engine keeps its own driver: a query is written once,
//! its values ([`super::Value`]) are bound as each engine's native type, and a row is read
//! straight from the driver's row without being copied into a common form.

use std::ops::{Deref, DerefMut};

use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnection, PgPool};
use sqlx::sqlite::{SqliteConnection, SqlitePool};
use sqlx::{Postgres, Sqlite, Transaction};

/// A pool of connections to one database.
#[derive(Debug, Clone)]
pub enum Pool {
    /// SQLite connections.
    Sqlite(SqlitePool),
    /// PostgreSQL connections.
    Postgres(PgPool),
}

impl Pool {
    /// A connection of the pool's, returned to it when dropped.
    pub async fn acquire(&self) -> Result<PoolConn, sqlx::Error> {
        Ok(PoolConn(Conn(match self {
            Self::Sqlite(pool) => Lease::SqlitePooled(pool.acquire().await?),
            Self::Postgres(pool) => Lease::PostgresPooled(pool.acquire().await?),
        })))
    }

    /// Begins a transaction with the engine's default `BEGIN`.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        Ok(Tx(Conn(match self {
            Self::Sqlite(pool) => Lease::SqliteTx(pool.begin().await?),
            Self::Postgres(pool) => Lease::PostgresTx(pool.begin().await?),
        })))
    }

    /// Begins a transaction with a statement of the caller's (`BEGIN IMMEDIATE`).
    pub async fn begin_with(&self, statement: &'static str) -> Result<Tx, sqlx::Error> {
        Ok(Tx(Conn(match self {
            Self::Sqlite(pool) => Lease::SqliteTx(pool.begin_with(statement).await?),
            Self::Postgres(pool) => Lease::PostgresTx(pool.begin_with(statement).await?),
        })))
    }

    /// Closes every connection, waiting for those in use to come back.
    pub async fn close(&self) {
        match self {
            Self::Sqlite(pool) => pool.close().await,
            Self::Postgres(pool) => pool.close().await,
        }
    }

    /// Connections open, idle or in use.
    pub fn size(&self) -> u32 {
        match self {
            Self::Sqlite(pool) => pool.size(),
            Self::Postgres(pool) => pool.size(),
        }
    }

    /// Connections open and idle.
    pub fn num_idle(&self) -> usize {
        match self {
            Self::Sqlite(pool) => pool.num_idle(),
            Self::Postgres(pool) => pool.num_idle(),
        }
    }
}

/// One connection, pooled or inside a transaction: what code that runs several statements on
/// the same connection takes (`&mut Conn`), whether or not its caller opened a transaction.
#[derive(Debug)]
pub struct Conn(Lease);

#[derive(Debug)]
enum Lease {
    SqlitePooled(PoolConnection<Sqlite>),
    SqliteTx(Transaction<'static, Sqlite>),
    PostgresPooled(PoolConnection<Postgres>),
    PostgresTx(Transaction<'static, Postgres>),
}

impl Conn {
    fn target(&mut self) -> Target<'_> {
        match &mut self.0 {
            Lease::SqlitePooled(conn) => Target::Sqlite(conn),
            Lease::SqliteTx(tx) => Target::Sqlite(tx),
            Lease::PostgresPooled(conn) => Target::Postgres(conn),
            Lease::PostgresTx(tx) => Target::Postgres(tx),
        }
    }
}

/// A pooled connection outside any transaction.
#[derive(Debug)]
pub struct PoolConn(Conn);

impl Deref for PoolConn {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        &self.0
    }
}

impl DerefMut for PoolConn {
    fn deref_mut(&mut self) -> &mut Conn {
        &mut self.0
    }
}

/// A transaction: rolled back when dropped without [`Tx::commit`].
#[derive(Debug)]
pub struct Tx(Conn);

impl Tx {
    /// Commits the transaction.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self.0 .0 {
            Lease::SqliteTx(tx) => tx.commit().await,
            Lease::PostgresTx(tx) => tx.commit().await,
            Lease::SqlitePooled(_) | Lease::PostgresPooled(_) => {
                unreachable!("a Tx is only made from a transaction")
            }
        }
    }
}

impl Deref for Tx {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        &self.0
    }
}

impl DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut Conn {
        &mut self.0
    }
}

/// Where a statement runs: a pool (any free connection) or one connection.
#[derive(Debug)]
pub enum Target<'e> {
    /// Any connection of a SQLite pool.
    SqlitePool(&'e SqlitePool),
    /// One SQLite connection.
    Sqlite(&'e mut SqliteConnection),
    /// Any connection of a PostgreSQL pool.
    PostgresPool(&'e PgPool),
    /// One PostgreSQL connection.
    Postgres(&'e mut PgConnection),
}

/// What a query runs on: `&Pool`, `&mut Conn`, `&mut PoolConn` or `&mut Tx`.
pub trait Executor<'e>: Send {
    /// The engine's own executor.
    fn target(self) -> Target<'e>;
}

impl<'e> Executor<'e> for &'e Pool {
    fn target(self) -> Target<'e> {
        match self {
            Pool::Sqlite(pool) => Target::SqlitePool(pool),
            Pool::Postgres(pool) => Target::PostgresPool(pool),
        }
    }
}

impl<'e> Executor<'e> for &'e mut Conn {
    fn target(self) -> Target<'e> {
        Conn::target(self)
    }
}

impl<'e> Executor<'e> for &'e mut PoolConn {
    fn target(self) -> Target<'e> {
        self.0.target()
    }
}

impl<'e> Executor<'e> for &'e mut Tx {
    fn target(self) -> Target<'e> {
        self.0.target()
    }
}
