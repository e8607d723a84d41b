//! The shared webhook signature vectors (generated independently, with Python's hmac).
#![allow(clippy::unwrap_used, missing_docs)]

use std::time::Duration;

use colmena_sdk::webhook;

#[derive(serde::Deserialize)]
struct Vectors {
    #[serde(rename = "toleranceSeconds")]
    tolerance_seconds: u64,
    cases: Vec<Case>,
}

#[derive(serde::Deserialize)]
struct Case {
    name: String,
    secret: String,
    body: String,
    header: String,
    now: i64,
    valid: bool,
    error: Option<String>,
}

#[test]
fn every_shared_vector_verifies_as_documented() {
    let text = include_str!("vectors/webhook-signatures.json");
    let vectors: Vectors = serde_json::from_str(text).unwrap();
    assert!(vectors.cases.len() >= 15);
    let tolerance = Duration::from_secs(vectors.tolerance_seconds);
    for case in &vectors.cases {
        let outcome = webhook::verify(
            &case.secret,
            &case.header,
            case.body.as_bytes(),
            case.now,
            tolerance,
        );
        assert_eq!(outcome.is_ok(), case.valid, "{}: {outcome:?}", case.name);
        assert_eq!(
            outcome.err().map(webhook::WebhookError::code),
            case.error.as_deref(),
            "{}",
            case.name
        );
    }
}

#[test]
fn signing_reproduces_the_vectors() {
    let vectors: Vectors =
        serde_json::from_str(include_str!("vectors/webhook-signatures.json")).unwrap();
    let first = &vectors.cases[0];
    let timestamp: i64 = first.header[2..12].parse().unwrap();
    assert_eq!(
        webhook::sign(&first.secret, timestamp, first.body.as_bytes()),
        first.header
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let fresh = webhook::sign("whsec_x", now, b"{}");
    assert_eq!(webhook::verify_now("whsec_x", &fresh, b"{}"), Ok(()));
}
