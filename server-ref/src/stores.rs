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
