//! Shipments and refunds over real HTTP: partial fulfilment with carriers and tracking, the
//! buyer's "shipped" mail, refunds by line (restocked) and by amount, and the order becoming
//! fulfilled, then refunded, when the last parcel leaves and the last money goes back.
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use std::time::Duration;

use common::{error_code, server, Api};
use serde_json::{json, Value};

fn amount(money: &Value) -> i64 {
    money["amount"].as_i64().unwrap()
}

/// A paid order of 2 leather gloves (M) and 1 jar of honey, and the gloves' line id.
async fn paid_order(api: &Api<'_>) -> (Value, String, String) {
    let gloves = api.product("demo", "leather-gloves").await;
    let medium = gloves["variants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|variant| variant["options"]["Size"] == "M")
        .unwrap()
        .clone();
    let honey = api.variant("demo", "wildflower-honey-500-g").await;
    let cart = api
        .new_cart(
            "demo",
            json!([
                { "variantId": medium["id"], "quantity": 2 },
                { "variantId": honey["id"], "quantity": 1 },
            ]),
        )
        .await;
    let (status, body) = api.checkout_as("demo", &cart, "ana@example.com").await;
    assert_eq!(status, 201, "{body}");
    let (status, paid) = api.pay("demo", &body["data"]["order"], "succeed").await;
    assert_eq!(status, 200, "{paid}");
    let order = paid["data"].clone();
    let gloves_line = order["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["variantId"] == medium["id"])
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    (
        order,
        gloves_line,
        medium["id"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn an_order_ships_in_two_parcels_and_is_refunded_in_two_steps() {
    let server = server(&[]);
    let api = Api::new(&server);
    let owner = api.owner("demo").await;
    let (order, gloves_line, medium) = paid_order(&api).await;
    let id = order["id"].as_str().unwrap();
    let orders = format!("/api/v1/admin/stores/demo/orders/{id}");

    // Refusals name what is wrong.
    let (status, body) = owner
        .post(&format!("{orders}/shipments"), json!({ "carrier": "" }))
        .await;
    assert_eq!(
        (status, body["error"]["details"]["parameter"].as_str()),
        (400, Some("carrier"))
    );
    let (status, body) = owner
        .post(
            &format!("{orders}/shipments"),
            json!({ "carrier": "Colissimo", "items": [{ "orderItemId": gloves_line, "quantity": 3 }] }),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["details"]["parameter"], "items[0].quantity");
    let (status, body) = owner
        .post(
            &format!("{orders}/shipments"),
            json!({ "carrier": "Colissimo", "trackingUrl": "http://track.example/1" }),
        )
        .await;
    assert_eq!(
        (status, body["error"]["details"]["parameter"].as_str()),
        (400, Some("trackingUrl"))
    );

    // One glove leaves first: the order is still paid, with one parcel.
    let (status, body) = owner
        .post(
            &format!("{orders}/shipments"),
            json!({ "carrier": "Colissimo", "trackingNumber": "6A12345678901",
                    "trackingUrl": "https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901",
                    "items": [{ "orderItemId": gloves_line, "quantity": 1 }] }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let (_, read) = owner.get(&orders).await;
    assert_eq!(read["data"]["status"], "paid");
    assert_eq!(read["data"]["shipments"].as_array().unwrap().len(), 1);
    // The buyer is told, with the carrier and tracking number.
    let notice = server
        .output_line("order_shipped", Duration::from_secs(10))
        .expect("the shipped message");
    assert!(notice.contains("ana@example.com"), "{notice}");

    // The rest leaves: the order is fulfilled; nothing more ships.
    let (status, body) = owner
        .post(
            &format!("{orders}/shipments"),
            json!({ "carrier": "DHL", "trackingNumber": "JD0002" }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(
        body["data"]["items"].as_array().unwrap().len(),
        2,
        "the other glove and the honey"
    );
    let (_, read) = owner.get(&orders).await;
    assert_eq!(read["data"]["status"], "fulfilled");
    let (status, body) = owner
        .post(&format!("{orders}/shipments"), json!({ "carrier": "DHL" }))
        .await;
    assert_eq!((status, error_code(&body)), (409, "CONFLICT"));

    // One glove comes back: refunded at what was paid for it, and restocked.
    let before = api.product("demo", "leather-gloves").await;
    let units = |product: &Value| {
        product["variants"]
            .as_array()
            .unwrap()
            .iter()
            .find(|variant| variant["id"] == medium.as_str())
            .unwrap()["available"]
            .as_u64()
            .unwrap()
    };
    let (status, body) = owner
        .post(
            &format!("{orders}/refunds"),
            json!({ "items": [{ "orderItemId": gloves_line, "quantity": 1 }], "reason": "too small" }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(amount(&body["data"]["amount"]), 2290);
    assert_eq!(body["data"]["restocked"], true);
    let after = api.product("demo", "leather-gloves").await;
    assert_eq!(units(&after), units(&before) + 1);
    let (_, read) = owner.get(&orders).await;
    assert_eq!(read["data"]["status"], "fulfilled");
    assert_eq!(amount(&read["data"]["refunded"]), 2290);

    // More than is left is refused; an amount (the honey, as a gesture) is fine.
    let total = amount(&order["total"]);
    let (status, body) = owner
        .post(
            &format!("{orders}/refunds"),
            json!({ "amount": { "amount": total, "currency": "EUR" } }),
        )
        .await;
    assert_eq!(
        (status, body["error"]["details"]["parameter"].as_str()),
        (400, Some("amount"))
    );
    let (status, body) = owner
        .post(
            &format!("{orders}/refunds"),
            json!({ "amount": { "amount": 100, "currency": "USD" } }),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    let (status, _) = owner
        .post(
            &format!("{orders}/refunds"),
            json!({ "amount": { "amount": 500, "currency": "EUR" }, "reason": "late delivery" }),
        )
        .await;
    assert_eq!(status, 201);
    server
        .output_line("order_partly_refunded", Duration::from_secs(10))
        .expect("the partial refund message");

    // The full refund gives back what is left, and the order is refunded.
    let (status, body) = owner.post(&format!("{orders}/refund"), json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["status"], "refunded");
    assert_eq!(amount(&body["data"]["refunded"]), total);
    let refunds = body["data"]["refunds"].as_array().unwrap();
    assert_eq!(refunds.len(), 3);
    assert_eq!(amount(&refunds[2]["amount"]), total - 2290 - 500);
    let (status, body) = owner.post(&format!("{orders}/refunds"), json!({})).await;
    assert_eq!((status, error_code(&body)), (409, "CONFLICT"));
}

#[tokio::test]
async fn unpaid_orders_neither_ship_nor_refund_and_stores_keep_their_own() {
    let server = server(&[]);
    let api = Api::new(&server);
    let owner = api.owner("demo").await;
    let honey = api.variant("demo", "wildflower-honey-500-g").await;
    let unpaid = api.order("demo", &honey, 1, "bo@example.com", false).await;
    let orders = format!(
        "/api/v1/admin/stores/demo/orders/{}",
        unpaid["id"].as_str().unwrap()
    );
    let (status, body) = owner
        .post(&format!("{orders}/shipments"), json!({ "carrier": "DHL" }))
        .await;
    assert_eq!((status, error_code(&body)), (409, "CONFLICT"));
    let (status, body) = owner.post(&format!("{orders}/refunds"), json!({})).await;
    assert_eq!((status, error_code(&body)), (409, "CONFLICT"));
    // demo-b's owner cannot reach demo's order.
    let other = api.owner("demo-b").await;
    let (status, _) = other
        .post(
            &format!(
                "/api/v1/admin/stores/demo-b/orders/{}/shipments",
                unpaid["id"].as_str().unwrap()
            ),
            json!({ "carrier": "DHL" }),
        )
        .await;
    assert_eq!(status, 404);
}
