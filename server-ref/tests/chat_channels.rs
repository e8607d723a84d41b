//! Chat channels over real HTTP: each store's WhatsApp (Cloud API) and Twilio settings in the
//! admin API, secrets never shown or kept in the clear; the providers' webhooks, refused unless
//! signed with the secret of the store whose number they are addressed to (the two demo stores
//! keep each other out); and replies sent from the outbox through mocks of Meta's Graph API and
//! Twilio's REST API, with retries.
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use colmena_server::db;
use colmena_test_support::TestServer;
use common::{error_code, pool, server, Api};
use hmac::{Hmac, Mac};
use mockito::Matcher;
use reqwest::Method;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use uuid::Uuid;

const CHANNELS: &str = "/api/v1/admin/stores/{store}/chat/channels";
const WHATSAPP_HOOK: &str = "/api/v1/chat/whatsapp/webhook";
const TWILIO_HOOK: &str = "/api/v1/chat/twilio/webhook";

/// Each demo store's WhatsApp and Twilio settings: (store, phone number id, verify token, app
/// secret, access token, Twilio sender, auth token).
struct Demo {
    store: &'static str,
    number_id: &'static str,
    verify_token: &'static str,
    app_secret: &'static str,
    access_token: &'static str,
    sender: &'static str,
    auth_token: &'static str,
}

const A: Demo = Demo {
    store: "demo",
    number_id: "100200300400500",
    verify_token: "verify-token-of-demo",
    app_secret: "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
    access_token: "EAAGdemoAccessTokenForTheGraphApi",
    sender: "whatsapp:+14155238886",
    auth_token: "aaaabbbbccccddddeeeeffff00001111",
};

const B: Demo = Demo {
    store: "demo-b",
    number_id: "900800700600500",
    verify_token: "verify-token-of-demo-b",
    app_secret: "ffeeddccbbaa99887766554433221100",
    access_token: "EAAGdemoBAccessTokenForTheGraphApi",
    sender: "whatsapp:+221770000001",
    auth_token: "22223333444455556666777788889999",
};

const ACCOUNT_SID: &str = "AC0123456789abcdef0123456789abcdef";

fn channels_path(store: &str, rest: &str) -> String {
    format!("{}{rest}", CHANNELS.replace("{store}", store))
}

async fn put(api: &Api<'_>, path: &str, body: Value) -> (u16, Value) {
    api.call(Method::PUT, path, Some(body)).await
}

/// Connects `demo`'s WhatsApp number and Twilio sender, as its owner.
async fn connect(owner: &Api<'_>, demo: &Demo) {
    let (status, body) = put(
        owner,
        &channels_path(demo.store, "/whatsapp"),
        json!({
            "phoneNumberId": demo.number_id,
            "displayPhoneNumber": "+1 555 010 0000",
            "verifyToken": demo.verify_token,
            "appSecret": demo.app_secret,
            "accessToken": demo.access_token,
        }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = put(
        owner,
        &channels_path(demo.store, "/twilio"),
        json!({ "accountSid": ACCOUNT_SID, "sender": demo.sender, "authToken": demo.auth_token }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

/// Asserts that none of the demo's secrets appears in `text`.
fn assert_no_secret(text: &str, demo: &Demo) {
    for secret in [
        demo.verify_token,
        demo.app_secret,
        demo.access_token,
        demo.auth_token,
    ] {
        assert!(!text.contains(secret), "a secret shown: {text}");
    }
}

/// The text columns of the one row `sql` selects.
async fn texts(db: &db::Pool, sql: &str) -> Vec<String> {
    let row = db::query(sql).fetch_one(db).await.unwrap();
    (0..row.len()).map(|i| row.try_get(i).unwrap()).collect()
}

#[tokio::test]
async fn channel_settings_keep_secrets_to_themselves() {
    let server = server(&[]);
    let public = Api::new(&server);
    let owner = public.owner("demo").await;
    let (status, body) = owner.get(&channels_path("demo", "")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"], json!({}), "no channel yet");

    // A new channel needs its secrets, each refusal naming its field.
    let whatsapp = channels_path("demo", "/whatsapp");
    let valid = json!({
        "phoneNumberId": A.number_id,
        "displayPhoneNumber": "+1 (555) 010-0000",
        "verifyToken": A.verify_token,
        "appSecret": A.app_secret,
    });
    let with = |field: &str, value: Value| {
        let mut body = valid.clone();
        match value {
            Value::Null => body.as_object_mut().unwrap().remove(field),
            value => body
                .as_object_mut()
                .unwrap()
                .insert(field.to_owned(), value),
        };
        body
    };
    for (field, value) in [
        ("verifyToken", Value::Null),
        ("appSecret", Value::Null),
        ("verifyToken", json!("short")),
        ("appSecret", json!("has spaces in it")),
        ("appSecret", json!("")),
        ("phoneNumberId", json!("12ab")),
        ("phoneNumberId", json!("")),
        ("displayPhoneNumber", json!("555 010 0000")),
        ("displayPhoneNumber", json!("+0123456789")),
    ] {
        let (status, body) = put(&owner, &whatsapp, with(field, value.clone())).await;
        assert_eq!(status, 400, "{field} = {value}: {body}");
        assert_eq!(error_code(&body), "VALIDATION_ERROR");
        assert_eq!(body["error"]["details"]["parameter"], field, "{body}");
    }
    let (status, body) = put(&owner, &whatsapp, with("appSecretX", json!("x"))).await;
    assert_eq!(status, 400, "unknown fields are refused: {body}");

    // Created: the number normalised, the secrets only said to be set.
    let (status, body) = put(&owner, &whatsapp, valid.clone()).await;
    assert_eq!(status, 200, "{body}");
    let channel = &body["data"];
    assert_eq!(channel["phoneNumberId"], A.number_id);
    assert_eq!(channel["displayPhoneNumber"], "+15550100000");
    assert_eq!(channel["verifyTokenSet"], true);
    assert_eq!(channel["appSecretSet"], true);
    assert_eq!(channel["accessTokenSet"], false);
    assert_eq!(channel["webhookUrl"], server.url(WHATSAPP_HOOK));
    assert_no_secret(&body.to_string(), &A);

    // Replaced without secrets: the stored ones stay; an access token is added.
    let (status, body) = put(
        &owner,
        &whatsapp,
        json!({
            "phoneNumberId": A.number_id,
            "displayPhoneNumber": "+15550100001",
            "accessToken": A.access_token,
        }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["appSecretSet"], true);
    assert_eq!(body["data"]["accessTokenSet"], true);
    assert_eq!(body["data"]["displayPhoneNumber"], "+15550100001");

    // Twilio: the sender in one spelling, the SID checked.
    let twilio = channels_path("demo", "/twilio");
    for (body, field) in [
        (
            json!({ "accountSid": "AC123", "sender": A.sender, "authToken": A.auth_token }),
            "accountSid",
        ),
        (
            json!({ "accountSid": ACCOUNT_SID, "sender": "whatsapp:14155238886", "authToken": A.auth_token }),
            "sender",
        ),
        (
            json!({ "accountSid": ACCOUNT_SID, "sender": A.sender }),
            "authToken",
        ),
    ] {
        let (status, answer) = put(&owner, &twilio, body).await;
        assert_eq!(status, 400, "{answer}");
        assert_eq!(answer["error"]["details"]["parameter"], field, "{answer}");
    }
    let (status, body) = put(
        &owner,
        &twilio,
        json!({ "accountSid": ACCOUNT_SID, "sender": "+1 415 523 8886", "authToken": A.auth_token }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["sender"], A.sender);
    assert_eq!(body["data"]["authTokenSet"], true);
    assert_eq!(body["data"]["webhookUrl"], server.url(TWILIO_HOOK));

    let (status, listed) = owner.get(&channels_path("demo", "")).await;
    assert_eq!(status, 200);
    assert_eq!(listed["data"]["whatsapp"]["accessTokenSet"], true);
    assert_eq!(listed["data"]["twilio"]["sender"], A.sender);
    assert_no_secret(&listed.to_string(), &A);

    // At rest: the verify token hashed, the other secrets sealed.
    let db = pool(&server).await;
    let row = texts(
        &db,
        "SELECT verify_token_hash, app_secret_sealed, access_token_sealed \
         FROM chat_whatsapp_channels",
    )
    .await;
    assert_eq!(row[0], hex::encode(Sha256::digest(A.verify_token)));
    let sealed = texts(&db, "SELECT auth_token_sealed FROM chat_twilio_channels")
        .await
        .remove(0);
    let stored = format!("{row:?} {sealed}");
    assert_no_secret(&stored, &A);
    for value in [&row[1], &row[2], &sealed] {
        let bytes = STANDARD.decode(value).unwrap();
        assert!(bytes.len() > 24 + 16, "a nonce, a ciphertext and its tag");
    }

    // Another store cannot take the numbers: they route messages.
    let other = public.owner("demo-b").await;
    let (status, body) = put(
        &other,
        &channels_path("demo-b", "/whatsapp"),
        json!({
            "phoneNumberId": A.number_id,
            "displayPhoneNumber": "+221770000000",
            "verifyToken": B.verify_token,
            "appSecret": B.app_secret,
        }),
    )
    .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(error_code(&body), "CONFLICT");
    assert_eq!(body["error"]["details"]["parameter"], "phoneNumberId");
    let (status, body) = put(
        &other,
        &channels_path("demo-b", "/twilio"),
        json!({ "accountSid": ACCOUNT_SID, "sender": "whatsapp:+1 415 523 8886", "authToken": B.auth_token }),
    )
    .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"]["details"]["parameter"], "sender");
    // Nor read or change this store's channels.
    let (status, _) = other.get(&channels_path("demo", "")).await;
    assert_eq!(status, 403);

    // Every change is in the audit log, with which secrets it replaced, never their values.
    let (status, log) = owner
        .get("/api/v1/admin/stores/demo/audit-log?entityType=chat_channel&limit=100")
        .await;
    assert_eq!(status, 200, "{log}");
    let entries = log["data"].as_array().unwrap();
    assert_eq!(entries.len(), 3, "{log}");
    assert_no_secret(&log.to_string(), &A);
    let twilio_created = &entries[0];
    assert_eq!(twilio_created["action"], "create");
    assert_eq!(twilio_created["entityId"], "twilio");
    assert_eq!(
        twilio_created["newValues"]["secretsReplaced"],
        json!(["authToken"])
    );
    let replaced = &entries[1];
    assert_eq!(replaced["action"], "update");
    assert_eq!(replaced["entityId"], "whatsapp");
    assert_eq!(replaced["oldValues"]["accessTokenSet"], false);
    assert_eq!(replaced["newValues"]["accessTokenSet"], true);
    assert_eq!(
        replaced["newValues"]["secretsReplaced"],
        json!(["accessToken"])
    );
    assert_eq!(
        entries[2]["newValues"]["secretsReplaced"],
        json!(["verifyToken", "appSecret"])
    );

    // Deleted: gone from the list, then not found; the number is free again.
    let (status, body) = owner.delete(&whatsapp).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["whatsapp"], Value::Null);
    assert_eq!(body["data"]["twilio"]["sender"], A.sender);
    let (status, body) = owner.delete(&whatsapp).await;
    assert_eq!(status, 404, "{body}");
    let (status, log) = owner
        .get("/api/v1/admin/stores/demo/audit-log?entityType=chat_channel&limit=1")
        .await;
    assert_eq!(status, 200);
    assert_eq!(log["data"][0]["action"], "delete");
    assert_eq!(log["data"][0]["oldValues"]["phoneNumberId"], A.number_id);
    let (status, body) = put(
        &other,
        &channels_path("demo-b", "/whatsapp"),
        json!({
            "phoneNumberId": A.number_id,
            "displayPhoneNumber": "+221770000000",
            "verifyToken": B.verify_token,
            "appSecret": B.app_secret,
        }),
    )
    .await;
    assert_eq!(status, 200, "{body}");

    // Nothing secret went to the log either.
    for demo in [&A, &B] {
        for secret in [demo.app_secret, demo.access_token, demo.auth_token] {
            assert_eq!(server.output_line(secret, Duration::ZERO), None);
        }
    }
    db.close().await;
}

/// A WhatsApp Cloud API notification of one text message to `number_id`.
fn whatsapp_message(number_id: &str, from: &str, id: &str, text: &str) -> String {
    json!({
        "object": "whatsapp_business_account",
        "entry": [{
            "id": "102290129340398",
            "changes": [{
                "field": "messages",
                "value": {
                    "messaging_product": "whatsapp",
                    "metadata": { "display_phone_number": "15550100000", "phone_number_id": number_id },
                    "contacts": [{ "profile": { "name": "Ana" }, "wa_id": from }],
                    "messages": [{
                        "from": from, "id": id, "timestamp": "1733560000", "type": "text",
                        "text": { "body": text },
                    }],
                },
            }],
        }],
    })
    .to_string()
}

/// `sha256=` and the hex HMAC-SHA256 of `body` under `secret`, as Meta signs.
fn hub_signature(secret: &str, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body.as_bytes());
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

async fn post_whatsapp(server: &TestServer, body: &str, signature: Option<&str>) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .post(server.url(WHATSAPP_HOOK))
        .header("content-type", "application/json")
        .body(body.to_owned());
    if let Some(signature) = signature {
        request = request.header("x-hub-signature-256", signature);
    }
    Api::new(server).send(request).await
}

/// How many of a receipt's messages were taken in or skipped: until the conversation engine
/// takes them in, messages are skipped; either way they were accepted past the signature.
fn handled(receipt: &Value) -> u64 {
    receipt["accepted"].as_u64().unwrap() + receipt["skipped"].as_u64().unwrap()
}

#[tokio::test]
async fn whatsapp_calls_must_be_signed_for_their_number() {
    let server = server(&[]);
    let public = Api::new(&server);
    connect(&public.owner("demo").await, &A).await;
    connect(&public.owner("demo-b").await, &B).await;
    let http = reqwest::Client::new();

    // Meta's verification: the challenge comes back for a store's token, as plain text.
    let verify = |token: &str, mode: &str| {
        http.get(server.url(WHATSAPP_HOOK))
            .query(&[
                ("hub.mode", mode),
                ("hub.verify_token", token),
                ("hub.challenge", "1158201444"),
            ])
            .send()
    };
    for token in [A.verify_token, B.verify_token] {
        let response = verify(token, "subscribe").await.unwrap();
        assert_eq!(response.status(), 200);
        assert!(response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain"));
        assert_eq!(response.text().await.unwrap(), "1158201444");
    }
    for (token, mode) in [
        ("verify-token-of-nobody", "subscribe"),
        (A.verify_token, "unsubscribe"),
    ] {
        let response = verify(token, mode).await.unwrap();
        assert_eq!(response.status(), 403);
        let body: Value = response.json().await.unwrap();
        assert_eq!(error_code(&body), "FORBIDDEN");
    }
    let response = http.get(server.url(WHATSAPP_HOOK)).send().await.unwrap();
    assert_eq!(response.status(), 403);

    // A message signed with its store's app secret is taken.
    let body = whatsapp_message(A.number_id, "34600111222", "wamid.A1", "2 wildflower honey");
    let (status, receipt) =
        post_whatsapp(&server, &body, Some(&hub_signature(A.app_secret, &body))).await;
    assert_eq!(status, 200, "{receipt}");
    assert_eq!(handled(&receipt["data"]), 1, "{receipt}");
    assert_eq!(receipt["data"]["replayed"], 0);
    let body = whatsapp_message(B.number_id, "221771234567", "wamid.B1", "miel");
    let (status, receipt) =
        post_whatsapp(&server, &body, Some(&hub_signature(B.app_secret, &body))).await;
    assert_eq!(status, 200, "{receipt}");
    assert_eq!(handled(&receipt["data"]), 1, "{receipt}");

    // Refused: no signature, a wrong one, a body changed after signing, a malformed header.
    let body = whatsapp_message(A.number_id, "34600111222", "wamid.A2", "view cart");
    let signature = hub_signature(A.app_secret, &body);
    let tampered = body.replace("view cart", "clear cart");
    let wrong = hub_signature("not-the-app-secret", &body);
    let bare = signature.trim_start_matches("sha256=").to_owned();
    for (body, signature) in [
        (&body, None),
        (&body, Some(wrong.as_str())),
        (&tampered, Some(signature.as_str())),
        (&body, Some(bare.as_str())),
        (&body, Some("sha256=")),
    ] {
        let (status, answer) = post_whatsapp(&server, body, signature).await;
        assert_eq!(status, 401, "{signature:?}: {answer}");
        assert_eq!(error_code(&answer), "UNAUTHORIZED");
    }

    // Tenant isolation: signed with demo's secret, addressed to demo-b's number (and the other
    // way round), it reaches neither store.
    for (number_id, secret) in [(B.number_id, A.app_secret), (A.number_id, B.app_secret)] {
        let body = whatsapp_message(number_id, "34600111222", "wamid.X", "checkout");
        let (status, answer) =
            post_whatsapp(&server, &body, Some(&hub_signature(secret, &body))).await;
        assert_eq!(status, 401, "{answer}");
    }
    // One notification naming both numbers must verify with both secrets, so it cannot.
    let mut both: Value = serde_json::from_str(&whatsapp_message(
        A.number_id,
        "34600111222",
        "wamid.Y",
        "hi",
    ))
    .unwrap();
    let other: Value = serde_json::from_str(&whatsapp_message(
        B.number_id,
        "34600111222",
        "wamid.Z",
        "hi",
    ))
    .unwrap();
    both["entry"]
        .as_array_mut()
        .unwrap()
        .push(other["entry"][0].clone());
    let both = both.to_string();
    for secret in [A.app_secret, B.app_secret] {
        let (status, _) = post_whatsapp(&server, &both, Some(&hub_signature(secret, &both))).await;
        assert_eq!(status, 401);
    }

    // An unknown number is not found; a body naming none, or not JSON, is malformed.
    let body = whatsapp_message("111111111", "34600111222", "wamid.N", "hola");
    let (status, answer) =
        post_whatsapp(&server, &body, Some(&hub_signature(A.app_secret, &body))).await;
    assert_eq!(status, 404, "{answer}");
    assert_eq!(error_code(&answer), "NOT_FOUND");
    for body in [
        r#"{"object":"whatsapp_business_account","entry":[]}"#,
        "not json",
        r#"{"entry":"x"}"#,
    ] {
        let (status, answer) =
            post_whatsapp(&server, body, Some(&hub_signature(A.app_secret, body))).await;
        assert_eq!(status, 400, "{body}: {answer}");
        assert_eq!(error_code(&answer), "VALIDATION_ERROR");
    }

    // Statuses and other message types are acknowledged and skipped.
    let statuses = json!({
        "object": "whatsapp_business_account",
        "entry": [{ "id": "1", "changes": [{ "field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": { "display_phone_number": "15550100000", "phone_number_id": A.number_id },
            "statuses": [{ "id": "wamid.S", "status": "delivered", "timestamp": "1733560001", "recipient_id": "34600111222" }],
            "messages": [{ "from": "34600111222", "id": "wamid.IMG", "timestamp": "1733560002", "type": "image", "image": { "id": "1", "mime_type": "image/jpeg" } }],
        } }] }],
    })
    .to_string();
    let (status, receipt) = post_whatsapp(
        &server,
        &statuses,
        Some(&hub_signature(A.app_secret, &statuses)),
    )
    .await;
    assert_eq!(status, 200, "{receipt}");
    assert_eq!(
        receipt["data"],
        json!({ "accepted": 0, "replayed": 0, "skipped": 1 })
    );
}

/// `X-Twilio-Signature` of a call to `url` with `params`, as Twilio computes it.
fn twilio_signature(auth_token: &str, url: &str, params: &[(&str, &str)]) -> String {
    let mut sorted = params.to_vec();
    sorted.sort();
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(auth_token.as_bytes()).unwrap();
    mac.update(url.as_bytes());
    for (name, value) in sorted {
        mac.update(name.as_bytes());
        mac.update(value.as_bytes());
    }
    STANDARD.encode(mac.finalize().into_bytes())
}

/// A Twilio WhatsApp webhook's parameters for a message `to` a sender.
fn twilio_message<'a>(to: &'a str, sid: &'a str, text: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("SmsMessageSid", sid),
        ("NumMedia", "0"),
        ("ProfileName", "Ana"),
        ("MessageType", "text"),
        ("SmsSid", sid),
        ("WaId", "34600111222"),
        ("SmsStatus", "received"),
        ("Body", text),
        ("To", to),
        ("NumSegments", "1"),
        ("MessageSid", sid),
        ("AccountSid", ACCOUNT_SID),
        ("From", "whatsapp:+34600111222"),
        ("ApiVersion", "2010-04-01"),
    ]
}

async fn post_twilio(
    server: &TestServer,
    params: &[(&str, &str)],
    signature: Option<&str>,
) -> (u16, String) {
    let mut request = reqwest::Client::new()
        .post(server.url(TWILIO_HOOK))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string(params).unwrap());
    if let Some(signature) = signature {
        request = request.header("x-twilio-signature", signature);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn twilio_calls_must_be_signed_for_their_sender() {
    let server = server(&[]);
    let public = Api::new(&server);
    connect(&public.owner("demo").await, &A).await;
    connect(&public.owner("demo-b").await, &B).await;
    let url = server.url(TWILIO_HOOK);

    // Signed with the sender's store's auth token: an empty TwiML answer.
    for demo in [&A, &B] {
        let params = twilio_message(demo.sender, "SM0001", "add 2 honey");
        let signature = twilio_signature(demo.auth_token, &url, &params);
        let (status, body) = post_twilio(&server, &params, Some(&signature)).await;
        assert_eq!(status, 200, "{body}");
        assert!(body.ends_with("<Response/>"), "{body}");
    }

    // Refused: unsigned, signed with another token, another URL, or changed after signing.
    let params = twilio_message(A.sender, "SM0002", "view cart");
    let signature = twilio_signature(A.auth_token, &url, &params);
    let mut tampered = params.clone();
    tampered[7] = ("Body", "clear cart");
    for (params, signature) in [
        (&params, None),
        (
            &params,
            Some(twilio_signature("wrong-token", &url, &params)),
        ),
        (
            &params,
            Some(twilio_signature(
                A.auth_token,
                "https://elsewhere.example/hook",
                &params,
            )),
        ),
        (&tampered, Some(signature.clone())),
        (&params, Some("not base64!".to_owned())),
    ] {
        let (status, body) = post_twilio(&server, params, signature.as_deref()).await;
        assert_eq!(status, 401, "{body}");
        assert!(body.contains("UNAUTHORIZED"), "{body}");
    }

    // Tenant isolation: signed with one store's token, addressed to the other's sender.
    for (to, token) in [(B.sender, A.auth_token), (A.sender, B.auth_token)] {
        let params = twilio_message(to, "SM0003", "checkout");
        let signature = twilio_signature(token, &url, &params);
        let (status, body) = post_twilio(&server, &params, Some(&signature)).await;
        assert_eq!(status, 401, "{body}");
    }

    // An unknown sender is not found; no `To` is malformed.
    let params = twilio_message("whatsapp:+15005550006", "SM0004", "hola");
    let signature = twilio_signature(A.auth_token, &url, &params);
    let (status, body) = post_twilio(&server, &params, Some(&signature)).await;
    assert_eq!(status, 404, "{body}");
    assert!(body.contains("NOT_FOUND"), "{body}");
    let params = [("Body", "hola")];
    let signature = twilio_signature(A.auth_token, &url, &params);
    let (status, body) = post_twilio(&server, &params, Some(&signature)).await;
    assert_eq!(status, 400, "{body}");
}

/// Writes a reply to `recipient` on `channel` into `store`'s outbox, as the conversation engine
/// does, and returns its id.
async fn queue_reply(
    db: &db::Pool,
    store: &str,
    channel: &str,
    recipient: &str,
    text: &str,
) -> Uuid {
    let store_id: Uuid = db::query_scalar("SELECT id FROM stores WHERE slug = $1")
        .bind(store)
        .fetch_one(db)
        .await
        .unwrap();
    let at = time::macros::datetime!(2000-01-01 0:00 UTC);
    let conversation = Uuid::new_v4();
    let message = Uuid::new_v4();
    let reply = Uuid::new_v4();
    db::query(
        "INSERT INTO chat_conversations (id, store_id, channel, buyer, language, status, \
           created_at, updated_at, last_message_at) \
         VALUES ($1, $2, $3, $4, 'en', 'open', $5, $5, $5)",
    )
    .bind(conversation)
    .bind(store_id)
    .bind(channel)
    .bind(recipient)
    .bind(at)
    .execute(db)
    .await
    .unwrap();
    db::query(
        "INSERT INTO chat_messages (id, store_id, conversation_id, author, body, created_at, seq) \
         VALUES ($1, $2, $3, 'assistant', $4, $5, 1)",
    )
    .bind(message)
    .bind(store_id)
    .bind(conversation)
    .bind(text)
    .bind(at)
    .execute(db)
    .await
    .unwrap();
    db::query(
        "INSERT INTO chat_outbox (id, store_id, conversation_id, message_id, channel, recipient, \
           body, status, attempts, next_attempt_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', 0, $8, $8, $8)",
    )
    .bind(reply)
    .bind(store_id)
    .bind(conversation)
    .bind(message)
    .bind(channel)
    .bind(recipient)
    .bind(text)
    .bind(at)
    .execute(db)
    .await
    .unwrap();
    reply
}

/// A reply's delivery record once it is no longer pending: (status, attempts, last error,
/// provider message id, sent at).
type Delivery = (String, i64, Option<String>, Option<String>, Option<String>);

async fn settled(db: &db::Pool, reply: Uuid) -> Delivery {
    for _ in 0..400 {
        let read = db::query(
            "SELECT status, attempts, last_error, provider_message_id, sent_at \
             FROM chat_outbox WHERE id = $1",
        )
        .bind(reply)
        .fetch_one(db)
        .await
        .unwrap();
        let row: Delivery = (
            read.try_get(0).unwrap(),
            read.try_get(1).unwrap(),
            read.try_get(2).unwrap(),
            read.try_get(3).unwrap(),
            read.try_get(4).unwrap(),
        );
        if row.0 != "pending" {
            return row;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("reply {reply} still pending");
}

#[tokio::test]
async fn replies_go_out_through_graph_and_twilio_with_retries() {
    let mut graph = mockito::Server::new_async().await;
    let mut twilio = mockito::Server::new_async().await;
    let graph_url = graph.url();
    let twilio_url = twilio.url();
    let server = server(&[
        "--whatsapp-graph-url",
        &graph_url,
        "--twilio-api-url",
        &twilio_url,
        "--chat-retry-base-ms",
        "100",
        "--chat-poll-ms",
        "50",
    ]);
    let public = Api::new(&server);
    connect(&public.owner("demo").await, &A).await;
    connect(&public.owner("demo-b").await, &B).await;
    let db = pool(&server).await;

    // WhatsApp: the number's messages endpoint, its bearer token, a text message; the first
    // attempt meets a 500 and is retried.
    let messages = format!("/v23.0/{}/messages", A.number_id);
    let body = Matcher::Json(json!({
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "34600111222",
        "type": "text",
        "text": { "body": "Added 2 × Wildflower honey." },
    }));
    let failing = graph
        .mock("POST", messages.as_str())
        .match_header(
            "authorization",
            format!("Bearer {}", A.access_token).as_str(),
        )
        .match_body(body.clone())
        .with_status(500)
        .with_body(r#"{"error":{"message":"Service temporarily unavailable","code":2}}"#)
        .expect(1)
        .create_async()
        .await;
    let sent = graph
        .mock("POST", messages.as_str())
        .match_header("authorization", format!("Bearer {}", A.access_token).as_str())
        .match_header("content-type", "application/json")
        .match_body(body)
        .with_status(200)
        .with_body(r#"{"messaging_product":"whatsapp","contacts":[{"input":"34600111222","wa_id":"34600111222"}],"messages":[{"id":"wamid.HBgLMzQ2MDAxMTEyMjIVAgARGBI"}]}"#)
        .expect(1)
        .create_async()
        .await;
    let reply = queue_reply(
        &db,
        "demo",
        "whatsapp",
        "+34600111222",
        "Added 2 × Wildflower honey.",
    )
    .await;
    let (status, attempts, error, provider_id, sent_at) = settled(&db, reply).await;
    assert_eq!(status, "sent", "{error:?}");
    assert_eq!(attempts, 2);
    assert_eq!(error, None);
    assert_eq!(
        provider_id.as_deref(),
        Some("wamid.HBgLMzQ2MDAxMTEyMjIVAgARGBI")
    );
    assert!(sent_at.is_some());
    failing.assert_async().await;
    sent.assert_async().await;

    // A refusal (a number that is not on WhatsApp) is not retried.
    let refused = graph
        .mock("POST", messages.as_str())
        .match_body(Matcher::PartialJson(json!({ "to": "34000000000" })))
        .with_status(400)
        .with_body(r#"{"error":{"message":"(#131026) Message undeliverable","code":131026}}"#)
        .expect(1)
        .create_async()
        .await;
    let reply = queue_reply(&db, "demo", "whatsapp", "+34000000000", "Hello").await;
    let (status, attempts, error, provider_id, _) = settled(&db, reply).await;
    assert_eq!((status.as_str(), attempts), ("failed", 1));
    let error = error.unwrap();
    assert!(
        error.contains("HTTP 400") && error.contains("131026"),
        "{error}"
    );
    assert_eq!(provider_id, None);
    refused.assert_async().await;

    // Twilio: demo-b's account, Basic auth with its SID and token, from its sender.
    let basic = format!(
        "Basic {}",
        STANDARD.encode(format!("{ACCOUNT_SID}:{}", B.auth_token))
    );
    let path = format!("/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json");
    let twilio_sent = twilio
        .mock("POST", path.as_str())
        .match_header("authorization", basic.as_str())
        .match_header("content-type", "application/x-www-form-urlencoded")
        .match_body(Matcher::AllOf(vec![
            Matcher::UrlEncoded("From".into(), B.sender.into()),
            Matcher::UrlEncoded("To".into(), "whatsapp:+221771234567".into()),
            Matcher::UrlEncoded("Body".into(), "Votre panier : 1 × miel".into()),
        ]))
        .with_status(201)
        .with_body(r#"{"sid":"SM3f1c0e0e5f8a4b5c9d7e6f5a4b3c2d1e","status":"queued"}"#)
        .expect(1)
        .create_async()
        .await;
    let reply = queue_reply(
        &db,
        "demo-b",
        "twilio",
        "+221771234567",
        "Votre panier : 1 × miel",
    )
    .await;
    let (status, attempts, _, provider_id, _) = settled(&db, reply).await;
    assert_eq!((status.as_str(), attempts), ("sent", 1));
    assert_eq!(
        provider_id.as_deref(),
        Some("SM3f1c0e0e5f8a4b5c9d7e6f5a4b3c2d1e")
    );
    twilio_sent.assert_async().await;

    // Twilio's 400 (an invalid number) fails at once too.
    let twilio_refused = twilio
        .mock("POST", path.as_str())
        .match_body(Matcher::UrlEncoded(
            "To".into(),
            "whatsapp:+10000000000".into(),
        ))
        .with_status(400)
        .with_body(r#"{"code":21211,"message":"Invalid 'To' Phone Number","status":400}"#)
        .expect(1)
        .create_async()
        .await;
    let reply = queue_reply(&db, "demo-b", "twilio", "+10000000000", "Hi").await;
    let (status, attempts, error, _, _) = settled(&db, reply).await;
    assert_eq!((status.as_str(), attempts), ("failed", 1));
    assert!(error.unwrap().contains("21211"));
    twilio_refused.assert_async().await;

    // A store without the channel's settings cannot send on it.
    let (status, _) = public
        .owner("demo")
        .await
        .delete(&channels_path("demo", "/twilio"))
        .await;
    assert_eq!(status, 200);
    let reply = queue_reply(&db, "demo", "twilio", "+34600111222", "Hi").await;
    let (status, _, error, _, _) = settled(&db, reply).await;
    assert_eq!(status, "failed");
    assert!(error.unwrap().contains("no Twilio channel"));
    db.close().await;
}

/// The conversation engine (`chat::conversations::receive`) refuses a message id it has seen
/// (the unique index on `chat_messages`); the webhooks acknowledge the replay.
#[tokio::test]
async fn replayed_message_ids_are_ignored() {
    let server = server(&[]);
    let public = Api::new(&server);
    connect(&public.owner("demo").await, &A).await;

    let body = whatsapp_message(A.number_id, "34600111222", "wamid.REPLAY", "add 1 honey");
    let signature = hub_signature(A.app_secret, &body);
    let (status, first) = post_whatsapp(&server, &body, Some(&signature)).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["data"]["accepted"], 1, "{first}");
    let (status, again) = post_whatsapp(&server, &body, Some(&signature)).await;
    assert_eq!(
        status, 200,
        "a replay is acknowledged, or Meta would retry it: {again}"
    );
    assert_eq!(
        again["data"],
        json!({ "accepted": 0, "replayed": 1, "skipped": 0 })
    );

    let url = server.url(TWILIO_HOOK);
    let params = twilio_message(A.sender, "SMREPLAY", "add 1 honey");
    let signature = twilio_signature(A.auth_token, &url, &params);
    for _ in 0..2 {
        let (status, body) = post_twilio(&server, &params, Some(&signature)).await;
        assert_eq!(status, 200, "{body}");
    }
    let db = pool(&server).await;
    for id in ["wamid.REPLAY", "SMREPLAY"] {
        let count: i64 =
            db::query_scalar("SELECT COUNT(*) FROM chat_messages WHERE channel_message_id = $1")
                .bind(id)
                .fetch_one(&db)
                .await
                .unwrap();
        assert_eq!(count, 1, "{id} stored once");
    }
    db.close().await;
}

#[tokio::test]
async fn buyers_messages_are_answered_through_their_provider() {
    let mut graph = mockito::Server::new_async().await;
    let mut twilio = mockito::Server::new_async().await;
    let (graph_url, twilio_url) = (graph.url(), twilio.url());
    // A poll far longer than the test: the replies go out because the webhook wakes the worker.
    let server = server(&[
        "--whatsapp-graph-url",
        &graph_url,
        "--twilio-api-url",
        &twilio_url,
        "--chat-poll-ms",
        "60000",
    ]);
    let public = Api::new(&server);
    connect(&public.owner("demo").await, &A).await;
    connect(&public.owner("demo-b").await, &B).await;

    let answered = graph
        .mock("POST", format!("/v23.0/{}/messages", A.number_id).as_str())
        .match_header(
            "authorization",
            format!("Bearer {}", A.access_token).as_str(),
        )
        .match_body(Matcher::PartialJson(
            json!({ "messaging_product": "whatsapp", "to": "34600111222", "type": "text" }),
        ))
        .with_status(200)
        .with_body(r#"{"messages":[{"id":"wamid.REPLY"}]}"#)
        .expect_at_least(1)
        .create_async()
        .await;
    let body = whatsapp_message(
        A.number_id,
        "34600111222",
        "wamid.HELLO",
        "hola, ¿tienes miel?",
    );
    let (status, receipt) =
        post_whatsapp(&server, &body, Some(&hub_signature(A.app_secret, &body))).await;
    assert_eq!(status, 200, "{receipt}");
    assert_eq!(receipt["data"]["accepted"], 1, "{receipt}");

    let path = format!("/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json");
    let twilio_answered = twilio
        .mock("POST", path.as_str())
        .match_body(Matcher::AllOf(vec![
            Matcher::UrlEncoded("From".into(), B.sender.into()),
            Matcher::UrlEncoded("To".into(), "whatsapp:+34600111222".into()),
        ]))
        .with_status(201)
        .with_body(r#"{"sid":"SMREPLY"}"#)
        .expect_at_least(1)
        .create_async()
        .await;
    let params = twilio_message(B.sender, "SMHELLO", "bonjour, vous avez du miel ?");
    let signature = twilio_signature(B.auth_token, &server.url(TWILIO_HOOK), &params);
    let (status, answer) = post_twilio(&server, &params, Some(&signature)).await;
    assert_eq!(status, 200, "{answer}");

    let db = pool(&server).await;
    for (store, provider_id) in [("demo", "wamid.REPLY"), ("demo-b", "SMREPLY")] {
        let replies: Vec<Uuid> = db::query_scalar(
            "SELECT o.id FROM chat_outbox o JOIN stores s ON s.id = o.store_id WHERE s.slug = $1",
        )
        .bind(store)
        .fetch_all(&db)
        .await
        .unwrap();
        assert!(!replies.is_empty(), "{store} answered");
        for reply in replies {
            let (status, _, error, id, _) = settled(&db, reply).await;
            assert_eq!(status, "sent", "{error:?}");
            assert_eq!(id.as_deref(), Some(provider_id));
        }
    }
    answered.assert_async().await;
    twilio_answered.assert_async().await;
    db.close().await;
}

/// The texts a provider mock received, in order.
type Sent = std::sync::Arc<std::sync::Mutex<Vec<String>>>;

/// Waits until `sent` holds `count` texts.
async fn received(sent: &Sent, count: usize) -> Vec<String> {
    for _ in 0..400 {
        let texts = sent.lock().unwrap().clone();
        if texts.len() >= count {
            return texts;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the provider got {:?}", sent.lock().unwrap());
}

/// The cart id in a checkout link of a reply.
fn cart_in_link(text: &str) -> String {
    let at = text.find("#cart=").unwrap() + "#cart=".len();
    text[at..at + 36].to_owned()
}

/// Pays `cart_id` the way the hosted checkout page does, and returns the order's number.
async fn pay_cart(api: &Api<'_>, store: &str, cart_id: &str) -> String {
    let (status, body) = api
        .checkout_as(store, &json!({ "id": cart_id }), "ana@example.com")
        .await;
    assert_eq!(status, 201, "{body}");
    let order = body["data"]["order"].clone();
    let (status, body) = api.pay(store, &order, "succeed").await;
    assert_eq!(status, 200, "{body}");
    format!("#{}", body["data"]["number"].as_u64().unwrap())
}

/// The types of a store's conversation events, oldest first.
async fn event_types(owner: &Api<'_>, store: &str) -> Vec<String> {
    let (_, body) = owner
        .get(&format!(
            "/api/v1/admin/stores/{store}/conversation-events?limit=100"
        ))
        .await;
    let mut kinds: Vec<String> = body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|event| event["type"].as_str().unwrap().to_owned())
        .collect();
    kinds.reverse();
    kinds
}

#[tokio::test]
async fn a_whole_conversation_runs_through_whatsapp_and_through_twilio() {
    let mut graph = mockito::Server::new_async().await;
    let mut twilio = mockito::Server::new_async().await;
    let server = server(&[
        "--whatsapp-graph-url",
        &graph.url(),
        "--twilio-api-url",
        &twilio.url(),
        "--chat-poll-ms",
        "60000",
    ]);
    let api = Api::new(&server);
    let (owner_a, owner_b) = (api.owner("demo").await, api.owner("demo-b").await);
    connect(&owner_a, &A).await;
    connect(&owner_b, &B).await;

    // Every text each provider is asked to send, in order.
    let (to_whatsapp, to_twilio): (Sent, Sent) = Default::default();
    let noted = to_whatsapp.clone();
    graph
        .mock("POST", format!("/v23.0/{}/messages", A.number_id).as_str())
        .with_status(200)
        .with_body_from_request(move |request| {
            let body: Value = serde_json::from_slice(request.body().unwrap()).unwrap();
            noted
                .lock()
                .unwrap()
                .push(body["text"]["body"].as_str().unwrap().to_owned());
            br#"{"messages":[{"id":"wamid.OUT"}]}"#.to_vec()
        })
        .expect_at_least(7)
        .create_async()
        .await;
    let noted = to_twilio.clone();
    twilio
        .mock(
            "POST",
            format!("/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json").as_str(),
        )
        .with_status(201)
        .with_body_from_request(move |request| {
            let form: Vec<(String, String)> = url::form_urlencoded::parse(request.body().unwrap())
                .into_owned()
                .collect();
            let text = form
                .iter()
                .find(|(key, _)| key == "Body")
                .unwrap()
                .1
                .clone();
            noted.lock().unwrap().push(text);
            br#"{"sid":"SMOUT"}"#.to_vec()
        })
        .expect_at_least(7)
        .create_async()
        .await;

    // WhatsApp, in English, at the honey shop.
    let steps: [(&str, &str); 6] = [
        ("add 2 wildflower honey", "2 × Wildflower Honey 500 g"),
        ("add a hive tool", "1 × Hive Tool"),
        ("make the honey 3", "3 × Wildflower Honey 500 g"),
        (
            "remove the hive tool",
            "Taken out of your cart: 1 × Hive Tool",
        ),
        ("what's in my cart?", "Total"),
        ("I want to pay", "/shop/demo/checkout?lang=en#cart="),
    ];
    for (index, (text, expected)) in steps.iter().enumerate() {
        let body = whatsapp_message(
            A.number_id,
            "34600111222",
            &format!("wamid.IN{index}"),
            text,
        );
        let (status, receipt) =
            post_whatsapp(&server, &body, Some(&hub_signature(A.app_secret, &body))).await;
        assert_eq!(
            (status, &receipt["data"]["accepted"]),
            (200, &json!(1)),
            "{receipt}"
        );
        let texts = received(&to_whatsapp, index + 1).await;
        assert!(texts[index].contains(expected), "{text} → {}", texts[index]);
    }
    let texts = received(&to_whatsapp, 6).await;
    assert!(!texts[4].contains("Hive Tool"), "{}", texts[4]);
    let cart = cart_in_link(&texts[5]);
    let number = pay_cart(&api, "demo", &cart).await;
    let texts = received(&to_whatsapp, 7).await;
    assert!(texts[6].contains(&number), "{}", texts[6]);

    // Twilio, in French, at the Sahel market.
    let steps: [(&str, &str); 6] = [
        ("ajoute 2 bissap", "2 × Bissap séché 250 g"),
        ("ajoute un djembé", "1 × Djembé 30 cm"),
        ("change le bissap à 3", "3 × Bissap séché 250 g"),
        (
            "enlève le djembé",
            "Retiré de votre panier : 1 × Djembé 30 cm",
        ),
        ("montre mon panier", "Total"),
        ("je veux payer", "/shop/demo-b/checkout?lang=fr#cart="),
    ];
    for (index, (text, expected)) in steps.iter().enumerate() {
        let sid = format!("SMIN{index}");
        let params = twilio_message(B.sender, &sid, text);
        let signature = twilio_signature(B.auth_token, &server.url(TWILIO_HOOK), &params);
        let (status, answer) = post_twilio(&server, &params, Some(&signature)).await;
        assert_eq!(status, 200, "{answer}");
        let texts = received(&to_twilio, index + 1).await;
        assert!(texts[index].contains(expected), "{text} → {}", texts[index]);
    }
    let texts = received(&to_twilio, 6).await;
    let cart = cart_in_link(&texts[5]);
    let number = pay_cart(&api, "demo-b", &cart).await;
    let texts = received(&to_twilio, 7).await;
    assert!(
        texts[6].contains(&number) && texts[6].contains("Merci"),
        "{}",
        texts[6]
    );

    for (owner, store) in [(&owner_a, "demo"), (&owner_b, "demo-b")] {
        let kinds = event_types(owner, store).await;
        assert_eq!(
            kinds.first().map(String::as_str),
            Some("conversation_started")
        );
        let tail: Vec<&str> = kinds[kinds.len() - 3..]
            .iter()
            .map(String::as_str)
            .collect();
        assert_eq!(
            tail,
            ["order_placed", "message_sent", "conversation_closed"],
            "{kinds:?}"
        );
        assert_eq!(
            kinds.iter().filter(|kind| *kind == "cart_updated").count(),
            4
        );
        assert!(kinds.iter().any(|kind| kind == "checkout_link_sent"));
        let (_, body) = owner
            .get(&format!(
                "/api/v1/admin/stores/{store}/conversation-analytics"
            ))
            .await;
        assert_eq!(body["data"]["conversationsWithOrder"], 1, "{body}");
        assert_eq!(body["data"]["conversionRate"], 1.0);
    }
}
