//! Stripe payments against a mock of Stripe's API (mockito, with request bodies in Stripe's form
//! encoding and answers shaped like Stripe's objects), and Stripe's webhook deliveries signed as
//! Stripe signs them.
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use colmena_test_support::TestServer;
use common::{error_code, Api, BIN};
use mockito::Matcher;
use serde_json::{json, Value};

const PLATFORM_KEY: &str = "sk_test_platform_51Hxyz";
const WEBHOOK_SECRET: &str = "whsec_test_stripe_endpoint";
const ACCOUNT: &str = "acct_1DemoStore";
const OTHER_ACCOUNT: &str = "acct_1OtherStore";

fn start(stripe: &mockito::ServerGuard) -> TestServer {
    TestServer::start(
        std::path::Path::new(BIN),
        &[
            "--stripe-secret-key",
            PLATFORM_KEY,
            "--stripe-webhook-secret",
            WEBHOOK_SECRET,
            "--stripe-api-base",
            &stripe.url(),
        ],
    )
}

/// A Checkout Session as Stripe answers its creation.
fn session_json(id: &str) -> String {
    json!({
        "id": id,
        "object": "checkout.session",
        "mode": "payment",
        "payment_status": "unpaid",
        "status": "open",
        "url": format!("https://checkout.stripe.com/c/pay/{id}"),
        "payment_intent": null,
        "livemode": false
    })
    .to_string()
}

/// A Stripe event, signed with `secret` at `timestamp` as Stripe signs its deliveries.
fn signed_event(
    id: &str,
    event_type: &str,
    account: Option<&str>,
    object: Value,
    secret: &str,
    timestamp: i64,
) -> (String, String) {
    let mut event = json!({
        "id": id,
        "object": "event",
        "api_version": "2024-06-20",
        "created": timestamp,
        "type": event_type,
        "livemode": false,
        "data": { "object": object }
    });
    if let Some(account) = account {
        event["account"] = json!(account);
    }
    let body = event.to_string();
    let header = colmena_sdk::webhook::sign(secret, timestamp, body.as_bytes());
    (body, header)
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

async fn deliver(api: &Api<'_>, body: &str, signature: Option<&str>) -> (u16, Value) {
    let mut request = api
        .request(reqwest::Method::POST, "/api/v1/webhooks/stripe")
        .header("content-type", "application/json")
        .body(body.to_owned());
    if let Some(signature) = signature {
        request = request.header("stripe-signature", signature);
    }
    api.send(request).await
}

#[tokio::test]
async fn a_stripe_checkout_is_created_paid_by_webhook_and_refunded() {
    let mut stripe = mockito::Server::new_async().await;
    let server = start(&stripe);
    let api = Api::new(&server);
    let owner = api.owner("demo").await;
    let settings = "/api/v1/admin/stores/demo";

    // Choosing Stripe needs the store's Connect account; unknown providers are refused.
    let (status, body) = owner
        .patch(settings, json!({ "paymentProvider": "stripe" }))
        .await;
    assert_eq!(
        (status, &body["error"]["details"]["parameter"]),
        (400, &json!("stripeAccountId"))
    );
    let (status, _) = owner
        .patch(settings, json!({ "paymentProvider": "paypal" }))
        .await;
    assert_eq!(status, 400);
    let (status, _) = owner
        .patch(
            settings,
            json!({ "paymentProvider": "stripe", "stripeAccountId": "not-an-account" }),
        )
        .await;
    assert_eq!(status, 400);
    let (status, body) = owner
        .patch(
            settings,
            json!({ "paymentProvider": "stripe", "stripeAccountId": ACCOUNT }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["data"]["payments"],
        json!({ "provider": "stripe", "stripeAccountId": ACCOUNT })
    );
    // Another store on the platform, for the cross-store check.
    let other = api.owner("demo-b").await;
    let (status, _) = other
        .patch(
            "/api/v1/admin/stores/demo-b",
            json!({ "paymentProvider": "stripe", "stripeAccountId": OTHER_ACCOUNT }),
        )
        .await;
    assert_eq!(status, 200);
    // Two stores cannot share one account.
    let (status, body) = other
        .patch(
            "/api/v1/admin/stores/demo-b",
            json!({ "stripeAccountId": ACCOUNT }),
        )
        .await;
    assert_eq!((status, error_code(&body)), (409, "CONFLICT"));

    // Checkout creates a Checkout Session on the store's account, form-encoded as Stripe wants.
    let honey = api.variant("demo", "wildflower-honey-500-g").await;
    let cart = api
        .new_cart("demo", json!([{ "variantId": honey["id"], "quantity": 2 }]))
        .await;
    let total = cart["total"]["amount"].as_i64().unwrap();
    let create = stripe
        .mock("POST", "/v1/checkout/sessions")
        .match_header("authorization", format!("Bearer {PLATFORM_KEY}").as_str())
        .match_header("stripe-account", ACCOUNT)
        .match_header("content-type", "application/x-www-form-urlencoded")
        .match_header(
            "idempotency-key",
            Matcher::Regex("^colmena-checkout-[0-9a-f-]{36}$".into()),
        )
        .match_body(Matcher::AllOf(vec![
            Matcher::UrlEncoded("mode".into(), "payment".into()),
            Matcher::UrlEncoded("customer_email".into(), "ana@example.com".into()),
            Matcher::UrlEncoded("line_items[0][quantity]".into(), "1".into()),
            Matcher::UrlEncoded("line_items[0][price_data][currency]".into(), "eur".into()),
            Matcher::UrlEncoded(
                "line_items[0][price_data][unit_amount]".into(),
                total.to_string(),
            ),
            Matcher::Regex("client_reference_id=[0-9a-f-]{36}".into()),
            Matcher::Regex("payment_intent_data%5Bmetadata%5D%5Border_id%5D=[0-9a-f-]{36}".into()),
        ]))
        .with_status(200)
        .with_header("content-type", "application/json")
        .with_body(session_json("cs_test_a1b2c3"))
        .expect(1)
        .create_async()
        .await;
    let origin = server.base_url.clone();
    let (status, body) = api
        .post(
            "/api/v1/stores/demo/checkout",
            json!({ "cartId": cart["id"], "email": "ana@example.com", "returnUrl": format!("{origin}/thanks") }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    create.assert_async().await;
    let order = body["data"]["order"].clone();
    let order_id = order["id"].as_str().unwrap().to_owned();
    assert_eq!(order["payment"]["provider"], "stripe");
    assert_eq!(order["payment"]["reference"], "cs_test_a1b2c3");
    assert_eq!(
        order["payment"]["redirectUrl"],
        "https://checkout.stripe.com/c/pay/cs_test_a1b2c3"
    );
    assert_eq!(order["status"], "pending_payment");
    // A return URL off the store's origins would make the payment page an open redirect.
    let cart2 = api
        .new_cart("demo", json!([{ "variantId": honey["id"], "quantity": 1 }]))
        .await;
    let (status, body) = api
        .post(
            "/api/v1/stores/demo/checkout",
            json!({ "cartId": cart2["id"], "email": "ana@example.com", "returnUrl": "https://evil.example/phish" }),
        )
        .await;
    assert_eq!(
        (status, &body["error"]["details"]["parameter"]),
        (400, &json!("returnUrl"))
    );
    // The test provider's settle route does not exist for a Stripe store.
    let (status, _) = api
        .post(
            "/api/v1/stores/demo/test-payments/cs_test_a1b2c3",
            json!({ "outcome": "succeed" }),
        )
        .await;
    assert_eq!(status, 404);

    // Stripe says the session is paid.
    let session = json!({
        "id": "cs_test_a1b2c3", "object": "checkout.session", "payment_status": "paid",
        "status": "complete", "payment_intent": "pi_3Demo", "client_reference_id": order_id,
        "metadata": { "order_id": order_id, "store_id": "ignored" }
    });
    let (paid_body, paid_signature) = signed_event(
        "evt_paid_1",
        "checkout.session.completed",
        Some(ACCOUNT),
        session.clone(),
        WEBHOOK_SECRET,
        now(),
    );

    // Forged, stale, malformed and missing signatures change nothing.
    let (forged, forged_signature) = signed_event(
        "evt_paid_1",
        "checkout.session.completed",
        Some(ACCOUNT),
        session.clone(),
        "whsec_attacker",
        now(),
    );
    let (status, body) = deliver(&api, &forged, Some(&forged_signature)).await;
    assert_eq!((status, error_code(&body)), (401, "UNAUTHORIZED"));
    let (old_body, old_signature) = signed_event(
        "evt_paid_1",
        "checkout.session.completed",
        Some(ACCOUNT),
        session.clone(),
        WEBHOOK_SECRET,
        now() - 600,
    );
    let (status, _) = deliver(&api, &old_body, Some(&old_signature)).await;
    assert_eq!(status, 401);
    let (status, _) = deliver(&api, &paid_body, Some("v1=deadbeef")).await;
    assert_eq!(status, 400);
    let (status, _) = deliver(&api, &paid_body, None).await;
    assert_eq!(status, 400);
    // Secret rotation: a header with the old and the new signature is accepted.
    let at = now();
    let v1 = |secret: &str| {
        let header = colmena_sdk::webhook::sign(secret, at, paid_body.as_bytes());
        header.split_once(",v1=").unwrap().1.to_owned()
    };
    let rotated = format!(
        "t={at},v1={},v1={}",
        v1("whsec_previous"),
        v1(WEBHOOK_SECRET)
    );
    let (status, body) = deliver(&api, &paid_body, Some(&rotated)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["data"],
        json!({ "eventId": "evt_paid_1", "applied": true, "duplicate": false })
    );
    let (_, read) = owner
        .get(&format!("/api/v1/admin/stores/demo/orders/{order_id}"))
        .await;
    assert_eq!(read["data"]["status"], "paid");
    assert_eq!(read["data"]["payment"]["status"], "succeeded");
    // The same event again changes nothing.
    let (status, body) = deliver(&api, &paid_body, Some(&paid_signature)).await;
    assert_eq!(status, 200);
    assert_eq!(body["data"]["duplicate"], true);

    // An event from another store's account about this order is refused.
    let (foreign, foreign_signature) = signed_event(
        "evt_foreign",
        "charge.refunded",
        Some(OTHER_ACCOUNT),
        json!({ "id": "ch_1", "object": "charge", "payment_intent": "pi_3Demo" }),
        WEBHOOK_SECRET,
        now(),
    );
    let (status, body) = deliver(&api, &foreign, Some(&foreign_signature)).await;
    assert_eq!((status, error_code(&body)), (403, "FORBIDDEN"));
    let (_, read) = owner
        .get(&format!("/api/v1/admin/stores/demo/orders/{order_id}"))
        .await;
    assert_eq!(read["data"]["status"], "paid");

    // A refund from the admin API goes through Stripe first; a refusal leaves the order paid.
    let refused = stripe
        .mock("POST", "/v1/refunds")
        .match_header("stripe-account", ACCOUNT)
        .with_status(400)
        .with_body(json!({ "error": { "type": "invalid_request_error", "message": "Charge already refunded" } }).to_string())
        .expect(1)
        .create_async()
        .await;
    let refund_path = format!("/api/v1/admin/stores/demo/orders/{order_id}/refund");
    let (status, body) = owner.post(&refund_path, json!({})).await;
    assert_eq!((status, error_code(&body)), (502, "PAYMENT_PROVIDER_ERROR"));
    refused.assert_async().await;
    let refunded = stripe
        .mock("POST", "/v1/refunds")
        .match_header("stripe-account", ACCOUNT)
        // One key per refund: a retry of this refund is not paid twice, and a second partial
        // refund of the order is not mistaken for a retry of the first.
        .match_header(
            "idempotency-key",
            Matcher::Regex("^colmena-refund-[0-9a-f-]{36}$".into()),
        )
        .match_body(Matcher::AllOf(vec![
            Matcher::UrlEncoded("payment_intent".into(), "pi_3Demo".into()),
            Matcher::UrlEncoded("amount".into(), total.to_string()),
            Matcher::UrlEncoded("metadata[order_id]".into(), order_id.clone()),
        ]))
        .with_body(json!({ "id": "re_1", "object": "refund", "status": "succeeded", "payment_intent": "pi_3Demo", "amount": total }).to_string())
        .expect(1)
        .create_async()
        .await;
    let (status, body) = owner.post(&refund_path, json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["status"], "refunded");
    refunded.assert_async().await;
    // Stripe's own charge.refunded then arrives: acknowledged, nothing left to change.
    let (refund_body, refund_signature) = signed_event(
        "evt_refund",
        "charge.refunded",
        Some(ACCOUNT),
        json!({ "id": "ch_1", "object": "charge", "payment_intent": "pi_3Demo", "refunded": true }),
        WEBHOOK_SECRET,
        now(),
    );
    let (status, body) = deliver(&api, &refund_body, Some(&refund_signature)).await;
    assert_eq!(status, 200);
    assert_eq!(
        body["data"],
        json!({ "eventId": "evt_refund", "applied": false, "duplicate": false })
    );
}

#[tokio::test]
async fn expired_sessions_and_provider_failures_release_the_stock() {
    let mut stripe = mockito::Server::new_async().await;
    let server = start(&stripe);
    let api = Api::new(&server);
    let owner = api.owner("demo").await;
    let (status, _) = owner
        .patch(
            "/api/v1/admin/stores/demo",
            json!({ "paymentProvider": "stripe", "stripeAccountId": ACCOUNT }),
        )
        .await;
    assert_eq!(status, 200);
    let kit = api.variant("demo", "queen-marking-kit").await;
    assert_eq!(api.available("demo", "queen-marking-kit").await, 10);

    // Stripe down: checkout answers 502 and the reserved stock comes back.
    let down = stripe
        .mock("POST", "/v1/checkout/sessions")
        .with_status(500)
        .with_body(
            json!({ "error": { "type": "api_error", "message": "An unknown error occurred" } })
                .to_string(),
        )
        .expect(1)
        .create_async()
        .await;
    let cart = api
        .new_cart("demo", json!([{ "variantId": kit["id"], "quantity": 4 }]))
        .await;
    let (status, body) = api.checkout("demo", &cart).await;
    assert_eq!((status, error_code(&body)), (502, "PAYMENT_PROVIDER_ERROR"));
    down.assert_async().await;
    assert_eq!(api.available("demo", "queen-marking-kit").await, 10);

    // The cart opened again: once Stripe is back, the same cart checks out. A session that
    // expires unpaid then cancels its order and releases the stock.
    let up = stripe
        .mock("POST", "/v1/checkout/sessions")
        .with_body(session_json("cs_test_expiring"))
        .create_async()
        .await;
    let (status, body) = api.checkout("demo", &cart).await;
    assert_eq!(status, 201, "{body}");
    up.assert_async().await;
    assert_eq!(api.available("demo", "queen-marking-kit").await, 6);
    let order_id = body["data"]["order"]["id"].as_str().unwrap().to_owned();
    let (expired, signature) = signed_event(
        "evt_expired",
        "checkout.session.expired",
        Some(ACCOUNT),
        json!({ "id": "cs_test_expiring", "object": "checkout.session", "payment_status": "unpaid",
                "status": "expired", "metadata": { "order_id": order_id } }),
        WEBHOOK_SECRET,
        now(),
    );
    let (status, body) = deliver(&api, &expired, Some(&signature)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["applied"], true);
    assert_eq!(api.available("demo", "queen-marking-kit").await, 10);
    let (_, read) = owner
        .get(&format!("/api/v1/admin/stores/demo/orders/{order_id}"))
        .await;
    assert_eq!(
        (
            read["data"]["status"].clone(),
            read["data"]["payment"]["status"].clone()
        ),
        (json!("cancelled"), json!("expired"))
    );

    // An event naming a session that is not the order's is refused.
    let (wrong, signature) = signed_event(
        "evt_wrong_session",
        "checkout.session.completed",
        Some(ACCOUNT),
        json!({ "id": "cs_test_someone_else", "object": "checkout.session", "payment_status": "paid",
                "metadata": { "order_id": order_id } }),
        WEBHOOK_SECRET,
        now(),
    );
    let (status, _) = deliver(&api, &wrong, Some(&signature)).await;
    assert_eq!(status, 403);
    // Event types Colmena does not act on are acknowledged.
    let (other, signature) = signed_event(
        "evt_other",
        "customer.created",
        Some(ACCOUNT),
        json!({ "id": "cus_1" }),
        WEBHOOK_SECRET,
        now(),
    );
    let (status, body) = deliver(&api, &other, Some(&signature)).await;
    assert_eq!(status, 200);
    assert_eq!(body["data"]["applied"], false);
}
