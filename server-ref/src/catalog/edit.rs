//! What editing the catalog checks and refreshes, shared by the admin resources: text, slug,
//! price and option checks, attributes against the product type's JSON Schema, and the product
//! as it reads back after a change.

use crate::db::Conn;
use std::collections::BTreeMap;

use colmena_sdk::contract::{
    AdminProduct, Money, OptionValues, VariantInput, WebhookEventData, WebhookEventType,
    MAX_PRICE_AMOUNT,
};
use uuid::Uuid;

use crate::catalog::{self, NewVariant, Visibility};
use crate::db::{json_column, json_text};
use crate::http::ApiError;
use crate::slugs::{slugify, valid_slug};
use crate::{db, webhooks, AppState};

/// Attributes as the admin API reads and checks them (the contract's `Attributes` keeps them as
/// JSON text).
pub(crate) type AttributeMap = BTreeMap<String, serde_json::Value>;

/// The store's product with this id, whether shoppers see it or not.
pub(crate) async fn load_product(
    conn: &mut Conn,
    state: &AppState,
    store_id: Uuid,
    product_id: Uuid,
) -> Result<AdminProduct, ApiError> {
    catalog::product_by_id_or_slug(
        conn,
        state.db.backend,
        &state.urls,
        store_id,
        &product_id.to_string(),
        Visibility::Staff,
    )
    .await?
    .ok_or_else(|| ApiError::not_found("product", &product_id.to_string()))
}

pub(crate) async fn product_answer(
    state: &AppState,
    store_id: Uuid,
    product_id: Uuid,
) -> Result<AdminProduct, ApiError> {
    let mut conn = state.db.pool.acquire().await?;
    load_product(&mut conn, state, store_id, product_id).await
}

pub(crate) fn check_text(
    field: &str,
    text: &str,
    max: usize,
    required: bool,
) -> Result<(), ApiError> {
    let length = text.trim().chars().count();
    if required && length == 0 {
        return Err(ApiError::invalid_field(field, "must not be empty"));
    }
    if text.chars().count() > max {
        return Err(ApiError::invalid_field(
            field,
            format_args!("must be at most {max} characters"),
        ));
    }
    Ok(())
}

pub(crate) fn check_slug(field: &str, slug: &str) -> Result<(), ApiError> {
    if valid_slug(slug) {
        Ok(())
    } else {
        Err(ApiError::invalid_field(
            field,
            "must be lower-case letters, digits and single hyphens, at most 100",
        ))
    }
}

/// A price in the store's currency, within bounds.
pub(crate) fn check_price(field: &str, price: &Money, currency: &str) -> Result<(), ApiError> {
    if iso_currency::Currency::from_code(&price.currency).is_none() {
        return Err(ApiError::invalid_field(
            &format!("{field}.currency"),
            "is not an ISO 4217 currency code",
        ));
    }
    if price.currency != currency {
        return Err(ApiError::invalid_field(
            &format!("{field}.currency"),
            format_args!("must be the store's currency, {currency}"),
        ));
    }
    if !(0..=MAX_PRICE_AMOUNT).contains(&price.amount) {
        return Err(ApiError::invalid_field(
            &format!("{field}.amount"),
            "must be 0 to 10^13 minor units",
        ));
    }
    Ok(())
}

pub(crate) fn check_option_names(options: &[String]) -> Result<(), ApiError> {
    if options.len() > 3 {
        return Err(ApiError::invalid_field(
            "options",
            "can name at most 3 options",
        ));
    }
    for (index, name) in options.iter().enumerate() {
        check_text("options", name, 50, true)?;
        if options[..index].contains(name) {
            return Err(ApiError::invalid_field("options", "must not repeat a name"));
        }
    }
    Ok(())
}

/// A variant's option values must name exactly the product's options.
pub(crate) fn check_variant_options(
    field: &str,
    values: &OptionValues,
    option_names: &[String],
) -> Result<(), ApiError> {
    let names_match = values.len() == option_names.len()
        && option_names.iter().all(|name| values.get(name).is_some());
    if !names_match {
        return Err(ApiError::invalid_field(
            field,
            format_args!(
                "must give a value for each of the options {option_names:?}, and no other"
            ),
        ));
    }
    for (_, value) in values.iter() {
        check_text(field, value, 50, true)?;
    }
    Ok(())
}

pub(crate) fn new_variant(
    field: &str,
    input: &VariantInput,
    product_slug: &str,
    option_names: &[String],
    currency: &str,
) -> Result<NewVariant, ApiError> {
    check_variant_options(&format!("{field}.options"), &input.options, option_names)?;
    check_price(&format!("{field}.price"), &input.price, currency)?;
    if let Some(compare_at) = &input.compare_at_price {
        check_price(&format!("{field}.compareAtPrice"), compare_at, currency)?;
    }
    // Titles and SKUs follow the product's option order.
    let values: Vec<&str> = option_names
        .iter()
        .filter_map(|name| input.options.get(name))
        .collect();
    let title = match &input.title {
        Some(title) => title.trim().to_owned(),
        None if values.is_empty() => "Default".to_owned(),
        None => values.join(" / "),
    };
    check_text(&format!("{field}.title"), &title, 100, true)?;
    let sku = match &input.sku {
        Some(sku) => sku.trim().to_owned(),
        None if values.is_empty() => product_slug.to_owned(),
        None => format!("{product_slug}-{}", slugify(&values.join(" "))),
    };
    check_text(&format!("{field}.sku"), &sku, 100, true)?;
    Ok(NewVariant {
        sku,
        title,
        options: json_text(&input.options)?,
        price: input.price.amount,
        compare_at: input.compare_at_price.as_ref().map(|m| m.amount),
        inventory: input.inventory.map(i64::from),
        weight_grams: input.weight_grams.map(i64::from),
    })
}

/// Keeps the product's listed price the lowest of its variants' (with that variant's former
/// price), and marks the product changed.
pub(crate) async fn refresh_product(
    conn: &mut Conn,
    store_id: Uuid,
    product_id: Uuid,
) -> Result<(), ApiError> {
    crate::db::query(
        "UPDATE products SET updated_at = $3, \
           price_amount = COALESCE((SELECT MIN(v.price_amount) FROM product_variants v \
             WHERE v.store_id = $1 AND v.product_id = $2), price_amount), \
           compare_at_amount = (SELECT v.compare_at_amount FROM product_variants v \
             WHERE v.store_id = $1 AND v.product_id = $2 \
             ORDER BY v.price_amount, v.position LIMIT 1) \
         WHERE store_id = $1 AND id = $2",
    )
    .bind(store_id)
    .bind(product_id)
    .bind(db::now())
    .execute(conn)
    .await?;
    Ok(())
}

/// After a change to a product (or its variants, images or file): refreshes its listed price,
/// reloads it and tells partners (`product.updated`), in the caller's transaction.
pub(crate) async fn product_changed(
    conn: &mut Conn,
    state: &AppState,
    store_id: Uuid,
    product_id: Uuid,
) -> Result<AdminProduct, ApiError> {
    refresh_product(conn, store_id, product_id).await?;
    let product = load_product(conn, state, store_id, product_id).await?;
    let data = WebhookEventData {
        product: Some(product.product.clone()),
        ..WebhookEventData::default()
    };
    webhooks::emit(conn, store_id, WebhookEventType::ProductUpdated, data).await?;
    Ok(product)
}

/// The JSON schema of the store's product type `type_id`.
pub(crate) async fn type_schema(
    state: &AppState,
    store_id: Uuid,
    type_id: Uuid,
) -> Result<serde_json::Value, ApiError> {
    let row = crate::db::query("SELECT schema FROM product_types WHERE id = $1 AND store_id = $2")
        .bind(type_id)
        .bind(store_id)
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or_else(|| {
            ApiError::invalid_field("productTypeId", "names no product type of this store")
        })?;
    Ok(json_column(&row, "schema")?)
}

/// Checks `attributes` against `schema`, naming the first failing field.
pub(crate) fn check_attributes(
    schema: &serde_json::Value,
    attributes: &AttributeMap,
) -> Result<(), ApiError> {
    let validator = jsonschema::validator_for(schema).map_err(|error| {
        ApiError::invalid_field(
            "productTypeId",
            format_args!("has an unusable schema: {error}"),
        )
    })?;
    let instance = serde_json::to_value(attributes)
        .map_err(|e| ApiError::internal(format!("cannot read attributes as JSON: {e}")))?;
    let first_error = validator
        .iter_errors(&instance)
        .next()
        .map(|error| (error.instance_path().to_string(), error.to_string()));
    match first_error {
        None => Ok(()),
        Some((path, message)) => Err(ApiError::invalid_field(
            &format!("attributes{path}"),
            format_args!("does not fit the product type: {message}"),
        )),
    }
}

/// Checks that a category of the store exists.
pub(crate) async fn check_category(
    state: &AppState,
    store_id: Uuid,
    category_id: Uuid,
) -> Result<(), ApiError> {
    crate::db::query("SELECT 1 AS found FROM categories WHERE id = $1 AND store_id = $2")
        .bind(category_id)
        .bind(store_id)
        .fetch_optional(&state.db.pool)
        .await?
        .map(|_| ())
        .ok_or_else(|| ApiError::invalid_field("categoryId", "names no category of this store"))
}
