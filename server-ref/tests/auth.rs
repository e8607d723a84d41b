//! Admin sign-in and access tokens over real HTTP, against the real `colmena-server` binary.
#![allow(clippy::unwrap_used, missing_docs)]

use std::path::Path;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use colmena_test_support::TestServer;
use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_colmena-server");
const SECRET: &str = "test-secret-that-is-long-enough-for-hs256";

fn server() -> TestServer {
    TestServer::start(Path::new(BIN), &["--jwt-secret", SECRET])
}

async fn post(server: &TestServer, path: &str, body: Value) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(server.url(path))
        .json(&body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

async fn admin_get(server: &TestServer, path: &str, token: &str) -> (u16, Value) {
    let response = reqwest::Client::new()
        .get(server.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

async fn login(server: &TestServer, store: &str, email: &str, password: &str) -> (u16, Value) {
    post(
        server,
        "/api/v1/auth/login",
        json!({"store": store, "email": email, "password": password}),
    )
    .await
}

fn claims_of(token: &str) -> Value {
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

fn sign(claims: &Value, secret: &str) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

#[tokio::test]
async fn the_owner_signs_in_and_reads_the_store_settings() {
    let server = server();
    let (status, body) = login(&server, "demo", "owner@demo.test", "demo-password").await;
    assert_eq!(status, 200, "{body}");
    let tokens = &body["data"];
    assert_eq!(tokens["tokenType"], "Bearer");
    assert_eq!(tokens["role"], "owner");
    assert_eq!(tokens["expiresIn"], 900);
    let access = tokens["accessToken"].as_str().unwrap();

    // Seed 004's claims: sub, storeId, role, permissions, exp, iat.
    let claims = claims_of(access);
    assert_eq!(claims["storeId"], tokens["storeId"]);
    assert_eq!(claims["role"], "owner");
    assert_eq!(
        claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap(),
        900
    );
    let permissions: Vec<&str> = claims["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert!(permissions.contains(&"users.manage"));
    assert!(permissions.contains(&"settings.write"));
    uuid::Uuid::parse_str(claims["sub"].as_str().unwrap()).unwrap();

    let (status, body) = admin_get(&server, "/api/v1/admin/stores/demo", access).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["store"]["slug"], "demo");
    assert!(body["data"]["allowedOrigins"]
        .as_array()
        .unwrap()
        .iter()
        .any(|o| o.as_str() == Some(server.base_url.as_str())));

    // Emails are case-insensitive.
    let (status, _) = login(&server, "demo", "OWNER@demo.test", "demo-password").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn wrong_credentials_get_one_answer_whatever_was_wrong() {
    let server = server();
    let attempts = [
        ("demo", "owner@demo.test", "wrong-password"),
        ("demo", "nobody@demo.test", "demo-password"),
        // A real owner, but of the other store.
        ("demo-b", "owner@demo.test", "demo-password"),
        ("no-such-store", "owner@demo.test", "demo-password"),
    ];
    let mut messages = Vec::new();
    for (store, email, password) in attempts {
        let (status, body) = login(&server, store, email, password).await;
        assert_eq!(status, 401, "{store} {email}");
        assert_eq!(body["error"]["code"], "UNAUTHORIZED");
        messages.push(body["error"]["message"].clone());
    }
    assert!(
        messages.windows(2).all(|w| w[0] == w[1]),
        "no hint which part was wrong"
    );
}

#[tokio::test]
async fn malformed_login_bodies_are_typed_errors() {
    let server = server();
    let http = reqwest::Client::new();
    let (status, body) = post(&server, "/api/v1/auth/login", json!({"store": "demo"})).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["code"], "VALIDATION_ERROR");
    assert_eq!(body["error"]["details"]["parameter"], "body");

    let response = http
        .post(server.url("/api/v1/auth/login"))
        .body("store=demo")
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 415);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "UNSUPPORTED_MEDIA_TYPE");

    let response = http
        .post(server.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn missing_expired_tampered_and_unsigned_tokens_are_refused() {
    let server = server();
    let (_, body) = login(&server, "demo", "owner@demo.test", "demo-password").await;
    let access = body["data"]["accessToken"].as_str().unwrap().to_owned();
    let claims = claims_of(&access);
    let path = "/api/v1/admin/stores/demo";

    let response = reqwest::get(server.url(path)).await.unwrap();
    assert_eq!(response.status(), 401, "no token");

    let mut expired = claims.clone();
    expired["iat"] = json!(1_000_000_000);
    expired["exp"] = json!(1_000_000_900);
    let forged_with_other_key = sign(&claims, "another-secret-that-is-also-long-enough");
    // Same header and signature, but the payload claims another role.
    let mut promoted = claims.clone();
    promoted["role"] = json!("owner");
    promoted["storeId"] = json!(uuid::Uuid::nil().to_string());
    let parts: Vec<&str> = access.split('.').collect();
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(promoted.to_string()),
        parts[2]
    );
    let unsigned = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#),
        parts[1]
    );
    for (what, token) in [
        ("expired", sign(&expired, SECRET)),
        ("signed with another key", forged_with_other_key),
        ("tampered payload", tampered),
        ("alg none", unsigned),
        ("garbage", "not-a-jwt".to_owned()),
    ] {
        let (status, body) = admin_get(&server, path, &token).await;
        assert_eq!(status, 401, "{what}");
        assert_eq!(body["error"]["code"], "UNAUTHORIZED", "{what}");
    }
    let (status, _) = admin_get(&server, path, &access).await;
    assert_eq!(status, 200, "the genuine token still works");
}

#[tokio::test]
async fn a_token_for_one_store_never_opens_another() {
    let server = server();
    let (_, body) = login(&server, "demo", "owner@demo.test", "demo-password").await;
    let demo_token = body["data"]["accessToken"].as_str().unwrap().to_owned();
    let (status, body) = admin_get(&server, "/api/v1/admin/stores/demo-b", &demo_token).await;
    assert_eq!(status, 403);
    assert_eq!(body["error"]["code"], "FORBIDDEN");

    let (_, body) = login(&server, "demo-b", "owner@demo-b.test", "demo-password").await;
    let demo_b_token = body["data"]["accessToken"].as_str().unwrap().to_owned();
    let (status, _) = admin_get(&server, "/api/v1/admin/stores/demo", &demo_b_token).await;
    assert_eq!(status, 403);
    let (status, body) = admin_get(&server, "/api/v1/admin/stores/demo-b", &demo_b_token).await;
    assert_eq!(status, 200);
    assert_eq!(body["data"]["store"]["currency"], "XOF");
}

#[tokio::test]
async fn refresh_tokens_rotate_and_a_replay_revokes_them_all() {
    let server = server();
    let (_, body) = login(&server, "demo", "owner@demo.test", "demo-password").await;
    let first = body["data"]["refreshToken"].as_str().unwrap().to_owned();

    let (status, body) = post(
        &server,
        "/api/v1/auth/refresh",
        json!({"refreshToken": first}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let second = body["data"]["refreshToken"].as_str().unwrap().to_owned();
    assert_ne!(first, second);
    let access = body["data"]["accessToken"].as_str().unwrap();
    let (status, _) = admin_get(&server, "/api/v1/admin/stores/demo", access).await;
    assert_eq!(status, 200);

    // Replaying the used token is refused, and revokes the new one as well.
    let (status, body) = post(
        &server,
        "/api/v1/auth/refresh",
        json!({"refreshToken": first}),
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(body["error"]["code"], "UNAUTHORIZED");
    let (status, _) = post(
        &server,
        "/api/v1/auth/refresh",
        json!({"refreshToken": second}),
    )
    .await;
    assert_eq!(status, 401);

    let (status, _) = post(
        &server,
        "/api/v1/auth/refresh",
        json!({"refreshToken": "made-up"}),
    )
    .await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn refresh_tokens_are_stored_hashed_and_survive_a_restart() {
    let data_dir = colmena_test_support::fresh_data_dir();
    let options = colmena_test_support::StartOptions {
        data_dir: Some(data_dir.clone()),
        ..Default::default()
    };
    // No --jwt-secret: the server generates one and keeps it in the database.
    let refresh = {
        let server = TestServer::start_with(Path::new(BIN), &options);
        let (_, body) = login(&server, "demo", "owner@demo.test", "demo-password").await;
        body["data"]["refreshToken"].as_str().unwrap().to_owned()
    };
    if colmena_test_support::database_engine() == "sqlite" {
        let raw = refresh.as_bytes();
        // Recent writes may still sit in the write-ahead log: check both files.
        for file in ["colmena.db", "colmena.db-wal"] {
            let bytes = std::fs::read(data_dir.join(file)).unwrap_or_default();
            assert!(
                !bytes.windows(raw.len()).any(|w| w == raw),
                "the refresh token must not be stored in clear ({file})"
            );
        }
    }
    let server = TestServer::start_with(Path::new(BIN), &options);
    let (status, body) = post(
        &server,
        "/api/v1/auth/refresh",
        json!({"refreshToken": refresh}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let access = body["data"]["accessToken"].as_str().unwrap();
    let (status, _) = admin_get(&server, "/api/v1/admin/stores/demo", access).await;
    assert_eq!(status, 200, "tokens stay valid across restarts");
    drop(server);
    let _ = std::fs::remove_dir_all(&data_dir);
}

async fn authorised_post(
    server: &TestServer,
    path: &str,
    token: &str,
    body: Value,
) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(server.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

/// The token of the last reset link the server "emailed" (logged) for `store`.
fn emailed_reset_token(server: &TestServer, store: &str) -> String {
    let prefix = format!("/admin/#reset-password?store={store}&token=");
    let line = server
        .output_line(&prefix, std::time::Duration::from_secs(5))
        .expect("the server logs the reset link it would email");
    assert!(
        line.contains(&server.url(&prefix)),
        "an absolute link: {line}"
    );
    let after = &line[line.find(&prefix).unwrap() + prefix.len()..];
    after
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

fn error_code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or_default()
}

fn parameter(body: &Value) -> &str {
    body["error"]["details"]["parameter"]
        .as_str()
        .unwrap_or_default()
}

#[tokio::test]
async fn a_forgotten_password_is_reset_by_the_emailed_link() {
    let server = server();
    let (_, before) = login(&server, "demo", "owner@demo.test", "demo-password").await;
    let old_refresh = before["data"]["refreshToken"].as_str().unwrap().to_owned();
    let old_access = before["data"]["accessToken"].as_str().unwrap().to_owned();

    // Known and unknown emails get the same answer: the endpoint reveals no accounts.
    let (status, unknown) = post(
        &server,
        "/api/v1/auth/password-reset",
        json!({"store": "demo", "email": "nobody@demo.test"}),
    )
    .await;
    assert_eq!(status, 202, "{unknown}");
    let (status, known) = post(
        &server,
        "/api/v1/auth/password-reset",
        json!({"store": "demo", "email": "Owner@demo.test"}),
    )
    .await;
    assert_eq!(status, 202, "{known}");
    assert_eq!(
        (&known["success"], &known["data"]),
        (&unknown["success"], &unknown["data"])
    );
    let token = emailed_reset_token(&server, "demo");
    assert!(token.len() >= 40, "a 256-bit token: {token}");

    let confirm = |password: &str| {
        post(
            &server,
            "/api/v1/auth/password-reset/confirm",
            json!({"token": token, "password": password}),
        )
    };
    let (status, body) = confirm("weak").await;
    assert_eq!((status, error_code(&body)), (400, "VALIDATION_ERROR"));
    assert_eq!(parameter(&body), "password");
    let (status, body) = confirm("New-password-1").await;
    assert_eq!(status, 200, "{body}");
    let fresh = body["data"]["accessToken"].as_str().unwrap();
    let (status, _) = admin_get(&server, "/api/v1/admin/stores/demo", fresh).await;
    assert_eq!(status, 200);

    // The link works once; the old password and every earlier session stop working.
    let (status, body) = confirm("Another-password-2").await;
    assert_eq!((status, error_code(&body)), (401, "UNAUTHORIZED"));
    assert_eq!(
        login(&server, "demo", "owner@demo.test", "demo-password")
            .await
            .0,
        401
    );
    assert_eq!(
        login(&server, "demo", "owner@demo.test", "New-password-1")
            .await
            .0,
        200
    );
    let (status, _) = admin_get(&server, "/api/v1/admin/stores/demo", &old_access).await;
    assert_eq!(status, 401);
    let (status, _) = post(
        &server,
        "/api/v1/auth/refresh",
        json!({"refreshToken": old_refresh}),
    )
    .await;
    assert_eq!(status, 401);

    // The reset is in the audit log.
    let (_, log) = admin_get(
        &server,
        "/api/v1/admin/stores/demo/audit-log?entityType=user",
        fresh,
    )
    .await;
    assert!(
        log["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|entry| entry["action"] == "reset_password"),
        "{log}"
    );
}

#[tokio::test]
async fn a_signed_in_user_changes_their_password() {
    let server = server();
    let (_, body) = login(&server, "demo", "owner@demo.test", "demo-password").await;
    let access = body["data"]["accessToken"].as_str().unwrap().to_owned();
    let path = "/api/v1/admin/stores/demo/account/password";
    let change = |current: &str, new: &str| {
        authorised_post(
            &server,
            path,
            &access,
            json!({"currentPassword": current, "newPassword": new}),
        )
    };

    let (status, body) = change("not-it", "Changed-password-1").await;
    assert_eq!((status, error_code(&body)), (400, "VALIDATION_ERROR"));
    assert_eq!(parameter(&body), "currentPassword");
    let (status, body) = change("demo-password", "short").await;
    assert_eq!((status, error_code(&body)), (400, "VALIDATION_ERROR"));
    assert_eq!(parameter(&body), "newPassword");

    let (status, body) = change("demo-password", "Changed-password-1").await;
    assert_eq!(status, 200, "{body}");
    let fresh = body["data"]["accessToken"].as_str().unwrap();
    let (status, _) = admin_get(&server, "/api/v1/admin/stores/demo", fresh).await;
    assert_eq!(status, 200);
    // The session that asked ends too: the answer's tokens are the ones to carry on with.
    let (status, _) = admin_get(&server, "/api/v1/admin/stores/demo", &access).await;
    assert_eq!(status, 401);
    assert_eq!(
        login(&server, "demo", "owner@demo.test", "Changed-password-1")
            .await
            .0,
        200
    );

    // Another store's path is refused with this store's token.
    let (status, _) = authorised_post(
        &server,
        "/api/v1/admin/stores/demo-b/account/password",
        fresh,
        json!({"currentPassword": "Changed-password-1", "newPassword": "Other-password-2"}),
    )
    .await;
    assert_eq!(status, 403);
}
