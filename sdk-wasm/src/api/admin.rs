//! `ColmenaAdmin`: the admin API (settings, catalog, orders, analytics, users, API keys, the
//! audit log, webhook endpoints and the storefront editor), signed in as a user or with a
//! secret key.

use colmena_sdk::contract::{
    AnalyticsQuery, ApiKeyRequest, AuditQuery, CategoryInput, CategoryPatch,
    CategoryTranslationInput, ConversationEventQuery, ConversationQuery, ConversationUpdate,
    CustomerGroupInput, DiscountInput, InviteRequest, OrderListQuery, PageQuery, PriceListInput,
    ProductInput, ProductPatch, ProductTranslationInput, ProductTypeInput, ProductTypePatch,
    PublishRequest, RefundInput, Role, SettingsPatch, ShipmentInput, ShippingZoneInput, StaffReply,
    Storefront, TaxSettings, TokenPair, TwilioChannelInput, VariantInput, VariantPatch,
    WebhookEndpointInput, WebhookEndpointPatch, WhatsAppChannelInput,
};
use colmena_sdk::{AdminClient, ProductListQuery};
use uuid::Uuid;
use wasm_bindgen::prelude::*;

use super::edge::{js_methods, Bytes, Raw};
use super::Colmena;

/// An admin session for one store: a signed-in user (store-owner apps, back offices) or a
/// secret API key (partners' servers; never in a web page). A session refreshes its access
/// token by itself when it expires.
///
/// ```js
/// const admin = await ColmenaAdmin.login("https://api.example.com", "demo", "owner@demo.test", "demo-password");
/// const { items } = await admin.listOrders({ status: "paid" });
/// await admin.fulfilOrder(items[0].id);
/// ```
#[wasm_bindgen]
pub struct ColmenaAdmin {
    admin: AdminClient,
}

/// A session as its JS class.
fn session(admin: AdminClient) -> Raw {
    Raw(ColmenaAdmin { admin }.into())
}

js_methods! {
    impl ColmenaAdmin(static) {
        /// Signs in to `store` on the server at `api` with a user's email and password.
        login(api: String = "string", store: String = "string", email: String = "string", password: String = "string") -> "Promise<ColmenaAdmin>" {
            AdminClient::login_with(crate::client(&api, &store)?, &email, &password).await.map(session)
        }

        /// Accepts an invitation (the token from `inviteUser`) by choosing a password (8+
        /// characters with an upper-case letter, a digit and a symbol), and signs in as the new
        /// user.
        acceptInvite(api: String = "string", store: String = "string", token: String = "string", password: String = "string") -> "Promise<ColmenaAdmin>" {
            AdminClient::accept_invite(crate::client(&api, &store)?, &token, &password).await.map(session)
        }

        /// Asks for a password reset link for `email`, a user of `store`. Resolves alike
        /// whether or not the email belongs to a user (the server reveals no accounts).
        requestPasswordReset(api: String = "string", store: String = "string", email: String = "string") -> "Promise<void>" {
            AdminClient::request_password_reset(&crate::client(&api, &store)?, &email).await
        }

        /// Chooses a new password with the token of a reset link and signs in; every earlier
        /// session of the user ends.
        resetPassword(api: String = "string", store: String = "string", token: String = "string", password: String = "string") -> "Promise<ColmenaAdmin>" {
            AdminClient::reset_password(crate::client(&api, &store)?, &token, &password).await.map(session)
        }

        /// Uses a secret API key (`sk_…`) of `store`. Keep it on servers.
        withSecretKey(api: String = "string", store: String = "string", secretKey: String = "string") -> sync "ColmenaAdmin" {
            AdminClient::with_secret_key(crate::client(&api, &store)?, &secretKey).map(session)
        }

        /// Resumes a session from tokens saved earlier (see `tokens()`).
        fromTokens(api: String = "string", store: String = "string", tokens: TokenPair = "TokenPair") -> sync "ColmenaAdmin" {
            Ok(session(AdminClient::from_tokens(crate::client(&api, &store)?, tokens)))
        }
    }
}

js_methods! {
    impl ColmenaAdmin(admin) {
        /// A public client for the same server and store.
        publicClient() -> sync "Colmena" {
            Ok(Raw(Colmena::from_client(admin.public_client().clone()).into()))
        }

        /// The session's current tokens, to save and resume later with `fromTokens` (they
        /// change when the session refreshes); `null` for a secret key.
        tokens() -> "Promise<TokenPair | null>" { Ok(admin.tokens().await) }

        /// Changes the signed-in user's password. Their other sessions end; this one carries on
        /// with new tokens (save `tokens()` again).
        changePassword(currentPassword: String = "string", newPassword: String = "string") -> "Promise<void>" {
            admin.change_password(&currentPassword, &newPassword).await
        }

        /// The store's settings: profile, allowed browser origins, payments.
        settings() -> "Promise<StoreSettings>" { admin.settings().await }

        /// Changes the store's settings; absent fields stay as they are.
        updateSettings(patch: SettingsPatch = "SettingsPatch") -> "Promise<StoreSettings>" {
            admin.update_settings(&patch).await
        }

        /// One page of the store's products, inactive ones included.
        listProducts(; query?: ProductListQuery = "ProductListQuery") -> "Promise<Page<AdminProduct>>" {
            admin.list_products(&query.unwrap_or_default()).await
        }

        /// Every product matching `query`, inactive ones included, page after page, as an async
        /// iterator.
        products(; query?: ProductListQuery = "ProductListQuery") -> stream "AsyncIterableIterator<AdminProduct>" {
            admin.product_stream(query.unwrap_or_default())
        }

        /// One product, active or not.
        product(productId: Uuid = "string") -> "Promise<AdminProduct>" { admin.product(productId).await }

        /// Creates a product with its variants (at least one).
        createProduct(input: ProductInput = "ProductInput") -> "Promise<AdminProduct>" {
            admin.create_product(&input).await
        }

        /// Changes a product; absent fields stay as they are, `null` clears a clearable one.
        updateProduct(productId: Uuid = "string", patch: ProductPatch = "ProductPatch") -> "Promise<AdminProduct>" {
            admin.update_product(productId, &patch).await
        }

        /// Deletes a product (orders keep their copy); resolves to it as it was.
        deleteProduct(productId: Uuid = "string") -> "Promise<AdminProduct>" {
            admin.delete_product(productId).await
        }

        /// Adds a variant to a product.
        addVariant(productId: Uuid = "string", input: VariantInput = "VariantInput") -> "Promise<AdminProduct>" {
            admin.add_variant(productId, &input).await
        }

        /// Changes a variant (price, stock, options…).
        updateVariant(productId: Uuid = "string", variantId: Uuid = "string", patch: VariantPatch = "VariantPatch") -> "Promise<AdminProduct>" {
            admin.update_variant(productId, variantId, &patch).await
        }

        /// Removes a variant; a product keeps at least one.
        deleteVariant(productId: Uuid = "string", variantId: Uuid = "string") -> "Promise<AdminProduct>" {
            admin.delete_variant(productId, variantId).await
        }

        /// Uploads an image (`image/jpeg`, `image/png` or `image/webp`, up to 10 MB) after the
        /// product's others; `alt` defaults to the product's name.
        uploadImage(productId: Uuid = "string", contentType: String = "string", bytes: Bytes = "Uint8Array"; alt?: String = "string") -> "Promise<AdminProduct>" {
            admin.upload_image(productId, &contentType, bytes.0, alt.as_deref()).await
        }

        /// Removes an image from a product.
        deleteImage(productId: Uuid = "string", imageId: Uuid = "string") -> "Promise<AdminProduct>" {
            admin.delete_image(productId, imageId).await
        }

        /// Uploads the file buyers of a digital product download (`application/pdf`,
        /// `application/zip` or `text/plain`, up to 10 MB), making the product digital.
        uploadDigitalFile(productId: Uuid = "string", fileName: String = "string", contentType: String = "string", bytes: Bytes = "Uint8Array") -> "Promise<AdminProduct>" {
            admin.upload_digital_file(productId, &fileName, &contentType, bytes.0).await
        }

        /// Removes a product's digital file; the product is no longer digital.
        deleteDigitalFile(productId: Uuid = "string") -> "Promise<AdminProduct>" {
            admin.delete_digital_file(productId).await
        }

        /// The store's categories, inactive products counted.
        categories() -> "Promise<Category[]>" { admin.categories().await }

        /// A product's translations, one per language.
        productTranslations(productId: Uuid = "string") -> "Promise<ProductTranslation[]>" {
            admin.product_translations(productId).await
        }

        /// Sets a product's name, description and option names in `locale` (e.g. `"fr"`),
        /// replacing any earlier translation.
        setProductTranslation(productId: Uuid = "string", locale: String = "string", input: ProductTranslationInput = "ProductTranslationInput") -> "Promise<ProductTranslation>" {
            admin.set_product_translation(productId, &locale, &input).await
        }

        /// Removes a product's translation into `locale`.
        deleteProductTranslation(productId: Uuid = "string", locale: String = "string") -> "Promise<ProductTranslation>" {
            admin.delete_product_translation(productId, &locale).await
        }

        /// A category's translations, one per language.
        categoryTranslations(categoryId: Uuid = "string") -> "Promise<CategoryTranslation[]>" {
            admin.category_translations(categoryId).await
        }

        /// Sets a category's name in `locale`, replacing any earlier translation.
        setCategoryTranslation(categoryId: Uuid = "string", locale: String = "string", input: CategoryTranslationInput = "CategoryTranslationInput") -> "Promise<CategoryTranslation>" {
            admin.set_category_translation(categoryId, &locale, &input).await
        }

        /// Removes a category's translation into `locale`.
        deleteCategoryTranslation(categoryId: Uuid = "string", locale: String = "string") -> "Promise<CategoryTranslation>" {
            admin.delete_category_translation(categoryId, &locale).await
        }

        /// Creates a category, optionally under a parent.
        createCategory(input: CategoryInput = "CategoryInput") -> "Promise<Category>" {
            admin.create_category(&input).await
        }

        /// Renames or moves a category.
        updateCategory(categoryId: Uuid = "string", patch: CategoryPatch = "CategoryPatch") -> "Promise<Category>" {
            admin.update_category(categoryId, &patch).await
        }

        /// Deletes a category; its products and subcategories lose it.
        deleteCategory(categoryId: Uuid = "string") -> "Promise<Category>" {
            admin.delete_category(categoryId).await
        }

        /// The store's product types, with their attribute schemas.
        productTypes() -> "Promise<ProductType[]>" { admin.product_types().await }

        /// One product type.
        productType(typeId: Uuid = "string") -> "Promise<ProductType>" { admin.product_type(typeId).await }

        /// Creates a product type; its JSON Schema then checks its products' attributes.
        createProductType(input: ProductTypeInput = "ProductTypeInput") -> "Promise<ProductType>" {
            admin.create_product_type(&input).await
        }

        /// Changes a product type; a schema an existing product would fail is refused.
        updateProductType(typeId: Uuid = "string", patch: ProductTypePatch = "ProductTypePatch") -> "Promise<ProductType>" {
            admin.update_product_type(typeId, &patch).await
        }

        /// Deletes a product type that no product uses.
        deleteProductType(typeId: Uuid = "string") -> "Promise<ProductType>" {
            admin.delete_product_type(typeId).await
        }

        /// One page of orders, newest first, filtered by status, dates and email.
        listOrders(; query?: OrderListQuery = "OrderListQuery") -> "Promise<Page<Order>>" {
            admin.list_orders(&query.unwrap_or_default()).await
        }

        /// Every order matching `query`, newest first, page after page, as an async iterator.
        orders(; query?: OrderListQuery = "OrderListQuery") -> stream "AsyncIterableIterator<Order>" {
            admin.order_stream(query.unwrap_or_default())
        }

        /// One order.
        order(orderId: Uuid = "string") -> "Promise<Order>" { admin.order(orderId).await }

        /// The order's history, oldest first: placed, paid, fulfilled, cancelled or refunded,
        /// each with who did it and when.
        orderEvents(orderId: Uuid = "string") -> "Promise<OrderEvent[]>" { admin.order_events(orderId).await }

        /// Marks a paid order fulfilled.
        fulfilOrder(orderId: Uuid = "string") -> "Promise<Order>" { admin.fulfil_order(orderId).await }

        /// Cancels an order awaiting payment, releasing its stock.
        cancelOrder(orderId: Uuid = "string") -> "Promise<Order>" { admin.cancel_order(orderId).await }

        /// Refunds a paid or fulfilled order; its download links stop working.
        refundOrder(orderId: Uuid = "string") -> "Promise<Order>" { admin.refund_order(orderId).await }

        /// Refunds lines (restocked unless `restock` is false) and/or an amount of an order,
        /// through its payment provider; refunding all that is left makes it refunded.
        refundOrderPartly(orderId: Uuid = "string", refund: RefundInput = "RefundInput") -> "Promise<Refund>" {
            admin.refund_order_partly(orderId, &refund).await
        }

        /// Records a parcel of a paid order (its lines, or everything not shipped yet) with its
        /// carrier and tracking; the last parcel makes the order fulfilled.
        shipOrder(orderId: Uuid = "string", shipment: ShipmentInput = "ShipmentInput") -> "Promise<Shipment>" {
            admin.ship_order(orderId, &shipment).await
        }

        /// Orders, paid orders, revenue, average order value, top products and downloads over
        /// a date range (default: the last 30 days).
        analytics(; query?: AnalyticsQuery = "AnalyticsQuery") -> "Promise<AnalyticsSummary>" {
            admin.analytics(&query.unwrap_or_default()).await
        }

        /// The store's users and their roles.
        users() -> "Promise<StoreUser[]>" { admin.users().await }

        /// Invites a user with a role; hand the answer's `invitationToken` to the invitee (it
        /// is shown only here).
        inviteUser(request: InviteRequest = "InviteRequest") -> "Promise<Invitation>" {
            admin.invite_user(&request).await
        }

        /// Changes a user's role; the store always keeps an owner.
        setUserRole(userId: Uuid = "string", role: Role = "Role") -> "Promise<StoreUser>" {
            admin.set_user_role(userId, role).await
        }

        /// Removes a user from the store; their sessions stop working at once.
        removeUser(userId: Uuid = "string") -> "Promise<StoreUser>" { admin.remove_user(userId).await }

        /// The store's API keys (prefixes only).
        apiKeys() -> "Promise<ApiKey[]>" { admin.api_keys().await }

        /// Creates a publishable (`pk_`) or secret (`sk_`) key; its `secret` is shown only here.
        createApiKey(request: ApiKeyRequest = "ApiKeyRequest") -> "Promise<CreatedApiKey>" {
            admin.create_api_key(&request).await
        }

        /// Revokes an API key; it stops working at once.
        revokeApiKey(keyId: Uuid = "string") -> "Promise<ApiKey>" { admin.revoke_api_key(keyId).await }

        /// One page of the audit log, newest first: who changed what, with old and new values.
        auditLog(; query?: AuditQuery = "AuditQuery") -> "Promise<Page<AuditEntry>>" {
            admin.audit_log(&query.unwrap_or_default()).await
        }

        /// The store's tax settings and rates.
        taxSettings() -> "Promise<TaxSettings>" { admin.tax_settings().await }

        /// Replaces the store's tax settings and rates.
        setTaxSettings(settings: TaxSettings = "TaxSettings") -> "Promise<TaxSettings>" {
            admin.set_tax_settings(&settings).await
        }

        /// The store's chat channels (WhatsApp, Twilio), with the webhook URLs to give their
        /// providers; secrets only said to be set.
        chatChannels() -> "Promise<ChatChannels>" { admin.chat_channels().await }

        /// Connects the store's WhatsApp number, or replaces its settings (a secret left out
        /// keeps the stored one).
        setWhatsAppChannel(input: WhatsAppChannelInput = "WhatsAppChannelInput") -> "Promise<WhatsAppChannel>" {
            admin.set_whatsapp_channel(&input).await
        }

        /// Connects the store's Twilio WhatsApp sender, or replaces its settings (an auth token
        /// left out keeps the stored one).
        setTwilioChannel(input: TwilioChannelInput = "TwilioChannelInput") -> "Promise<TwilioChannel>" {
            admin.set_twilio_channel(&input).await
        }

        /// Disconnects the store's WhatsApp number; resolves to the channels left.
        deleteWhatsAppChannel() -> "Promise<ChatChannels>" { admin.delete_whatsapp_channel().await }

        /// Disconnects the store's Twilio sender; resolves to the channels left.
        deleteTwilioChannel() -> "Promise<ChatChannels>" { admin.delete_twilio_channel().await }

        /// One page of the store's conversations, latest activity first (`status`,
        /// `channel`, `limit`, `offset`); `status: "waiting_human"` lists those a person must
        /// answer.
        conversations(; query?: ConversationQuery = "ConversationQuery") -> "Promise<Page<Conversation>>" {
            admin.conversations(&query.unwrap_or_default()).await
        }

        /// A conversation and its last 200 messages, oldest first.
        conversation(conversationId: Uuid = "string") -> "Promise<ConversationThread>" {
            admin.conversation(conversationId).await
        }

        /// Hands a conversation back to the assistant (`{status: "open"}`) or ends it
        /// (`{status: "closed"}`).
        updateConversation(conversationId: Uuid = "string", update: ConversationUpdate = "ConversationUpdate") -> "Promise<ConversationThread>" {
            admin.update_conversation(conversationId, &update).await
        }

        /// Answers the buyer in the thread, as a person from the store (`{text}`).
        replyToConversation(conversationId: Uuid = "string", reply: StaffReply = "StaffReply") -> "Promise<ConversationThread>" {
            admin.reply_to_conversation(conversationId, &reply).await
        }

        /// One page of conversation events, newest first (`type`, `conversationId`,
        /// `channel`, `intent`, `language`, `from`, `to`, `limit`, `offset`).
        conversationEvents(; query?: ConversationEventQuery = "ConversationEventQuery") -> "Promise<Page<ConversationEvent>>" {
            admin.conversation_events(&query.unwrap_or_default()).await
        }

        /// Every matching conversation event as CSV text (at most 100,000; paging ignored).
        conversationEventsCsv(; query?: ConversationEventQuery = "ConversationEventQuery") -> "Promise<string>" {
            admin.conversation_events_csv(&query.unwrap_or_default()).await
        }

        /// Conversations and how well they went over a period (`from`, `to`; default: the
        /// last 30 days).
        conversationAnalytics(; query?: AnalyticsQuery = "AnalyticsQuery") -> "Promise<ConversationAnalytics>" {
            admin.conversation_analytics(&query.unwrap_or_default()).await
        }

        /// The store's shipping zones with their rates.
        shippingZones() -> "Promise<ShippingZone[]>" { admin.shipping_zones().await }

        /// Creates a shipping zone with its rates.
        createShippingZone(zone: ShippingZoneInput = "ShippingZoneInput") -> "Promise<ShippingZone>" {
            admin.create_shipping_zone(&zone).await
        }

        /// Replaces a shipping zone: name, destinations and rates (a rate given its `id` keeps it).
        replaceShippingZone(zoneId: Uuid = "string", zone: ShippingZoneInput = "ShippingZoneInput") -> "Promise<ShippingZone>" {
            admin.replace_shipping_zone(zoneId, &zone).await
        }

        /// Deletes a shipping zone and its rates; resolves to it as it was.
        deleteShippingZone(zoneId: Uuid = "string") -> "Promise<ShippingZone>" {
            admin.delete_shipping_zone(zoneId).await
        }

        /// The store's discount codes and automatic rules, newest first.
        discounts() -> "Promise<Discount[]>" { admin.discounts().await }

        /// One discount.
        discount(discountId: Uuid = "string") -> "Promise<Discount>" { admin.discount(discountId).await }

        /// Creates a discount code (with `code`) or an automatic rule (without).
        createDiscount(discount: DiscountInput = "DiscountInput") -> "Promise<Discount>" {
            admin.create_discount(&discount).await
        }

        /// Replaces a discount's rule.
        replaceDiscount(discountId: Uuid = "string", discount: DiscountInput = "DiscountInput") -> "Promise<Discount>" {
            admin.replace_discount(discountId, &discount).await
        }

        /// Deletes a discount (orders that used it keep what it took off); resolves to it as it was.
        deleteDiscount(discountId: Uuid = "string") -> "Promise<Discount>" {
            admin.delete_discount(discountId).await
        }

        /// The store's price lists (sales and customer groups' prices), newest first.
        priceLists() -> "Promise<PriceList[]>" { admin.price_lists().await }

        /// One price list.
        priceList(priceListId: Uuid = "string") -> "Promise<PriceList>" { admin.price_list(priceListId).await }

        /// Creates a price list: a sale for every shopper, or a customer group's prices.
        createPriceList(list: PriceListInput = "PriceListInput") -> "Promise<PriceList>" {
            admin.create_price_list(&list).await
        }

        /// Replaces a price list and its prices.
        replacePriceList(priceListId: Uuid = "string", list: PriceListInput = "PriceListInput") -> "Promise<PriceList>" {
            admin.replace_price_list(priceListId, &list).await
        }

        /// Deletes a price list; resolves to it as it was.
        deletePriceList(priceListId: Uuid = "string") -> "Promise<PriceList>" {
            admin.delete_price_list(priceListId).await
        }

        /// The store's customer groups, by name, with their members.
        customerGroups() -> "Promise<CustomerGroup[]>" { admin.customer_groups().await }

        /// One customer group.
        customerGroup(groupId: Uuid = "string") -> "Promise<CustomerGroup>" { admin.customer_group(groupId).await }

        /// Creates a customer group.
        createCustomerGroup(group: CustomerGroupInput = "CustomerGroupInput") -> "Promise<CustomerGroup>" {
            admin.create_customer_group(&group).await
        }

        /// Replaces a customer group's name and members.
        replaceCustomerGroup(groupId: Uuid = "string", group: CustomerGroupInput = "CustomerGroupInput") -> "Promise<CustomerGroup>" {
            admin.replace_customer_group(groupId, &group).await
        }

        /// Deletes a customer group and the price lists that were for it; resolves to it as it was.
        deleteCustomerGroup(groupId: Uuid = "string") -> "Promise<CustomerGroup>" {
            admin.delete_customer_group(groupId).await
        }

        /// The store's webhook endpoints.
        webhookEndpoints() -> "Promise<WebhookEndpoint[]>" { admin.webhook_endpoints().await }

        /// Registers an endpoint for some event types; the signing `secret` is shown only here.
        createWebhookEndpoint(input: WebhookEndpointInput = "WebhookEndpointInput") -> "Promise<WebhookEndpointSecret>" {
            admin.create_webhook_endpoint(&input).await
        }

        /// Changes an endpoint's URL or events, or pauses (`active: false`) and resumes it.
        updateWebhookEndpoint(endpointId: Uuid = "string", patch: WebhookEndpointPatch = "WebhookEndpointPatch") -> "Promise<WebhookEndpoint>" {
            admin.update_webhook_endpoint(endpointId, &patch).await
        }

        /// Deletes an endpoint; its pending deliveries are dropped.
        deleteWebhookEndpoint(endpointId: Uuid = "string") -> "Promise<WebhookEndpoint>" {
            admin.delete_webhook_endpoint(endpointId).await
        }

        /// Replaces an endpoint's signing secret; for 24 hours deliveries are signed with both.
        rotateWebhookSecret(endpointId: Uuid = "string") -> "Promise<WebhookEndpointSecret>" {
            admin.rotate_webhook_secret(endpointId).await
        }

        /// One page of an endpoint's deliveries, newest first, each with its attempts.
        webhookDeliveries(endpointId: Uuid = "string"; query?: PageQuery = "PageQuery") -> "Promise<Page<WebhookDelivery>>" {
            admin.webhook_deliveries(endpointId, &query.unwrap_or_default()).await
        }

        /// Sends a delivery's event to its endpoint again, as a new delivery due now.
        redeliverWebhook(endpointId: Uuid = "string", deliveryId: Uuid = "string") -> "Promise<WebhookDelivery>" {
            admin.redeliver_webhook(endpointId, deliveryId).await
        }

        /// The storefront draft: as last saved, or until the first save a copy of the live
        /// version (or of a theme made from the store's branding).
        storefrontDraft() -> "Promise<StorefrontDraft>" { admin.storefront_draft().await }

        /// Saves the whole storefront draft, checked first against the server's rules (an
        /// `InvalidRequestError` naming the field, e.g. `banners[1].linkUrl`).
        saveStorefrontDraft(document: Storefront = "Storefront") -> "Promise<StorefrontDraft>" {
            admin.save_storefront_draft(&document).await
        }

        /// Uploads an image for the logo or a banner (`image/jpeg`, `image/png` or
        /// `image/webp`, up to 10 MB); put the answer's `url` in the document.
        uploadStorefrontAsset(contentType: String = "string", bytes: Bytes = "Uint8Array") -> "Promise<StorefrontAsset>" {
            admin.upload_storefront_asset(&contentType, bytes.0).await
        }

        /// A preview token (24 hours) with which `Colmena.storefront(token)` answers the draft;
        /// shown once.
        createStorefrontPreviewToken() -> "Promise<PreviewToken>" {
            admin.create_storefront_preview_token().await
        }

        /// Publishes the draft as the next version: now, or at `request.publishAt` when that is
        /// in the future.
        publishStorefront(; request?: PublishRequest = "PublishRequest") -> "Promise<StorefrontVersion>" {
            admin.publish_storefront(&request.unwrap_or_default()).await
        }

        /// One page of the published versions, newest first, each with its status now.
        storefrontVersions(; query?: PageQuery = "PageQuery") -> "Promise<Page<StorefrontVersion>>" {
            admin.storefront_versions(&query.unwrap_or_default()).await
        }

        /// Rolls back to version `number`: a new version, live now, with its document.
        rollbackStorefront(number: u32 = "number") -> "Promise<StorefrontVersion>" {
            admin.rollback_storefront(number).await
        }

        /// Cancels a scheduled version (a live or past one cannot be: `ConflictError`).
        cancelStorefrontVersion(number: u32 = "number") -> "Promise<StorefrontVersion>" {
            admin.cancel_storefront_version(number).await
        }
    }
}
