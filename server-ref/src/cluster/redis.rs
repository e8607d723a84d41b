//! Rate limits shared through Redis: every server takes from the same quota. The algorithm is
//! the GCRA that the in-memory limiter (governor) runs, done in one Lua script so that the read
//! and the write are one atomic step, timed by Redis's own clock.

use std::num::NonZeroU32;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use ::redis::aio::{ConnectionManager, ConnectionManagerConfig};
use ::redis::{RedisError, Script};

/// A quota of N per period allows one request every period/N, and a burst of N: a request is
/// refused when it would push the key's "theoretical arrival time" more than a period ahead.
/// Returns 0 when allowed, or the microseconds to wait.
const GCRA: &str = r"
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local interval = tonumber(ARGV[1])
local period = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local next_tat = tat + interval
local wait = next_tat - now - period
if wait > 0 then return wait end
redis.call('SET', KEYS[1], string.format('%.0f', next_tat), 'PX', math.ceil((next_tat - now) / 1000))
return 0
";

/// How long a rate-limit check may wait for Redis before the request is judged by this
/// server's own limiter.
const RESPONSE_TIMEOUT: Duration = Duration::from_millis(250);

/// Why Redis could not be set up.
#[derive(Debug, thiserror::Error)]
#[error("cannot use Redis at {url}: {source}")]
pub struct RedisSetupError {
    /// The URL, without its password.
    url: String,
    source: RedisError,
}

/// A Redis connection (reconnecting by itself) and the rate-limit script.
#[derive(Clone)]
pub struct Redis {
    connection: ConnectionManager,
    gcra: Arc<Script>,
    /// Whether the last call failed, so that an outage is logged once, not per request.
    degraded: Arc<AtomicBool>,
}

impl std::fmt::Debug for Redis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redis")
            .field("degraded", &self.degraded.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl Redis {
    /// Connects to `url` (`redis://[:password@]host:port/db` or `rediss://…`).
    pub async fn connect(url: &str) -> Result<Self, RedisSetupError> {
        let failed = |source| RedisSetupError {
            url: without_password(url),
            source,
        };
        let client = ::redis::Client::open(url).map_err(failed)?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(2)))
            .set_response_timeout(Some(RESPONSE_TIMEOUT))
            .set_number_of_retries(2);
        let connection = ConnectionManager::new_with_config(client, config)
            .await
            .map_err(failed)?;
        let redis = Self {
            connection,
            gcra: Arc::new(Script::new(GCRA)),
            degraded: Arc::default(),
        };
        redis.ping().await.map_err(failed)?;
        Ok(redis)
    }

    /// Whether Redis answers.
    pub async fn ping(&self) -> Result<(), RedisError> {
        ::redis::cmd("PING")
            .query_async::<()>(&mut self.connection.clone())
            .await
    }

    /// Takes one request from `key`'s quota of `per_minute`: `Ok(None)` within it, or the time
    /// to wait. An error means Redis did not answer (logged once per outage).
    pub async fn take(
        &self,
        key: &str,
        per_minute: NonZeroU32,
    ) -> Result<Option<Duration>, RedisError> {
        let period_micros: u64 = 60_000_000;
        let interval = period_micros / u64::from(per_minute.get());
        let answer = self
            .gcra
            .key(format!("colmena:rate:{key}"))
            .arg(interval)
            .arg(period_micros)
            .invoke_async::<i64>(&mut self.connection.clone())
            .await;
        match &answer {
            Ok(_) if self.degraded.swap(false, Ordering::AcqRel) => {
                tracing::info!("Redis answers again: rate limits are shared again");
            }
            Err(error) if !self.degraded.swap(true, Ordering::AcqRel) => {
                tracing::warn!(%error, "Redis does not answer: each server limits on its own until it does");
            }
            _ => {}
        }
        let wait = answer?;
        Ok(u64::try_from(wait)
            .ok()
            .filter(|wait| *wait > 0)
            .map(Duration::from_micros))
    }
}

/// `url` with any password replaced, for messages.
fn without_password(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        Ok(parsed) => parsed.to_string(),
        Err(_) => "(an unreadable URL)".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_stay_out_of_messages() {
        assert_eq!(
            super::without_password("redis://:s3cret@cache:6379/0"),
            "redis://:***@cache:6379/0"
        );
        assert_eq!(
            super::without_password("redis://127.0.0.1:6379"),
            "redis://127.0.0.1:6379"
        );
    }
}
