//! One spelling per path. The router percent-decodes path segments, but the rate limiter, CORS
//! and idempotency scopes read the raw path; if `/stores/%64emo` reached store `demo`, every
//! spelling of a slug would get its own quota and pass as an unknown store for CORS. So a path
//! that percent-encodes an unreserved character (RFC 3986 §2.3: letters, digits, `-._~`, which
//! never need it) is refused, and a store segment that is not a well-formed slug is
//! `STORE_NOT_FOUND` before any per-store decision is made: from here on, the raw store segment
//! *is* the store.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use colmena_sdk::contract::InvalidParameter;

use crate::http::ApiError;
use crate::slugs::valid_slug;

const PUBLIC_STORES: &str = "/api/v1/stores/";
const ADMIN_STORES: &str = "/api/v1/admin/stores/";

/// The segment after `prefix`, possibly empty.
fn segment_after<'a>(path: &'a str, prefix: &str) -> Option<&'a str> {
    path.strip_prefix(prefix)?.split('/').next()
}

/// The store segment of a store-scoped path, public (`/api/v1/stores/{store}/…`) or admin
/// (`/api/v1/admin/stores/{store}/…`), possibly empty.
pub fn store_segment(path: &str) -> Option<&str> {
    segment_after(path, PUBLIC_STORES).or_else(|| segment_after(path, ADMIN_STORES))
}

/// The store slug of a public store path (`/api/v1/stores/{store}/…`).
pub fn public_store(path: &str) -> Option<&str> {
    segment_after(path, PUBLIC_STORES).filter(|slug| !slug.is_empty())
}

/// The store slug of an admin store path (`/api/v1/admin/stores/{store}/…`).
pub fn admin_store(path: &str) -> Option<&str> {
    segment_after(path, ADMIN_STORES).filter(|slug| !slug.is_empty())
}

/// `path` with its needlessly encoded characters decoded, when it has any.
fn normalized(path: &str) -> Option<String> {
    if !path.contains('%') {
        return None; // the common case, without allocating
    }
    let bytes = path.as_bytes();
    let mut out = String::with_capacity(path.len());
    let mut changed = false;
    let mut i = 0;
    while i < bytes.len() {
        let decoded = (bytes[i] == b'%')
            .then(|| path.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok())
            .filter(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
        match decoded {
            Some(b) => {
                out.push(char::from(b));
                changed = true;
                i += 3;
            }
            None => {
                // Safe: `path` is valid UTF-8 and only ASCII `%XX` triples are replaced.
                let next = path[i..].chars().next().map_or(1, char::len_utf8);
                out.push_str(&path[i..i + next]);
                i += next;
            }
        }
    }
    changed.then_some(out)
}

/// Why a request's path or query is refused, if it is.
fn refusal(path: &str, query: &str) -> Option<ApiError> {
    let malformed = |parameter: &str, value: &str, message: String| {
        Some(ApiError::invalid_parameter(InvalidParameter {
            parameter: parameter.into(),
            value: value.to_owned(),
            message,
        }))
    };
    for (parameter, text) in [("path", path), ("query", query)] {
        if text.contains("%00") {
            return malformed(
                parameter,
                text,
                "must not contain NUL characters (%00)".into(),
            );
        }
    }
    if let Some(canonical) = normalized(path) {
        return malformed(
            "path",
            path,
            format!(
                "percent-encodes letters, digits or -._~, which never need it; request {canonical}"
            ),
        );
    }
    let slug = store_segment(path).filter(|slug| !valid_slug(slug))?;
    if slug.contains('%') {
        // Encoded bytes (invalid UTF-8, say) that no slug can hold: a malformed path.
        return malformed(
            "path",
            path,
            "a store slug is lower-case letters, digits and hyphens".into(),
        );
    }
    Some(ApiError::store_not_found(slug))
}

/// Middleware: refuses non-canonical paths (see the module documentation), and NUL characters
/// in the path or query, which no parameter may hold (PostgreSQL cannot store them in text).
pub async fn require_canonical_paths(request: Request, next: Next) -> Response {
    let uri = request.uri();
    match refusal(uri.path(), uri.query().unwrap_or_default()) {
        Some(error) => error.into_response(),
        None => next.run(request).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_paths_name_their_store() {
        assert_eq!(public_store("/api/v1/stores/demo/products"), Some("demo"));
        assert_eq!(public_store("/api/v1/stores/"), None);
        assert_eq!(admin_store("/api/v1/admin/stores/demo"), Some("demo"));
        assert_eq!(admin_store("/api/v1/stores/demo"), None);
        assert_eq!(
            store_segment("/api/v1/admin/stores/demo/orders"),
            Some("demo")
        );
        assert_eq!(store_segment("/api/health"), None);
    }

    #[test]
    fn needless_encodings_are_found_and_others_kept() {
        assert_eq!(normalized("/api/v1/stores/demo/products"), None);
        assert_eq!(
            normalized("/api/v1/stores/%64emo/products").as_deref(),
            Some("/api/v1/stores/demo/products")
        );
        assert_eq!(
            normalized("/api/v1/stores/de%2Dmo").as_deref(),
            Some("/api/v1/stores/de-mo")
        );
        // Reserved and non-ASCII characters need their encoding: left alone.
        assert_eq!(normalized("/media/a%20b%2F%C3%A9.png"), None);
        assert_eq!(normalized("/x/%zz/%4"), None);
    }

    #[test]
    fn store_segments_of_public_and_admin_paths() {
        assert_eq!(store_segment("/api/v1/stores/demo/products"), Some("demo"));
        assert_eq!(store_segment("/api/v1/admin/stores/demo-b"), Some("demo-b"));
        assert_eq!(store_segment("/api/v1/stores/"), Some(""));
        assert_eq!(store_segment("/api/health"), None);
    }
}
