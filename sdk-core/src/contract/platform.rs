//! The platform operator's API (`/api/v1/platform/stores`): opening, listing, suspending and
//! reactivating stores (seed 003's tenants). It is authenticated by the platform key given to the
//! server at start-up, not by a store's credentials.

use crate::json::{Decode, Encode};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Invitation, Timestamp};

/// Whether a store sells.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, Decode, Encode,
)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum StoreStatus {
    /// Open: its public API answers.
    #[default]
    Active,
    /// Closed by the platform operator: its public API answers 403 `STORE_SUSPENDED`; its staff
    /// can still sign in and read their data.
    Suspended,
}

impl StoreStatus {
    /// The status as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Suspended => "suspended",
        }
    }

    /// The status named `value`, if it is one.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "active" => Some(Self::Active),
            "suspended" => Some(Self::Suspended),
            _ => None,
        }
    }
}

/// A store's plan (seed 003).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, Decode, Encode,
)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum StorePlan {
    /// The default.
    #[default]
    Free,
    /// Basic.
    Basic,
    /// Pro.
    Pro,
    /// Enterprise.
    Enterprise,
}

impl StorePlan {
    /// The plan as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Free => "free",
            Self::Basic => "basic",
            Self::Pro => "pro",
            Self::Enterprise => "enterprise",
        }
    }

    /// The plan named `value`, if it is one.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "free" => Some(Self::Free),
            "basic" => Some(Self::Basic),
            "pro" => Some(Self::Pro),
            "enterprise" => Some(Self::Enterprise),
            _ => None,
        }
    }
}

/// A store as the platform operator sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlatformStore {
    /// Id.
    pub id: Uuid,
    /// URL identifier, e.g. `honey-co`.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// ISO 4217 currency of its prices.
    pub currency: String,
    /// Default locale (BCP 47).
    pub locale: String,
    /// Whether it sells.
    pub status: StoreStatus,
    /// Its plan.
    pub plan: StorePlan,
    /// Creation time, RFC 3339 in UTC.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub created_at: Timestamp,
}

/// `POST /api/v1/platform/stores`: open a store with its first owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateStoreRequest {
    /// URL identifier: 2 to 63 lower-case letters, digits and single hyphens, not a reserved word
    /// (`admin`, `api`, `platform`…).
    pub slug: String,
    /// Display name, 1 to 255 characters.
    pub name: String,
    /// ISO 4217 currency, e.g. `EUR`.
    pub currency: String,
    /// Default locale (BCP 47), e.g. `es-ES`.
    pub locale: String,
    /// The first owner's email; they get an invitation to choose a password.
    pub owner_email: String,
    /// The plan (default `free`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<StorePlan>,
}

/// The answer to opening a store: the store, and its owner's invitation (the token is shown
/// once; the owner accepts it at `POST /api/v1/auth/accept-invite` with a password).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedStore {
    /// The new store.
    pub store: PlatformStore,
    /// The owner's invitation.
    pub owner_invitation: Invitation,
}

/// Filters of `GET /api/v1/platform/stores`, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct PlatformStoreQuery {
    /// Only stores in this status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<StoreStatus>,
    /// Page size, 1 to 100 (default 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Stores to skip.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
}

/// Words a store slug may not be: they name the server's own paths, or would mislead buyers.
pub const RESERVED_STORE_SLUGS: &[&str] = &[
    "admin",
    "api",
    "app",
    "assets",
    "auth",
    "billing",
    "checkout",
    "colmena",
    "console",
    "dashboard",
    "docs",
    "help",
    "login",
    "logout",
    "media",
    "platform",
    "root",
    "settings",
    "signup",
    "static",
    "status",
    "store",
    "stores",
    "support",
    "system",
    "widget",
    "www",
];

/// Why a store slug is refused, or `None` when it is a good one.
pub fn store_slug_problem(slug: &str) -> Option<&'static str> {
    let well_formed = (2..=63).contains(&slug.len())
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--")
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !well_formed {
        Some("must be 2 to 63 lower-case letters, digits and single hyphens inside")
    } else if RESERVED_STORE_SLUGS.contains(&slug) {
        Some("is reserved")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_slugs_are_checked() {
        assert_eq!(store_slug_problem("honey-co"), None);
        assert_eq!(store_slug_problem("b2"), None);
        assert_eq!(store_slug_problem("admin"), Some("is reserved"));
        for bad in [
            "a",
            "-x",
            "x-",
            "a--b",
            "Caps",
            "with space",
            "ñu",
            &"x".repeat(64),
        ] {
            assert!(store_slug_problem(bad).is_some(), "{bad}");
        }
    }
}
