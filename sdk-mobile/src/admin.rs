//! The admin API for store-owner apps (`colmena_sdk::AdminClient`): sign-in with automatic token
//! refresh, the catalog's prices, stock and visibility, orders and their life cycle, analytics.

use std::sync::Arc;

use colmena_sdk::contract;

use crate::records::{parse_id, Money, Order, OrderStatus, Product};
use crate::{ColmenaClient, ColmenaError};

/// A product as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AdminProduct {
    /// The product as shoppers see it (when active).
    pub product: Product,
    /// Whether shoppers see it.
    pub active: bool,
    /// Time of the last change (RFC 3339).
    pub updated_at: String,
}

impl From<contract::AdminProduct> for AdminProduct {
    fn from(p: contract::AdminProduct) -> Self {
        Self {
            product: p.product.into(),
            active: p.active,
            updated_at: p.updated_at,
        }
    }
}

/// One page of a staff list.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AdminProductPage {
    /// The products, inactive ones included.
    pub items: Vec<AdminProduct>,
    /// Matches over all pages.
    pub total: u64,
    /// Whether more pages follow.
    pub has_more: bool,
}

/// One page of orders, newest first.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OrderPage {
    /// The orders.
    pub items: Vec<Order>,
    /// Matches over all pages.
    pub total: u64,
    /// Whether more pages follow.
    pub has_more: bool,
}

/// A best seller.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TopProduct {
    /// Product id.
    pub product_id: String,
    /// Its name.
    pub name: String,
    /// Units sold.
    pub units: u64,
    /// Money taken.
    pub revenue: Money,
}

/// Sales over a date range.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Analytics {
    /// Start (inclusive, RFC 3339).
    pub from: String,
    /// End (exclusive, RFC 3339).
    pub to: String,
    /// Orders placed.
    pub orders: u64,
    /// Of those, paid.
    pub paid_orders: u64,
    /// Money taken.
    pub revenue: Money,
    /// Revenue per paid order.
    pub average_order_value: Money,
    /// Best sellers, at most 5.
    pub top_products: Vec<TopProduct>,
    /// Digital downloads.
    pub downloads: u64,
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

    /// One page of the store's products, inactive ones included (`search` filters by text).
    pub async fn list_products(
        &self,
        search: Option<String>,
        limit: Option<u32>,
        offset: Option<u64>,
    ) -> Result<AdminProductPage, ColmenaError> {
        let query = contract::ProductListQuery {
            q: search,
            limit,
            offset,
            ..Default::default()
        };
        let page = self.inner.list_products(&query).await?;
        Ok(AdminProductPage {
            items: page.items.into_iter().map(Into::into).collect(),
            total: page.pagination.total,
            has_more: page.pagination.has_more,
        })
    }

    /// Shows (`true`) or hides a product from shoppers.
    pub async fn set_product_active(
        &self,
        product_id: String,
        active: bool,
    ) -> Result<AdminProduct, ColmenaError> {
        let patch = contract::ProductPatch {
            active: Some(active),
            ..Default::default()
        };
        let id = parse_id("product id", &product_id)?;
        Ok(self.inner.update_product(id, &patch).await?.into())
    }

    /// Changes a variant's price and/or stock (`track_stock = false` stops tracking it).
    pub async fn update_variant(
        &self,
        product_id: String,
        variant_id: String,
        price: Option<Money>,
        inventory: Option<u32>,
        track_stock: bool,
    ) -> Result<AdminProduct, ColmenaError> {
        let patch = contract::VariantPatch {
            price: price.map(Into::into),
            inventory: match (track_stock, inventory) {
                (false, _) => Some(None),
                (true, Some(units)) => Some(Some(units)),
                (true, None) => None,
            },
            ..Default::default()
        };
        let product = parse_id("product id", &product_id)?;
        let variant = parse_id("variant id", &variant_id)?;
        Ok(self
            .inner
            .update_variant(product, variant, &patch)
            .await?
            .into())
    }

    /// One page of orders, newest first, optionally in one status.
    pub async fn list_orders(
        &self,
        status: Option<OrderStatus>,
        limit: Option<u32>,
        offset: Option<u64>,
    ) -> Result<OrderPage, ColmenaError> {
        let query = contract::OrderListQuery {
            status: status.map(Into::into),
            limit,
            offset,
            ..Default::default()
        };
        let page = self.inner.list_orders(&query).await?;
        Ok(OrderPage {
            items: page.items.into_iter().map(Into::into).collect(),
            total: page.pagination.total,
            has_more: page.pagination.has_more,
        })
    }

    /// One order.
    pub async fn order(&self, order_id: String) -> Result<Order, ColmenaError> {
        Ok(self
            .inner
            .order(parse_id("order id", &order_id)?)
            .await?
            .into())
    }

    /// Marks a paid order fulfilled.
    pub async fn fulfil_order(&self, order_id: String) -> Result<Order, ColmenaError> {
        let id = parse_id("order id", &order_id)?;
        Ok(self.inner.fulfil_order(id).await?.into())
    }

    /// Cancels an unpaid order, releasing its stock.
    pub async fn cancel_order(&self, order_id: String) -> Result<Order, ColmenaError> {
        let id = parse_id("order id", &order_id)?;
        Ok(self.inner.cancel_order(id).await?.into())
    }

    /// Refunds a paid or fulfilled order (through its payment provider first).
    pub async fn refund_order(&self, order_id: String) -> Result<Order, ColmenaError> {
        let id = parse_id("order id", &order_id)?;
        Ok(self.inner.refund_order(id).await?.into())
    }

    /// Sales between `from` and `to` (RFC 3339 or `YYYY-MM-DD`; default the last 30 days).
    pub async fn analytics(
        &self,
        from: Option<String>,
        to: Option<String>,
    ) -> Result<Analytics, ColmenaError> {
        let summary = self
            .inner
            .analytics(&contract::AnalyticsQuery { from, to })
            .await?;
        Ok(Analytics {
            from: summary.from,
            to: summary.to,
            orders: summary.orders,
            paid_orders: summary.paid_orders,
            revenue: summary.revenue.into(),
            average_order_value: summary.average_order_value.into(),
            top_products: summary
                .top_products
                .into_iter()
                .map(|p| TopProduct {
                    product_id: p.product_id.to_string(),
                    name: p.name,
                    units: p.units,
                    revenue: p.revenue.into(),
                })
                .collect(),
            downloads: summary.downloads,
        })
    }
}
