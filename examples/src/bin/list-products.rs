//! Lists a store's categories and first page of products.
//!
//! `cargo run -p colmena-examples --bin list-products -- [API_URL] [STORE]`
//! (defaults: `http://127.0.0.1:8080 demo`, the demo server of `scripts/demo.sh`).

use colmena_sdk::{Client, ProductListQuery, ProductSort};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let api = args
        .next()
        .unwrap_or_else(|| "http://127.0.0.1:8080".into());
    let store_slug = args.next().unwrap_or_else(|| "demo".into());

    let client = Client::new(&api, &store_slug)?;
    let store = client.store().await?;
    println!("{} ({}, {})", store.name, store.currency, store.locale);
    for category in client.categories().await? {
        println!(
            "  {:<20} {} products",
            category.name, category.product_count
        );
    }
    let query = ProductListQuery {
        limit: Some(10),
        sort: Some(ProductSort::Price),
        ..Default::default()
    };
    let page = client.list_products(&query).await?;
    println!(
        "cheapest {} of {}:",
        page.items.len(),
        page.pagination.total
    );
    for product in page.items {
        println!(
            "  {:<32} {:>12}",
            product.name,
            product.price.format(&store.locale)
        );
    }
    Ok(())
}
