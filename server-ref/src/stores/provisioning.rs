//! Opening stores, and the platform operator's view of them: one code path for the
//! `colmena-server stores create` command and `POST /api/v1/platform/stores`.
//!
//! A store opens with its first owner, who either has a password (the command reads one from
//! stdin) or an invitation to choose one (`POST /api/v1/auth/accept-invite`).

use crate::db::{Conn, Row};
use colmena_sdk::contract::{
    valid_locale, validate_email, CreateStoreRequest, ErrorCode, Invitation, PlatformStore, Role,
    StorePlan, StoreStatus, StoreUser, LOCALE_RULE, MAX_NAME_LENGTH,
};
use uuid::Uuid;

use crate::auth::{check_password, hash_password, hash_token, random_secret, INVITATION_TTL};
use crate::db::{self, uuid_column, Db, UnknownValue};
use crate::http::ApiError;

/// Colours of a new store until its owner picks its own.
const DEFAULT_PRIMARY_COLOR: &str = "#1F2937";
const DEFAULT_ACCENT_COLOR: &str = "#2563EB";

/// How the first owner gets in.
#[derive(Debug)]
pub enum OwnerAccess {
    /// With this password (checked like any password).
    Password(String),
    /// With an invitation token, returned once.
    Invitation,
}

/// A store just opened, and its owner's invitation when the owner has no password yet.
#[derive(Debug)]
pub struct OpenedStore {
    /// The store.
    pub store: PlatformStore,
    /// The owner's invitation (for [`OwnerAccess::Invitation`]).
    pub invitation: Option<Invitation>,
}

/// Checks a request to open a store: the slug, name, currency, locale and owner email, each
/// refused with 400 `VALIDATION_ERROR` naming the field.
pub fn check_request(request: &CreateStoreRequest) -> Result<(), ApiError> {
    if let Some(problem) = colmena_sdk::contract::store_slug_problem(&request.slug) {
        return Err(ApiError::invalid_field("slug", problem));
    }
    let name = request.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_LENGTH {
        return Err(ApiError::invalid_field(
            "name",
            format_args!("must be 1 to {MAX_NAME_LENGTH} characters"),
        ));
    }
    if iso_currency::Currency::from_code(&request.currency).is_none() {
        return Err(ApiError::invalid_field(
            "currency",
            "is not an ISO 4217 currency code",
        ));
    }
    if !valid_locale(&request.locale) {
        return Err(ApiError::invalid_field("locale", LOCALE_RULE));
    }
    validate_email(&request.owner_email).map_err(|m| ApiError::invalid_field("ownerEmail", m))
}

/// Opens a store with its first owner, in one transaction. A slug already taken is 409
/// `CONFLICT`.
pub async fn open_store(
    db: &Db,
    request: &CreateStoreRequest,
    owner: OwnerAccess,
) -> Result<OpenedStore, ApiError> {
    check_request(request)?;
    let password_hash = match &owner {
        OwnerAccess::Password(password) => {
            check_password("password", password)?;
            Some(hash_password(password.clone()).await?)
        }
        OwnerAccess::Invitation => None,
    };
    let store_id = Uuid::new_v4();
    let owner_id = Uuid::new_v4();
    let now = db::now();
    let plan = request.plan.unwrap_or_default();
    let mut tx = db.begin_write().await?;
    let taken = crate::db::query("SELECT 1 FROM stores WHERE slug = $1")
        .bind(&request.slug)
        .fetch_optional(&mut *tx)
        .await?
        .is_some();
    if taken {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!("the slug {:?} is taken", request.slug),
        ));
    }
    crate::db::query(
        "INSERT INTO stores (id, slug, name, currency, locale, primary_color, accent_color, \
           created_at, status, plan) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'active', $9)",
    )
    .bind(store_id)
    .bind(&request.slug)
    .bind(request.name.trim())
    .bind(&request.currency)
    .bind(&request.locale)
    .bind(DEFAULT_PRIMARY_COLOR)
    .bind(DEFAULT_ACCENT_COLOR)
    .bind(now)
    .bind(plan.as_str())
    .execute(&mut *tx)
    .await?;
    let email = request.owner_email.trim().to_lowercase();
    let invitation = match password_hash {
        Some(hash) => {
            crate::db::query(
                "INSERT INTO store_users (id, store_id, email, password_hash, role, created_at) \
                 VALUES ($1, $2, $3, $4, 'owner', $5)",
            )
            .bind(owner_id)
            .bind(store_id)
            .bind(&email)
            .bind(hash)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            None
        }
        None => {
            let token = random_secret();
            let expires_at = db::now() + INVITATION_TTL;
            crate::db::query(
                "INSERT INTO store_users (id, store_id, email, password_hash, role, created_at, \
                   invitation_hash, invitation_expires_at) VALUES ($1, $2, $3, '', 'owner', $4, $5, $6)",
            )
            .bind(owner_id)
            .bind(store_id)
            .bind(&email)
            .bind(now)
            .bind(hash_token(&token))
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
            Some(Invitation {
                user: StoreUser {
                    id: owner_id,
                    email: email.clone(),
                    role: Role::Owner,
                    active: false,
                    created_at: db::api_time(now),
                },
                invitation_token: token,
                expires_at: db::api_time(expires_at),
            })
        }
    };
    let store = platform_store(&mut tx, store_id).await?;
    tx.commit().await?;
    Ok(OpenedStore { store, invitation })
}

const PLATFORM_COLUMNS: &str = "id, slug, name, currency, locale, status, plan, created_at";

fn platform_store_from_row(row: &Row) -> Result<PlatformStore, sqlx::Error> {
    let status: String = row.try_get("status")?;
    let plan: String = row.try_get("plan")?;
    Ok(PlatformStore {
        id: uuid_column(row, "id")?,
        slug: row.try_get("slug")?,
        name: row.try_get("name")?,
        currency: row.try_get("currency")?,
        locale: row.try_get("locale")?,
        status: StoreStatus::parse(&status)
            .ok_or_else(|| db::decode_error("status", UnknownValue(status)))?,
        plan: StorePlan::parse(&plan)
            .ok_or_else(|| db::decode_error("plan", UnknownValue(plan)))?,
        created_at: row.try_get::<String, _>("created_at")?.into(),
    })
}

async fn platform_store(conn: &mut Conn, store_id: Uuid) -> Result<PlatformStore, ApiError> {
    let row = crate::db::query(&format!(
        "SELECT {PLATFORM_COLUMNS} FROM stores WHERE id = $1"
    ))
    .bind(store_id)
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| ApiError::not_found("store", &store_id.to_string()))?;
    Ok(platform_store_from_row(&row)?)
}

/// One page of stores, oldest first, optionally only those in `status`; and how many match.
pub async fn list_stores(
    db: &Db,
    status: Option<StoreStatus>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<PlatformStore>, u64), ApiError> {
    let status = status.map(StoreStatus::as_str).unwrap_or_default();
    let filter = "WHERE ($1 = '' OR status = $1)";
    let total = db::total_column(
        &crate::db::query(&format!("SELECT COUNT(*) AS n FROM stores {filter}"))
            .bind(status)
            .fetch_one(&db.pool)
            .await?,
        "n",
    )?;
    let rows = crate::db::query(&format!(
        "SELECT {PLATFORM_COLUMNS} FROM stores {filter} ORDER BY created_at, id LIMIT $2 OFFSET $3"
    ))
    .bind(status)
    .bind(limit)
    .bind(offset)
    .fetch_all(&db.pool)
    .await?;
    let stores = rows
        .iter()
        .map(platform_store_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    Ok((stores, total))
}

/// The store with this slug as the platform operator sees it, or 404 `STORE_NOT_FOUND`.
pub async fn platform_store_by_slug(db: &Db, slug: &str) -> Result<PlatformStore, ApiError> {
    let row = crate::db::query(&format!(
        "SELECT {PLATFORM_COLUMNS} FROM stores WHERE slug = $1"
    ))
    .bind(slug)
    .fetch_optional(&db.pool)
    .await?
    .ok_or_else(|| ApiError::store_not_found(slug))?;
    Ok(platform_store_from_row(&row)?)
}

/// Suspends or reactivates the store with this slug; setting the status it has is no change.
pub async fn set_status(
    db: &Db,
    slug: &str,
    status: StoreStatus,
) -> Result<PlatformStore, ApiError> {
    // One statement: the store as it is after the change, or none when the slug is unknown.
    let row = crate::db::query(&format!(
        "UPDATE stores SET status = $1 WHERE slug = $2 RETURNING {PLATFORM_COLUMNS}"
    ))
    .bind(status.as_str())
    .bind(slug)
    .fetch_optional(&db.writer)
    .await?
    .ok_or_else(|| ApiError::store_not_found(slug))?;
    Ok(platform_store_from_row(&row)?)
}
