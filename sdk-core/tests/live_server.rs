//! The Rust client against a live `colmena-server` process started by the test.
#![allow(clippy::unwrap_used, missing_docs)]

use colmena_sdk::contract::ErrorCode;
use colmena_sdk::{Client, Error, ProductListQuery, ProductSort};
use colmena_test_support::TestServer;

#[tokio::test]
async fn browses_the_demo_catalog() {
    let server = TestServer::start_default(&[]);
    let client = Client::new(&server.base_url, "demo").unwrap();

    let store = client.store().await.unwrap();
    assert_eq!(store.slug, "demo");
    assert_eq!(store.currency, "EUR");

    let categories = client.categories().await.unwrap();
    assert!(categories.len() >= 3);

    let first = client
        .list_products(&ProductListQuery::default())
        .await
        .unwrap();
    assert_eq!(first.items.len(), 20);
    assert!(first.pagination.has_more);
    assert!(first.pagination.total >= 24);

    let second = client
        .list_products(&ProductListQuery {
            offset: Some(20),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        first.items.len() + second.items.len(),
        first.pagination.total as usize
    );
    assert!(!second.pagination.has_more);

    let honey = client
        .list_products(&ProductListQuery {
            category: Some(categories[0].slug.clone()),
            sort: Some(ProductSort::Price),
            limit: Some(100),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(honey.pagination.total, categories[0].product_count);
    assert!(honey
        .items
        .windows(2)
        .all(|w| w[0].price.amount <= w[1].price.amount));

    let by_slug = client.product(&honey.items[0].slug).await.unwrap();
    let by_id = client
        .product(&honey.items[0].id.to_string())
        .await
        .unwrap();
    assert_eq!(by_slug, by_id);
    assert_eq!(by_slug, honey.items[0]);
    // Formatting with the store's locale: Spanish puts the euro sign after a decimal comma.
    assert!(by_slug.price.format(&store.locale).ends_with("\u{a0}€"));
}

#[tokio::test]
async fn the_product_stream_walks_every_page() {
    use futures_util::{StreamExt, TryStreamExt};
    let server = TestServer::start_default(&[]);
    let client = Client::new(&server.base_url, "demo").unwrap();
    let total = client
        .list_products(&ProductListQuery::default())
        .await
        .unwrap()
        .pagination
        .total;
    // Pages of 7 do not divide the catalog evenly: the last page is partial.
    let all: Vec<_> = client
        .product_stream(ProductListQuery {
            limit: Some(7),
            sort: Some(ProductSort::Name),
            ..Default::default()
        })
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len() as u64, total);
    let ids: std::collections::HashSet<_> = all.iter().map(|p| p.id).collect();
    assert_eq!(ids.len(), all.len(), "no product twice");

    // An error is yielded once and ends the stream.
    let missing = Client::new(&server.base_url, "no-such-store").unwrap();
    let items: Vec<_> = missing
        .product_stream(ProductListQuery::default())
        .collect()
        .await;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].as_ref().unwrap_err().code(), "STORE_NOT_FOUND");
}

#[tokio::test]
async fn searches_with_text_that_needs_encoding() {
    let server = TestServer::start_default(&[]);
    let client = Client::new(&server.base_url, "demo-b").unwrap();
    let page = client
        .list_products(&ProductListQuery {
            q: Some("épices & co".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(page.pagination.total, 0);
    let page = client
        .list_products(&ProductListQuery {
            q: Some("Bazin riche".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].price.currency, "XOF");
    // A product slug with characters that need escaping in a path is looked up, not mangled.
    let err = client.product("a/b?c#d").await.unwrap_err();
    assert_eq!(err.code(), "NOT_FOUND");
}

#[tokio::test]
async fn api_errors_carry_their_code_and_request_id() {
    let server = TestServer::start_default(&[]);

    let missing_store = Client::new(&server.base_url, "no-such-store").unwrap();
    match missing_store.store().await.unwrap_err() {
        Error::NotFound(failure) => {
            assert_eq!(failure.status, 404);
            assert_eq!(failure.code, ErrorCode::StoreNotFound);
            assert_eq!(failure.request_id.len(), 36);
        }
        other => panic!("expected NotFound, got {other:?}"),
    }

    let client = Client::new(&server.base_url, "demo").unwrap();
    let err = client.product("no-such-product").await.unwrap_err();
    assert_eq!(err.code(), "NOT_FOUND");
    assert_eq!(err.status(), Some(404));
    assert!(err.request_id().is_some());

    // Client-side validation uses the same rules as the server and never sends the request.
    let err = client
        .list_products(&ProductListQuery {
            limit: Some(500),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), "INVALID_REQUEST");
}

#[tokio::test]
async fn network_and_decode_failures_are_typed() {
    // Nothing listens on port 9 (discard) on loopback.
    let client = Client::new("http://127.0.0.1:9", "demo").unwrap();
    let err = client.store().await.unwrap_err();
    assert_eq!(err.code(), "NETWORK_ERROR");
    assert_eq!(err.status(), None);

    // The demo page is HTML, not the API's JSON: a decode error, not a panic.
    let server = TestServer::start_default(&[]);
    let not_api = Client::new(&format!("{}/widget/x", server.base_url), "demo").unwrap();
    let err = not_api.store().await.unwrap_err();
    assert!(
        matches!(err.code(), "DECODE_ERROR" | "NOT_FOUND"),
        "{err:?}"
    );

    assert_eq!(
        Client::new("ftp://example.com", "demo").unwrap_err().code(),
        "INVALID_REQUEST"
    );
    assert_eq!(
        Client::new("not a url", "demo").unwrap_err().code(),
        "INVALID_REQUEST"
    );
}
