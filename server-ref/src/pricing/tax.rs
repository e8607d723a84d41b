//! A store's tax settings and the rate at a destination.

use crate::db::Conn;
use colmena_sdk::contract::{TaxRate, TaxRounding, TaxSettings, MAX_TAX_RATE};
use colmena_sdk::pricing::TaxRule;
use uuid::Uuid;

use super::addresses::address_format;
use crate::http::ApiError;

fn rounding_text(rounding: TaxRounding) -> &'static str {
    match rounding {
        TaxRounding::PerLine => "per_line",
        TaxRounding::PerOrder => "per_order",
    }
}

/// The store's tax settings.
pub async fn load(conn: &mut Conn, store_id: Uuid) -> Result<TaxSettings, ApiError> {
    let store = crate::db::query(
        "SELECT prices_include_tax, tax_rounding, shipping_taxable FROM stores WHERE id = $1",
    )
    .bind(store_id)
    .fetch_one(&mut *conn)
    .await?;
    let rounding = match store.try_get::<String, _>("tax_rounding")?.as_str() {
        "per_line" => TaxRounding::PerLine,
        "per_order" => TaxRounding::PerOrder,
        other => {
            return Err(ApiError::internal(format!(
                "unknown tax rounding {other:?}"
            )))
        }
    };
    let rates = crate::db::query(
        "SELECT country, region, rate, name FROM tax_rates WHERE store_id = $1 \
         ORDER BY country, region",
    )
    .bind(store_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|row| {
        let region: String = row.try_get("region")?;
        Ok(TaxRate {
            country: row.try_get("country")?,
            region: (!region.is_empty()).then_some(region),
            rate: crate::db::count_column(row, "rate")?,
            name: row.try_get("name")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(TaxSettings {
        prices_include_tax: store.try_get("prices_include_tax")?,
        rounding,
        shipping_taxable: store.try_get("shipping_taxable")?,
        rates,
    })
}

/// Checks settings before they replace the store's: known countries and regions, rates up to
/// 100 %, one rate per destination.
pub fn check(settings: &TaxSettings) -> Result<TaxSettings, ApiError> {
    let mut checked = settings.clone();
    let mut seen = std::collections::HashSet::new();
    for (index, rate) in checked.rates.iter_mut().enumerate() {
        let field = |member: &str| format!("rates[{index}].{member}");
        let format = address_format(rate.country.trim()).ok_or_else(|| {
            ApiError::invalid_field(
                &field("country"),
                "must be an ISO 3166-1 alpha-2 country code",
            )
        })?;
        rate.country = format.country;
        if let Some(region) = &rate.region {
            let region = region.trim().to_ascii_uppercase();
            let country = keshvar::Alpha2::try_from(rate.country.as_str())
                .map_err(|_| ApiError::internal("a checked country code did not parse"))?
                .to_country();
            if !country.subdivisions().contains_key(region.as_str()) {
                return Err(ApiError::invalid_field(
                    &field("region"),
                    "must be an ISO 3166-2 subdivision code of the country",
                ));
            }
            rate.region = Some(region);
        }
        if rate.rate > MAX_TAX_RATE {
            return Err(ApiError::invalid_field(
                &field("rate"),
                "must be 0 to 10000 basis points (100 %)",
            ));
        }
        rate.name = rate.name.trim().to_owned();
        if rate.name.is_empty() || rate.name.chars().count() > 50 {
            return Err(ApiError::invalid_field(
                &field("name"),
                "must be 1 to 50 characters",
            ));
        }
        if !seen.insert((rate.country.clone(), rate.region.clone())) {
            return Err(ApiError::invalid_field(
                &field("country"),
                "has a rate already: one rate per country or region",
            ));
        }
    }
    Ok(checked)
}

/// Replaces the store's settings (already checked) in the caller's transaction.
pub async fn save(conn: &mut Conn, store_id: Uuid, settings: &TaxSettings) -> Result<(), ApiError> {
    crate::db::query(
        "UPDATE stores SET prices_include_tax = $1, tax_rounding = $2, shipping_taxable = $3 \
         WHERE id = $4",
    )
    .bind(settings.prices_include_tax)
    .bind(rounding_text(settings.rounding))
    .bind(settings.shipping_taxable)
    .bind(store_id)
    .execute(&mut *conn)
    .await?;
    crate::db::query("DELETE FROM tax_rates WHERE store_id = $1")
        .bind(store_id)
        .execute(&mut *conn)
        .await?;
    for rate in &settings.rates {
        crate::db::query(
            "INSERT INTO tax_rates (store_id, country, region, rate, name) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(store_id)
        .bind(&rate.country)
        .bind(rate.region.as_deref().unwrap_or(""))
        .bind(i64::from(rate.rate))
        .bind(&rate.name)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The tax at a destination: its region's rate, else its country's, else none.
pub fn rule_at(settings: &TaxSettings, country: &str, region: Option<&str>) -> Option<TaxRule> {
    let matching = |wanted: Option<&str>| {
        settings
            .rates
            .iter()
            .find(|rate| rate.country == country && rate.region.as_deref() == wanted)
    };
    let rate = region
        .and_then(|region| matching(Some(region)))
        .or_else(|| matching(None))?;
    Some(TaxRule {
        rate: rate.rate,
        prices_include_tax: settings.prices_include_tax,
        rounding: settings.rounding,
        shipping_taxable: settings.shipping_taxable,
    })
}
