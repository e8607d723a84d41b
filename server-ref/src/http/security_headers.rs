//! Security headers: a content security policy for the server's own pages (the demo page, the
//! hosted checkout, the buyer's orders page and the console), and HSTS when the server is
//! reached over HTTPS.

use axum::http::{header, HeaderValue};
use tower_http::set_header::SetResponseHeaderLayer;

/// The policy of the server's own pages: scripts, styles and connections from the server only
/// (its public origin, should a proxy serve it under another name); WebAssembly allowed; never
/// framed; no plugins; forms post only to the server. Inline scripts and styles stay allowed:
/// the pages and the console's loader carry small ones.
pub fn page_policy(public_origin: &str) -> SetResponseHeaderLayer<HeaderValue> {
    let sources = format!("'self' {public_origin}");
    let policy = format!(
        "default-src {sources}; script-src {sources} 'unsafe-inline' 'wasm-unsafe-eval'; \
         style-src {sources} 'unsafe-inline'; img-src {sources} data: blob:; \
         connect-src {sources}; frame-ancestors 'none'; base-uri 'none'; object-src 'none'; \
         form-action {sources}"
    );
    SetResponseHeaderLayer::overriding(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_str(&policy)
            .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'")),
    )
}

/// `Referrer-Policy` of the pages: links in an order page carry tokens in their fragments
/// only, but nothing of a page's address needs to leave it.
pub fn page_referrer_policy() -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::overriding(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    )
}

/// HSTS for two years, when the public URL is `https://…` (browsers ignore it over plain HTTP,
/// and sending it there would only mislead).
pub fn strict_transport(public_origin: &str) -> Option<SetResponseHeaderLayer<HeaderValue>> {
    public_origin.starts_with("https://").then(|| {
        SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        )
    })
}
