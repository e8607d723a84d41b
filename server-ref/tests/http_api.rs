//! The public catalog API over real HTTP, against the real `colmena-server` binary on SQLite.
#![allow(clippy::unwrap_used, missing_docs)]

use std::collections::HashSet;
use std::path::Path;

use colmena_test_support::{StartOptions, TestServer};
use reqwest::header::{ACCESS_CONTROL_ALLOW_ORIGIN, ORIGIN};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_colmena-server");
const HOST_PAGE: &str = "http://shop.example.test:5173";

fn server() -> TestServer {
    TestServer::start(Path::new(BIN), &["--demo-origin", HOST_PAGE])
}

async fn get(server: &TestServer, path: &str) -> (u16, Value) {
    let response = reqwest::get(server.url(path)).await.unwrap();
    let status = response.status().as_u16();
    let header_id = response
        .headers()
        .get("x-request-id")
        .map(|v| v.to_str().unwrap().to_owned());
    let body: Value = response.json().await.unwrap();
    // Every answer, success or error, carries the envelope's meta with the header's request id.
    assert_eq!(
        body["meta"]["requestId"].as_str(),
        header_id.as_deref(),
        "{path}"
    );
    assert_eq!(body["meta"]["version"], "v1", "{path}");
    assert!(body["meta"]["timestamp"].as_str().unwrap().ends_with('Z'));
    (status, body)
}

async fn products(server: &TestServer, query: &str) -> (Vec<Value>, Value) {
    let (status, body) = get(server, &format!("/api/v1/stores/demo/products{query}")).await;
    assert_eq!(status, 200, "{query}: {body}");
    assert_eq!(body["success"], true);
    (
        body["data"].as_array().unwrap().clone(),
        body["pagination"].clone(),
    )
}

fn names(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn store_profile_uses_the_envelope_in_camel_case() {
    let server = server();
    let (status, body) = get(&server, "/api/v1/stores/demo").await;
    assert_eq!(status, 200);
    assert_eq!(body["success"], true);
    assert!(body.get("error").is_none());
    let store = &body["data"];
    assert_eq!(store["slug"], "demo");
    assert_eq!(store["currency"], "EUR");
    assert_eq!(store["locale"], "es-ES");
    assert!(store["branding"]["primaryColor"]
        .as_str()
        .unwrap()
        .starts_with('#'));
    uuid::Uuid::parse_str(store["id"].as_str().unwrap()).unwrap();

    let (_, body) = get(&server, "/api/v1/stores/demo-b").await;
    assert_eq!(body["data"]["currency"], "XOF");
}

#[tokio::test]
async fn pagination_walks_every_product_exactly_once() {
    let server = server();
    let (first, pagination) = products(&server, "").await;
    assert_eq!(first.len(), 20, "default limit is 20");
    assert_eq!(pagination["limit"], 20);
    let total = pagination["total"].as_u64().unwrap();
    assert!(total >= 24);
    assert_eq!(pagination["hasMore"], true);

    let mut seen = HashSet::new();
    let mut offset = 0;
    loop {
        let (items, pagination) = products(&server, &format!("?limit=10&offset={offset}")).await;
        assert_eq!(pagination["offset"], offset);
        for item in &items {
            assert!(seen.insert(item["id"].as_str().unwrap().to_owned()));
        }
        offset += 10;
        if pagination["hasMore"] == false {
            assert!(items.len() <= 10);
            break;
        }
        assert_eq!(items.len(), 10);
    }
    assert_eq!(seen.len() as u64, total);

    let (beyond, pagination) = products(&server, &format!("?offset={}", total + 5)).await;
    assert!(beyond.is_empty());
    assert_eq!(pagination["hasMore"], false);
}

#[tokio::test]
async fn products_carry_money_in_minor_units_and_served_images() {
    let server = server();
    let (items, _) = products(&server, "?limit=100").await;
    for product in &items {
        assert!(product["price"]["amount"].is_i64(), "{product}");
        assert_eq!(product["price"]["currency"], "EUR");
        let image = product["images"][0]["url"].as_str().unwrap();
        assert!(
            image.starts_with(&server.base_url),
            "served by the server itself: {image}"
        );
    }
    let image = items[0]["images"][0]["url"].as_str().unwrap();
    let response = reqwest::get(image).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/svg+xml");
    assert!(response.text().await.unwrap().starts_with("<svg"));

    let (status, body) = get(&server, "/api/v1/stores/demo-b/products?limit=100").await;
    assert_eq!(status, 200);
    for product in body["data"].as_array().unwrap() {
        assert_eq!(product["price"]["currency"], "XOF");
        assert!(product["price"]["amount"].as_i64().unwrap() > 0);
    }
}

#[tokio::test]
async fn filters_by_category_and_featured() {
    let server = server();
    let (_, categories) = get(&server, "/api/v1/stores/demo/categories").await;
    let categories = categories["data"].as_array().unwrap().clone();
    assert!(categories.len() >= 3);
    let counted: u64 = categories
        .iter()
        .map(|c| c["productCount"].as_u64().unwrap())
        .sum();
    let (_, all) = products(&server, "").await;
    assert_eq!(counted, all["total"].as_u64().unwrap());

    for category in &categories {
        let slug = category["slug"].as_str().unwrap();
        let (items, pagination) = products(&server, &format!("?category={slug}&limit=100")).await;
        assert_eq!(pagination["total"], category["productCount"]);
        assert!(items.iter().all(|p| p["category"]["slug"] == slug));
        // The category id works as well as its slug.
        let id = category["id"].as_str().unwrap();
        let (_, by_id) = products(&server, &format!("?category={id}")).await;
        assert_eq!(by_id["total"], pagination["total"]);
    }

    let (featured, _) = products(&server, "?featured=true&limit=100").await;
    assert!(!featured.is_empty());
    assert!(featured.iter().all(|p| p["featured"] == true));
    let (plain, _) = products(&server, "?featured=false&limit=100").await;
    assert!(plain.iter().all(|p| p["featured"] == false));
    assert_eq!(
        featured.len() + plain.len(),
        all["total"].as_u64().unwrap() as usize
    );

    let (none, pagination) = products(&server, "?category=no-such-category").await;
    assert!(none.is_empty());
    assert_eq!(pagination["total"], 0);
}

#[tokio::test]
async fn search_is_case_insensitive_and_treats_wildcards_literally() {
    let server = server();
    let (items, _) = products(&server, "?q=HONEY&limit=100").await;
    assert!(items.len() >= 9);
    for item in &items {
        let text = format!("{} {}", item["name"], item["description"]).to_lowercase();
        assert!(text.contains("honey"), "{text}");
    }
    let (items, _) = products(&server, "?q=candle&category=beeswax").await;
    assert!(!items.is_empty());
    assert!(items.iter().all(|p| p["category"]["slug"] == "beeswax"));

    for literal in ["%25", "_", "zzzz-nothing"] {
        let (items, pagination) = products(&server, &format!("?q={literal}")).await;
        assert!(items.is_empty(), "{literal}: {:?}", names(&items));
        assert_eq!(pagination["total"], 0);
    }
}

#[tokio::test]
async fn sorts_by_name_price_and_recency() {
    let server = server();
    let (items, _) = products(&server, "?sort=name&limit=100").await;
    let mut sorted = names(&items);
    sorted.sort_by_key(|name| name.to_lowercase());
    assert_eq!(names(&items), sorted);

    let amounts = |items: &[Value]| -> Vec<i64> {
        items
            .iter()
            .map(|p| p["price"]["amount"].as_i64().unwrap())
            .collect()
    };
    let (items, _) = products(&server, "?sort=price&limit=100").await;
    assert!(amounts(&items).windows(2).all(|w| w[0] <= w[1]));
    let (items, _) = products(&server, "?sort=-price&limit=100").await;
    assert!(amounts(&items).windows(2).all(|w| w[0] >= w[1]));

    let (items, _) = products(&server, "?sort=newest&limit=100").await;
    let created: Vec<&str> = items
        .iter()
        .map(|p| p["createdAt"].as_str().unwrap())
        .collect();
    assert!(created.windows(2).all(|w| w[0] >= w[1]));
    let (default_order, _) = products(&server, "?limit=100").await;
    assert_eq!(
        names(&default_order),
        names(&items),
        "newest is the default"
    );
}

#[tokio::test]
async fn product_by_id_or_slug_and_tenant_isolation() {
    let server = server();
    let (items, _) = products(&server, "?limit=1").await;
    let id = items[0]["id"].as_str().unwrap();
    let slug = items[0]["slug"].as_str().unwrap();
    let (status, by_id) = get(&server, &format!("/api/v1/stores/demo/products/{id}")).await;
    assert_eq!(status, 200);
    let (_, by_slug) = get(&server, &format!("/api/v1/stores/demo/products/{slug}")).await;
    assert_eq!(by_id["data"], by_slug["data"]);
    let (_, upper) = get(
        &server,
        &format!("/api/v1/stores/demo/products/{}", id.to_uppercase()),
    )
    .await;
    assert_eq!(upper["data"]["id"], id);

    // A product of store demo does not exist as far as demo-b is concerned.
    let (status, body) = get(&server, &format!("/api/v1/stores/demo-b/products/{id}")).await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "NOT_FOUND");
}

#[tokio::test]
async fn every_error_has_its_status_and_stable_code() {
    let server = server();
    let cases: &[(&str, u16, &str, Option<&str>)] = &[
        ("/api/v1/stores/nope", 404, "STORE_NOT_FOUND", None),
        ("/api/v1/stores/nope/products", 404, "STORE_NOT_FOUND", None),
        (
            "/api/v1/stores/nope/categories",
            404,
            "STORE_NOT_FOUND",
            None,
        ),
        ("/api/v1/stores/demo/products/nope", 404, "NOT_FOUND", None),
        (
            "/api/v1/stores/demo/products/00000000-0000-4000-8000-000000000000",
            404,
            "NOT_FOUND",
            None,
        ),
        ("/api/v2/anything", 404, "NOT_FOUND", None),
        (
            "/api/v1/stores/demo/products?limit=0",
            400,
            "VALIDATION_ERROR",
            Some("limit"),
        ),
        (
            "/api/v1/stores/demo/products?limit=101",
            400,
            "VALIDATION_ERROR",
            Some("limit"),
        ),
        (
            "/api/v1/stores/demo/products?limit=abc",
            400,
            "VALIDATION_ERROR",
            Some("limit"),
        ),
        (
            "/api/v1/stores/demo/products?offset=-1",
            400,
            "VALIDATION_ERROR",
            Some("offset"),
        ),
        (
            "/api/v1/stores/demo/products?offset=99999999999999999999",
            400,
            "VALIDATION_ERROR",
            Some("offset"),
        ),
        (
            "/api/v1/stores/demo/products?featured=maybe",
            400,
            "VALIDATION_ERROR",
            Some("featured"),
        ),
        (
            "/api/v1/stores/demo/products?sort=cheapest",
            400,
            "VALIDATION_ERROR",
            Some("sort"),
        ),
        (
            "/api/v1/stores/demo/products?category=",
            400,
            "VALIDATION_ERROR",
            Some("category"),
        ),
        (
            "/api/v1/stores/demo/products?colour=red",
            400,
            "VALIDATION_ERROR",
            Some("colour"),
        ),
        (
            "/api/v1/stores/%FF/products",
            400,
            "VALIDATION_ERROR",
            Some("path"),
        ),
    ];
    for &(path, status, code, parameter) in cases {
        let (got_status, body) = get(&server, path).await;
        assert_eq!(got_status, status, "{path}: {body}");
        assert_eq!(body["success"], false, "{path}");
        assert_eq!(body["error"]["code"], code, "{path}");
        assert!(!body["error"]["message"].as_str().unwrap().is_empty());
        assert!(body.get("data").is_none(), "{path}");
        if let Some(parameter) = parameter {
            assert_eq!(body["error"]["details"]["parameter"], parameter, "{path}");
        }
    }
    let long_search = "x".repeat(201);
    let (status, body) = get(
        &server,
        &format!("/api/v1/stores/demo/products?q={long_search}"),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["details"]["parameter"], "q");

    let response = reqwest::Client::new()
        .delete(server.url("/api/v1/stores/demo/products"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "METHOD_NOT_ALLOWED");
}

#[tokio::test]
async fn cors_allows_only_the_store_origins() {
    let server = server();
    let http = reqwest::Client::new();
    let request =
        |path: &str, origin: &str| http.get(server.url(path)).header(ORIGIN, origin).send();
    let allowed = request("/api/v1/stores/demo/products", HOST_PAGE)
        .await
        .unwrap();
    assert_eq!(allowed.headers()[ACCESS_CONTROL_ALLOW_ORIGIN], HOST_PAGE);

    let refused = request("/api/v1/stores/demo/products", "http://evil.example")
        .await
        .unwrap();
    assert!(refused.headers().get(ACCESS_CONTROL_ALLOW_ORIGIN).is_none());

    // Preflight: allowed for the listed origin, refused for another.
    let preflight = |origin: &str| {
        http.request(
            reqwest::Method::OPTIONS,
            server.url("/api/v1/stores/demo/products"),
        )
        .header(ORIGIN, origin)
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "content-type")
        .send()
    };
    let ok = preflight(HOST_PAGE).await.unwrap();
    assert!(ok.status().is_success(), "{}", ok.status());
    assert_eq!(ok.headers()[ACCESS_CONTROL_ALLOW_ORIGIN], HOST_PAGE);
    let no = preflight("http://evil.example").await.unwrap();
    assert!(no.headers().get(ACCESS_CONTROL_ALLOW_ORIGIN).is_none());

    // An unknown store's STORE_NOT_FOUND reveals nothing, so any page may read it (and show it).
    let unknown = request("/api/v1/stores/nope", "http://evil.example")
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    assert!(unknown.headers().get(ACCESS_CONTROL_ALLOW_ORIGIN).is_some());

    // Widget files, images and the API description are public to every origin.
    let openapi = request("/api/v1/openapi.json", "http://evil.example")
        .await
        .unwrap();
    assert!(openapi.headers().get(ACCESS_CONTROL_ALLOW_ORIGIN).is_some());
}

#[tokio::test]
async fn openapi_document_describes_every_route() {
    let server = server();
    let doc: Value = reqwest::get(server.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/health",
        "/api/v1/stores/{store}",
        "/api/v1/stores/{store}/products",
        "/api/v1/stores/{store}/products/{idOrSlug}",
        "/api/v1/stores/{store}/categories",
        "/api/v1/auth/login",
        "/api/v1/auth/refresh",
        "/api/v1/admin/stores/{store}",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing");
    }
    assert_eq!(
        doc["components"]["securitySchemes"]["bearerAuth"]["scheme"],
        "bearer"
    );
    let params = doc["paths"]["/api/v1/stores/{store}/products"]["get"]["parameters"]
        .as_array()
        .unwrap();
    let names: HashSet<&str> = params.iter().map(|p| p["name"].as_str().unwrap()).collect();
    for name in [
        "store", "limit", "offset", "category", "featured", "q", "sort",
    ] {
        assert!(names.contains(name), "{name} missing");
    }
    assert!(doc["components"]["schemas"]["ErrorCode"].is_object());
    // OpenAPI requires unique operation ids; code generators (the JS client's TypeScript types)
    // key operations by them.
    let mut operation_ids = HashSet::new();
    for item in doc["paths"].as_object().unwrap().values() {
        for operation in item.as_object().unwrap().values() {
            if let Some(id) = operation["operationId"].as_str() {
                assert!(operation_ids.insert(id), "operationId {id} is used twice");
            }
        }
    }

    let (status, health) = get(&server, "/api/health").await;
    assert_eq!(status, 200);
    assert_eq!(health["data"]["status"], "ok");
    assert_eq!(
        health["data"]["database"],
        colmena_test_support::database_engine()
    );
}

#[tokio::test]
async fn demo_is_seeded_only_when_asked_and_only_once() {
    let data_dir = colmena_test_support::fresh_data_dir();
    let binary = Path::new(BIN);
    {
        let plain = TestServer::start_with(
            binary,
            &StartOptions {
                demo: false,
                data_dir: Some(data_dir.clone()),
                env: &[],
                extra_args: &[],
            },
        );
        let (status, body) = get(&plain, "/api/v1/stores/demo").await;
        assert_eq!(status, 404, "nothing is seeded without --demo");
        assert_eq!(body["error"]["code"], "STORE_NOT_FOUND");
    }
    let mut ids = Vec::new();
    for _ in 0..2 {
        let demo = TestServer::start_with(
            binary,
            &StartOptions {
                data_dir: Some(data_dir.clone()),
                ..StartOptions::default()
            },
        );
        let (items, pagination) = products(&demo, "?limit=100").await;
        assert_eq!(pagination["total"].as_u64().unwrap(), items.len() as u64);
        ids.push(items.iter().map(|p| p["id"].clone()).collect::<Vec<_>>());
    }
    assert_eq!(ids[0], ids[1], "a second --demo start must not seed again");
    let _ = std::fs::remove_dir_all(&data_dir);
}

#[tokio::test]
async fn demo_page_embeds_the_widget_like_a_third_party_site() {
    let server = server();
    let html = reqwest::get(server.url("/"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(&format!(
        r#"<colmena-products store="demo" api="{}""#,
        server.base_url
    )));
    assert!(html.contains(&format!(
        r#"<script type="module" src="{}/widget/colmena.js">"#,
        server.base_url
    )));
    assert!(html.contains(&format!(
        r#"<colmena-chat store="demo" api="{}">"#,
        server.base_url
    )));
}

#[tokio::test]
async fn widget_files_go_out_as_their_gzipped_copies_to_browsers_that_accept_gzip() {
    let widget_dir = colmena_test_support::fresh_data_dir();
    std::fs::write(widget_dir.join("colmena_widget_bg.wasm"), b"\0asm plain").unwrap();
    std::fs::write(
        widget_dir.join("colmena_widget_bg.wasm.gz"),
        b"gzipped copy",
    )
    .unwrap();
    let dir = widget_dir.to_str().unwrap();
    let server = TestServer::start(Path::new(BIN), &["--widget-dir", dir]);
    let client = reqwest::Client::new();
    let fetch = |accept: &'static str| {
        client
            .get(server.url("/widget/colmena_widget_bg.wasm"))
            .header("accept-encoding", accept)
            .send()
    };

    let gzipped = fetch("gzip, deflate, br").await.unwrap();
    assert_eq!(gzipped.status(), 200);
    assert_eq!(gzipped.headers()["content-encoding"], "gzip");
    // Browsers compile wasm while it downloads only when it is labelled application/wasm.
    assert_eq!(gzipped.headers()["content-type"], "application/wasm");
    assert_eq!(&gzipped.bytes().await.unwrap()[..], b"gzipped copy");

    let plain = fetch("identity").await.unwrap();
    assert_eq!(plain.status(), 200);
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(&plain.bytes().await.unwrap()[..], b"\0asm plain");
    let _ = std::fs::remove_dir_all(&widget_dir);
}
