//! The storefront editor's domain: a store's draft, its numbered versions and which of them is
//! live, preview tokens, and the document shoppers see.
//!
//! Which version is live is never stored: it is the highest-numbered version, not cancelled,
//! whose `publish_at` has come, read at request time. A scheduled version therefore goes live
//! without a worker, at the same moment on every server sharing the database.

use crate::db::{Conn, Row};
use colmena_sdk::contract::{
    AuditActor, PreviewToken, Store, Storefront, StorefrontDraft, StorefrontVersion,
    StorefrontVersionStatus, Theme, Timestamp, WebhookEventData, WebhookEventType,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::{hash_token, random_secret, Actor};
use crate::db::{self, json_column, json_text, uuid_column};
use crate::http::ApiError;
use crate::webhooks;

/// How long a preview token works.
pub const PREVIEW_TTL: time::Duration = time::Duration::hours(24);

/// The prefix of preview tokens, so that one is recognised in a log or a support ticket.
const PREVIEW_PREFIX: &str = "sfp_";

/// Milliseconds since the Unix epoch of `at`, the unit [`Storefront::shown_at`] takes.
pub fn unix_millis(at: OffsetDateTime) -> i64 {
    // Within the years 0000-9999 of stored times, milliseconds fit an i64 many times over.
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

/// A time of the API (RFC 3339) at the millisecond precision both engines keep, or `None` when
/// it is not a time.
pub fn stored_time(at: &Timestamp) -> Option<OffsetDateTime> {
    let millis = at.unix_millis()?;
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000).ok()
}

/// The versions that decide every version's status at one moment: the live one, and those
/// still waiting for their time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schedule {
    /// The live version's number.
    live: Option<u32>,
    /// Versions not cancelled whose `publish_at` (stored text) is after the moment.
    pending: Vec<(u32, String)>,
}

impl Schedule {
    /// The store's schedule at `now`.
    pub async fn load(
        conn: &mut Conn,
        store_id: Uuid,
        now: OffsetDateTime,
    ) -> Result<Self, ApiError> {
        let rows = crate::db::query(
            "SELECT number, publish_at FROM storefront_versions \
             WHERE store_id = $1 AND cancelled_at IS NULL AND (publish_at > $2 OR number = \
               (SELECT MAX(number) FROM storefront_versions \
                 WHERE store_id = $1 AND cancelled_at IS NULL AND publish_at <= $2))",
        )
        .bind(store_id)
        .bind(now)
        .fetch_all(&mut *conn)
        .await?;
        let now_text = db::timestamp_text(now);
        let mut schedule = Self::default();
        for row in &rows {
            let number = number_column(row, "number")?;
            let publish_at: String = row.try_get("publish_at")?;
            if publish_at > now_text {
                schedule.pending.push((number, publish_at));
            } else {
                schedule.live = Some(number);
            }
        }
        Ok(schedule)
    }

    /// The status of version `number`, published for `publish_at`, at the schedule's moment.
    pub fn status(
        &self,
        number: u32,
        publish_at: &str,
        cancelled: bool,
    ) -> StorefrontVersionStatus {
        if cancelled {
            return StorefrontVersionStatus::Cancelled;
        }
        if self.live == Some(number) {
            return StorefrontVersionStatus::Live;
        }
        let waiting = self.pending.iter().any(|(n, _)| *n == number);
        // A higher number that is live, or due no later than this one, keeps it from ever
        // going live.
        let overtaken = self.live.is_some_and(|live| live > number)
            || self
                .pending
                .iter()
                .any(|(n, at)| *n > number && at.as_str() <= publish_at);
        if waiting && !overtaken {
            StorefrontVersionStatus::Scheduled
        } else {
            StorefrontVersionStatus::Superseded
        }
    }

    /// The earliest time (stored text) at which another version goes live.
    fn next_publication(&self) -> Option<&str> {
        self.pending
            .iter()
            .filter(|(number, _)| self.live.is_none_or(|live| *number > live))
            .map(|(_, at)| at.as_str())
            .min()
    }
}

fn number_column(row: &Row, column: &str) -> Result<u32, sqlx::Error> {
    let value: i64 = row.try_get(column)?;
    u32::try_from(value).map_err(|e| db::decode_error(column, e))
}

fn optional_number_column(row: &Row, column: &str) -> Result<Option<u32>, sqlx::Error> {
    let value: Option<i64> = row.try_get(column)?;
    value
        .map(|value| u32::try_from(value).map_err(|e| db::decode_error(column, e)))
        .transpose()
}

/// The author of a draft or a version as the API shows it.
fn actor_columns(row: &Row, prefix: &str) -> Result<AuditActor, sqlx::Error> {
    Ok(AuditActor {
        kind: row.try_get(format!("{prefix}_type").as_str())?,
        id: uuid_column(row, &format!("{prefix}_id"))?,
        label: row.try_get(format!("{prefix}_label").as_str())?,
    })
}

/// The live version's number and document, if the store ever published one.
async fn live_version(
    conn: &mut Conn,
    store_id: Uuid,
    now: OffsetDateTime,
) -> Result<Option<(u32, Storefront)>, ApiError> {
    let row = crate::db::query(
        "SELECT number, document FROM storefront_versions \
         WHERE store_id = $1 AND cancelled_at IS NULL AND publish_at <= $2 \
         ORDER BY number DESC LIMIT 1",
    )
    .bind(store_id)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row
        .map(|row| {
            Ok::<_, sqlx::Error>((
                number_column(&row, "number")?,
                json_column(&row, "document")?,
            ))
        })
        .transpose()?)
}

/// The live document, or the store's default when it never published one.
async fn live_or_default(
    conn: &mut Conn,
    store: &Store,
    now: OffsetDateTime,
) -> Result<Storefront, ApiError> {
    Ok(match live_version(conn, store.id, now).await? {
        Some((_, document)) => document,
        None => Storefront::from_branding(&store.name, &store.branding),
    })
}

/// The draft: the saved one, or until the first save a copy of the live version (or the
/// default made from the store's branding).
pub async fn draft(conn: &mut Conn, store: &Store) -> Result<StorefrontDraft, ApiError> {
    let row = crate::db::query(
        "SELECT document, updated_at, updated_by_type, updated_by_id, updated_by_label \
         FROM storefront_drafts WHERE store_id = $1",
    )
    .bind(store.id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(match row {
        Some(row) => StorefrontDraft {
            document: json_column(&row, "document")?,
            updated_at: Some(row.try_get::<String, _>("updated_at")?.into()),
            updated_by: Some(actor_columns(&row, "updated_by")?),
        },
        None => StorefrontDraft {
            document: live_or_default(conn, store, db::now()).await?,
            updated_at: None,
            updated_by: None,
        },
    })
}

/// Saves the draft (the caller validated it); returns it as saved.
pub async fn save_draft(
    conn: &mut Conn,
    store_id: Uuid,
    document: &Storefront,
    actor: &Actor,
) -> Result<StorefrontDraft, ApiError> {
    let now = db::now();
    crate::db::query(
        "INSERT INTO storefront_drafts \
           (store_id, document, updated_at, updated_by_type, updated_by_id, updated_by_label) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (store_id) DO UPDATE SET document = excluded.document, \
           updated_at = excluded.updated_at, updated_by_type = excluded.updated_by_type, \
           updated_by_id = excluded.updated_by_id, updated_by_label = excluded.updated_by_label",
    )
    .bind(store_id)
    .bind(json_text(document)?)
    .bind(now)
    .bind(actor.kind.as_str())
    .bind(actor.id)
    .bind(&actor.label)
    .execute(&mut *conn)
    .await?;
    Ok(StorefrontDraft {
        document: document.clone(),
        updated_at: Some(db::api_time(now)),
        updated_by: Some(author(actor)),
    })
}

fn author(actor: &Actor) -> AuditActor {
    AuditActor {
        kind: actor.kind.as_str().to_owned(),
        id: actor.id,
        label: actor.label.clone(),
    }
}

/// Publishes `document` as the store's next version, live at `publish_at` (stored time text),
/// and tells partners (`storefront.published`). Must be the transaction's first statement:
/// taking the number is its write lock, so two publications never get the same number.
pub async fn publish(
    conn: &mut Conn,
    store_id: Uuid,
    document: &Storefront,
    publish_at: OffsetDateTime,
    actor: &Actor,
    rollback_of: Option<u32>,
) -> Result<StorefrontVersion, ApiError> {
    let row = crate::db::query(
        "UPDATE stores SET storefront_version = storefront_version + 1 WHERE id = $1 \
         RETURNING storefront_version",
    )
    .bind(store_id)
    .fetch_one(&mut *conn)
    .await?;
    let number = number_column(&row, "storefront_version")?;
    crate::db::query(
        "INSERT INTO storefront_versions (store_id, number, document, publish_at, \
           published_by_type, published_by_id, published_by_label, rollback_of, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(store_id)
    .bind(i64::from(number))
    .bind(json_text(document)?)
    .bind(publish_at)
    .bind(actor.kind.as_str())
    .bind(actor.id)
    .bind(&actor.label)
    .bind(rollback_of.map(i64::from))
    .bind(db::now())
    .execute(&mut *conn)
    .await?;
    let version = version(conn, store_id, number, db::now()).await?;
    let data = WebhookEventData {
        storefront_version: Some(version.clone()),
        ..WebhookEventData::default()
    };
    webhooks::emit(conn, store_id, WebhookEventType::StorefrontPublished, data).await?;
    Ok(version)
}

const VERSION_COLUMNS: &str = "number, document, publish_at, published_by_type, \
    published_by_id, published_by_label, rollback_of, cancelled_at, created_at";

fn version_from_row(row: &Row, schedule: &Schedule) -> Result<StorefrontVersion, sqlx::Error> {
    let number = number_column(row, "number")?;
    let publish_at: String = row.try_get("publish_at")?;
    let cancelled_at: Option<String> = row.try_get("cancelled_at")?;
    Ok(StorefrontVersion {
        number,
        status: schedule.status(number, &publish_at, cancelled_at.is_some()),
        publish_at: publish_at.into(),
        published_by: actor_columns(row, "published_by")?,
        created_at: row.try_get::<String, _>("created_at")?.into(),
        rollback_of: optional_number_column(row, "rollback_of")?,
        cancelled_at: cancelled_at.map(Into::into),
        document: json_column(row, "document")?,
    })
}

/// Version `number` of the store, with its status at `now`; 404 `NOT_FOUND` when there is none.
pub async fn version(
    conn: &mut Conn,
    store_id: Uuid,
    number: u32,
    now: OffsetDateTime,
) -> Result<StorefrontVersion, ApiError> {
    let schedule = Schedule::load(conn, store_id, now).await?;
    let row = crate::db::query(&format!(
        "SELECT {VERSION_COLUMNS} FROM storefront_versions WHERE store_id = $1 AND number = $2"
    ))
    .bind(store_id)
    .bind(i64::from(number))
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| ApiError::not_found("storefront version", &number.to_string()))?;
    Ok(version_from_row(&row, &schedule)?)
}

/// One page of the store's versions, newest first, and how many there are.
pub async fn versions(
    conn: &mut Conn,
    store_id: Uuid,
    limit: i64,
    offset: i64,
) -> Result<(Vec<StorefrontVersion>, u64), ApiError> {
    let now = db::now();
    let schedule = Schedule::load(conn, store_id, now).await?;
    let total = db::total_column(
        &crate::db::query("SELECT COUNT(*) AS n FROM storefront_versions WHERE store_id = $1")
            .bind(store_id)
            .fetch_one(&mut *conn)
            .await?,
        "n",
    )?;
    let rows = crate::db::query(&format!(
        "SELECT {VERSION_COLUMNS} FROM storefront_versions WHERE store_id = $1 \
         ORDER BY number DESC LIMIT $2 OFFSET $3"
    ))
    .bind(store_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(&mut *conn)
    .await?;
    let versions = rows
        .iter()
        .map(|row| version_from_row(row, &schedule))
        .collect::<Result<_, _>>()?;
    Ok((versions, total))
}

/// Cancels scheduled version `number`: 409 `CONFLICT` (with its status) unless it is
/// scheduled. Must be the transaction's first statement.
pub async fn cancel(
    conn: &mut Conn,
    store_id: Uuid,
    number: u32,
) -> Result<StorefrontVersion, ApiError> {
    let now = db::now();
    // The write comes first (SQLite takes its lock), guarded by the time and not-cancelled
    // conditions; whether a higher number overtook it is checked after, in the same
    // transaction, and rolls the write back.
    let cancelled = crate::db::query(
        "UPDATE storefront_versions SET cancelled_at = $3 \
         WHERE store_id = $1 AND number = $2 AND cancelled_at IS NULL AND publish_at > $3",
    )
    .bind(store_id)
    .bind(i64::from(number))
    .bind(now)
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    let version = version(conn, store_id, number, now).await?;
    if !cancelled {
        return Err(refused_status(
            &version,
            "only a scheduled version can be cancelled",
        ));
    }
    // Seen as it was before the cancellation: overtaken versions are superseded, not scheduled.
    let schedule = Schedule::load(conn, store_id, now).await?;
    let mut before = schedule.clone();
    before
        .pending
        .push((number, version.publish_at.to_string()));
    match before.status(number, version.publish_at.as_str(), false) {
        StorefrontVersionStatus::Scheduled => Ok(version),
        status => Err(ApiError::conflict(
            format!(
                "version {number} is {}: only a scheduled version can be cancelled",
                status.as_str()
            ),
            status.as_str(),
        )),
    }
}

/// 409 `CONFLICT` naming the version's status.
pub fn refused_status(version: &StorefrontVersion, why: &str) -> ApiError {
    ApiError::conflict(
        format!(
            "version {} is {}: {why}",
            version.number,
            version.status.as_str()
        ),
        version.status.as_str(),
    )
}

/// The document shoppers see now, and until when that answer holds (the next publication, or
/// the next banner or announcement start or end).
pub async fn public_document(
    conn: &mut Conn,
    store: &Store,
) -> Result<(Storefront, Option<std::time::SystemTime>), ApiError> {
    let now = OffsetDateTime::now_utc();
    let (live, publication) = live_now(conn, store.id, now).await?;
    let document = live.unwrap_or_else(|| Storefront::from_branding(&store.name, &store.branding));
    let now_millis = unix_millis(now);
    let banner_change = document.next_change_after(now_millis);
    let until = system_time([publication, banner_change].into_iter().flatten().min());
    Ok((document.shown_at(now_millis), until))
}

/// The live version's theme, `None` for a store that never published (its storefronts keep the
/// store's branding colours), and until when that answer holds (the next publication).
pub async fn public_theme(
    conn: &mut Conn,
    store: &Store,
) -> Result<(Option<Theme>, Option<std::time::SystemTime>), ApiError> {
    let (live, publication) = live_now(conn, store.id, OffsetDateTime::now_utc()).await?;
    Ok((
        live.map(|document| document.theme),
        system_time(publication),
    ))
}

/// The live version's document at `now` (`None` before the first publication), and when the
/// next scheduled version replaces it (Unix milliseconds).
async fn live_now(
    conn: &mut Conn,
    store_id: Uuid,
    now: OffsetDateTime,
) -> Result<(Option<Storefront>, Option<i64>), ApiError> {
    let live = live_version(conn, store_id, now).await?;
    let schedule = Schedule::load(conn, store_id, now).await?;
    let publication = schedule
        .next_publication()
        .and_then(db::parse_timestamp)
        .map(unix_millis);
    Ok((live.map(|(_, document)| document), publication))
}

/// Unix milliseconds as a `SystemTime` (none before the epoch, which no answer ends at).
fn system_time(millis: Option<i64>) -> Option<std::time::SystemTime> {
    let millis = u64::try_from(millis?).ok()?;
    Some(std::time::UNIX_EPOCH + std::time::Duration::from_millis(millis))
}

/// The draft as shoppers would see it now, for the holder of a live preview token of the
/// store: 401 `UNAUTHORIZED` for an unknown token, 403 `FORBIDDEN` for an expired one.
pub async fn preview_document(
    conn: &mut Conn,
    store: &Store,
    token: &str,
) -> Result<Storefront, ApiError> {
    let row = crate::db::query(
        "SELECT expires_at FROM storefront_preview_tokens WHERE store_id = $1 AND token_hash = $2",
    )
    .bind(store.id)
    .bind(hash_token(token.trim()))
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| {
        ApiError::new(
            colmena_sdk::contract::ErrorCode::Unauthorized,
            "unknown preview token; make one with POST …/storefront/preview-token",
        )
    })?;
    let expires_at: OffsetDateTime = row.try_get("expires_at")?;
    let now = OffsetDateTime::now_utc();
    if expires_at <= now {
        return Err(ApiError::new(
            colmena_sdk::contract::ErrorCode::Forbidden,
            format!(
                "this preview token expired at {}; make a new one",
                db::timestamp_text(expires_at)
            ),
        ));
    }
    Ok(draft(conn, store)
        .await?
        .document
        .shown_at(unix_millis(now)))
}

/// A new preview token of the store, stored only hashed; returns it with its id (for the audit
/// log, which never holds the token).
pub async fn create_preview_token(
    conn: &mut Conn,
    store_id: Uuid,
) -> Result<(Uuid, PreviewToken), ApiError> {
    let id = Uuid::new_v4();
    let token = format!("{PREVIEW_PREFIX}{}", random_secret());
    let now = db::now();
    let expires_at = now + PREVIEW_TTL;
    crate::db::query(
        "INSERT INTO storefront_preview_tokens (id, store_id, token_hash, expires_at, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(store_id)
    .bind(hash_token(&token))
    .bind(expires_at)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    // Expired tokens of the store are of no use: they go as new ones come.
    crate::db::query(
        "DELETE FROM storefront_preview_tokens WHERE store_id = $1 AND expires_at <= $2",
    )
    .bind(store_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok((
        id,
        PreviewToken {
            token,
            expires_at: db::api_time(expires_at),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use StorefrontVersionStatus::*;

    fn schedule(live: Option<u32>, pending: &[(u32, &str)]) -> Schedule {
        Schedule {
            live,
            pending: pending
                .iter()
                .map(|(n, at)| (*n, (*at).to_owned()))
                .collect(),
        }
    }

    #[test]
    fn statuses_follow_numbers_and_times() {
        // v1 live, v2 superseded by it earlier, v3 due at 10:00, v4 due at 09:00 (overtakes v3),
        // v5 cancelled.
        let s = schedule(Some(2), &[(3, "10:00"), (4, "09:00")]);
        assert_eq!(s.status(1, "00:00", false), Superseded);
        assert_eq!(s.status(2, "01:00", false), Live);
        assert_eq!(s.status(3, "10:00", false), Superseded);
        assert_eq!(s.status(4, "09:00", false), Scheduled);
        assert_eq!(s.status(5, "11:00", true), Cancelled);
        assert_eq!(s.next_publication(), Some("09:00"));
        // A version due later than a live higher number never goes live.
        let s = schedule(Some(3), &[(2, "10:00")]);
        assert_eq!(s.status(2, "10:00", false), Superseded);
        assert_eq!(s.next_publication(), None);
        let s = schedule(None, &[(1, "10:00")]);
        assert_eq!(s.status(1, "10:00", false), Scheduled);
        assert_eq!(s.next_publication(), Some("10:00"));
    }

    #[test]
    fn api_times_are_read_at_millisecond_precision() {
        assert_eq!(
            stored_time(&"2025-03-01T13:00:00.5+01:00".into()).map(db::timestamp_text),
            Some("2025-03-01T12:00:00.500Z".to_owned())
        );
        assert_eq!(stored_time(&"soon".into()), None);
    }
}
