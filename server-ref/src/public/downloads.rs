//! Download links of paid digital items.

use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use colmena_sdk::contract::{ApiResponse, ErrorCode, NoData};
use uuid::Uuid;

use crate::http::{ApiError, PathParams};
use crate::{db, AppState};
use utoipa_axum::{router::OpenApiRouter, routes};

fn content_type(file_name: &str) -> &'static str {
    let extension = file_name
        .rsplit('.')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match extension.as_str() {
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        _ => "application/octet-stream",
    }
}

/// The download route (not store-scoped: the token names the store).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(download))
}

/// `attachment; filename="…"` with only characters that need no quoting rules.
fn attachment(file_name: &str) -> HeaderValue {
    let safe: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ') {
                c
            } else {
                '_'
            }
        })
        .collect();
    HeaderValue::from_str(&format!("attachment; filename=\"{safe}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

/// Streams the file of a paid digital item. Each call counts against the link's limit.
#[utoipa::path(get, path = "/api/v1/downloads/{token}", tag = "checkout",
    params(("token" = String, Path, description = "The token of an order's download link")),
    responses(
        (status = 200, description = "The file", content_type = "application/octet-stream"),
        (status = 404, description = "`NOT_FOUND`: no such download", body = ApiResponse<NoData>),
        (status = 410, description = "`DOWNLOAD_EXPIRED`: expired, used up or revoked", body = ApiResponse<NoData>),
    ))]
pub async fn download(
    State(state): State<AppState>,
    PathParams(token): PathParams<String>,
) -> Result<Response, ApiError> {
    let not_found = || ApiError::not_found("download", "link");
    let id = state
        .keys
        .capabilities
        .download_id(&token)
        .ok_or_else(not_found)?;
    let counted = crate::db::query(
        "UPDATE download_tokens SET download_count = download_count + 1 \
         WHERE id = $1 AND revoked_at IS NULL AND expires_at > $2 \
           AND download_count < max_downloads",
    )
    .bind(id)
    .bind(db::now())
    .execute(&state.db.writer)
    .await?
    .rows_affected();
    let row =
        crate::db::query("SELECT store_id, file_key, file_name FROM download_tokens WHERE id = $1")
            .bind(id)
            .fetch_optional(&state.db.pool)
            .await?
            .ok_or_else(not_found)?;
    if counted != 1 {
        return Err(ApiError::new(
            ErrorCode::DownloadExpired,
            "this download link has expired or was used up",
        ));
    }
    crate::db::query(
        "INSERT INTO download_events (id, store_id, token_id, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(Uuid::new_v4())
    .bind(row.try_get::<Uuid, _>("store_id")?)
    .bind(id)
    .bind(db::now())
    .execute(&state.db.writer)
    .await?;
    let file_key: String = row.try_get("file_key")?;
    let file_name: String = row.try_get("file_name")?;
    let file = match state.files.get(&file_key).await {
        Ok(Some(file)) => file,
        outcome => {
            if let Err(error) = outcome {
                tracing::error!(%error, %file_key, "cannot read a digital file");
            } else {
                tracing::error!(%file_key, "digital file missing from storage");
            }
            // The attempt did not deliver anything: give it back.
            crate::db::query(
                "UPDATE download_tokens SET download_count = download_count - 1 WHERE id = $1",
            )
            .bind(id)
            .execute(&state.db.writer)
            .await?;
            return Err(ApiError::new(
                ErrorCode::ServiceUnavailable,
                "the file is temporarily unavailable; retry later",
            )
            .with_retry_after(30));
        }
    };
    let mut response = file.body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(&file_name)),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(file.len));
    headers.insert(header::CONTENT_DISPOSITION, attachment(&file_name));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(response)
}
