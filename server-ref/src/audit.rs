//! The audit log: every change to a store's data, who made it and what it changed, written
//! in the change's own transaction so that both commit or neither does.

use crate::db::Conn;
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use crate::auth::Actor;
use crate::db;
use crate::http::ApiError;

/// Who made a change.
#[derive(Debug, Clone, Copy)]
pub enum Author<'a> {
    /// A signed-in user or a secret API key.
    Credential(&'a Actor),
    /// The server itself, on behalf of `who` (checkout, a payment provider, the expiry of
    /// unpaid orders). Recorded as actor type `system` with the nil UUID.
    System(&'a str),
}

/// The kinds of record the audit log knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    /// The store's settings.
    Store,
    /// A product.
    Product,
    /// A product variant.
    Variant,
    /// A product image.
    Image,
    /// A product's digital file.
    ProductFile,
    /// A category.
    Category,
    /// A product type.
    ProductType,
    /// An order.
    Order,
    /// A store user.
    User,
    /// An API key.
    ApiKey,
    /// A webhook endpoint.
    Webhook,
    /// The storefront draft.
    StorefrontDraft,
    /// A published storefront version.
    StorefrontVersion,
    /// An uploaded storefront image.
    StorefrontAsset,
    /// A storefront preview token (never the token itself).
    StorefrontPreviewToken,
    /// The store's tax settings and rates.
    TaxSettings,
    /// A shipping zone with its rates.
    ShippingZone,
    /// A discount code or automatic rule.
    Discount,
    /// A price list (a sale, or a customer group's prices).
    PriceList,
    /// A customer group.
    CustomerGroup,
    /// A chat channel (WhatsApp, Twilio), its secrets never recorded.
    ChatChannel,
    /// A buyer's conversation (staff replies and hand-backs; message texts are not copied).
    Conversation,
}

impl Entity {
    /// The name the audit log records (`entity_type`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Store => "store",
            Self::Product => "product",
            Self::Variant => "variant",
            Self::Image => "image",
            Self::ProductFile => "product_file",
            Self::Category => "category",
            Self::ProductType => "product_type",
            Self::Order => "order",
            Self::User => "user",
            Self::ApiKey => "api_key",
            Self::Webhook => "webhook",
            Self::StorefrontDraft => "storefront_draft",
            Self::StorefrontVersion => "storefront_version",
            Self::StorefrontAsset => "storefront_asset",
            Self::StorefrontPreviewToken => "storefront_preview_token",
            Self::TaxSettings => "tax_settings",
            Self::ShippingZone => "shipping_zone",
            Self::Discount => "discount",
            Self::PriceList => "price_list",
            Self::CustomerGroup => "customer_group",
            Self::ChatChannel => "chat_channel",
            Self::Conversation => "conversation",
        }
    }

    /// Whether a change to this kind of record changes what the public catalog shows.
    pub fn shown_to_shoppers(self) -> bool {
        match self {
            Self::Store
            | Self::Product
            | Self::Variant
            | Self::Image
            | Self::ProductFile
            | Self::Category
            | Self::ProductType
            // Order changes can give stock back.
            | Self::Order
            // Sales change the prices shoppers see.
            | Self::PriceList
            | Self::StorefrontVersion => true,
            // Drafts are seen only through preview tokens, which are never cached.
            Self::User
            | Self::ApiKey
            | Self::Webhook
            | Self::StorefrontDraft
            | Self::StorefrontAsset
            | Self::StorefrontPreviewToken
            // Prices carts at read time; the catalog does not show them.
            | Self::TaxSettings
            | Self::ShippingZone
            | Self::Discount
            // Group prices are read with a customer session, never from the cache.
            | Self::CustomerGroup
            | Self::ChatChannel
            | Self::Conversation => false,
        }
    }
}

/// One audit log entry: what was done to which record, with its values before and after.
#[derive(Debug, Clone)]
pub struct Entry {
    /// `create`, `update`, `delete`, or a verb such as `refund`.
    pub action: &'static str,
    /// The kind of record.
    pub entity: Entity,
    /// Its id (or another stable key).
    pub entity_id: String,
    /// Values before the change (none for creations).
    pub old_values: Option<Value>,
    /// Values after the change (none for deletions).
    pub new_values: Option<Value>,
}

impl Entry {
    /// An entry for `action` on `entity`, with its values before and after as JSON.
    pub fn new<Old: Serialize + ?Sized, New: Serialize + ?Sized>(
        action: &'static str,
        entity: Entity,
        entity_id: impl ToString,
        old_values: Option<&Old>,
        new_values: Option<&New>,
    ) -> Result<Self, ApiError> {
        Ok(Self {
            action,
            entity,
            entity_id: entity_id.to_string(),
            old_values: old_values.map(to_json).transpose()?,
            new_values: new_values.map(to_json).transpose()?,
        })
    }
}

impl Entry {
    /// `entity` was created as `after`.
    pub fn created(
        entity: Entity,
        id: impl ToString,
        after: &(impl Serialize + ?Sized),
    ) -> Result<Self, ApiError> {
        Self::new("create", entity, id, None::<&()>, Some(after))
    }

    /// `entity` changed from `before` to `after`.
    pub fn updated(
        entity: Entity,
        id: impl ToString,
        before: &(impl Serialize + ?Sized),
        after: &(impl Serialize + ?Sized),
    ) -> Result<Self, ApiError> {
        Self::new("update", entity, id, Some(before), Some(after))
    }

    /// `entity`, which was `before`, was deleted.
    pub fn deleted(
        entity: Entity,
        id: impl ToString,
        before: &(impl Serialize + ?Sized),
    ) -> Result<Self, ApiError> {
        Self::new("delete", entity, id, Some(before), None::<&()>)
    }
}

fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<Value, ApiError> {
    serde_json::to_value(value)
        .map_err(|e| ApiError::internal(format!("cannot record an audit value: {e}")))
}

/// Writes `entry` on `conn`, which should be the change's own transaction.
pub async fn record(
    conn: &mut Conn,
    store_id: Uuid,
    author: Author<'_>,
    entry: &Entry,
) -> Result<(), ApiError> {
    let (kind, id, label) = match author {
        Author::Credential(actor) => (actor.kind.as_str(), actor.id, actor.label.as_str()),
        Author::System(who) => ("system", Uuid::nil(), who),
    };
    let text = |value: &Option<Value>| value.clone().map(db::JsonText::from);
    crate::db::query(
        "INSERT INTO audit_logs (id, store_id, actor_type, actor_id, actor_label, action, \
           entity_type, entity_id, old_values, new_values, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(Uuid::new_v4())
    .bind(store_id)
    .bind(kind)
    .bind(id)
    .bind(label)
    .bind(entry.action)
    .bind(entry.entity.as_str())
    .bind(&entry.entity_id)
    .bind(text(&entry.old_values))
    .bind(text(&entry.new_values))
    .bind(db::now())
    .execute(conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Entity::*;

    #[test]
    fn the_contract_lists_every_kind_of_record() {
        let kinds = [
            Store,
            Product,
            Variant,
            Image,
            ProductFile,
            Category,
            ProductType,
            Order,
            User,
            ApiKey,
            Webhook,
            StorefrontDraft,
            StorefrontVersion,
            StorefrontAsset,
            StorefrontPreviewToken,
            TaxSettings,
            ShippingZone,
            Discount,
            PriceList,
            CustomerGroup,
            ChatChannel,
            Conversation,
        ];
        let names: Vec<&str> = kinds.iter().map(|kind| kind.as_str()).collect();
        assert_eq!(names, colmena_sdk::contract::AUDIT_ENTITY_TYPES);
    }
}
