//! Price lists (seed 003): sales that start and end at set times, and prices for groups of
//! customers (wholesale, members). A variant's price for a buyer is the lowest of its own
//! price and the prices of the lists in force for that buyer.

use crate::json::{Decode, Encode};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::pricing::in_force;
use super::{Money, Timestamp};

/// Most members of one customer group.
pub const MAX_GROUP_MEMBERS: usize = 1_000;
/// Most variant prices in one price list.
pub const MAX_LIST_PRICES: usize = 1_000;

/// How a price list's prices are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum PriceListKind {
    /// A sale: the regular price is shown struck through (`compareAtPrice`).
    Sale,
    /// Prices of their own (a wholesale list): they replace the regular price.
    Override,
}

impl PriceListKind {
    /// The kind as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sale => "sale",
            Self::Override => "override",
        }
    }

    /// The kind from its stored name.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "sale" => Some(Self::Sale),
            "override" => Some(Self::Override),
            _ => None,
        }
    }
}

/// One variant's price in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct VariantPrice {
    /// The variant.
    pub variant_id: Uuid,
    /// Its price in this list, in the store's currency.
    pub price: Money,
}

/// `POST`/`PUT …/price-lists`: a price list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PriceListInput {
    /// Its name, for staff (e.g. "Summer sale", "Wholesale").
    pub name: String,
    /// A sale, or prices of their own.
    pub kind: PriceListKind,
    /// Only buyers of this customer group (signed in with an access link); absent for every
    /// shopper.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub customer_group_id: Option<Uuid>,
    /// In force from this time (RFC 3339); absent: from now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub starts_at: Option<Timestamp>,
    /// In force until this time (RFC 3339); absent: until it is switched off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub ends_at: Option<Timestamp>,
    /// Whether it is switched on (default true).
    #[serde(default = "in_force")]
    #[cfg_attr(feature = "uniffi", uniffi(default = true))]
    pub active: bool,
    /// The variants it prices, each at most once.
    pub prices: Vec<VariantPrice>,
}

/// A price list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PriceList {
    /// Price list id.
    pub id: Uuid,
    /// The list, as last written.
    pub list: PriceListInput,
    /// Whether its prices apply now: switched on and within its window.
    pub in_force: bool,
    /// Time of the last change, RFC 3339 in UTC.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub updated_at: Timestamp,
}

/// `POST`/`PUT …/customer-groups`: a group of buyers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CustomerGroupInput {
    /// Its name, unique in the store (e.g. "Wholesale").
    pub name: String,
    /// Its members' emails (matched without regard to case).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub emails: Vec<String>,
}

/// A group of buyers, for price lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CustomerGroup {
    /// Group id.
    pub id: Uuid,
    /// Its name.
    pub name: String,
    /// Its members' emails, lower case, sorted.
    pub emails: Vec<String>,
    /// Time of the last change, RFC 3339 in UTC.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub updated_at: Timestamp,
}
