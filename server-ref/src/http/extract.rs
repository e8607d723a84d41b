//! Extractors whose refusals are [`ApiError`]s in the envelope, not axum's plain text.

use axum::extract::{FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::Json;
use colmena_sdk::contract::{ErrorCode, InvalidParameter};
use serde::de::DeserializeOwned;

use super::error::ApiError;

/// Path parameters, with a malformed path answered as `VALIDATION_ERROR` rather than plain text.
pub struct PathParams<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for PathParams<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(params)| Self(params))
            .map_err(|rejection| {
                ApiError::invalid_parameter(InvalidParameter {
                    parameter: "path".into(),
                    value: parts.uri.path().to_owned(),
                    message: rejection.body_text(),
                })
            })
    }
}

/// Query parameters, with unknown or malformed ones answered as `VALIDATION_ERROR`.
pub struct QueryParams<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for QueryParams<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        serde_urlencoded::from_str(query)
            .map(Self)
            .map_err(|error| {
                ApiError::invalid_parameter(InvalidParameter {
                    parameter: "query".into(),
                    value: query.to_owned(),
                    message: error.to_string(),
                })
            })
    }
}

/// A JSON request body, with a missing or malformed body answered as `VALIDATION_ERROR` (400)
/// and a non-JSON content type as `UNSUPPORTED_MEDIA_TYPE` (415).
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> axum::extract::FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        use axum::extract::rejection::JsonRejection;
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(Self(value)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(ApiError::new(
                ErrorCode::UnsupportedMediaType,
                "the body must be JSON (content-type: application/json)",
            )),
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(ApiError::new(
                    ErrorCode::PayloadTooLarge,
                    "the body is larger than this route accepts",
                ))
            }
            Err(rejection) => Err(ApiError::invalid_parameter(InvalidParameter {
                parameter: refused_member(&rejection).unwrap_or_else(|| "body".into()),
                value: String::new(),
                message: rejection.body_text(),
            })),
        }
    }
}

/// The member of the body that did not fit its type (`publishAt`, `variants[0].price`), as
/// axum's JSON extractor found it with serde_path_to_error; `None` for a malformed document or
/// a failure of the body as a whole.
fn refused_member(rejection: &axum::extract::rejection::JsonRejection) -> Option<String> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(rejection);
    while let Some(error) = source {
        if let Some(found) = error.downcast_ref::<serde_path_to_error::Error<serde_json::Error>>() {
            let path = found.path().to_string();
            return (path != ".").then_some(path);
        }
        source = error.source();
    }
    None
}

/// An optional body: no body at all (no content type, nothing sent) is `None`.
impl<S: Send + Sync, T: DeserializeOwned> axum::extract::OptionalFromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Option<Self>, Self::Rejection> {
        let empty = !request.headers().contains_key(header::CONTENT_TYPE)
            && request
                .headers()
                .get(header::CONTENT_LENGTH)
                .is_none_or(|length| length == "0");
        if empty {
            return Ok(None);
        }
        <Self as axum::extract::FromRequest<S>>::from_request(request, state)
            .await
            .map(Some)
    }
}

/// The credential of an `Authorization: Bearer …` header, trimmed.
pub fn bearer_token(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
}
