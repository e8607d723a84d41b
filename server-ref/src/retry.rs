//! What the outboxes (partner webhooks, mail, chat replies) share: claiming due rows, the retry
//! schedule, and the worker that sends them round after round.

use crate::db::{Pool, Row};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use crate::http::ApiError;

/// Rows one round of a worker claims at most; a full round is followed at once by another.
pub(crate) const BATCH: usize = 20;

/// A running outbox worker: a round when woken (a change just committed rows) or every `poll`,
/// and at once again after a full batch. [`OutboxWorker::drain`] stops it once due rows are out.
#[derive(Debug)]
pub struct OutboxWorker {
    name: &'static str,
    stop: CancellationToken,
    task: tokio::task::JoinHandle<()>,
}

impl OutboxWorker {
    /// Starts the worker `name`, running `round` (which returns how many rows it attempted).
    pub(crate) fn spawn<R, F>(
        name: &'static str,
        poll: Duration,
        wake: Arc<Notify>,
        round: R,
    ) -> Self
    where
        R: Fn() -> F + Send + 'static,
        F: Future<Output = Result<usize, ApiError>> + Send,
    {
        let stop = CancellationToken::new();
        let stopped = stop.clone();
        let task = tokio::spawn(async move {
            loop {
                match round().await {
                    Ok(sent) if sent >= BATCH && !stopped.is_cancelled() => continue,
                    Ok(_) => {}
                    Err(error) => tracing::warn!(worker = name, ?error, "outbox round failed"),
                }
                if stopped.is_cancelled() {
                    break;
                }
                tokio::select! {
                    () = stopped.cancelled() => {
                        // The last round: what became due while this one waited.
                        if let Err(error) = round().await {
                            tracing::warn!(worker = name, ?error, "last outbox round failed");
                        }
                        break;
                    }
                    () = wake.notified() => {}
                    () = tokio::time::sleep(poll) => {}
                }
            }
        });
        Self { name, stop, task }
    }

    /// Asks the worker to stop after one last round (rows already due are sent, so a change
    /// committed just before shutdown does not wait for the next start) and waits for it, at
    /// most `within`. Whatever is left stays in the outbox for the next start.
    pub async fn drain(self, within: Duration) {
        self.stop.cancel();
        if tokio::time::timeout(within, self.task).await.is_err() {
            tracing::warn!(
                worker = self.name,
                "the outbox worker did not finish in time"
            );
        }
    }
}

/// The due rows of an outbox `table` (with `id`, `status` and `next_attempt_at` columns) that
/// this server wins for one attempt, as `read` makes them. Each claim moves the row's
/// `next_attempt_at` from the value read to `lease_until` only if no other server moved it
/// first: a conditional update, so one sender wins on SQLite and PostgreSQL alike, and the lease
/// keeps the others off while it sends (a stopped server's claim simply expires).
pub(crate) async fn claim_due<T>(
    pool: &Pool,
    table: &'static str,
    rows: &[Row],
    lease_until: time::OffsetDateTime,
    read: impl Fn(&Row) -> Result<(Uuid, T), sqlx::Error>,
) -> Result<Vec<T>, sqlx::Error> {
    let claim = format!(
        "UPDATE {table} SET next_attempt_at = $1 \
         WHERE id = $2 AND status = 'pending' AND next_attempt_at = $3"
    );
    let mut claimed = Vec::new();
    for row in rows {
        let (id, due) = read(row)?;
        let was: time::OffsetDateTime = row.try_get("next_attempt_at")?;
        let won = crate::db::query(&claim)
            .bind(lease_until)
            .bind(id)
            .bind(was)
            .execute(pool)
            .await?
            .rows_affected();
        if won == 1 {
            claimed.push(due);
        }
    }
    Ok(claimed)
}

/// Makes one attempt per claimed row, concurrently, and waits for them all. Returns how many.
pub(crate) async fn attempt_all<T, F, Fut>(claimed: Vec<T>, attempt: F) -> usize
where
    F: Fn(T) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let count = claimed.len();
    let mut attempts = tokio::task::JoinSet::new();
    for due in claimed {
        attempts.spawn(attempt(due));
    }
    while attempts.join_next().await.is_some() {}
    count
}

/// How long a claim keeps other servers off a row: longer than an attempt may take (`timeout`),
/// so two servers never send one row at once; short enough that a crashed server's claims are
/// soon taken over.
pub(crate) fn claim_lease(attempt_timeout: Duration) -> time::Duration {
    let lease = attempt_timeout.saturating_mul(2) + Duration::from_secs(10);
    time::Duration::try_from(lease).unwrap_or(time::Duration::HOUR)
}

/// The wait after `attempts` failed attempts: `base × 2^(attempts-1)`, at most an hour.
pub(crate) fn backoff(base: Duration, attempts: u32) -> Duration {
    base.saturating_mul(2u32.saturating_pow(attempts.saturating_sub(1)))
        .min(Duration::from_secs(3600))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        let base = Duration::from_secs(30);
        assert_eq!(backoff(base, 1), Duration::from_secs(30));
        assert_eq!(backoff(base, 2), Duration::from_secs(60));
        assert_eq!(backoff(base, 5), Duration::from_secs(480));
        assert_eq!(backoff(base, 40), Duration::from_secs(3600));
    }
}
