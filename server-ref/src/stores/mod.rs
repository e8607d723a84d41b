//! Stores: looking one up by its slug, whether it sells, the browser origins it allows, and
//! opening new ones (`provisioning`).

pub mod facts;
pub mod provisioning;

use colmena_sdk::contract::{Branding, ErrorCode, Store, StoreStatus};
use uuid::Uuid;

use crate::db::{self, uuid_column, Db};
use crate::http::ApiError;
use crate::urls::PublicUrls;
use crate::AppState;

/// The store with this slug, whatever its status (the admin API: staff of a suspended store
/// still sign in and read their data), or 404 `STORE_NOT_FOUND`.
pub async fn load_store(state: &AppState, slug: &str) -> Result<Store, ApiError> {
    Ok(found(slug, store_by_slug(&state.db, &state.urls, slug).await?)?.0)
}

/// The store with this slug for its public API: 404 `STORE_NOT_FOUND`, or 403
/// `STORE_SUSPENDED` when the platform operator suspended it.
pub async fn load_open_store(state: &AppState, slug: &str) -> Result<Store, ApiError> {
    Ok(open_store_facts(state, slug).await?.store.clone())
}

/// [`load_open_store`] with what public catalog reads need to know of the store besides.
pub async fn open_store_facts(
    state: &AppState,
    slug: &str,
) -> Result<std::sync::Arc<facts::StoreFacts>, ApiError> {
    let facts = facts::store_facts(state, slug).await?;
    match facts.status {
        StoreStatus::Active => Ok(facts),
        StoreStatus::Suspended => Err(ApiError::new(
            ErrorCode::StoreSuspended,
            format!("the store {slug:?} is suspended"),
        )),
    }
}

fn found<T>(slug: &str, store: Option<T>) -> Result<T, ApiError> {
    store.ok_or_else(|| ApiError::store_not_found(slug))
}

/// The store with this slug, and whether it sells.
pub async fn store_by_slug(
    db: &Db,
    urls: &PublicUrls,
    slug: &str,
) -> Result<Option<(Store, StoreStatus)>, sqlx::Error> {
    let row = crate::db::query(
        "SELECT id, slug, name, currency, locale, primary_color, accent_color, logo_path, status \
         FROM stores WHERE slug = $1",
    )
    .bind(slug)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|row| {
        let logo_path: Option<String> = row.try_get("logo_path")?;
        let status: String = row.try_get("status")?;
        let status = StoreStatus::parse(&status)
            .ok_or_else(|| db::decode_error("status", db::UnknownValue(status)))?;
        let store = Store {
            id: uuid_column(&row, "id")?,
            slug: row.try_get("slug")?,
            name: row.try_get("name")?,
            currency: row.try_get("currency")?,
            locale: row.try_get("locale")?,
            branding: Branding {
                primary_color: row.try_get("primary_color")?,
                accent_color: row.try_get("accent_color")?,
                logo_url: logo_path.map(|path: String| urls.absolute(&path)),
            },
        };
        Ok((store, status))
    })
    .transpose()
}

/// The browser origins the store allows, sorted.
pub async fn allowed_origins(db: &Db, store_id: Uuid) -> Result<Vec<String>, sqlx::Error> {
    crate::db::query("SELECT origin FROM store_allowed_origins WHERE store_id = $1 ORDER BY origin")
        .bind(store_id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|row| row.try_get("origin"))
        .collect()
}
