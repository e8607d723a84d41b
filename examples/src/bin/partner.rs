//! A partner's server integrating checkout: it holds a secret key, registers a webhook endpoint,
//! buys server to server with an idempotency key of its own, and verifies every webhook
//! delivery's signature before trusting it. See `docs/checkout.md`.
//!
//! `cargo run -p colmena-examples --bin partner -- [API_URL] [STORE] [OWNER_EMAIL] [PASSWORD]`
//! (defaults: the demo server of `scripts/demo.sh`, which accepts `http://` webhook URLs).

use std::sync::Arc;
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use colmena_sdk::contract::{
    AddCartItemRequest, ApiKeyKind, ApiKeyRequest, CheckoutRequest, CreateCartRequest, Role,
    TestPaymentOutcome, WebhookEndpointInput, WebhookEvent, WebhookEventType,
};
use colmena_sdk::{webhook, AdminClient, Client, IdempotencyKey};
use tokio::sync::mpsc;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let api = args
        .next()
        .unwrap_or_else(|| "http://127.0.0.1:8080".into());
    let store = args.next().unwrap_or_else(|| "demo".into());
    let email = args.next().unwrap_or_else(|| format!("owner@{store}.test"));
    let password = args.next().unwrap_or_else(|| "demo-password".into());

    // 1. A secret key for this integration (made here by the owner; normally created once in
    //    the admin and kept in the partner's secret store).
    let owner = AdminClient::login(&api, &store, &email, &password).await?;
    let created = owner
        .create_api_key(&ApiKeyRequest {
            kind: ApiKeyKind::Secret,
            name: "partner example".into(),
            role: Some(Role::Admin),
        })
        .await?;
    let admin = AdminClient::with_secret_key(Client::new(&api, &store)?, &created.secret)?;

    // 2. A webhook receiver, and its registration with the events we want.
    let (events, mut received) = mpsc::unbounded_channel();
    let secret_slot = Arc::new(std::sync::OnceLock::<String>::new());
    let receiver_secret = secret_slot.clone();
    let app = axum::Router::new().route(
        "/colmena/webhooks",
        axum::routing::post(move |headers: HeaderMap, body: axum::body::Bytes| {
            let events = events.clone();
            let secret = receiver_secret.clone();
            async move {
                let signature = headers
                    .get(webhook::SIGNATURE_HEADER)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default();
                let Some(secret) = secret.get() else {
                    return StatusCode::SERVICE_UNAVAILABLE;
                };
                // Verify the raw body first; only then parse it.
                if let Err(error) = webhook::verify_now(secret, signature, &body) {
                    eprintln!("refused a delivery: {error}");
                    return StatusCode::UNAUTHORIZED;
                }
                match serde_json::from_slice::<WebhookEvent>(&body) {
                    Ok(event) => {
                        let _ = events.send(event);
                        StatusCode::NO_CONTENT
                    }
                    Err(_) => StatusCode::BAD_REQUEST,
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/colmena/webhooks", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });
    let endpoint = admin
        .create_webhook_endpoint(&WebhookEndpointInput {
            url: url.clone(),
            events: vec![
                WebhookEventType::OrderCreated,
                WebhookEventType::OrderPaid,
                WebhookEventType::DownloadCreated,
            ],
        })
        .await?;
    let _ = secret_slot.set(endpoint.secret.clone());
    println!("webhook endpoint {} -> {url}", endpoint.endpoint.id);

    // 3. Server-to-server checkout. The key is derived from our own order reference, so a
    //    crash and a retry can never buy twice.
    let shop = Client::new(&api, &store)?;
    let everything = colmena_sdk::ProductListQuery {
        limit: Some(100),
        ..Default::default()
    };
    let products = shop.list_products(&everything).await?.items;
    let guide = products
        .iter()
        .find(|p| p.digital)
        .ok_or("no digital product")?;
    let cart = shop
        .create_cart(&CreateCartRequest {
            items: vec![AddCartItemRequest {
                variant_id: Some(guide.variants[0].id),
                product_id: None,
                quantity: 1,
            }],
        })
        .await?;
    let our_reference = format!("partner-order-{}", cart.id);
    let request = CheckoutRequest {
        cart_id: cart.id,
        email: "customer@partner.example".into(),
        expected_total: Some(cart.total.clone()),
        return_url: None,
        ..CheckoutRequest::default()
    };
    let key = IdempotencyKey::from_string(our_reference.clone())?;
    let session = shop.checkout_with_key(&request, key.clone()).await?;
    // The same call again (say our process restarted) gives the same order, not a second one.
    let again = shop.checkout_with_key(&request, key).await?;
    assert_eq!(again.order.id, session.order.id);
    println!(
        "order {} ({our_reference}) awaiting payment",
        session.order.id
    );
    if let Some(reference) = &session.order.payment.reference {
        // Demo stores use the test provider; a Stripe store answers `payment.redirectUrl`.
        shop.settle_test_payment(reference, TestPaymentOutcome::Succeed)
            .await?;
    }

    // 4. Wait for the signed events.
    // Deliveries run concurrently: they may arrive in any order.
    let wanted = [
        WebhookEventType::OrderCreated,
        WebhookEventType::OrderPaid,
        WebhookEventType::DownloadCreated,
    ];
    let mut seen = Vec::new();
    while !wanted.iter().all(|t| seen.contains(t)) {
        let event = tokio::time::timeout(Duration::from_secs(30), received.recv())
            .await?
            .ok_or("receiver stopped")?;
        let order = event
            .data
            .order
            .as_ref()
            .map(|o| o.id)
            .or(event.data.order_id);
        println!(
            "verified {} {} for order {}",
            event.event_type.as_str(),
            event.id,
            order.map(|id| id.to_string()).unwrap_or_default()
        );
        seen.push(event.event_type);
    }

    // 5. The delivery log, then tidy up.
    let log = admin
        .webhook_deliveries(endpoint.endpoint.id, &Default::default())
        .await?;
    println!("{} deliveries logged", log.pagination.total);
    admin.delete_webhook_endpoint(endpoint.endpoint.id).await?;
    owner.revoke_api_key(created.key.id).await?;
    Ok(())
}
