//! Catalog search over real HTTP against the real server (SQLite, or PostgreSQL when
//! `COLMENA_TEST_POSTGRES_URL` is set): relevance (exact name first, prefixes, typos, accents,
//! translated names in the shopper's language), filters and facet counts, the index following
//! every catalog write, one store never seeing another's products, and refused parameters.
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use common::{error_code, server, Api};
use reqwest::Method;
use serde_json::{json, Value};

const ADMIN: &str = "/api/v1/admin/stores/demo";

fn eur(amount: i64) -> Value {
    json!({ "amount": amount, "currency": "EUR" })
}

/// The names of a search's products, in order, and its whole answer.
async fn search(api: &Api<'_>, store: &str, query: &str) -> (Vec<String>, Value) {
    let (status, body) = api
        .get(&format!("/api/v1/stores/{store}/search?{query}"))
        .await;
    assert_eq!(status, 200, "{query}: {body}");
    let names = body["data"]["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_owned())
        .collect();
    (names, body)
}

/// Creates an active product with one variant at `price`; answers its id.
async fn create(owner: &Api<'_>, store: &str, name: &str, price: i64, extra: Value) -> String {
    let currency = if store == "demo" { "EUR" } else { "XOF" };
    let mut product = json!({
        "name": name,
        "description": "",
        "variants": [{ "options": {}, "price": { "amount": price, "currency": currency } }],
    });
    for (key, value) in extra.as_object().unwrap() {
        product[key] = value.clone();
    }
    let (status, body) = owner
        .post(&format!("/api/v1/admin/stores/{store}/products"), product)
        .await;
    assert_eq!(status, 201, "{name}: {body}");
    body["data"]["id"].as_str().unwrap().to_owned()
}

/// The facet of attribute `name`: value → count.
fn facet(body: &Value, name: &str) -> Vec<(String, u64)> {
    body["data"]["facets"]["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|facet| facet["name"] == name)
        .map(|facet| {
            facet["values"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| {
                    (
                        v["value"].as_str().unwrap().to_owned(),
                        v["count"].as_u64().unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn searches_rank_by_relevance_and_forgive_prefixes_typos_and_accents() {
    let server = server(&[]);
    let api = Api::new(&server);
    let owner = api.owner("demo").await;
    create(&owner, "demo", "Honey", 500, json!({})).await;
    create(&owner, "demo", "Crème Brûlée Candle", 1800, json!({})).await;

    // The demo sells many honeys: the product named exactly "Honey" comes first.
    let (names, body) = search(&api, "demo", "q=honey").await;
    assert_eq!(names[0], "Honey", "{names:?}");
    assert_eq!(names.len(), 20, "{names:?}");
    // Descriptions match too, after the names.
    assert!(body["pagination"]["total"].as_u64().unwrap() > 20);
    let (names, _) = search(&api, "demo", "q=HONEY").await;
    assert_eq!(names[0], "Honey");

    // A typo in each word.
    let (names, _) = search(&api, "demo", "q=wildflwer%20hony").await;
    assert_eq!(
        names.first().map(String::as_str),
        Some("Wildflower Honey 500 g")
    );
    // A prefix.
    let (names, _) = search(&api, "demo", "q=lavend").await;
    assert!(
        names.contains(&"Lavender Honey 500 g".to_owned()),
        "{names:?}"
    );
    let (names, _) = search(&api, "demo", "q=hon").await;
    assert!(names.contains(&"Honey".to_owned()), "{names:?}");
    // Accents, either way.
    let (names, _) = search(&api, "demo", "q=creme%20brulee").await;
    assert_eq!(
        names.first().map(String::as_str),
        Some("Crème Brûlée Candle")
    );
    let (names, _) = search(&api, "demo-b", "q=imprime").await;
    assert_eq!(
        names.first().map(String::as_str),
        Some("Wax imprimé 6 yards")
    );
    // Nothing close, and nothing searchable, match nothing.
    let (names, body) = search(&api, "demo", "q=zzyzx").await;
    assert!(names.is_empty());
    assert_eq!(body["data"]["facets"]["price"], Value::Null);
    let (names, _) = search(&api, "demo", "q=%3F%21").await;
    assert!(names.is_empty());
    // Text that is syntax to the engines (FTS5 quotes and stars, tsquery operators, and `ŉ`
    // and `¼`, which unaccent turns into an apostrophe and a slash) is only text.
    for text in [
        "%C5%89%C2%BC",
        "a%5Cb%20%27%22*%20%26%7C!",
        "NEAR(a%20b)%20OR%20-x:y",
    ] {
        search(&api, "demo", &format!("q={text}")).await;
    }
    // An explicit sort replaces relevance.
    let (names, _) = search(&api, "demo", "q=honey&category=honey&sort=-price&limit=2").await;
    assert_eq!(names[0], "Honey Tasting Trio");
}

#[tokio::test]
async fn translated_names_are_searched_in_the_shoppers_language() {
    let server = server(&[]);
    let api = Api::new(&server);
    let owner = api.owner("demo").await;
    let id = create(&owner, "demo", "Beeswax Wrap", 900, json!({})).await;
    let translation = format!("{ADMIN}/products/{id}/translations/de");
    let (status, body) = owner
        .call(
            Method::PUT,
            &translation,
            Some(json!({ "name": "Bienenwachstuch" })),
        )
        .await;
    assert_eq!(status, 200, "{body}");

    let (names, _) = search(&api, "demo", "q=bienenwachs&locale=de").await;
    assert_eq!(names, ["Bienenwachstuch"]);
    let response = api
        .http
        .get(
            api.server
                .url("/api/v1/stores/demo/search?q=bienenwachstuch"),
        )
        .header("accept-language", "de-AT, en;q=0.5")
        .send()
        .await
        .unwrap();
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["data"]["products"][0]["name"], "Bienenwachstuch");
    // The store's own name is found in any language; the German one only in German.
    let (names, _) = search(&api, "demo", "q=beeswax%20wrap&locale=de").await;
    assert_eq!(names[0], "Bienenwachstuch", "{names:?}");
    let (names, _) = search(&api, "demo", "q=bienenwachstuch&locale=fr").await;
    assert!(names.is_empty(), "{names:?}");

    // The index follows the translation's changes.
    let (status, _) = owner
        .call(
            Method::PUT,
            &translation,
            Some(json!({ "name": "Wachstuch" })),
        )
        .await;
    assert_eq!(status, 200);
    let (names, _) = search(&api, "demo", "q=bienenwachstuch&locale=de").await;
    assert!(names.is_empty(), "{names:?}");
    let (names, _) = search(&api, "demo", "q=wachstuch&locale=de").await;
    assert_eq!(names, ["Wachstuch"]);
    let (status, _) = owner.delete(&translation).await;
    assert!((200..300).contains(&status));
    let (names, _) = search(&api, "demo", "q=wachstuch&locale=de").await;
    assert!(names.is_empty(), "{names:?}");
}

#[tokio::test]
async fn filters_narrow_a_search_and_facets_count_the_alternatives() {
    let server = server(&[]);
    let api = Api::new(&server);
    let owner = api.owner("demo").await;
    let schema = json!({
        "type": "object",
        "properties": {
            "origin": { "type": "string" },
            "organic": { "type": "boolean" },
            "weightGrams": { "type": "integer" },
        },
    });
    let (status, body) = owner
        .post(
            &format!("{ADMIN}/product-types"),
            json!({ "name": "Mead", "schema": schema }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let mead = body["data"]["id"].clone();
    for (name, price, origin, organic) in [
        ("Dry Mead", 1200, "Spain", true),
        ("Sweet Mead", 1500, "France", false),
        ("Sparkling Mead", 2500, "France", true),
    ] {
        let attributes = json!({ "origin": origin, "organic": organic, "weightGrams": 750 });
        create(
            &owner,
            "demo",
            name,
            price,
            json!({ "productTypeId": mead, "attributes": attributes }),
        )
        .await;
    }

    let (names, body) = search(&api, "demo", "q=mead&sort=price").await;
    assert_eq!(names, ["Dry Mead", "Sweet Mead", "Sparkling Mead"]);
    assert_eq!(body["data"]["facets"]["price"]["min"], eur(1200));
    assert_eq!(body["data"]["facets"]["price"]["max"], eur(2500));
    assert_eq!(
        facet(&body, "origin"),
        [("France".to_owned(), 2), ("Spain".to_owned(), 1)]
    );
    assert_eq!(
        facet(&body, "organic"),
        [("true".to_owned(), 2), ("false".to_owned(), 1)]
    );
    assert_eq!(facet(&body, "weightGrams"), [("750".to_owned(), 3)]);

    // An attribute filter: the other attributes count what remains, its own the alternatives.
    let (names, body) = search(&api, "demo", "q=mead&attribute=origin:France&sort=price").await;
    assert_eq!(names, ["Sweet Mead", "Sparkling Mead"]);
    assert_eq!(
        facet(&body, "origin"),
        [("France".to_owned(), 2), ("Spain".to_owned(), 1)]
    );
    assert_eq!(
        facet(&body, "organic"),
        [("false".to_owned(), 1), ("true".to_owned(), 1)]
    );
    // Values of one attribute widen, different attributes narrow.
    let (names, _) = search(
        &api,
        "demo",
        "attribute=origin:France&attribute=origin:Spain&attribute=organic:true&sort=price",
    )
    .await;
    assert_eq!(names, ["Dry Mead", "Sparkling Mead"]);
    // A product holding none of the filtered values counts in no facet (Sparkling Mead below).
    let (names, body) = search(
        &api,
        "demo",
        "attribute=origin:Spain&attribute=organic:false",
    )
    .await;
    assert!(names.is_empty(), "{names:?}");
    assert_eq!(facet(&body, "origin"), [("France".to_owned(), 1)]);
    assert_eq!(facet(&body, "organic"), [("true".to_owned(), 1)]);
    // Numbers match by their text.
    let (names, body) = search(
        &api,
        "demo",
        "attribute=weightGrams:750&attribute=origin:Spain",
    )
    .await;
    assert_eq!(names, ["Dry Mead"]);
    assert_eq!(
        facet(&body, "origin"),
        [("France".to_owned(), 2), ("Spain".to_owned(), 1)]
    );
    assert_eq!(facet(&body, "weightGrams"), [("750".to_owned(), 1)]);

    // The price range, whose facet ignores it; the product type by its slug.
    let (names, body) = search(&api, "demo", "productType=mead&minPrice=1300&maxPrice=2000").await;
    assert_eq!(names, ["Sweet Mead"]);
    assert_eq!(body["data"]["facets"]["price"]["min"], eur(1200));
    assert_eq!(body["data"]["facets"]["price"]["max"], eur(2500));
    assert_eq!(body["pagination"]["total"], 1);
    let (names, _) = search(&api, "demo", "q=mead&productType=no-such-type").await;
    assert!(names.is_empty());

    // Paging over the matches.
    let (names, body) = search(&api, "demo", "q=mead&sort=price&limit=2&offset=2").await;
    assert_eq!(names, ["Sparkling Mead"]);
    assert_eq!(body["pagination"]["total"], 3);
}

#[tokio::test]
async fn fractional_and_missing_attributes_filter_and_count_as_before() {
    let server = server(&[]);
    let api = Api::new(&server);
    let owner = api.owner("demo").await;
    let schema = json!({
        "type": "object",
        "properties": {
            "litres": { "type": "number" },
            "shape": { "type": "string" },
            "tags": { "type": "array" },
        },
    });
    let (status, body) = owner
        .post(
            &format!("{ADMIN}/product-types"),
            json!({ "name": "Jar", "schema": schema }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let jar = body["data"]["id"].clone();
    for (name, attributes) in [
        (
            "Glass Jar Half",
            json!({ "litres": 0.5, "shape": "round", "tags": ["a"] }),
        ),
        (
            "Glass Jar Small",
            json!({ "litres": 1.5, "shape": "round" }),
        ),
        ("Glass Jar Tall", json!({ "litres": 1.5, "shape": "tall" })),
        ("Glass Jar Plain", json!({ "litres": 2 })),
    ] {
        create(
            &owner,
            "demo",
            name,
            700,
            json!({ "productTypeId": jar, "attributes": attributes }),
        )
        .await;
    }

    // Fractions are values like any other; arrays are not values; a product without an
    // attribute is not counted under it, and fails a filter on it.
    let (_, body) = search(&api, "demo", "q=jar").await;
    assert_eq!(
        facet(&body, "litres"),
        [
            ("1.5".to_owned(), 2),
            ("0.5".to_owned(), 1),
            ("2".to_owned(), 1)
        ]
    );
    assert_eq!(
        facet(&body, "shape"),
        [("round".to_owned(), 2), ("tall".to_owned(), 1)]
    );
    assert_eq!(facet(&body, "tags"), []);
    let (names, body) = search(&api, "demo", "q=jar&attribute=litres:1.5&sort=name").await;
    assert_eq!(names, ["Glass Jar Small", "Glass Jar Tall"]);
    assert_eq!(body["pagination"]["total"], 2);
    assert_eq!(
        facet(&body, "shape"),
        [("round".to_owned(), 1), ("tall".to_owned(), 1)]
    );
    let (names, _) = search(&api, "demo", "q=jar&attribute=shape:round&sort=name").await;
    assert_eq!(names, ["Glass Jar Half", "Glass Jar Small"]);
}

#[tokio::test]
async fn the_index_follows_every_catalog_write() {
    let server = server(&[]);
    let api = Api::new(&server);
    let owner = api.owner("demo").await;
    let id = create(&owner, "demo", "Propolis Tincture", 1000, json!({})).await;
    let product = format!("{ADMIN}/products/{id}");

    let (status, body) = owner
        .patch(
            &product,
            json!({ "name": "Propolis Spray", "description": "For sore throats" }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (names, _) = search(&api, "demo", "q=tincture").await;
    assert!(names.is_empty(), "{names:?}");
    let (names, _) = search(&api, "demo", "q=propolis%20spray").await;
    assert_eq!(names, ["Propolis Spray"]);
    let (names, _) = search(&api, "demo", "q=throat").await;
    assert_eq!(names, ["Propolis Spray"]);

    // A variant's new price moves the product in and out of a price range.
    let variant = body["data"]["variants"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (names, _) = search(&api, "demo", "q=propolis&maxPrice=600").await;
    assert!(names.is_empty());
    let (status, body) = owner
        .patch(
            &format!("{product}/variants/{variant}"),
            json!({ "price": eur(550) }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (names, body) = search(&api, "demo", "q=propolis&maxPrice=600").await;
    assert_eq!(names, ["Propolis Spray"]);
    assert_eq!(body["data"]["products"][0]["price"], eur(550));

    // Hidden, then deleted: shoppers never find it.
    let (status, _) = owner.patch(&product, json!({ "active": false })).await;
    assert_eq!(status, 200);
    let (names, _) = search(&api, "demo", "q=propolis").await;
    assert!(names.is_empty());
    let (status, _) = owner.patch(&product, json!({ "active": true })).await;
    assert_eq!(status, 200);
    let (status, _) = owner.delete(&product).await;
    assert!((200..300).contains(&status));
    let (names, _) = search(&api, "demo", "q=propolis").await;
    assert!(names.is_empty());
}

#[tokio::test]
async fn a_store_never_finds_another_stores_products() {
    let server = server(&[]);
    let api = Api::new(&server);
    let owner_b = api.owner("demo-b").await;
    create(&owner_b, "demo-b", "Zebrawood Honey Spoon", 5000, json!({})).await;

    let (names, _) = search(&api, "demo-b", "q=zebrawood").await;
    assert_eq!(names, ["Zebrawood Honey Spoon"]);
    // Not by name, prefix or typo, nor in the facets.
    for query in ["q=zebrawood", "q=zebra", "q=zebrawod", "q=honey%20spoon"] {
        let (names, body) = search(&api, "demo", query).await;
        assert!(
            !names.contains(&"Zebrawood Honey Spoon".to_owned()),
            "{query}: {names:?}"
        );
        assert_ne!(body["data"]["facets"]["price"]["max"]["amount"], 5000);
    }
    let (names, _) = search(&api, "demo-b", "q=honey").await;
    assert_eq!(names, ["Zebrawood Honey Spoon"]);
    let (status, body) = api.get("/api/v1/stores/nowhere/search?q=honey").await;
    assert_eq!((status, error_code(&body)), (404, "STORE_NOT_FOUND"));
}

#[tokio::test]
async fn bad_search_parameters_are_refused_and_named() {
    let server = server(&[]);
    let api = Api::new(&server);
    let long = "a".repeat(201);
    for (query, parameter) in [
        ("minPrice=cheap", "minPrice"),
        ("minPrice=-5", "minPrice"),
        ("maxPrice=99999999999999999", "maxPrice"),
        ("minPrice=500&maxPrice=100", "maxPrice"),
        ("attribute=origin", "attribute"),
        ("attribute=%3ASpain", "attribute"),
        ("attribute=origin%3A", "attribute"),
        ("attribute=ori%20gin%3ASpain", "attribute"),
        ("productType=", "productType"),
        ("limit=0", "limit"),
        ("offset=-1", "offset"),
        ("sort=relevance", "sort"),
        ("featured=maybe", "featured"),
        ("locale=english", "locale"),
        ("colour=red", "colour"),
        (&format!("q={long}"), "q"),
    ] {
        let (status, body) = api
            .get(&format!("/api/v1/stores/demo/search?{query}"))
            .await;
        assert_eq!(
            (status, error_code(&body)),
            (400, "VALIDATION_ERROR"),
            "{query}: {body}"
        );
        assert_eq!(
            body["error"]["details"]["parameter"], parameter,
            "{query}: {body}"
        );
    }
    let eleven = ["attribute=a:b"; 11].join("&");
    let (status, body) = api
        .get(&format!("/api/v1/stores/demo/search?{eleven}"))
        .await;
    assert_eq!(
        (status, &body["error"]["details"]["parameter"]),
        (400, &json!("attribute"))
    );
}

#[tokio::test]
async fn products_on_sale_are_filtered_counted_and_sorted_at_their_sale_price() {
    let server = server(&[]);
    let api = Api::new(&server);
    // The demo's Candle week: Pillar Candle Large 22.00 → 17.60, Rolled Taper Pair 14.50 → 11.60.
    let (names, body) = search(&api, "demo", "q=candle&maxPrice=1800&sort=-price").await;
    assert_eq!(
        names.first().map(String::as_str),
        Some("Pillar Candle Large"),
        "{body}"
    );
    let prices: Vec<i64> = body["data"]["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["price"]["amount"].as_i64().unwrap())
        .collect();
    assert_eq!(prices[0], 1760);
    assert!(
        prices.windows(2).all(|pair| pair[0] >= pair[1]),
        "{prices:?}"
    );
    assert!(prices.iter().all(|price| *price <= 1800), "{prices:?}");
    // The price facet counts the sale price, not the regular 22.00.
    let (_, body) = search(&api, "demo", "q=pillar").await;
    assert_eq!(
        body["data"]["facets"]["price"]["max"]["amount"], 1760,
        "{body}"
    );
}
