//! What a live server cannot easily produce: 429 and 503 then success, timeouts, malformed
//! bodies, refused connections and an exhausted retry budget, with mockito and raw sockets.
#![allow(clippy::unwrap_used, missing_docs)]

use std::time::{Duration, Instant};

use colmena_sdk::contract::ErrorCode;
use colmena_sdk::{Client, Error, RetryPolicy};

const STORE_JSON: &str = r##"{"success":true,"data":{"id":"6f1c2a56-3b8e-4c1e-9f4e-0a4f6f2b7c11","slug":"demo","name":"Demo","currency":"EUR","locale":"es-ES","branding":{"primaryColor":"#b45309","accentColor":"#fbbf24"}},"meta":{"requestId":"r-ok","timestamp":"2026-11-21T00:00:00.000Z","version":"v1"}}"##;

fn envelope_error(code: &str) -> String {
    format!(
        r#"{{"success":false,"error":{{"code":"{code}","message":"try later"}},"meta":{{"requestId":"r-err","timestamp":"2026-11-21T00:00:00.000Z","version":"v1"}}}}"#
    )
}

/// Fast retries, so that the tests take milliseconds, not seconds.
fn quick_policy() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(100),
        max_total_delay: Duration::from_secs(5),
        attempt_timeout: Duration::from_secs(5),
    }
}

fn client(server: &mockito::ServerGuard) -> Client {
    Client::new(&server.url(), "demo")
        .unwrap()
        .with_retry_policy(quick_policy())
}

#[tokio::test]
async fn a_503_then_success_is_retried_transparently() {
    let mut server = mockito::Server::new_async().await;
    let unavailable = server
        .mock("GET", "/api/v1/stores/demo")
        .with_status(503)
        .with_body(envelope_error("SERVICE_UNAVAILABLE"))
        .expect(2)
        .create_async()
        .await;
    let ok = server
        .mock("GET", "/api/v1/stores/demo")
        .with_body(STORE_JSON)
        .expect(1)
        .create_async()
        .await;
    let store = client(&server).store().await.unwrap();
    assert_eq!(store.slug, "demo");
    unavailable.assert_async().await;
    ok.assert_async().await;
}

#[tokio::test]
async fn a_429_waits_for_retry_after_then_succeeds() {
    let mut server = mockito::Server::new_async().await;
    let limited = server
        .mock("GET", "/api/v1/stores/demo")
        .with_status(429)
        .with_header("retry-after", "1")
        .with_body(envelope_error("RATE_LIMITED"))
        .expect(1)
        .create_async()
        .await;
    let ok = server
        .mock("GET", "/api/v1/stores/demo")
        .with_body(STORE_JSON)
        .create_async()
        .await;
    let started = Instant::now();
    client(&server).store().await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After: 1 must be honoured, waited {:?}",
        started.elapsed()
    );
    limited.assert_async().await;
    ok.assert_async().await;
}

#[tokio::test]
async fn a_retry_after_beyond_the_budget_gives_up_with_the_rate_limit_error() {
    let mut server = mockito::Server::new_async().await;
    let limited = server
        .mock("GET", "/api/v1/stores/demo")
        .with_status(429)
        .with_header("retry-after", "3600")
        .with_body(envelope_error("RATE_LIMITED"))
        .expect(1)
        .create_async()
        .await;
    let started = Instant::now();
    let error = client(&server).store().await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    match &error {
        Error::RateLimited {
            retry_after,
            failure,
        } => {
            assert_eq!(*retry_after, Some(Duration::from_secs(3600)));
            assert_eq!(
                (failure.status, failure.code),
                (429, ErrorCode::RateLimited)
            );
            assert_eq!(failure.request_id, "r-err");
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    limited.assert_async().await;
}

#[tokio::test]
async fn persistent_502_stops_after_max_attempts() {
    let mut server = mockito::Server::new_async().await;
    let bad_gateway = server
        .mock("GET", "/api/v1/stores/demo")
        .with_status(502)
        .with_body("<html>bad gateway</html>")
        .expect(4)
        .create_async()
        .await;
    let error = client(&server).store().await.unwrap_err();
    // A proxy's HTML page is not the API's JSON: a decode error carrying the status.
    assert_eq!(error.code(), "DECODE_ERROR");
    assert_eq!(error.status(), Some(502));
    bad_gateway.assert_async().await;
}

#[tokio::test]
async fn a_malformed_body_is_a_decode_error_and_not_retried() {
    let mut server = mockito::Server::new_async().await;
    let garbage = server
        .mock("GET", "/api/v1/stores/demo")
        .with_header("x-request-id", "req-123")
        .with_body(r#"{"success":true,"data":{"slug":42}"#)
        .expect(1)
        .create_async()
        .await;
    let error = client(&server).store().await.unwrap_err();
    assert_eq!(error.code(), "DECODE_ERROR");
    assert_eq!(error.request_id(), Some("req-123"));
    garbage.assert_async().await;
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let mut server = mockito::Server::new_async().await;
    let not_found = server
        .mock("GET", "/api/v1/stores/demo")
        .with_status(404)
        .with_body(envelope_error("STORE_NOT_FOUND"))
        .expect(1)
        .create_async()
        .await;
    let error = client(&server).store().await.unwrap_err();
    assert_eq!(error.code(), "STORE_NOT_FOUND");
    not_found.assert_async().await;
}

#[tokio::test]
async fn a_silent_server_times_out_after_the_attempts() {
    // Accepts connections and never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            held.push(socket);
        }
    });
    let policy = RetryPolicy {
        max_attempts: 2,
        attempt_timeout: Duration::from_millis(300),
        ..quick_policy()
    };
    let client = Client::new(&format!("http://{addr}"), "demo")
        .unwrap()
        .with_retry_policy(policy);
    let started = Instant::now();
    let error = client.store().await.unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert_eq!(error.code(), "TIMEOUT");
    // The id the client sent, so that the server's logs can be searched for it.
    assert_eq!(error.request_id().map(str::len), Some(36));
    assert!(started.elapsed() >= Duration::from_millis(600));
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(accepted.load(std::sync::atomic::Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_refused_connection_is_a_network_error_after_retries() {
    // Bind and drop: nothing listens on this port any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::new(&format!("http://127.0.0.1:{port}"), "demo")
        .unwrap()
        .with_retry_policy(quick_policy());
    let error = client.store().await.unwrap_err();
    assert_eq!(error.code(), "NETWORK_ERROR");
    assert_eq!(error.status(), None);
    assert!(error.request_id().is_some());
    assert!(error.is_transient());
}

#[tokio::test]
async fn retries_can_be_disabled() {
    let mut server = mockito::Server::new_async().await;
    let unavailable = server
        .mock("GET", "/api/v1/stores/demo")
        .with_status(503)
        .with_body(envelope_error("SERVICE_UNAVAILABLE"))
        .expect(1)
        .create_async()
        .await;
    let error = Client::new(&server.url(), "demo")
        .unwrap()
        .with_retry_policy(RetryPolicy::never())
        .store()
        .await
        .unwrap_err();
    assert_eq!(error.code(), "SERVICE_UNAVAILABLE");
    unavailable.assert_async().await;
}

fn envelope_error_with(code: &str, details: &str) -> String {
    format!(
        r#"{{"success":false,"error":{{"code":"{code}","message":"refused","details":{details}}},"meta":{{"requestId":"r-{code}","timestamp":"2026-11-21T00:00:00.000Z","version":"v1"}}}}"#
    )
}

#[tokio::test]
async fn each_error_a_caller_acts_on_has_its_own_variant() {
    let variant = "7b7e1f0c-3a52-4c8e-9a61-0d2f4e5b6c7d";
    type Case = (u16, &'static str, String, fn(&Error) -> bool);
    let cases: Vec<Case> = vec![
        (
            400,
            "VALIDATION_ERROR",
            r#"{"parameter":"quantity"}"#.into(),
            |e| matches!(e, Error::Validation { field: Some(f), .. } if f == "quantity"),
        ),
        (401, "UNAUTHORIZED", "null".into(), |e| {
            matches!(e, Error::Unauthorized(_))
        }),
        (403, "FORBIDDEN", "null".into(), |e| {
            matches!(e, Error::Forbidden(_))
        }),
        (404, "NOT_FOUND", r#"{"resource":"cart"}"#.into(), |e| {
            matches!(e, Error::NotFound(_))
        }),
        (409, "CONFLICT", r#"{"status":"checked_out"}"#.into(), |e| {
            matches!(e, Error::Conflict(_))
        }),
        (
            409,
            "INSUFFICIENT_INVENTORY",
            format!(r#"{{"available":3,"variantId":"{variant}"}}"#),
            |e| {
                matches!(
                    e,
                    Error::InsufficientInventory {
                        available: 3,
                        variant_id: Some(_),
                        ..
                    }
                )
            },
        ),
        (
            409,
            "PRICE_CHANGED",
            r#"{"currentTotal":{"amount":2780,"currency":"EUR"}}"#.into(),
            |e| matches!(e, Error::PriceChanged { current_total: Some(t), .. } if t.amount == 2780),
        ),
        (410, "DOWNLOAD_EXPIRED", "null".into(), |e| {
            matches!(e, Error::Api(_))
        }),
        (422, "IDEMPOTENCY_KEY_REUSED", "null".into(), |e| {
            matches!(e, Error::Api(_))
        }),
        (500, "INTERNAL_ERROR", "null".into(), |e| {
            matches!(e, Error::Server(_))
        }),
        (
            418,
            "SOMETHING_NEWER",
            "null".into(),
            |e| matches!(e, Error::Api(f) if f.code == ErrorCode::Unknown),
        ),
    ];
    for (status, code, details, is_expected) in cases {
        let mut server = mockito::Server::new_async().await;
        let mock = server
            .mock("GET", "/api/v1/stores/demo")
            .with_status(usize::from(status))
            .with_body(envelope_error_with(code, &details))
            .expect(1)
            .create_async()
            .await;
        let error = client(&server).store().await.unwrap_err();
        assert!(is_expected(&error), "{code}: {error:?}");
        assert_eq!(error.status(), Some(status));
        assert_eq!(error.request_id(), Some(format!("r-{code}").as_str()));
        if code != "SOMETHING_NEWER" {
            assert_eq!(error.code(), code);
        }
        mock.assert_async().await;
    }
}

#[tokio::test]
async fn a_mutation_is_retried_after_503_429_and_an_unfinished_earlier_attempt_with_its_key() {
    let mut server = mockito::Server::new_async().await;
    let cart = "6f1c2a56-3b8e-4c1e-9f4e-0a4f6f2b7c11";
    let path = format!("/api/v1/stores/demo/carts/{cart}/items");
    let unavailable = server
        .mock("POST", path.as_str())
        .match_header(
            "idempotency-key",
            mockito::Matcher::Regex("^[0-9a-f-]{36}$".into()),
        )
        .with_status(503)
        .with_body(envelope_error("SERVICE_UNAVAILABLE"))
        .expect(1)
        .create_async()
        .await;
    let limited = server
        .mock("POST", path.as_str())
        .with_status(429)
        .with_header("retry-after", "0")
        .with_body(envelope_error("RATE_LIMITED"))
        .expect(1)
        .create_async()
        .await;
    // The server still holds the key for an attempt that may have died with it.
    let still_running = server
        .mock("POST", path.as_str())
        .with_status(409)
        .with_header("retry-after", "0")
        .with_body(envelope_error("CONFLICT"))
        .expect(1)
        .create_async()
        .await;
    let body = format!(
        r#"{{"success":true,"data":{{"id":"{cart}","status":"open","currency":"EUR","items":[],"itemCount":0,"subtotal":{{"amount":0,"currency":"EUR"}},"total":{{"amount":0,"currency":"EUR"}},"totals":{{"subtotal":{{"amount":0,"currency":"EUR"}},"discounts":[],"discountTotal":{{"amount":0,"currency":"EUR"}},"shipping":{{"amount":0,"currency":"EUR"}},"tax":{{"amount":0,"currency":"EUR"}},"taxIncluded":false,"total":{{"amount":0,"currency":"EUR"}}}},"requiresShipping":false,"shippingOptions":[],"discountCodes":[],"createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z"}},"meta":{{"requestId":"r","timestamp":"2026-01-01T00:00:00Z","version":"v1"}}}}"#
    );
    let created = server
        .mock("POST", path.as_str())
        .with_body(body)
        .expect(1)
        .create_async()
        .await;
    let item = colmena_sdk::contract::AddCartItemRequest {
        variant_id: Some(uuid::Uuid::new_v4()),
        product_id: None,
        quantity: 1,
    };
    let cart = client(&server)
        .add_to_cart(cart.parse().unwrap(), &item)
        .await
        .unwrap();
    assert_eq!(cart.item_count, 0);
    unavailable.assert_async().await;
    limited.assert_async().await;
    still_running.assert_async().await;
    created.assert_async().await;
}
