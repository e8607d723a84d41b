//! Buyers' access to their orders without passwords: a buyer asks for a link by email, the
//! server mails a one-time link that expires (only when that email has orders in the store or
//! is in one of its customer groups), and the link's token is exchanged once for a
//! short-lived session that reads the orders of that email in that store, with their download
//! links, and prices carts and the catalog with the buyer's customer groups' price lists.
//!
//! Tokens are 256-bit random secrets, kept only as SHA-256 hashes. The link's token travels in
//! the URL's fragment (never sent to a server, nor in a `Referer`), and opening the link does
//! not spend it: the page it opens exchanges it with a POST, so that mail scanners that fetch
//! links do not use it up.

use colmena_sdk::contract::{
    validate_email, CustomerSession, ErrorCode, Order, Store, MAX_EMAIL_LENGTH,
};
use uuid::Uuid;

use crate::auth::{hash_token, random_secret, unauthorized};
use crate::db::total_column;
use crate::db::Conn;
use crate::http::{ApiError, PageBounds};
use crate::mail::{self, LinkMessage};
use crate::{db, AppState};

use super::load_orders;

/// Links an email may have open at once; further requests within a link's lifetime send
/// nothing (and still answer 202), so the endpoint cannot flood someone's inbox.
const MAX_OPEN_LINKS: u64 = 3;

/// The page an access link opens (served by this server; storefronts may host their own, see
/// the README): the store and token in the fragment.
pub fn access_link(state: &AppState, store: &str, token: &str) -> String {
    let store: String = url::form_urlencoded::byte_serialize(store.as_bytes()).collect();
    state
        .urls
        .absolute(&format!("/orders#store={store}&token={token}"))
}

/// A token as it is kept: its hash, for one email in one store, until it expires.
struct KeptToken<'a> {
    hash: String,
    store_id: Uuid,
    email: &'a str,
    expires: time::OffsetDateTime,
    now: time::OffsetDateTime,
}

impl KeptToken<'_> {
    /// Writes it to `table` (`customer_access_links` or `customer_sessions`).
    async fn insert(&self, conn: &mut Conn, table: &'static str) -> Result<(), sqlx::Error> {
        crate::db::query(&format!(
            "INSERT INTO {table} (token_hash, store_id, email, expires_at, created_at) \
             VALUES ($1, $2, $3, $4, $5)"
        ))
        .bind(&self.hash)
        .bind(self.store_id)
        .bind(self.email)
        .bind(self.expires)
        .bind(self.now)
        .execute(conn)
        .await?;
        Ok(())
    }
}

/// The normalised email, or 400 naming `email`.
fn checked_email(email: &str) -> Result<String, ApiError> {
    let email = email.trim();
    if email.len() > MAX_EMAIL_LENGTH {
        return Err(ApiError::invalid_field("email", "is too long"));
    }
    validate_email(email).map_err(|m| ApiError::invalid_field("email", m))?;
    Ok(email.to_lowercase())
}

/// Emails `email` a one-time link to its orders in `store`, when it has any and has fewer than
/// [`MAX_OPEN_LINKS`] open links. Says nothing about which happened.
pub async fn request_link(
    state: &AppState,
    store: &Store,
    email: &str,
    locale: Option<&str>,
) -> Result<(), ApiError> {
    let email = checked_email(email)?;
    let now = db::now();
    let orders = total_column(
        &crate::db::query(
            "SELECT COUNT(*) AS n FROM orders WHERE store_id = $1 AND LOWER(customer_email) = $2",
        )
        .bind(store.id)
        .bind(&email)
        .fetch_one(&state.db.pool)
        .await?,
        "n",
    )?;
    // Members of a customer group sign in for their prices before their first order.
    if orders == 0
        && !crate::pricing::customer_groups::is_member(
            &mut *state.db.pool.acquire().await?,
            store.id,
            &email,
        )
        .await?
    {
        return Ok(());
    }
    let open = total_column(
        &crate::db::query(
            "SELECT COUNT(*) AS n FROM customer_access_links \
             WHERE store_id = $1 AND email = $2 AND used_at IS NULL AND expires_at > $3",
        )
        .bind(store.id)
        .bind(&email)
        .bind(now)
        .fetch_one(&state.db.pool)
        .await?,
        "n",
    )?;
    if open >= MAX_OPEN_LINKS {
        return Ok(());
    }
    let token = random_secret();
    let ttl = state.commerce.access_link_ttl;
    let expires = db::now() + ttl;
    let mut tx = state.db.begin_write().await?;
    let kept = KeptToken {
        hash: hash_token(&token),
        store_id: store.id,
        email: &email,
        expires,
        now,
    };
    kept.insert(&mut tx, "customer_access_links").await?;
    let link = access_link(state, &store.slug, &token);
    let minutes = ttl.as_secs().div_ceil(60).to_string();
    let message = LinkMessage {
        prefix: "access-link",
        args: &[("minutes", &minutes)],
        url: &link,
        unasked: true,
    };
    mail::enqueue_link_message(&mut tx, store.id, &email, locale, &message).await?;
    tx.commit().await?;
    Ok(())
}

/// Spends an access link's token (once) for a buyer session. An unknown token is 401
/// `UNAUTHORIZED`; a used or expired one is 410 `ACCESS_LINK_EXPIRED`.
pub async fn open_session(
    state: &AppState,
    store: &Store,
    token: &str,
) -> Result<CustomerSession, ApiError> {
    let token_hash = hash_token(token.trim());
    let now = db::now();
    let mut tx = state.db.begin_write().await?;
    // The conditional update is the claim: of two concurrent exchanges, one wins.
    let spent = crate::db::query(
        "UPDATE customer_access_links SET used_at = $1 \
         WHERE token_hash = $2 AND store_id = $3 AND used_at IS NULL AND expires_at > $1 \
         RETURNING email",
    )
    .bind(now)
    .bind(&token_hash)
    .bind(store.id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = spent else {
        drop(tx);
        let known = crate::db::query(
            "SELECT 1 AS found FROM customer_access_links WHERE token_hash = $1 AND store_id = $2",
        )
        .bind(&token_hash)
        .bind(store.id)
        .fetch_optional(&state.db.pool)
        .await?;
        return Err(match known {
            Some(_) => ApiError::new(
                ErrorCode::AccessLinkExpired,
                "this link was already used or has expired: ask for a new one",
            ),
            None => unauthorized("unknown access link"),
        });
    };
    let email: String = row.try_get("email")?;
    let session = random_secret();
    let expires = db::now() + state.commerce.customer_session_ttl;
    let kept = KeptToken {
        hash: hash_token(&session),
        store_id: store.id,
        email: &email,
        expires,
        now,
    };
    kept.insert(&mut tx, "customer_sessions").await?;
    tx.commit().await?;
    Ok(CustomerSession {
        token: session,
        email,
        expires_at: db::api_time(expires),
    })
}

/// The email of a live buyer session of `store`, or 401 `UNAUTHORIZED`.
pub async fn session_email(
    state: &AppState,
    store: &Store,
    token: &str,
) -> Result<String, ApiError> {
    let row = crate::db::query(
        "SELECT email FROM customer_sessions \
         WHERE token_hash = $1 AND store_id = $2 AND expires_at > $3",
    )
    .bind(hash_token(token.trim()))
    .bind(store.id)
    .bind(db::now())
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(|| unauthorized("unknown or expired customer session: open a new access link"))?;
    Ok(row.try_get("email")?)
}

/// One page of the orders of `email` in `store`, newest first, and how many there are.
pub(crate) async fn list_orders(
    state: &AppState,
    store: &Store,
    email: &str,
    bounds: PageBounds,
) -> Result<(Vec<Order>, u64), ApiError> {
    let filter = "WHERE store_id = $1 AND LOWER(customer_email) = $2";
    let total = total_column(
        &crate::db::query(&format!("SELECT COUNT(*) AS n FROM orders {filter}"))
            .bind(store.id)
            .bind(email)
            .fetch_one(&state.db.pool)
            .await?,
        "n",
    )?;
    let ids = crate::db::query(&format!(
        "SELECT id FROM orders {filter} ORDER BY created_at DESC, id LIMIT $3 OFFSET $4"
    ))
    .bind(store.id)
    .bind(email)
    .bind(bounds.sql_limit())
    .bind(bounds.sql_offset())
    .fetch_all(&state.db.pool)
    .await?;
    Ok((load_orders(state, store.id, &ids).await?, total))
}

/// Deletes ended buyer sessions, and access links a day after they expired (until then a late
/// click still gets the clearer `ACCESS_LINK_EXPIRED` rather than "unknown"). Returns how many.
pub async fn forget_expired(state: &AppState) -> Result<u64, ApiError> {
    let now = db::now();
    let sessions = crate::db::query("DELETE FROM customer_sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(&state.db.writer)
        .await?
        .rows_affected();
    let links = crate::db::query("DELETE FROM customer_access_links WHERE expires_at <= $1")
        .bind(now - time::Duration::DAY)
        .execute(&state.db.writer)
        .await?
        .rows_affected();
    Ok(sessions + links)
}
