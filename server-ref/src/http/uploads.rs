//! Uploaded files: the raw body of an upload, checked against its declared type (signature
//! and, for images, a full decode), and what a storage failure answers.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::{header, HeaderMap, StatusCode};
use colmena_sdk::contract::ErrorCode;

use crate::http::ApiError;

/// Whether `bytes` really are of `content_type` (by their signature), so that a script cannot
/// be uploaded labelled as an image.
pub(crate) fn content_matches(content_type: &str, bytes: &[u8]) -> bool {
    match content_type {
        "image/png" => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "image/jpeg" => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
        "image/webp" => bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP",
        "application/pdf" => bytes.starts_with(b"%PDF-"),
        "application/zip" => bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06"),
        "text/plain" => std::str::from_utf8(bytes).is_ok_and(|text| !text.contains('\0')),
        _ => false,
    }
}

pub(crate) fn extension(content_type: &str) -> &'static str {
    match content_type {
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/webp" => "webp",
        "application/pdf" => "pdf",
        "application/zip" => "zip",
        _ => "txt",
    }
}

/// The body of an upload of one of `accepted` types, checked for size, type and content.
pub(crate) fn upload_body<'a>(
    headers: &'a HeaderMap,
    body: Result<Bytes, BytesRejection>,
    accepted: &[&str],
) -> Result<(&'a str, Bytes), ApiError> {
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(ErrorCode::PayloadTooLarge, "files are limited to 10 MB")
        } else {
            ApiError::invalid_field("body", rejection.body_text())
        }
    })?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(|value| value.split(';').next().unwrap_or_default().trim())
        .unwrap_or_default();
    if !accepted.contains(&content_type) {
        return Err(ApiError::new(
            ErrorCode::UnsupportedMediaType,
            format!("content-type must be one of {}", accepted.join(", ")),
        ));
    }
    if body.is_empty() {
        return Err(ApiError::invalid_field("body", "is empty"));
    }
    if !content_matches(content_type, &body) {
        return Err(ApiError::new(
            ErrorCode::UnsupportedMediaType,
            format!("the content is not {content_type}"),
        ));
    }
    Ok((content_type, body))
}

/// Largest width and height of an uploaded image, in pixels: a small file may declare a huge
/// image (a decompression bomb), so decoding stops at this size.
pub const MAX_IMAGE_SIDE: u32 = 8192;

/// Decodes the whole image as its declared type: a file that only starts like an image (a
/// polyglot, a truncated or corrupt file) is refused with 415, one too large with 413.
pub(crate) async fn check_image_decodes(content_type: &str, bytes: &Bytes) -> Result<(), ApiError> {
    let format = match content_type {
        "image/png" => image::ImageFormat::Png,
        "image/jpeg" => image::ImageFormat::Jpeg,
        _ => image::ImageFormat::WebP,
    };
    let bytes = bytes.clone();
    let decoded = tokio::task::spawn_blocking(move || {
        let mut limits = image::Limits::default();
        limits.max_image_width = Some(MAX_IMAGE_SIDE);
        limits.max_image_height = Some(MAX_IMAGE_SIDE);
        limits.max_alloc = Some(u64::from(MAX_IMAGE_SIDE).pow(2) * 4 + (16 << 20));
        let mut reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), format);
        reader.limits(limits);
        reader.decode().map(drop)
    })
    .await
    .map_err(ApiError::internal)?;
    match decoded {
        Ok(()) => Ok(()),
        Err(image::ImageError::Limits(_)) => Err(ApiError::new(
            ErrorCode::PayloadTooLarge,
            format!("images are limited to {MAX_IMAGE_SIDE}×{MAX_IMAGE_SIDE} pixels"),
        )),
        Err(error) => Err(ApiError::new(
            ErrorCode::UnsupportedMediaType,
            format!("the content is not a valid {content_type} image: {error}"),
        )),
    }
}

/// The raw bytes of an uploaded file, as the OpenAPI document describes them (handlers read
/// the body as `Bytes`; this type exists for the schema only).
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)]
pub struct FileBytes(Vec<u8>);

pub(crate) fn storage_error(error: crate::storage::StorageError) -> ApiError {
    tracing::error!(%error, "file storage failed");
    ApiError::new(
        ErrorCode::ServiceUnavailable,
        "file storage is unavailable; retry later",
    )
    .with_retry_after(30)
}
