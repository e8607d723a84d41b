//! A transport of the user's own: the client hands it fully built requests.
#![allow(clippy::unwrap_used, missing_docs)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use colmena_sdk::transport::{HttpRequest, HttpResponse, Method, TransportError};
use colmena_sdk::{Client, ProductListQuery, ProductSort, RetryPolicy, Transport};

/// Records every request and answers each with the next canned response.
#[derive(Debug, Default)]
struct Recorder {
    requests: Mutex<Vec<HttpRequest>>,
    responses: Mutex<Vec<Result<HttpResponse, TransportError>>>,
    slept: Mutex<Vec<Duration>>,
}

#[async_trait::async_trait]
impl Transport for Recorder {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.requests.lock().unwrap().push(request);
        self.responses.lock().unwrap().remove(0)
    }

    async fn sleep(&self, duration: Duration) {
        self.slept.lock().unwrap().push(duration);
    }
}

const EMPTY_PAGE: &str = r#"{"success":true,"data":[],"pagination":{"total":0,"limit":5,"offset":10,"hasMore":false},"meta":{"requestId":"r","timestamp":"2026-01-01T00:00:00Z","version":"v1"}}"#;

fn ok(body: &str) -> Result<HttpResponse, TransportError> {
    Ok(HttpResponse {
        status: 200,
        headers: vec![],
        body: body.as_bytes().to_vec(),
    })
}

#[tokio::test]
async fn requests_are_built_and_encoded_by_the_client() {
    let recorder = Arc::new(Recorder::default());
    recorder.responses.lock().unwrap().push(ok(EMPTY_PAGE));
    let client = Client::with_transport(
        "https://shop.example/api-root/",
        "my store",
        recorder.clone(),
    )
    .unwrap();
    let page = client
        .list_products(&ProductListQuery {
            limit: Some(5),
            offset: Some(10),
            q: Some("épices & co/50%".into()),
            sort: Some(ProductSort::PriceDesc),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(page.items.is_empty());
    assert_eq!(page.pagination.offset, 10);

    let requests = recorder.requests.lock().unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method, Method::Get);
    assert_eq!(
        requests[0].url,
        "https://shop.example/api-root/api/v1/stores/my%20store/products\
         ?limit=5&offset=10&q=%C3%A9pices+%26+co%2F50%25&sort=-price"
    );
    assert_eq!(requests[0].header("accept"), Some("application/json"));
}

#[tokio::test]
async fn path_segments_cannot_escape_their_segment() {
    let recorder = Arc::new(Recorder::default());
    recorder
        .responses
        .lock()
        .unwrap()
        .push(ok(r#"{"success":false,"error":{"code":"NOT_FOUND","message":"no"},"meta":{"requestId":"r","timestamp":"2026-01-01T00:00:00Z","version":"v1"}}"#));
    let client = Client::with_transport("http://api.test", "demo", recorder.clone()).unwrap();
    let error = client.product("../../admin?x=1#y").await.unwrap_err();
    assert_eq!(error.code(), "NOT_FOUND");
    assert_eq!(
        recorder.requests.lock().unwrap()[0].url,
        "http://api.test/api/v1/stores/demo/products/..%2F..%2Fadmin%3Fx=1%23y"
    );
}

#[tokio::test]
async fn retries_sleep_on_the_transport_within_the_budget() {
    let recorder = Arc::new(Recorder::default());
    {
        let mut responses = recorder.responses.lock().unwrap();
        responses.push(Err(TransportError::Connect("refused".into())));
        responses.push(Ok(HttpResponse {
            status: 429,
            headers: vec![("retry-after".into(), "2".into())],
            body: vec![],
        }));
        responses.push(ok(EMPTY_PAGE));
    }
    let client = Client::with_transport("http://api.test", "demo", recorder.clone())
        .unwrap()
        .with_retry_policy(RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(5),
            max_total_delay: Duration::from_secs(10),
            attempt_timeout: Duration::from_secs(1),
        });
    client
        .list_products(&ProductListQuery::default())
        .await
        .unwrap();
    let requests = recorder.requests.lock().unwrap();
    assert_eq!(requests.len(), 3);
    assert!(requests.iter().all(|r| r.timeout == Duration::from_secs(1)));
    let slept = recorder.slept.lock().unwrap();
    assert_eq!(slept.len(), 2);
    assert!(slept[0] <= Duration::from_millis(100), "{:?}", slept[0]);
    assert!(
        slept[1] >= Duration::from_secs(2),
        "Retry-After honoured: {:?}",
        slept[1]
    );
}

const CART: &str = r#"{"success":true,"data":{"id":"6f1c2a56-3b8e-4c1e-9f4e-0a4f6f2b7c11","status":"open","currency":"EUR","items":[],"itemCount":0,"subtotal":{"amount":0,"currency":"EUR"},"total":{"amount":0,"currency":"EUR"},"totals":{"subtotal":{"amount":0,"currency":"EUR"},"discounts":[],"discountTotal":{"amount":0,"currency":"EUR"},"shipping":{"amount":0,"currency":"EUR"},"tax":{"amount":0,"currency":"EUR"},"taxIncluded":false,"total":{"amount":0,"currency":"EUR"}},"requiresShipping":false,"shippingOptions":[],"discountCodes":[],"createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z"},"meta":{"requestId":"r","timestamp":"2026-01-01T00:00:00Z","version":"v1"}}"#;

fn status(code: u16) -> Result<HttpResponse, TransportError> {
    Ok(HttpResponse {
        status: code,
        headers: vec![],
        body: vec![],
    })
}

#[tokio::test]
async fn every_mutation_carries_one_idempotency_key_and_one_request_id_across_its_retries() {
    let recorder = Arc::new(Recorder::default());
    recorder.responses.lock().unwrap().extend([
        Err(TransportError::Connect("reset".into())),
        status(503),
        ok(CART),
        ok(CART),
    ]);
    let client = Client::with_transport("http://api.test", "demo", recorder.clone()).unwrap();
    client.create_cart(&Default::default()).await.unwrap();
    client.create_cart(&Default::default()).await.unwrap();
    let requests = recorder.requests.lock().unwrap();
    assert_eq!(requests.len(), 4);
    let key = |i: usize| requests[i].header("idempotency-key").unwrap().to_owned();
    let id = |i: usize| requests[i].header("x-request-id").unwrap().to_owned();
    // The three attempts of the first call share their key and id…
    assert_eq!((key(0), id(0)), (key(1), id(1)));
    assert_eq!((key(1), id(1)), (key(2), id(2)));
    // …and the second call has its own: two carts, not one replayed.
    assert_ne!(key(2), key(3));
    assert_ne!(id(2), id(3));
    assert_eq!(key(0).len(), 36, "a random UUID");
    assert_eq!(requests[0].header("content-type"), Some("application/json"));
}

#[tokio::test]
async fn sign_in_carries_no_idempotency_key_and_is_never_retried() {
    let recorder = Arc::new(Recorder::default());
    recorder.responses.lock().unwrap().push(status(503));
    let client = Client::with_transport("http://api.test", "demo", recorder.clone()).unwrap();
    let error = colmena_sdk::AdminClient::login_with(client, "a@b.test", "pw")
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(503));
    let requests = recorder.requests.lock().unwrap();
    assert_eq!(
        requests.len(),
        1,
        "a POST without a key must not be repeated"
    );
    assert_eq!(requests[0].header("idempotency-key"), None);
}

#[tokio::test]
async fn a_publishable_key_is_sent_and_a_secret_key_refused() {
    let recorder = Arc::new(Recorder::default());
    recorder.responses.lock().unwrap().push(ok(EMPTY_PAGE));
    let client = Client::with_transport("http://api.test", "demo", recorder.clone()).unwrap();
    let error = client
        .clone()
        .with_publishable_key("sk_live_secret")
        .unwrap_err();
    assert_eq!(error.code(), "INVALID_REQUEST");
    let client = client.with_publishable_key("pk_abc").unwrap();
    client.list_products(&Default::default()).await.unwrap();
    assert_eq!(
        recorder.requests.lock().unwrap()[0].header("authorization"),
        Some("Bearer pk_abc")
    );
}
