//! Real orders over real HTTP: addresses checked by country, shipping zones and rates, tax
//! (included in prices or added, rounded per line or per order), stacked discounts and their
//! refusal codes, usage limits and order numbers under concurrency, and the totals breakdown
//! from cart to order.
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use std::collections::BTreeSet;

use common::{error_code, server, Api};
use reqwest::Method;
use serde_json::{json, Value};

async fn put(api: &Api<'_>, path: &str, body: Value) -> (u16, Value) {
    api.call(Method::PUT, path, Some(body)).await
}

/// The demo store ships to France (Colissimo, free from 50 €; a heavy-parcel band) and offers
/// pickup everywhere; French VAT 20 % is included in its prices.
async fn set_up_shipping_and_vat(owner: &Api<'_>) -> (String, String) {
    let (status, body) = put(
        owner,
        "/api/v1/admin/stores/demo/tax",
        json!({
            "pricesIncludeTax": true,
            "rounding": "per_line",
            "shippingTaxable": true,
            "rates": [
                { "country": "FR", "rate": 2000, "name": "TVA" },
                { "country": "ES", "rate": 2100, "name": "IVA" },
                { "country": "US", "region": "CA", "rate": 725, "name": "Sales tax" },
            ]
        }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, france) = owner
        .post(
            "/api/v1/admin/stores/demo/shipping-zones",
            json!({
                "name": "France",
                "regions": ["FR"],
                "rates": [
                    { "name": "Colissimo", "kind": "flat",
                      "price": { "amount": 490, "currency": "EUR" },
                      "freeOver": { "amount": 5000, "currency": "EUR" } },
                    { "name": "Heavy parcel", "kind": "weight", "minWeightGrams": 10000,
                      "price": { "amount": 1490, "currency": "EUR" } },
                ]
            }),
        )
        .await;
    assert_eq!(status, 201, "{france}");
    let (status, everywhere) = owner
        .post(
            "/api/v1/admin/stores/demo/shipping-zones",
            json!({
                "name": "Everywhere else",
                "rates": [{ "name": "Pick up at the apiary", "kind": "pickup",
                            "price": { "amount": 0, "currency": "EUR" } }]
            }),
        )
        .await;
    assert_eq!(status, 201, "{everywhere}");
    (
        france["data"]["rates"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned(),
        everywhere["data"]["rates"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned(),
    )
}

async fn discount(owner: &Api<'_>, rule: Value) -> Value {
    let (status, body) = owner
        .post("/api/v1/admin/stores/demo/discounts", rule)
        .await;
    assert_eq!(status, 201, "{body}");
    body["data"].clone()
}

fn paris() -> Value {
    json!({ "name": "Ana Silva", "line1": "12 rue Oberkampf", "city": "Paris",
            "postalCode": "75011", "country": "fr" })
}

fn amount(money: &Value) -> i64 {
    money["amount"].as_i64().unwrap()
}

async fn update_cart(api: &Api<'_>, cart: &Value, body: Value) -> (u16, Value) {
    let id = cart["id"].as_str().unwrap();
    api.patch(&format!("/api/v1/stores/demo/carts/{id}"), body)
        .await
}

#[tokio::test]
async fn a_shipped_order_carries_its_address_rate_discounts_and_included_vat() {
    let server = server(&[]);
    let api = Api::new(&server);
    let owner = api.owner("demo").await;
    let (colissimo, pickup) = set_up_shipping_and_vat(&owner).await;
    discount(
        &owner,
        json!({ "name": "Ten percent", "code": "ten", "kind": "percentage", "value": 1000 }),
    )
    .await;

    let honey = api.variant("demo", "wildflower-honey-500-g").await;
    let candle = api.variant("demo", "pillar-candle-small").await;
    let cart = api
        .new_cart(
            "demo",
            json!([
                { "variantId": honey["id"], "quantity": 2 },
                { "variantId": candle["id"], "quantity": 1 },
            ]),
        )
        .await;
    // Before an address: only pickup, no tax yet, and checkout asks for what is missing.
    assert_eq!(cart["requiresShipping"], true);
    assert_eq!(cart["shippingOptions"].as_array().unwrap().len(), 1);
    assert_eq!(cart["shippingOptions"][0]["id"], pickup.as_str());
    assert_eq!(amount(&cart["totals"]["tax"]), 0);
    let (status, body) = api.checkout("demo", &cart).await;
    assert_eq!((status, error_code(&body)), (400, "VALIDATION_ERROR"));
    assert_eq!(
        body["error"]["details"]["parameter"], "shippingRateId",
        "{body}"
    );

    // The address is checked against France's format.
    let mut bad = paris();
    bad["postalCode"] = json!("7501");
    let (status, body) = update_cart(&api, &cart, json!({ "shippingAddress": bad })).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["error"]["details"]["parameter"],
        "shippingAddress.postalCode"
    );

    let (status, body) = update_cart(
        &api,
        &cart,
        json!({ "shippingAddress": paris(), "discountCodes": ["TEN"] }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let cart = body["data"].clone();
    assert_eq!(cart["shippingAddress"]["country"], "FR");
    let offered: Vec<&str> = cart["shippingOptions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|option| option["name"].as_str().unwrap())
        .collect();
    // The heavy-parcel band needs 10 kg; the cart's items have no weight.
    assert_eq!(offered, ["Colissimo"]);
    let (status, body) = update_cart(&api, &cart, json!({ "shippingRateId": colissimo })).await;
    assert_eq!(status, 200, "{body}");
    let totals = body["data"]["totals"].clone();
    // 2 × 9.50 + 12.00 = 31.00; 10 % off = 3.10; 27.90 < 50.00 so Colissimo costs 4.90.
    // VAT included, per line: (19.00 − 1.90) → 2.85; (12.00 − 1.20) → 1.80; shipping 4.90 →
    // 0.8166… → 0.82. Total 31.00 − 3.10 + 4.90 = 32.80.
    assert_eq!(amount(&totals["subtotal"]), 3100);
    assert_eq!(totals["discounts"][0]["code"], "TEN");
    assert_eq!(amount(&totals["discounts"][0]["amount"]), 310);
    assert_eq!(amount(&totals["shipping"]), 490);
    assert_eq!(amount(&totals["tax"]), 285 + 180 + 82);
    assert_eq!(totals["taxIncluded"], true);
    assert_eq!(amount(&totals["total"]), 3280);
    assert_eq!(amount(&body["data"]["total"]), 3280);

    let (status, body) = api
        .post(
            "/api/v1/stores/demo/checkout",
            json!({ "cartId": cart["id"], "email": "ana@example.com",
                    "phone": "06 12 34 56 78", "expectedTotal": { "amount": 3280, "currency": "EUR" } }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let order = &body["data"]["order"];
    assert_eq!(order["number"], 1001);
    assert_eq!(order["customerName"], "Ana Silva");
    assert_eq!(order["phone"], "+33612345678");
    assert_eq!(order["shippingAddress"]["postalCode"], "75011");
    assert_eq!(order["shippingMethod"], "Colissimo");
    assert_eq!(order["totals"], totals);
    assert_eq!(amount(&order["total"]), 3280);

    // The admin sees the same order, number and breakdown.
    let id = order["id"].as_str().unwrap();
    let (_, admin) = owner
        .get(&format!("/api/v1/admin/stores/demo/orders/{id}"))
        .await;
    assert_eq!(admin["data"]["number"], 1001);
    assert_eq!(admin["data"]["totals"], totals);
}

#[tokio::test]
async fn tax_added_to_prices_by_region_and_rounded_per_line_or_per_order() {
    let server = server(&[]);
    let api = Api::new(&server);
    let owner = api.owner("demo").await;
    let rates = json!([
        { "country": "US", "rate": 0, "name": "None" },
        { "country": "US", "region": "CA", "rate": 725, "name": "CA sales tax" },
    ]);
    let (status, body) = put(
        &owner,
        "/api/v1/admin/stores/demo/tax",
        json!({ "pricesIncludeTax": false, "rounding": "per_line", "rates": rates }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    // Three lip balms (4.50) and three tea lights (9.90): per line 0.97875 → 0.98 and
    // 2.15325 → 2.15 (3.13); per order 3.1320 → 3.13 as well, so use one line each of
    // 4.50 (0.32625 → 0.33) and 9.90 (0.71775 → 0.72): 1.05 per line, 1.04 per order.
    let balm = api.variant("demo", "beeswax-lip-balm").await;
    let lights = api.variant("demo", "tea-lights-12").await;
    let cart = api
        .new_cart(
            "demo",
            json!([
                { "variantId": balm["id"], "quantity": 1 },
                { "variantId": lights["id"], "quantity": 1 },
            ]),
        )
        .await;
    let california = json!({ "name": "Bo Lee", "line1": "1 Market St", "city": "San Francisco",
                             "region": "ca", "postalCode": "94105", "country": "US" });
    let (status, body) = update_cart(&api, &cart, json!({ "billingAddress": california })).await;
    assert_eq!(status, 200, "{body}");
    let totals = &body["data"]["totals"];
    assert_eq!(totals["taxIncluded"], false);
    assert_eq!(amount(&totals["tax"]), 33 + 72);
    assert_eq!(amount(&totals["total"]), 1440 + 105);

    let (status, _) = put(
        &owner,
        "/api/v1/admin/stores/demo/tax",
        json!({ "pricesIncludeTax": false, "rounding": "per_order", "rates": rates }),
    )
    .await;
    assert_eq!(status, 200);
    let (_, body) = api
        .get(&format!(
            "/api/v1/stores/demo/carts/{}",
            cart["id"].as_str().unwrap()
        ))
        .await;
    // 14.40 × 7.25 % = 1.044 → 1.04.
    assert_eq!(amount(&body["data"]["totals"]["tax"]), 104);

    // Nevada is in the US but has no rate of its own: the country's 0 %.
    let nevada = json!({ "name": "Bo Lee", "line1": "1 Main St", "city": "Reno",
                         "region": "NV", "postalCode": "89501", "country": "US" });
    let (_, body) = update_cart(&api, &cart, json!({ "billingAddress": nevada })).await;
    assert_eq!(amount(&body["data"]["totals"]["tax"]), 0);

    // Bad settings are refused member by member.
    let (status, body) = put(
        &owner,
        "/api/v1/admin/stores/demo/tax",
        json!({ "pricesIncludeTax": false, "rates": [{ "country": "US", "region": "ZZ", "rate": 5, "name": "x" }] }),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["details"]["parameter"], "rates[0].region");
    let (status, body) = put(
        &owner,
        "/api/v1/admin/stores/demo/tax",
        json!({ "pricesIncludeTax": false, "rates": [{ "country": "FR", "rate": 10001, "name": "x" }] }),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["details"]["parameter"], "rates[0].rate");
}

#[tokio::test]
async fn every_discount_refusal_has_its_own_code() {
    let server = server(&[]);
    let api = Api::new(&server);
    let owner = api.owner("demo").await;
    discount(
        &owner,
        json!({ "name": "Summer", "code": "SUMMER", "kind": "percentage", "value": 1500,
                "startsAt": "2020-06-01T00:00:00Z", "endsAt": "2020-09-01T00:00:00Z" }),
    )
    .await;
    discount(
        &owner,
        json!({ "name": "Big spender", "code": "BIG", "kind": "fixed_amount",
                "amount": { "amount": 1000, "currency": "EUR" },
                "minSubtotal": { "amount": 10000, "currency": "EUR" } }),
    )
    .await;
    discount(
        &owner,
        json!({ "name": "Once", "code": "ONCE", "kind": "percentage", "value": 500, "usageLimit": 1 }),
    )
    .await;
    discount(
        &owner,
        json!({ "name": "Welcome", "code": "WELCOME", "kind": "percentage", "value": 500,
                "perCustomerLimit": 1 }),
    )
    .await;
    discount(
        &owner,
        json!({ "name": "Off", "code": "OFF", "kind": "percentage", "value": 500, "active": false }),
    )
    .await;
    let honey = api.variant("demo", "wildflower-honey-500-g").await;
    let cart = api
        .new_cart("demo", json!([{ "variantId": honey["id"], "quantity": 1 }]))
        .await;
    for (code, expected) in [
        ("NOPE", "DISCOUNT_NOT_FOUND"),
        ("off", "DISCOUNT_NOT_FOUND"),
        ("summer", "DISCOUNT_EXPIRED"),
        ("BIG", "DISCOUNT_NOT_APPLICABLE"),
    ] {
        let (status, body) = update_cart(&api, &cart, json!({ "discountCodes": [code] })).await;
        assert_eq!(
            (status, error_code(&body)),
            (422, expected),
            "{code}: {body}"
        );
        assert_eq!(body["error"]["details"]["parameter"], "discountCodes");
    }
    let (status, body) = update_cart(&api, &cart, json!({ "discountCodes": ["bad code!"] })).await;
    assert_eq!(
        (status, error_code(&body)),
        (400, "VALIDATION_ERROR"),
        "{body}"
    );

    // ONCE: the first order uses it up.
    let buy_with = |code: &'static str, email: &'static str| {
        let api = &api;
        let honey = &honey;
        async move {
            let cart = api
                .new_cart("demo", json!([{ "variantId": honey["id"], "quantity": 1 }]))
                .await;
            api.post(
                "/api/v1/stores/demo/checkout",
                json!({ "cartId": cart["id"], "email": email, "discountCodes": [code] }),
            )
            .await
        }
    };
    let (status, body) = buy_with("ONCE", "a@example.com").await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(
        amount(&body["data"]["order"]["totals"]["discountTotal"]),
        48
    );
    let (status, body) = buy_with("ONCE", "b@example.com").await;
    assert_eq!(
        (status, error_code(&body)),
        (422, "DISCOUNT_USAGE_LIMIT_REACHED")
    );
    // WELCOME: once per customer (emails compared without case).
    let (status, _) = buy_with("WELCOME", "c@example.com").await;
    assert_eq!(status, 201);
    let (status, body) = buy_with("WELCOME", "C@Example.com").await;
    assert_eq!(
        (status, error_code(&body)),
        (422, "DISCOUNT_USAGE_LIMIT_REACHED")
    );
    let (status, _) = buy_with("WELCOME", "d@example.com").await;
    assert_eq!(status, 201);

    // A cancelled order gives its use back.
    let (_, listed) = owner.get("/api/v1/admin/stores/demo/discounts").await;
    let once = listed["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"]["code"] == "ONCE")
        .unwrap()
        .clone();
    assert_eq!(once["timesUsed"], 1);
    let (_, orders) = owner
        .get("/api/v1/admin/stores/demo/orders?email=a@example.com")
        .await;
    let order_id = orders["data"][0]["id"].as_str().unwrap();
    let (status, body) = owner
        .post(
            &format!("/api/v1/admin/stores/demo/orders/{order_id}/status"),
            json!({ "status": "cancelled" }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, again) = owner
        .get(&format!(
            "/api/v1/admin/stores/demo/discounts/{}",
            once["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(again["data"]["timesUsed"], 0);
    let (status, _) = buy_with("ONCE", "e@example.com").await;
    assert_eq!(status, 201);
}

#[tokio::test]
async fn a_code_limited_to_ten_uses_admits_ten_of_a_hundred_concurrent_checkouts() {
    let server = server(&["--rate-limit-public", "0"]);
    let api = Api::new(&server);
    let owner = api.owner("demo").await;
    discount(
        &owner,
        json!({ "name": "Ten only", "code": "TENONLY", "kind": "percentage", "value": 1000,
                "usageLimit": 10 }),
    )
    .await;
    // Hexagon candles do not track stock, so only the code can run out.
    let candle = api.variant("demo", "hexagon-candle").await;
    let mut carts = Vec::new();
    for _ in 0..100 {
        let cart = api
            .new_cart(
                "demo",
                json!([{ "variantId": candle["id"], "quantity": 1 }]),
            )
            .await;
        let (status, body) =
            update_cart(&api, &cart, json!({ "discountCodes": ["TENONLY"] })).await;
        assert_eq!(status, 200, "{body}");
        carts.push(cart);
    }
    let checkouts = carts.iter().enumerate().map(|(index, cart)| {
        let api = &api;
        async move {
            api.checkout_as("demo", cart, &format!("buyer{index}@example.com"))
                .await
        }
    });
    let results = futures_util::future::join_all(checkouts).await;
    let placed = results.iter().filter(|(status, _)| *status == 201).count();
    let refused = results
        .iter()
        .filter(|(status, body)| {
            *status == 422 && error_code(body) == "DISCOUNT_USAGE_LIMIT_REACHED"
        })
        .count();
    assert_eq!(
        (placed, refused),
        (10, 90),
        "{:?}",
        results.iter().map(|r| r.0).collect::<Vec<_>>()
    );
    let (_, listed) = owner.get("/api/v1/admin/stores/demo/discounts").await;
    assert_eq!(listed["data"][0]["timesUsed"], 10);
    // A refused checkout leaves its cart open, to try again without the code.
    let refused_cart = carts
        .iter()
        .zip(&results)
        .find(|(_, (status, _))| *status == 422)
        .unwrap()
        .0;
    let (status, body) = api
        .post(
            "/api/v1/stores/demo/checkout",
            json!({ "cartId": refused_cart["id"], "email": "late@example.com", "discountCodes": [] }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
}

#[tokio::test]
async fn order_numbers_are_sequential_and_unique_under_concurrency() {
    let server = server(&["--rate-limit-public", "0"]);
    let api = Api::new(&server);
    let candle = api.variant("demo", "hexagon-candle").await;
    let mut carts = Vec::new();
    for _ in 0..30 {
        carts.push(
            api.new_cart(
                "demo",
                json!([{ "variantId": candle["id"], "quantity": 1 }]),
            )
            .await,
        );
    }
    let results =
        futures_util::future::join_all(carts.iter().map(|cart| api.checkout("demo", cart))).await;
    let numbers: BTreeSet<u64> = results
        .iter()
        .map(|(status, body)| {
            assert_eq!(*status, 201, "{body}");
            body["data"]["order"]["number"].as_u64().unwrap()
        })
        .collect();
    assert_eq!(numbers, (1001..=1030).collect::<BTreeSet<u64>>());
    // Each store counts its own orders.
    let (_, products) = api.get("/api/v1/stores/demo-b/products?limit=1").await;
    let other = &products["data"][0]["variants"][0];
    let order = api
        .order("demo-b", other, 1, "ana@example.com", false)
        .await;
    assert_eq!(order["number"], 1001);
}

#[tokio::test]
async fn stacked_rules_buy_x_get_y_and_free_shipping() {
    let server = server(&[]);
    let api = Api::new(&server);
    let owner = api.owner("demo").await;
    let (colissimo, _) = set_up_shipping_and_vat(&owner).await;
    discount(
        &owner,
        json!({ "name": "3 for 2 candles", "kind": "buy_x_get_y", "buyQuantity": 2,
                "getQuantity": 1, "value": 10000 }),
    )
    .await;
    discount(
        &owner,
        json!({ "name": "Free shipping", "code": "SHIPFREE", "kind": "free_shipping" }),
    )
    .await;
    let candle = api.variant("demo", "hexagon-candle").await;
    let cart = api
        .new_cart(
            "demo",
            json!([{ "variantId": candle["id"], "quantity": 3 }]),
        )
        .await;
    let (status, body) = update_cart(
        &api,
        &cart,
        json!({ "shippingAddress": paris(), "shippingRateId": colissimo, "discountCodes": ["shipfree"] }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let totals = &body["data"]["totals"];
    // 3 × 15.90 = 47.70; the third free: 15.90 off; shipping 4.90 waived.
    let names: Vec<&str> = totals["discounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["3 for 2 candles", "Free shipping"]);
    assert_eq!(amount(&totals["discounts"][0]["amount"]), 1590);
    assert_eq!(amount(&totals["shipping"]), 490);
    assert_eq!(amount(&totals["discounts"][1]["amount"]), 490);
    assert_eq!(amount(&totals["total"]), 4770 - 1590);
}

#[tokio::test]
async fn addresses_follow_their_country_and_digital_carts_need_none() {
    let server = server(&[]);
    let api = Api::new(&server);
    let owner = api.owner("demo").await;
    set_up_shipping_and_vat(&owner).await;
    let (status, body) = api.get("/api/v1/address-formats/us").await;
    assert_eq!(status, 200);
    assert_eq!(
        body["data"]["lines"][2],
        json!(["city", "region", "postalCode"])
    );
    assert!(body["data"]["required"]
        .as_array()
        .unwrap()
        .contains(&json!("region")));
    let (status, body) = api.get("/api/v1/address-formats/xx").await;
    assert_eq!((status, error_code(&body)), (404, "NOT_FOUND"));

    let guide = api.variant("demo", "beekeeping-field-guide-pdf").await;
    let cart = api
        .new_cart("demo", json!([{ "variantId": guide["id"], "quantity": 1 }]))
        .await;
    assert_eq!(cart["requiresShipping"], false);
    assert!(cart["shippingOptions"].as_array().unwrap().is_empty());
    let (status, body) = api
        .post(
            "/api/v1/stores/demo/checkout",
            json!({ "cartId": cart["id"], "email": "reader@example.com", "phone": "12" }),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["details"]["parameter"], "phone");
    let (status, body) = api.checkout("demo", &cart).await;
    assert_eq!(status, 201, "{body}");
    assert!(body["data"]["order"]["shippingAddress"].is_null());

    // A Spanish buyer's digital order pays Spanish VAT, included in the price.
    let cart = api
        .new_cart("demo", json!([{ "variantId": guide["id"], "quantity": 1 }]))
        .await;
    // Spain writes the province (ISO 3166-2 `M`, Madrid) in its addresses.
    let mut madrid = json!({ "name": "Eva", "line1": "Gran Vía 1", "city": "Madrid",
                             "postalCode": "28013", "country": "ES" });
    let (status, body) = update_cart(&api, &cart, json!({ "billingAddress": madrid })).await;
    assert_eq!(status, 400);
    assert_eq!(
        body["error"]["details"]["parameter"],
        "billingAddress.region"
    );
    madrid["region"] = json!("M");
    let (status, body) = update_cart(&api, &cart, json!({ "billingAddress": madrid })).await;
    assert_eq!(status, 200, "{body}");
    let price = amount(&body["data"]["totals"]["subtotal"]);
    assert_eq!(
        amount(&body["data"]["totals"]["tax"]),
        // price × 21 / 121, half to even (no exact half at these prices).
        (price * 2100 + 6050) / 12100
    );
    // Another store's cart is not this store's.
    let (status, _) = api
        .patch(
            &format!(
                "/api/v1/stores/demo-b/carts/{}",
                cart["id"].as_str().unwrap()
            ),
            json!({ "discountCodes": [] }),
        )
        .await;
    assert_eq!(status, 404);
}

/// demo-b's countries: every country, and those it ships to.
async fn countries(api: &Api<'_>) -> (Vec<String>, Vec<String>) {
    let (status, body) = api.get("/api/v1/stores/demo-b/countries").await;
    assert_eq!(status, 200, "{body}");
    let codes = |member: &str| -> Vec<String> {
        body["data"][member]
            .as_array()
            .unwrap()
            .iter()
            .map(|code| code.as_str().unwrap().to_owned())
            .collect()
    };
    (codes("all"), codes("shipping"))
}

#[tokio::test]
async fn address_forms_offer_every_country_and_ship_only_where_zones_reach() {
    let server = server(&[]);
    let api = Api::new(&server);
    let owner = api.owner("demo-b").await;
    // No zones: the store charges no shipping and an address may be anywhere.
    let (all, shipping) = countries(&api).await;
    assert_eq!(all.len(), 249, "every ISO 3166-1 country: {all:?}");
    assert!(all.windows(2).all(|pair| pair[0] < pair[1]));
    assert_eq!(shipping, all);

    for (name, regions) in [
        ("Iberia", json!(["ES", "PT"])),
        ("California", json!(["US-CA"])),
    ] {
        let (status, body) = owner
            .post(
                "/api/v1/admin/stores/demo-b/shipping-zones",
                json!({ "name": name, "regions": regions,
                        "rates": [{ "name": "Post", "kind": "flat",
                                    "price": { "amount": 2000, "currency": "XOF" } }] }),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }
    let (all_again, shipping) = countries(&api).await;
    assert_eq!(all_again, all);
    assert_eq!(shipping, ["ES", "PT", "US"]);
    let (status, body) = api.get("/api/v1/stores/nowhere/countries").await;
    assert_eq!((status, error_code(&body)), (404, "STORE_NOT_FOUND"));
}
