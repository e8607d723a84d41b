//! Outbound partner webhooks over real HTTP: a receiver in the test records deliveries from the
//! real `colmena-server`, checks their signatures with the SDK's helper, and fails on purpose
//! to make the server retry.
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, StatusCode};
use colmena_sdk::contract::{StorefrontVersionStatus, WebhookEvent, WebhookEventType};
use colmena_sdk::webhook;
use colmena_test_support::{StartOptions, TestServer};
use common::{error_code, Api, BIN};
use serde_json::{json, Value};

/// One delivery as the receiver saw it.
#[derive(Debug, Clone)]
struct Received {
    /// Path and query: tells the endpoints apart.
    uri: String,
    signature: String,
    event_id: String,
    body: String,
}

/// A partner's endpoint: records every delivery; answers 500 to the first `fail_first`.
#[derive(Clone, Default)]
struct Receiver {
    received: Arc<Mutex<Vec<Received>>>,
    fail_first: Arc<Mutex<usize>>,
}

impl Receiver {
    async fn start(fail_first: usize, port: u16) -> (Self, String, tokio::task::JoinHandle<()>) {
        let receiver = Self {
            fail_first: Arc::new(Mutex::new(fail_first)),
            ..Self::default()
        };
        let state = receiver.clone();
        let app = axum::Router::new().route(
            "/hooks",
            axum::routing::post(
                move |uri: axum::http::Uri, headers: HeaderMap, body: String| {
                    let state = state.clone();
                    async move {
                        let header = |name: &str| {
                            headers
                                .get(name)
                                .and_then(|v| v.to_str().ok())
                                .unwrap_or_default()
                                .to_owned()
                        };
                        state.received.lock().unwrap().push(Received {
                            uri: uri.to_string(),
                            signature: header("colmena-signature"),
                            event_id: header("colmena-event-id"),
                            body,
                        });
                        let mut failing = state.fail_first.lock().unwrap();
                        if *failing > 0 {
                            *failing -= 1;
                            StatusCode::INTERNAL_SERVER_ERROR
                        } else {
                            StatusCode::NO_CONTENT
                        }
                    }
                },
            ),
        );
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .unwrap();
        let url = format!("http://{}/hooks", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        (receiver, url, task)
    }

    fn events(&self) -> Vec<(Received, WebhookEvent)> {
        self.received
            .lock()
            .unwrap()
            .iter()
            .map(|r| (r.clone(), serde_json::from_str(&r.body).unwrap()))
            .collect()
    }

    /// Waits until a delivery of every type in `types` was answered 2xx (at most 15 s).
    async fn wait_for(&self, types: &[WebhookEventType]) -> Vec<(Received, WebhookEvent)> {
        let started = Instant::now();
        loop {
            let events = self.events();
            let seen: Vec<_> = events.iter().map(|(_, e)| e.event_type).collect();
            if types.iter().all(|t| seen.contains(t)) {
                return events;
            }
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "waited for {types:?}, saw {seen:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

const FAST: &[&str] = &[
    "--webhook-allow-http",
    "--webhook-allow-private",
    "--webhook-retry-base-ms",
    "200",
    "--webhook-poll-ms",
    "50",
];

async fn register(owner: &Api<'_>, url: &str, events: Value) -> (String, String) {
    let (status, body) = owner
        .post(
            "/api/v1/admin/stores/demo/webhooks",
            json!({ "url": url, "events": events }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    (
        body["data"]["endpoint"]["id"].as_str().unwrap().to_owned(),
        body["data"]["secret"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn events_are_signed_retried_and_logged() {
    let server = TestServer::start_with(
        std::path::Path::new(BIN),
        &StartOptions {
            extra_args: FAST,
            ..StartOptions::default()
        },
    );
    let api = Api::new(&server);
    let owner = api.owner("demo").await;
    let (receiver, url, _task) = Receiver::start(1, 0).await;

    // Bad endpoints are refused with the field named.
    for (bad, events) in [
        ("ftp://partner.example/hooks", json!(["order.paid"])),
        (
            "https://user:pw@partner.example/hooks",
            json!(["order.paid"]),
        ),
        ("https://partner.example/hooks", json!([])),
    ] {
        let (status, body) = owner
            .post(
                "/api/v1/admin/stores/demo/webhooks",
                json!({ "url": bad, "events": events }),
            )
            .await;
        assert_eq!(
            (status, error_code(&body)),
            (400, "VALIDATION_ERROR"),
            "{bad}"
        );
    }
    let (status, _) = owner
        .post(
            "/api/v1/admin/stores/demo/webhooks",
            json!({ "url": url, "events": ["order.exploded"] }),
        )
        .await;
    assert_eq!(status, 400);

    let all = json!([
        "order.created",
        "order.paid",
        "order.refunded",
        "order.fulfilled",
        "download.created",
        "product.updated",
        "storefront.published"
    ]);
    let (endpoint, secret) = register(&owner, &url, all).await;
    // A second endpoint that only wants refunds.
    let (refunds_only, refunds_secret) = register(
        &owner,
        &format!("{url}?only=refunds"),
        json!(["order.refunded"]),
    )
    .await;
    assert_ne!(refunds_secret, secret);

    // A purchase of a digital product, paid, fulfilled and refunded; a product edit; and the
    // storefront published.
    let guide = api.variant("demo", "beekeeping-field-guide-pdf").await;
    let order = api.order("demo", &guide, 1, "ana@example.com", true).await;
    let order_id = order["id"].as_str().unwrap();
    let orders = "/api/v1/admin/stores/demo/orders";
    let (status, _) = owner
        .post(
            &format!("{orders}/{order_id}/status"),
            json!({ "status": "fulfilled" }),
        )
        .await;
    assert_eq!(status, 200);
    let (status, _) = owner
        .post(&format!("{orders}/{order_id}/refund"), json!({}))
        .await;
    assert_eq!(status, 200);
    let honey = api.product("demo", "wildflower-honey-500-g").await;
    let (status, _) = owner
        .patch(
            &format!(
                "/api/v1/admin/stores/demo/products/{}",
                honey["id"].as_str().unwrap()
            ),
            json!({ "featured": true }),
        )
        .await;
    assert_eq!(status, 200);

    let (status, _) = owner
        .post("/api/v1/admin/stores/demo/storefront/publish", json!({}))
        .await;
    assert_eq!(status, 201);

    let wanted = WebhookEventType::ALL;
    let events = receiver.wait_for(&wanted).await;
    for (received, event) in &events {
        // Every delivery verifies with its endpoint's secret, exactly as a partner checks it.
        let key = if received.uri.contains("only=refunds") {
            &refunds_secret
        } else {
            &secret
        };
        webhook::verify_now(key, &received.signature, received.body.as_bytes())
            .unwrap_or_else(|e| panic!("{e}: {}", received.signature));
        assert_eq!(received.event_id, event.id.to_string());
        assert_eq!(event.store, "demo");
        assert!(
            webhook::verify_now("whsec_wrong", &received.signature, received.body.as_bytes())
                .is_err()
        );
    }
    let of = |t: WebhookEventType| {
        events
            .iter()
            .find(|(_, e)| e.event_type == t)
            .unwrap()
            .1
            .clone()
    };
    assert_eq!(
        of(WebhookEventType::OrderPaid)
            .data
            .order
            .unwrap()
            .id
            .to_string(),
        order_id
    );
    let download = of(WebhookEventType::DownloadCreated);
    assert_eq!(download.data.order_id.unwrap().to_string(), order_id);
    assert!(download
        .data
        .download
        .unwrap()
        .url
        .contains("/api/v1/downloads/"));
    assert!(
        of(WebhookEventType::ProductUpdated)
            .data
            .product
            .unwrap()
            .featured
    );
    let published = of(WebhookEventType::StorefrontPublished)
        .data
        .storefront_version
        .unwrap();
    assert_eq!(
        (published.number, published.status),
        (1, StorefrontVersionStatus::Live)
    );
    // The refund went to both endpoints: the receiver saw it twice, with one event id.
    let refunds: Vec<_> = events
        .iter()
        .filter(|(_, e)| e.event_type == WebhookEventType::OrderRefunded)
        .map(|(_, e)| e.id)
        .collect();
    assert!(
        refunds.len() >= 2 && refunds.iter().all(|id| *id == refunds[0]),
        "{refunds:?}"
    );

    // The first delivery failed (500) and is retried after the backoff, with the same event id.
    let first = events[0].clone();
    let started = Instant::now();
    while receiver
        .events()
        .iter()
        .filter(|(r, _)| r.event_id == first.0.event_id)
        .count()
        < 2
    {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "no retry of {}",
            first.0.event_id
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The log shows the attempts with their status codes. The worker records the answer just
    // after the receiver has seen the request, so poll until it is written. The first request
    // may have gone to either endpoint (the worker delivers a batch of events in any order).
    let first_endpoint = if first.0.uri.contains("only=refunds") {
        &refunds_only
    } else {
        &endpoint
    };
    let retried = loop {
        let (_, log) = owner
            .get(&format!(
                "/api/v1/admin/stores/demo/webhooks/{first_endpoint}/deliveries?limit=100"
            ))
            .await;
        let deliveries = log["data"].as_array().unwrap();
        let retried = deliveries
            .iter()
            .find(|d| d["eventId"] == json!(first.0.event_id))
            .unwrap()
            .clone();
        if retried["status"] == "delivered" {
            break retried;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "retry of {} never recorded: {retried}",
            first.0.event_id
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(retried["attempts"], 2);
    let codes: Vec<_> = retried["log"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["statusCode"].clone())
        .collect();
    assert_eq!(codes, [json!(500), json!(204)]);
    let (_, log) = owner
        .get(&format!(
            "/api/v1/admin/stores/demo/webhooks/{endpoint}/deliveries?limit=100"
        ))
        .await;
    assert_eq!(log["data"].as_array().unwrap().len(), 7, "{log}");
    let (_, log) = owner
        .get(&format!(
            "/api/v1/admin/stores/demo/webhooks/{refunds_only}/deliveries"
        ))
        .await;
    assert_eq!(log["pagination"]["total"], 1);

    // Redelivery: the same event again, as a new delivery; the old one keeps its log.
    let deliveries = format!("/api/v1/admin/stores/demo/webhooks/{first_endpoint}/deliveries");
    let retried_id = retried["id"].as_str().unwrap();
    let seen_before = receiver
        .events()
        .iter()
        .filter(|(r, _)| r.event_id == first.0.event_id)
        .count();
    let (status, again) = owner
        .post(&format!("{deliveries}/{retried_id}/redeliver"), json!({}))
        .await;
    assert_eq!(status, 201, "{again}");
    assert_eq!(again["data"]["eventId"], json!(first.0.event_id));
    assert_eq!(again["data"]["status"], "pending");
    let started = Instant::now();
    while receiver
        .events()
        .iter()
        .filter(|(r, _)| r.event_id == first.0.event_id)
        .count()
        == seen_before
    {
        assert!(started.elapsed() < Duration::from_secs(10), "no redelivery");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (status, body) = owner
        .post(
            &format!("{deliveries}/{}/redeliver", uuid::Uuid::new_v4()),
            json!({}),
        )
        .await;
    assert_eq!((status, error_code(&body)), (404, "NOT_FOUND"));
    let (status, _) = api
        .owner("demo-b")
        .await
        .post(
            &format!(
                "/api/v1/admin/stores/demo-b/webhooks/{first_endpoint}/deliveries/{retried_id}/redeliver"
            ),
            json!({}),
        )
        .await;
    assert_eq!(status, 404);

    // Rotation: for a while deliveries carry a signature with each secret.
    let (status, rotated) = owner
        .post(
            &format!("/api/v1/admin/stores/demo/webhooks/{endpoint}/rotate-secret"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    let new_secret = rotated["data"]["secret"].as_str().unwrap().to_owned();
    assert_ne!(new_secret, secret);
    let before = receiver.events().len();
    let (status, _) = owner
        .patch(
            &format!(
                "/api/v1/admin/stores/demo/products/{}",
                honey["id"].as_str().unwrap()
            ),
            json!({ "featured": false }),
        )
        .await;
    assert_eq!(status, 200);
    let started = Instant::now();
    while receiver.events().len() == before {
        assert!(started.elapsed() < Duration::from_secs(10));
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (received, _) = receiver.events().pop().unwrap();
    assert_eq!(
        received.signature.matches("v1=").count(),
        2,
        "{}",
        received.signature
    );
    for key in [&secret, &new_secret] {
        webhook::verify_now(key, &received.signature, received.body.as_bytes()).unwrap();
    }

    // A paused endpoint gets nothing; another store's admin cannot see this one.
    let (status, _) = owner
        .patch(
            &format!("/api/v1/admin/stores/demo/webhooks/{endpoint}"),
            json!({ "active": false }),
        )
        .await;
    assert_eq!(status, 200);
    let other = api.owner("demo-b").await;
    let (status, _) = other
        .get(&format!(
            "/api/v1/admin/stores/demo-b/webhooks/{endpoint}/deliveries"
        ))
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn no_event_is_lost_when_the_server_stops_mid_delivery() {
    if colmena_test_support::postgres_base_url().is_some() {
        // The restart keeps the data directory; the PostgreSQL leg's databases are per start.
        return;
    }
    // A port where nothing listens yet: every delivery fails until the receiver starts.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/hooks");
    let data_dir = colmena_test_support::fresh_data_dir();
    let options = StartOptions {
        data_dir: Some(data_dir.clone()),
        extra_args: FAST,
        ..StartOptions::default()
    };
    let (order_id, secret) = {
        let server = TestServer::start_with(std::path::Path::new(BIN), &options);
        let api = Api::new(&server);
        let owner = api.owner("demo").await;
        let (_, secret) = register(&owner, &url, json!(["order.created", "order.paid"])).await;
        let honey = api.variant("demo", "wildflower-honey-500-g").await;
        let order = api.order("demo", &honey, 1, "ana@example.com", true).await;
        // Let the worker fail at least once, then stop the server mid-retry.
        tokio::time::sleep(Duration::from_millis(400)).await;
        (order["id"].as_str().unwrap().to_owned(), secret)
    };
    let (receiver, _, _task) = Receiver::start(0, port).await;
    let server = TestServer::start_with(std::path::Path::new(BIN), &options);
    let events = receiver
        .wait_for(&[WebhookEventType::OrderCreated, WebhookEventType::OrderPaid])
        .await;
    for (received, event) in &events {
        webhook::verify_now(&secret, &received.signature, received.body.as_bytes()).unwrap();
        let order = event.data.order.as_ref().unwrap();
        assert_eq!(order.id.to_string(), order_id);
    }
    drop(server);
    let _ = std::fs::remove_dir_all(data_dir);
}
