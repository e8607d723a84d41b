//! The admin API for store-owner apps (`colmena_sdk::AdminClient`): sign-in with automatic token
//! refresh, the catalog's prices, stock and visibility, orders and their life cycle, analytics.

use std::sync::Arc;

use colmena_sdk::contract::{
    AdminProduct, AnalyticsQuery, AnalyticsSummary, CustomerGroup, CustomerGroupInput, Discount,
    DiscountInput, Money, Order, OrderEvent, OrderListQuery, OrderStatus, PageQuery, Pagination,
    PriceList, PriceListInput, ProductListQuery, ProductPatch, PublishRequest, Refund, RefundInput,
    Shipment, ShipmentInput, ShippingZone, Storefront, StorefrontDraft, StorefrontVersion,
    TaxSettings, Timestamp, VariantPatch,
};
use colmena_sdk::Uuid;

use crate::{ColmenaClient, ColmenaError};

/// One page of a staff product list (`colmena_sdk::Page` is generic, which uniffi cannot
/// export).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct AdminProductPage {
    /// The products, inactive ones included.
    pub items: Vec<AdminProduct>,
    /// Where the page sits in the whole list.
    pub pagination: Pagination,
}

/// One page of orders, newest first.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OrderPage {
    /// The orders.
    pub items: Vec<Order>,
    /// Where the page sits in the whole list.
    pub pagination: Pagination,
}

/// One page of published storefront versions, newest first.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct StorefrontVersionPage {
    /// The versions, each with its status now.
    pub items: Vec<StorefrontVersion>,
    /// Where the page sits in the whole list.
    pub pagination: Pagination,
}

/// A signed-in store owner or staff member (or a secret key, on a server), for one store.
#[derive(Debug, uniffi::Object)]
pub struct ColmenaAdmin {
    inner: colmena_sdk::AdminClient,
}

#[uniffi::export(async_runtime = "tokio")]
impl ColmenaAdmin {
    /// Signs in with email and password. Expired access tokens are refreshed on their own.
    #[uniffi::constructor]
    pub async fn login(
        client: Arc<ColmenaClient>,
        email: String,
        password: String,
    ) -> Result<Arc<Self>, ColmenaError> {
        let inner =
            colmena_sdk::AdminClient::login_with(client.inner().clone(), &email, &password).await?;
        Ok(Arc::new(Self { inner }))
    }

    /// Chooses a new password with the token of a reset link and signs in; the user's other
    /// sessions end.
    #[uniffi::constructor]
    pub async fn reset_password(
        client: Arc<ColmenaClient>,
        token: String,
        password: String,
    ) -> Result<Arc<Self>, ColmenaError> {
        let inner =
            colmena_sdk::AdminClient::reset_password(client.inner().clone(), &token, &password)
                .await?;
        Ok(Arc::new(Self { inner }))
    }

    /// Changes the signed-in user's password; their other sessions end, this one carries on.
    pub async fn change_password(
        &self,
        current_password: String,
        new_password: String,
    ) -> Result<(), ColmenaError> {
        Ok(self
            .inner
            .change_password(&current_password, &new_password)
            .await?)
    }

    /// One page of the store's products, inactive ones included (`search` filters by text).
    pub async fn list_products(
        &self,
        search: Option<String>,
        limit: Option<u32>,
        offset: Option<u64>,
    ) -> Result<AdminProductPage, ColmenaError> {
        let query = ProductListQuery {
            q: search,
            limit,
            offset,
            ..Default::default()
        };
        let page = self.inner.list_products(&query).await?;
        Ok(AdminProductPage {
            items: page.items,
            pagination: page.pagination,
        })
    }

    /// Shows (`true`) or hides a product from shoppers.
    pub async fn set_product_active(
        &self,
        product_id: Uuid,
        active: bool,
    ) -> Result<AdminProduct, ColmenaError> {
        let patch = ProductPatch {
            active: Some(active),
            ..Default::default()
        };
        Ok(self.inner.update_product(product_id, &patch).await?)
    }

    /// Changes a variant's price and/or stock (`track_stock = false` stops tracking it).
    pub async fn update_variant(
        &self,
        product_id: Uuid,
        variant_id: Uuid,
        price: Option<Money>,
        inventory: Option<u32>,
        track_stock: bool,
    ) -> Result<AdminProduct, ColmenaError> {
        let patch = VariantPatch {
            price,
            inventory: match (track_stock, inventory) {
                (false, _) => Some(None),
                (true, Some(units)) => Some(Some(units)),
                (true, None) => None,
            },
            ..Default::default()
        };
        Ok(self
            .inner
            .update_variant(product_id, variant_id, &patch)
            .await?)
    }

    /// One page of orders, newest first, optionally in one status.
    pub async fn list_orders(
        &self,
        status: Option<OrderStatus>,
        limit: Option<u32>,
        offset: Option<u64>,
    ) -> Result<OrderPage, ColmenaError> {
        let query = OrderListQuery {
            status,
            limit,
            offset,
            ..Default::default()
        };
        let page = self.inner.list_orders(&query).await?;
        Ok(OrderPage {
            items: page.items,
            pagination: page.pagination,
        })
    }

    /// One order.
    pub async fn order(&self, order_id: Uuid) -> Result<Order, ColmenaError> {
        Ok(self.inner.order(order_id).await?)
    }

    /// Marks a paid order fulfilled.
    pub async fn fulfil_order(&self, order_id: Uuid) -> Result<Order, ColmenaError> {
        Ok(self.inner.fulfil_order(order_id).await?)
    }

    /// Cancels an unpaid order, releasing its stock.
    pub async fn cancel_order(&self, order_id: Uuid) -> Result<Order, ColmenaError> {
        Ok(self.inner.cancel_order(order_id).await?)
    }

    /// The order's history, oldest first: placed, paid, fulfilled, cancelled or refunded, each
    /// with who did it and when.
    pub async fn order_events(&self, order_id: Uuid) -> Result<Vec<OrderEvent>, ColmenaError> {
        Ok(self.inner.order_events(order_id).await?)
    }

    /// Refunds a paid or fulfilled order (through its payment provider first).
    pub async fn refund_order(&self, order_id: Uuid) -> Result<Order, ColmenaError> {
        Ok(self.inner.refund_order(order_id).await?)
    }

    /// Sales between `from` and `to` (RFC 3339 or `YYYY-MM-DD`; default the last 30 days).
    pub async fn analytics(
        &self,
        from: Option<String>,
        to: Option<String>,
    ) -> Result<AnalyticsSummary, ColmenaError> {
        Ok(self.inner.analytics(&AnalyticsQuery { from, to }).await?)
    }
    /// Refunds lines (restocked unless `restock` is false) and/or an amount of an order.
    pub async fn refund_order_partly(
        &self,
        order_id: Uuid,
        refund: RefundInput,
    ) -> Result<Refund, ColmenaError> {
        Ok(self.inner.refund_order_partly(order_id, &refund).await?)
    }

    /// Records a parcel of a paid order with its carrier and tracking.
    pub async fn ship_order(
        &self,
        order_id: Uuid,
        shipment: ShipmentInput,
    ) -> Result<Shipment, ColmenaError> {
        Ok(self.inner.ship_order(order_id, &shipment).await?)
    }

    /// The store's tax settings and rates.
    pub async fn tax_settings(&self) -> Result<TaxSettings, ColmenaError> {
        Ok(self.inner.tax_settings().await?)
    }

    /// The store's shipping zones with their rates.
    pub async fn shipping_zones(&self) -> Result<Vec<ShippingZone>, ColmenaError> {
        Ok(self.inner.shipping_zones().await?)
    }

    /// The store's discount codes and automatic rules, newest first.
    pub async fn discounts(&self) -> Result<Vec<Discount>, ColmenaError> {
        Ok(self.inner.discounts().await?)
    }

    /// Creates a discount code (with `code`) or an automatic rule.
    pub async fn create_discount(&self, discount: DiscountInput) -> Result<Discount, ColmenaError> {
        Ok(self.inner.create_discount(&discount).await?)
    }

    /// Deletes a discount; returns it as it was.
    pub async fn delete_discount(&self, discount_id: Uuid) -> Result<Discount, ColmenaError> {
        Ok(self.inner.delete_discount(discount_id).await?)
    }

    /// The store's price lists (sales and customer groups' prices), newest first.
    pub async fn price_lists(&self) -> Result<Vec<PriceList>, ColmenaError> {
        Ok(self.inner.price_lists().await?)
    }

    /// Creates a price list: a sale for every shopper, or a customer group's prices.
    pub async fn create_price_list(&self, list: PriceListInput) -> Result<PriceList, ColmenaError> {
        Ok(self.inner.create_price_list(&list).await?)
    }

    /// Deletes a price list; returns it as it was.
    pub async fn delete_price_list(&self, price_list_id: Uuid) -> Result<PriceList, ColmenaError> {
        Ok(self.inner.delete_price_list(price_list_id).await?)
    }

    /// The store's customer groups, by name, with their members.
    pub async fn customer_groups(&self) -> Result<Vec<CustomerGroup>, ColmenaError> {
        Ok(self.inner.customer_groups().await?)
    }

    /// Creates a customer group.
    pub async fn create_customer_group(
        &self,
        group: CustomerGroupInput,
    ) -> Result<CustomerGroup, ColmenaError> {
        Ok(self.inner.create_customer_group(&group).await?)
    }

    /// Deletes a customer group and the price lists that were for it; returns it as it was.
    pub async fn delete_customer_group(
        &self,
        group_id: Uuid,
    ) -> Result<CustomerGroup, ColmenaError> {
        Ok(self.inner.delete_customer_group(group_id).await?)
    }

    /// The storefront draft (as last saved, or a copy of the live version).
    pub async fn storefront_draft(&self) -> Result<StorefrontDraft, ColmenaError> {
        Ok(self.inner.storefront_draft().await?)
    }

    /// Saves the whole storefront draft, checked first against the server's rules.
    pub async fn save_storefront_draft(
        &self,
        document: Storefront,
    ) -> Result<StorefrontDraft, ColmenaError> {
        Ok(self.inner.save_storefront_draft(&document).await?)
    }

    /// Publishes the draft as the next version: now, or at `publish_at` when that is in the
    /// future (owners and admins).
    pub async fn publish_storefront(
        &self,
        publish_at: Option<Timestamp>,
    ) -> Result<StorefrontVersion, ColmenaError> {
        let request = PublishRequest { publish_at };
        Ok(self.inner.publish_storefront(&request).await?)
    }

    /// One page of the published storefront versions, newest first.
    pub async fn storefront_versions(
        &self,
        limit: Option<u32>,
        offset: Option<u64>,
    ) -> Result<StorefrontVersionPage, ColmenaError> {
        let page = self
            .inner
            .storefront_versions(&PageQuery { limit, offset })
            .await?;
        Ok(StorefrontVersionPage {
            items: page.items,
            pagination: page.pagination,
        })
    }

    /// Rolls back to version `number`: a new version, live now, with its document.
    pub async fn rollback_storefront(
        &self,
        number: u32,
    ) -> Result<StorefrontVersion, ColmenaError> {
        Ok(self.inner.rollback_storefront(number).await?)
    }

    /// Cancels a scheduled storefront version.
    pub async fn cancel_storefront_version(
        &self,
        number: u32,
    ) -> Result<StorefrontVersion, ColmenaError> {
        Ok(self.inner.cancel_storefront_version(number).await?)
    }
}
