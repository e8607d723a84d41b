//! Public media (product and storefront images) under `/media/…`: from the media directory
//! when files are on local disk, or read from the bucket and passed on when they are in object
//! storage, so every server answers for every image and the bucket stays private.

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use colmena_sdk::contract::ErrorCode;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::http::ApiError;
use crate::AppState;

/// Images are served as inert documents: an SVG opened on its own runs no script and loads
/// nothing.
const MEDIA_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

/// Uploaded images get a new key each time, so they may be cached for long.
const MEDIA_CACHE: &str = "public, max-age=86400";

/// The `/media` routes: `local_dir` is served from disk when given, otherwise each file is read
/// from the state's media store.
pub fn routes(local_dir: Option<std::path::PathBuf>) -> Router<AppState> {
    let router = match local_dir {
        Some(dir) => Router::new().nest_service("/media", ServeDir::new(dir)),
        None => Router::new().route("/media/{*key}", get(from_store)),
    };
    router.layer(SetResponseHeaderLayer::overriding(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(MEDIA_CSP),
    ))
}

async fn from_store(State(state): State<AppState>, Path(key): Path<String>) -> Response {
    match state.media.get(&key).await {
        Ok(Some(file)) => {
            let content_type = mime_guess::from_path(&key).first_or_octet_stream();
            (
                [
                    (header::CONTENT_TYPE, content_type.to_string()),
                    (header::CONTENT_LENGTH, file.len.to_string()),
                    (header::CACHE_CONTROL, MEDIA_CACHE.to_owned()),
                ],
                file.body,
            )
                .into_response()
        }
        // A key that could not exist (`..`, odd characters) is simply not there.
        Ok(None) | Err(crate::storage::StorageError::InvalidKey(_)) => {
            ApiError::not_found("media file", &key).into_response()
        }
        Err(error) => {
            tracing::warn!(%error, "cannot read a media file");
            ApiError::new(
                ErrorCode::ServiceUnavailable,
                "the media file is temporarily unavailable; retry later",
            )
            .with_retry_after(5)
            .into_response()
        }
    }
}
