//! The admin API over real HTTP, against the real `colmena-server` binary (SQLite, or
//! PostgreSQL when `COLMENA_TEST_POSTGRES_URL` is set).
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use common::{error_code, pool, server, Api};
use reqwest::Method;
use serde_json::{json, Value};

const HONEY_TYPE: &str = r#"{"type":"object","properties":{"weightGrams":{"type":"integer","minimum":1},"origin":{"type":"string"}},"required":["weightGrams"],"additionalProperties":false}"#;

fn eur(amount: i64) -> Value {
    json!({ "amount": amount, "currency": "EUR" })
}

#[tokio::test]
async fn products_types_variants_and_categories_are_managed_with_an_audit_trail() {
    let server = server(&[]);
    let public = Api::new(&server);
    let owner = public.owner("demo").await;
    let admin = "/api/v1/admin/stores/demo";

    // A product type with a JSON schema; an invalid schema is refused.
    let (status, body) = owner
        .post(&format!("{admin}/product-types"), json!({ "name": "Bad", "schema": {"type": "object", "properties": {"x": {"type": 12}}} }))
        .await;
    assert_eq!(
        (status, &body["error"]["details"]["parameter"]),
        (400, &json!("schema"))
    );
    let schema: Value = serde_json::from_str(HONEY_TYPE).unwrap();
    let (status, body) = owner
        .post(
            &format!("{admin}/product-types"),
            json!({ "name": "Honey jar", "schema": schema }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let honey_type = body["data"]["id"].clone();
    assert_eq!(body["data"]["slug"], "honey-jar");

    // Attributes that break the schema name the failing field.
    let product = json!({
        "name": "Acacia Honey",
        "productTypeId": honey_type,
        "attributes": { "weightGrams": "heavy" },
        "options": ["Size"],
        "variants": [
            { "options": { "Size": "250 g" }, "price": eur(590), "inventory": 5 },
            { "options": { "Size": "500 g" }, "price": eur(990), "compareAtPrice": eur(1190) },
        ],
    });
    let (status, body) = owner
        .post(&format!("{admin}/products"), product.clone())
        .await;
    assert_eq!((status, error_code(&body)), (400, "VALIDATION_ERROR"));
    assert_eq!(
        body["error"]["details"]["parameter"],
        "attributes/weightGrams"
    );
    let mut missing = product.clone();
    missing["attributes"] = json!({ "origin": "Spain" });
    let (status, body) = owner.post(&format!("{admin}/products"), missing).await;
    assert_eq!(status, 400, "{body}");
    for (field, value, parameter) in [
        ("variants", json!([]), "variants"),
        (
            "variants",
            json!([{ "options": { "Size": "1" }, "price": { "amount": 1, "currency": "USD" } }]),
            "variants[0].price.currency",
        ),
        (
            "variants",
            json!([{ "options": { "Size": "1" }, "price": { "amount": 1, "currency": "ZZZ" } }]),
            "variants[0].price.currency",
        ),
        (
            "variants",
            json!([{ "options": { "Size": "1" }, "price": eur(-1) }]),
            "variants[0].price.amount",
        ),
        (
            "variants",
            json!([{ "options": { "Colour": "red" }, "price": eur(1) }]),
            "variants[0].options",
        ),
        ("name", json!(""), "name"),
        ("slug", json!("Not A Slug"), "slug"),
    ] {
        let mut bad = product.clone();
        bad["attributes"] = json!({ "weightGrams": 250 });
        bad[field] = value;
        let (status, body) = owner.post(&format!("{admin}/products"), bad).await;
        assert_eq!(status, 400, "{field}: {body}");
        assert_eq!(body["error"]["details"]["parameter"], parameter, "{body}");
    }

    let mut good = product.clone();
    good["attributes"] = json!({ "weightGrams": 250, "origin": "Spain" });
    let (status, body) = owner.post(&format!("{admin}/products"), good.clone()).await;
    assert_eq!(status, 201, "{body}");
    let created = body["data"].clone();
    let product_path = format!("{admin}/products/{}", created["id"].as_str().unwrap());
    assert_eq!(created["slug"], "acacia-honey");
    assert_eq!(
        created["price"],
        eur(590),
        "the listed price is the cheapest variant's"
    );
    assert_eq!(created["variants"][0]["sku"], "acacia-honey-250-g");
    assert_eq!(created["variants"][0]["available"], 5);
    assert_eq!(created["productType"], "honey-jar");
    assert_eq!(created["active"], true);
    // Shoppers see it, attributes included.
    let shown = public.product("demo", "acacia-honey").await;
    assert_eq!(
        shown["attributes"],
        json!({ "weightGrams": 250, "origin": "Spain" })
    );
    // The same slug again is a conflict.
    let (status, body) = owner.post(&format!("{admin}/products"), good).await;
    assert_eq!((status, error_code(&body)), (409, "CONFLICT"));

    // Variants: add, reprice, restock, and never remove the last one.
    let (status, body) = owner
        .post(
            &format!("{product_path}/variants"),
            json!({ "options": { "Size": "1 kg" }, "price": eur(450) }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["data"]["price"], eur(450));
    let kilo = body["data"]["variants"][2]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, body) = owner
        .patch(
            &format!("{product_path}/variants/{kilo}"),
            json!({ "price": eur(1790), "inventory": 2 }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["price"], eur(590));
    assert_eq!(body["data"]["variants"][2]["available"], 2);
    let (status, body) = owner
        .patch(
            &format!("{product_path}/variants/{kilo}"),
            json!({ "inventory": null }),
        )
        .await;
    assert_eq!(status, 200);
    assert!(
        body["data"]["variants"][2].get("available").is_none(),
        "stock no longer tracked"
    );
    let variants: Vec<String> = body["data"]["variants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_owned())
        .collect();
    for id in &variants[..2] {
        let (status, _) = owner.delete(&format!("{product_path}/variants/{id}")).await;
        assert_eq!(status, 200);
    }
    let (status, body) = owner
        .delete(&format!("{product_path}/variants/{}", variants[2]))
        .await;
    assert_eq!((status, error_code(&body)), (409, "CONFLICT"));

    // Hiding a product hides it from shoppers only.
    let (status, body) = owner
        .patch(
            &product_path,
            json!({ "active": false, "description": "Hidden" }),
        )
        .await;
    assert_eq!((status, &body["data"]["active"]), (200, &json!(false)));
    let (status, _) = public
        .get("/api/v1/stores/demo/products/acacia-honey")
        .await;
    assert_eq!(status, 404);
    let (status, body) = owner.get(&product_path).await;
    assert_eq!(
        (status, &body["data"]["description"]),
        (200, &json!("Hidden"))
    );
    let (_, body) = owner.get(&format!("{admin}/products?q=acacia")).await;
    assert_eq!(
        body["pagination"]["total"], 1,
        "staff lists include inactive products"
    );

    // A schema the product would break is refused; the type cannot go while in use.
    let type_path = format!("{admin}/product-types/{}", honey_type.as_str().unwrap());
    let stricter =
        json!({ "schema": { "type": "object", "required": ["weightGrams", "harvest"] } });
    let (status, body) = owner.patch(&type_path, stricter).await;
    assert_eq!((status, error_code(&body)), (409, "CONFLICT"));
    let (status, _) = owner.delete(&type_path).await;
    assert_eq!(status, 409);

    // Categories nest, but never inside themselves.
    let (status, body) = owner
        .post(&format!("{admin}/categories"), json!({ "name": "Gifts" }))
        .await;
    assert_eq!(status, 201);
    let gifts = body["data"]["id"].as_str().unwrap().to_owned();
    let (status, body) = owner
        .post(
            &format!("{admin}/categories"),
            json!({ "name": "Gift boxes", "parentId": gifts }),
        )
        .await;
    assert_eq!(status, 201);
    let boxes = body["data"]["id"].as_str().unwrap().to_owned();
    let (status, body) = owner
        .patch(
            &format!("{admin}/categories/{gifts}"),
            json!({ "parentId": boxes }),
        )
        .await;
    assert_eq!(
        (status, &body["error"]["details"]["parameter"]),
        (400, &json!("parentId"))
    );
    let (status, body) = owner
        .patch(
            &product_path,
            json!({ "categoryId": boxes, "active": true }),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["data"]["category"]["slug"], "gift-boxes");
    let (status, _) = owner.delete(&format!("{admin}/categories/{boxes}")).await;
    assert_eq!(status, 200);
    let (_, body) = owner.get(&product_path).await;
    assert!(
        body["data"].get("category").is_none(),
        "the product stays, without the category"
    );

    let (status, _) = owner.delete(&product_path).await;
    assert_eq!(status, 200);
    let (status, _) = owner.delete(&type_path).await;
    assert_eq!(status, 200, "unused now");

    // Every write is in the audit log, newest first, with who did it.
    let (status, body) = owner.get(&format!("{admin}/audit-log?limit=100")).await;
    assert_eq!(status, 200);
    let entries = body["data"].as_array().unwrap();
    let actions: Vec<(String, String)> = entries
        .iter()
        .map(|e| {
            (
                e["entityType"].as_str().unwrap().to_owned(),
                e["action"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    for expected in [
        ("product_type", "create"),
        ("product", "create"),
        ("variant", "create"),
        ("variant", "update"),
        ("variant", "delete"),
        ("product", "update"),
        ("category", "create"),
        ("category", "delete"),
        ("product", "delete"),
        ("product_type", "delete"),
    ] {
        assert!(
            actions.contains(&(expected.0.to_owned(), expected.1.to_owned())),
            "{expected:?} missing from {actions:?}"
        );
    }
    assert_eq!(entries[0]["entityType"], "product_type", "newest first");
    assert_eq!(entries[0]["actor"]["label"], "owner@demo.test");
    let repriced = entries
        .iter()
        .find(|e| e["entityType"] == "variant" && e["oldValues"]["price"] == eur(450))
        .unwrap();
    assert_eq!(repriced["oldValues"]["price"], eur(450));
    assert_eq!(repriced["newValues"]["price"], eur(1790));
}

/// A tiny valid PNG (1×1, transparent).
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0B, 0x49, 0x44, 0x41, 0x54, 0x78, 0xDA, 0x63, 0x60, 0x00, 0x02, 0x00,
    0x00, 0x05, 0x00, 0x01, 0xE9, 0xFA, 0xDC, 0xD8, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44,
    0xAE, 0x42, 0x60, 0x82,
];

async fn upload(
    api: &Api<'_>,
    method: Method,
    path: &str,
    content_type: &str,
    bytes: Vec<u8>,
) -> (u16, Value) {
    api.send(
        api.request(method, path)
            .header("content-type", content_type)
            .body(bytes),
    )
    .await
}

/// The product as the newest-first catalog page shows it to shoppers.
async fn listed(public: &Api<'_>, slug: &str) -> Value {
    let (status, body) = public.get("/api/v1/stores/demo/products?limit=100").await;
    assert_eq!(status, 200, "{body}");
    body["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["slug"] == slug)
        .unwrap_or_else(|| panic!("{slug} is not listed: {body}"))
        .clone()
}

#[tokio::test]
async fn catalog_pages_show_every_write_at_once() {
    let server = server(&["--rate-limit-uploads", "0", "--cache-ttl-seconds", "0"]);
    let public = Api::new(&server);
    let owner = public.owner("demo").await;
    let admin = "/api/v1/admin/stores/demo";
    let (status, body) = owner
        .post(&format!("{admin}/categories"), json!({ "name": "Tools" }))
        .await;
    assert_eq!(status, 201, "{body}");
    let tools = body["data"]["id"].as_str().unwrap().to_owned();
    let (status, body) = owner
        .post(
            &format!("{admin}/products"),
            json!({
                "name": "Listing Brush",
                "categoryId": tools,
                "options": ["Size"],
                "variants": [
                    { "options": { "Size": "S" }, "price": eur(450), "inventory": 3 },
                    { "options": { "Size": "L" }, "price": eur(650) },
                ],
            }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let product = format!("{admin}/products/{}", body["data"]["id"].as_str().unwrap());
    let shown = listed(&public, "listing-brush").await;
    assert_eq!(shown["category"]["name"], "Tools");
    assert_eq!(shown["variants"].as_array().unwrap().len(), 2);
    assert_eq!(shown["variants"][0]["available"], 3);
    assert_eq!(shown["images"], json!([]));

    // The category's new name, on its products.
    let (status, body) = owner
        .patch(
            &format!("{admin}/categories/{tools}"),
            json!({ "name": "Hand tools" }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        listed(&public, "listing-brush").await["category"]["name"],
        "Hand tools"
    );

    // An image added, a variant removed, the product renamed.
    let (status, body) = upload(
        &owner,
        Method::POST,
        &format!("{product}/images?alt=Bristles"),
        "image/png",
        PNG.to_vec(),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let large = shown["variants"][1]["id"].as_str().unwrap();
    let (status, body) = owner.delete(&format!("{product}/variants/{large}")).await;
    assert!(status == 200 || status == 204, "{status} {body}");
    let (status, body) = owner
        .patch(&product, json!({ "description": "Soft bristles." }))
        .await;
    assert_eq!(status, 200, "{body}");
    let shown = listed(&public, "listing-brush").await;
    assert_eq!(shown["images"][0]["alt"], "Bristles");
    assert_eq!(shown["variants"].as_array().unwrap().len(), 1);
    assert_eq!(shown["description"], "Soft bristles.");

    // A sale takes stock; a deleted category leaves its products uncategorised.
    public
        .order("demo", &shown["variants"][0], 1, "ana@example.com", true)
        .await;
    assert_eq!(
        listed(&public, "listing-brush").await["variants"][0]["available"],
        2
    );
    let (status, _) = owner.delete(&format!("{admin}/categories/{tools}")).await;
    assert!(status == 200 || status == 204, "{status}");
    assert!(listed(&public, "listing-brush").await["category"].is_null());

    // Every product's stored listing document is the one its rows make now.
    let db = pool(&server).await;
    let row = colmena_server::db::query(
        "SELECT (SELECT COUNT(*) FROM products), (SELECT COUNT(*) FROM product_listings l \
         JOIN product_listing_documents d ON d.product_id = l.product_id \
         WHERE d.document = l.document)",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    let (products, current): (i64, i64) = (row.try_get(0).unwrap(), row.try_get(1).unwrap());
    assert_eq!(current, products);
}

#[tokio::test]
async fn uploads_check_type_content_and_size_and_feed_downloads() {
    let server = server(&["--rate-limit-uploads", "0"]);
    let public = Api::new(&server);
    let owner = public.owner("demo").await;
    let brush = public.product("demo", "bee-brush").await;
    let images = format!(
        "/api/v1/admin/stores/demo/products/{}/images",
        brush["id"].as_str().unwrap()
    );

    let (status, body) = upload(
        &owner,
        Method::POST,
        &format!("{images}?alt=A%20brush"),
        "image/png",
        PNG.to_vec(),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let added = body["data"]["images"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(added["alt"], "A brush");
    let served = reqwest::get(added["url"].as_str().unwrap()).await.unwrap();
    assert_eq!(served.status(), 200);
    assert_eq!(served.bytes().await.unwrap().as_ref(), PNG);

    let (status, body) = upload(&owner, Method::POST, &images, "image/gif", PNG.to_vec()).await;
    assert_eq!((status, error_code(&body)), (415, "UNSUPPORTED_MEDIA_TYPE"));
    let (status, body) = upload(
        &owner,
        Method::POST,
        &images,
        "image/png",
        b"<script>alert(1)</script>".to_vec(),
    )
    .await;
    assert_eq!(
        (status, error_code(&body)),
        (415, "UNSUPPORTED_MEDIA_TYPE"),
        "content must match the type"
    );
    // The server answers an oversized body without reading it and closes the connection:
    // these requests get a client of their own so no later request reuses that connection.
    let oversized = Api {
        http: reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .build()
            .unwrap(),
        ..owner.with_bearer(owner.bearer.as_deref().unwrap())
    };
    let mut huge = PNG.to_vec();
    huge.resize(10 * 1024 * 1024 + 1, 0);
    let (status, body) = upload(&oversized, Method::POST, &images, "image/png", huge).await;
    assert_eq!((status, error_code(&body)), (413, "PAYLOAD_TOO_LARGE"));
    // An oversized JSON body is 413 too, not a parse error.
    let product_path = format!(
        "/api/v1/admin/stores/demo/products/{}",
        brush["id"].as_str().unwrap()
    );
    let description = format!("{{\"description\":\"{}\"}}", "x".repeat(3 * 1024 * 1024));
    let (status, body) = oversized
        .send(
            oversized
                .request(Method::PATCH, &product_path)
                .header("content-type", "application/json")
                .body(description),
        )
        .await;
    assert_eq!((status, error_code(&body)), (413, "PAYLOAD_TOO_LARGE"));
    let (status, _) = upload(&owner, Method::POST, &images, "image/png", Vec::new()).await;
    assert_eq!(status, 400);

    let image_id = added["id"].as_str().unwrap();
    let (status, body) = owner.delete(&format!("{images}/{image_id}")).await;
    assert_eq!(status, 200);
    assert_eq!(body["data"]["images"].as_array().unwrap().len(), 1);
    assert_eq!(
        reqwest::get(added["url"].as_str().unwrap())
            .await
            .unwrap()
            .status(),
        404
    );

    // A digital file makes the product digital, and buyers download exactly those bytes.
    let file = images.replace("/images", "/file");
    let (status, _) = upload(
        &owner,
        Method::PUT,
        &format!("{file}?name=brush.exe"),
        "application/x-msdownload",
        b"MZ".to_vec(),
    )
    .await;
    assert_eq!(status, 415);
    let manual = b"Brush gently, from the top of the frame down.\n".to_vec();
    let (status, body) = upload(
        &owner,
        Method::PUT,
        &format!("{file}?name=brush-manual.txt"),
        "text/plain",
        manual.clone(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["digital"], true);
    assert_eq!(body["data"]["digitalFileName"], "brush-manual.txt");
    let variant = public.variant("demo", "bee-brush").await;
    let order = public
        .order("demo", &variant, 1, "ana@example.com", true)
        .await;
    let url = order["downloads"][0]["url"].as_str().unwrap();
    let response = reqwest::get(url).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.bytes().await.unwrap().to_vec(), manual);
}

#[tokio::test]
async fn uploads_are_rate_limited_separately() {
    let server = server(&["--rate-limit-uploads", "2"]);
    let public = Api::new(&server);
    let owner = public.owner("demo").await;
    let brush = public.product("demo", "bee-brush").await;
    let images = format!(
        "/api/v1/admin/stores/demo/products/{}/images",
        brush["id"].as_str().unwrap()
    );
    for _ in 0..2 {
        let (status, _) = upload(&owner, Method::POST, &images, "image/png", PNG.to_vec()).await;
        assert_eq!(status, 201);
    }
    let response = owner
        .request(Method::POST, &images)
        .header("content-type", "image/png")
        .body(PNG.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    assert!(response.headers().contains_key("retry-after"));
    // Other admin calls are not uploads and go on.
    let (status, _) = owner.get("/api/v1/admin/stores/demo").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn staff_fulfil_cancel_and_refund_orders_and_read_analytics() {
    let server = server(&["--rate-limit-public", "0"]);
    let public = Api::new(&server);
    let owner = public.owner("demo").await;
    let admin = "/api/v1/admin/stores/demo";
    let guide = public.variant("demo", "beekeeping-field-guide-pdf").await;
    let wax = public.variant("demo", "candle-making-kit").await;

    let paid = public
        .order("demo", &guide, 2, "Ana@Example.com", true)
        .await;
    let shipped = public.order("demo", &wax, 3, "bo@example.com", true).await;
    let pending = public.order("demo", &wax, 4, "bo@example.com", false).await;
    assert_eq!(public.available("demo", "candle-making-kit").await, 3);

    // Filters: status, email (case-insensitive), date range.
    let (status, body) = owner.get(&format!("{admin}/orders?status=paid")).await;
    assert_eq!(status, 200);
    assert_eq!(body["pagination"]["total"], 2);
    let (_, body) = owner
        .get(&format!("{admin}/orders?email=ana@example.com"))
        .await;
    assert_eq!(body["data"][0]["id"], paid["id"]);
    let (_, body) = owner
        .get(&format!("{admin}/orders?from=2000-01-01&to=2000-01-02"))
        .await;
    assert_eq!(body["pagination"]["total"], 0);
    let (_, body) = owner.get(&format!("{admin}/orders?limit=2")).await;
    assert_eq!(
        (
            body["pagination"]["total"].as_u64(),
            body["pagination"]["hasMore"].as_bool()
        ),
        (Some(3), Some(true))
    );
    assert_eq!(body["data"][0]["id"], pending["id"], "newest first");
    for bad in ["status=lost", "from=yesterday", "limit=0", "colour=red"] {
        let (status, body) = owner.get(&format!("{admin}/orders?{bad}")).await;
        assert_eq!(
            (status, error_code(&body)),
            (400, "VALIDATION_ERROR"),
            "{bad}"
        );
    }

    // The life cycle, enforced.
    let status_of =
        |order: &Value| format!("{admin}/orders/{}/status", order["id"].as_str().unwrap());
    let refund_of =
        |order: &Value| format!("{admin}/orders/{}/refund", order["id"].as_str().unwrap());
    let (status, body) = owner
        .post(&status_of(&pending), json!({ "status": "fulfilled" }))
        .await;
    assert_eq!(
        (status, &body["error"]["details"]["status"]),
        (409, &json!("pending_payment"))
    );
    let (status, _) = owner
        .post(&status_of(&pending), json!({ "status": "paid" }))
        .await;
    assert_eq!(status, 400, "payments, not staff, mark orders paid");
    let (status, body) = owner
        .post(&status_of(&pending), json!({ "status": "cancelled" }))
        .await;
    assert_eq!(
        (status, &body["data"]["payment"]["status"]),
        (200, &json!("cancelled"))
    );
    assert_eq!(
        public.available("demo", "candle-making-kit").await,
        7,
        "stock released"
    );
    let (status, body) = owner
        .post(&status_of(&shipped), json!({ "status": "fulfilled" }))
        .await;
    assert_eq!(
        (status, &body["data"]["status"]),
        (200, &json!("fulfilled"))
    );
    let (status, _) = owner.post(&refund_of(&pending), json!({})).await;
    assert_eq!(status, 409, "a cancelled order cannot be refunded");

    // Downloads work until the refund.
    let link = paid["downloads"][0]["url"].as_str().unwrap().to_owned();
    assert_eq!(reqwest::get(&link).await.unwrap().status(), 200);
    let (status, body) = owner.post(&refund_of(&paid), json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(body["data"]["status"], "refunded");
    assert_eq!(body["data"]["downloads"], json!([]));
    assert_eq!(reqwest::get(&link).await.unwrap().status(), 410);

    // Analytics: the fulfilled order counts; the refunded and cancelled ones do not.
    let (status, body) = owner.get(&format!("{admin}/analytics")).await;
    assert_eq!(status, 200, "{body}");
    let summary = &body["data"];
    assert_eq!(summary["orders"], 3);
    assert_eq!(summary["paidOrders"], 1);
    assert_eq!(summary["revenue"], eur(3 * 3490));
    assert_eq!(summary["averageOrderValue"], eur(3 * 3490));
    assert_eq!(summary["topProducts"][0]["name"], "Candle Making Kit");
    assert_eq!(summary["topProducts"][0]["units"], 3);
    assert_eq!(summary["downloads"], 1);
    let (_, body) = owner
        .get(&format!("{admin}/analytics?from=2000-01-01&to=2000-02-01"))
        .await;
    assert_eq!(body["data"]["orders"], 0);
    assert_eq!(body["data"]["averageOrderValue"], eur(0));

    // Every staff change is audited, beside the server's own (checkout, payment).
    let (_, body) = owner
        .get(&format!("{admin}/audit-log?entityType=order&limit=100"))
        .await;
    let by_staff = body["data"]
        .as_array()
        .expect("a list")
        .iter()
        .filter(|entry| entry["actor"]["type"] == "user")
        .count();
    assert_eq!(by_staff, 3);
}

#[tokio::test]
async fn settings_change_with_validation_and_drive_cors() {
    let server = server(&[]);
    let public = Api::new(&server);
    let owner = public.owner("demo").await;
    let settings = "/api/v1/admin/stores/demo";
    let (status, body) = owner
        .patch(settings, json!({
            "name": "Colmena Honey & Co.",
            "locale": "pt-BR",
            "allowedOrigins": ["https://shop.example", "https://shop.example/", "http://localhost:5173"],
            "branding": { "primaryColor": "#0F766E" },
        }))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["store"]["name"], "Colmena Honey & Co.");
    assert_eq!(body["data"]["store"]["locale"], "pt-BR");
    assert_eq!(body["data"]["store"]["branding"]["primaryColor"], "#0f766e");
    assert_eq!(
        body["data"]["allowedOrigins"],
        json!(["http://localhost:5173", "https://shop.example"])
    );
    let (_, body) = public.get("/api/v1/stores/demo").await;
    assert_eq!(body["data"]["name"], "Colmena Honey & Co.");

    for (patch, parameter) in [
        (json!({ "currency": "ZZZ" }), "currency"),
        (json!({ "locale": "portuguese" }), "locale"),
        (
            json!({ "allowedOrigins": ["https://shop.example/path"] }),
            "allowedOrigins",
        ),
        (
            json!({ "branding": { "accentColor": "orange" } }),
            "branding.accentColor",
        ),
        (json!({ "name": "" }), "name"),
    ] {
        let (status, body) = owner.patch(settings, patch).await;
        assert_eq!(
            (status, &body["error"]["details"]["parameter"]),
            (400, &json!(parameter))
        );
    }
    let (status, body) = owner.patch(settings, json!({ "currency": "USD" })).await;
    assert_eq!(
        (status, error_code(&body)),
        (409, "CONFLICT"),
        "prices are in EUR"
    );
    let (status, _) = owner.patch(settings, json!({ "timezone": "UTC" })).await;
    assert_eq!(status, 400, "unknown fields are refused");

    // The new origin list is what CORS allows.
    let preflight = |origin: &'static str| {
        public
            .http
            .request(Method::OPTIONS, server.url("/api/v1/stores/demo/carts"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .send()
    };
    let allowed = preflight("https://shop.example").await.unwrap();
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://shop.example"
    );
    let refused = preflight("https://evil.example").await.unwrap();
    assert!(!refused
        .headers()
        .contains_key("access-control-allow-origin"));
    // The admin API is not for browsers on other origins, even the store's own.
    let admin_preflight = public
        .http
        .request(
            Method::OPTIONS,
            server.url("/api/v1/admin/stores/demo/products"),
        )
        .header("origin", "https://shop.example")
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "authorization")
        .send()
        .await
        .unwrap();
    assert!(!admin_preflight
        .headers()
        .contains_key("access-control-allow-origin"));
}

#[tokio::test]
async fn users_are_invited_with_roles_and_removed() {
    let server = server(&["--rate-limit-login", "0"]);
    let public = Api::new(&server);
    let owner = public.owner("demo").await;
    let users = "/api/v1/admin/stores/demo/users";
    let (status, body) = owner
        .post(
            users,
            json!({ "email": "Eve@Example.com", "role": "editor" }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let invitation = body["data"].clone();
    assert_eq!(invitation["user"]["email"], "eve@example.com");
    assert_eq!(invitation["user"]["active"], false);
    let token = invitation["invitationToken"].as_str().unwrap();
    let (status, _) = owner
        .post(
            users,
            json!({ "email": "eve@example.com", "role": "admin" }),
        )
        .await;
    assert_eq!(status, 409, "already a user");
    let (status, _) = owner
        .post(users, json!({ "email": "nope", "role": "admin" }))
        .await;
    assert_eq!(status, 400);
    let (status, _) = owner
        .post(users, json!({ "email": "x@y.io", "role": "god" }))
        .await;
    assert_eq!(status, 400);

    // Not signed in before accepting; a weak password is refused.
    let (status, _) = public
        .post(
            "/api/v1/auth/login",
            json!({ "store": "demo", "email": "eve@example.com", "password": "" }),
        )
        .await;
    assert_eq!(status, 401);
    let accept = "/api/v1/auth/accept-invite";
    let (status, body) = public
        .post(accept, json!({ "token": token, "password": "password" }))
        .await;
    assert_eq!(
        (status, &body["error"]["details"]["parameter"]),
        (400, &json!("password"))
    );
    let (status, body) = public
        .post(
            accept,
            json!({ "token": token, "password": "Bee-keeper 2026" }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["role"], "editor");
    let (status, _) = public
        .post(
            accept,
            json!({ "token": token, "password": "Bee-keeper 2026" }),
        )
        .await;
    assert_eq!(status, 401, "an invitation works once");
    let editor = public.with_bearer(
        &public
            .login("demo", "eve@example.com", "Bee-keeper 2026")
            .await,
    );

    // The editor's permissions: products yes, settings and users no.
    let (status, _) = editor
        .get("/api/v1/admin/stores/demo/products?limit=1")
        .await;
    assert_eq!(status, 200);
    let (status, body) = editor
        .patch("/api/v1/admin/stores/demo", json!({ "name": "Mine" }))
        .await;
    assert_eq!((status, error_code(&body)), (403, "FORBIDDEN"));
    let (status, _) = editor.get(users).await;
    assert_eq!(status, 403);
    let (status, _) = editor
        .post(
            "/api/v1/admin/stores/demo/orders/00000000-0000-4000-8000-000000000000/refund",
            json!({}),
        )
        .await;
    assert_eq!(status, 403, "editors read orders but do not change them");

    // Roles change at once; the last owner stays; nobody removes themselves.
    let (_, body) = owner.get(users).await;
    let list = body["data"].as_array().unwrap();
    let find = |email: &str| {
        list.iter().find(|u| u["email"] == email).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (eve, me) = (find("eve@example.com"), find("owner@demo.test"));
    let (status, _) = owner
        .patch(&format!("{users}/{eve}"), json!({ "role": "admin" }))
        .await;
    assert_eq!(status, 200);
    let (status, _) = editor.get("/api/v1/admin/stores/demo/analytics").await;
    assert_eq!(status, 200, "now an admin, with the same token");
    let (status, body) = owner
        .patch(&format!("{users}/{me}"), json!({ "role": "editor" }))
        .await;
    assert_eq!(
        (status, &body["error"]["details"]["status"]),
        (409, &json!("last_owner"))
    );
    let (status, _) = owner.delete(&format!("{users}/{me}")).await;
    assert_eq!(status, 409);
    let (status, _) = owner.delete(&format!("{users}/{eve}")).await;
    assert_eq!(status, 200);
    let (status, _) = editor.get("/api/v1/admin/stores/demo/products").await;
    assert_eq!(status, 401, "a removed user's token stops working at once");
}

#[tokio::test]
async fn api_keys_are_shown_once_scoped_and_revocable() {
    let server = server(&[]);
    let public = Api::new(&server);
    let owner = public.owner("demo").await;
    let keys = "/api/v1/admin/stores/demo/api-keys";
    let (status, body) = owner
        .post(keys, json!({ "kind": "secret", "name": "warehouse sync" }))
        .await;
    assert_eq!(status, 201, "{body}");
    let secret = body["data"]["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("sk_") && secret.len() > 40);
    assert_eq!(body["data"]["key"]["role"], "admin");
    let key_id = body["data"]["key"]["id"].as_str().unwrap().to_owned();
    let (status, body) = owner
        .post(keys, json!({ "kind": "publishable", "name": "website" }))
        .await;
    assert_eq!(status, 201);
    let publishable = body["data"]["secret"].as_str().unwrap().to_owned();
    assert!(publishable.starts_with("pk_"));
    let (status, _) = owner
        .post(
            keys,
            json!({ "kind": "secret", "name": "root", "role": "owner" }),
        )
        .await;
    assert_eq!(status, 400);

    // Listing never shows a secret again.
    let (_, body) = owner.get(keys).await;
    let listed = body.to_string();
    assert!(!listed.contains(&secret) && !listed.contains(&publishable));
    assert_eq!(body["data"][0]["prefix"].as_str().unwrap(), &secret[..12]);

    // The secret key works server to server, as an admin, audited as the key.
    let service = public.with_bearer(&secret);
    let (status, body) = service
        .post(
            "/api/v1/admin/stores/demo/categories",
            json!({ "name": "Wholesale" }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let (status, _) = service.get("/api/v1/admin/stores/demo/users").await;
    assert_eq!(status, 403, "keys never manage users");
    let (_, body) = owner
        .get("/api/v1/admin/stores/demo/audit-log?entityType=category")
        .await;
    assert_eq!(body["data"][0]["actor"]["type"], "api_key");
    assert_eq!(body["data"][0]["actor"]["label"], "warehouse sync");
    let (status, _) = service.get("/api/v1/admin/stores/demo-b").await;
    assert_eq!(status, 403, "scoped to one store");
    let (status, body) = service.get("/api/v1/stores/demo/products?limit=1").await;
    assert_eq!(
        (status, error_code(&body)),
        (401, "UNAUTHORIZED"),
        "secret keys stay off the public API"
    );

    // The publishable key identifies the store on the public API only.
    let site = public.with_bearer(&publishable);
    let (status, _) = site.get("/api/v1/stores/demo/products?limit=1").await;
    assert_eq!(status, 200);
    let (status, _) = site.get("/api/v1/stores/demo-b/products?limit=1").await;
    assert_eq!(status, 403);
    let (status, _) = site.get("/api/v1/admin/stores/demo").await;
    assert_eq!(status, 401);
    let (status, _) = public
        .with_bearer("pk_forged")
        .get("/api/v1/stores/demo")
        .await;
    assert_eq!(status, 401);

    // Revoked keys stop at once.
    let (status, _) = owner.delete(&format!("{keys}/{key_id}")).await;
    assert_eq!(status, 200);
    let (status, _) = service.get("/api/v1/admin/stores/demo").await;
    assert_eq!(status, 401);
    let (status, _) = owner.delete(&format!("{keys}/{key_id}")).await;
    assert_eq!(status, 404);
}

/// Every admin route from the OpenAPI document, with its path filled in for `store`.
fn admin_routes(doc: &Value, store: &str, id: &str) -> Vec<(Method, String)> {
    let mut routes = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        if !path.starts_with("/api/v1/admin/stores/{store}") {
            continue;
        }
        let mut filled = path.replace("{store}", store);
        while let Some(start) = filled.find('{') {
            let end = filled[start..].find('}').unwrap() + start;
            filled.replace_range(start..=end, id);
        }
        for method in item.as_object().unwrap().keys() {
            routes.push((method.to_uppercase().parse().unwrap(), filled.clone()));
        }
    }
    routes
}

#[tokio::test]
async fn no_admin_route_lets_one_store_touch_another() {
    let server = server(&["--rate-limit-admin", "0"]);
    let public = Api::new(&server);
    let demo = public.owner("demo").await;
    let demo_b = public.owner("demo-b").await;
    let doc: Value = reqwest::get(server.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    // Real ids of demo: an order, a product, its variant, a category, a user.
    let wax = public.variant("demo", "candle-making-kit").await;
    let order = public.order("demo", &wax, 1, "ana@example.com", true).await;
    let product = public.product("demo", "candle-making-kit").await;
    let (_, categories) = demo.get("/api/v1/admin/stores/demo/categories").await;
    let (_, users) = demo.get("/api/v1/admin/stores/demo/users").await;
    let demo_ids = [
        order["id"].as_str().unwrap().to_owned(),
        product["id"].as_str().unwrap().to_owned(),
        wax["id"].as_str().unwrap().to_owned(),
        categories["data"][0]["id"].as_str().unwrap().to_owned(),
        users["data"][0]["id"].as_str().unwrap().to_owned(),
    ];

    let routes = admin_routes(&doc, "demo", &demo_ids[0]);
    assert!(routes.len() >= 35, "{} admin routes", routes.len());
    for (method, path) in &routes {
        // demo-b's owner on demo's paths: refused before anything is read or parsed.
        let (status, body) = demo_b.call(method.clone(), path, Some(json!({}))).await;
        assert_eq!(
            (status, error_code(&body)),
            (403, "FORBIDDEN"),
            "{method} {path}"
        );
    }
    for id in &demo_ids {
        for (method, path) in admin_routes(&doc, "demo-b", id) {
            // demo-b's owner on its own paths with demo's ids: never finds them.
            let (status, body) = demo_b.call(method.clone(), &path, Some(json!({}))).await;
            assert!(
                !(200..300).contains(&status) || !path.contains(id.as_str()),
                "{method} {path}: {status} {body}"
            );
            assert!(status < 500, "{method} {path}: {status} {body}");
        }
    }
    // Nothing of demo changed.
    let (_, after) = demo
        .get(&format!("/api/v1/admin/stores/demo/orders/{}", demo_ids[0]))
        .await;
    assert_eq!(after["data"]["status"], "paid");
    assert_eq!(public.product("demo", "candle-making-kit").await, product);
    // Only the server's own entries (checkout, payments) are in demo's log: no staff write.
    let (_, log) = demo
        .get("/api/v1/admin/stores/demo/audit-log?limit=100")
        .await;
    let staff_entries: Vec<_> = log["data"]
        .as_array()
        .expect("a list")
        .iter()
        .filter(|entry| entry["actor"]["type"] != "system")
        .collect();
    assert!(
        staff_entries.is_empty(),
        "no write reached demo: {staff_entries:?}"
    );
    // Without any credential, every route is 401.
    for (method, path) in &routes {
        let (status, _) = public.call(method.clone(), path, None).await;
        assert_eq!(status, 401, "{method} {path}");
    }
}
