//! Attacks and faults from outside, against the real server over real sockets: a server killed
//! mid-checkout, slow and stalled clients, percent-encoded store slugs, webhooks aimed at
//! internal addresses, revoked sessions and uploads that only look like images.
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

use colmena_test_support::{StartOptions, TestServer};
use common::{error_code, Api, BIN};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

fn on_postgres() -> bool {
    colmena_test_support::postgres_base_url().is_some()
}

// ----- 1. A server killed mid-checkout -----

const STRIPE_KEY: &str = "sk_test_platform_51Hxyz";
const STRIPE_WEBHOOK_SECRET: &str = "whsec_test_stripe_endpoint";
const STRIPE_ACCOUNT: &str = "acct_1DemoStore";
const KEY: &str = "checkout-0b6f2d1e-crash";

fn stripe_server(data_dir: &Path, stripe_base: &str) -> TestServer {
    TestServer::start_with(
        Path::new(BIN),
        &StartOptions {
            data_dir: Some(data_dir.to_owned()),
            extra_args: &[
                "--stripe-secret-key",
                STRIPE_KEY,
                "--stripe-webhook-secret",
                STRIPE_WEBHOOK_SECRET,
                "--stripe-api-base",
                stripe_base,
                // A claim lasts the request timeout plus 5 s: 7 s here.
                "--request-timeout-seconds",
                "2",
            ],
            ..StartOptions::default()
        },
    )
}

async fn checkout_with_key(server: &TestServer, body: &Value) -> reqwest::Response {
    reqwest::Client::new()
        .post(server.url("/api/v1/stores/demo/checkout"))
        .header("idempotency-key", KEY)
        .json(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_checkout_killed_after_its_commit_finishes_on_a_retry_with_its_key() {
    let data_dir = colmena_test_support::fresh_data_dir();
    // A Stripe that takes the connection and never answers: the order is committed, and the
    // server is waiting for its payment session, when it is killed.
    let stalled = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let stalled_url = format!("http://{}", stalled.local_addr().unwrap());
    let (reached, reached_stripe) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        let (socket, _) = stalled.accept().await.unwrap();
        let _ = reached.send(());
        tokio::time::sleep(Duration::from_secs(600)).await;
        drop(socket);
    });
    let (body, honey_id, available_before) = {
        let server = stripe_server(&data_dir, &stalled_url);
        let api = Api::new(&server);
        let owner = api.owner("demo").await;
        let (status, body) = owner
            .patch(
                "/api/v1/admin/stores/demo",
                json!({ "paymentProvider": "stripe", "stripeAccountId": STRIPE_ACCOUNT }),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let honey = api.variant("demo", "wildflower-honey-500-g").await;
        let cart = api
            .new_cart("demo", json!([{ "variantId": honey["id"], "quantity": 2 }]))
            .await;
        let body = json!({ "cartId": cart["id"], "email": "crash@example.com" });
        let first = tokio::spawn({
            let (url, body) = (server.url("/api/v1/stores/demo/checkout"), body.clone());
            async move {
                reqwest::Client::new()
                    .post(url)
                    .header("idempotency-key", KEY)
                    .json(&body)
                    .send()
                    .await
            }
        });
        tokio::time::timeout(Duration::from_secs(20), reached_stripe)
            .await
            .expect("the checkout reached Stripe")
            .unwrap();
        drop(owner);
        drop(api);
        drop(server); // SIGKILL, mid-request
        assert!(
            first.await.unwrap().is_err(),
            "the first client got no answer"
        );
        (
            body,
            honey["id"].clone(),
            honey["available"].as_u64().unwrap(),
        )
    };

    let mut stripe = mockito::Server::new_async().await;
    let session = stripe
        .mock("POST", "/v1/checkout/sessions")
        .with_body(
            json!({
                "id": "cs_test_resumed", "object": "checkout.session", "mode": "payment",
                "payment_status": "unpaid", "status": "open",
                "url": "https://checkout.stripe.com/c/pay/cs_test_resumed",
                "payment_intent": null, "livemode": false
            })
            .to_string(),
        )
        .expect(1)
        .create_async()
        .await;
    let server = stripe_server(&data_dir, &stripe.url());
    let api = Api::new(&server);

    // The dead request's claim holds until its lease ends, and says for how long.
    let answer = checkout_with_key(&server, &body).await;
    assert_eq!(answer.status().as_u16(), 409);
    let wait: u64 = answer.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=8).contains(&wait), "Retry-After {wait}");
    let retried_at = Instant::now() + Duration::from_secs(wait);
    let answer = loop {
        tokio::time::sleep_until(retried_at.max(Instant::now()).into()).await;
        let answer = checkout_with_key(&server, &body).await;
        if answer.status().as_u16() != 409 || Instant::now() > retried_at + Duration::from_secs(5) {
            break answer;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    // The retry finishes the committed order: its payment session, and its token.
    assert_eq!(answer.status().as_u16(), 201);
    let answered: Value = answer.json().await.unwrap();
    let order = &answered["data"]["order"];
    let token = answered["data"]["orderToken"].as_str().unwrap().to_owned();
    assert_eq!(order["payment"]["reference"], "cs_test_resumed");
    assert_eq!(
        order["payment"]["redirectUrl"],
        "https://checkout.stripe.com/c/pay/cs_test_resumed"
    );
    session.assert_async().await;

    // One order, the stock reserved once.
    let owner = api.owner("demo").await;
    let (_, orders) = owner
        .get("/api/v1/admin/stores/demo/orders?email=crash@example.com")
        .await;
    assert_eq!(orders["pagination"]["total"], 1, "{orders}");
    let honey = api.variant("demo", "wildflower-honey-500-g").await;
    assert_eq!(honey["id"], honey_id);
    assert_eq!(honey["available"].as_u64().unwrap(), available_before - 2);

    // A later replay rebuilds the same answer, and the token opens the order.
    let replay = checkout_with_key(&server, &body).await;
    assert_eq!(replay.status().as_u16(), 201);
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    let replayed: Value = replay.json().await.unwrap();
    assert_eq!(replayed["data"]["order"]["id"], order["id"]);
    assert_eq!(replayed["data"]["orderToken"], token.as_str());
    let (status, _) = api
        .send(
            api.request(
                reqwest::Method::GET,
                &format!(
                    "/api/v1/stores/demo/orders/{}",
                    order["id"].as_str().unwrap()
                ),
            )
            .header("x-order-token", &token),
        )
        .await;
    assert_eq!(status, 200);

    // The token is not kept anywhere in the database (the idempotency table included).
    drop(owner);
    drop(api);
    drop(server);
    if on_postgres() {
        let dump = std::process::Command::new("pg_dump")
            .arg(colmena_test_support::database_url(&data_dir))
            .output()
            .unwrap();
        assert!(
            dump.status.success(),
            "{}",
            String::from_utf8_lossy(&dump.stderr)
        );
        let dump = String::from_utf8_lossy(&dump.stdout);
        assert!(
            dump.contains("crash@example.com"),
            "the dump holds the order"
        );
        assert!(
            !dump.contains(&token),
            "the order token is stored in the database"
        );
    }
    for entry in std::fs::read_dir(&data_dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            let bytes = std::fs::read(&path).unwrap();
            assert!(
                !bytes.windows(token.len()).any(|w| w == token.as_bytes()),
                "the order token is stored in {}",
                path.display()
            );
        }
    }
    colmena_test_support::remove_data_dir(&data_dir);
}

// ----- 2. Slow and stalled clients -----

fn server_address(server: &TestServer) -> SocketAddr {
    server
        .base_url
        .trim_start_matches("http://")
        .parse()
        .unwrap()
}

/// A connection from another loopback address: another client, as far as the server knows.
async fn connect_from(client: [u8; 4], server: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(SocketAddr::from((client, 0))).unwrap();
    socket.connect(server).await.unwrap()
}

/// Reads until the server closes the connection; what it sent, and when it closed (`None`
/// if still open after `within`).
async fn read_until_closed(stream: &mut TcpStream, within: Duration) -> (String, Option<Duration>) {
    let started = Instant::now();
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        match tokio::time::timeout_at((started + within).into(), stream.read(&mut buffer)).await {
            Err(_) => return (String::from_utf8_lossy(&received).into_owned(), None),
            Ok(Ok(0) | Err(_)) => {
                return (
                    String::from_utf8_lossy(&received).into_owned(),
                    Some(started.elapsed()),
                )
            }
            Ok(Ok(n)) => received.extend_from_slice(&buffer[..n]),
        }
    }
}

#[tokio::test]
async fn slow_and_stalled_clients_are_cut_off_while_others_are_served() {
    let server = TestServer::start(
        Path::new(BIN),
        &[
            "--header-read-timeout-seconds",
            "1",
            "--body-read-timeout-seconds",
            "1",
            "--keep-alive-timeout-seconds",
            "1",
            "--max-connections-per-client",
            "16",
        ],
    );
    let address = server_address(&server);

    // Another client keeps asking for the health check all along.
    let health = server.url("/api/health");
    let (stop, mut stopped) = tokio::sync::watch::channel(false);
    let shopper = tokio::spawn(async move {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(2))
            .build()
            .unwrap();
        let mut answers = Vec::new();
        while !*stopped.borrow_and_update() {
            answers.push(
                http.get(&health)
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
                    .map_err(|e| e.to_string()),
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        answers
    });

    // One address opening 40 connections keeps 16; the rest are closed at once.
    let mut idle = Vec::new();
    for _ in 0..40 {
        idle.push(connect_from([127, 0, 0, 2], address).await);
    }
    let mut closed_at_once = 0;
    for stream in &mut idle {
        if read_until_closed(stream, Duration::from_millis(300))
            .await
            .1
            .is_some()
        {
            closed_at_once += 1;
        }
    }
    assert!(
        closed_at_once >= 24,
        "{closed_at_once} of 40 closed at once"
    );

    // A head sent a line at a time is cut off after the head timeout.
    let mut slow_head = connect_from([127, 0, 0, 3], address).await;
    slow_head
        .write_all(b"GET /api/health HTTP/1.1\r\nHost: colmena\r\n")
        .await
        .unwrap();
    let trickle_head = async {
        for _ in 0..40 {
            tokio::time::sleep(Duration::from_millis(200)).await;
            if slow_head.write_all(b"X-Slow: 1\r\n").await.is_err() {
                break;
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(10), trickle_head)
        .await
        .unwrap();
    let (_, closed) = read_until_closed(&mut slow_head, Duration::from_secs(1)).await;
    assert!(closed.is_some(), "a slow head kept its connection");

    // A body trickled a byte at a time gets 408 REQUEST_TIMEOUT, and the connection closes.
    let mut slow_body = connect_from([127, 0, 0, 4], address).await;
    slow_body
        .write_all(
            b"POST /api/v1/stores/demo/carts HTTP/1.1\r\nHost: colmena\r\n\
              Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
        )
        .await
        .unwrap();
    let mut sent = 1;
    let started = Instant::now();
    while sent < 30 && started.elapsed() < Duration::from_secs(3) {
        tokio::time::sleep(Duration::from_millis(200)).await;
        if slow_body.write_all(b" ").await.is_err() {
            break;
        }
        sent += 1;
    }
    let (answer, closed) = read_until_closed(&mut slow_body, Duration::from_secs(3)).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("REQUEST_TIMEOUT"), "{answer}");
    assert!(closed.is_some());

    // A body announced as 1 TB is refused before any of it is sent.
    let mut huge = connect_from([127, 0, 0, 5], address).await;
    huge.write_all(
        b"POST /api/v1/stores/demo/carts HTTP/1.1\r\nHost: colmena\r\n\
          Content-Type: application/json\r\nContent-Length: 1099511627776\r\n\r\n",
    )
    .await
    .unwrap();
    let (answer, _) = read_until_closed(&mut huge, Duration::from_secs(2)).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("PAYLOAD_TOO_LARGE"), "{answer}");

    // A kept-alive connection with nothing more to ask is closed after the keep-alive timeout.
    let mut kept = connect_from([127, 0, 0, 6], address).await;
    kept.write_all(b"GET /api/health HTTP/1.1\r\nHost: colmena\r\n\r\n")
        .await
        .unwrap();
    let (answer, closed) = read_until_closed(&mut kept, Duration::from_secs(4)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let closed = closed.expect("an idle kept-alive connection stays open");
    assert!(
        closed >= Duration::from_millis(500),
        "closed after {closed:?}"
    );

    // The 16 idle connections the cap let in are gone too.
    for stream in &mut idle {
        let (_, closed) = read_until_closed(stream, Duration::from_secs(2)).await;
        assert!(closed.is_some(), "an idle connection stayed open");
    }

    stop.send(true).unwrap();
    let answers = shopper.await.unwrap();
    assert!(answers.len() >= 20, "{} health checks", answers.len());
    let failed: Vec<_> = answers.iter().filter(|a| **a != Ok(200)).collect();
    assert!(failed.is_empty(), "health checks failed: {failed:?}");
}

// ----- 3. Percent-encoded store slugs -----

#[tokio::test]
async fn encoded_store_slugs_are_refused_rather_than_given_a_fresh_quota() {
    let server = TestServer::start(Path::new(BIN), &["--rate-limit-public", "5"]);
    let api = Api::new(&server);
    for _ in 0..5 {
        let (status, _) = api.get("/api/v1/stores/demo/products?limit=1").await;
        assert_eq!(status, 200);
    }
    let (status, body) = api.get("/api/v1/stores/demo/products?limit=1").await;
    assert_eq!((status, error_code(&body)), (429, "RATE_LIMITED"));
    for spelling in ["%64emo", "%64%65%6D%6F", "d%65mo", "dem%6f"] {
        let (status, body) = api
            .get(&format!("/api/v1/stores/{spelling}/products?limit=1"))
            .await;
        assert_eq!(
            (status, error_code(&body)),
            (400, "VALIDATION_ERROR"),
            "{spelling}: {body}"
        );
        assert!(body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("/api/v1/stores/demo/products"));
    }
    // NUL, which PostgreSQL cannot store in text, is refused wherever it is sent.
    for path in [
        "/api/v1/stores/demo/products?q=%00honey",
        "/api/v1/stores/demo/products/%00",
    ] {
        let (status, body) = api.get(path).await;
        assert_eq!(
            (status, error_code(&body)),
            (400, "VALIDATION_ERROR"),
            "{path}: {body}"
        );
    }
    for not_a_slug in ["DEMO", "de.mo", "demo_b"] {
        let (status, body) = api.get(&format!("/api/v1/stores/{not_a_slug}")).await;
        assert_eq!(
            (status, error_code(&body)),
            (404, "STORE_NOT_FOUND"),
            "{not_a_slug}"
        );
    }

    // The admin API and CORS see the same one spelling.
    let owner = api.owner("demo").await;
    let (status, _) = owner.get("/api/v1/admin/stores/%64emo").await;
    assert_eq!(status, 400);
    let preflight = reqwest::Client::new()
        .request(
            reqwest::Method::OPTIONS,
            server.url("/api/v1/stores/%64emo/products"),
        )
        .header("origin", "https://attacker.example")
        .header("access-control-request-method", "GET")
        .send()
        .await
        .unwrap();
    assert!(
        preflight
            .headers()
            .get("access-control-allow-origin")
            .is_none(),
        "an encoded slug passed CORS as an unknown store"
    );
}

// ----- 4. Webhooks aimed at internal addresses -----

/// A host name, not under `localhost`, that this machine resolves only to internal addresses
/// (its own host name usually does, through /etc/hosts), so that the refusal has to come from
/// checking what the name resolves to.
fn internal_alias() -> Option<String> {
    use std::net::ToSocketAddrs;
    let own = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
    let candidates = [own.trim(), "ip6-localhost", "ip6-loopback"];
    let alias = candidates
        .into_iter()
        .filter(|name| !name.is_empty())
        .find(|name| {
            (*name, 80).to_socket_addrs().is_ok_and(|addrs| {
                let addrs: Vec<_> = addrs.collect();
                !addrs.is_empty()
                    && addrs
                        .iter()
                        .all(|a| colmena_server::egress::internal_kind(a.ip()).is_some())
            })
        })
        .map(str::to_owned);
    alias
}

async fn register_webhook(owner: &Api<'_>, url: &str) -> (u16, Value) {
    owner
        .post(
            "/api/v1/admin/stores/demo/webhooks",
            json!({ "url": url, "events": ["order.created"] }),
        )
        .await
}

#[tokio::test]
async fn webhooks_to_internal_addresses_are_refused_at_registration_and_delivery() {
    let receiver = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = receiver.local_addr().unwrap().port();
    let server = TestServer::start(Path::new(BIN), &["--webhook-allow-http"]);
    let api = Api::new(&server);
    let owner = api.owner("demo").await;
    let mut internal: Vec<String> = [
        "127.0.0.1:{port}",
        "localhost:{port}",
        "LOCALHOST.:{port}",
        "api.localhost",
        "127.1",
        "2130706433",
        "0x7f000001",
        "0177.0.0.1",
        "[::1]:{port}",
        "[::ffff:127.0.0.1]",
        "[::ffff:7f00:1]",
        "[::]",
        "0.0.0.0:{port}",
        "0",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.0.1",
        "169.254.169.254/latest/meta-data/",
        "100.64.0.1",
        "[fe80::1]",
        "[fc00::1]",
        "[64:ff9b::7f00:1]",
    ]
    .iter()
    .map(|host| format!("http://{}", host.replace("{port}", &port.to_string())))
    .collect();
    let alias = internal_alias();
    if let Some(alias) = &alias {
        // A DNS name that resolves to an internal address.
        internal.push(format!("http://{alias}:{port}/hooks"));
    }
    for url in &internal {
        let (status, body) = register_webhook(&owner, url).await;
        assert_eq!(
            (status, error_code(&body)),
            (400, "VALIDATION_ERROR"),
            "{url}: {body}"
        );
        assert_eq!(body["error"]["details"]["parameter"], "url", "{url}");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("public internet address"),
            "{url}: {body}"
        );
    }
    drop(owner);
    drop(api);
    drop(server);

    // Endpoints registered while internal targets were allowed (or a name that resolved
    // elsewhere then: DNS rebinding) are refused at delivery, after resolution.
    let data_dir = colmena_test_support::fresh_data_dir();
    let start = |extra: &'static [&'static str]| {
        TestServer::start_with(
            Path::new(BIN),
            &StartOptions {
                data_dir: Some(data_dir.clone()),
                extra_args: extra,
                ..StartOptions::default()
            },
        )
    };
    let named = format!(
        "http://{}:{port}/hooks",
        alias.as_deref().unwrap_or("localhost")
    );
    let literal = format!("http://127.0.0.1:{port}/hooks");
    let endpoints = {
        let server = start(&["--webhook-allow-http", "--webhook-allow-private"]);
        let api = Api::new(&server);
        let owner = api.owner("demo").await;
        let mut ids = Vec::new();
        for url in [&named, &literal] {
            let (status, body) = register_webhook(&owner, url).await;
            assert_eq!(status, 201, "{body}");
            ids.push(body["data"]["endpoint"]["id"].as_str().unwrap().to_owned());
        }
        ids
    };
    let server = start(&["--webhook-allow-http", "--webhook-poll-ms", "50"]);
    let api = Api::new(&server);
    let owner = api.owner("demo").await;
    let honey = api.variant("demo", "wildflower-honey-500-g").await;
    api.order("demo", &honey, 1, "rebind@example.com", false)
        .await;
    for id in &endpoints {
        let started = Instant::now();
        let attempt = loop {
            let (_, body) = owner
                .get(&format!(
                    "/api/v1/admin/stores/demo/webhooks/{id}/deliveries"
                ))
                .await;
            if let Some(attempt) = body["data"][0]["log"].get(0) {
                break attempt.clone();
            }
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "no attempt: {body}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        assert_eq!(attempt["statusCode"], Value::Null, "{attempt}");
        let error = attempt["error"].as_str().unwrap();
        assert!(
            error.starts_with("refused:") && error.contains("not a public internet address"),
            "{error}"
        );
    }
    // Nothing reached the receiver.
    assert!(
        tokio::time::timeout(Duration::from_millis(300), receiver.accept())
            .await
            .is_err(),
        "a delivery reached an internal address"
    );
    drop(owner);
    drop(api);
    drop(server);
    colmena_test_support::remove_data_dir(&data_dir);
}

// ----- Sessions and uploads -----

#[tokio::test]
async fn a_revoked_sessions_access_tokens_stop_at_once() {
    let server = TestServer::start(Path::new(BIN), &[]);
    let api = Api::new(&server);
    let login = json!({ "store": "demo", "email": "owner@demo.test", "password": "demo-password" });
    let (_, first) = api.post("/api/v1/auth/login", login.clone()).await;
    let (_, other_device) = api.post("/api/v1/auth/login", login).await;
    let stolen = first["data"]["refreshToken"].clone();
    let (status, second) = api
        .post("/api/v1/auth/refresh", json!({ "refreshToken": stolen }))
        .await;
    assert_eq!(status, 200);
    let access = second["data"]["accessToken"].as_str().unwrap();
    let (status, _) = api
        .with_bearer(access)
        .get("/api/v1/admin/stores/demo")
        .await;
    assert_eq!(status, 200);

    // The used refresh token comes back: it was stolen, so every session of the user ends,
    // and their access tokens stop now, not when they expire.
    let (status, _) = api
        .post("/api/v1/auth/refresh", json!({ "refreshToken": stolen }))
        .await;
    assert_eq!(status, 401);
    for token in [
        access,
        other_device["data"]["accessToken"].as_str().unwrap(),
    ] {
        let (status, body) = api
            .with_bearer(token)
            .get("/api/v1/admin/stores/demo")
            .await;
        assert_eq!((status, error_code(&body)), (401, "UNAUTHORIZED"), "{body}");
    }
    let (status, _) = api
        .post(
            "/api/v1/auth/refresh",
            json!({ "refreshToken": second["data"]["refreshToken"] }),
        )
        .await;
    assert_eq!(status, 401);
}

/// A PNG whose header declares 100,000 × 100,000 pixels (40 GB decoded) in 82 bytes.
const PNG_BOMB_HEX: &str = "89504e470d0a1a0a0000000d49484452000186a0000186a00806000000a8520bc80000000c49444154789c6360a00c000000400001b7347cef0000000049454e44ae426082";

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

#[tokio::test]
async fn uploads_must_decode_as_the_image_they_claim_and_media_is_never_sniffed() {
    let server = TestServer::start(Path::new(BIN), &[]);
    let api = Api::new(&server);
    let owner = api.owner("demo").await;
    let product = api.product("demo", "wildflower-honey-500-g").await;
    let images = format!(
        "/api/v1/admin/stores/demo/products/{}/images",
        product["id"].as_str().unwrap()
    );
    let upload = |bytes: Vec<u8>| {
        owner.send(
            owner
                .request(reqwest::Method::POST, &images)
                .header("content-type", "image/png")
                .body(bytes),
        )
    };
    // The PNG signature, then a script: it starts like an image and is not one.
    let mut polyglot = b"\x89PNG\r\n\x1a\n".to_vec();
    polyglot.extend_from_slice(b"<script>alert(document.domain)</script>");
    let (status, body) = upload(polyglot).await;
    assert_eq!(
        (status, error_code(&body)),
        (415, "UNSUPPORTED_MEDIA_TYPE"),
        "{body}"
    );
    let (status, body) = upload(hex(PNG_BOMB_HEX)).await;
    assert_eq!(
        (status, error_code(&body)),
        (413, "PAYLOAD_TOO_LARGE"),
        "{body}"
    );

    let (status, body) = upload(hex(
        "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000b4944415478da636000020000050001e9fadcd80000000049454e44ae426082",
    ))
    .await;
    assert_eq!(status, 201, "{body}");
    let image = body["data"]["images"].as_array().unwrap().last().unwrap()["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let served = reqwest::get(&image).await.unwrap();
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "image/png");
    assert_eq!(served.headers()["x-content-type-options"], "nosniff");
    let api_answer = reqwest::get(server.url("/api/v1/stores/demo"))
        .await
        .unwrap();
    assert_eq!(api_answer.headers()["x-content-type-options"], "nosniff");
}
