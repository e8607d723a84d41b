//! Price lists over real HTTP: a sale that starts and ends on time (even in cached catalog
//! answers), sale prices in sorting, carts and orders, a customer group's prices reaching only
//! its members signed in with an access link, and the admin API's checks and tenant walls.
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use std::time::Duration;

use colmena_test_support::TestServer;
use common::{error_code, server, Api};
use reqwest::Method;
use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Now plus `seconds` (negative for the past), as RFC 3339.
fn at(seconds: i64) -> String {
    (OffsetDateTime::now_utc() + time::Duration::seconds(seconds))
        .format(&Rfc3339)
        .unwrap()
}

async fn create_list(owner: &Api<'_>, list: Value) -> Value {
    let (status, body) = owner
        .post("/api/v1/admin/stores/demo/price-lists", list)
        .await;
    assert_eq!(status, 201, "{body}");
    body["data"].clone()
}

fn eur(amount: i64) -> Value {
    json!({ "amount": amount, "currency": "EUR" })
}

/// The token of the newest access link the server mailed (wrote as .eml) for the demo store,
/// once it is not `previous`.
fn mailed_access_token(server: &TestServer, previous: Option<&str>) -> String {
    let prefix = "/orders#store=demo&token=";
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let token: Option<String> =
            server
                .output_line(prefix, Duration::from_secs(10))
                .map(|line| {
                    line[line.find(prefix).unwrap() + prefix.len()..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                        .collect()
                });
        match token {
            Some(token) if Some(token.as_str()) != previous => return token,
            _ if std::time::Instant::now() > deadline => panic!("no new access link mailed"),
            _ => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

/// Signs `email` in at the demo store with an emailed access link: the session's token and
/// the link's.
async fn sign_in(
    api: &Api<'_>,
    server: &TestServer,
    email: &str,
    previous_link: Option<&str>,
) -> (String, String) {
    let (status, body) = api
        .post(
            "/api/v1/stores/demo/customer/access-links",
            json!({ "email": email }),
        )
        .await;
    assert_eq!(status, 202, "{body}");
    let link = mailed_access_token(server, previous_link);
    let (status, body) = api
        .post(
            "/api/v1/stores/demo/customer/sessions",
            json!({ "token": link }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["data"]["email"], email);
    (body["data"]["token"].as_str().unwrap().to_owned(), link)
}

/// A public GET with a customer session: status, body and `Cache-Control`.
async fn get_as(api: &Api<'_>, path: &str, session: &str) -> (u16, Value, Option<String>) {
    let response = api
        .request(Method::GET, path)
        .header("x-customer-token", session)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let cache = response
        .headers()
        .get("cache-control")
        .map(|value| value.to_str().unwrap().to_owned());
    (status, response.json().await.unwrap(), cache)
}

#[tokio::test]
async fn a_sale_starts_and_ends_on_time_and_prices_sorting_carts_and_orders() {
    // The catalog cache is on (its default): the sale must still start on time.
    let server = server(&[]);
    let api = Api::new(&server);
    let owner = api.owner("demo").await;

    let (_, dearest) = api
        .get("/api/v1/stores/demo/products?sort=-price&limit=1")
        .await;
    let product = dearest["data"][0].clone();
    let slug = product["slug"].as_str().unwrap().to_owned();
    let variant = product["variants"][0].clone();
    let regular = variant["price"]["amount"].as_i64().unwrap();
    assert!(regular > 100, "{product}");
    let path = format!("/api/v1/stores/demo/products/{slug}");

    // Scheduled to start in 3 s: not on sale yet, and the answer is cached meanwhile.
    let sale = create_list(
        &owner,
        json!({
            "name": "Flash sale",
            "kind": "sale",
            "startsAt": at(3),
            "endsAt": at(3600),
            "prices": [{ "variantId": variant["id"], "price": eur(100) }],
        }),
    )
    .await;
    assert_eq!(sale["inForce"], false, "{sale}");
    assert_eq!(sale["list"]["prices"][0]["price"]["amount"], 100);
    let (_, before) = api.get(&path).await;
    assert_eq!(before["data"]["variants"][0]["price"]["amount"], regular);
    assert!(before["data"]["variants"][0]["compareAtPrice"].is_null());

    tokio::time::sleep(Duration::from_millis(3_300)).await;
    let (_, during) = api.get(&path).await;
    let on_sale = &during["data"]["variants"][0];
    assert_eq!(on_sale["price"]["amount"], 100, "{during}");
    assert_eq!(on_sale["compareAtPrice"]["amount"], regular, "{during}");
    assert_eq!(during["data"]["price"]["amount"], 100);
    let (_, listed) = owner
        .get(&format!(
            "/api/v1/admin/stores/demo/price-lists/{}",
            sale["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(listed["data"]["inForce"], true, "{listed}");

    // Shoppers sort by what they pay: the dearest product is now the cheapest.
    let (_, cheapest) = api
        .get("/api/v1/stores/demo/products?sort=price&limit=1")
        .await;
    assert_eq!(cheapest["data"][0]["slug"], slug.as_str(), "{cheapest}");
    assert_eq!(cheapest["data"][0]["price"]["amount"], 100);
    // Every page of both price orders follows the prices shown and counts every product.
    for (sort, ascending) in [("price", true), ("-price", false)] {
        let (_, all) = api
            .get(&format!(
                "/api/v1/stores/demo/products?sort={sort}&limit=100"
            ))
            .await;
        let shown: Vec<(i64, String)> = all["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                let price = p["price"]["amount"].as_i64().unwrap();
                (price, p["slug"].as_str().unwrap().to_owned())
            })
            .collect();
        assert!(shown.len() > 20, "{all}");
        assert_eq!(all["pagination"]["total"], shown.len());
        let prices: Vec<i64> = shown.iter().map(|(price, _)| *price).collect();
        let mut ordered = prices.clone();
        ordered.sort_unstable();
        if !ascending {
            ordered.reverse();
        }
        assert_eq!(prices, ordered, "{sort}");
        let (_, page) = api
            .get(&format!(
                "/api/v1/stores/demo/products?sort={sort}&limit=3&offset=2"
            ))
            .await;
        let page: Vec<&str> = page["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["slug"].as_str().unwrap())
            .collect();
        let expected: Vec<&str> = shown[2..5].iter().map(|(_, slug)| slug.as_str()).collect();
        assert_eq!(page, expected, "{sort}");
    }
    // Staff see and edit the regular price.
    let (_, admin) = owner
        .get(&format!(
            "/api/v1/admin/stores/demo/products/{}",
            product["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(admin["data"]["variants"][0]["price"]["amount"], regular);

    // The cart and the order charge the sale price.
    let cart = api
        .new_cart(
            "demo",
            json!([{ "variantId": variant["id"], "quantity": 2 }]),
        )
        .await;
    assert_eq!(cart["items"][0]["unitPrice"]["amount"], 100, "{cart}");
    assert_eq!(cart["totals"]["subtotal"]["amount"], 200);

    // Ended: back to the regular price.
    let (status, body) = owner
        .call(
            Method::PUT,
            &format!(
                "/api/v1/admin/stores/demo/price-lists/{}",
                sale["id"].as_str().unwrap()
            ),
            Some(json!({
                "name": "Flash sale",
                "kind": "sale",
                "startsAt": at(-7200),
                "endsAt": at(-3600),
                "prices": [{ "variantId": variant["id"], "price": eur(100) }],
            })),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["inForce"], false);
    let (_, after) = api.get(&path).await;
    assert_eq!(after["data"]["variants"][0]["price"]["amount"], regular);
    let (_, cart) = api
        .get(&format!(
            "/api/v1/stores/demo/carts/{}",
            cart["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(cart["data"]["items"][0]["unitPrice"]["amount"], regular);

    // Of two lists in force, the lower price wins; a sale switched off does nothing.
    for (name, amount, active) in [("Spring", 300, true), ("Deeper", 200, false)] {
        create_list(
            &owner,
            json!({
                "name": name, "kind": "sale", "active": active,
                "prices": [{ "variantId": variant["id"], "price": eur(amount) }],
            }),
        )
        .await;
    }
    let (_, now) = api.get(&path).await;
    assert_eq!(now["data"]["variants"][0]["price"]["amount"], 300, "{now}");
    let (status, order) = api
        .checkout(
            "demo",
            &api.new_cart(
                "demo",
                json!([{ "variantId": variant["id"], "quantity": 1 }]),
            )
            .await,
        )
        .await;
    assert_eq!(status, 201, "{order}");
    assert_eq!(
        order["data"]["order"]["items"][0]["unitPrice"]["amount"],
        300
    );

    // Every change is in the audit log.
    let (_, log) = owner
        .get("/api/v1/admin/stores/demo/audit-log?entityType=price_list")
        .await;
    assert_eq!(log["data"].as_array().unwrap().len(), 4, "{log}");
}

#[tokio::test]
async fn a_customer_groups_prices_reach_only_its_signed_in_members() {
    let server = server(&[]);
    let api = Api::new(&server);
    let owner = api.owner("demo").await;
    let variant = api.variant("demo", "wildflower-honey-500-g").await;
    let regular = variant["price"]["amount"].as_i64().unwrap();
    let wholesale_price = regular / 2;
    let path = "/api/v1/stores/demo/products/wildflower-honey-500-g";

    let (status, group) = owner
        .post(
            "/api/v1/admin/stores/demo/customer-groups",
            json!({ "name": "Wholesale", "emails": ["Buyer@Shop.example", "buyer@shop.example"] }),
        )
        .await;
    assert_eq!(status, 201, "{group}");
    assert_eq!(group["data"]["emails"], json!(["buyer@shop.example"]));
    let group_id = group["data"]["id"].as_str().unwrap().to_owned();
    create_list(
        &owner,
        json!({
            "name": "Wholesale prices",
            "kind": "override",
            "customerGroupId": group_id,
            "prices": [{ "variantId": variant["id"], "price": eur(wholesale_price) }],
        }),
    )
    .await;

    // Anyone: the regular price, from the shared cache.
    let (_, public) = api.get(path).await;
    assert_eq!(public["data"]["variants"][0]["price"]["amount"], regular);

    // A member (no orders yet) gets an access link, and with its session their prices, never
    // cached and with no struck-through price (it is their price, not a sale).
    let (member, link) = sign_in(&api, &server, "buyer@shop.example", None).await;
    let (status, theirs, cache) = get_as(&api, path, &member).await;
    assert_eq!(status, 200, "{theirs}");
    let priced = &theirs["data"]["variants"][0];
    assert_eq!(priced["price"]["amount"], wholesale_price, "{theirs}");
    assert!(priced["compareAtPrice"].is_null(), "{theirs}");
    assert_eq!(cache.as_deref(), Some("no-store"));
    let (_, searched, _) = get_as(&api, "/api/v1/stores/demo/search?q=wildflower", &member).await;
    let found = searched["data"]["products"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["slug"] == "wildflower-honey-500-g")
        .cloned()
        .unwrap();
    assert_eq!(found["variants"][0]["price"]["amount"], wholesale_price);

    // A cart made with the session, and one bound to it later, charge their price.
    let response = api
        .request(Method::POST, "/api/v1/stores/demo/carts")
        .header("x-customer-token", &member)
        .json(&json!({ "items": [{ "variantId": variant["id"], "quantity": 4 }] }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let cart: Value = response.json().await.unwrap();
    assert_eq!(
        cart["data"]["items"][0]["unitPrice"]["amount"],
        wholesale_price
    );
    let anonymous = api
        .new_cart(
            "demo",
            json!([{ "variantId": variant["id"], "quantity": 1 }]),
        )
        .await;
    assert_eq!(anonymous["items"][0]["unitPrice"]["amount"], regular);
    let (status, bound) = api
        .send(
            api.request(
                Method::PATCH,
                &format!(
                    "/api/v1/stores/demo/carts/{}",
                    anonymous["id"].as_str().unwrap()
                ),
            )
            .header("x-customer-token", &member)
            .json(&json!({})),
        )
        .await;
    assert_eq!(status, 200, "{bound}");
    assert_eq!(
        bound["data"]["items"][0]["unitPrice"]["amount"],
        wholesale_price
    );
    let (status, order) = api
        .checkout_as("demo", &bound["data"], "buyer@shop.example")
        .await;
    assert_eq!(status, 201, "{order}");
    assert_eq!(
        order["data"]["order"]["items"][0]["unitPrice"]["amount"],
        wholesale_price
    );

    // Someone outside the group, signed in too, pays the regular price.
    api.order("demo", &variant, 1, "other@example.com", true)
        .await;
    let (other, _) = sign_in(&api, &server, "other@example.com", Some(&link)).await;
    let (_, theirs, _) = get_as(&api, path, &other).await;
    assert_eq!(theirs["data"]["variants"][0]["price"]["amount"], regular);

    // A made-up session is refused, not ignored.
    let (status, body, _) = get_as(&api, path, "not-a-session").await;
    assert_eq!((status, error_code(&body)), (401, "UNAUTHORIZED"));

    // The group's lists go with it.
    let (status, _) = owner
        .delete(&format!(
            "/api/v1/admin/stores/demo/customer-groups/{group_id}"
        ))
        .await;
    assert_eq!(status, 200);
    let (_, lists) = owner.get("/api/v1/admin/stores/demo/price-lists").await;
    let names: Vec<&str> = lists["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|list| list["list"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Candle week"], "only the demo's own sale is left");
    let (_, theirs, _) = get_as(&api, path, &member).await;
    assert_eq!(theirs["data"]["variants"][0]["price"]["amount"], regular);
}

#[tokio::test]
async fn price_lists_and_groups_are_checked_and_kept_per_store() {
    let server = server(&[]);
    let api = Api::new(&server);
    let owner = api.owner("demo").await;
    let other_owner = api.owner("demo-b").await;
    let variant = api.variant("demo", "wildflower-honey-500-g").await;
    let foreign =
        api.get("/api/v1/stores/demo-b/products?limit=1").await.1["data"][0]["variants"][0].clone();
    let (status, foreign_group) = other_owner
        .post(
            "/api/v1/admin/stores/demo-b/customer-groups",
            json!({ "name": "Pros" }),
        )
        .await;
    assert_eq!(status, 201, "{foreign_group}");

    let price =
        |variant: &Value, amount: Value| json!([{ "variantId": variant["id"], "price": amount }]);
    let refusals = [
        (
            json!({ "name": "x", "kind": "sale", "prices": [] }),
            "prices",
        ),
        (
            json!({ "name": "x", "kind": "sale", "prices": price(&foreign, eur(100)) }),
            "prices[0].variantId",
        ),
        (
            json!({ "name": "x", "kind": "sale", "prices": price(&variant, json!({ "amount": 100, "currency": "USD" })) }),
            "prices[0].price.currency",
        ),
        (
            json!({ "name": "x", "kind": "sale", "prices": price(&variant, eur(-1)) }),
            "prices[0].price.amount",
        ),
        (
            json!({ "name": "x", "kind": "sale",
                    "prices": [{ "variantId": variant["id"], "price": eur(1) },
                               { "variantId": variant["id"], "price": eur(2) }] }),
            "prices[1].variantId",
        ),
        (
            json!({ "name": "x", "kind": "sale", "startsAt": at(60), "endsAt": at(30),
                    "prices": price(&variant, eur(1)) }),
            "endsAt",
        ),
        (
            json!({ "name": "x", "kind": "sale", "startsAt": "tomorrow",
                    "prices": price(&variant, eur(1)) }),
            "startsAt",
        ),
        (
            json!({ "name": "x", "kind": "override", "customerGroupId": foreign_group["data"]["id"],
                    "prices": price(&variant, eur(1)) }),
            "customerGroupId",
        ),
        (
            json!({ "name": " ", "kind": "sale", "prices": price(&variant, eur(1)) }),
            "name",
        ),
    ];
    for (list, parameter) in refusals {
        let (status, body) = owner
            .post("/api/v1/admin/stores/demo/price-lists", list)
            .await;
        assert_eq!(
            (
                status,
                error_code(&body),
                body["error"]["details"]["parameter"].as_str()
            ),
            (400, "VALIDATION_ERROR", Some(parameter)),
            "{body}"
        );
    }
    let (status, body) = owner
        .post(
            "/api/v1/admin/stores/demo/price-lists",
            json!({ "name": "x", "kind": "clearance", "prices": price(&variant, eur(1)) }),
        )
        .await;
    assert_eq!(
        (status, error_code(&body)),
        (400, "VALIDATION_ERROR"),
        "{body}"
    );

    let (status, body) = owner
        .post(
            "/api/v1/admin/stores/demo/customer-groups",
            json!({ "name": "Trade", "emails": ["a@example.com", "not an email"] }),
        )
        .await;
    assert_eq!(
        (status, body["error"]["details"]["parameter"].as_str()),
        (400, Some("emails[1]")),
        "{body}"
    );
    let (status, _) = owner
        .post(
            "/api/v1/admin/stores/demo/customer-groups",
            json!({ "name": "Trade" }),
        )
        .await;
    assert_eq!(status, 201);
    let (status, body) = owner
        .post(
            "/api/v1/admin/stores/demo/customer-groups",
            json!({ "name": "Trade" }),
        )
        .await;
    assert_eq!((status, error_code(&body)), (409, "CONFLICT"), "{body}");

    // One store never sees or changes another's lists and groups.
    let list = create_list(
        &owner,
        json!({ "name": "Ours", "kind": "sale", "prices": price(&variant, eur(1)) }),
    )
    .await;
    let id = list["id"].as_str().unwrap();
    let (status, body) = other_owner
        .get(&format!("/api/v1/admin/stores/demo-b/price-lists/{id}"))
        .await;
    assert_eq!((status, error_code(&body)), (404, "NOT_FOUND"));
    let (status, _) = other_owner
        .delete(&format!("/api/v1/admin/stores/demo-b/price-lists/{id}"))
        .await;
    assert_eq!(status, 404);
    let (_, theirs) = other_owner
        .get("/api/v1/admin/stores/demo-b/customer-groups")
        .await;
    assert_eq!(theirs["data"].as_array().unwrap().len(), 1, "{theirs}");
    let (status, _) = other_owner
        .get(&format!("/api/v1/admin/stores/demo/price-lists/{id}"))
        .await;
    assert_eq!(status, 403);
    // The other store's catalog is untouched.
    let (_, other) = api.get("/api/v1/stores/demo-b/products?limit=1").await;
    assert_eq!(other["data"][0]["variants"][0]["price"], foreign["price"]);
}
