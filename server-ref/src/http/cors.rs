//! Per-store CORS: each store lists the browser origins allowed to call its public API.
//!
//! A request from an origin the store does not list gets no `Access-Control-Allow-Origin`
//! header, so the browser refuses to hand the response to the page (and refuses preflights).
//! Widget files, images, the health check, the OpenAPI document and the countries' address
//! formats are open to every origin.

use std::time::Duration;

use axum::http::{header, HeaderName, HeaderValue, Method};
use tower_http::cors::{AllowOrigin, CorsLayer};

use super::canonical::public_store;
use crate::db::Db;
use crate::AppState;

/// Who may read a path from a browser on another origin.
#[derive(Debug, PartialEq, Eq)]
enum Audience<'a> {
    /// Public, credential-free resources any site may load: widget files, images, the health
    /// check, the OpenAPI document, and the address formats (no store in their path, so no
    /// store's list to consult; the widget's checkout builds its address form from them on
    /// every shop's site).
    Anyone,
    /// A store's public API: only the origins that store lists.
    StoreOrigins(&'a str),
    /// Everything else (the demo page, unknown paths): same-origin only.
    SameOrigin,
}

fn audience(path: &str) -> Audience<'_> {
    if let Some(slug) = public_store(path) {
        Audience::StoreOrigins(slug)
    } else if path.starts_with("/widget/")
        || path.starts_with("/media/")
        || path == "/api/health"
        || path == "/api/v1/openapi.json"
        || path.starts_with("/api/v1/address-formats/")
    {
        Audience::Anyone
    } else {
        Audience::SameOrigin
    }
}

/// The server's CORS layer. It wraps the whole router so that preflights are answered before
/// routing, whatever methods a route has.
pub fn layer(state: AppState) -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::async_predicate(
            move |origin: HeaderValue, parts: &axum::http::request::Parts| {
                let slug = match audience(parts.uri.path()) {
                    Audience::Anyone => Ok(true),
                    Audience::SameOrigin => Ok(false),
                    Audience::StoreOrigins(slug) => Err(slug.to_owned()),
                };
                let state = state.clone();
                async move {
                    let slug = match slug {
                        Ok(decided) => return decided,
                        Err(slug) => slug,
                    };
                    let Ok(origin) = origin.to_str() else {
                        return false;
                    };
                    origin_allowed(&state.db, &slug, origin)
                        .await
                        .unwrap_or_else(|error| {
                            tracing::warn!(%error, "CORS origin lookup failed; refusing");
                            false
                        })
                }
            },
        ))
        .allow_methods([Method::GET, Method::POST, Method::PATCH, Method::DELETE])
        .allow_headers([
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::AUTHORIZATION,
            HeaderName::from_static("idempotency-key"),
            HeaderName::from_static(super::ORDER_TOKEN_HEADER),
            HeaderName::from_static(super::PREVIEW_HEADER),
            HeaderName::from_static(crate::public::customer::CUSTOMER_TOKEN_HEADER),
            HeaderName::from_static("x-request-id"),
        ])
        .expose_headers([
            HeaderName::from_static("x-request-id"),
            HeaderName::from_static("idempotent-replayed"),
            header::RETRY_AFTER,
        ])
        .max_age(Duration::from_secs(600))
}

/// Whether a browser page on `origin` may read the answers about the store with this slug.
///
/// True when the store lists the origin, and also when no such store exists: the answer is then
/// a `STORE_NOT_FOUND` error that reveals nothing, and the page should be able to show it.
async fn origin_allowed(db: &Db, store_slug: &str, origin: &str) -> Result<bool, sqlx::Error> {
    let row = crate::db::query(
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

#[cfg(test)]
mod tests {
    use super::public_store as store_slug;

    #[test]
    fn slug_is_read_from_store_paths_only() {
        assert_eq!(store_slug("/api/v1/stores/demo/products"), Some("demo"));
        assert_eq!(store_slug("/api/v1/stores/demo"), Some("demo"));
        assert_eq!(store_slug("/api/v1/stores/"), None);
        assert_eq!(store_slug("/api/health"), None);
    }

    #[test]
    fn assets_are_public_and_pages_same_origin() {
        use super::{audience, Audience};
        assert_eq!(audience("/widget/colmena.js"), Audience::Anyone);
        assert_eq!(audience("/api/v1/address-formats/FR"), Audience::Anyone);
        assert_eq!(
            audience("/api/v1/stores/demo-b/categories"),
            Audience::StoreOrigins("demo-b")
        );
        assert_eq!(audience("/"), Audience::SameOrigin);
    }
}
