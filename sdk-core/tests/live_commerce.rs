//! Carts, checkout, payment, downloads and the offline local cart, through the SDK against a
//! live `colmena-server`. Network trouble is simulated by a transport in front of reqwest that
//! can refuse to send, or send and then lose the answer.
#![allow(clippy::unwrap_used, missing_docs)]

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;
use std::time::Duration;

use colmena_sdk::cart::{CartChange, CartOperation, FileCartStorage, LocalCart, MemoryCartStorage};
use colmena_sdk::contract::{
    AddCartItemRequest, CheckoutRequest, CreateCartRequest, OrderStatus, PaymentStatus,
    TestPaymentOutcome, VariantPatch,
};
use colmena_sdk::transport::{HttpRequest, HttpResponse, ReqwestTransport, TransportError};
use colmena_sdk::{AdminClient, Client, Error, Money, RetryPolicy, Transport};
use colmena_test_support::TestServer;
use uuid::Uuid;

const ONLINE: u8 = 0;
const OFFLINE: u8 = 1;
const LOSE_ANSWERS: u8 = 2;

/// reqwest, behind a switch: online, offline (nothing sent), or answers lost after the server
/// has acted on the request.
#[derive(Debug, Default)]
struct Flaky {
    inner: ReqwestTransport,
    mode: AtomicU8,
}

impl Flaky {
    fn set(&self, mode: u8) {
        self.mode.store(mode, Ordering::SeqCst);
    }
}

#[async_trait::async_trait]
impl Transport for Flaky {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        match self.mode.load(Ordering::SeqCst) {
            OFFLINE => Err(TransportError::Connect("network is unreachable".into())),
            LOSE_ANSWERS => {
                let _ = self.inner.send(request).await;
                Err(TransportError::Connect("connection reset by peer".into()))
            }
            _ => self.inner.send(request).await,
        }
    }

    async fn sleep(&self, duration: Duration) {
        tokio::time::sleep(duration).await;
    }
}

fn quick() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        max_total_delay: Duration::from_secs(1),
        attempt_timeout: Duration::from_secs(10),
    }
}

fn line(variant_id: Uuid, quantity: u32) -> AddCartItemRequest {
    AddCartItemRequest {
        variant_id: Some(variant_id),
        product_id: None,
        quantity,
    }
}

#[tokio::test]
async fn a_cart_is_checked_out_paid_and_its_file_downloaded() {
    let server = TestServer::start_default(&[]);
    let client = Client::new(&server.base_url, "demo").unwrap();
    let honey = client.product("wildflower-honey-500-g").await.unwrap();
    let guide = client.product("beekeeping-field-guide-pdf").await.unwrap();
    let honey_variant = honey.variants[0].id;

    let cart = client
        .create_cart(&CreateCartRequest {
            items: vec![line(honey_variant, 2)],
        })
        .await
        .unwrap();
    assert_eq!(cart.total, honey.price.checked_mul(2).unwrap());
    let cart = client
        .add_to_cart(
            cart.id,
            &AddCartItemRequest {
                product_id: Some(guide.id),
                variant_id: None,
                quantity: 1,
            },
        )
        .await
        .unwrap();
    assert_eq!(cart.items.len(), 2);
    let honey_line = cart
        .items
        .iter()
        .find(|i| i.variant_id == honey_variant)
        .unwrap();
    let cart = client
        .update_cart_item(cart.id, honey_line.id, 3)
        .await
        .unwrap();
    assert_eq!(cart.item_count, 4);
    assert_eq!(client.cart(cart.id).await.unwrap(), cart);

    // Bad input is typed, with the field named.
    match client.update_cart_item(cart.id, honey_line.id, 0).await {
        Err(Error::Validation { field, failure }) => {
            assert_eq!(field.as_deref(), Some("quantity"));
            assert_eq!(failure.status, 400);
        }
        other => panic!("expected Validation, got {other:?}"),
    }
    // A removed line is gone; adding it back merges into one line again.
    let removed = client
        .remove_cart_item(cart.id, honey_line.id)
        .await
        .unwrap();
    assert_eq!(removed.items.len(), 1);
    let cart = client
        .add_to_cart(cart.id, &line(honey_variant, 3))
        .await
        .unwrap();
    assert_eq!(cart.item_count, 4);

    // The total the customer saw is checked: a stale one orders nothing.
    let checkout = |expected_total: Option<Money>| CheckoutRequest {
        cart_id: cart.id,
        email: "ana@example.com".into(),
        expected_total,
        return_url: None,
        ..CheckoutRequest::default()
    };
    match client.checkout(&checkout(Some(Money::new(1, "EUR")))).await {
        Err(Error::PriceChanged { current_total, .. }) => {
            assert_eq!(current_total.as_ref(), Some(&cart.total));
        }
        other => panic!("expected PriceChanged, got {other:?}"),
    }
    let session = client
        .checkout(&checkout(Some(cart.total.clone())))
        .await
        .unwrap();
    assert_eq!(session.order.status, OrderStatus::PendingPayment);
    assert_eq!(session.order.total, cart.total);
    // The cart became the order: it can no longer be checked out or changed.
    assert!(matches!(
        client.checkout(&checkout(None)).await,
        Err(Error::Conflict(_))
    ));
    assert!(matches!(
        client.add_to_cart(cart.id, &line(honey_variant, 1)).await,
        Err(Error::Conflict(_))
    ));

    // The customer reads the order with its token, and only with it.
    let order = client
        .order(session.order.id, &session.order_token)
        .await
        .unwrap();
    assert_eq!(order, session.order);
    assert!(matches!(
        client.order(session.order.id, "forged").await,
        Err(Error::NotFound(_))
    ));

    let reference = order.payment.reference.clone().unwrap();
    let paid = client
        .settle_test_payment(&reference, TestPaymentOutcome::Succeed)
        .await
        .unwrap();
    assert_eq!(paid.status, OrderStatus::Paid);
    assert_eq!(paid.payment.status, PaymentStatus::Succeeded);
    assert_eq!(paid.downloads.len(), 1);
    let file = client.download(&paid.downloads[0]).await.unwrap();
    assert!(file.bytes.starts_with(b"%PDF-"), "a real PDF");
    assert_eq!(file.content_type.as_deref(), Some("application/pdf"));
    assert_eq!(file.file_name, "beekeeping-field-guide.pdf");
    let again = client.order(paid.id, &session.order_token).await.unwrap();
    assert_eq!(
        again.downloads[0].downloads_remaining + 1,
        paid.downloads[0].downloads_remaining
    );
}

#[tokio::test]
async fn stock_and_missing_things_fail_with_their_own_variants() {
    let server = TestServer::start_default(&[]);
    let client = Client::new(&server.base_url, "demo").unwrap();
    let kit = client.product("queen-marking-kit").await.unwrap();
    match client
        .create_cart(&CreateCartRequest {
            items: vec![line(kit.variants[0].id, 11)],
        })
        .await
    {
        Err(Error::InsufficientInventory {
            available,
            variant_id,
            failure,
        }) => {
            assert_eq!(available, 10);
            assert_eq!(variant_id, Some(kit.variants[0].id));
            assert_eq!(failure.request_id.len(), 36);
        }
        other => panic!("expected InsufficientInventory, got {other:?}"),
    }
    assert!(matches!(
        client.cart(Uuid::new_v4()).await,
        Err(Error::NotFound(_))
    ));
    // A local cart whose very first change is refused holds nothing afterwards.
    let local = LocalCart::open(client.clone(), Arc::new(MemoryCartStorage::default())).unwrap();
    let report = local.add(&kit, None, 50).await.unwrap();
    assert!(matches!(
        report.rejected.as_slice(),
        [(_, Error::InsufficientInventory { available: 10, .. })]
    ));
    assert!(report.changes.contains(&CartChange::Removed {
        variant_id: kit.variants[0].id,
        requested: 50,
    }));
    assert_eq!((local.item_count(), local.cart_id()), (0, None));
    let error = client
        .add_to_cart(Uuid::new_v4(), &line(kit.variants[0].id, 1))
        .await
        .unwrap_err();
    assert_eq!((error.code(), error.status()), ("NOT_FOUND", Some(404)));
    // An unknown test-payment reference.
    let error = client
        .settle_test_payment("no-such-payment", TestPaymentOutcome::Fail)
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(404));
}

#[tokio::test]
async fn the_local_cart_keeps_changes_offline_and_replays_them_once() {
    let server = TestServer::start_default(&[]);
    let flaky = Arc::new(Flaky::default());
    let client = Client::with_transport(&server.base_url, "demo", flaky.clone())
        .unwrap()
        .with_retry_policy(quick());
    let honey = client.product("wildflower-honey-500-g").await.unwrap();
    let kit = client.product("queen-marking-kit").await.unwrap();
    let path = std::env::temp_dir().join(format!("colmena-cart-{}.json", Uuid::new_v4()));
    let storage = Arc::new(FileCartStorage::new(&path));

    let cart = LocalCart::open(client.clone(), storage.clone()).unwrap();
    assert!(cart.add(&honey, None, 1).await.unwrap().is_clean());
    flaky.set(OFFLINE);
    let report = cart.add(&kit, None, 1).await.unwrap();
    assert_eq!(
        report.offline.as_ref().map(Error::code),
        Some("NETWORK_ERROR")
    );
    assert_eq!(report.pending, 1);
    cart.add(&honey, None, 1).await.unwrap();
    let report = cart.set_quantity(honey.variants[0].id, 2).await.unwrap();
    assert_eq!(report.pending, 3);
    let report = cart.add(&honey, None, 1).await.unwrap();
    assert_eq!(report.pending, 4);
    assert_eq!(cart.item_count(), 4);
    let expected = honey
        .price
        .checked_mul(3)
        .unwrap()
        .checked_add(&kit.price)
        .unwrap();
    assert_eq!(cart.subtotal().unwrap(), Some(expected.clone()));

    // The app is closed and opened again: the cart and its pending changes are on disk.
    drop(cart);
    let cart = LocalCart::open(client.clone(), storage.clone()).unwrap();
    assert_eq!((cart.pending(), cart.item_count()), (4, 4));

    // The requests now reach the server (each sent three times, as the client retries) but
    // every answer is lost on the way back.
    flaky.set(LOSE_ANSWERS);
    let report = cart.sync().await;
    assert!(report.offline.is_some());
    assert_eq!(report.pending, 4);

    // Back online: the replay reuses each change's key, so nothing is applied twice.
    flaky.set(ONLINE);
    let report = cart.sync().await;
    assert!(report.is_clean(), "{report:?}");
    let server_cart = client.cart(cart.cart_id().unwrap()).await.unwrap();
    let quantities: Vec<(Uuid, u32)> = server_cart
        .items
        .iter()
        .map(|i| (i.variant_id, i.quantity))
        .collect();
    assert_eq!(quantities.len(), 2);
    assert!(
        quantities.contains(&(honey.variants[0].id, 3)),
        "{quantities:?}"
    );
    assert!(
        quantities.contains(&(kit.variants[0].id, 1)),
        "{quantities:?}"
    );
    assert_eq!(server_cart.total, expected);

    // Removing works offline too, then syncs.
    flaky.set(OFFLINE);
    cart.remove(kit.variants[0].id).await.unwrap();
    flaky.set(ONLINE);
    assert!(cart.sync().await.is_clean());
    assert_eq!(client.cart(server_cart.id).await.unwrap().items.len(), 1);
    let _ = std::fs::remove_file(path);
}

#[tokio::test]
async fn sync_tells_the_customer_what_the_server_changed() {
    let server = TestServer::start_default(&[]);
    let client = Client::new(&server.base_url, "demo")
        .unwrap()
        .with_retry_policy(quick());
    let admin = AdminClient::login(&server.base_url, "demo", "owner@demo.test", "demo-password")
        .await
        .unwrap();
    let honey = client.product("wildflower-honey-500-g").await.unwrap();
    let kit = client.product("queen-marking-kit").await.unwrap();
    let cart = LocalCart::open(client.clone(), Arc::new(MemoryCartStorage::default())).unwrap();
    assert!(cart.add(&honey, None, 2).await.unwrap().is_clean());
    assert!(cart.add(&kit, None, 3).await.unwrap().is_clean());

    // The shop raises a price and sells most of the kits elsewhere.
    let new_price = Money::new(honey.price.amount + 100, "EUR");
    admin
        .update_variant(
            honey.id,
            honey.variants[0].id,
            &VariantPatch {
                price: Some(new_price.clone()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    admin
        .update_variant(
            kit.id,
            kit.variants[0].id,
            &VariantPatch {
                inventory: Some(Some(1)),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let report = cart.sync().await;
    assert!(report.changes.contains(&CartChange::PriceChanged {
        variant_id: honey.variants[0].id,
        was: honey.price.clone(),
        now: new_price.clone(),
    }));
    assert!(report.changes.contains(&CartChange::StockShort {
        variant_id: kit.variants[0].id,
        quantity: 3,
        available: 1,
    }));
    assert_eq!(cart.lines()[0].unit_price, new_price);

    // Asking for more than is left is refused by the server and undone locally.
    let report = cart.add(&kit, None, 5).await.unwrap();
    assert!(matches!(
        report.rejected.as_slice(),
        [(
            CartOperation::Add { quantity: 5, .. },
            Error::InsufficientInventory { available: 1, .. }
        )]
    ));
    assert!(report.changes.contains(&CartChange::QuantityReduced {
        variant_id: kit.variants[0].id,
        requested: 8,
        now: 3,
    }));

    // Checkout with the total the customer was shown, after fixing the quantity.
    cart.set_quantity(kit.variants[0].id, 1).await.unwrap();
    let shown = cart.subtotal().unwrap().unwrap();
    let session = cart
        .checkout("ana@example.com", Some(shown.clone()))
        .await
        .unwrap();
    assert_eq!(session.order.total, shown);
    assert_eq!((cart.item_count(), cart.cart_id()), (0, None));

    // The payment fails: the order's lines go back into the cart, in a new server cart.
    let reference = session.order.payment.reference.clone().unwrap();
    let failed = client
        .settle_test_payment(&reference, TestPaymentOutcome::Fail)
        .await
        .unwrap();
    assert_eq!(failed.status, OrderStatus::Cancelled);
    let report = cart.restore(&failed).await.unwrap();
    assert!(
        report.offline.is_none() && report.rejected.is_empty(),
        "{report:?}"
    );
    let lines: Vec<_> = cart
        .lines()
        .iter()
        .map(|l| (l.variant_id, l.quantity))
        .collect();
    let ordered: Vec<_> = failed
        .items
        .iter()
        .map(|i| (i.variant_id, i.quantity))
        .collect();
    assert_eq!(lines, ordered);
    assert_eq!(cart.subtotal().unwrap(), Some(shown.clone()));
    let restored = client.cart(cart.cart_id().unwrap()).await.unwrap();
    assert_eq!(restored.item_count, failed.item_count);
    cart.clear().unwrap();

    // Another device checks out the server cart: the next change starts a new one, keeping the
    // customer's lines.
    cart.add(&honey, None, 1).await.unwrap();
    let first = cart.cart_id().unwrap();
    client
        .checkout(&CheckoutRequest {
            cart_id: first,
            email: "ana@example.com".into(),
            expected_total: None,
            return_url: None,
            ..CheckoutRequest::default()
        })
        .await
        .unwrap();
    let report = cart.add(&honey, None, 1).await.unwrap();
    assert!(report.rejected.is_empty(), "{report:?}");
    let second = cart.cart_id().unwrap();
    assert_ne!(first, second);
    assert_eq!(client.cart(second).await.unwrap().item_count, 2);
}

#[tokio::test]
async fn a_conversation_and_the_local_cart_share_one_server_cart() {
    use colmena_sdk::contract::ChatMessageRequest;
    let server = TestServer::start_default(&[]);
    let client = Client::new(&server.base_url, "demo").unwrap();
    let cart = LocalCart::open(client.clone(), Arc::new(MemoryCartStorage::default())).unwrap();
    let session = "a-conversation-shared-with-the-local-cart".to_owned();
    let say = |text: &str, cart_id: Option<Uuid>| {
        let request = ChatMessageRequest {
            session: session.clone(),
            text: text.into(),
            locale: Some("en".into()),
            cart_id,
        };
        let client = client.clone();
        async move { client.chat_message(&request).await.unwrap() }
    };

    // The conversation starts a cart; the device takes it as its own.
    let added = say("add 2 wildflower honey", cart.cart_id()).await;
    let conversation_cart = added.cart_id.unwrap();
    let report = cart.adopt(conversation_cart).await;
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(cart.cart_id(), Some(conversation_cart));
    assert_eq!(cart.item_count(), 2);

    // A change on the device reaches the same cart, which the conversation sees.
    let candle = client.product("hexagon-candle").await.unwrap();
    cart.add(&candle, None, 1).await.unwrap();
    let viewed = say("what's in my cart?", cart.cart_id()).await;
    assert_eq!(viewed.cart_id, Some(conversation_cart));
    assert!(
        viewed.replies[0].contains("1 × Hexagon"),
        "{:?}",
        viewed.replies
    );

    // What the conversation takes out is no change to report, and the lines follow.
    let removed = say("remove the wildflower honey", cart.cart_id()).await;
    let report = cart.adopt(removed.cart_id.unwrap()).await;
    assert!(report.changes.is_empty(), "{:?}", report.changes);
    assert_eq!(cart.item_count(), 1);

    // Once that cart is checked out, the page's new cart becomes the conversation's.
    cart.checkout("chat@example.com", None).await.unwrap();
    cart.add(&candle, None, 2).await.unwrap();
    let page_cart = cart.cart_id().unwrap();
    assert_ne!(page_cart, conversation_cart);
    let viewed = say("show my cart", Some(page_cart)).await;
    assert_eq!(viewed.cart_id, Some(page_cart));
    assert!(
        viewed.replies[0].contains("2 × Hexagon"),
        "{:?}",
        viewed.replies
    );
}
