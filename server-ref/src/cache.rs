//! An in-memory cache of public catalog answers (seed 004's L1 cache), so that shoppers'
//! reads rarely reach the database.
//!
//! Entries are keyed by a global generation number that every committed catalog change (admin
//! writes, stock reserved or released by orders) increments: a reader takes the generation
//! *before* querying, so an entry computed from data older than a change can only be stored
//! under a generation nobody asks for any more. Within one server, readers therefore never see
//! data older than the last commit. Servers sharing a PostgreSQL database tell each other of
//! their changes (`cluster::invalidation`); the time-to-live (`--cache-ttl-seconds`) bounds the
//! staleness should a notice be lost.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime};

use colmena_sdk::contract::Pagination;
use serde::Serialize;
use serde_json::value::RawValue;

/// A cached answer: the serialised `data` of the envelope, and its paging.
#[derive(Debug)]
pub struct CachedAnswer {
    /// The `data` member, already JSON.
    pub data: Box<RawValue>,
    /// The `pagination` member of list answers.
    pub pagination: Option<Pagination>,
    /// When the answer stops being true by itself (a scheduled storefront goes live, a banner
    /// ends), however recent its generation.
    pub fresh_until: Option<SystemTime>,
}

/// The cache; cheap to clone (shared).
#[derive(Clone)]
pub struct CatalogCache {
    entries: Option<moka::sync::Cache<(u64, String), Arc<CachedAnswer>>>,
    generation: Arc<AtomicU64>,
    /// Set while other servers' changes cannot be heard: nothing is cached then.
    suspended: Arc<AtomicBool>,
    /// Woken after each local change, to tell the other servers.
    changed: Arc<OnceLock<Arc<tokio::sync::Notify>>>,
}

impl std::fmt::Debug for CatalogCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CatalogCache")
            .field("enabled", &self.entries.is_some())
            .field("generation", &self.generation.load(Ordering::Relaxed))
            .field("suspended", &self.suspended.load(Ordering::Relaxed))
            .finish()
    }
}

impl CatalogCache {
    /// A cache keeping answers up to `ttl` (a zero `ttl` disables it), at most 10,000 of them.
    pub fn new(ttl: Duration) -> Self {
        let entries = (!ttl.is_zero()).then(|| {
            moka::sync::Cache::builder()
                .max_capacity(10_000)
                .time_to_live(ttl)
                .build()
        });
        Self {
            entries,
            generation: Arc::new(AtomicU64::new(0)),
            suspended: Arc::default(),
            changed: Arc::default(),
        }
    }

    /// The current generation; take it before reading the database.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// The answer cached for `key` in the current generation.
    pub fn get(&self, key: &str) -> Option<Arc<CachedAnswer>> {
        let entries = self.entries.as_ref()?;
        if self.suspended.load(Ordering::Acquire) {
            return None;
        }
        entries
            .get(&(self.generation(), key.to_owned()))
            .filter(|answer| {
                answer
                    .fresh_until
                    .is_none_or(|until| SystemTime::now() < until)
            })
    }

    /// Caches `data` for `key`, as read in `generation`; returns the cached form.
    pub fn put<T: Serialize>(
        &self,
        generation: u64,
        key: String,
        data: &T,
        pagination: Option<Pagination>,
    ) -> Result<Arc<CachedAnswer>, serde_json::Error> {
        self.put_until(generation, key, data, pagination, None)
    }

    /// [`put`](Self::put) for an answer that holds only until `fresh_until`.
    pub fn put_until<T: Serialize>(
        &self,
        generation: u64,
        key: String,
        data: &T,
        pagination: Option<Pagination>,
        fresh_until: Option<SystemTime>,
    ) -> Result<Arc<CachedAnswer>, serde_json::Error> {
        let answer = Arc::new(CachedAnswer {
            data: serde_json::value::to_raw_value(data)?,
            pagination,
            fresh_until,
        });
        if let Some(entries) = self
            .entries
            .as_ref()
            .filter(|_| !self.suspended.load(Ordering::Acquire))
        {
            entries.insert((generation, key), answer.clone());
        }
        Ok(answer)
    }

    /// Makes every cached answer stale, here and on the other servers; call after committing
    /// a catalog change.
    pub fn invalidate(&self) {
        self.invalidate_local();
        if let Some(changed) = self.changed.get() {
            changed.notify_one();
        }
    }

    /// Makes every answer cached by this server stale (another server changed the catalog).
    pub fn invalidate_local(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// Wakes `changed` after each [`invalidate`](Self::invalidate) (set once).
    pub(crate) fn on_invalidate(&self, changed: Arc<tokio::sync::Notify>) {
        let _ = self.changed.set(changed);
    }

    /// Whether cached data may be used: not while other servers' changes cannot be heard.
    pub(crate) fn trusted(&self) -> bool {
        !self.suspended.load(Ordering::Acquire)
    }

    /// Stops caching: other servers' changes cannot be heard for now.
    pub(crate) fn suspend(&self) {
        self.suspended.store(true, Ordering::Release);
        self.invalidate_local();
    }

    /// Caches again, from a new generation.
    pub(crate) fn resume(&self) {
        self.invalidate_local();
        self.suspended.store(false, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_hides_answers_read_before_it() {
        let cache = CatalogCache::new(Duration::from_secs(60));
        let before = cache.generation();
        cache.put(before, "k".into(), &"old", None).unwrap();
        assert_eq!(cache.get("k").unwrap().data.get(), "\"old\"");
        // A reader that started before the change stores under the old generation…
        cache.invalidate();
        cache.put(before, "k".into(), &"stale", None).unwrap();
        // …which nobody reads any more.
        assert!(cache.get("k").is_none());
        let disabled = CatalogCache::new(Duration::ZERO);
        disabled
            .put(disabled.generation(), "k".into(), &1, None)
            .unwrap();
        assert!(disabled.get("k").is_none());
        // An answer past its own end is not served.
        let soon = SystemTime::now() + Duration::from_millis(50);
        cache
            .put_until(cache.generation(), "t".into(), &1, None, Some(soon))
            .unwrap();
        assert!(cache.get("t").is_some());
        std::thread::sleep(Duration::from_millis(60));
        assert!(cache.get("t").is_none());
        // Suspended (other servers' changes unheard), nothing is served or kept.
        cache.suspend();
        cache.put(cache.generation(), "s".into(), &1, None).unwrap();
        assert!(cache.get("s").is_none());
        cache.resume();
        cache.put(cache.generation(), "s".into(), &1, None).unwrap();
        assert!(cache.get("s").is_some());
    }
}
