//! uniffi records and enums mirroring sdk-core's contract, and their conversions. IDs cross the
//! boundary as strings (UUID text); [`parse_id`] reads them back.

use std::collections::HashMap;

use colmena_sdk::contract;
use uuid::Uuid;

use crate::ColmenaError;

/// Reads a UUID that Kotlin or Swift passed as text.
pub(crate) fn parse_id(what: &str, text: &str) -> Result<Uuid, ColmenaError> {
    Uuid::parse_str(text)
        .map_err(|_| ColmenaError::invalid(format!("{what} {text:?} is not a UUID")))
}

/// An amount in minor units with its ISO 4217 currency.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Money {
    /// Minor units (cents).
    pub amount: i64,
    /// ISO 4217 code.
    pub currency: String,
}

/// A product image.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ProductImage {
    /// Absolute URL.
    pub url: String,
    /// Alternative text.
    pub alt: String,
}

impl From<contract::ProductImage> for ProductImage {
    fn from(image: contract::ProductImage) -> Self {
        Self {
            url: image.url,
            alt: image.alt,
        }
    }
}

/// A product of the catalog.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Product {
    /// Product id (UUID).
    pub id: String,
    /// URL identifier.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Current price.
    pub price: Money,
    /// Former price, when on sale.
    pub compare_at_price: Option<Money>,
    /// Category slug.
    pub category_slug: Option<String>,
    /// Whether featured.
    pub featured: bool,
    /// Images, main first.
    pub images: Vec<ProductImage>,
    /// Names of the options the variants differ by, e.g. `Size`.
    pub options: Vec<String>,
    /// The variants on sale (at least one).
    pub variants: Vec<ProductVariant>,
    /// Whether buyers get a file to download.
    pub digital: bool,
    /// Custom attributes as JSON text (their shape is the product type's).
    pub attributes_json: String,
    /// Creation time, RFC 3339.
    pub created_at: String,
}

/// One sellable version of a product.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ProductVariant {
    /// Variant id (UUID).
    pub id: String,
    /// SKU.
    pub sku: String,
    /// Title, e.g. `M / Amber`.
    pub title: String,
    /// Option values by option name.
    pub options: HashMap<String, String>,
    /// Price.
    pub price: Money,
    /// Former price, when on sale.
    pub compare_at_price: Option<Money>,
    /// Units left, when stock is tracked.
    pub available: Option<u32>,
    /// Whether it can be bought now.
    pub in_stock: bool,
}

/// A store's profile.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Store {
    /// Store id (UUID).
    pub id: String,
    /// URL identifier.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// ISO 4217 currency.
    pub currency: String,
    /// BCP 47 locale.
    pub locale: String,
    /// Brand colour, CSS hex.
    pub primary_color: String,
}

/// A product category.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Category {
    /// Category id (UUID).
    pub id: String,
    /// URL identifier.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Active products in it.
    pub product_count: u64,
}

/// Sort orders of the product list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ProductSort {
    /// Newest first.
    Newest,
    /// A to Z.
    Name,
    /// Cheapest first.
    Price,
    /// Most expensive first.
    PriceDesc,
}

/// Filters and paging of a product list; every member optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct ProductQuery {
    /// Page size, 1 to 100.
    #[uniffi(default = None)]
    pub limit: Option<u32>,
    /// Products to skip.
    #[uniffi(default = None)]
    pub offset: Option<u64>,
    /// Category slug or id.
    #[uniffi(default = None)]
    pub category: Option<String>,
    /// Featured only (true) or non-featured only (false).
    #[uniffi(default = None)]
    pub featured: Option<bool>,
    /// Text search.
    #[uniffi(default = None)]
    pub search: Option<String>,
    /// Sort order.
    #[uniffi(default = None)]
    pub sort: Option<ProductSort>,
}

/// One page of products.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ProductPage {
    /// The products.
    pub items: Vec<Product>,
    /// Matches over all pages.
    pub total: u64,
    /// Page size used.
    pub limit: u32,
    /// Products skipped.
    pub offset: u64,
    /// Whether more pages follow.
    pub has_more: bool,
}

impl From<contract::Money> for Money {
    fn from(money: contract::Money) -> Self {
        Self {
            amount: money.amount,
            currency: money.currency,
        }
    }
}

impl From<contract::Product> for Product {
    fn from(p: contract::Product) -> Self {
        Self {
            id: p.id.to_string(),
            slug: p.slug,
            name: p.name,
            description: p.description,
            price: p.price.into(),
            compare_at_price: p.compare_at_price.map(Into::into),
            category_slug: p.category.map(|c| c.slug),
            featured: p.featured,
            images: p.images.into_iter().map(Into::into).collect(),
            options: p.options,
            variants: p
                .variants
                .into_iter()
                .map(|v| ProductVariant {
                    id: v.id.to_string(),
                    sku: v.sku,
                    title: v.title,
                    options: v.options.into_iter().collect(),
                    price: v.price.into(),
                    compare_at_price: v.compare_at_price.map(Into::into),
                    available: v.available,
                    in_stock: v.in_stock,
                })
                .collect(),
            digital: p.digital,
            attributes_json: p.attributes.json().to_owned(),
            created_at: p.created_at,
        }
    }
}

impl From<ProductQuery> for contract::ProductListQuery {
    fn from(q: ProductQuery) -> Self {
        Self {
            limit: q.limit,
            offset: q.offset,
            category: q.category,
            featured: q.featured,
            q: q.search,
            sort: q.sort.map(|sort| match sort {
                ProductSort::Newest => contract::ProductSort::Newest,
                ProductSort::Name => contract::ProductSort::Name,
                ProductSort::Price => contract::ProductSort::Price,
                ProductSort::PriceDesc => contract::ProductSort::PriceDesc,
            }),
        }
    }
}

impl From<Money> for contract::Money {
    fn from(money: Money) -> Self {
        Self::new(money.amount, money.currency)
    }
}

/// Where an order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum OrderStatus {
    /// Placed, awaiting payment.
    PendingPayment,
    /// Paid.
    Paid,
    /// Cancelled (unpaid); its stock was released.
    Cancelled,
    /// Shipped or otherwise fulfilled.
    Fulfilled,
    /// Refunded.
    Refunded,
}

impl From<contract::OrderStatus> for OrderStatus {
    fn from(status: contract::OrderStatus) -> Self {
        match status {
            contract::OrderStatus::PendingPayment => Self::PendingPayment,
            contract::OrderStatus::Paid => Self::Paid,
            contract::OrderStatus::Cancelled => Self::Cancelled,
            contract::OrderStatus::Fulfilled => Self::Fulfilled,
            contract::OrderStatus::Refunded => Self::Refunded,
        }
    }
}

impl From<OrderStatus> for contract::OrderStatus {
    fn from(status: OrderStatus) -> Self {
        match status {
            OrderStatus::PendingPayment => Self::PendingPayment,
            OrderStatus::Paid => Self::Paid,
            OrderStatus::Cancelled => Self::Cancelled,
            OrderStatus::Fulfilled => Self::Fulfilled,
            OrderStatus::Refunded => Self::Refunded,
        }
    }
}

/// An order's payment.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Payment {
    /// `test` or `stripe`.
    pub provider: String,
    /// The provider's id of the payment session.
    pub reference: Option<String>,
    /// `pending`, `succeeded`, `failed`, `expired`, `refunded` or `cancelled`.
    pub status: String,
    /// Where the customer pays (a hosted payment page), when the provider has one.
    pub redirect_url: Option<String>,
    /// Unpaid after this moment, the order is cancelled (RFC 3339).
    pub expires_at: String,
}

/// One line of an order, as bought.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OrderItem {
    /// Product id.
    pub product_id: String,
    /// Product name at the time of the order.
    pub product_name: String,
    /// Variant id.
    pub variant_id: String,
    /// Variant title.
    pub variant_title: String,
    /// SKU.
    pub sku: String,
    /// Units.
    pub quantity: u32,
    /// Price of one unit.
    pub unit_price: Money,
    /// `unit_price × quantity`.
    pub line_total: Money,
    /// Whether it is a file to download.
    pub digital: bool,
}

/// A download link of a paid digital item.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Download {
    /// The order line.
    pub order_item_id: String,
    /// The product.
    pub product_id: String,
    /// The file's name.
    pub file_name: String,
    /// The link (no credentials needed: the link is the credential).
    pub url: String,
    /// The link works until then (RFC 3339).
    pub expires_at: String,
    /// Downloads left.
    pub downloads_remaining: u32,
}

impl From<contract::Download> for Download {
    fn from(d: contract::Download) -> Self {
        Self {
            order_item_id: d.order_item_id.to_string(),
            product_id: d.product_id.to_string(),
            file_name: d.file_name,
            url: d.url,
            expires_at: d.expires_at,
            downloads_remaining: d.downloads_remaining,
        }
    }
}

impl TryFrom<Download> for contract::Download {
    type Error = ColmenaError;

    fn try_from(d: Download) -> Result<Self, ColmenaError> {
        Ok(Self {
            order_item_id: parse_id("order item id", &d.order_item_id)?,
            product_id: parse_id("product id", &d.product_id)?,
            file_name: d.file_name,
            url: d.url,
            expires_at: d.expires_at,
            downloads_remaining: d.downloads_remaining,
        })
    }
}

/// An order.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Order {
    /// Order id.
    pub id: String,
    /// Where it stands.
    pub status: OrderStatus,
    /// The customer's email.
    pub email: String,
    /// The lines.
    pub items: Vec<OrderItem>,
    /// Units over all lines.
    pub item_count: u32,
    /// Sum of the lines.
    pub subtotal: Money,
    /// What is charged.
    pub total: Money,
    /// The payment.
    pub payment: Payment,
    /// Download links, once paid.
    pub downloads: Vec<Download>,
    /// Creation time (RFC 3339).
    pub created_at: String,
}

impl From<contract::Order> for Order {
    fn from(o: contract::Order) -> Self {
        Self {
            id: o.id.to_string(),
            status: o.status.into(),
            email: o.email,
            items: o
                .items
                .into_iter()
                .map(|i| OrderItem {
                    product_id: i.product_id.to_string(),
                    product_name: i.product_name,
                    variant_id: i.variant_id.to_string(),
                    variant_title: i.variant_title,
                    sku: i.sku,
                    quantity: i.quantity,
                    unit_price: i.unit_price.into(),
                    line_total: i.line_total.into(),
                    digital: i.digital,
                })
                .collect(),
            item_count: o.item_count,
            subtotal: o.subtotal.into(),
            total: o.total.into(),
            payment: Payment {
                provider: o.payment.provider,
                reference: o.payment.reference,
                status: o.payment.status.as_str().to_owned(),
                redirect_url: o.payment.redirect_url,
                expires_at: o.payment.expires_at,
            },
            downloads: o.downloads.into_iter().map(Into::into).collect(),
            created_at: o.created_at,
        }
    }
}

/// The answer to a checkout: the order and the token that reads it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CheckoutSession {
    /// The order, awaiting payment.
    pub order: Order,
    /// Keep it: with it the customer reads the order (`ColmenaClient.order`).
    pub order_token: String,
}

impl From<contract::CheckoutSession> for CheckoutSession {
    fn from(s: contract::CheckoutSession) -> Self {
        Self {
            order: s.order.into(),
            order_token: s.order_token,
        }
    }
}

/// A downloaded file.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DownloadedFile {
    /// Its name.
    pub file_name: String,
    /// Its media type.
    pub content_type: Option<String>,
    /// Its bytes.
    pub bytes: Vec<u8>,
}
