//! Stores: looking one up by its slug, and the browser origins it allows.

use colmena_sdk::contract::{Branding, Store};
use sqlx::Row;
use uuid::Uuid;

use crate::db::{uuid_column, Db};
use crate::http::ApiError;
use crate::urls::PublicUrls;
use crate::AppState;

/// The store with this slug, or 404 `STORE_NOT_FOUND`.
pub async fn load_store(state: &AppState, slug: &str) -> Result<Store, ApiError> {
    store_by_slug(&state.db, &state.urls, slug)
        .await?
        .ok_or_else(|| ApiError::store_not_found(slug))
}

/// The store with this slug.
pub async fn store_by_slug(
    db: &Db,
    urls: &PublicUrls,
    slug: &str,
) -> Result<Option<Store>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, slug, name, currency, locale, primary_color, accent_color, logo_path \
         FROM stores WHERE slug = $1",
    )
    .bind(slug)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|row| {
        let logo_path: Option<String> = row.try_get("logo_path")?;
        Ok(Store {
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
        })
    })
    .transpose()
}

/// Whether a browser page on `origin` may read the answers about the store with this slug.
///
/// True when the store lists the origin, and also when no such store exists: the answer is then
/// a `STORE_NOT_FOUND` error that reveals nothing, and the page should be able to show it.
pub async fn origin_allowed(db: &Db, store_slug: &str, origin: &str) -> Result<bool, sqlx::Error> {
    let row = sqlx::query(
        "SELECT \
           (SELECT COUNT(*) FROM stores WHERE slug = $1) AS stores, \
           (SELECT COUNT(*) FROM store_allowed_origins o JOIN stores s ON s.id = o.store_id \
             WHERE s.slug = $1 AND o.origin = $2) AS listed",
    )
    .bind(store_slug)
    .bind(origin)
    .fetch_one(&db.pool)
    .await?;
    let stores: i64 = row.try_get("stores")?;
    let listed: i64 = row.try_get("listed")?;
    Ok(stores == 0 || listed > 0)
}

/// The browser origins the store allows, sorted.
pub async fn allowed_origins(db: &Db, store_id: Uuid) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query("SELECT origin FROM store_allowed_origins WHERE store_id = $1 ORDER BY origin")
        .bind(store_id.to_string())
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|row| row.try_get("origin"))
        .collect()
}
