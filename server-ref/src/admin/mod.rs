//! The admin API (`/api/v1/admin/stores/{store}/…`): one store per credential, permissions by
//! role, and an audit log entry for every write, in the same transaction as the write.

pub mod analytics;
pub mod api_keys;
pub mod audit_log;
pub mod categories;
pub mod chat_channels;
pub mod conversations;
pub mod customer_groups;
pub mod discounts;
pub mod images;
pub mod orders;
pub mod passwords;
pub mod price_lists;
pub mod product_files;
pub mod product_types;
pub mod products;
pub mod settings;
pub mod shipping_zones;
pub mod sign_in;
pub mod storefront;
pub mod tax;
pub mod translations;
pub mod users;
pub mod variants;
pub mod webhooks;

use crate::db::Tx;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use colmena_sdk::contract::{ErrorCode, Permission, Store};
use time::OffsetDateTime;
use uuid::Uuid;

use utoipa_axum::router::OpenApiRouter;

use crate::audit::{self, Author, Entry};
use crate::auth::{Actor, ActorKind};
use crate::http::{bearer_token, ApiError};
use crate::stores::load_store;
use crate::{auth, AppState};

/// The admin API's routes: sign-in, and one router per resource of a store.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(sign_in::router())
        .merge(passwords::router())
        .merge(settings::router())
        .merge(products::router())
        .merge(variants::router())
        .merge(images::router())
        .merge(product_files::router())
        .merge(categories::router())
        .merge(product_types::router())
        .merge(translations::router())
        .merge(orders::router())
        .merge(analytics::router())
        .merge(users::router())
        .merge(api_keys::router())
        .merge(audit_log::router())
        .merge(webhooks::router())
        .merge(storefront::router())
        .merge(tax::router())
        .merge(shipping_zones::router())
        .merge(discounts::router())
        .merge(price_lists::router())
        .merge(customer_groups::router())
        .merge(chat_channels::router())
        .merge(conversations::router())
}

/// An admin request: the store in its path, and a caller allowed into that store.
#[derive(Debug, Clone)]
pub struct AdminContext {
    /// The store.
    pub store: Store,
    /// The caller.
    pub actor: Actor,
    /// The server's state, for [`commit`](Self::commit).
    state: AppState,
}

impl AdminContext {
    /// Refuses (403 `FORBIDDEN`) a caller whose role lacks `permission`.
    pub fn require(&self, permission: Permission) -> Result<(), ApiError> {
        if self.actor.role.permissions().contains(&permission) {
            Ok(())
        } else {
            Err(ApiError::new(
                ErrorCode::Forbidden,
                format!("the {} role may not do this", self.actor.role.as_str()),
            ))
        }
    }

    /// Ends an admin write: records `entry` in the audit log in the write's transaction,
    /// commits, and refreshes the public catalog cache when the entry changed what shoppers
    /// see. Values in the entry must never hold secrets.
    pub async fn commit(&self, mut tx: Tx, entry: Entry) -> Result<(), ApiError> {
        audit::record(
            &mut tx,
            self.store.id,
            Author::Credential(&self.actor),
            &entry,
        )
        .await?;
        tx.commit().await?;
        if entry.entity.shown_to_shoppers() {
            self.state.cache.invalidate();
        }
        Ok(())
    }
}

/// A console page that takes a one-time token (`reset-password`, `accept-invite`): the token
/// travels in the URL's fragment, which browsers never send to a server or put in a `Referer`.
pub(crate) fn console_link(state: &AppState, page: &str, store: &str, token: &str) -> String {
    let store: String = url::form_urlencoded::byte_serialize(store.as_bytes()).collect();
    state
        .urls
        .absolute(&format!("/admin/#{page}?store={store}&token={token}"))
}

fn unauthorized(message: &str) -> ApiError {
    ApiError::new(ErrorCode::Unauthorized, message)
}

/// The signed-in user behind a verified access token, with their current role: a removed user,
/// a changed role or a revoked session takes effect at once, not when the token expires.
async fn user_actor(state: &AppState, token: &str) -> Result<Actor, ApiError> {
    let claims = auth::verify_access_token(&state.keys, token)
        .ok_or_else(|| unauthorized("invalid or expired access token"))?;
    let parse =
        |text: &str| Uuid::parse_str(text).map_err(|_| unauthorized("invalid access token"));
    let (user_id, store_id) = (parse(&claims.sub)?, parse(&claims.store_id)?);
    let session_id = parse(&claims.sid)?;
    let row = crate::db::query(
        "SELECT u.email, u.role FROM store_users u \
         JOIN admin_sessions s ON s.id = $3 AND s.user_id = u.id AND s.store_id = u.store_id \
           AND s.revoked_at IS NULL \
         WHERE u.id = $1 AND u.store_id = $2 AND u.invitation_hash IS NULL",
    )
    .bind(user_id)
    .bind(store_id)
    .bind(session_id)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(|| unauthorized("this session has ended or the user no longer has access"))?;
    Ok(Actor {
        kind: ActorKind::User,
        id: user_id,
        label: row.try_get("email")?,
        store_id,
        role: auth::role_column(&row)?,
    })
}

impl FromRequestParts<AppState> for AdminContext {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token =
            bearer_token(&parts.headers).ok_or_else(|| unauthorized("missing bearer token"))?;
        let actor = if token.starts_with("sk_") {
            crate::auth_keys::secret_key_actor(state, token).await?
        } else if token.starts_with("pk_") {
            return Err(unauthorized(
                "publishable keys only work on the public API; use a secret key or sign in",
            ));
        } else {
            user_actor(state, token).await?
        };
        let slug = crate::http::canonical::admin_store(parts.uri.path()).unwrap_or_default();
        let store = load_store(state, slug).await?;
        if actor.store_id != store.id {
            return Err(ApiError::new(
                ErrorCode::Forbidden,
                "this credential is not valid for this store",
            ));
        }
        Ok(Self {
            store,
            actor,
            state: state.clone(),
        })
    }
}

/// A time bound of a query (`from`/`to`): RFC 3339, or a date meaning its midnight UTC.
pub(crate) fn time_bound(parameter: &str, text: &str) -> Result<time::OffsetDateTime, ApiError> {
    use time::format_description::well_known::Rfc3339;
    if let Ok(at) = time::OffsetDateTime::parse(text, &Rfc3339) {
        return Ok(at);
    }
    let date_format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text, &date_format)
        .map(|date| date.midnight().assume_utc())
        .map_err(|_| ApiError::invalid_field(parameter, "must be RFC 3339 or YYYY-MM-DD"))
}

/// The `[from, to)` range of a query; `None` bounds are open (years 1 and 9999, which both
/// engines store).
pub(crate) fn time_range(
    from: Option<&str>,
    to: Option<&str>,
) -> Result<(OffsetDateTime, OffsetDateTime), ApiError> {
    let from = from
        .map(|text| time_bound("from", text))
        .transpose()?
        .unwrap_or(time::macros::datetime!(0001-01-01 0:00 UTC));
    let to = to
        .map(|text| time_bound("to", text))
        .transpose()?
        .unwrap_or(time::macros::datetime!(9999-12-31 23:59:59.999 UTC));
    ordered_range(from, to)
}

/// `(from, to)` when `from` is before `to`; 400 naming `to` otherwise.
pub(crate) fn ordered_range(
    from: OffsetDateTime,
    to: OffsetDateTime,
) -> Result<(OffsetDateTime, OffsetDateTime), ApiError> {
    if from >= to {
        return Err(ApiError::invalid_field("to", "must be after from"));
    }
    Ok((from, to))
}
