//! Carts, checkout, payments, stock and downloads over real HTTP, against the real
//! `colmena-server` binary (SQLite, or PostgreSQL when `COLMENA_TEST_POSTGRES_URL` is set).
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use std::time::Duration;

use common::{error_code, server, Api};
use serde_json::{json, Value};

#[tokio::test]
async fn carts_are_priced_by_the_server_and_merge_lines() {
    let server = server(&[]);
    let api = Api::new(&server);
    // No body at all is an empty cart.
    let response = api
        .http
        .post(server.url("/api/v1/stores/demo/carts"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let empty: Value = response.json().await.unwrap();
    assert_eq!(empty["data"]["items"], json!([]));
    assert_eq!(
        empty["data"]["total"],
        json!({"amount": 0, "currency": "EUR"})
    );
    assert_eq!(empty["data"]["status"], "open");

    let honey = api.product("demo", "wildflower-honey-500-g").await;
    let gloves = api.product("demo", "leather-gloves").await;
    let cart = api
        .new_cart("demo", json!([{ "productId": honey["id"], "quantity": 2 }]))
        .await;
    let cart_path = format!("/api/v1/stores/demo/carts/{}", cart["id"].as_str().unwrap());
    assert_eq!(cart["items"][0]["quantity"], 2);
    assert_eq!(cart["items"][0]["unitPrice"], honey["price"]);
    assert_eq!(cart["items"][0]["lineTotal"]["amount"], 1900);
    assert!(cart["items"][0]["image"]["url"]
        .as_str()
        .unwrap()
        .ends_with(".svg"));

    // A product with several variants needs the variant.
    let (status, body) = api
        .post(
            &format!("{cart_path}/items"),
            json!({ "productId": gloves["id"], "quantity": 1 }),
        )
        .await;
    assert_eq!((status, error_code(&body)), (400, "VALIDATION_ERROR"));
    assert_eq!(body["error"]["details"]["parameter"], "variantId");

    let medium = &gloves["variants"][1];
    assert_eq!(medium["options"], json!({"Size": "M"}));
    let (status, _) = api
        .post(
            &format!("{cart_path}/items"),
            json!({ "variantId": medium["id"], "quantity": 1 }),
        )
        .await;
    assert_eq!(status, 200);
    // The same variant again adds to its line.
    let (status, body) = api
        .post(
            &format!("{cart_path}/items"),
            json!({ "variantId": medium["id"], "quantity": 2 }),
        )
        .await;
    assert_eq!(status, 200);
    let items = body["data"]["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[1]["quantity"], 3);
    assert_eq!(items[1]["variantTitle"], "M");
    assert_eq!(body["data"]["itemCount"], 5);
    assert_eq!(body["data"]["subtotal"]["amount"], 1900 + 3 * 2290);
    assert_eq!(body["data"]["total"], body["data"]["subtotal"]);

    let line = items[1]["id"].as_str().unwrap().to_owned();
    let (status, body) = api
        .patch(
            &format!("{cart_path}/items/{line}"),
            json!({ "quantity": 1 }),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["data"]["subtotal"]["amount"], 1900 + 2290);
    let (status, body) = api.delete(&format!("{cart_path}/items/{line}")).await;
    assert_eq!(status, 200);
    assert_eq!(body["data"]["items"].as_array().unwrap().len(), 1);
    let (status, body) = api.delete(&format!("{cart_path}/items/{line}")).await;
    assert_eq!((status, error_code(&body)), (404, "NOT_FOUND"));

    let (status, body) = api.get(&cart_path).await;
    assert_eq!(status, 200);
    assert_eq!(body["data"]["subtotal"]["amount"], 1900);
}

#[tokio::test]
async fn bad_cart_input_is_refused_with_stable_codes() {
    let server = server(&[]);
    let api = Api::new(&server);
    let honey = api.variant("demo", "wildflower-honey-500-g").await;
    let cart = api.new_cart("demo", json!([])).await;
    let items = format!(
        "/api/v1/stores/demo/carts/{}/items",
        cart["id"].as_str().unwrap()
    );
    for (body, parameter) in [
        (
            json!({ "variantId": honey["id"], "quantity": 0 }),
            "quantity",
        ),
        (
            json!({ "variantId": honey["id"], "quantity": 1000 }),
            "quantity",
        ),
        // A member of the wrong type is named (serde_path_to_error's path).
        (
            json!({ "variantId": honey["id"], "quantity": -1 }),
            "quantity",
        ),
        (
            json!({ "variantId": honey["id"], "quantity": "2" }),
            "quantity",
        ),
        (
            json!({ "variantId": "not-a-uuid", "quantity": 1 }),
            "variantId",
        ),
        (
            json!({ "variantId": honey["id"], "quantity": 1, "price": 1 }),
            "price",
        ),
        (json!({ "quantity": 1 }), "variantId"),
    ] {
        let (status, answer) = api.post(&items, body.clone()).await;
        assert_eq!(
            (status, error_code(&answer)),
            (400, "VALIDATION_ERROR"),
            "{body}"
        );
        assert_eq!(answer["error"]["details"]["parameter"], parameter, "{body}");
    }
    // Malformed JSON, and a body that is not JSON.
    let response = api
        .http
        .post(server.url(&items))
        .header("content-type", "application/json")
        .body("{\"variantId\":")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let response = api
        .http
        .post(server.url(&items))
        .header("content-type", "text/plain")
        .body("quantity=1")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 415);

    // Unknown ids, a malformed id, and another store's variant (tenant isolation).
    let unknown = "00000000-0000-4000-8000-000000000000";
    let (status, body) = api
        .post(&items, json!({ "variantId": unknown, "quantity": 1 }))
        .await;
    assert_eq!((status, error_code(&body)), (404, "NOT_FOUND"));
    assert_eq!(body["error"]["details"]["resource"], "variant");
    let foreign = api.variant("demo-b", "bissap-seche-250-g").await;
    let (status, _) = api
        .post(&items, json!({ "variantId": foreign["id"], "quantity": 1 }))
        .await;
    assert_eq!(status, 404, "a demo-b variant cannot go into a demo cart");
    let (status, body) = api
        .get(&format!(
            "/api/v1/stores/demo-b/carts/{}",
            cart["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(
        (status, error_code(&body)),
        (404, "NOT_FOUND"),
        "demo's cart via demo-b"
    );
    let (status, body) = api.get("/api/v1/stores/demo/carts/nope").await;
    assert_eq!((status, error_code(&body)), (400, "VALIDATION_ERROR"));
    let (status, _) = api
        .post(
            &format!("/api/v1/stores/demo/carts/{unknown}/items"),
            json!({ "variantId": honey["id"], "quantity": 1 }),
        )
        .await;
    assert_eq!(status, 404);

    // Nothing of the refused requests was written.
    let (_, body) = api
        .get(&format!(
            "/api/v1/stores/demo/carts/{}",
            cart["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(body["data"]["items"], json!([]));
    // A cart created with one bad line is not created at all.
    let (status, _) = api
        .post(
            "/api/v1/stores/demo/carts",
            json!({ "items": [
                { "variantId": honey["id"], "quantity": 1 },
                { "variantId": unknown, "quantity": 1 },
            ] }),
        )
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn stock_limits_what_a_cart_and_checkout_take() {
    let server = server(&[]);
    let api = Api::new(&server);
    let comb = api.variant("demo", "raw-comb-honey-400-g").await;
    assert_eq!(comb["available"], 3);
    assert_eq!(comb["inStock"], true);
    let cart = api.new_cart("demo", json!([])).await;
    let items = format!(
        "/api/v1/stores/demo/carts/{}/items",
        cart["id"].as_str().unwrap()
    );
    let (status, body) = api
        .post(&items, json!({ "variantId": comb["id"], "quantity": 4 }))
        .await;
    assert_eq!((status, error_code(&body)), (409, "INSUFFICIENT_INVENTORY"));
    assert_eq!(body["error"]["details"]["available"], 3);
    assert_eq!(body["error"]["details"]["variantId"], comb["id"]);

    let sold_out = api.variant("demo", "eucalyptus-honey-1-kg").await;
    assert_eq!(sold_out["inStock"], false);
    let (status, body) = api
        .post(
            &items,
            json!({ "variantId": sold_out["id"], "quantity": 1 }),
        )
        .await;
    assert_eq!(
        (status, &body["error"]["details"]["available"]),
        (409, &json!(0))
    );

    // Untracked stock has no limit and no `available`.
    let candle = api.variant("demo", "pillar-candle-small").await;
    assert!(candle.get("available").is_none());
    assert_eq!(candle["inStock"], true);

    // Two carts may both hold the last units; the first checkout wins them.
    let first = api
        .new_cart("demo", json!([{ "variantId": comb["id"], "quantity": 3 }]))
        .await;
    let second = api
        .new_cart("demo", json!([{ "variantId": comb["id"], "quantity": 2 }]))
        .await;
    let (status, _) = api.checkout("demo", &first).await;
    assert_eq!(status, 201);
    assert_eq!(api.available("demo", "raw-comb-honey-400-g").await, 0);
    let (status, body) = api.checkout("demo", &second).await;
    assert_eq!((status, error_code(&body)), (409, "INSUFFICIENT_INVENTORY"));
    assert_eq!(body["error"]["details"]["available"], 0);
    // The refused checkout left its cart open to fix.
    let (_, body) = api
        .get(&format!(
            "/api/v1/stores/demo/carts/{}",
            second["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(body["data"]["status"], "open");
}

#[tokio::test]
async fn checkout_pays_and_delivers_digital_goods() {
    let server = server(&["--download-limit", "2"]);
    let api = Api::new(&server);
    let guide = api.product("demo", "beekeeping-field-guide-pdf").await;
    assert_eq!(guide["digital"], true);
    let jacket = api.product("demo", "ventilated-jacket").await;
    let small = &jacket["variants"][0];
    let cart = api
        .new_cart(
            "demo",
            json!([
                { "productId": guide["id"], "quantity": 1 },
                { "variantId": small["id"], "quantity": 2 },
            ]),
        )
        .await;
    let total = cart["total"].clone();
    assert_eq!(total["amount"], 990 + 2 * 6490);

    // A stale total is refused, with the current one.
    let (status, body) = api
        .post(
            "/api/v1/stores/demo/checkout",
            json!({ "cartId": cart["id"], "email": "ana@example.com",
                    "expectedTotal": { "amount": 100, "currency": "EUR" } }),
        )
        .await;
    assert_eq!((status, error_code(&body)), (409, "PRICE_CHANGED"));
    assert_eq!(body["error"]["details"]["currentTotal"], total);

    let (status, body) = api
        .post(
            "/api/v1/stores/demo/checkout",
            json!({ "cartId": cart["id"], "email": " ana@example.com ", "expectedTotal": total }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let order = body["data"]["order"].clone();
    let token = body["data"]["orderToken"].as_str().unwrap().to_owned();
    assert_eq!(order["status"], "pending_payment");
    assert_eq!(order["email"], "ana@example.com");
    assert_eq!(order["total"], total);
    assert_eq!(order["itemCount"], 3);
    assert_eq!(order["payment"]["provider"], "test");
    assert_eq!(order["payment"]["status"], "pending");
    assert_eq!(order["downloads"], json!([]));
    assert_eq!(
        order["items"][0]["productName"],
        "Beekeeping Field Guide (PDF)"
    );
    assert_eq!(order["items"][1]["sku"], "ventilated-jacket-s");
    assert_eq!(
        api.variant("demo", "ventilated-jacket").await["available"],
        2
    );

    // The cart is spent.
    let (status, body) = api.checkout("demo", &cart).await;
    assert_eq!((status, error_code(&body)), (409, "CONFLICT"));
    let cart_path = format!("/api/v1/stores/demo/carts/{}", cart["id"].as_str().unwrap());
    let (status, body) = api
        .post(
            &format!("{cart_path}/items"),
            json!({ "productId": guide["id"], "quantity": 1 }),
        )
        .await;
    assert_eq!((status, error_code(&body)), (409, "CONFLICT"));
    assert_eq!(body["error"]["details"]["status"], "checked_out");

    // Reading the order takes its token.
    let order_path = format!(
        "/api/v1/stores/demo/orders/{}",
        order["id"].as_str().unwrap()
    );
    let (status, body) = api.get(&order_path).await;
    assert_eq!((status, error_code(&body)), (401, "UNAUTHORIZED"));
    let (status, _) = api
        .send(
            api.http
                .get(server.url(&order_path))
                .header("x-order-token", "forged"),
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = api
        .send(
            api.http
                .get(server.url(&order_path.replace("/demo/", "/demo-b/")))
                .header("x-order-token", &token),
        )
        .await;
    assert_eq!(status, 404, "demo's order via demo-b");

    let (status, body) = api.pay("demo", &order, "succeed").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["status"], "paid");
    assert_eq!(body["data"]["payment"]["status"], "succeeded");
    let (status, body) = api.pay("demo", &order, "succeed").await;
    assert_eq!((status, error_code(&body)), (409, "CONFLICT"), "paid twice");

    let (status, body) = api
        .send(
            api.http
                .get(server.url(&order_path))
                .header("x-order-token", &token),
        )
        .await;
    assert_eq!(status, 200);
    let downloads = body["data"]["downloads"].as_array().unwrap();
    assert_eq!(downloads.len(), 1, "one link, for the one digital line");
    let link = &downloads[0];
    assert_eq!(link["fileName"], "beekeeping-field-guide.pdf");
    assert_eq!(link["downloadsRemaining"], 2);
    assert_eq!(link["orderItemId"], order["items"][0]["id"]);
    let url = link["url"].as_str().unwrap();
    assert!(url.starts_with(&server.base_url));

    for _ in 0..2 {
        let response = reqwest::get(url).await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "application/pdf");
        assert!(response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("beekeeping-field-guide.pdf"));
        let bytes = response.bytes().await.unwrap();
        assert!(bytes.starts_with(b"%PDF-1.4"));
    }
    let response = reqwest::get(url).await.unwrap();
    assert_eq!(response.status(), 410, "the link is used up");
    let body: Value = response.json().await.unwrap();
    assert_eq!(error_code(&body), "DOWNLOAD_EXPIRED");

    // A forged or altered token finds nothing.
    let mut forged = url.to_owned();
    let last = forged.pop().unwrap();
    forged.push(if last == 'A' { 'B' } else { 'A' });
    assert_eq!(reqwest::get(&forged).await.unwrap().status(), 404);
    assert_eq!(
        reqwest::get(server.url("/api/v1/downloads/abc"))
            .await
            .unwrap()
            .status(),
        404
    );
}

#[tokio::test]
async fn failed_payments_release_stock_and_bad_checkouts_are_refused() {
    let server = server(&[]);
    let api = Api::new(&server);
    let kit = api.variant("demo", "candle-making-kit").await;
    let cart = api
        .new_cart("demo", json!([{ "variantId": kit["id"], "quantity": 4 }]))
        .await;
    let (status, body) = api
        .post(
            "/api/v1/stores/demo/checkout",
            json!({ "cartId": cart["id"], "email": "not an email" }),
        )
        .await;
    assert_eq!((status, error_code(&body)), (400, "VALIDATION_ERROR"));
    assert_eq!(body["error"]["details"]["parameter"], "email");
    let empty = api.new_cart("demo", json!([])).await;
    let (status, body) = api.checkout("demo", &empty).await;
    assert_eq!((status, error_code(&body)), (400, "VALIDATION_ERROR"));
    assert_eq!(body["error"]["details"]["parameter"], "cartId");
    let (status, body) = api
        .post(
            "/api/v1/stores/demo/checkout",
            json!({ "cartId": "00000000-0000-4000-8000-000000000000", "email": "a@b.io" }),
        )
        .await;
    assert_eq!((status, error_code(&body)), (404, "NOT_FOUND"));
    let (status, _) = api.checkout("demo-b", &cart).await;
    assert_eq!(
        status, 404,
        "demo's cart cannot be checked out through demo-b"
    );

    let (status, body) = api.checkout("demo", &cart).await;
    assert_eq!(status, 201);
    assert_eq!(api.available("demo", "candle-making-kit").await, 6);
    let order = body["data"]["order"].clone();
    let (status, body) = api.pay("demo", &order, "fail").await;
    assert_eq!(status, 200);
    assert_eq!(body["data"]["status"], "cancelled");
    assert_eq!(body["data"]["payment"]["status"], "failed");
    assert_eq!(api.available("demo", "candle-making-kit").await, 10);
    let (status, _) = api.pay("demo", &order, "succeed").await;
    assert_eq!(status, 409, "a cancelled order cannot be paid");
    let (status, body) = api
        .post(
            "/api/v1/stores/demo/test-payments/test_unknown",
            json!({ "outcome": "succeed" }),
        )
        .await;
    assert_eq!((status, error_code(&body)), (404, "NOT_FOUND"));
}

#[tokio::test]
async fn unpaid_orders_expire_and_give_their_stock_back() {
    // One second to pay.
    let server = server(&["--payment-timeout-minutes", "0.0167"]);
    let api = Api::new(&server);
    let trio = api.variant("demo", "honey-tasting-trio").await;
    let cart = api
        .new_cart("demo", json!([{ "variantId": trio["id"], "quantity": 7 }]))
        .await;
    let (status, body) = api.checkout("demo", &cart).await;
    assert_eq!(status, 201);
    let order = body["data"]["order"].clone();
    let token = body["data"]["orderToken"].as_str().unwrap().to_owned();
    assert_eq!(api.available("demo", "honey-tasting-trio").await, 3);
    let order_path = format!(
        "/api/v1/stores/demo/orders/{}",
        order["id"].as_str().unwrap()
    );
    let mut expired = Value::Null;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let (_, body) = api
            .send(
                api.http
                    .get(server.url(&order_path))
                    .header("x-order-token", &token),
            )
            .await;
        if body["data"]["status"] == "cancelled" {
            expired = body["data"].clone();
            break;
        }
    }
    assert_eq!(expired["payment"]["status"], "expired", "{expired}");
    assert_eq!(api.available("demo", "honey-tasting-trio").await, 10);
    let (status, _) = api.pay("demo", &order, "succeed").await;
    assert_eq!(status, 409, "too late to pay");
}

#[tokio::test]
async fn concurrent_checkouts_never_oversell() {
    // Rate and connection limits off: this is one client hammering one store on purpose.
    let server = server(&[
        "--rate-limit-public",
        "0",
        "--max-connections-per-client",
        "0",
    ]);
    let api = Api::new(&server);
    let kit = api.variant("demo", "queen-marking-kit").await;
    assert_eq!(kit["available"], 10);
    let mut carts = Vec::new();
    for _ in 0..100 {
        carts.push(
            api.new_cart("demo", json!([{ "variantId": kit["id"], "quantity": 1 }]))
                .await,
        );
    }
    let checkouts = carts.iter().map(|cart| {
        let http = api.http.clone();
        let url = server.url("/api/v1/stores/demo/checkout");
        let body = json!({ "cartId": cart["id"], "email": "rush@example.com" });
        tokio::spawn(async move {
            let response = http.post(url).json(&body).send().await.unwrap();
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap();
            (status, body["error"]["code"].as_str().map(str::to_owned))
        })
    });
    let mut placed = 0;
    let mut refused = 0;
    for outcome in join_tasks(checkouts).await {
        match outcome {
            (201, None) => placed += 1,
            (409, Some(code)) if code == "INSUFFICIENT_INVENTORY" => refused += 1,
            other => panic!("unexpected checkout outcome {other:?}"),
        }
    }
    assert_eq!((placed, refused), (10, 90));
    let kit = api.variant("demo", "queen-marking-kit").await;
    assert_eq!(kit["available"], 0);
    assert_eq!(kit["inStock"], false);
}

async fn join_tasks<T: Send + 'static>(
    handles: impl Iterator<Item = tokio::task::JoinHandle<T>>,
) -> Vec<T> {
    let mut results = Vec::new();
    for handle in handles.collect::<Vec<_>>() {
        results.push(handle.await.unwrap());
    }
    results
}

#[tokio::test]
async fn openapi_describes_the_commerce_routes() {
    let server = server(&[]);
    let doc: Value = reqwest::get(server.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [
        ("/api/v1/stores/{store}/carts", "post"),
        ("/api/v1/stores/{store}/carts/{cartId}", "get"),
        ("/api/v1/stores/{store}/carts/{cartId}/items", "post"),
        (
            "/api/v1/stores/{store}/carts/{cartId}/items/{itemId}",
            "patch",
        ),
        (
            "/api/v1/stores/{store}/carts/{cartId}/items/{itemId}",
            "delete",
        ),
        ("/api/v1/stores/{store}/checkout", "post"),
        ("/api/v1/stores/{store}/orders/{orderId}", "get"),
        ("/api/v1/stores/{store}/test-payments/{reference}", "post"),
        ("/api/v1/downloads/{token}", "get"),
    ] {
        assert!(paths[path].get(method).is_some(), "{method} {path}");
    }
    let codes = doc["components"]["schemas"]["ErrorCode"]["enum"]
        .as_array()
        .unwrap();
    for code in [
        "INSUFFICIENT_INVENTORY",
        "PRICE_CHANGED",
        "DOWNLOAD_EXPIRED",
    ] {
        assert!(codes.contains(&json!(code)), "{code}");
    }
}

#[tokio::test]
async fn idempotency_keys_make_retries_safe() {
    let server = server(&[]);
    let api = Api::new(&server);
    let honey = api.variant("demo", "wildflower-honey-500-g").await;
    let cart = api.new_cart("demo", json!([])).await;
    let items = format!(
        "/api/v1/stores/demo/carts/{}/items",
        cart["id"].as_str().unwrap()
    );
    let add = |key: &'static str, quantity: u32| {
        api.request(reqwest::Method::POST, &items)
            .header("idempotency-key", key)
            .json(&json!({ "variantId": honey["id"], "quantity": quantity }))
    };
    let (status, first) = api.send(add("add-1", 2)).await;
    assert_eq!(status, 200);
    // The retry (say the answer was lost) replays the answer and adds nothing.
    let replayed = add("add-1", 2).send().await.unwrap();
    assert_eq!(replayed.status(), 200);
    assert_eq!(replayed.headers()["idempotent-replayed"], "true");
    let again: Value = replayed.json().await.unwrap();
    assert_eq!(again["data"], first["data"]);
    let (_, now) = api.get(&items.replace("/items", "")).await;
    assert_eq!(now["data"]["items"][0]["quantity"], 2, "added once");
    // The same key for another request is refused.
    let (status, body) = api.send(add("add-1", 3)).await;
    assert_eq!((status, error_code(&body)), (422, "IDEMPOTENCY_KEY_REUSED"));

    // A checkout retried with its key gives the same order, once.
    let checkout = || {
        api.request(reqwest::Method::POST, "/api/v1/stores/demo/checkout")
            .header("idempotency-key", "checkout-1")
            .json(&json!({ "cartId": cart["id"], "email": "ana@example.com" }))
    };
    let (status, first) = api.send(checkout()).await;
    assert_eq!(status, 201);
    let (status, second) = api.send(checkout()).await;
    assert_eq!(
        status, 201,
        "the stored answer, not a CONFLICT for a spent cart"
    );
    assert_eq!(second["data"]["order"]["id"], first["data"]["order"]["id"]);
    assert_eq!(
        api.available("demo", "wildflower-honey-500-g").await,
        38,
        "reserved once"
    );
    // Errors are kept too: a bad request retried stays the same bad request.
    let bad = || {
        api.request(reqwest::Method::POST, "/api/v1/stores/demo/carts")
            .header("idempotency-key", "bad-1")
            .json(&json!({ "items": [{ "variantId": honey["id"], "quantity": 0 }] }))
    };
    let (status, _) = api.send(bad()).await;
    assert_eq!(status, 400);
    let (status, _) = api.send(bad()).await;
    assert_eq!(status, 400);
    // Keys are per store and credential: another store's same key is a new request.
    let (status, _) = api
        .send(
            api.request(reqwest::Method::POST, "/api/v1/stores/demo-b/carts")
                .header("idempotency-key", "add-1")
                .json(&json!({})),
        )
        .await;
    assert_eq!(status, 201);
    let (status, body) = api
        .send(
            api.request(reqwest::Method::POST, "/api/v1/stores/demo/carts")
                .header("idempotency-key", "x".repeat(256))
                .json(&json!({})),
        )
        .await;
    assert_eq!(
        (status, &body["error"]["details"]["parameter"]),
        (400, &json!("idempotency-key"))
    );
}

#[tokio::test]
async fn answers_holding_a_secret_are_never_kept_for_replay() {
    let server = server(&[]);
    let api = Api::new(&server);
    // Sign-in answers carry tokens: an Idempotency-Key is refused rather than stored.
    let (status, body) = api
        .send(
            api.request(reqwest::Method::POST, "/api/v1/auth/login")
                .header("idempotency-key", "login-1")
                .json(&json!({ "store": "demo", "email": "owner@demo.test", "password": "demo-password" })),
        )
        .await;
    assert_eq!((status, error_code(&body)), (400, "VALIDATION_ERROR"));
    assert_eq!(body["error"]["details"]["parameter"], "idempotency-key");
    let token = api.login("demo", "owner@demo.test", "demo-password").await;
    for path in ["api-keys", "users"] {
        let (status, body) = api
            .send(
                api.request(reqwest::Method::POST, &format!("/api/v1/admin/stores/demo/{path}"))
                    .bearer_auth(&token)
                    .header("idempotency-key", "secret-1")
                    .json(&json!({ "kind": "secret", "name": "x", "email": "x@demo.test", "role": "editor" })),
            )
            .await;
        assert_eq!(
            (status, error_code(&body)),
            (400, "VALIDATION_ERROR"),
            "{path}"
        );
    }
    // The API description does not offer the header there.
    let document: Value = reqwest::get(server.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let login = &document["paths"]["/api/v1/auth/login"]["post"]["parameters"];
    assert!(!login.to_string().contains("Idempotency-Key"), "{login}");
}

#[tokio::test]
async fn a_client_request_id_is_kept_only_when_safe_to_log() {
    let server = server(&[]);
    let api = Api::new(&server);
    let id_of = |response: reqwest::Response| {
        response.headers()["x-request-id"]
            .to_str()
            .unwrap()
            .to_owned()
    };
    let sent = "3f0c9a52-1c4e-4b8a-9f21-5e6d7c8b9a01";
    let response = api
        .request(reqwest::Method::GET, "/api/v1/stores/demo")
        .header("x-request-id", sent)
        .send()
        .await
        .unwrap();
    assert_eq!(id_of(response), sent);
    for unsafe_id in ["a b", "quote\"d", "<script>", &"x".repeat(65)] {
        let response = api
            .request(reqwest::Method::GET, "/api/v1/stores/nope")
            .header("x-request-id", unsafe_id)
            .send()
            .await
            .unwrap();
        let replaced = id_of(response);
        assert_ne!(replaced, unsafe_id);
        assert_eq!(replaced.len(), 36, "a fresh UUID");
    }
}
