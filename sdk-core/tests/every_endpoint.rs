//! Every operation of the server's OpenAPI document is reached through the SDK, against a live
//! `colmena-server`: a recording transport notes each request, and the test fails if an
//! operation was never called (a new endpoint without an SDK method).
#![allow(clippy::unwrap_used, missing_docs)]

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use colmena_sdk::contract::{
    AccessLinkRequest, AddCartItemRequest, Address, AnalyticsQuery, ApiKeyKind, ApiKeyRequest,
    AuditQuery, Banner, CartUpdate, CategoryInput, CategoryPatch, CategoryTranslationInput,
    ChatAuthor, ChatIntent, ChatInterpretRequest, ChatMessageRequest, ChatThreadRequest,
    CheckoutRequest, ConversationEventQuery, ConversationEventType, ConversationQuery,
    ConversationStatus, ConversationUpdate, CreateCartRequest, CreateStoreRequest,
    CustomerGroupInput, DiscountInput, DiscountKind, InviteRequest, Logo, OrderListQuery,
    OrderStatus, PageQuery, PlatformStoreQuery, PriceListInput, PriceListKind, ProductInput,
    ProductPatch, ProductTranslationInput, ProductTypeInput, ProductTypePatch, PublishRequest,
    RefundInput, Role, SettingsPatch, ShipmentInput, ShippingRateInput, ShippingRateKind,
    ShippingZoneInput, StaffReply, StorePlan, StoreStatus, StorefrontVersionStatus, TaxRate,
    TaxRounding, TaxSettings, TestPaymentOutcome, TokenPair, TwilioChannelInput, VariantInput,
    VariantPatch, VariantPrice, WebhookEndpointInput, WebhookEndpointPatch, WebhookEventType,
    WhatsAppChannelInput,
};
use colmena_sdk::transport::{HttpRequest, HttpResponse, ReqwestTransport, TransportError};
use colmena_sdk::{
    AdminClient, Client, Error, ErrorCode, Money, PlatformClient, ProductListQuery, SearchQuery,
    Transport,
};
use colmena_test_support::TestServer;
use futures_util::TryStreamExt;

/// reqwest, noting the method and path of every request.
#[derive(Debug, Default)]
struct Recording {
    inner: ReqwestTransport,
    seen: Mutex<BTreeSet<(String, String)>>,
}

#[async_trait::async_trait]
impl Transport for Recording {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let path = request
            .url
            .split_once("://")
            .and_then(|(_, rest)| rest.find('/').map(|at| rest[at..].to_owned()))
            .unwrap_or_default();
        let path = path.split('?').next().unwrap_or_default().to_owned();
        self.seen
            .lock()
            .unwrap()
            .insert((request.method.as_str().to_owned(), path));
        self.inner.send(request).await
    }

    async fn sleep(&self, duration: Duration) {
        tokio::time::sleep(duration).await;
    }
}

/// Whether the concrete `path` fits the OpenAPI `template` (`{name}` matches one segment).
fn fits(template: &str, path: &str) -> bool {
    let template: Vec<&str> = template.split('/').collect();
    let path: Vec<&str> = path.split('/').collect();
    template.len() == path.len()
        && template
            .iter()
            .zip(&path)
            .all(|(t, p)| (t.starts_with('{') && !p.is_empty()) || t == p)
}

/// The URL-safe token that follows `marker` in `line` (a mailed link).
fn token_after(line: &str, marker: &str) -> String {
    line.split(marker)
        .nth(1)
        .unwrap()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

/// A whole 1×1 PNG: the server decodes uploads in full.
fn png_bytes() -> Vec<u8> {
    b"\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\x0b\x49\x44\x41\x54\x78\xda\x63\x60\x00\x02\x00\x00\x05\x00\x01\xe9\xfa\xdc\xd8\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82".to_vec()
}

#[tokio::test]
async fn the_sdk_reaches_every_operation_of_the_api() {
    let platform_key = "platform-key-for-tests-0123456789abcdef";
    let server = TestServer::start_default(&["--platform-key", platform_key]);
    let recording = Arc::new(Recording::default());
    let client = Client::with_transport(&server.base_url, "demo", recording.clone()).unwrap();
    let owner = AdminClient::login_with(client.clone(), "owner@demo.test", "demo-password")
        .await
        .unwrap();

    // Public catalog and system.
    assert_eq!(client.health().await.unwrap().status, "ok");
    let store = client.store().await.unwrap();
    let categories = client.categories().await.unwrap();
    let products = client
        .list_products(&ProductListQuery::default())
        .await
        .unwrap();
    client.product(&products.items[0].slug).await.unwrap();
    let found = client
        .search(&SearchQuery {
            q: Some("honey".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(!found.products.is_empty() && found.facets.price.is_some());
    // Chat: the catalog the interpreter reads, and a message read (a conversation below).
    let chat_catalog = client.chat_catalog().await.unwrap();
    assert!(!chat_catalog.products.is_empty());
    let read = client
        .chat_interpret(&ChatInterpretRequest {
            text: "add 2 wildflower honey".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(read.intent, ChatIntent::AddToCart);

    // Settings.
    let settings = owner
        .update_settings(&SettingsPatch {
            allowed_origins: Some(vec!["https://shop.example".into()]),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(settings.allowed_origins, ["https://shop.example"]);
    assert_eq!(owner.settings().await.unwrap(), settings);

    // Catalog administration.
    let product_type = owner
        .create_product_type(&ProductTypeInput {
            name: "Candle".into(),
            slug: None,
            schema: serde_json::json!({
                "type": "object",
                "properties": {"burnHours": {"type": "integer", "minimum": 1}},
                "required": ["burnHours"]
            }),
        })
        .await
        .unwrap();
    assert_eq!(
        owner.product_type(product_type.id).await.unwrap().name,
        "Candle"
    );
    assert!(owner
        .product_types()
        .await
        .unwrap()
        .iter()
        .any(|t| t.id == product_type.id));
    owner
        .update_product_type(
            product_type.id,
            &ProductTypePatch {
                name: Some("Candles".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let category = owner
        .create_category(&CategoryInput {
            name: "Candles".into(),
            slug: None,
            parent_id: Some(categories[0].id),
            position: 0,
        })
        .await
        .unwrap();
    owner
        .update_category(
            category.id,
            &CategoryPatch {
                parent_id: Some(None),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(owner
        .categories()
        .await
        .unwrap()
        .iter()
        .any(|c| c.id == category.id));

    let price = Money::new(1250, store.currency.clone());
    let mut input = ProductInput {
        name: "Beeswax Pillar".into(),
        slug: None,
        description: "Hand-poured.".into(),
        category_id: Some(category.id),
        product_type_id: Some(product_type.id),
        attributes: [("burnHours".to_owned(), serde_json::json!(0))].into(),
        featured: false,
        active: true,
        tax_exempt: false,
        options: vec!["Size".into()],
        variants: vec![VariantInput {
            sku: None,
            title: None,
            options: [("Size".to_owned(), "S".to_owned())].into(),
            price: price.clone(),
            compare_at_price: None,
            inventory: Some(5),
            weight_grams: Some(450),
        }],
    };
    // The type's schema is enforced, naming the failing attribute.
    match owner.create_product(&input).await {
        Err(Error::Validation { field, .. }) => {
            assert_eq!(field.as_deref(), Some("attributes/burnHours"));
        }
        other => panic!("expected Validation, got {other:?}"),
    }
    input.attributes = [("burnHours".to_owned(), serde_json::json!(40))].into();
    let product = owner.create_product(&input).await.unwrap();
    assert_eq!(product.product.attributes.json(), r#"{"burnHours":40}"#);
    let product = owner
        .add_variant(
            product.product.id,
            &VariantInput {
                options: [("Size".to_owned(), "L".to_owned())].into(),
                price: Money::new(2250, store.currency.clone()),
                ..input.variants[0].clone()
            },
        )
        .await
        .unwrap();
    let large = product.product.variants[1].id;

    // Translations: the product and its category in French, read back through a French client.
    let french = ProductTranslationInput {
        name: "Pilier en cire".into(),
        description: Some("Coulé à la main.".into()),
        option_names: Some(vec!["Taille".into()]),
    };
    owner
        .set_product_translation(product.product.id, "fr", &french)
        .await
        .unwrap();
    owner
        .set_category_translation(
            category.id,
            "fr",
            &CategoryTranslationInput {
                name: "Bougies".into(),
            },
        )
        .await
        .unwrap();
    let in_french = client.clone().with_locale("fr").unwrap();
    let read = in_french
        .product(&product.product.id.to_string())
        .await
        .unwrap();
    assert_eq!(
        (read.name.as_str(), read.options.clone()),
        ("Pilier en cire", vec!["Taille".to_owned()])
    );
    assert_eq!(read.category.unwrap().name, "Bougies");
    assert_eq!(
        owner
            .product_translations(product.product.id)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        owner.category_translations(category.id).await.unwrap()[0].name,
        "Bougies"
    );
    owner
        .delete_product_translation(product.product.id, "fr")
        .await
        .unwrap();
    owner
        .delete_category_translation(category.id, "fr")
        .await
        .unwrap();
    assert!(matches!(
        client.clone().with_locale("French"),
        Err(Error::InvalidRequest { .. })
    ));
    owner
        .update_variant(
            product.product.id,
            large,
            &VariantPatch {
                inventory: Some(None),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    owner
        .update_product(
            product.product.id,
            &ProductPatch {
                featured: Some(true),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let png = png_bytes();
    let with_image = owner
        .upload_image(
            product.product.id,
            "image/png",
            png,
            Some("A pillar candle"),
        )
        .await
        .unwrap();
    let image = with_image.product.images.last().unwrap().clone();
    assert_eq!(image.alt, "A pillar candle");
    owner
        .delete_image(product.product.id, image.id.unwrap())
        .await
        .unwrap();
    let digital = owner
        .upload_digital_file(
            product.product.id,
            "care.txt",
            "text/plain",
            b"Trim the wick.".to_vec(),
        )
        .await
        .unwrap();
    assert_eq!(digital.digital_file_name.as_deref(), Some("care.txt"));
    owner.delete_digital_file(product.product.id).await.unwrap();
    let fetched = owner.product(product.product.id).await.unwrap();
    assert!(fetched.product.featured && fetched.digital_file_name.is_none());
    let everything: Vec<_> = owner
        .product_stream(ProductListQuery {
            limit: Some(10),
            ..Default::default()
        })
        .try_collect()
        .await
        .unwrap();
    assert_eq!(everything.len() as u64, products.pagination.total + 1);

    // Pricing: French VAT in prices, a shipping zone (replaced, then removed so that the
    // physical orders below need no rate), and a discount code.
    let vat = TaxSettings {
        prices_include_tax: true,
        rounding: TaxRounding::PerLine,
        shipping_taxable: true,
        rates: vec![TaxRate {
            country: "FR".into(),
            region: None,
            rate: 2000,
            name: "TVA".into(),
        }],
    };
    assert_eq!(owner.set_tax_settings(&vat).await.unwrap(), vat);
    assert_eq!(owner.tax_settings().await.unwrap(), vat);

    // Chat channels: secrets go in, only whether each is set comes out.
    let whatsapp = owner
        .set_whatsapp_channel(&WhatsAppChannelInput {
            phone_number_id: "106540352242922".into(),
            display_phone_number: "+1 555 010 0000".into(),
            verify_token: Some("verify-me-please".into()),
            app_secret: Some("0123456789abcdef0123456789abcdef".into()),
            access_token: None,
        })
        .await
        .unwrap();
    assert!(whatsapp.app_secret_set && !whatsapp.access_token_set);
    let twilio = owner
        .set_twilio_channel(&TwilioChannelInput {
            account_sid: "AC0123456789abcdef0123456789abcdef".into(),
            sender: "+14155238886".into(),
            auth_token: Some("0123456789abcdef0123456789abcdef".into()),
        })
        .await
        .unwrap();
    assert_eq!(twilio.sender, "whatsapp:+14155238886");
    assert_eq!(
        owner.chat_channels().await.unwrap().whatsapp,
        Some(whatsapp)
    );
    let left = owner.delete_whatsapp_channel().await.unwrap();
    assert_eq!((left.whatsapp, left.twilio), (None, Some(twilio)));
    let left = owner.delete_twilio_channel().await.unwrap();
    assert_eq!(left.twilio, None);

    // Conversations: a buyer asks for a person in the web chat; staff answer, hand back and
    // close; the events and analytics count it.
    let session = "0123456789abcdef0123456789abcdef-every-endpoint".to_owned();
    let asked = client
        .chat_message(&ChatMessageRequest {
            session: session.clone(),
            text: "I would like to talk to a person".into(),
            ..ChatMessageRequest::default()
        })
        .await
        .unwrap();
    assert!(asked.interpretation.human_requested, "{asked:?}");
    let thread = client
        .chat_thread(&ChatThreadRequest { session })
        .await
        .unwrap();
    assert_eq!(thread.conversation_id, Some(asked.conversation_id));
    assert_eq!(thread.status, Some(ConversationStatus::WaitingHuman));
    assert_eq!(thread.messages.len(), 2);
    let waiting = owner
        .conversations(&ConversationQuery {
            status: Some(ConversationStatus::WaitingHuman),
            ..ConversationQuery::default()
        })
        .await
        .unwrap();
    let conversation = waiting.items[0].id;
    assert_eq!(
        owner
            .conversation(conversation)
            .await
            .unwrap()
            .messages
            .len(),
        2
    );
    let thread = owner
        .reply_to_conversation(
            conversation,
            &StaffReply {
                text: "Hello, Marta here.".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(thread.messages.last().unwrap().author, ChatAuthor::Staff);
    let closed = owner
        .update_conversation(
            conversation,
            &ConversationUpdate {
                status: ConversationStatus::Closed,
            },
        )
        .await
        .unwrap();
    assert_eq!(closed.conversation.status, ConversationStatus::Closed);
    let events = owner
        .conversation_events(&ConversationEventQuery {
            conversation_id: Some(conversation),
            ..ConversationEventQuery::default()
        })
        .await
        .unwrap();
    assert!(events
        .items
        .iter()
        .any(|event| event.event_type == ConversationEventType::ConversationClosed));
    let csv = owner
        .conversation_events_csv(&ConversationEventQuery::default())
        .await
        .unwrap();
    assert!(
        csv.starts_with("id,created_at,conversation_id,type,"),
        "{csv}"
    );
    let analytics = owner
        .conversation_analytics(&AnalyticsQuery::default())
        .await
        .unwrap();
    assert_eq!(analytics.conversations, 1);
    let post = ShippingRateInput {
        id: None,
        name: "Post".into(),
        kind: ShippingRateKind::Flat,
        price: Money::new(490, "EUR"),
        min_weight_grams: None,
        max_weight_grams: None,
        free_over: None,
    };
    let mut zone_input = ShippingZoneInput {
        name: "Europe".into(),
        regions: vec!["FR".into(), "ES".into()],
        rates: vec![post],
    };
    let zone = owner.create_shipping_zone(&zone_input).await.unwrap();
    zone_input.name = "France and Spain".into();
    zone_input.rates[0].id = Some(zone.rates[0].id);
    let replaced = owner
        .replace_shipping_zone(zone.id, &zone_input)
        .await
        .unwrap();
    assert_eq!(
        replaced.rates[0].id, zone.rates[0].id,
        "the rate kept its id"
    );
    assert_eq!(
        owner.shipping_zones().await.unwrap(),
        vec![replaced.clone()]
    );
    assert_eq!(
        owner.delete_shipping_zone(zone.id).await.unwrap().id,
        zone.id
    );
    let mut welcome = DiscountInput {
        name: "Welcome".into(),
        code: Some("welcome5".into()),
        kind: DiscountKind::Percentage,
        value: Some(500),
        amount: None,
        min_subtotal: None,
        min_quantity: None,
        buy_quantity: None,
        get_quantity: None,
        product_ids: vec![],
        category_ids: vec![],
        starts_at: None,
        ends_at: None,
        usage_limit: Some(100),
        per_customer_limit: None,
        active: true,
    };
    let code = owner.create_discount(&welcome).await.unwrap();
    assert_eq!(code.rule.code.as_deref(), Some("WELCOME5"));
    welcome.usage_limit = Some(50);
    let code = owner.replace_discount(code.id, &welcome).await.unwrap();
    assert_eq!(owner.discount(code.id).await.unwrap(), code);
    // The demo store's own WELCOME10, and this one, newest first.
    assert_eq!(owner.discounts().await.unwrap()[0], code);
    let countries = client.countries().await.unwrap();
    assert!(countries.all.contains(&"FR".to_owned()));
    let france = client.address_format("fr").await.unwrap();
    assert!(france.required.contains(&"postalCode".to_owned()));

    // Buying: cart, checkout, payment, download.
    let guide = client.product("beekeeping-field-guide-pdf").await.unwrap();
    let cart = client
        .create_cart(&CreateCartRequest {
            items: vec![AddCartItemRequest {
                variant_id: Some(large),
                product_id: None,
                quantity: 2,
            }],
        })
        .await
        .unwrap();
    let cart = client
        .add_to_cart(
            cart.id,
            &AddCartItemRequest {
                variant_id: Some(guide.variants[0].id),
                product_id: None,
                quantity: 1,
            },
        )
        .await
        .unwrap();
    let line = cart.items[0].id;
    client.update_cart_item(cart.id, line, 1).await.unwrap();
    let cart = client.cart(cart.id).await.unwrap();
    let _ = client
        .remove_cart_item(cart.id, cart.items[0].id)
        .await
        .unwrap();
    // A French buyer's code and VAT.
    let priced = client
        .update_cart(
            cart.id,
            &CartUpdate {
                billing_address: Some(Address {
                    name: "Ana Silva".into(),
                    line1: "12 rue Oberkampf".into(),
                    city: "Paris".into(),
                    postal_code: Some("75011".into()),
                    country: "FR".into(),
                    ..Address::default()
                }),
                discount_codes: Some(vec!["Welcome5".into()]),
                ..CartUpdate::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(priced.discount_codes, ["WELCOME5"]);
    assert_eq!(priced.totals.discounts.len(), 1);
    assert!(priced.totals.tax.amount > 0 && priced.totals.tax_included);
    let session = client
        .checkout(&CheckoutRequest {
            cart_id: cart.id,
            email: "ana@example.com".into(),
            expected_total: None,
            return_url: None,
            ..CheckoutRequest::default()
        })
        .await
        .unwrap();
    let order = client
        .order(session.order.id, &session.order_token)
        .await
        .unwrap();
    let paid = client
        .settle_test_payment(
            order.payment.reference.as_deref().unwrap(),
            TestPaymentOutcome::Succeed,
        )
        .await
        .unwrap();
    client.download(&paid.downloads[0]).await.unwrap();

    // The buyer's orders, through the one-time link the store mails them.
    client
        .request_access_link(&AccessLinkRequest {
            email: "ana@example.com".into(),
            locale: None,
        })
        .await
        .unwrap();
    let mailed = server
        .output_line("/orders#store=demo&token=", Duration::from_secs(10))
        .expect("the access link is mailed (an .eml file without a mail server)");
    let buyer = client
        .open_customer_session(&token_after(&mailed, "&token="))
        .await
        .unwrap();
    let mine = client
        .customer_orders(&buyer.token, &PageQuery::default())
        .await
        .unwrap();
    assert_eq!(mine.items[0].id, paid.id);

    // Price lists: a customer group's own price reaches its member signed in with the session.
    let mut group = CustomerGroupInput {
        name: "Readers".into(),
        emails: vec!["ana@example.com".into()],
    };
    let readers = owner.create_customer_group(&group).await.unwrap();
    group.name = "Book club".into();
    let readers = owner
        .replace_customer_group(readers.id, &group)
        .await
        .unwrap();
    assert_eq!(owner.customer_group(readers.id).await.unwrap(), readers);
    assert_eq!(
        owner.customer_groups().await.unwrap(),
        std::slice::from_ref(&readers)
    );
    let mut club = PriceListInput {
        name: "Club prices".into(),
        kind: PriceListKind::Override,
        customer_group_id: Some(readers.id),
        starts_at: None,
        ends_at: None,
        active: true,
        prices: vec![VariantPrice {
            variant_id: guide.variants[0].id,
            price: Money::new(500, "EUR"),
        }],
    };
    let list = owner.create_price_list(&club).await.unwrap();
    assert!(list.in_force);
    club.prices[0].price = Money::new(450, "EUR");
    let list = owner.replace_price_list(list.id, &club).await.unwrap();
    assert_eq!(owner.price_list(list.id).await.unwrap(), list);
    // Newest first, before the demo's own sale.
    assert_eq!(owner.price_lists().await.unwrap()[0], list);
    let member = client.clone().with_customer_session(&buyer.token);
    let theirs = member.product("beekeeping-field-guide-pdf").await.unwrap();
    assert_eq!(theirs.variants[0].price, Money::new(450, "EUR"));
    assert_eq!(
        client
            .product("beekeeping-field-guide-pdf")
            .await
            .unwrap()
            .price,
        guide.price
    );
    owner.delete_price_list(list.id).await.unwrap();
    owner.delete_customer_group(readers.id).await.unwrap();

    // Orders and analytics.
    let page = owner
        .list_orders(&OrderListQuery {
            status: Some(OrderStatus::Paid),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(page.items[0].id, paid.id);
    assert_eq!(
        owner.order(paid.id).await.unwrap().status,
        OrderStatus::Paid
    );
    // Part of it back as a gesture, then fulfilled, then the rest refunded.
    let gesture = owner
        .refund_order_partly(
            paid.id,
            &RefundInput {
                items: vec![],
                amount: Some(Money::new(100, paid.total.currency.clone())),
                restock: false,
                reason: Some("late".into()),
            },
        )
        .await
        .unwrap();
    assert_eq!(gesture.amount.amount, 100);
    assert_eq!(
        owner.fulfil_order(paid.id).await.unwrap().status,
        OrderStatus::Fulfilled
    );
    let refunded = owner.refund_order(paid.id).await.unwrap();
    assert_eq!(refunded.status, OrderStatus::Refunded);
    assert_eq!(refunded.refunded, paid.total);
    // Its history, oldest first: placed and paid by the server, fulfilled and refunded by staff.
    let history: Vec<_> = owner
        .order_events(paid.id)
        .await
        .unwrap()
        .into_iter()
        .map(|event| {
            (
                event.from_status,
                event.status,
                event.action,
                event.actor.kind,
                event.actor.label,
            )
        })
        .collect();
    let step = |from, to, action: &str, kind: &str, label: &str| {
        (
            from,
            to,
            action.to_owned(),
            kind.to_owned(),
            label.to_owned(),
        )
    };
    assert_eq!(
        history,
        [
            step(
                None,
                OrderStatus::PendingPayment,
                "create",
                "system",
                "checkout"
            ),
            step(
                Some(OrderStatus::PendingPayment),
                OrderStatus::Paid,
                "update_status",
                "system",
                "payment: test provider"
            ),
            step(
                Some(OrderStatus::Paid),
                OrderStatus::Fulfilled,
                "status",
                "user",
                "owner@demo.test"
            ),
            step(
                Some(OrderStatus::Fulfilled),
                OrderStatus::Refunded,
                "refund",
                "user",
                "owner@demo.test"
            ),
        ]
    );
    assert!(matches!(
        owner.order_events(uuid::Uuid::new_v4()).await,
        Err(Error::NotFound(_))
    ));
    let orders: Vec<_> = owner
        .order_stream(Default::default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(orders.len(), 1);
    let summary = owner.analytics(&AnalyticsQuery::default()).await.unwrap();
    assert_eq!(summary.orders, 1);
    let unpaid = client
        .checkout(&CheckoutRequest {
            cart_id: client
                .create_cart(&CreateCartRequest {
                    items: vec![AddCartItemRequest {
                        variant_id: Some(large),
                        product_id: None,
                        quantity: 1,
                    }],
                })
                .await
                .unwrap()
                .id,
            email: "bo@example.com".into(),
            expected_total: None,
            return_url: None,
            ..CheckoutRequest::default()
        })
        .await
        .unwrap();
    assert_eq!(
        owner.cancel_order(unpaid.order.id).await.unwrap().status,
        OrderStatus::Cancelled
    );

    // A physical order ships with its carrier and tracking.
    let jar = client.product("wildflower-honey-500-g").await.unwrap();
    let jar_cart = client
        .create_cart(&CreateCartRequest {
            items: vec![AddCartItemRequest {
                variant_id: Some(jar.variants[0].id),
                product_id: None,
                quantity: 1,
            }],
        })
        .await
        .unwrap();
    let jar_order = client
        .checkout(&CheckoutRequest {
            cart_id: jar_cart.id,
            email: "ana@example.com".into(),
            ..CheckoutRequest::default()
        })
        .await
        .unwrap()
        .order;
    client
        .settle_test_payment(
            jar_order.payment.reference.as_deref().unwrap(),
            TestPaymentOutcome::Succeed,
        )
        .await
        .unwrap();
    let parcel = owner
        .ship_order(
            jar_order.id,
            &ShipmentInput {
                carrier: "Colissimo".into(),
                tracking_number: Some("6A123".into()),
                ..ShipmentInput::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(parcel.items.len(), 1);
    assert_eq!(
        owner.order(jar_order.id).await.unwrap().status,
        OrderStatus::Fulfilled
    );
    // Clean-up deletes; the order above used the code once.
    assert_eq!(owner.delete_discount(code.id).await.unwrap().times_used, 1);
    owner
        .delete_variant(product.product.id, large)
        .await
        .unwrap();
    owner.delete_product(product.product.id).await.unwrap();
    owner.delete_category(category.id).await.unwrap();
    owner.delete_product_type(product_type.id).await.unwrap();

    // Users and invitations: the invitee signs in through the SDK.
    let invitation = owner
        .invite_user(&InviteRequest {
            email: "editor@demo.test".into(),
            role: Role::Editor,
        })
        .await
        .unwrap();
    let editor = AdminClient::accept_invite(
        client.clone(),
        &invitation.invitation_token,
        "Long-enough passphrase 42",
    )
    .await
    .unwrap();
    assert!(matches!(editor.users().await, Err(Error::Forbidden(_))));
    owner
        .set_user_role(invitation.user.id, Role::Admin)
        .await
        .unwrap();
    assert_eq!(owner.users().await.unwrap().len(), 2);
    owner.remove_user(invitation.user.id).await.unwrap();
    assert!(matches!(
        editor.settings().await,
        Err(Error::Unauthorized(_)) | Err(Error::Forbidden(_))
    ));

    // API keys: a secret key drives the admin API, a publishable key the public one.
    let secret = owner
        .create_api_key(&ApiKeyRequest {
            kind: ApiKeyKind::Secret,
            name: "partner".into(),
            role: Some(Role::Admin),
        })
        .await
        .unwrap();
    let partner = AdminClient::with_secret_key(client.clone(), &secret.secret).unwrap();
    assert_eq!(partner.settings().await.unwrap().store.slug, "demo");
    assert!(partner.tokens().await.is_none());
    let publishable = owner
        .create_api_key(&ApiKeyRequest {
            kind: ApiKeyKind::Publishable,
            name: "web".into(),
            role: None,
        })
        .await
        .unwrap();
    let keyed = client
        .clone()
        .with_publishable_key(&publishable.secret)
        .unwrap();
    keyed.store().await.unwrap();
    assert_eq!(owner.api_keys().await.unwrap().len(), 2);
    owner.revoke_api_key(secret.key.id).await.unwrap();
    assert!(matches!(
        partner.settings().await,
        Err(Error::Unauthorized(_))
    ));
    // Webhook endpoints (the delivery worker is tested in the server's suite).
    let created = owner
        .create_webhook_endpoint(&WebhookEndpointInput {
            url: "https://partner.example/hooks".into(),
            events: vec![WebhookEventType::OrderPaid],
        })
        .await
        .unwrap();
    assert!(created.secret.starts_with("whsec_"));
    let endpoint = created.endpoint.id;
    owner
        .update_webhook_endpoint(
            endpoint,
            &WebhookEndpointPatch {
                active: Some(false),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let rotated = owner.rotate_webhook_secret(endpoint).await.unwrap();
    assert_ne!(rotated.secret, created.secret);
    assert_eq!(owner.webhook_endpoints().await.unwrap().len(), 1);
    let deliveries = owner
        .webhook_deliveries(endpoint, &Default::default())
        .await
        .unwrap();
    assert_eq!(deliveries.pagination.total, 0);
    // With no delivery yet, a redelivery names the missing one (the worker is tested in the
    // server's suite).
    assert!(matches!(
        owner
            .redeliver_webhook(endpoint, uuid::Uuid::new_v4())
            .await,
        Err(Error::NotFound(_))
    ));
    owner.delete_webhook_endpoint(endpoint).await.unwrap();
    let audit = owner.audit_log(&AuditQuery::default()).await.unwrap();
    assert!(audit.pagination.total > 10);

    // The storefront editor: a draft, an image, a preview, versions published, scheduled,
    // cancelled and rolled back.
    let mut draft = owner.storefront_draft().await.unwrap().document;
    assert_eq!(client.storefront(None).await.unwrap(), draft);
    let logo = owner
        .upload_storefront_asset("image/png", png_bytes())
        .await
        .unwrap();
    draft.logo = Some(Logo {
        url: logo.url.clone(),
        alt: "Demo".into(),
    });
    draft.theme.colors.primary = "#123456".into();
    draft.banners.push(Banner {
        id: uuid::Uuid::new_v4(),
        image_url: Some(logo.url),
        title: "Spring sale".into(),
        text: None,
        link_url: Some("/sale".into()),
        starts_at: None,
        ends_at: None,
    });
    let saved = owner.save_storefront_draft(&draft).await.unwrap();
    assert_eq!(saved.updated_by.unwrap().label, "owner@demo.test");
    let preview = owner.create_storefront_preview_token().await.unwrap();
    assert_eq!(
        client.storefront(Some(&preview.token)).await.unwrap(),
        draft
    );
    assert_ne!(client.storefront(None).await.unwrap(), draft);
    // Its theme as the widget's CSS: the draft's colour only with the token.
    let css = client.storefront_css(Some(&preview.token)).await.unwrap();
    assert!(css.contains("--colmena-brand:#123456;"), "{css}");
    assert!(!client
        .storefront_css(None)
        .await
        .unwrap()
        .contains("#123456"));
    assert!(matches!(
        client.storefront(Some("sfp_wrong")).await,
        Err(Error::Unauthorized(_))
    ));
    let mut refused = draft.clone();
    refused.banners[0].link_url = Some("javascript:alert(1)".into());
    assert!(matches!(
        owner.save_storefront_draft(&refused).await,
        Err(Error::InvalidRequest { .. })
    ));
    let first = owner
        .publish_storefront(&PublishRequest::default())
        .await
        .unwrap();
    assert_eq!(
        (first.number, first.status),
        (1, StorefrontVersionStatus::Live)
    );
    assert_eq!(client.storefront(None).await.unwrap(), draft);
    let scheduled = owner
        .publish_storefront(&PublishRequest {
            publish_at: Some("2999-01-01T00:00:00Z".into()),
        })
        .await
        .unwrap();
    assert_eq!(scheduled.status, StorefrontVersionStatus::Scheduled);
    assert_eq!(
        owner
            .cancel_storefront_version(scheduled.number)
            .await
            .unwrap()
            .status,
        StorefrontVersionStatus::Cancelled
    );
    assert!(matches!(
        owner.cancel_storefront_version(first.number).await,
        Err(Error::Conflict(_))
    ));
    let rolled = owner.rollback_storefront(first.number).await.unwrap();
    assert_eq!((rolled.number, rolled.rollback_of), (3, Some(1)));
    let versions = owner
        .storefront_versions(&Default::default())
        .await
        .unwrap();
    let numbers: Vec<_> = versions.items.iter().map(|v| v.number).collect();
    assert_eq!(numbers, [3, 2, 1]);

    // A session resumed with an expired access token refreshes itself.
    let tokens = owner.tokens().await.unwrap();
    let resumed = AdminClient::from_tokens(
        client.clone(),
        TokenPair {
            access_token: "expired".into(),
            ..tokens
        },
    );
    resumed.settings().await.unwrap();

    // The platform operator opens, lists, reads, suspends and reactivates a store.
    let platform =
        PlatformClient::with_transport(&server.base_url, platform_key, recording.clone()).unwrap();
    let opened = platform
        .create_store(&CreateStoreRequest {
            slug: "honey-co".into(),
            name: "Honey Co.".into(),
            currency: "EUR".into(),
            locale: "es-ES".into(),
            owner_email: "ana@honey.test".into(),
            plan: Some(StorePlan::Pro),
        })
        .await
        .unwrap();
    assert_eq!(opened.store.plan, StorePlan::Pro);
    let listed = platform
        .stores(&PlatformStoreQuery::default())
        .await
        .unwrap();
    assert!(listed.items.iter().any(|store| store.slug == "honey-co"));
    assert_eq!(
        platform.suspend_store("honey-co").await.unwrap().status,
        StoreStatus::Suspended
    );
    let suspended =
        Client::with_transport(&server.base_url, "honey-co", recording.clone()).unwrap();
    assert!(
        matches!(suspended.store().await, Err(Error::Forbidden(failure)) if failure.code == ErrorCode::StoreSuspended)
    );
    assert_eq!(
        platform.reactivate_store("honey-co").await.unwrap().status,
        StoreStatus::Active
    );
    assert_eq!(
        platform.store("honey-co").await.unwrap().status,
        StoreStatus::Active
    );
    let newcomer = AdminClient::accept_invite(
        suspended.clone(),
        &opened.owner_invitation.invitation_token,
        "A good passw0rd!",
    )
    .await
    .unwrap();
    assert_eq!(newcomer.settings().await.unwrap().store.slug, "honey-co");

    // Passwords: changed while signed in, then reset by the link the server would email.
    newcomer
        .change_password("A good passw0rd!", "A better passw0rd!")
        .await
        .unwrap();
    assert_eq!(newcomer.settings().await.unwrap().store.slug, "honey-co");
    AdminClient::request_password_reset(&suspended, "ana@honey.test")
        .await
        .unwrap();
    let link = server
        .output_line(
            "reset-password?store=honey-co&token=",
            Duration::from_secs(5),
        )
        .unwrap();
    let token = token_after(&link, "&token=");
    let reset = AdminClient::reset_password(suspended.clone(), &token, "The best passw0rd!")
        .await
        .unwrap();
    assert_eq!(reset.settings().await.unwrap().store.slug, "honey-co");

    // Now compare with the API description.
    let document: serde_json::Value = reqwest::get(server.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let seen = recording.seen.lock().unwrap().clone();
    let mut missing = Vec::new();
    let mut operations = 0;
    for (template, item) in document["paths"].as_object().unwrap() {
        for (method, _) in item.as_object().unwrap() {
            let method = method.to_uppercase();
            if !["GET", "POST", "PUT", "PATCH", "DELETE"].contains(&method.as_str()) {
                continue;
            }
            // The API description is for tooling, and Stripe, Meta and Twilio (not clients)
            // call their webhooks.
            let provider_webhook = template == "/api/v1/webhooks/stripe"
                || (template.starts_with("/api/v1/chat/") && template.ends_with("/webhook"));
            if template == "/api/v1/openapi.json" || provider_webhook {
                continue;
            }
            operations += 1;
            if !seen
                .iter()
                .any(|(m, path)| *m == method && fits(template, path))
            {
                missing.push(format!("{method} {template}"));
            }
        }
    }
    assert!(operations >= 52, "{operations}");
    assert!(
        missing.is_empty(),
        "operations the SDK never called: {missing:#?}"
    );
}
