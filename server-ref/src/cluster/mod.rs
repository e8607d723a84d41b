//! What several servers on one PostgreSQL database share besides the database: rate limits in
//! Redis ([`Redis`]), and the catalog cache's invalidations through PostgreSQL's LISTEN/NOTIFY
//! ([`invalidation`]).

pub mod invalidation;
mod redis;

pub use self::redis::{Redis, RedisSetupError};
