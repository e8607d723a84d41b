//! Price lists: sales with a start and an end, and a customer group's own prices. Nothing is
//! switched on or off by a worker: whether a list is in force is worked out when prices are
//! read, so a scheduled sale starts on time on every instance.
//!
//! A variant's price for a buyer is the lowest of its regular price and the prices of the
//! lists in force for them (every shopper's lists, and their groups' when a customer session
//! says who they are). A sale shows the regular price struck through.

use crate::db::Conn;
use std::collections::{HashMap, HashSet};

use colmena_sdk::contract::{
    Money, PriceList, PriceListInput, PriceListKind, Product, VariantPrice, MAX_LIST_PRICES,
};
use uuid::Uuid;

use super::Window;
use crate::catalog::edit::check_price;
use crate::db::{self, optional_uuid_column, placeholders, uuid_column};
use crate::http::ApiError;

/// A list checked for writing, with each price's product.
pub struct CheckedList {
    pub list: PriceListInput,
    pub window: Window,
    /// `(variant, product, amount)`.
    pub prices: Vec<(Uuid, Uuid, i64)>,
}

/// Checks a list before it is written: its name, window and group, and that each price is for
/// a variant of the store, once, in the store's currency.
pub async fn check(
    conn: &mut Conn,
    store_id: Uuid,
    currency: &str,
    input: &PriceListInput,
) -> Result<CheckedList, ApiError> {
    let mut list = input.clone();
    list.name = list.name.trim().to_owned();
    if list.name.is_empty() || list.name.chars().count() > 100 {
        return Err(ApiError::invalid_field(
            "name",
            "must be 1 to 100 characters",
        ));
    }
    let window = Window::checked(list.starts_at.as_ref(), list.ends_at.as_ref())?;
    if let Some(group) = list.customer_group_id {
        super::customer_groups::find(conn, store_id, group)
            .await
            .map_err(|_| {
                ApiError::invalid_field("customerGroupId", "is not a customer group of this store")
            })?;
    }
    if list.prices.is_empty() || list.prices.len() > MAX_LIST_PRICES {
        return Err(ApiError::invalid_field(
            "prices",
            format_args!("must hold 1 to {MAX_LIST_PRICES} variant prices"),
        ));
    }
    let mut seen = HashSet::new();
    for (index, VariantPrice { variant_id, price }) in list.prices.iter().enumerate() {
        check_price(&format!("prices[{index}].price"), price, currency)?;
        if !seen.insert(*variant_id) {
            return Err(ApiError::invalid_field(
                &format!("prices[{index}].variantId"),
                "is priced twice in this list",
            ));
        }
    }
    let products = variant_products(conn, store_id, &list.prices).await?;
    let mut prices = Vec::with_capacity(list.prices.len());
    for (index, VariantPrice { variant_id, price }) in list.prices.iter().enumerate() {
        let product = products.get(variant_id).ok_or_else(|| {
            ApiError::invalid_field(
                &format!("prices[{index}].variantId"),
                "is not a variant of this store",
            )
        })?;
        prices.push((*variant_id, *product, price.amount));
    }
    Ok(CheckedList {
        list,
        window,
        prices,
    })
}

/// The product of each priced variant that belongs to the store.
async fn variant_products(
    conn: &mut Conn,
    store_id: Uuid,
    prices: &[VariantPrice],
) -> Result<HashMap<Uuid, Uuid>, ApiError> {
    let sql = format!(
        "SELECT id, product_id FROM product_variants WHERE store_id = $1 AND id IN ({})",
        placeholders(2, prices.len())
    );
    let mut query = crate::db::query(&sql).bind(store_id);
    for price in prices {
        query = query.bind(price.variant_id);
    }
    query
        .fetch_all(conn)
        .await?
        .iter()
        .map(|row| Ok((uuid_column(row, "id")?, uuid_column(row, "product_id")?)))
        .collect()
}

/// Writes a list (already checked) with its prices.
pub async fn save(
    conn: &mut Conn,
    store_id: Uuid,
    currency: &str,
    id: Uuid,
    checked: &CheckedList,
    create: bool,
) -> Result<PriceList, ApiError> {
    let now = db::now();
    let list = &checked.list;
    let query = if create {
        "INSERT INTO price_lists (name, kind, customer_group_id, active, starts_at, ends_at, \
           updated_at, id, store_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $7)"
    } else {
        "UPDATE price_lists SET name = $1, kind = $2, customer_group_id = $3, active = $4, \
           starts_at = $5, ends_at = $6, updated_at = $7 WHERE id = $8 AND store_id = $9"
    };
    let written = crate::db::query(query)
        .bind(&list.name)
        .bind(list.kind.as_str())
        .bind(list.customer_group_id)
        .bind(list.active)
        .bind(checked.window.starts_at)
        .bind(checked.window.ends_at)
        .bind(now)
        .bind(id)
        .bind(store_id)
        .execute(&mut *conn)
        .await?;
    if written.rows_affected() != 1 {
        return Err(ApiError::not_found("price list", &id.to_string()));
    }
    crate::db::query("DELETE FROM price_list_prices WHERE price_list_id = $1 AND store_id = $2")
        .bind(id)
        .bind(store_id)
        .execute(&mut *conn)
        .await?;
    for (variant, product, amount) in &checked.prices {
        crate::db::query(
            "INSERT INTO price_list_prices (price_list_id, store_id, variant_id, product_id, \
               amount) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(store_id)
        .bind(variant)
        .bind(product)
        .bind(amount)
        .execute(&mut *conn)
        .await?;
    }
    find(conn, store_id, currency, id).await
}

/// The store's lists (newest first) with their prices, in two queries.
async fn lists(
    conn: &mut Conn,
    store_id: Uuid,
    currency: &str,
    only: Option<Uuid>,
) -> Result<Vec<PriceList>, ApiError> {
    let rows = crate::db::query(
        "SELECT id, name, kind, customer_group_id, active, starts_at, ends_at, updated_at \
         FROM price_lists WHERE store_id = $1 AND ($2 IS NULL OR id = $2) \
         ORDER BY created_at DESC, id",
    )
    .bind(store_id)
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    let price_rows = crate::db::query(
        "SELECT pp.price_list_id, pp.variant_id, pp.amount FROM price_list_prices pp \
         JOIN product_variants v ON v.id = pp.variant_id AND v.store_id = pp.store_id \
         WHERE pp.store_id = $1 AND ($2 IS NULL OR pp.price_list_id = $2) \
         ORDER BY pp.product_id, v.position, v.id",
    )
    .bind(store_id)
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    let mut prices: HashMap<Uuid, Vec<VariantPrice>> = HashMap::new();
    for row in &price_rows {
        prices
            .entry(uuid_column(row, "price_list_id")?)
            .or_default()
            .push(VariantPrice {
                variant_id: uuid_column(row, "variant_id")?,
                price: Money::new(row.try_get("amount")?, currency),
            });
    }
    let now = db::now();
    rows.iter()
        .map(|row| {
            let id = uuid_column(row, "id")?;
            let kind: String = row.try_get("kind")?;
            let window = Window {
                starts_at: row.try_get("starts_at")?,
                ends_at: row.try_get("ends_at")?,
            };
            let active: bool = row.try_get("active")?;
            Ok(PriceList {
                id,
                in_force: active && window.holds(now),
                list: PriceListInput {
                    name: row.try_get("name")?,
                    kind: PriceListKind::parse(&kind).ok_or_else(|| {
                        db::decode_error(
                            "kind",
                            std::io::Error::other(format!("unknown kind {kind}")),
                        )
                    })?,
                    customer_group_id: optional_uuid_column(row, "customer_group_id")?,
                    starts_at: window.starts_at.map(db::api_time),
                    ends_at: window.ends_at.map(db::api_time),
                    active,
                    prices: prices.remove(&id).unwrap_or_default(),
                },
                updated_at: row.try_get::<String, _>("updated_at")?.into(),
            })
        })
        .collect()
}

/// Every list of the store, newest first.
pub async fn list(
    conn: &mut Conn,
    store_id: Uuid,
    currency: &str,
) -> Result<Vec<PriceList>, ApiError> {
    lists(conn, store_id, currency, None).await
}

/// One list of the store; 404 naming it otherwise.
pub async fn find(
    conn: &mut Conn,
    store_id: Uuid,
    currency: &str,
    id: Uuid,
) -> Result<PriceList, ApiError> {
    lists(conn, store_id, currency, Some(id))
        .await?
        .pop()
        .ok_or_else(|| ApiError::not_found("price list", &id.to_string()))
}

/// The lists in force now for a buyer: every shopper's, and those of the groups of `$email`
/// (no group's when it is NULL). `$store`, `$now` and `$email` are placeholders.
fn in_force_condition(store: &str, now: &str, email: &str) -> String {
    format!(
        "pl.store_id = {store} AND pl.active = TRUE \
         AND (pl.starts_at IS NULL OR pl.starts_at <= {now}) \
         AND (pl.ends_at IS NULL OR pl.ends_at > {now}) \
         AND (pl.customer_group_id IS NULL OR pl.customer_group_id IN \
           (SELECT m.group_id FROM customer_group_members m \
            WHERE m.store_id = pl.store_id AND m.email = {email}))"
    )
}

/// The SQL of a derived table of `(product_id, amount)`: each product's lowest price in the
/// lists in force for every shopper (not a customer group's) at `now`, in the store bound as
/// `store`. Usually a few rows: the products on sale.
pub fn lowest_public_prices_sql(store: &str, now: &str) -> String {
    format!(
        "(SELECT pp.product_id, MIN(pp.amount) AS amount FROM price_list_prices pp \
          JOIN price_lists pl ON pl.id = pp.price_list_id AND pl.store_id = pp.store_id \
          WHERE pp.store_id = {store} AND pl.customer_group_id IS NULL AND pl.active = TRUE \
          AND (pl.starts_at IS NULL OR pl.starts_at <= {now}) \
          AND (pl.ends_at IS NULL OR pl.ends_at > {now}) GROUP BY pp.product_id)"
    )
}

/// The lowest price every shopper's lists in force give each product they price (usually a
/// few products: those on sale), for filtering and counting by the prices shoppers see.
pub async fn lowest_public_prices(
    conn: &mut Conn,
    store_id: Uuid,
) -> Result<HashMap<Uuid, i64>, sqlx::Error> {
    let rows = crate::db::query(
        "SELECT pp.product_id, MIN(pp.amount) AS amount FROM price_list_prices pp \
         JOIN price_lists pl ON pl.id = pp.price_list_id AND pl.store_id = pp.store_id \
         WHERE pp.store_id = $1 AND pl.customer_group_id IS NULL AND pl.active = TRUE \
           AND (pl.starts_at IS NULL OR pl.starts_at <= $2) \
           AND (pl.ends_at IS NULL OR pl.ends_at > $2) \
         GROUP BY pp.product_id",
    )
    .bind(store_id)
    .bind(db::now())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| Ok((uuid_column(row, "product_id")?, row.try_get("amount")?)))
        .collect()
}

/// The lowest price every shopper sees for each of `products` (its cheapest variant, at the
/// sale price when one is in force), as a listing shows it.
pub async fn shown_prices(
    conn: &mut Conn,
    store_id: Uuid,
    products: &[Uuid],
) -> Result<HashMap<Uuid, i64>, sqlx::Error> {
    if products.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT product_id, MIN(price_amount) AS amount FROM product_variants \
         WHERE store_id = $1 AND product_id IN ({}) GROUP BY product_id",
        placeholders(2, products.len())
    );
    let mut query = crate::db::query(&sql).bind(store_id);
    for product in products {
        query = query.bind(product);
    }
    let rows = query.fetch_all(&mut *conn).await?;
    let sales = lowest_public_prices(conn, store_id).await?;
    rows.iter()
        .map(|row| {
            let product = uuid_column(row, "product_id")?;
            let regular: i64 = row.try_get("amount")?;
            let shown = sales
                .get(&product)
                .map_or(regular, |sale| regular.min(*sale));
            Ok((product, shown))
        })
        .collect()
}

/// A variant's best list price for a buyer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListPrice {
    pub amount: i64,
    /// Whether it is a sale (shown against the regular price).
    pub sale: bool,
}

/// The lowest list price in force for each of `variants` that a list prices, for the buyer
/// with `email` (lower case; `None` for an anonymous shopper). Of equal prices, a sale's wins,
/// so that the saving is shown.
pub async fn best_prices(
    conn: &mut Conn,
    store_id: Uuid,
    variants: &[Uuid],
    email: Option<&str>,
) -> Result<HashMap<Uuid, ListPrice>, sqlx::Error> {
    if variants.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT pp.variant_id, pp.amount, pl.kind FROM price_list_prices pp \
         JOIN price_lists pl ON pl.id = pp.price_list_id AND pl.store_id = pp.store_id \
         WHERE pp.store_id = $1 AND {} AND pp.variant_id IN ({})",
        in_force_condition("$1", "$2", "$3"),
        placeholders(4, variants.len())
    );
    let mut query = crate::db::query(&sql)
        .bind(store_id)
        .bind(db::now())
        .bind(email);
    for variant in variants {
        query = query.bind(variant);
    }
    best_of(&query.fetch_all(conn).await?)
}

/// The lowest price in force for every variant of the store that a list for every shopper
/// prices: what an anonymous shopper pays, read once per catalog generation (`StoreFacts`).
pub async fn public_best_prices(
    pool: &crate::db::Pool,
    store_id: Uuid,
) -> Result<HashMap<Uuid, ListPrice>, sqlx::Error> {
    let sql = format!(
        "SELECT pp.variant_id, pp.amount, pl.kind FROM price_list_prices pp \
         JOIN price_lists pl ON pl.id = pp.price_list_id AND pl.store_id = pp.store_id \
         WHERE pp.store_id = $1 AND {}",
        in_force_condition("$1", "$2", "$3"),
    );
    let rows = crate::db::query(&sql)
        .bind(store_id)
        .bind(db::now())
        .bind(None::<&str>)
        .fetch_all(pool)
        .await?;
    best_of(&rows)
}

/// Each variant's best offer among `rows` (`variant_id`, `amount`, `kind`): the lowest price,
/// a sale's of equal prices so that the saving is shown.
fn best_of(rows: &[crate::db::Row]) -> Result<HashMap<Uuid, ListPrice>, sqlx::Error> {
    let mut best: HashMap<Uuid, ListPrice> = HashMap::new();
    for row in rows {
        let offer = ListPrice {
            amount: row.try_get("amount")?,
            sale: row.try_get::<String, _>("kind")? == PriceListKind::Sale.as_str(),
        };
        best.entry(uuid_column(row, "variant_id")?)
            .and_modify(|kept| {
                if (offer.amount, !offer.sale) < (kept.amount, !kept.sale) {
                    *kept = offer;
                }
            })
            .or_insert(offer);
    }
    Ok(best)
}

/// Prices `products` (read at their regular prices) for the buyer with `email`: each
/// variant at its best price, a sale showing the regular price as `compareAtPrice`, and each
/// product at its cheapest variant's.
pub async fn price_products(
    conn: &mut Conn,
    store_id: Uuid,
    email: Option<&str>,
    products: &mut [Product],
) -> Result<(), ApiError> {
    let variants: Vec<Uuid> = products
        .iter()
        .flat_map(|product| product.variants.iter().map(|variant| variant.id))
        .collect();
    let best = best_prices(conn, store_id, &variants, email).await?;
    apply_offers(&best, products);
    Ok(())
}

/// Prices `products` (read at their regular prices) at the offers of `best`, by variant.
pub fn apply_offers(best: &HashMap<Uuid, ListPrice>, products: &mut [Product]) {
    if best.is_empty() {
        return;
    }
    for product in products {
        let mut changed = false;
        for variant in &mut product.variants {
            let Some(offer) = best.get(&variant.id) else {
                continue;
            };
            if offer.amount >= variant.price.amount {
                continue;
            }
            if offer.sale {
                let regular = variant.price.clone();
                variant.compare_at_price = Some(match variant.compare_at_price.take() {
                    Some(former) if former.amount > regular.amount => former,
                    _ => regular,
                });
            }
            variant.price.amount = offer.amount;
            changed = true;
        }
        if changed {
            if let Some(cheapest) = product.variants.iter().min_by_key(|v| v.price.amount) {
                product.price = cheapest.price.clone();
                product.compare_at_price = cheapest.compare_at_price.clone();
            }
        }
    }
}
