//! The admin API's own types: catalog editing, product types, orders, settings, users, API
//! keys, the audit log and analytics. Every route is under `/api/v1/admin/stores/{store}/…`.

use std::collections::BTreeMap;

use crate::json::{Decode, Encode};
use serde::{Deserialize, Deserializer, Serialize};
use uuid::Uuid;

use super::{Money, OptionValues, OrderStatus, PaymentStatus, Product, Role, Timestamp};

/// Longest product name.
pub const MAX_NAME_LENGTH: usize = 255;
/// Longest product description.
pub const MAX_DESCRIPTION_LENGTH: usize = 5000;
/// Most variants per product.
pub const MAX_VARIANTS: usize = 100;
/// Highest price in minor units (10^13): totals of 999 units stay far from overflow.
pub const MAX_PRICE_AMOUNT: i64 = 10_000_000_000_000;
/// Largest uploaded file (seed 004: 10 MB).
pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;
/// Image types accepted for product images (seed 004).
pub const IMAGE_TYPES: [&str; 3] = ["image/jpeg", "image/png", "image/webp"];
/// File types accepted for digital products (seed 004).
pub const DIGITAL_FILE_TYPES: [&str; 3] = ["application/pdf", "application/zip", "text/plain"];

/// `Some(None)` for an explicit `null`, `None` for an absent field: PATCH bodies tell
/// "clear this" from "leave it".
fn explicit_null<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// A product as the admin API shows it: the public view plus what only staff see.
///
/// On the wire it is one flat object. It is read through a JSON tree (see its `Deserialize`)
/// because serde's `flatten` cannot carry the raw-JSON [`Attributes`](super::Attributes).
#[derive(Debug, Clone, PartialEq, Serialize, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AdminProduct {
    /// The product as shoppers see it (when active).
    #[serde(flatten)]
    pub product: Product,
    /// Whether shoppers see it.
    pub active: bool,
    /// Whether it is sold without tax.
    #[serde(default)]
    pub tax_exempt: bool,
    /// Name of the downloadable file, for digital products with a file uploaded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digital_file_name: Option<String>,
    /// Time of the last change, RFC 3339 in UTC.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub updated_at: Timestamp,
}

/// An admin product's members that the public [`Product`] does not have.
#[derive(Deserialize, Decode)]
#[serde(rename_all = "camelCase")]
struct StaffFields {
    active: bool,
    #[serde(default)]
    tax_exempt: bool,
    #[serde(default)]
    digital_file_name: Option<String>,
    updated_at: Timestamp,
}

impl AdminProduct {
    fn from_parts(product: Product, staff: StaffFields) -> Self {
        Self {
            product,
            active: staff.active,
            tax_exempt: staff.tax_exempt,
            digital_file_name: staff.digital_file_name,
            updated_at: staff.updated_at,
        }
    }
}

impl<'de> Deserialize<'de> for AdminProduct {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let object = serde_json::Value::deserialize(deserializer)?;
        let staff = StaffFields::deserialize(&object).map_err(serde::de::Error::custom)?;
        let product = Product::deserialize(object).map_err(serde::de::Error::custom)?;
        Ok(Self::from_parts(product, staff))
    }
}

/// The same flat object read twice: once as the public [`Product`] (which skips the staff
/// members), once for the staff members.
impl Decode for AdminProduct {
    fn decode(json: &mut crate::json::Reader<'_>) -> Result<Self, crate::json::DecodeError> {
        let text = json.raw()?;
        let staff = crate::json::decode_str(text).map_err(|e| json.invalid(e))?;
        let product = crate::json::decode_str(text).map_err(|e| json.invalid(e))?;
        Ok(Self::from_parts(product, staff))
    }
}

/// One variant in a product creation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VariantInput {
    /// SKU, unique in the store; derived from the product slug and options when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    /// Display title; derived from the option values when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// A value for each of the product's options.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, String>))]
    pub options: OptionValues,
    /// Price, in the store's currency.
    pub price: Money,
    /// Former price, shown struck through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compare_at_price: Option<Money>,
    /// Units in stock; absent to not track stock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inventory: Option<u32>,
    /// Weight of one unit in grams (for weight-based shipping rates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight_grams: Option<u32>,
}

/// Changes to a variant; absent fields stay as they are, `null` clears a clearable field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VariantPatch {
    /// New SKU.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    /// New title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// New option values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<BTreeMap<String, String>>))]
    pub options: Option<OptionValues>,
    /// New price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<Money>,
    /// New former price; `null` ends the sale.
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Money>))]
    pub compare_at_price: Option<Option<Money>>,
    /// Units in stock now; `null` stops tracking stock.
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u32>))]
    pub inventory: Option<Option<u32>>,
    /// New weight in grams; `null` removes it.
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u32>))]
    pub weight_grams: Option<Option<u32>>,
}

/// `POST …/products`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductInput {
    /// Display name, 1 to 255 characters.
    pub name: String,
    /// URL identifier; derived from the name when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    /// Plain-text description, up to 5000 characters.
    #[serde(default)]
    pub description: String,
    /// Category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category_id: Option<Uuid>,
    /// Product type whose JSON schema `attributes` must satisfy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_type_id: Option<Uuid>,
    /// Custom attributes, checked against the product type's schema.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub attributes: BTreeMap<String, serde_json::Value>,
    /// Featured in the storefront.
    #[serde(default)]
    pub featured: bool,
    /// Visible to shoppers (default true).
    #[serde(default = "yes")]
    pub active: bool,
    /// Sold without tax (e.g. books or food where the law says so).
    #[serde(default)]
    pub tax_exempt: bool,
    /// Names of the options the variants differ by (at most 3).
    #[serde(default)]
    pub options: Vec<String>,
    /// The variants, 1 to 100.
    pub variants: Vec<VariantInput>,
}

fn yes() -> bool {
    true
}

/// `PATCH …/products/{productId}`; absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductPatch {
    /// New name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// New slug.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    /// New description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// New category; `null` removes it from its category.
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Uuid>))]
    pub category_id: Option<Option<Uuid>>,
    /// New product type; `null` removes the type.
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Uuid>))]
    pub product_type_id: Option<Option<Uuid>>,
    /// New custom attributes (replacing the old ones).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub attributes: Option<BTreeMap<String, serde_json::Value>>,
    /// Featured or not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub featured: Option<bool>,
    /// Visible to shoppers or not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// Sold without tax or not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_exempt: Option<bool>,
    /// New option names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<String>>,
}

/// `POST …/categories`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryInput {
    /// Display name.
    pub name: String,
    /// URL identifier; derived from the name when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    /// Parent category, for nesting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<Uuid>,
    /// Display order among its siblings.
    #[serde(default)]
    pub position: i32,
}

/// `PATCH …/categories/{categoryId}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryPatch {
    /// New name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// New slug.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    /// New parent; `null` makes it a top-level category.
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Uuid>))]
    pub parent_id: Option<Option<Uuid>>,
    /// New position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<i32>,
}

/// A product type (seed 003): a name and the JSON schema its products' attributes follow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductType {
    /// Id.
    pub id: Uuid,
    /// URL identifier, unique in the store.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// JSON Schema (draft 2020-12 unless `$schema` says otherwise) of the attributes.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub schema: serde_json::Value,
    /// Number of products of this type.
    pub product_count: u64,
}

/// `POST …/product-types`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductTypeInput {
    /// Display name.
    pub name: String,
    /// URL identifier; derived from the name when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    /// JSON Schema of the attributes; must describe an object.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub schema: serde_json::Value,
}

/// `PATCH …/product-types/{typeId}`. A new schema must accept every existing product's
/// attributes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductTypePatch {
    /// New name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// New schema.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub schema: Option<serde_json::Value>,
}

/// A product's content in one language: what shoppers asking for that language see instead of
/// the product's own name, description and option names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ProductTranslation {
    /// The language, e.g. `fr` or `pt-BR`.
    pub locale: String,
    /// The name in that language.
    pub name: String,
    /// The description in that language; absent: the product's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The option names (in the product's order), e.g. `["Taille"]`; absent: the product's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub option_names: Option<Vec<String>>,
}

/// `PUT …/products/{productId}/translations/{locale}`: a product's content in one language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductTranslationInput {
    /// The name in that language (1 to 255 characters).
    pub name: String,
    /// The description in that language; absent: the product's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The option names, one per option of the product, in its order; absent: the product's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub option_names: Option<Vec<String>>,
}

/// A category's name in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CategoryTranslation {
    /// The language, e.g. `fr`.
    pub locale: String,
    /// The name in that language.
    pub name: String,
}

/// `PUT …/categories/{categoryId}/translations/{locale}`: a category's name in one language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryTranslationInput {
    /// The name in that language (1 to 255 characters).
    pub name: String,
}

/// Filters of `GET …/orders`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct OrderListQuery {
    /// Only orders in this status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<OrderStatus>,
    /// Created at or after this time (RFC 3339 or `YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Created before this time (RFC 3339 or `YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Only this customer's orders (case-insensitive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Orders to skip.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
}

/// `POST …/orders/{orderId}/status`: fulfil or cancel an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderStatusChange {
    /// The new status: `fulfilled` or `cancelled` (payments settle `paid`; refunds have their
    /// own route).
    pub status: OrderStatus,
}

/// `PATCH /api/v1/admin/stores/{store}`; absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SettingsPatch {
    /// New display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// New ISO 4217 currency; only while the store has no products.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// New BCP 47 locale, e.g. `pt-BR`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// Browser origins allowed to call the public API (replacing the list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_origins: Option<Vec<String>>,
    /// New colours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branding: Option<BrandingPatch>,
    /// New payment provider: `test` or `stripe` (which needs a Stripe account).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_provider: Option<String>,
    /// The store's Stripe Connect account id (`acct_…`); `null` removes it.
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub stripe_account_id: Option<Option<String>>,
}

/// New store colours.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BrandingPatch {
    /// Main colour, `#rrggbb`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_color: Option<String>,
    /// Secondary colour, `#rrggbb`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accent_color: Option<String>,
}

/// A user of a store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoreUser {
    /// Id.
    pub id: Uuid,
    /// Email.
    pub email: String,
    /// Role.
    pub role: Role,
    /// False until the user accepted the invitation and chose a password.
    pub active: bool,
    /// Creation time, RFC 3339 in UTC.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub created_at: Timestamp,
}

/// `POST …/users`: invite someone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteRequest {
    /// The invitee's email.
    pub email: String,
    /// The role they get.
    pub role: Role,
}

/// The answer to an invitation: the user, and the token they accept it with (shown once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invitation {
    /// The invited user (inactive).
    pub user: StoreUser,
    /// Secret for `POST /api/v1/auth/accept-invite`; valid 7 days, stored only hashed.
    pub invitation_token: String,
    /// When the token stops working, RFC 3339 in UTC.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub expires_at: Timestamp,
}

/// `PATCH …/users/{userId}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserPatch {
    /// The new role.
    pub role: Role,
}

/// `POST /api/v1/auth/accept-invite`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AcceptInviteRequest {
    /// The invitation token.
    pub token: String,
    /// The password to set: 8+ characters with an upper-case letter, a digit and a symbol.
    pub password: String,
}

/// `POST /api/v1/auth/password-reset`: asks for a link to choose a new password. The answer is
/// the same whether or not the email belongs to a user, so it reveals no accounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordResetRequest {
    /// The store's slug.
    pub store: String,
    /// The user's email.
    pub email: String,
}

/// `POST /api/v1/auth/password-reset/confirm`: sets a new password with the token from the
/// emailed link, ending every earlier session of the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordResetConfirm {
    /// The token from the link (valid one hour, single use).
    pub token: String,
    /// The new password: 8+ characters with an upper-case letter, a digit and a symbol.
    pub password: String,
}

/// `POST /api/v1/admin/stores/{store}/account/password`: the signed-in user changes their own
/// password. Their other sessions end; the answer carries the tokens of a new one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordChange {
    /// The password in use now.
    pub current_password: String,
    /// The new password: 8+ characters with an upper-case letter, a digit and a symbol.
    pub new_password: String,
}

/// What an API key is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ApiKeyKind {
    /// `pk_…`: identifies the store on the public API; safe to embed in web pages.
    Publishable,
    /// `sk_…`: server-to-server admin access to one store; keep it secret.
    Secret,
}

impl ApiKeyKind {
    /// The key's prefix, `pk_` or `sk_`.
    pub fn prefix(self) -> &'static str {
        match self {
            Self::Publishable => "pk_",
            Self::Secret => "sk_",
        }
    }

    /// The kind as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Publishable => "publishable",
            Self::Secret => "secret",
        }
    }

    /// Parses a stored kind.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "publishable" => Some(Self::Publishable),
            "secret" => Some(Self::Secret),
            _ => None,
        }
    }
}

/// An API key, without its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiKey {
    /// Id.
    pub id: Uuid,
    /// Publishable or secret.
    pub kind: ApiKeyKind,
    /// A label, e.g. `warehouse sync`.
    pub name: String,
    /// The first characters of the key, to recognise it.
    pub prefix: String,
    /// The role a secret key acts with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// Creation time, RFC 3339 in UTC.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub created_at: Timestamp,
    /// Last use, RFC 3339 in UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used_at: Option<String>,
}

/// `POST …/api-keys`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiKeyRequest {
    /// Publishable or secret.
    pub kind: ApiKeyKind,
    /// A label.
    pub name: String,
    /// Role of a secret key (default `admin`; `owner` is not allowed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
}

/// A new API key with its secret, shown only in this answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedApiKey {
    /// The key's description.
    pub key: ApiKey,
    /// The whole key (`pk_…` or `sk_…`). It is stored only hashed: copy it now.
    pub secret: String,
}

/// Who made an admin change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AuditActor {
    /// `user` or `api_key`; `system` for the server's own changes (checkout, payment
    /// providers, the expiry of unpaid orders), whose id is the nil UUID.
    #[serde(rename = "type")]
    pub kind: String,
    /// The user's or key's id.
    pub id: Uuid,
    /// The user's email or the key's name, at the time.
    pub label: String,
}

/// Every kind of record the audit log names (`entityType`), for filters.
pub const AUDIT_ENTITY_TYPES: [&str; 22] = [
    "store",
    "product",
    "variant",
    "image",
    "product_file",
    "category",
    "product_type",
    "order",
    "user",
    "api_key",
    "webhook",
    "storefront_draft",
    "storefront_version",
    "storefront_asset",
    "storefront_preview_token",
    "tax_settings",
    "shipping_zone",
    "discount",
    "price_list",
    "customer_group",
    "chat_channel",
    "conversation",
];

/// One admin write, as the audit log recorded it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// Id.
    pub id: Uuid,
    /// Who.
    pub actor: AuditActor,
    /// What: `create`, `update`, `delete`, or a verb such as `refund`.
    pub action: String,
    /// Kind of entity, e.g. `product`.
    pub entity_type: String,
    /// Its id.
    pub entity_id: String,
    /// Values before the change (absent for creations).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub old_values: Option<serde_json::Value>,
    /// Values after the change (absent for deletions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub new_values: Option<serde_json::Value>,
    /// When, RFC 3339 in UTC.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub created_at: Timestamp,
}

/// Sales over a date range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AnalyticsSummary {
    /// Start of the range (inclusive), RFC 3339.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub from: Timestamp,
    /// End of the range (exclusive), RFC 3339.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub to: Timestamp,
    /// Orders created in the range, whatever their status.
    pub orders: u64,
    /// Of those, the ones paid (paid or fulfilled; refunds excluded).
    pub paid_orders: u64,
    /// Money taken by the paid orders.
    pub revenue: Money,
    /// `revenue / paid_orders`, rounded down; zero without paid orders.
    pub average_order_value: Money,
    /// Best sellers by units, at most 5.
    pub top_products: Vec<TopProduct>,
    /// Digital downloads in the range.
    pub downloads: u64,
}

/// A best seller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TopProduct {
    /// The product.
    pub product_id: Uuid,
    /// Its name at the time of the last sale.
    pub name: String,
    /// Units sold.
    pub units: u64,
    /// Money taken for it.
    pub revenue: Money,
}

/// Range of `GET …/analytics` (default: the last 30 days).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct AnalyticsQuery {
    /// Start (RFC 3339 or `YYYY-MM-DD`), inclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// End (RFC 3339 or `YYYY-MM-DD`), exclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

/// Filters of `GET …/audit-log`, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct AuditQuery {
    /// Only entries about this kind of entity, e.g. `product`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_type: Option<String>,
    /// Only entries about this entity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_id: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Entries to skip.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
}

/// Paging of admin lists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct PageQuery {
    /// Page size, 1 to 100 (default 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Items to skip.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
}

/// One step of an order's history (`GET …/orders/{orderId}/events`), oldest first, as the audit
/// log recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OrderEvent {
    /// The audit log entry's id.
    pub id: Uuid,
    /// `create` (checkout placed the order), `update_status` (a payment or its expiry),
    /// `status` (staff fulfilled or cancelled it) or `refund`.
    pub action: String,
    /// The status before; absent when the order was placed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_status: Option<OrderStatus>,
    /// The status after.
    pub status: OrderStatus,
    /// The payment's status after, when the step changed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_status: Option<PaymentStatus>,
    /// Who made the change.
    pub actor: AuditActor,
    /// When, RFC 3339 in UTC.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub created_at: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patches_tell_null_from_absent() {
        let patch: ProductPatch = serde_json::from_str(r#"{"categoryId": null}"#).unwrap();
        assert_eq!(patch.category_id, Some(None));
        let patch: ProductPatch = serde_json::from_str(r#"{"name": "x"}"#).unwrap();
        assert_eq!(patch.category_id, None);
        let patch: VariantPatch = serde_json::from_str(r#"{"inventory": 4}"#).unwrap();
        assert_eq!(patch.inventory, Some(Some(4)));
        assert!(serde_json::from_str::<VariantPatch>(r#"{"stock": 4}"#).is_err());
    }

    #[test]
    fn admin_products_flatten_the_public_view() {
        let json = serde_json::json!({
            "id": "6f1c2a56-3b8e-4c1e-9f4e-0a4f6f2b7c11", "slug": "a", "name": "A",
            "description": "", "price": {"amount": 1, "currency": "EUR"}, "featured": false,
            "images": [], "createdAt": "2025-01-01T00:00:00.000Z", "active": false,
            "updatedAt": "2025-01-02T00:00:00.000Z"
        });
        let product: AdminProduct = serde_json::from_value(json).unwrap();
        assert!(!product.active);
        assert_eq!(product.product.slug, "a");
    }
}
