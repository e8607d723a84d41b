//! Catalog cache invalidation across servers on one PostgreSQL database.
//!
//! A server that commits a catalog change moves its own cache to a new generation at once
//! ([`CatalogCache::invalidate`]), then sends `NOTIFY colmena_catalog` with its instance id.
//! Every other server LISTENs and moves its cache to a new generation on each notice, so a
//! change is served everywhere within the notice's round trip (milliseconds). While the listening
//! connection is down, a server caches nothing: notices sent meanwhile would be lost.

use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::PgListener;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::cache::CatalogCache;
use crate::db::Db;

/// The notification channel.
const CHANNEL: &str = "colmena_catalog";

/// Wait between attempts to reopen the listening connection.
const RECONNECT_WAIT: Duration = Duration::from_secs(1);

/// Starts the two tasks: one sends a notice after this server's changes, the other applies
/// other servers' notices. They stop with `stop`.
pub fn start(db: Db, database_url: String, cache: CatalogCache, stop: CancellationToken) {
    let instance = uuid::Uuid::new_v4().to_string();
    let changed = Arc::new(Notify::new());
    cache.on_invalidate(Arc::clone(&changed));
    tokio::spawn(publish(db, instance.clone(), changed, stop.clone()));
    tokio::spawn(listen(database_url, instance, cache, stop));
}

/// Sends one notice per wake-up: changes committed while a notice is on its way are covered by
/// the next one.
async fn publish(db: Db, instance: String, changed: Arc<Notify>, stop: CancellationToken) {
    loop {
        tokio::select! {
            () = changed.notified() => {}
            () = stop.cancelled() => return,
        }
        let sent = crate::db::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(&instance)
            .execute(&db.writer)
            .await;
        if let Err(error) = sent {
            // Other servers serve the old answers until their cache's time-to-live ends.
            tracing::warn!(%error, "cannot tell other servers of a catalog change");
        }
    }
}

async fn listen(
    database_url: String,
    instance: String,
    cache: CatalogCache,
    stop: CancellationToken,
) {
    while !stop.is_cancelled() {
        let mut listener = match PgListener::connect(&database_url).await {
            Ok(listener) => listener,
            Err(error) => {
                tracing::warn!(%error, "cannot listen for other servers' catalog changes");
                cache.suspend();
                tokio::select! {
                    () = tokio::time::sleep(RECONNECT_WAIT) => continue,
                    () = stop.cancelled() => return,
                }
            }
        };
        if let Err(error) = listener.listen(CHANNEL).await {
            tracing::warn!(%error, "cannot listen for other servers' catalog changes");
            cache.suspend();
            tokio::time::sleep(RECONNECT_WAIT).await;
            continue;
        }
        // Listening again: whatever changed while no one listened is unknown.
        cache.resume();
        loop {
            let notice = tokio::select! {
                notice = listener.try_recv() => notice,
                () = stop.cancelled() => return,
            };
            match notice {
                Ok(Some(notice)) if notice.payload() != instance => cache.invalidate_local(),
                Ok(Some(_own)) => {}
                // The connection dropped; notices sent meanwhile are lost.
                Ok(None) | Err(_) => {
                    tracing::warn!(
                        "lost the connection listening for catalog changes; reconnecting"
                    );
                    cache.suspend();
                    break;
                }
            }
        }
    }
}
