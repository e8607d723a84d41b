//! How orders read back: their lines, payment, downloads, parcels and refunds, a page of
//! orders in a fixed number of queries.

use crate::db::{Conn, Row};
use std::collections::HashMap;
use std::time::Duration;

use colmena_sdk::contract::{
    Download, ErrorCode, Money, Order, OrderItem, OrderStatus, Payment, PaymentStatus, Refund,
    Shipment, Totals,
};
use uuid::Uuid;

use crate::db::{count_column, json_column, optional_json_column, placeholders, uuid_column};
use crate::http::ApiError;
use crate::{db, AppState};

pub(super) fn later(duration: Duration) -> time::OffsetDateTime {
    db::now() + duration
}

pub(super) fn order_status_column(row: &Row) -> Result<OrderStatus, ApiError> {
    OrderStatus::parse(&row.try_get::<String, _>("status")?)
        .ok_or_else(|| ApiError::new(ErrorCode::InternalError, "unknown order status"))
}

/// The order as the API shows it, or `None` if the store has no such order.
pub async fn load_order(
    conn: &mut Conn,
    state: &AppState,
    store_id: Uuid,
    order_id: Uuid,
) -> Result<Option<Order>, ApiError> {
    Ok(orders_by_id(conn, state, store_id, &[order_id])
        .await?
        .pop())
}

/// The orders whose ids `rows` hold (column `id`), in that order.
pub async fn load_orders(
    state: &AppState,
    store_id: Uuid,
    rows: &[Row],
) -> Result<Vec<Order>, ApiError> {
    let ids = rows
        .iter()
        .map(|row| uuid_column(row, "id"))
        .collect::<Result<Vec<_>, _>>()?;
    let mut conn = state.db.pool.acquire().await?;
    orders_by_id(&mut conn, state, store_id, &ids).await
}

/// The rows of `sql`, whose `{ids}` is replaced by the placeholders of `ids` (after `$1`, the
/// store).
async fn rows_for(
    conn: &mut Conn,
    sql: &str,
    store_id: Uuid,
    ids: &[Uuid],
) -> Result<Vec<Row>, sqlx::Error> {
    let sql = sql.replace("{ids}", &placeholders(2, ids.len()));
    let mut query = crate::db::query(&sql).bind(store_id);
    for id in ids {
        query = query.bind(id);
    }
    query.fetch_all(conn).await
}

/// `rows` grouped by their `order_id`, each group in the rows' order.
fn by_order<T>(
    rows: &[Row],
    read: impl Fn(&Row) -> Result<T, ApiError>,
) -> Result<HashMap<Uuid, Vec<T>>, ApiError> {
    let mut grouped: HashMap<Uuid, Vec<T>> = HashMap::new();
    for row in rows {
        grouped
            .entry(uuid_column(row, "order_id")?)
            .or_default()
            .push(read(row)?);
    }
    Ok(grouped)
}

/// The store's orders with these ids, in the order of `ids` (ids the store has no order for
/// are left out), in five queries however many there are: the orders, their lines, downloads,
/// parcels and refunds.
async fn orders_by_id(
    conn: &mut Conn,
    state: &AppState,
    store_id: Uuid,
    ids: &[Uuid],
) -> Result<Vec<Order>, ApiError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let order_rows = rows_for(
        conn,
        "SELECT id, number, status, customer_email, customer_name, customer_phone, \
           shipping_address, billing_address, shipping_name, totals, currency, subtotal_amount, \
           total_amount, payment_provider, payment_reference, payment_status, payment_url, \
           payment_expires_at, created_at, updated_at \
         FROM orders WHERE store_id = $1 AND id IN ({ids})",
        store_id,
        ids,
    )
    .await?;
    // Each order's currency (the store's when it was placed), for the amounts of its rows.
    let mut currencies: HashMap<Uuid, String> = HashMap::with_capacity(order_rows.len());
    for row in &order_rows {
        currencies.insert(uuid_column(row, "id")?, row.try_get("currency")?);
    }
    let money_of = |row: &Row, column: &str| -> Result<Money, ApiError> {
        let currency = currencies
            .get(&uuid_column(row, "order_id")?)
            .map_or("", String::as_str);
        Ok(Money::new(row.try_get::<i64, _>(column)?, currency))
    };
    let item_rows = rows_for(
        conn,
        "SELECT order_id, id, product_id, variant_id, product_name, variant_title, sku, \
           quantity, unit_amount, line_amount, digital \
         FROM order_items WHERE store_id = $1 AND order_id IN ({ids}) ORDER BY position",
        store_id,
        ids,
    )
    .await?;
    let mut items = by_order(&item_rows, |item| {
        Ok(OrderItem {
            id: uuid_column(item, "id")?,
            product_id: uuid_column(item, "product_id")?,
            product_name: item.try_get("product_name")?,
            variant_id: uuid_column(item, "variant_id")?,
            variant_title: item.try_get("variant_title")?,
            sku: item.try_get("sku")?,
            quantity: count_column(item, "quantity")?,
            unit_price: money_of(item, "unit_amount")?,
            line_total: money_of(item, "line_amount")?,
            digital: item.try_get("digital")?,
        })
    })?;
    let download_rows = rows_for(
        conn,
        "SELECT order_id, id, order_item_id, product_id, file_name, expires_at, \
           download_count, max_downloads FROM download_tokens \
         WHERE store_id = $1 AND order_id IN ({ids}) AND revoked_at IS NULL \
         ORDER BY created_at, id",
        store_id,
        ids,
    )
    .await?;
    let mut downloads = by_order(&download_rows, |row| {
        let token = state
            .keys
            .capabilities
            .download_token(uuid_column(row, "id")?);
        Ok(Download {
            order_item_id: uuid_column(row, "order_item_id")?,
            product_id: uuid_column(row, "product_id")?,
            file_name: row.try_get("file_name")?,
            url: state.urls.absolute(&format!("/api/v1/downloads/{token}")),
            expires_at: row.try_get::<String, _>("expires_at")?.into(),
            downloads_remaining: count_column(row, "max_downloads")?
                .saturating_sub(count_column(row, "download_count")?),
        })
    })?;
    let shipment_rows = rows_for(
        conn,
        "SELECT order_id, id, carrier, tracking_number, tracking_url, items, created_at \
         FROM shipments WHERE store_id = $1 AND order_id IN ({ids}) ORDER BY created_at, id",
        store_id,
        ids,
    )
    .await?;
    let mut shipments = by_order(&shipment_rows, |row| {
        Ok(Shipment {
            id: uuid_column(row, "id")?,
            carrier: row.try_get("carrier")?,
            tracking_number: row.try_get("tracking_number")?,
            tracking_url: row.try_get("tracking_url")?,
            items: json_column(row, "items")?,
            created_at: row.try_get::<String, _>("created_at")?.into(),
        })
    })?;
    let refund_rows = rows_for(
        conn,
        "SELECT order_id, id, amount, items, restocked, reason, created_at FROM refunds \
         WHERE store_id = $1 AND order_id IN ({ids}) ORDER BY created_at, id",
        store_id,
        ids,
    )
    .await?;
    let mut refunds = by_order(&refund_rows, |row| {
        Ok(Refund {
            id: uuid_column(row, "id")?,
            amount: money_of(row, "amount")?,
            items: json_column(row, "items")?,
            restocked: row.try_get("restocked")?,
            reason: row.try_get("reason")?,
            created_at: row.try_get::<String, _>("created_at")?.into(),
        })
    })?;

    let mut orders: HashMap<Uuid, Order> = HashMap::with_capacity(order_rows.len());
    for row in &order_rows {
        let order_id = uuid_column(row, "id")?;
        let currency: String = row.try_get("currency")?;
        let money = |amount: i64| Money::new(amount, currency.as_str());
        let status = order_status_column(row)?;
        let payment_status = PaymentStatus::parse(&row.try_get::<String, _>("payment_status")?)
            .ok_or_else(|| ApiError::new(ErrorCode::InternalError, "unknown payment status"))?;
        let subtotal = money(row.try_get("subtotal_amount")?);
        let total = money(row.try_get("total_amount")?);
        // Orders placed before the breakdown existed had no discounts, shipping or tax.
        let totals = optional_json_column::<Totals>(row, "totals")?.unwrap_or_else(|| Totals {
            subtotal: subtotal.clone(),
            discounts: Vec::new(),
            discount_total: money(0),
            shipping: money(0),
            tax: money(0),
            tax_included: false,
            total: total.clone(),
        });
        let items = items.remove(&order_id).unwrap_or_default();
        let downloads = match status {
            OrderStatus::Paid | OrderStatus::Fulfilled => {
                downloads.remove(&order_id).unwrap_or_default()
            }
            _ => Vec::new(),
        };
        let refunds = refunds.remove(&order_id).unwrap_or_default();
        let refunded = money(refunds.iter().map(|refund| refund.amount.amount).sum());
        let order = Order {
            id: order_id,
            shipments: shipments.remove(&order_id).unwrap_or_default(),
            refunds,
            refunded,
            number: count_column(row, "number")?,
            status,
            email: row.try_get("customer_email")?,
            customer_name: row.try_get("customer_name")?,
            phone: row.try_get("customer_phone")?,
            shipping_address: optional_json_column(row, "shipping_address")?,
            billing_address: optional_json_column(row, "billing_address")?,
            shipping_method: row.try_get("shipping_name")?,
            totals,
            item_count: items
                .iter()
                .fold(0u32, |sum, item| sum.saturating_add(item.quantity)),
            items,
            subtotal,
            total,
            payment: Payment {
                provider: row.try_get("payment_provider")?,
                reference: row.try_get("payment_reference")?,
                status: payment_status,
                redirect_url: row.try_get("payment_url")?,
                expires_at: row.try_get::<String, _>("payment_expires_at")?.into(),
            },
            downloads,
            created_at: row.try_get::<String, _>("created_at")?.into(),
            updated_at: row.try_get::<String, _>("updated_at")?.into(),
        };
        orders.insert(order_id, order);
    }
    Ok(ids.iter().filter_map(|id| orders.remove(id)).collect())
}

/// The order after a committed change.
pub async fn order_answer(
    state: &AppState,
    store_id: Uuid,
    order_id: Uuid,
) -> Result<Order, ApiError> {
    let mut conn = state.db.pool.acquire().await?;
    load_order(&mut conn, state, store_id, order_id)
        .await?
        .ok_or_else(|| ApiError::not_found("order", &order_id.to_string()))
}
