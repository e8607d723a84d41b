//! The API contract: every request and response type of the Colmena HTTP API, defined once.
//!
//! The reference server serialises these types and the clients deserialise the same types, so
//! the two cannot drift apart. JSON fields are camelCase. With the `openapi` feature the types
//! also describe themselves as OpenAPI 3 schemas, which the server publishes at
//! `GET /api/v1/openapi.json`. With the `uniffi` feature the types sdk-mobile exports derive
//! uniffi records and enums, so Kotlin and Swift see these same types.

use crate::json::{Decode, Encode};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

mod admin;
mod chat;
mod commerce;
mod fulfilment;
mod platform;
mod price_lists;
mod pricing;
mod search;
mod storefront;
mod timestamp;
mod webhooks;
pub use admin::*;
pub use chat::*;
pub use commerce::*;
pub use fulfilment::*;
pub use platform::*;
pub use price_lists::*;
pub use pricing::*;
pub use search::*;
pub use storefront::*;
pub use timestamp::Timestamp;
pub use webhooks::*;

/// API version reported in every response's `meta.version`.
pub const API_VERSION: &str = "v1";

/// The envelope every JSON response of the API uses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiResponse<T> {
    /// `true` when `data` holds the result, `false` when `error` says what went wrong.
    pub success: bool,
    /// The result, present when `success` is true.
    #[serde(default = "Option::default", skip_serializing_if = "Option::is_none")]
    pub data: Option<T>,
    /// What went wrong, present when `success` is false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ApiError>,
    /// Present on list responses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination: Option<Pagination>,
    /// Request id, timestamp and API version.
    pub meta: Meta,
}

/// The `data` of responses that carry none (error responses).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoData {}

/// The `error` member of a failed response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    /// Stable, machine-readable code: act on this, not on the message.
    pub code: ErrorCode,
    /// Human-readable explanation, in English.
    pub message: String,
    /// Structured context, e.g. which parameter was invalid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<ErrorDetails>,
}

/// Structured context of an error. Only the members relevant to the error are present.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ErrorDetails {
    /// The query or path parameter that was rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
    /// The rejected value, echoed back (truncated to 100 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The resource kind that was not found, e.g. `product`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// `INSUFFICIENT_INVENTORY`: the units that can still be bought.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available: Option<u32>,
    /// `INSUFFICIENT_INVENTORY`: the variant that is short.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant_id: Option<Uuid>,
    /// `PRICE_CHANGED`: the total the server computes now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_total: Option<Money>,
    /// `CONFLICT` on an order: its current status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

/// Stable error codes shared by the server and every client facade.
///
/// Codes unknown to this version of the SDK deserialise as [`ErrorCode::Unknown`], so a newer
/// server never breaks an older client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ErrorCode {
    /// A parameter or body field is invalid (400).
    ValidationError,
    /// The store in the path does not exist (404).
    StoreNotFound,
    /// The requested resource does not exist in this store (404).
    NotFound,
    /// The HTTP method is not supported on this route (405).
    MethodNotAllowed,
    /// Missing, invalid or expired credentials (401).
    Unauthorized,
    /// Authenticated, but not allowed to do this (403).
    Forbidden,
    /// The store in the path was suspended by the platform operator (403).
    StoreSuspended,
    /// The request body is not JSON (415).
    UnsupportedMediaType,
    /// Too many requests; retry after the `Retry-After` header (429).
    RateLimited,
    /// Not enough stock; `details.available` says how many units are left (409).
    InsufficientInventory,
    /// The total differs from the `expectedTotal` the customer saw; `details.currentTotal`
    /// has the new one (409).
    PriceChanged,
    /// The resource is not in a state that allows this, e.g. a checked-out cart or an order
    /// status change the life cycle forbids (409).
    Conflict,
    /// The download link expired, was used up or was revoked (410).
    DownloadExpired,
    /// The buyer's access link was already used or has expired: ask for a new one (410).
    AccessLinkExpired,
    /// The request body is larger than the route accepts (413).
    PayloadTooLarge,
    /// The request (its body) did not arrive in time; the connection is closed (408).
    RequestTimeout,
    /// The `Idempotency-Key` was used before with a different request (422).
    IdempotencyKeyReused,
    /// No discount has this code (or it is switched off) (422).
    DiscountNotFound,
    /// The discount's validity window has ended (422).
    DiscountExpired,
    /// The discount does not apply to this cart: not valid yet, below its minimum, or no
    /// product it covers; `details.parameter` names the code (422).
    DiscountNotApplicable,
    /// The discount was used as many times as it may be, in all or by this customer (422).
    DiscountUsageLimitReached,
    /// The server failed; the request id identifies it in the server's logs (500).
    InternalError,
    /// The payment provider could not be reached or refused to set up the payment (502).
    PaymentProviderError,
    /// The server or its database is temporarily unavailable (503).
    ServiceUnavailable,
    /// A code this SDK version does not know yet.
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    /// The code as it appears on the wire, e.g. `"STORE_NOT_FOUND"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ValidationError => "VALIDATION_ERROR",
            Self::StoreNotFound => "STORE_NOT_FOUND",
            Self::NotFound => "NOT_FOUND",
            Self::MethodNotAllowed => "METHOD_NOT_ALLOWED",
            Self::Unauthorized => "UNAUTHORIZED",
            Self::Forbidden => "FORBIDDEN",
            Self::StoreSuspended => "STORE_SUSPENDED",
            Self::UnsupportedMediaType => "UNSUPPORTED_MEDIA_TYPE",
            Self::RateLimited => "RATE_LIMITED",
            Self::InsufficientInventory => "INSUFFICIENT_INVENTORY",
            Self::PriceChanged => "PRICE_CHANGED",
            Self::Conflict => "CONFLICT",
            Self::DownloadExpired => "DOWNLOAD_EXPIRED",
            Self::AccessLinkExpired => "ACCESS_LINK_EXPIRED",
            Self::PayloadTooLarge => "PAYLOAD_TOO_LARGE",
            Self::RequestTimeout => "REQUEST_TIMEOUT",
            Self::IdempotencyKeyReused => "IDEMPOTENCY_KEY_REUSED",
            Self::DiscountNotFound => "DISCOUNT_NOT_FOUND",
            Self::DiscountExpired => "DISCOUNT_EXPIRED",
            Self::DiscountNotApplicable => "DISCOUNT_NOT_APPLICABLE",
            Self::DiscountUsageLimitReached => "DISCOUNT_USAGE_LIMIT_REACHED",
            Self::InternalError => "INTERNAL_ERROR",
            Self::PaymentProviderError => "PAYMENT_PROVIDER_ERROR",
            Self::ServiceUnavailable => "SERVICE_UNAVAILABLE",
            Self::Unknown => "UNKNOWN",
        }
    }

    /// The HTTP status the server answers with for this code.
    pub fn http_status(self) -> u16 {
        match self {
            Self::ValidationError => 400,
            Self::StoreNotFound | Self::NotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::Unauthorized => 401,
            Self::Forbidden | Self::StoreSuspended => 403,
            Self::UnsupportedMediaType => 415,
            Self::RateLimited => 429,
            Self::InsufficientInventory | Self::PriceChanged | Self::Conflict => 409,
            Self::DownloadExpired | Self::AccessLinkExpired => 410,
            Self::PayloadTooLarge => 413,
            Self::RequestTimeout => 408,
            Self::IdempotencyKeyReused
            | Self::DiscountNotFound
            | Self::DiscountExpired
            | Self::DiscountNotApplicable
            | Self::DiscountUsageLimitReached => 422,
            Self::InternalError | Self::Unknown => 500,
            Self::PaymentProviderError => 502,
            Self::ServiceUnavailable => 503,
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Paging information of a list response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Pagination {
    /// Number of items matching the request, over all pages.
    pub total: u64,
    /// Page size used.
    pub limit: u32,
    /// Number of items skipped before this page.
    pub offset: u64,
    /// Whether items follow this page.
    pub has_more: bool,
}

impl Pagination {
    /// The paging of a page of `count` items taken at `offset` (with page size `limit`) from
    /// `total` matches.
    pub fn of_page(total: u64, limit: u32, offset: u64, count: usize) -> Self {
        Self {
            total,
            limit,
            offset,
            has_more: offset.saturating_add(count as u64) < total,
        }
    }
}

/// Response metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Meta {
    /// Unique id of this request (also in the `x-request-id` header); quote it in bug reports.
    pub request_id: String,
    /// Server time of the response, RFC 3339 in UTC.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub timestamp: Timestamp,
    /// API version, e.g. `v1`.
    pub version: String,
}

/// An amount of money: integer minor units (cents, centimes…) and an ISO 4217 currency code.
///
/// Never a float: `{"amount": 1250, "currency": "EUR"}` is €12.50, and
/// `{"amount": 5000, "currency": "XOF"}` is 5 000 F CFA (XOF has no minor unit).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Money {
    /// Amount in the currency's minor units.
    pub amount: i64,
    /// ISO 4217 alphabetic code, upper case.
    pub currency: String,
}

/// A store's public profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Store {
    /// Store id.
    pub id: Uuid,
    /// URL identifier used in API paths, e.g. `demo`.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// ISO 4217 currency of every price in this store.
    pub currency: String,
    /// BCP 47 locale used to format prices and texts, e.g. `es-ES`.
    pub locale: String,
    /// Colours and logo for storefronts.
    pub branding: Branding,
}

/// A store's visual identity, applied by the widget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Branding {
    /// Main brand colour, CSS hex (`#rrggbb`).
    pub primary_color: String,
    /// Secondary colour, CSS hex.
    pub accent_color: String,
    /// Absolute URL of the store's logo, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo_url: Option<String>,
}

/// A product category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Category {
    /// Category id.
    pub id: Uuid,
    /// URL identifier, unique within the store.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Parent category, for nested categories.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<Uuid>,
    /// Number of active products in this category.
    pub product_count: u64,
}

/// The category a product belongs to, as embedded in the product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CategoryRef {
    /// Category id.
    pub id: Uuid,
    /// URL identifier.
    pub slug: String,
    /// Display name.
    pub name: String,
}

/// An image of a product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ProductImage {
    /// Image id, for the admin API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Uuid>,
    /// Absolute URL of the image.
    pub url: String,
    /// Alternative text for screen readers.
    pub alt: String,
}

/// A product as the public catalog shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Product {
    /// Product id.
    pub id: Uuid,
    /// URL identifier, unique within the store.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Plain-text description.
    pub description: String,
    /// Current price.
    pub price: Money,
    /// The former price, shown struck through, when the product is on sale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compare_at_price: Option<Money>,
    /// The product's category, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<CategoryRef>,
    /// Whether the store features this product.
    pub featured: bool,
    /// Images, the first one being the main image.
    pub images: Vec<ProductImage>,
    /// Names of the options its variants differ by, e.g. `["Size"]`; empty with one variant.
    // These three are always sent (required in the OpenAPI document); their defaults only
    // read payloads from before they existed.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub options: Vec<String>,
    /// The purchasable variants, at least one.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub variants: Vec<ProductVariant>,
    /// Whether the product is delivered as a download after payment.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub digital: bool,
    /// Slug of the product's type, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_type: Option<String>,
    /// Custom attributes, following the product type's JSON schema.
    #[serde(default, skip_serializing_if = "Attributes::is_empty")]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub attributes: Attributes,
    /// Creation time, RFC 3339 in UTC.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub created_at: Timestamp,
}

/// A product's custom attributes: a JSON object whose shape the product type's JSON schema
/// defines (the one place the API carries untyped data).
///
/// Kept as the JSON text received, and parsed only on request ([`Attributes::parse`]): a client
/// that does not read attributes (the widget) carries no JSON tree code for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attributes(Box<str>);

impl Attributes {
    /// The attributes as JSON text, e.g. `{"weightGrams":500}`.
    pub fn json(&self) -> &str {
        &self.0
    }

    /// Attributes from JSON text, which must be an object.
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        let raw = serde_json::value::RawValue::from_string(text.to_owned())?;
        Self::from_raw(raw).map_err(serde::de::Error::custom)
    }

    fn from_raw(raw: Box<serde_json::value::RawValue>) -> Result<Self, &'static str> {
        if raw.get().trim_start().starts_with('{') {
            Ok(Self(Box::<str>::from(raw)))
        } else {
            Err("attributes must be a JSON object")
        }
    }

    /// The attributes decoded into `T`, e.g. a struct of the product type's fields or a
    /// `serde_json::Map`.
    pub fn parse<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(&self.0)
    }

    /// Whether there are none (`{}`).
    pub fn is_empty(&self) -> bool {
        self.0
            .trim()
            .strip_prefix('{')
            .and_then(|rest| rest.strip_suffix('}'))
            .is_some_and(|inside| inside.trim().is_empty())
    }
}

impl Serialize for Attributes {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Written as the JSON it is, not as a string.
        serde_json::value::RawValue::from_string(self.0.to_string())
            .map_err(serde::ser::Error::custom)?
            .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Attributes {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Box::<serde_json::value::RawValue>::deserialize(deserializer)?;
        Self::from_raw(raw).map_err(serde::de::Error::custom)
    }
}

/// Written as the JSON it is.
impl Encode for Attributes {
    fn encode(&self, out: &mut crate::json::Writer) {
        out.raw(&self.0);
    }
}

impl Decode for Attributes {
    fn decode(json: &mut crate::json::Reader<'_>) -> Result<Self, crate::json::DecodeError> {
        // The reader has checked the syntax while skipping the value.
        let text = json.raw()?;
        if text.starts_with('{') {
            Ok(Self(text.into()))
        } else {
            Err(json.invalid("attributes must be a JSON object"))
        }
    }
}

impl Default for Attributes {
    fn default() -> Self {
        Self("{}".into())
    }
}

/// A store user's role (seed 004's permission table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    /// Everything, including users and settings.
    Owner,
    /// Products, orders, analytics, webhooks, and publishing the storefront.
    Admin,
    /// Products, reading orders, and editing the storefront (not publishing it).
    Editor,
}

impl Role {
    /// The role as stored and written in tokens.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Admin => "admin",
            Self::Editor => "editor",
        }
    }

    /// Parses a stored role.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "owner" => Some(Self::Owner),
            "admin" => Some(Self::Admin),
            "editor" => Some(Self::Editor),
            _ => None,
        }
    }

    /// The permissions this role grants, spelled out (no wildcards).
    pub fn permissions(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            Self::Owner => &[
                ProductsRead,
                ProductsWrite,
                OrdersRead,
                OrdersWrite,
                AnalyticsRead,
                SettingsWrite,
                UsersManage,
                WebhooksManage,
                StorefrontEdit,
                StorefrontPublish,
            ],
            Self::Admin => &[
                ProductsRead,
                ProductsWrite,
                OrdersRead,
                OrdersWrite,
                AnalyticsRead,
                WebhooksManage,
                StorefrontEdit,
                StorefrontPublish,
            ],
            Self::Editor => &[ProductsRead, ProductsWrite, OrdersRead, StorefrontEdit],
        }
    }
}

/// A granular permission carried in access tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Decode, Encode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Permission {
    /// Read products.
    #[serde(rename = "products.read")]
    ProductsRead,
    /// Create, change and delete products.
    #[serde(rename = "products.write")]
    ProductsWrite,
    /// Read orders.
    #[serde(rename = "orders.read")]
    OrdersRead,
    /// Change orders.
    #[serde(rename = "orders.write")]
    OrdersWrite,
    /// Read analytics.
    #[serde(rename = "analytics.read")]
    AnalyticsRead,
    /// Change store settings.
    #[serde(rename = "settings.write")]
    SettingsWrite,
    /// Invite and remove users.
    #[serde(rename = "users.manage")]
    UsersManage,
    /// Register partner webhook endpoints and read their delivery logs (admins too, so that an
    /// integration's secret key can manage its own endpoints).
    #[serde(rename = "webhooks.manage")]
    WebhooksManage,
    /// Read and save the storefront draft, upload its images, make preview links, read its
    /// versions.
    #[serde(rename = "storefront.edit")]
    StorefrontEdit,
    /// Publish the storefront (now or scheduled), roll it back, cancel a scheduled version.
    #[serde(rename = "storefront.publish")]
    StorefrontPublish,
}

/// `POST /api/v1/auth/login`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    /// Slug of the store the user belongs to.
    pub store: String,
    /// The user's email.
    pub email: String,
    /// The user's password.
    pub password: String,
}

/// `POST /api/v1/auth/refresh`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefreshRequest {
    /// A refresh token from a login or an earlier refresh; it is used up by this call.
    pub refresh_token: String,
}

/// Tokens answered by login and refresh.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenPair {
    /// JWT for `Authorization: Bearer …` on the admin API.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    /// Single-use token for `POST /api/v1/auth/refresh`.
    pub refresh_token: String,
    /// The store the tokens are for.
    pub store_id: Uuid,
    /// The user's role there.
    pub role: Role,
}

/// A store's settings, as the admin API shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoreSettings {
    /// The public profile.
    pub store: Store,
    /// Browser origins allowed to call the public API.
    pub allowed_origins: Vec<String>,
    /// How the store takes payments.
    pub payments: PaymentSettings,
}

/// Server health.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// `ok` when the server and its database answer.
    pub status: String,
    /// `sqlite` or `postgres`.
    pub database: String,
    /// Server version.
    pub version: String,
}

/// Sort orders of the product list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ProductSort {
    /// Newest first (the default).
    #[default]
    #[serde(rename = "newest")]
    Newest,
    /// By name, A to Z.
    #[serde(rename = "name")]
    Name,
    /// Cheapest first.
    #[serde(rename = "price")]
    Price,
    /// Most expensive first.
    #[serde(rename = "-price")]
    PriceDesc,
}

impl ProductSort {
    /// Every accepted value, as written in the query string.
    pub const VALUES: [&'static str; 4] = ["name", "price", "-price", "newest"];

    /// The value as written in the query string.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Newest => "newest",
            Self::Name => "name",
            Self::Price => "price",
            Self::PriceDesc => "-price",
        }
    }

    fn parse(value: &str) -> Option<Self> {
        match value {
            "newest" => Some(Self::Newest),
            "name" => Some(Self::Name),
            "price" => Some(Self::Price),
            "-price" => Some(Self::PriceDesc),
            _ => None,
        }
    }
}

/// Filters, search, sort and paging of `GET /api/v1/stores/{store}/products`.
///
/// The client serialises it with [`ProductListQuery::to_query_pairs`]; the server parses the
/// query string with [`ProductListQuery::from_query_pairs`], so both apply the same rules.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ProductListQuery {
    /// Page size, 1 to 100 (default 20).
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100, default = 20))]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub limit: Option<u32>,
    /// Number of products to skip (default 0).
    #[cfg_attr(feature = "openapi", param(minimum = 0, default = 0))]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub offset: Option<u64>,
    /// Only products of this category (slug or id).
    #[cfg_attr(feature = "openapi", param(max_length = 100))]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub category: Option<String>,
    /// Only featured (`true`) or only non-featured (`false`) products.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub featured: Option<bool>,
    /// Case-insensitive text search in name and description.
    #[cfg_attr(feature = "openapi", param(max_length = 200))]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub q: Option<String>,
    /// Sort order: `name`, `price`, `-price` or `newest` (default).
    #[cfg_attr(feature = "openapi", param(inline))]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub sort: Option<ProductSort>,
}

/// A BCP 47 tag of the shape Colmena formats for and translates into: `ll`, `ll-CC` or
/// `ll-NNN` (`es`, `es-ES`, `es-419`).
pub fn valid_locale(text: &str) -> bool {
    let mut parts = text.split('-');
    let Some(language) = parts.next() else {
        return false;
    };
    let region = parts.next();
    parts.next().is_none()
        && (2..=3).contains(&language.len())
        && language.bytes().all(|b| b.is_ascii_lowercase())
        && region.is_none_or(|r| {
            (r.len() == 2 && r.bytes().all(|b| b.is_ascii_uppercase()))
                || (r.len() == 3 && r.bytes().all(|b| b.is_ascii_digit()))
        })
}

/// What a refused locale is told.
pub const LOCALE_RULE: &str = "must be a language tag such as `es`, `es-ES` or `es-419`";

/// `?locale=` of the public product and category reads: the language of their content.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct LocaleQuery {
    /// Language of the content, e.g. `fr`; without it the `Accept-Language` header decides,
    /// and content without a translation is in the store's own language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
}

/// A query parameter the API refuses, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidParameter {
    /// Name of the parameter.
    pub parameter: String,
    /// The rejected value.
    pub value: String,
    /// Why it was refused.
    pub message: String,
}

impl ProductListQuery {
    /// Default page size.
    pub const DEFAULT_LIMIT: u32 = 20;
    /// Largest page size.
    pub const MAX_LIMIT: u32 = 100;
    /// Longest search text, in characters.
    pub const MAX_SEARCH_CHARS: usize = 200;
    /// Longest category identifier, in characters.
    pub const MAX_CATEGORY_CHARS: usize = 100;

    /// The page size to use, with the default applied.
    pub fn effective_limit(&self) -> u32 {
        self.limit.unwrap_or(Self::DEFAULT_LIMIT)
    }

    /// The query string pairs of this query, omitting unset members.
    pub fn to_query_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(limit) = self.limit {
            pairs.push(("limit", limit.to_string()));
        }
        if let Some(offset) = self.offset {
            pairs.push(("offset", offset.to_string()));
        }
        if let Some(category) = &self.category {
            pairs.push(("category", category.clone()));
        }
        if let Some(featured) = self.featured {
            pairs.push(("featured", featured.to_string()));
        }
        if let Some(q) = &self.q {
            pairs.push(("q", q.clone()));
        }
        if let Some(sort) = self.sort {
            pairs.push(("sort", sort.as_str().to_owned()));
        }
        pairs
    }

    /// Checks the query against the API's rules (the same ones the server enforces).
    pub fn validate(&self) -> Result<(), InvalidParameter> {
        let invalid = |parameter: &str, value: String, message: String| InvalidParameter {
            parameter: parameter.to_owned(),
            value,
            message,
        };
        if let Some(limit) = self.limit {
            if !(1..=Self::MAX_LIMIT).contains(&limit) {
                return Err(invalid(
                    "limit",
                    limit.to_string(),
                    format!("limit must be between 1 and {}", Self::MAX_LIMIT),
                ));
            }
        }
        if let Some(q) = &self.q {
            if q.chars().count() > Self::MAX_SEARCH_CHARS {
                return Err(invalid(
                    "q",
                    q.clone(),
                    format!("q must be at most {} characters", Self::MAX_SEARCH_CHARS),
                ));
            }
        }
        if let Some(category) = &self.category {
            if category.is_empty() || category.chars().count() > Self::MAX_CATEGORY_CHARS {
                return Err(invalid(
                    "category",
                    category.clone(),
                    format!(
                        "category must be 1 to {} characters",
                        Self::MAX_CATEGORY_CHARS
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Parses decoded query string pairs, refusing unknown parameters and bad values.
    pub fn from_query_pairs<K, V>(pairs: &[(K, V)]) -> Result<Self, InvalidParameter>
    where
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut query = Self::default();
        for (key, value) in pairs {
            let (key, value) = (key.as_ref(), value.as_ref());
            let invalid = |message: String| InvalidParameter {
                parameter: key.to_owned(),
                value: value.to_owned(),
                message,
            };
            match key {
                "limit" => {
                    let limit = value.parse::<u32>().map_err(|_| {
                        invalid(format!(
                            "limit must be an integer between 1 and {}",
                            Self::MAX_LIMIT
                        ))
                    })?;
                    query.limit = Some(limit);
                }
                "offset" => {
                    let offset = value
                        .parse::<u64>()
                        .ok()
                        .filter(|offset| i64::try_from(*offset).is_ok())
                        .ok_or_else(|| invalid("offset must be a non-negative integer".into()))?;
                    query.offset = Some(offset);
                }
                "category" => query.category = Some(value.to_owned()),
                "featured" => {
                    query.featured = Some(match value {
                        "true" | "1" => true,
                        "false" | "0" => false,
                        _ => return Err(invalid("featured must be true or false".into())),
                    })
                }
                "q" => query.q = Some(value.to_owned()),
                // The content language: read by the server with `LocaleQuery` (clients send
                // `Accept-Language` instead, see `Client::with_locale`).
                "locale" => {}
                "sort" => {
                    query.sort = Some(ProductSort::parse(value).ok_or_else(|| {
                        invalid(format!(
                            "sort must be one of {}",
                            ProductSort::VALUES.join(", ")
                        ))
                    })?)
                }
                _ => {
                    return Err(invalid(
                        "unknown parameter; accepted: limit, offset, category, featured, q, sort, locale"
                            .into(),
                    ))
                }
            }
        }
        query.validate()?;
        Ok(query)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_round_trips_through_pairs() {
        let query = ProductListQuery {
            limit: Some(5),
            offset: Some(10),
            category: Some("honey".into()),
            featured: Some(true),
            q: Some("wild flower".into()),
            sort: Some(ProductSort::PriceDesc),
        };
        let pairs = query.to_query_pairs();
        assert_eq!(ProductListQuery::from_query_pairs(&pairs), Ok(query));
    }

    #[test]
    fn bad_parameters_are_named() {
        for (key, value) in [
            ("limit", "0"),
            ("limit", "101"),
            ("limit", "ten"),
            ("offset", "-1"),
            ("featured", "yes"),
            ("sort", "cheapest"),
            ("colour", "red"),
        ] {
            let err = ProductListQuery::from_query_pairs(&[(key, value)]).unwrap_err();
            assert_eq!(err.parameter, key, "{value}");
        }
    }

    #[test]
    fn attributes_stay_json_text_until_parsed() {
        let attributes = Attributes::from_json(r#"{"weightGrams": 500}"#).unwrap();
        assert!(!attributes.is_empty());
        let map: std::collections::BTreeMap<String, u32> = attributes.parse().unwrap();
        assert_eq!(map["weightGrams"], 500);
        assert!(Attributes::default().is_empty());
        assert!(Attributes::from_json(" { } ").unwrap().is_empty());
        assert!(Attributes::from_json("[1]").is_err());
        let product: Product = serde_json::from_str(
            r#"{"id":"6f1c2a56-3b8e-4c1e-9f4e-0a4f6f2b7c11","slug":"a","name":"A","description":"",
                "price":{"amount":1,"currency":"EUR"},"featured":false,"images":[],"createdAt":"2025-01-01T00:00:00.000Z",
                "attributes":{"origin":"Spain"}}"#,
        )
        .unwrap();
        assert_eq!(product.attributes.json(), r#"{"origin":"Spain"}"#);
    }

    #[test]
    fn unknown_error_codes_do_not_break_decoding() {
        let code: ErrorCode = serde_json::from_str("\"SOMETHING_NEW\"").unwrap();
        assert_eq!(code, ErrorCode::Unknown);
        let code: ErrorCode = serde_json::from_str("\"STORE_NOT_FOUND\"").unwrap();
        assert_eq!(code.as_str(), "STORE_NOT_FOUND");
    }
}
