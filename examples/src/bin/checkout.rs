//! A Rust service buying from a Colmena store: lists products, builds a cart, gives the
//! shipping address and takes the first shipping option when the store ships, checks out with
//! the total the customer saw, pays with the store's test provider, and downloads the digital
//! item.
//!
//! `cargo run -p colmena-examples --bin checkout -- [API_URL] [STORE] [EMAIL]`
//! (defaults: `http://127.0.0.1:8080 demo buyer@example.com`, the demo server of
//! `scripts/demo.sh`).

use std::sync::Arc;

use colmena_sdk::cart::{LocalCart, MemoryCartStorage};
use colmena_sdk::contract::{Address, CartUpdate, TestPaymentOutcome};
use colmena_sdk::{Client, Error, ProductListQuery};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let api = args
        .next()
        .unwrap_or_else(|| "http://127.0.0.1:8080".into());
    let store_slug = args.next().unwrap_or_else(|| "demo".into());
    let email = args.next().unwrap_or_else(|| "buyer@example.com".into());

    let client = Client::new(&api, &store_slug)?;
    let store = client.store().await?;
    let money = |m: &colmena_sdk::Money| m.format(&store.locale);

    // Pick the first physical product in stock and the first digital one.
    let page = client
        .list_products(&ProductListQuery {
            limit: Some(100),
            ..Default::default()
        })
        .await?;
    let physical = page
        .items
        .iter()
        .find(|p| !p.digital && p.variants.iter().any(|v| v.in_stock))
        .ok_or("no product in stock")?;
    let digital = page.items.iter().find(|p| p.digital);

    // A cart kept in memory here; an app would use FileCartStorage to survive restarts.
    let cart = LocalCart::open(client.clone(), Arc::new(MemoryCartStorage::default()))?;
    let in_stock = physical.variants.iter().find(|v| v.in_stock).map(|v| v.id);
    report(cart.add(physical, in_stock, 2).await?)?;
    if let Some(digital) = digital {
        report(cart.add(digital, None, 1).await?)?;
    }
    for line in cart.lines() {
        println!(
            "  {} x {:<36} {:>12}",
            line.quantity,
            format!("{} {}", line.product_name, line.variant_title),
            money(&line.line_total()?)
        );
    }
    // The server prices the cart for its destination: shipping options, shipping and tax.
    report(cart.sync().await)?;
    let cart_id = cart.cart_id().ok_or("the cart was not saved")?;
    let mut priced = client.cart(cart_id).await?;
    if priced.requires_shipping {
        let to = CartUpdate {
            shipping_address: Some(address_in(&store.locale)),
            ..CartUpdate::default()
        };
        priced = client.update_cart(cart_id, &to).await?;
        let option = priced
            .shipping_options
            .first()
            .ok_or("the store does not ship there")?;
        println!("  shipping: {} {}", option.name, money(&option.price));
        let rate = CartUpdate {
            shipping_rate_id: Some(option.id),
            ..CartUpdate::default()
        };
        priced = client.update_cart(cart_id, &rate).await?;
    }
    let shown = priced.totals.total;
    println!("  total {:>48}", money(&shown));

    let session = match cart.checkout(&email, Some(shown)).await {
        Ok(session) => session,
        Err(Error::PriceChanged { current_total, .. }) => {
            return Err(format!(
                "prices changed while shopping; the total is now {}",
                current_total.as_ref().map(money).unwrap_or_default()
            )
            .into())
        }
        Err(Error::InsufficientInventory { available, .. }) => {
            return Err(format!("only {available} left in stock").into())
        }
        Err(other) => return Err(other.into()),
    };
    let order = session.order;
    println!("order {} is {:?}", order.id, order.status);

    // The demo stores use the built-in test provider: settle the payment as a customer would.
    let reference = order
        .payment
        .reference
        .clone()
        .ok_or("no payment reference")?;
    let paid = client
        .settle_test_payment(&reference, TestPaymentOutcome::Succeed)
        .await?;
    println!(
        "payment {:?}: order is {:?}",
        paid.payment.status, paid.status
    );
    for download in &paid.downloads {
        let file = client.download(download).await?;
        println!(
            "downloaded {} ({} bytes, {} downloads left)",
            file.file_name,
            file.bytes.len(),
            download.downloads_remaining.saturating_sub(1)
        );
    }
    Ok(())
}

/// A shipping address in the country of the store's locale (the demo stores': Spain, Senegal).
fn address_in(locale: &str) -> Address {
    let (city, region, postal_code, country) = match locale.rsplit('-').next() {
        Some("SN") => ("Dakar", None, "10200", "SN"),
        _ => ("Madrid", Some("M"), "28013", "ES"),
    };
    Address {
        name: "Ana Silva".into(),
        company: None,
        line1: "Calle Mayor 1".into(),
        line2: None,
        city: city.into(),
        region: region.map(Into::into),
        postal_code: Some(postal_code.into()),
        country: country.into(),
    }
}

/// Fails on what the server refused; a cart change that could not be sent yet stays pending.
fn report(report: colmena_sdk::cart::SyncReport) -> Result<(), Box<dyn std::error::Error>> {
    if let Some((operation, error)) = report.rejected.into_iter().next() {
        return Err(format!("the store refused {operation:?}: {error}").into());
    }
    if let Some(offline) = report.offline {
        return Err(format!("the store cannot be reached: {offline}").into());
    }
    Ok(())
}
