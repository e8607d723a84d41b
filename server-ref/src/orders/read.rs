//! How an order reads back: its lines, payment and downloads.

use std::time::Duration;

use colmena_sdk::contract::{
    Download, ErrorCode, Money, Order, OrderItem, OrderStatus, Payment, PaymentStatus, Totals,
};
use sqlx::{AnyConnection, Row};
use uuid::Uuid;

use crate::db::{count_column, optional_json_column, uuid_column};
use crate::http::ApiError;
use crate::{db, AppState};

pub(super) fn later(duration: Duration) -> String {
    db::timestamp_text(time::OffsetDateTime::now_utc() + duration)
}

pub(super) fn order_status_column(row: &sqlx::any::AnyRow) -> Result<OrderStatus, ApiError> {
    OrderStatus::parse(&row.try_get::<String, _>("status")?)
        .ok_or_else(|| ApiError::new(ErrorCode::InternalError, "unknown order status"))
}

/// The order as the API shows it, or `None` if the store has no such order.
pub async fn load_order(
    conn: &mut AnyConnection,
    state: &AppState,
    store_id: Uuid,
    order_id: Uuid,
) -> Result<Option<Order>, ApiError> {
    let row = sqlx::query(
        "SELECT number, status, customer_email, customer_name, customer_phone, shipping_address, \
           billing_address, shipping_name, totals, currency, subtotal_amount, total_amount, \
           payment_provider, payment_reference, payment_status, payment_url, payment_expires_at, \
           created_at, updated_at \
         FROM orders WHERE id = $1 AND store_id = $2",
    )
    .bind(order_id.to_string())
    .bind(store_id.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let currency: String = row.try_get("currency")?;
    let status = order_status_column(&row)?;
    let money = |amount: i64| Money::new(amount, currency.as_str());

    let items = sqlx::query(
        "SELECT id, product_id, variant_id, product_name, variant_title, sku, quantity, \
           unit_amount, line_amount, digital \
         FROM order_items WHERE store_id = $1 AND order_id = $2 ORDER BY position",
    )
    .bind(store_id.to_string())
    .bind(order_id.to_string())
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|item| {
        Ok(OrderItem {
            id: uuid_column(item, "id")?,
            product_id: uuid_column(item, "product_id")?,
            product_name: item.try_get("product_name")?,
            variant_id: uuid_column(item, "variant_id")?,
            variant_title: item.try_get("variant_title")?,
            sku: item.try_get("sku")?,
            quantity: count_column(item, "quantity")?,
            unit_price: money(item.try_get("unit_amount")?),
            line_total: money(item.try_get("line_amount")?),
            digital: item.try_get::<i64, _>("digital")? != 0,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;

    let downloads = if matches!(status, OrderStatus::Paid | OrderStatus::Fulfilled) {
        order_downloads(conn, state, store_id, order_id).await?
    } else {
        Vec::new()
    };
    let payment_status = PaymentStatus::parse(&row.try_get::<String, _>("payment_status")?)
        .ok_or_else(|| ApiError::new(ErrorCode::InternalError, "unknown payment status"))?;
    let subtotal = money(row.try_get("subtotal_amount")?);
    let total = money(row.try_get("total_amount")?);
    // Orders placed before the breakdown existed had no discounts, shipping or tax.
    let totals = optional_json_column::<Totals>(&row, "totals")?.unwrap_or_else(|| Totals {
        subtotal: subtotal.clone(),
        discounts: Vec::new(),
        discount_total: money(0),
        shipping: money(0),
        tax: money(0),
        tax_included: false,
        total: total.clone(),
    });
    let (shipments, refunds) =
        super::fulfilment::shipments_and_refunds(conn, store_id, order_id, &currency).await?;
    let refunded = money(refunds.iter().map(|refund| refund.amount.amount).sum());
    Ok(Some(Order {
        id: order_id,
        shipments,
        refunds,
        refunded,
        number: count_column(&row, "number")?,
        status,
        email: row.try_get("customer_email")?,
        customer_name: row.try_get("customer_name")?,
        phone: row.try_get("customer_phone")?,
        shipping_address: optional_json_column(&row, "shipping_address")?,
        billing_address: optional_json_column(&row, "billing_address")?,
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
    }))
}

async fn order_downloads(
    conn: &mut AnyConnection,
    state: &AppState,
    store_id: Uuid,
    order_id: Uuid,
) -> Result<Vec<Download>, ApiError> {
    let rows = sqlx::query(
        "SELECT id, order_item_id, product_id, file_name, expires_at, download_count, \
           max_downloads FROM download_tokens \
         WHERE store_id = $1 AND order_id = $2 AND revoked_at IS NULL ORDER BY created_at, id",
    )
    .bind(store_id.to_string())
    .bind(order_id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            let id = uuid_column(row, "id")?;
            let token = state.keys.capabilities.download_token(id);
            Ok(Download {
                order_item_id: uuid_column(row, "order_item_id")?,
                product_id: uuid_column(row, "product_id")?,
                file_name: row.try_get("file_name")?,
                url: state.urls.absolute(&format!("/api/v1/downloads/{token}")),
                expires_at: row.try_get::<String, _>("expires_at")?.into(),
                downloads_remaining: count_column(row, "max_downloads")?
                    .saturating_sub(count_column(row, "download_count")?),
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()
        .map_err(ApiError::from)
}

/// The orders whose ids `rows` hold (column `id`), in that order.
pub async fn load_orders(
    state: &AppState,
    store_id: Uuid,
    rows: &[sqlx::any::AnyRow],
) -> Result<Vec<Order>, ApiError> {
    let mut conn = state.db.pool.acquire().await?;
    let mut orders = Vec::with_capacity(rows.len());
    for row in rows {
        if let Some(order) = load_order(&mut conn, state, store_id, uuid_column(row, "id")?).await?
        {
            orders.push(order);
        }
    }
    Ok(orders)
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
