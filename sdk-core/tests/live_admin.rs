//! The admin client against a live `colmena-server`: sign-in, settings, automatic refresh.
#![allow(clippy::unwrap_used, missing_docs)]

use colmena_sdk::contract::TokenPair;
use colmena_sdk::{AdminClient, Client};
use colmena_test_support::TestServer;

#[tokio::test]
async fn signs_in_and_reads_the_settings() {
    let server = TestServer::start_default(&[]);
    let admin = AdminClient::login(&server.base_url, "demo", "owner@demo.test", "demo-password")
        .await
        .unwrap();
    let settings = admin.settings().await.unwrap();
    assert_eq!(settings.store.slug, "demo");
    assert!(settings.allowed_origins.contains(&server.base_url));

    let error = AdminClient::login(&server.base_url, "demo", "owner@demo.test", "wrong")
        .await
        .unwrap_err();
    assert_eq!(error.code(), "UNAUTHORIZED");
    assert_eq!(error.status(), Some(401));
}

#[tokio::test]
async fn an_expired_access_token_is_refreshed_once_even_under_concurrency() {
    let server = TestServer::start_default(&[]);
    let signed_in =
        AdminClient::login(&server.base_url, "demo", "owner@demo.test", "demo-password")
            .await
            .unwrap();
    let original = signed_in.tokens().await.unwrap();
    // Resume with an access token the server refuses, as an expired one would be.
    let stale = TokenPair {
        access_token: "expired.or.invalid".into(),
        ..original.clone()
    };
    let admin = AdminClient::from_tokens(Client::new(&server.base_url, "demo").unwrap(), stale);
    let calls: Vec<_> = (0..8)
        .map(|_| {
            let admin = admin.clone();
            tokio::spawn(async move { admin.settings().await })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap().unwrap().store.slug, "demo");
    }
    let renewed = admin.tokens().await.unwrap();
    assert_ne!(renewed.access_token, "expired.or.invalid");
    assert_ne!(renewed.refresh_token, original.refresh_token);
    // Had two calls spent the same refresh token, the server would have revoked the session.
    assert_eq!(admin.settings().await.unwrap().store.slug, "demo");
}

#[tokio::test]
async fn a_session_of_one_store_is_forbidden_in_another() {
    let server = TestServer::start_default(&[]);
    let demo = AdminClient::login(&server.base_url, "demo", "owner@demo.test", "demo-password")
        .await
        .unwrap();
    let elsewhere = AdminClient::from_tokens(
        Client::new(&server.base_url, "demo-b").unwrap(),
        demo.tokens().await.unwrap(),
    );
    let error = elsewhere.settings().await.unwrap_err();
    assert_eq!(error.code(), "FORBIDDEN");
    // 403 is final: the client did not burn the refresh token on it.
    assert_eq!(
        elsewhere.tokens().await.unwrap().refresh_token,
        demo.tokens().await.unwrap().refresh_token
    );
}
