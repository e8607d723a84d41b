//! Product and category content in several languages, over real HTTP against the real server:
//! set by the admin API, answered in the shopper's language (`?locale=` or `Accept-Language`,
//! with BCP 47 fallback), in the store's own language otherwise, searched, and kept per store.
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use common::{error_code, server, Api};
use serde_json::{json, Value};

/// A public GET with an `Accept-Language` header: the status, the `Vary` header and the body.
async fn get_in(api: &Api<'_>, path: &str, accept_language: &str) -> (u16, String, Value) {
    let response = api
        .http
        .get(api.server.url(path))
        .header("accept-language", accept_language)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let vary = response
        .headers()
        .get("vary")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, vary, response.json().await.unwrap())
}

#[tokio::test]
async fn shoppers_read_the_catalog_in_their_language() {
    let server = server(&[]);
    let api = Api::new(&server);
    let owner = api.owner("demo").await;
    let jacket = api.product("demo", "ventilated-jacket").await;
    let jacket_id = jacket["id"].as_str().unwrap();
    let category_id = jacket["category"]["id"].as_str().unwrap();
    let base_name = jacket["name"].as_str().unwrap().to_owned();
    let translations = format!("/api/v1/admin/stores/demo/products/{jacket_id}/translations");

    // German is not among the demo's languages: set it.
    let (status, body) = owner
        .call(
            reqwest::Method::PUT,
            &format!("{translations}/de"),
            Some(json!({
                "name": "Belüftete Imkerjacke",
                "description": "Leicht und luftig.",
                "optionNames": ["Größe"]
            })),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = owner
        .call(
            reqwest::Method::PUT,
            &format!("/api/v1/admin/stores/demo/categories/{category_id}/translations/de"),
            Some(json!({ "name": "Imkereibedarf" })),
        )
        .await;
    assert_eq!(status, 200);

    // `?locale=` and `Accept-Language` (with a regional tag falling back to the language).
    let path = "/api/v1/stores/demo/products/ventilated-jacket";
    let (_, german) = api.get(&format!("{path}?locale=de")).await;
    assert_eq!(german["data"]["name"], "Belüftete Imkerjacke");
    assert_eq!(german["data"]["description"], "Leicht und luftig.");
    assert_eq!(german["data"]["options"], json!(["Größe"]));
    assert_eq!(german["data"]["category"]["name"], "Imkereibedarf");
    let (status, vary, swiss) = get_in(&api, path, "de-CH, en;q=0.5").await;
    assert_eq!(status, 200);
    assert_eq!(swiss["data"]["name"], "Belüftete Imkerjacke");
    assert!(vary.contains("Accept-Language"), "{vary}");
    // Without a fitting translation: the store's own content, from the same cache.
    let (_, _, other) = get_in(&api, path, "ja").await;
    assert_eq!(other["data"]["name"], base_name.as_str());
    let (_, _, star) = get_in(&api, path, "*").await;
    assert_eq!(star["data"]["name"], base_name.as_str());

    // Lists, categories and search follow the language too.
    let (_, list) = api
        .get("/api/v1/stores/demo/products?category=apiary&limit=100&locale=de")
        .await;
    assert!(list["data"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["name"] == "Belüftete Imkerjacke"));
    let (_, categories) = api.get("/api/v1/stores/demo/categories?locale=de").await;
    assert!(categories["data"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["name"] == "Imkereibedarf"));
    let (_, found) = api.get("/api/v1/stores/demo/products?q=imkerjacke").await;
    assert_eq!(found["data"][0]["slug"], "ventilated-jacket", "{found}");

    // Bad input is refused with the parameter named.
    let (status, body) = api.get(&format!("{path}?locale=deutsch")).await;
    assert_eq!((status, error_code(&body)), (400, "VALIDATION_ERROR"));
    assert_eq!(body["error"]["details"]["parameter"], "locale");
    let (status, body) = owner
        .call(
            reqwest::Method::PUT,
            &format!("{translations}/de"),
            Some(json!({ "name": "Jacke", "optionNames": ["Größe", "Farbe"] })),
        )
        .await;
    assert_eq!((status, error_code(&body)), (400, "VALIDATION_ERROR"));
    assert_eq!(body["error"]["details"]["parameter"], "optionNames");
    let (status, body) = owner
        .call(
            reqwest::Method::PUT,
            &format!("{translations}/Deutsch"),
            Some(json!({ "name": "Jacke" })),
        )
        .await;
    assert_eq!(
        (status, body["error"]["details"]["parameter"].clone()),
        (400, json!("locale"))
    );

    // Listed, audited, removed; another store's owner cannot touch them.
    let (_, listed) = owner.get(&translations).await;
    assert!(listed["data"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["locale"] == "de" && t["optionNames"] == json!(["Größe"])));
    let (_, log) = owner
        .get(&format!(
            "/api/v1/admin/stores/demo/audit-log?entityType=product&entityId={jacket_id}"
        ))
        .await;
    assert!(log["data"][0]["action"] == "translate", "{log}");
    let other = api.owner("demo-b").await;
    let (status, _) = other
        .get(&format!(
            "/api/v1/admin/stores/demo-b/products/{jacket_id}/translations"
        ))
        .await;
    assert_eq!(status, 404);
    let (status, _) = owner.delete(&format!("{translations}/de")).await;
    assert_eq!(status, 200);
    let (_, back) = api.get(&format!("{path}?locale=de")).await;
    assert_eq!(back["data"]["name"], base_name.as_str());
    let (status, body) = owner.delete(&format!("{translations}/de")).await;
    assert_eq!((status, error_code(&body)), (404, "NOT_FOUND"));
}

#[tokio::test]
async fn the_demo_stores_speak_five_languages() {
    let server = server(&[]);
    let api = Api::new(&server);
    for (store, languages) in [
        ("demo", ["en", "es", "fr", "pt", "sw"]),
        ("demo-b", ["en", "es", "fr", "pt", "sw"]),
    ] {
        let mut names_by_language = Vec::new();
        for language in languages {
            let (_, page) = api
                .get(&format!(
                    "/api/v1/stores/{store}/products?limit=100&sort=name&locale={language}"
                ))
                .await;
            let names: Vec<String> = page["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["name"].as_str().unwrap().to_owned())
                .collect();
            names_by_language.push(names);
        }
        // Every pair of languages differs on at least ten products (the ten best sellers).
        for (i, a) in names_by_language.iter().enumerate() {
            for b in &names_by_language[i + 1..] {
                let different = a.iter().filter(|name| !b.contains(name)).count();
                assert!(
                    different >= 10,
                    "{store}: {} vs {}: {different}",
                    a.len(),
                    b.len()
                );
            }
        }
    }
}
