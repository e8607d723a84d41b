//! The platform operator's API and the `stores create` command, over real HTTP against the
//! server binary: keys, slugs, suspension, and tenant isolation between stores opened this way.
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use colmena_test_support::{
    database_url, fresh_data_dir, remove_data_dir, StartOptions, TestServer,
};
use common::{error_code, Api, BIN};
use serde_json::{json, Value};

const PLATFORM_KEY: &str = "platform-key-for-tests-0123456789abcdef";

fn platform_server() -> TestServer {
    TestServer::start_with(
        Path::new(BIN),
        &StartOptions {
            demo: false,
            extra_args: &["--platform-key", PLATFORM_KEY],
            ..StartOptions::default()
        },
    )
}

fn new_store(slug: &str, owner: &str) -> Value {
    json!({
        "slug": slug, "name": format!("Shop {slug}"), "currency": "EUR", "locale": "es-ES",
        "ownerEmail": owner,
    })
}

/// Opens a store through the platform API and signs its owner in (accepting the invitation).
async fn open_store<'a>(platform: &Api<'a>, slug: &str) -> Api<'a> {
    let owner = format!("owner@{slug}.test");
    let (status, body) = platform
        .post("/api/v1/platform/stores", new_store(slug, &owner))
        .await;
    assert_eq!(status, 201, "{body}");
    let store = &body["data"]["store"];
    assert_eq!(
        (&store["status"], &store["plan"]),
        (&json!("active"), &json!("free"))
    );
    let invitation = &body["data"]["ownerInvitation"];
    assert_eq!(invitation["user"]["role"], "owner");
    assert_eq!(invitation["user"]["active"], false);
    let anonymous = Api::new(platform.server);
    let (status, tokens) = anonymous
        .post(
            "/api/v1/auth/accept-invite",
            json!({
                "token": invitation["invitationToken"],
                "password": "A good passw0rd!",
            }),
        )
        .await;
    assert_eq!(status, 200, "{tokens}");
    anonymous.with_bearer(tokens["data"]["accessToken"].as_str().unwrap())
}

#[tokio::test]
async fn the_platform_key_guards_the_platform_api() {
    let server = platform_server();
    let anonymous = Api::new(&server);
    for api in [
        Api::new(&server),
        anonymous.with_bearer("a-wrong-key-of-the-right-length-0123456789"),
        anonymous.with_bearer(&PLATFORM_KEY[..PLATFORM_KEY.len() - 1]),
    ] {
        let (status, body) = api.get("/api/v1/platform/stores").await;
        assert_eq!((status, error_code(&body)), (401, "UNAUTHORIZED"));
        let (status, _) = api
            .post("/api/v1/platform/stores", new_store("sneaky", "x@y.test"))
            .await;
        assert_eq!(status, 401);
    }
    let platform = anonymous.with_bearer(PLATFORM_KEY);
    let (status, body) = platform.get("/api/v1/platform/stores").await;
    assert_eq!((status, &body["pagination"]["total"]), (200, &json!(0)));

    // A server started without a key has no platform API.
    let keyless = TestServer::start(Path::new(BIN), &[]);
    let (status, body) = Api::new(&keyless)
        .with_bearer(PLATFORM_KEY)
        .get("/api/v1/platform/stores")
        .await;
    assert_eq!((status, error_code(&body)), (401, "UNAUTHORIZED"));
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("--platform-key"));
}

#[tokio::test]
async fn slugs_are_checked_and_unique() {
    let server = platform_server();
    let platform = Api::new(&server).with_bearer(PLATFORM_KEY);
    for (slug, field) in [
        ("admin", "slug"),
        ("api", "slug"),
        ("Bad Slug", "slug"),
        ("x", "slug"),
    ] {
        let (status, body) = platform
            .post("/api/v1/platform/stores", new_store(slug, "o@x.test"))
            .await;
        assert_eq!(
            (
                status,
                error_code(&body),
                &body["error"]["details"]["parameter"]
            ),
            (400, "VALIDATION_ERROR", &json!(field)),
            "{slug}: {body}"
        );
    }
    let mut bad_currency = new_store("honey-co", "o@x.test");
    bad_currency["currency"] = json!("EURO");
    let (status, body) = platform.post("/api/v1/platform/stores", bad_currency).await;
    assert_eq!(
        (status, &body["error"]["details"]["parameter"]),
        (400, &json!("currency"))
    );
    let mut bad_email = new_store("honey-co", "not an email");
    bad_email["ownerEmail"] = json!("not an email");
    let (status, body) = platform.post("/api/v1/platform/stores", bad_email).await;
    assert_eq!(
        (status, &body["error"]["details"]["parameter"]),
        (400, &json!("ownerEmail"))
    );

    let (status, _) = platform
        .post("/api/v1/platform/stores", new_store("honey-co", "o@x.test"))
        .await;
    assert_eq!(status, 201);
    let (status, body) = platform
        .post(
            "/api/v1/platform/stores",
            new_store("honey-co", "other@x.test"),
        )
        .await;
    assert_eq!((status, error_code(&body)), (409, "CONFLICT"));
    let (_, body) = platform.get("/api/v1/platform/stores").await;
    assert_eq!(
        body["pagination"]["total"], 1,
        "the refused ones left nothing behind"
    );
}

#[tokio::test]
async fn a_suspended_store_stops_selling_until_reactivated() {
    let server = platform_server();
    let platform = Api::new(&server).with_bearer(PLATFORM_KEY);
    let owner = open_store(&platform, "honey-co").await;
    let shopper = Api::new(&server);
    let (status, _) = shopper.get("/api/v1/stores/honey-co").await;
    assert_eq!(status, 200);

    let (status, body) = platform
        .post("/api/v1/platform/stores/honey-co/suspend", json!({}))
        .await;
    assert_eq!(
        (status, &body["data"]["status"]),
        (200, &json!("suspended"))
    );
    for path in [
        "/api/v1/stores/honey-co",
        "/api/v1/stores/honey-co/products",
        "/api/v1/stores/honey-co/categories",
    ] {
        let (status, body) = shopper.get(path).await;
        assert_eq!(
            (status, error_code(&body)),
            (403, "STORE_SUSPENDED"),
            "{path}"
        );
    }
    let (status, body) = shopper
        .post("/api/v1/stores/honey-co/carts", json!({}))
        .await;
    assert_eq!((status, error_code(&body)), (403, "STORE_SUSPENDED"));
    // Its staff still sign in and read their data.
    let (status, _) = owner.get("/api/v1/admin/stores/honey-co/orders").await;
    assert_eq!(status, 200);
    let (_, body) = platform
        .get("/api/v1/platform/stores?status=suspended")
        .await;
    assert_eq!(body["data"][0]["slug"], "honey-co");

    let (status, body) = platform
        .post("/api/v1/platform/stores/honey-co/reactivate", json!({}))
        .await;
    assert_eq!((status, &body["data"]["status"]), (200, &json!("active")));
    let (status, _) = shopper.get("/api/v1/stores/honey-co/products").await;
    assert_eq!(status, 200);
    let (status, body) = platform
        .post("/api/v1/platform/stores/no-such-shop/suspend", json!({}))
        .await;
    assert_eq!((status, error_code(&body)), (404, "STORE_NOT_FOUND"));
}

#[tokio::test]
async fn stores_opened_by_the_platform_are_isolated() {
    let server = platform_server();
    let platform = Api::new(&server).with_bearer(PLATFORM_KEY);
    let ana = open_store(&platform, "ana-shop").await;
    let bo = open_store(&platform, "bo-shop").await;
    let (status, body) = ana
        .post(
            "/api/v1/admin/stores/ana-shop/products",
            json!({
                "name": "Wildflower Honey",
                "variants": [{"price": {"amount": 950, "currency": "EUR"}, "inventory": 5}],
                "active": true,
            }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let product_id = body["data"]["id"].as_str().unwrap().to_owned();

    // Bo's credentials open nothing of Ana's store, by its path or by her product's id.
    let (status, body) = bo.get("/api/v1/admin/stores/ana-shop/products").await;
    assert_eq!((status, error_code(&body)), (403, "FORBIDDEN"));
    let (status, _) = bo
        .get(&format!(
            "/api/v1/admin/stores/bo-shop/products/{product_id}"
        ))
        .await;
    assert_eq!(status, 404);
    let shopper = Api::new(&server);
    let (_, body) = shopper.get("/api/v1/stores/bo-shop/products").await;
    assert_eq!(body["pagination"]["total"], 0);
    let (_, body) = shopper.get("/api/v1/stores/ana-shop/products").await;
    assert_eq!(body["pagination"]["total"], 1);
    let (_, body) = platform.get("/api/v1/platform/stores").await;
    let slugs: Vec<_> = body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|store| store["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["ana-shop", "bo-shop"]);
}

/// Runs `colmena-server stores create` on `database`, with `stdin` as its input.
fn stores_create(database: &str, slug: &str, stdin: Option<&str>) -> (bool, String) {
    let mut command = Command::new(BIN);
    command
        .args([
            "stores",
            "create",
            "--database-url",
            database,
            "--slug",
            slug,
        ])
        .args([
            "--name",
            "Colmena Honey",
            "--currency",
            "EUR",
            "--locale",
            "es-ES",
        ])
        .args(["--owner-email", "Ana@Example.com", "--plan", "pro"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if stdin.is_some() {
        command.arg("--password-stdin");
    }
    let mut child = command.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    input
        .write_all(stdin.unwrap_or_default().as_bytes())
        .unwrap();
    drop(input);
    let output = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.success(), text)
}

#[tokio::test]
async fn the_command_opens_a_store_whose_owner_signs_in() {
    let data_dir = fresh_data_dir();
    let server = TestServer::start_with(
        Path::new(BIN),
        &StartOptions {
            demo: false,
            data_dir: Some(data_dir.clone()),
            env: &[],
            extra_args: &[],
        },
    );
    let database = database_url(&data_dir);

    let (ok, output) = stores_create(&database, "honey", Some("A good passw0rd!\n"));
    assert!(ok, "{output}");
    assert!(output.contains("opened store honey"), "{output}");
    let (status, body) = Api::new(&server)
        .post(
            "/api/v1/auth/login",
            json!({"store": "honey", "email": "ana@example.com", "password": "A good passw0rd!"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");

    // Without a password: an invitation the owner accepts.
    let (ok, output) = stores_create(&database, "honey-two", None);
    assert!(ok, "{output}");
    // The printed link opens the console's "choose your password" page.
    assert!(
        output.contains("/admin/#accept-invite?store=honey-two&token="),
        "{output}"
    );
    let token = output
        .split("&token=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap();
    let (status, body) = Api::new(&server)
        .post(
            "/api/v1/auth/accept-invite",
            json!({"token": token, "password": "Another g00d one!"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");

    // Refusals exit non-zero and say why.
    let (ok, output) = stores_create(&database, "honey", Some("A good passw0rd!\n"));
    assert!(!ok && output.contains("CONFLICT"), "{output}");
    let (ok, output) = stores_create(&database, "admin", Some("A good passw0rd!\n"));
    assert!(!ok && output.contains("reserved"), "{output}");
    let (ok, output) = stores_create(&database, "short-pw", Some("short\n"));
    assert!(!ok && output.contains("password"), "{output}");

    drop(server);
    remove_data_dir(&data_dir);
}
