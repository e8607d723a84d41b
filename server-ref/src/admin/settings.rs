//! The store's settings (admin): name, currency, locale, branding, allowed origins and
//! payment provider.

use axum::extract::State;
use axum::Json;
use colmena_sdk::contract::{
    is_hex_colour, valid_locale, ApiResponse, NoData, PaymentSettings, Permission, SettingsPatch,
    Store, StoreSettings, LOCALE_RULE,
};

use crate::admin::AdminContext;
use crate::audit::{Entity, Entry};
use crate::http::{ok, ApiError, JsonBody};
use crate::AppState;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The settings routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_settings, patch_settings))
}

async fn settings_of(state: &AppState, store: Store) -> Result<StoreSettings, ApiError> {
    let allowed_origins = crate::stores::allowed_origins(&state.db, store.id).await?;
    let row =
        crate::db::query("SELECT payment_provider, stripe_account_id FROM stores WHERE id = $1")
            .bind(store.id)
            .fetch_one(&state.db.pool)
            .await?;
    Ok(StoreSettings {
        store,
        allowed_origins,
        payments: PaymentSettings {
            provider: row.try_get("payment_provider")?,
            stripe_account_id: row.try_get("stripe_account_id")?,
        },
    })
}

/// The payment settings after `patch`: a provider this server offers, and Stripe only with a
/// Connect account id.
fn patched_payments(
    state: &AppState,
    before: &PaymentSettings,
    patch: &SettingsPatch,
) -> Result<PaymentSettings, ApiError> {
    let mut after = before.clone();
    if let Some(provider) = &patch.payment_provider {
        if state.providers.get(provider).is_none() {
            return Err(ApiError::invalid_field(
                "paymentProvider",
                "is not a provider this server offers (test, or stripe when configured)",
            ));
        }
        after.provider = provider.clone();
    }
    if let Some(account) = &patch.stripe_account_id {
        if let Some(account) = account {
            let valid = account.strip_prefix("acct_").is_some_and(|rest| {
                !rest.is_empty()
                    && rest.len() <= 64
                    && rest.bytes().all(|b| b.is_ascii_alphanumeric())
            });
            if !valid {
                return Err(ApiError::invalid_field(
                    "stripeAccountId",
                    "must look like acct_1A2b3C",
                ));
            }
        }
        after.stripe_account_id = account.clone();
    }
    if after.provider == crate::payments::stripe::STRIPE_PROVIDER
        && after.stripe_account_id.is_none()
    {
        return Err(ApiError::invalid_field(
            "stripeAccountId",
            "is required to take payments with Stripe",
        ));
    }
    Ok(after)
}

/// The store's settings, for any user of that store.
#[utoipa::path(get, path = "/api/v1/admin/stores/{store}", tag = "admin",
    params(("store" = String, Path, description = "Store slug")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "Settings", body = ApiResponse<StoreSettings>),
        (status = 401, description = "`UNAUTHORIZED`: no, invalid or expired credential", body = ApiResponse<NoData>),
        (status = 403, description = "`FORBIDDEN`: the credential is for another store", body = ApiResponse<NoData>),
        (status = 404, description = "`STORE_NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn get_settings(
    State(state): State<AppState>,
    ctx: AdminContext,
) -> Result<Json<ApiResponse<StoreSettings>>, ApiError> {
    Ok(ok(settings_of(&state, ctx.store).await?))
}

/// An origin as browsers send it: `scheme://host[:port]`, nothing more.
fn normalised_origin(text: &str) -> Option<String> {
    let url = url::Url::parse(text).ok()?;
    let origin = url.origin().ascii_serialization();
    (matches!(url.scheme(), "http" | "https") && origin == text.trim_end_matches('/'))
        .then_some(origin)
}

/// Changes the store's name, currency, locale, allowed origins or colours.
#[utoipa::path(patch, path = "/api/v1/admin/stores/{store}", tag = "admin",
    params(("store" = String, Path, description = "Store slug")),
    request_body = SettingsPatch,
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The new settings", body = ApiResponse<StoreSettings>),
        (status = 400, description = "`VALIDATION_ERROR`: unknown currency, bad locale, origin or colour", body = ApiResponse<NoData>),
        (status = 401, description = "`UNAUTHORIZED`", body = ApiResponse<NoData>),
        (status = 403, description = "`FORBIDDEN`: another store, or a role without `settings.write`", body = ApiResponse<NoData>),
        (status = 409, description = "`CONFLICT`: the currency cannot change once the store has products", body = ApiResponse<NoData>),
    ))]
pub async fn patch_settings(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(patch): JsonBody<SettingsPatch>,
) -> Result<Json<ApiResponse<StoreSettings>>, ApiError> {
    ctx.require(Permission::SettingsWrite)?;
    let before = settings_of(&state, ctx.store.clone()).await?;
    let mut store = ctx.store.clone();
    if let Some(name) = &patch.name {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(ApiError::invalid_field(
                "name",
                "must be 1 to 100 characters",
            ));
        }
        store.name = name.to_owned();
    }
    if let Some(currency) = &patch.currency {
        if iso_currency::Currency::from_code(currency).is_none() {
            return Err(ApiError::invalid_field(
                "currency",
                "is not an ISO 4217 currency code",
            ));
        }
        store.currency = currency.clone();
    }
    if let Some(locale) = &patch.locale {
        if !valid_locale(locale) {
            return Err(ApiError::invalid_field("locale", LOCALE_RULE));
        }
        store.locale = locale.clone();
    }
    if let Some(branding) = &patch.branding {
        for (field, colour, target) in [
            (
                "branding.primaryColor",
                &branding.primary_color,
                &mut store.branding.primary_color,
            ),
            (
                "branding.accentColor",
                &branding.accent_color,
                &mut store.branding.accent_color,
            ),
        ] {
            if let Some(colour) = colour {
                if !is_hex_colour(colour) {
                    return Err(ApiError::invalid_field(field, "must be #rrggbb"));
                }
                *target = colour.to_ascii_lowercase();
            }
        }
    }
    let origins = match &patch.allowed_origins {
        Some(origins) => {
            let mut normalised = Vec::with_capacity(origins.len());
            for origin in origins {
                normalised.push(normalised_origin(origin).ok_or_else(|| {
                    ApiError::invalid_field(
                        "allowedOrigins",
                        "entries must be origins like https://shop.example",
                    )
                })?);
            }
            normalised.sort();
            normalised.dedup();
            Some(normalised)
        }
        None => None,
    };

    let payments = patched_payments(&state, &before.payments, &patch)?;
    let mut tx = state.db.begin_write().await?;
    crate::db::query(
        "UPDATE stores SET name = $1, currency = $2, locale = $3, primary_color = $4, \
           accent_color = $5, payment_provider = $7, stripe_account_id = $8 WHERE id = $6",
    )
    .bind(&store.name)
    .bind(&store.currency)
    .bind(&store.locale)
    .bind(&store.branding.primary_color)
    .bind(&store.branding.accent_color)
    .bind(store.id)
    .bind(&payments.provider)
    .bind(payments.stripe_account_id.as_deref())
    .execute(&mut *tx)
    .await?;
    if store.currency != before.store.currency {
        let products: i64 =
            crate::db::query("SELECT COUNT(*) AS n FROM products WHERE store_id = $1")
                .bind(store.id)
                .fetch_one(&mut *tx)
                .await?
                .try_get("n")?;
        if products > 0 {
            return Err(ApiError::conflict(
                "the currency cannot change while the store has products priced in it",
                &before.store.currency,
            ));
        }
    }
    if let Some(origins) = &origins {
        crate::db::query("DELETE FROM store_allowed_origins WHERE store_id = $1")
            .bind(store.id)
            .execute(&mut *tx)
            .await?;
        for origin in origins {
            crate::db::query(
                "INSERT INTO store_allowed_origins (store_id, origin) VALUES ($1, $2)",
            )
            .bind(store.id)
            .bind(origin)
            .execute(&mut *tx)
            .await?;
        }
    }
    let after = StoreSettings {
        allowed_origins: origins.unwrap_or_else(|| before.allowed_origins.clone()),
        store,
        payments,
    };
    ctx.commit(
        tx,
        Entry::updated(Entity::Store, after.store.id, &before, &after)?,
    )
    .await?;
    Ok(ok(after))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_values_are_checked() {
        assert!(is_hex_colour("#B45309"));
        assert!(!is_hex_colour("b45309"));
        assert!(!is_hex_colour("#b4530"));
        for good in ["en", "fr-SN", "es-419", "sw-KE"] {
            assert!(valid_locale(good), "{good}");
        }
        for bad in ["", "EN", "fr_SN", "fr-sn", "english", "fr-SN-x"] {
            assert!(!valid_locale(bad), "{bad}");
        }
        assert_eq!(
            normalised_origin("https://shop.example:8443").as_deref(),
            Some("https://shop.example:8443")
        );
        assert_eq!(
            normalised_origin("https://shop.example/").as_deref(),
            Some("https://shop.example")
        );
        for bad in [
            "shop.example",
            "https://shop.example/path",
            "ftp://x.io",
            "*",
        ] {
            assert!(normalised_origin(bad).is_none(), "{bad}");
        }
    }
}
