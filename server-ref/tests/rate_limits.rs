//! Rate limits over real HTTP: per client and store, 429 `RATE_LIMITED` with `Retry-After`.
#![allow(clippy::unwrap_used, missing_docs)]

use std::path::Path;

use colmena_test_support::TestServer;
use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_colmena-server");

async fn status_of(url: String) -> (u16, Option<String>, Value) {
    let response = reqwest::get(url).await.unwrap();
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    (status, retry_after, response.json().await.unwrap())
}

#[tokio::test]
async fn the_public_api_is_limited_per_client_and_store() {
    let server = TestServer::start(Path::new(BIN), &["--rate-limit-public", "5"]);
    for _ in 0..5 {
        let (status, _, _) = status_of(server.url("/api/v1/stores/demo/products?limit=1")).await;
        assert_eq!(status, 200);
    }
    let (status, retry_after, body) = status_of(server.url("/api/v1/stores/demo")).await;
    assert_eq!(status, 429);
    assert_eq!(body["error"]["code"], "RATE_LIMITED");
    assert!(body["meta"]["requestId"].is_string());
    let seconds: u64 = retry_after.expect("Retry-After").parse().unwrap();
    assert!((1..=60).contains(&seconds), "{seconds}");

    // Another store has its own quota, and health or the API description are not limited.
    let (status, _, _) = status_of(server.url("/api/v1/stores/demo-b")).await;
    assert_eq!(status, 200);
    let (status, _, _) = status_of(server.url("/api/health")).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn sign_in_attempts_are_limited() {
    let server = TestServer::start(Path::new(BIN), &["--rate-limit-login", "3"]);
    let http = reqwest::Client::new();
    let attempt = |password: &'static str| {
        http.post(server.url("/api/v1/auth/login"))
            .json(&json!({"store": "demo", "email": "owner@demo.test", "password": password}))
            .send()
    };
    for _ in 0..3 {
        assert_eq!(attempt("guess").await.unwrap().status(), 401);
    }
    // Even the right password waits once the attempts are spent.
    let response = attempt("demo-password").await.unwrap();
    assert_eq!(response.status(), 429);
    assert!(response.headers().contains_key("retry-after"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "RATE_LIMITED");
}

#[tokio::test]
async fn a_zero_limit_turns_limiting_off() {
    let server = TestServer::start(Path::new(BIN), &["--rate-limit-public", "0"]);
    let http = reqwest::Client::new();
    for _ in 0..150 {
        let response = http
            .get(server.url("/api/v1/stores/demo/categories"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
    }
}
