//! Shipments and refunds: an order ships in one or several parcels, and is refunded by line or
//! by amount, through its payment provider, with returned units restocked. The last parcel
//! makes the order `fulfilled`; refunding all that was charged makes it `refunded`.

use crate::db::Conn;
use std::collections::HashMap;

use colmena_sdk::contract::{
    ErrorCode, LineQuantity, Money, OrderStatus, PaymentStatus, Refund, RefundInput, Shipment,
    ShipmentInput, Totals,
};
use uuid::Uuid;

use super::lifecycle::{change_status_in, ChangedBy};
use crate::db::{count_column, json_column, json_text, optional_json_column, uuid_column};
use crate::http::ApiError;
use crate::mail::{self, OrderMessage};
use crate::payments::RefundRequest;
use crate::{db, AppState};

/// One order line as shipping and refunds see it.
struct Line {
    id: Uuid,
    variant_id: Uuid,
    quantity: u32,
    digital: bool,
    /// What the buyer paid for the whole line: after its discounts, with its tax when tax was
    /// added to prices.
    paid: i64,
}

/// The order's status, total, currency and lines.
struct Charged {
    status: OrderStatus,
    total: i64,
    currency: String,
    lines: Vec<Line>,
}

/// Reads the order for a parcel or a refund, writing to its row first: that serialises the
/// parcels and refunds of one order (see `change_status_in`).
async fn charged(conn: &mut Conn, store_id: Uuid, order_id: Uuid) -> Result<Charged, ApiError> {
    crate::db::query("UPDATE orders SET updated_at = updated_at WHERE id = $1 AND store_id = $2")
        .bind(order_id)
        .bind(store_id)
        .execute(&mut *conn)
        .await?;
    let row = crate::db::query(
        "SELECT status, total_amount, currency, totals FROM orders WHERE id = $1 AND store_id = $2",
    )
    .bind(order_id)
    .bind(store_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| ApiError::not_found("order", &order_id.to_string()))?;
    let status = super::read::order_status_column(&row)?;
    // Tax added to prices was charged on top of each line; included tax is inside it. Orders
    // placed before the breakdown existed had no tax.
    let tax_added =
        optional_json_column::<Totals>(&row, "totals")?.is_some_and(|totals| !totals.tax_included);
    let lines = crate::db::query(
        "SELECT id, variant_id, quantity, digital, line_amount, discount_amount, tax_amount \
         FROM order_items WHERE store_id = $1 AND order_id = $2 ORDER BY position",
    )
    .bind(store_id)
    .bind(order_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|line| {
        let amount: i64 = line.try_get("line_amount")?;
        let discount: i64 = line.try_get("discount_amount")?;
        let tax: i64 = line.try_get("tax_amount")?;
        Ok(Line {
            id: uuid_column(line, "id")?,
            variant_id: uuid_column(line, "variant_id")?,
            quantity: count_column(line, "quantity")?,
            digital: line.try_get("digital")?,
            paid: amount - discount + if tax_added { tax } else { 0 },
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(Charged {
        status,
        total: row.try_get("total_amount")?,
        currency: row.try_get("currency")?,
        lines,
    })
}

/// Units of each line already in `table` (shipments or refunds) for the order.
async fn counted(
    conn: &mut Conn,
    table: &str,
    store_id: Uuid,
    order_id: Uuid,
) -> Result<HashMap<Uuid, u32>, ApiError> {
    let rows = crate::db::query(&format!(
        "SELECT items FROM {table} WHERE store_id = $1 AND order_id = $2"
    ))
    .bind(store_id)
    .bind(order_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut units = HashMap::new();
    for row in &rows {
        for line in json_column::<Vec<LineQuantity>>(row, "items")? {
            *units.entry(line.order_item_id).or_insert(0) += line.quantity;
        }
    }
    Ok(units)
}

/// Checks `wanted` against the order's lines: each names a line of the order once, with 1 to
/// `left(line)` units.
fn checked_lines<'a>(
    wanted: &[LineQuantity],
    lines: &'a [Line],
    left: impl Fn(&Line) -> u32,
    what: &str,
) -> Result<Vec<(&'a Line, u32)>, ApiError> {
    let mut chosen: Vec<(&Line, u32)> = Vec::new();
    for (index, item) in wanted.iter().enumerate() {
        let field = format!("items[{index}]");
        let line = lines
            .iter()
            .find(|line| line.id == item.order_item_id)
            .ok_or_else(|| ApiError::invalid_field(&field, "is not a line of this order"))?;
        if chosen.iter().any(|(seen, _)| seen.id == line.id) {
            return Err(ApiError::invalid_field(&field, "names the same line twice"));
        }
        let available = left(line);
        if item.quantity == 0 || item.quantity > available {
            return Err(ApiError::invalid_field(
                &format!("{field}.quantity"),
                format_args!("must be 1 to {available}: the units of this line not {what} yet"),
            ));
        }
        chosen.push((line, item.quantity));
    }
    Ok(chosen)
}

/// Records a parcel of a paid order; the parcel that completes the physical lines makes the
/// order `fulfilled`. The buyer is mailed the carrier and tracking number.
pub async fn ship(
    state: &AppState,
    store_id: Uuid,
    order_id: Uuid,
    input: &ShipmentInput,
    by: ChangedBy<'_>,
) -> Result<Shipment, ApiError> {
    let carrier = input.carrier.trim();
    if carrier.is_empty() || carrier.chars().count() > 100 {
        return Err(ApiError::invalid_field(
            "carrier",
            "must be 1 to 100 characters",
        ));
    }
    let tracking_number = input
        .tracking_number
        .as_deref()
        .map(str::trim)
        .filter(|number| !number.is_empty());
    if tracking_number.is_some_and(|number| number.chars().count() > 100) {
        return Err(ApiError::invalid_field(
            "trackingNumber",
            "must be at most 100 characters",
        ));
    }
    if let Some(url) = &input.tracking_url {
        let parsed = url::Url::parse(url)
            .ok()
            .filter(|url| url.scheme() == "https");
        if parsed.is_none() || url.len() > 2048 {
            return Err(ApiError::invalid_field(
                "trackingUrl",
                "must be an https:// URL",
            ));
        }
    }
    let mut tx = state.db.begin_write().await?;
    let order = charged(&mut tx, store_id, order_id).await?;
    if order.status != OrderStatus::Paid {
        return Err(ApiError::conflict(
            "only a paid order that is not fulfilled yet ships",
            order.status.as_str(),
        ));
    }
    let shipped = counted(&mut tx, "shipments", store_id, order_id).await?;
    let unshipped = |line: &Line| {
        if line.digital {
            0
        } else {
            line.quantity - shipped.get(&line.id).copied().unwrap_or(0)
        }
    };
    let items: Vec<LineQuantity> = if input.items.is_empty() {
        order
            .lines
            .iter()
            .filter(|line| unshipped(line) > 0)
            .map(|line| LineQuantity {
                order_item_id: line.id,
                quantity: unshipped(line),
            })
            .collect()
    } else {
        checked_lines(&input.items, &order.lines, unshipped, "shipped")?
            .into_iter()
            .map(|(line, quantity)| LineQuantity {
                order_item_id: line.id,
                quantity,
            })
            .collect()
    };
    if items.is_empty() {
        return Err(ApiError::conflict(
            "every physical line of this order has shipped",
            "shipped",
        ));
    }
    let now = db::now();
    let shipment = Shipment {
        id: Uuid::new_v4(),
        carrier: carrier.to_owned(),
        tracking_number: tracking_number.map(str::to_owned),
        tracking_url: input.tracking_url.clone(),
        items,
        created_at: db::api_time(now),
    };
    crate::db::query(
        "INSERT INTO shipments (id, store_id, order_id, carrier, tracking_number, tracking_url, \
           items, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(shipment.id)
    .bind(store_id)
    .bind(order_id)
    .bind(&shipment.carrier)
    .bind(shipment.tracking_number.as_deref())
    .bind(shipment.tracking_url.as_deref())
    .bind(json_text(&shipment.items)?)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let complete = order.lines.iter().all(|line| {
        let now_shipped = shipment
            .items
            .iter()
            .find(|item| item.order_item_id == line.id)
            .map_or(0, |item| item.quantity);
        unshipped(line) == now_shipped
    });
    if complete {
        change_status_in(
            &mut tx,
            state,
            store_id,
            order_id,
            OrderStatus::Fulfilled,
            None,
            by,
        )
        .await?;
    }
    let order_view = super::read::load_order(&mut tx, state, store_id, order_id)
        .await?
        .ok_or_else(|| ApiError::not_found("order", &order_id.to_string()))?;
    mail::enqueue_order_message(
        &mut tx,
        store_id,
        OrderMessage::Shipped(&shipment),
        &order_view,
    )
    .await?;
    tx.commit().await?;
    Ok(shipment)
}

/// Refunds lines and/or an amount of a paid or fulfilled order through its payment provider,
/// restocking the returned units. Refunding all that was charged makes the order `refunded`
/// (its downloads stop working). The provider is asked first: a refund it refuses changes
/// nothing (502 `PAYMENT_PROVIDER_ERROR`).
pub async fn refund(
    state: &AppState,
    store_id: Uuid,
    order_id: Uuid,
    input: &RefundInput,
    by: ChangedBy<'_>,
) -> Result<Refund, ApiError> {
    if input
        .reason
        .as_ref()
        .is_some_and(|reason| reason.chars().count() > 500)
    {
        return Err(ApiError::invalid_field(
            "reason",
            "must be at most 500 characters",
        ));
    }
    let mut tx = state.db.begin_write().await?;
    let order = charged(&mut tx, store_id, order_id).await?;
    if !matches!(order.status, OrderStatus::Paid | OrderStatus::Fulfilled) {
        return Err(ApiError::conflict(
            "only a paid or fulfilled order is refunded",
            order.status.as_str(),
        ));
    }
    let refunded_units = counted(&mut tx, "refunds", store_id, order_id).await?;
    let already: i64 = crate::db::query(
        "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) AS refunded FROM refunds \
         WHERE store_id = $1 AND order_id = $2",
    )
    .bind(store_id)
    .bind(order_id)
    .fetch_one(&mut *tx)
    .await?
    .try_get("refunded")?;
    let left = order.total - already;
    let lines = checked_lines(
        &input.items,
        &order.lines,
        |line| line.quantity - refunded_units.get(&line.id).copied().unwrap_or(0),
        "refunded",
    )?;
    // A line's units refund their share of what was paid for the line.
    let for_lines: i64 = lines
        .iter()
        .map(|(line, quantity)| {
            (i128::from(line.paid) * i128::from(*quantity) / i128::from(line.quantity.max(1)))
                as i64
        })
        .sum();
    let extra = match &input.amount {
        Some(money) if money.currency != order.currency => {
            return Err(ApiError::invalid_field(
                "amount",
                format_args!("must be in the order's currency ({})", order.currency),
            ))
        }
        Some(money) if money.amount <= 0 => {
            return Err(ApiError::invalid_field("amount", "must be more than zero"))
        }
        Some(money) => money.amount,
        None => 0,
    };
    let amount = if input.items.is_empty() && input.amount.is_none() {
        // Nothing named: what is left of the order.
        left
    } else {
        for_lines + extra
    };
    if amount <= 0 {
        return Err(ApiError::conflict(
            "nothing is left to refund on this order",
            "refunded",
        ));
    }
    if amount > left {
        return Err(ApiError::invalid_field(
            "amount",
            format_args!(
                "is more than is left to refund ({} of {} {})",
                left, order.total, order.currency
            ),
        ));
    }
    let now = db::now();
    let refund = Refund {
        id: Uuid::new_v4(),
        amount: Money::new(amount, order.currency.as_str()),
        items: lines
            .iter()
            .map(|(line, quantity)| LineQuantity {
                order_item_id: line.id,
                quantity: *quantity,
            })
            .collect(),
        restocked: input.restock && !lines.is_empty(),
        reason: input.reason.clone(),
        created_at: db::api_time(now),
    };
    give_money_back(state, &mut tx, store_id, order_id, &refund).await?;
    crate::db::query(
        "INSERT INTO refunds (id, store_id, order_id, amount, items, restocked, reason, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(refund.id)
    .bind(store_id)
    .bind(order_id)
    .bind(amount)
    .bind(json_text(&refund.items)?)
    .bind(refund.restocked)
    .bind(refund.reason.as_deref())
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if refund.restocked {
        for (line, quantity) in &lines {
            crate::db::query(
                "UPDATE product_variants SET inventory = inventory + $1, updated_at = $2 \
                 WHERE id = $3 AND store_id = $4 AND inventory IS NOT NULL",
            )
            .bind(i64::from(*quantity))
            .bind(db::now())
            .bind(line.variant_id)
            .bind(store_id)
            .execute(&mut *tx)
            .await?;
        }
    }
    if amount == left {
        change_status_in(
            &mut tx,
            state,
            store_id,
            order_id,
            OrderStatus::Refunded,
            Some(PaymentStatus::Refunded),
            by,
        )
        .await?;
    } else {
        let order_view = super::read::load_order(&mut tx, state, store_id, order_id)
            .await?
            .ok_or_else(|| ApiError::not_found("order", &order_id.to_string()))?;
        mail::enqueue_order_message(
            &mut tx,
            store_id,
            OrderMessage::PartlyRefunded(&refund.amount),
            &order_view,
        )
        .await?;
    }
    tx.commit().await?;
    state.cache.invalidate();
    Ok(refund)
}

/// Asks the order's payment provider to give `refund.amount` back. The key the provider sees is
/// the refund's id, so that a retry of the same refund is not paid twice.
async fn give_money_back(
    state: &AppState,
    conn: &mut Conn,
    store_id: Uuid,
    order_id: Uuid,
    refund: &Refund,
) -> Result<(), ApiError> {
    let row = crate::db::query(
        "SELECT o.payment_provider, o.payment_intent, s.stripe_account_id \
         FROM orders o JOIN stores s ON s.id = o.store_id WHERE o.id = $1 AND o.store_id = $2",
    )
    .bind(order_id)
    .bind(store_id)
    .fetch_one(&mut *conn)
    .await?;
    let provider_name: String = row.try_get("payment_provider")?;
    let provider = state.providers.get(&provider_name).ok_or_else(|| {
        ApiError::new(
            ErrorCode::PaymentProviderError,
            "this order's payment provider is not available",
        )
    })?;
    let payment_id: Option<String> = row.try_get("payment_intent")?;
    let account: Option<String> = row.try_get("stripe_account_id")?;
    provider
        .refund(&RefundRequest {
            order_id,
            refund_id: refund.id,
            amount: &refund.amount,
            payment_id: payment_id.as_deref(),
            connected_account: account.as_deref(),
        })
        .await
        .map_err(|error| {
            tracing::error!(%error, %order_id, "refund refused by the payment provider");
            ApiError::new(
                ErrorCode::PaymentProviderError,
                "the payment provider did not refund; the order is unchanged, try again",
            )
        })
}
