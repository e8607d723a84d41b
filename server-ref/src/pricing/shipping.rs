//! Shipping zones and their rates, and the rates a destination is offered.

use crate::db::{Conn, Row};
use colmena_sdk::contract::{
    Money, ShippingRate, ShippingRateKind, ShippingZone, ShippingZoneInput,
};
use uuid::Uuid;

use super::addresses::address_format;
use crate::db;
use crate::db::{json_column, json_text, optional_count_column, uuid_column};
use crate::http::ApiError;

/// Most rates in one zone.
const MAX_RATES: usize = 20;

fn kind_text(kind: ShippingRateKind) -> &'static str {
    match kind {
        ShippingRateKind::Flat => "flat",
        ShippingRateKind::Weight => "weight",
        ShippingRateKind::Pickup => "pickup",
    }
}

fn kind_column(row: &Row) -> Result<ShippingRateKind, ApiError> {
    match row.try_get::<String, _>("kind")?.as_str() {
        "flat" => Ok(ShippingRateKind::Flat),
        "weight" => Ok(ShippingRateKind::Weight),
        "pickup" => Ok(ShippingRateKind::Pickup),
        other => Err(ApiError::internal(format!(
            "unknown shipping rate kind {other:?}"
        ))),
    }
}

/// Every zone of the store with its rates, oldest first.
pub async fn zones(
    conn: &mut Conn,
    store_id: Uuid,
    currency: &str,
) -> Result<Vec<ShippingZone>, ApiError> {
    let zone_rows = crate::db::query(
        "SELECT id, name, regions, updated_at FROM shipping_zones WHERE store_id = $1 \
         ORDER BY created_at, id",
    )
    .bind(store_id)
    .fetch_all(&mut *conn)
    .await?;
    let rate_rows = crate::db::query(
        "SELECT id, zone_id, name, kind, price_amount, min_weight_grams, max_weight_grams, \
           free_over_amount FROM shipping_rates WHERE store_id = $1 ORDER BY position, id",
    )
    .bind(store_id)
    .fetch_all(&mut *conn)
    .await?;
    let money = |amount: i64| Money::new(amount, currency);
    let mut zones = Vec::with_capacity(zone_rows.len());
    for zone in &zone_rows {
        let id = uuid_column(zone, "id")?;
        let mut rates = Vec::new();
        for rate in &rate_rows {
            if uuid_column(rate, "zone_id")? != id {
                continue;
            }
            rates.push(ShippingRate {
                id: uuid_column(rate, "id")?,
                name: rate.try_get("name")?,
                kind: kind_column(rate)?,
                price: money(rate.try_get("price_amount")?),
                min_weight_grams: optional_count_column(rate, "min_weight_grams")?,
                max_weight_grams: optional_count_column(rate, "max_weight_grams")?,
                free_over: rate
                    .try_get::<Option<i64>, _>("free_over_amount")?
                    .map(money),
            });
        }
        zones.push(ShippingZone {
            id,
            name: zone.try_get("name")?,
            regions: json_column(zone, "regions")?,
            rates,
            updated_at: zone.try_get::<String, _>("updated_at")?.into(),
        });
    }
    Ok(zones)
}

/// Checks a zone before it is written: a name, known destinations, 1 to 20 rates priced in
/// the store's currency with coherent weight bands.
pub fn check(input: &ShippingZoneInput, currency: &str) -> Result<ShippingZoneInput, ApiError> {
    let mut checked = input.clone();
    checked.name = checked.name.trim().to_owned();
    if checked.name.is_empty() || checked.name.chars().count() > 100 {
        return Err(ApiError::invalid_field(
            "name",
            "must be 1 to 100 characters",
        ));
    }
    for (index, region) in checked.regions.iter_mut().enumerate() {
        let upper = region.trim().to_ascii_uppercase();
        let (country, subdivision) = match upper.split_once('-') {
            Some((country, subdivision)) => (country.to_owned(), Some(subdivision.to_owned())),
            None => (upper.clone(), None),
        };
        let known = address_format(&country).is_some_and(|_| {
            subdivision.as_deref().is_none_or(|code| {
                keshvar::Alpha2::try_from(country.as_str())
                    .is_ok_and(|alpha2| alpha2.to_country().subdivisions().contains_key(code))
            })
        });
        if !known {
            return Err(ApiError::invalid_field(
                &format!("regions[{index}]"),
                "must be a country code (FR) or a country-region code (US-CA)",
            ));
        }
        *region = upper;
    }
    if checked.rates.is_empty() || checked.rates.len() > MAX_RATES {
        return Err(ApiError::invalid_field("rates", "must hold 1 to 20 rates"));
    }
    for (index, rate) in checked.rates.iter_mut().enumerate() {
        let field = |member: &str| format!("rates[{index}].{member}");
        rate.name = rate.name.trim().to_owned();
        if rate.name.is_empty() || rate.name.chars().count() > 100 {
            return Err(ApiError::invalid_field(
                &field("name"),
                "must be 1 to 100 characters",
            ));
        }
        for (member, money) in [
            ("price", Some(&rate.price)),
            ("freeOver", rate.free_over.as_ref()),
        ] {
            if let Some(money) = money {
                if money.currency != currency {
                    return Err(ApiError::invalid_field(
                        &field(member),
                        format_args!("must be in the store's currency ({currency})"),
                    ));
                }
                if !(0..=colmena_sdk::contract::MAX_PRICE_AMOUNT).contains(&money.amount) {
                    return Err(ApiError::invalid_field(&field(member), "is out of range"));
                }
            }
        }
        let banded = rate.min_weight_grams.is_some() || rate.max_weight_grams.is_some();
        match rate.kind {
            ShippingRateKind::Weight if !banded => {
                return Err(ApiError::invalid_field(
                    &field("maxWeightGrams"),
                    "a weight rate needs minWeightGrams or maxWeightGrams",
                ))
            }
            ShippingRateKind::Flat | ShippingRateKind::Pickup if banded => {
                return Err(ApiError::invalid_field(
                    &field("kind"),
                    "only weight rates have weight bands",
                ))
            }
            _ => {}
        }
        if let (Some(min), Some(max)) = (rate.min_weight_grams, rate.max_weight_grams) {
            if min > max {
                return Err(ApiError::invalid_field(
                    &field("maxWeightGrams"),
                    "must be at least minWeightGrams",
                ));
            }
        }
    }
    Ok(checked)
}

/// Writes a zone (already checked) and replaces its rates, keeping the ids the input names
/// (only ids of this zone's rates are kept; any other id gets a new rate).
pub async fn save(
    conn: &mut Conn,
    store_id: Uuid,
    zone_id: Uuid,
    input: &ShippingZoneInput,
    create: bool,
) -> Result<(), ApiError> {
    let now = db::now();
    if create {
        crate::db::query(
            "INSERT INTO shipping_zones (id, store_id, name, regions, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5)",
        )
        .bind(zone_id)
        .bind(store_id)
        .bind(&input.name)
        .bind(json_text(&input.regions)?)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    } else {
        let updated = crate::db::query(
            "UPDATE shipping_zones SET name = $1, regions = $2, updated_at = $3 \
             WHERE id = $4 AND store_id = $5",
        )
        .bind(&input.name)
        .bind(json_text(&input.regions)?)
        .bind(now)
        .bind(zone_id)
        .bind(store_id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        if updated != 1 {
            return Err(ApiError::not_found("shipping zone", &zone_id.to_string()));
        }
    }
    let kept: Vec<Uuid> =
        crate::db::query("SELECT id FROM shipping_rates WHERE store_id = $1 AND zone_id = $2")
            .bind(store_id)
            .bind(zone_id)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|row| uuid_column(row, "id"))
            .collect::<Result<_, _>>()?;
    crate::db::query("DELETE FROM shipping_rates WHERE store_id = $1 AND zone_id = $2")
        .bind(store_id)
        .bind(zone_id)
        .execute(&mut *conn)
        .await?;
    for (position, rate) in input.rates.iter().enumerate() {
        let id = rate
            .id
            .filter(|id| kept.contains(id))
            .unwrap_or_else(Uuid::new_v4);
        crate::db::query(
            "INSERT INTO shipping_rates (id, store_id, zone_id, name, kind, price_amount, \
               min_weight_grams, max_weight_grams, free_over_amount, position) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(id)
        .bind(store_id)
        .bind(zone_id)
        .bind(&rate.name)
        .bind(kind_text(rate.kind))
        .bind(rate.price.amount)
        .bind(rate.min_weight_grams.map(i64::from))
        .bind(rate.max_weight_grams.map(i64::from))
        .bind(rate.free_over.as_ref().map(|money| money.amount))
        .bind(db::position(position)?)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The rates offered at a destination: those of the most specific zone covering it (a
/// country-region zone, else a country zone, else the everywhere-else zone). Without a
/// destination, only pickup rates (which need none) are offered.
pub fn rates_at<'a>(
    zones: &'a [ShippingZone],
    destination: Option<(&str, Option<&str>)>,
) -> Vec<&'a ShippingRate> {
    let Some((country, region)) = destination else {
        return zones
            .iter()
            .flat_map(|zone| &zone.rates)
            .filter(|rate| rate.kind == ShippingRateKind::Pickup)
            .collect();
    };
    let with_region = region.map(|region| format!("{country}-{region}"));
    let covering =
        |matches: &dyn Fn(&ShippingZone) -> bool| zones.iter().find(|zone| matches(zone));
    let zone = covering(&|zone| {
        with_region
            .as_ref()
            .is_some_and(|code| zone.regions.contains(code))
    })
    .or_else(|| covering(&|zone| zone.regions.iter().any(|code| code == country)))
    .or_else(|| covering(&|zone| zone.regions.is_empty()));
    zone.map(|zone| zone.rates.iter().collect())
        .unwrap_or_default()
}

/// The countries of `all` that the store's `zones` ship to: every one when a zone covers
/// everywhere else (or there are no zones: the store charges no shipping), else those a zone
/// names (a country-region destination such as `US-CA` names its country).
pub fn shipping_countries(zones: &[ShippingZone], all: &[String]) -> Vec<String> {
    if zones.is_empty() || zones.iter().any(|zone| zone.regions.is_empty()) {
        return all.to_vec();
    }
    let named: std::collections::BTreeSet<&str> = zones
        .iter()
        .flat_map(|zone| &zone.regions)
        .map(|region| region.split('-').next().unwrap_or(region))
        .collect();
    all.iter()
        .filter(|code| named.contains(code.as_str()))
        .cloned()
        .collect()
}
