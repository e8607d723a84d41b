//! Checkout, orders and their life cycle, test payments, and digital delivery.
//!
//! Stock is reserved by checkout: each tracked variant's `inventory` is decreased with a
//! conditional `UPDATE … WHERE inventory >= quantity`, which both engines apply atomically, so
//! concurrent checkouts can never sell more than there is. Cancelling or expiring an unpaid order
//! gives the units back. Status changes are compare-and-set on the current status, so two
//! concurrent changes cannot both apply.

use std::time::Duration;

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use axum::Json;
use colmena_sdk::contract::{
    validate_email, ApiResponse, CheckoutRequest, CheckoutSession, Download, ErrorCode,
    ErrorDetails, Money, NoData, Order, OrderItem, OrderStatus, Payment, PaymentStatus,
    TestPaymentOutcome, TestPaymentRequest, WebhookEventData, WebhookEventType,
};
use sqlx::{AnyConnection, Row};
use uuid::Uuid;

use crate::admin::AdminContext;
use crate::stores::load_store;
use crate::http::{ok, ApiError, JsonBody, PathParams};
use crate::carts::cart_lines;
use crate::db::{count_column, uuid_column};
use crate::http::idempotency::{ClaimedKey, RebuiltOnReplay};
use crate::payments::{PaymentRequest, TEST_PROVIDER};
use crate::{db, webhooks, AppState};

/// Header carrying the order access token of `GET …/orders/{orderId}`.
pub const ORDER_TOKEN_HEADER: &str = "x-order-token";

/// Time limits of payments and downloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommerceConfig {
    /// An order unpaid this long after checkout is cancelled and its stock released.
    pub payment_ttl: Duration,
    /// A download link works this long after payment.
    pub download_ttl: Duration,
    /// A download link works this many times.
    pub max_downloads: u32,
}

impl Default for CommerceConfig {
    fn default() -> Self {
        Self {
            payment_ttl: Duration::from_secs(30 * 60),
            download_ttl: Duration::from_secs(72 * 3600),
            max_downloads: 5,
        }
    }
}

fn later(duration: Duration) -> String {
    db::timestamp_text(time::OffsetDateTime::now_utc() + duration)
}

fn order_status_column(row: &sqlx::any::AnyRow) -> Result<OrderStatus, ApiError> {
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
        "SELECT status, customer_email, currency, subtotal_amount, total_amount, \
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
    Ok(Some(Order {
        id: order_id,
        status,
        email: row.try_get("customer_email")?,
        item_count: items
            .iter()
            .fold(0u32, |sum, item| sum.saturating_add(item.quantity)),
        items,
        subtotal: money(row.try_get("subtotal_amount")?),
        total: money(row.try_get("total_amount")?),
        payment: Payment {
            provider: row.try_get("payment_provider")?,
            reference: row.try_get("payment_reference")?,
            status: payment_status,
            redirect_url: row.try_get("payment_url")?,
            expires_at: row.try_get("payment_expires_at")?,
        },
        downloads,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
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
                expires_at: row.try_get("expires_at")?,
                downloads_remaining: count_column(row, "max_downloads")?
                    .saturating_sub(count_column(row, "download_count")?),
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()
        .map_err(ApiError::from)
}

/// The order after a committed change.
async fn answer(state: &AppState, store_id: Uuid, order_id: Uuid) -> Result<Order, ApiError> {
    let mut conn = state.db.pool.acquire().await?;
    load_order(&mut conn, state, store_id, order_id)
        .await?
        .ok_or_else(|| ApiError::not_found("order", &order_id.to_string()))
}

/// Moves an order from its current status to `next`, with the side effects of that step:
/// cancelling an unpaid order releases its stock, paying issues download tokens, refunding
/// revokes them. `payment` updates the payment status, and `audit` (a staff change and its
/// action name) writes the audit log, in the same transaction.
pub async fn change_status(
    state: &AppState,
    store_id: Uuid,
    order_id: Uuid,
    next: OrderStatus,
    payment: Option<PaymentStatus>,
    audit: Option<(&AdminContext, &str)>,
) -> Result<Order, ApiError> {
    let mut tx = state.db.pool.begin().await?;
    change_status_in(&mut tx, state, store_id, order_id, next, payment, audit).await?;
    tx.commit().await?;
    state.cache.invalidate();
    answer(state, store_id, order_id).await
}

/// [`change_status`] inside the caller's transaction (which also records, say, the payment
/// provider's event), emitting the partner webhooks of the change. A change the life cycle
/// forbids is 409 `CONFLICT`.
pub async fn change_status_in(
    tx: &mut AnyConnection,
    state: &AppState,
    store_id: Uuid,
    order_id: Uuid,
    next: OrderStatus,
    payment: Option<PaymentStatus>,
    audit: Option<(&AdminContext, &str)>,
) -> Result<(), ApiError> {
    // Lock the order row with a write before reading it: a SQLite transaction that reads first
    // cannot take the write lock while another writer (the webhook worker) is active, and on
    // PostgreSQL this serialises concurrent changes of the order.
    sqlx::query("UPDATE orders SET updated_at = updated_at WHERE id = $1 AND store_id = $2")
        .bind(order_id.to_string())
        .bind(store_id.to_string())
        .execute(&mut *tx)
        .await?;
    let current = sqlx::query("SELECT status FROM orders WHERE id = $1 AND store_id = $2")
        .bind(order_id.to_string())
        .bind(store_id.to_string())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| ApiError::not_found("order", &order_id.to_string()))
        .and_then(|row| order_status_column(&row))?;
    let refuse = |current: OrderStatus| {
        ApiError::conflict(
            format!("an order that is {current} cannot become {next}"),
            current.as_str(),
        )
    };
    if !current.can_become(next) {
        return Err(refuse(current));
    }
    let now = db::now_text();
    let paid_at = if next == OrderStatus::Paid {
        ", paid_at = $4"
    } else {
        ""
    };
    let payment_status = if payment.is_some() {
        ", payment_status = $6"
    } else {
        ""
    };
    let sql = format!(
        "UPDATE orders SET status = $1, updated_at = $4{paid_at}{payment_status} \
         WHERE id = $2 AND store_id = $3 AND status = $5"
    );
    let mut update = sqlx::query(&sql)
        .bind(next.as_str())
        .bind(order_id.to_string())
        .bind(store_id.to_string())
        .bind(&now)
        .bind(current.as_str());
    if let Some(payment) = payment {
        update = update.bind(payment.as_str());
    }
    if update.execute(&mut *tx).await?.rows_affected() != 1 {
        // Someone else changed it between the read and the update.
        return Err(refuse(current));
    }
    match next {
        OrderStatus::Cancelled => release_stock(&mut *tx, store_id, order_id, &now).await?,
        OrderStatus::Paid => issue_downloads(&mut *tx, state, store_id, order_id, &now).await?,
        OrderStatus::Refunded => {
            sqlx::query(
                "UPDATE download_tokens SET revoked_at = $1 \
                 WHERE store_id = $2 AND order_id = $3 AND revoked_at IS NULL",
            )
            .bind(&now)
            .bind(store_id.to_string())
            .bind(order_id.to_string())
            .execute(&mut *tx)
            .await?;
        }
        OrderStatus::PendingPayment | OrderStatus::Fulfilled => {}
    }
    if let Some((ctx, action)) = audit {
        let old = serde_json::json!({ "status": current });
        let new = serde_json::json!({ "status": next, "payment": payment });
        ctx.audit(
            &mut *tx,
            action,
            "order",
            &order_id.to_string(),
            Some(&old),
            Some(&new),
        )
        .await?;
    }
    emit_order_events(tx, state, store_id, order_id, next).await
}

/// The partner webhooks of an order reaching `status`.
async fn emit_order_events(
    tx: &mut AnyConnection,
    state: &AppState,
    store_id: Uuid,
    order_id: Uuid,
    status: OrderStatus,
) -> Result<(), ApiError> {
    let event = match status {
        OrderStatus::PendingPayment => WebhookEventType::OrderCreated,
        OrderStatus::Paid => WebhookEventType::OrderPaid,
        OrderStatus::Refunded => WebhookEventType::OrderRefunded,
        OrderStatus::Fulfilled => WebhookEventType::OrderFulfilled,
        OrderStatus::Cancelled => return Ok(()),
    };
    let order = load_order(&mut *tx, state, store_id, order_id)
        .await?
        .ok_or_else(|| ApiError::not_found("order", &order_id.to_string()))?;
    if status == OrderStatus::Paid {
        for download in &order.downloads {
            let data = WebhookEventData {
                order_id: Some(order_id),
                download: Some(download.clone()),
                ..WebhookEventData::default()
            };
            webhooks::emit(&mut *tx, store_id, WebhookEventType::DownloadCreated, data).await?;
        }
    }
    let data = WebhookEventData {
        order: Some(order),
        ..WebhookEventData::default()
    };
    webhooks::emit(tx, store_id, event, data).await
}

/// Gives the units of an order back to its tracked variants.
async fn release_stock(
    conn: &mut AnyConnection,
    store_id: Uuid,
    order_id: Uuid,
    now: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE product_variants SET updated_at = $3, inventory = inventory + \
           (SELECT SUM(oi.quantity) FROM order_items oi \
             WHERE oi.store_id = $1 AND oi.order_id = $2 AND oi.variant_id = product_variants.id) \
         WHERE store_id = $1 AND inventory IS NOT NULL AND id IN \
           (SELECT variant_id FROM order_items WHERE store_id = $1 AND order_id = $2)",
    )
    .bind(store_id.to_string())
    .bind(order_id.to_string())
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// One download token per digital line of a just-paid order.
async fn issue_downloads(
    conn: &mut AnyConnection,
    state: &AppState,
    store_id: Uuid,
    order_id: Uuid,
    now: &str,
) -> Result<(), sqlx::Error> {
    let files = sqlx::query(
        "SELECT oi.id, oi.product_id, p.digital_file_key, p.digital_file_name \
         FROM order_items oi JOIN products p ON p.id = oi.product_id AND p.store_id = oi.store_id \
         WHERE oi.store_id = $1 AND oi.order_id = $2 AND oi.digital = 1 \
           AND p.digital_file_key IS NOT NULL ORDER BY oi.position",
    )
    .bind(store_id.to_string())
    .bind(order_id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let expires = later(state.commerce.download_ttl);
    for file in files {
        sqlx::query(
            "INSERT INTO download_tokens (id, store_id, order_id, order_item_id, product_id, \
               file_key, file_name, expires_at, download_count, max_downloads, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9, $10)",
        )
        .bind(Uuid::new_v4().to_string())
        .bind(store_id.to_string())
        .bind(order_id.to_string())
        .bind(file.try_get::<String, _>("id")?)
        .bind(file.try_get::<String, _>("product_id")?)
        .bind(file.try_get::<String, _>("digital_file_key")?)
        .bind(
            file.try_get::<Option<String>, _>("digital_file_name")?
                .unwrap_or_else(|| "download".to_owned()),
        )
        .bind(&expires)
        .bind(i64::from(state.commerce.max_downloads))
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Creates the order of a cart and reserves its stock, in one transaction. Returns its id.
async fn place_order(
    state: &AppState,
    store_id: Uuid,
    currency: &str,
    provider: &str,
    request: &CheckoutRequest,
    key: Option<&ClaimedKey>,
) -> Result<Uuid, ApiError> {
    let cart_key = request.cart_id.to_string();
    let now = db::now_text();
    let mut tx = state.db.pool.begin().await?;
    // Claiming the cart first is the write that serialises checkouts of one cart.
    let claimed = sqlx::query(
        "UPDATE carts SET status = 'checked_out', updated_at = $1 \
         WHERE id = $2 AND store_id = $3 AND status = 'open'",
    )
    .bind(&now)
    .bind(&cart_key)
    .bind(store_id.to_string())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if claimed != 1 {
        let exists = sqlx::query("SELECT 1 AS found FROM carts WHERE id = $1 AND store_id = $2")
            .bind(&cart_key)
            .bind(store_id.to_string())
            .fetch_optional(&mut *tx)
            .await?
            .is_some();
        return Err(if exists {
            ApiError::conflict("this cart was already checked out", "checked_out")
        } else {
            ApiError::not_found("cart", &cart_key)
        });
    }
    let lines = cart_lines(&mut tx, &state.urls, store_id, request.cart_id).await?;
    if lines.is_empty() {
        return Err(ApiError::invalid_field("cartId", "names an empty cart"));
    }
    if let Some(gone) = lines.iter().find(|line| !line.product_active) {
        return Err(ApiError::conflict(
            format!(
                "{} is no longer sold; remove it from the cart",
                gone.product_name
            ),
            "inactive",
        ));
    }
    let total = lines
        .iter()
        .try_fold(0i64, |sum, line| {
            sum.checked_add(line.unit_amount.checked_mul(i64::from(line.quantity))?)
        })
        .ok_or_else(|| ApiError::invalid_field("cartId", "has a total too large to charge"))?;
    if let Some(expected) = &request.expected_total {
        if expected.amount != total || expected.currency != currency {
            return Err(ApiError::new(
                ErrorCode::PriceChanged,
                "prices changed since the cart was shown; review the new total",
            )
            .with_details(ErrorDetails {
                current_total: Some(Money::new(total, currency)),
                ..ErrorDetails::default()
            }));
        }
    }
    // Reserve in variant order, so that concurrent checkouts lock rows in the same order and
    // cannot deadlock on PostgreSQL.
    let mut tracked: Vec<_> = lines
        .iter()
        .filter(|line| line.inventory.is_some())
        .collect();
    tracked.sort_by_key(|line| line.variant_id);
    for line in tracked {
        let reserved = sqlx::query(
            "UPDATE product_variants SET inventory = inventory - $1, updated_at = $2 \
             WHERE id = $3 AND store_id = $4 AND inventory IS NOT NULL AND inventory >= $1",
        )
        .bind(i64::from(line.quantity))
        .bind(&now)
        .bind(line.variant_id.to_string())
        .bind(store_id.to_string())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if reserved != 1 {
            let left: Option<i64> = sqlx::query(
                "SELECT inventory FROM product_variants WHERE id = $1 AND store_id = $2",
            )
            .bind(line.variant_id.to_string())
            .bind(store_id.to_string())
            .fetch_optional(&mut *tx)
            .await?
            .map(|row| row.try_get("inventory"))
            .transpose()?
            .flatten();
            return Err(ApiError::insufficient_inventory(
                line.variant_id,
                &line.sku,
                u32::try_from(left.unwrap_or(0).max(0)).unwrap_or(0),
            ));
        }
    }
    let order_id = Uuid::new_v4();
    sqlx::query(
        "INSERT INTO orders (id, store_id, cart_id, customer_email, status, currency, \
           subtotal_amount, total_amount, payment_provider, payment_status, payment_expires_at, \
           created_at, updated_at, checkout_key) \
         VALUES ($1, $2, $3, $4, 'pending_payment', $5, $6, $6, $7, 'pending', $8, $9, $9, $10)",
    )
    .bind(order_id.to_string())
    .bind(store_id.to_string())
    .bind(&cart_key)
    .bind(request.email.trim())
    .bind(currency)
    .bind(total)
    .bind(provider)
    .bind(later(state.commerce.payment_ttl))
    .bind(&now)
    .bind(key.map(|key| key.0.as_str()))
    .execute(&mut *tx)
    .await?;
    for (position, line) in lines.iter().enumerate() {
        sqlx::query(
            "INSERT INTO order_items (id, store_id, order_id, product_id, variant_id, \
               product_name, variant_title, sku, quantity, unit_amount, line_amount, digital, \
               position) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(Uuid::new_v4().to_string())
        .bind(store_id.to_string())
        .bind(order_id.to_string())
        .bind(line.product_id.to_string())
        .bind(line.variant_id.to_string())
        .bind(&line.product_name)
        .bind(&line.variant_title)
        .bind(&line.sku)
        .bind(i64::from(line.quantity))
        .bind(line.unit_amount)
        .bind(line.line_amount())
        .bind(i64::from(line.digital))
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .execute(&mut *tx)
        .await?;
    }
    emit_order_events(
        &mut tx,
        state,
        store_id,
        order_id,
        OrderStatus::PendingPayment,
    )
    .await?;
    tx.commit().await?;
    state.cache.invalidate();
    Ok(order_id)
}

/// Turns a cart into an order (`pending_payment`), reserves its stock, and sets up its payment.
#[utoipa::path(post, path = "/api/v1/stores/{store}/checkout", tag = "checkout",
    params(("store" = String, Path, description = "Store slug")),
    request_body = CheckoutRequest,
    responses(
        (status = 201, description = "The order, its access token and its payment", body = ApiResponse<CheckoutSession>),
        (status = 400, description = "`VALIDATION_ERROR`: bad email or empty cart", body = ApiResponse<NoData>),
        (status = 404, description = "`STORE_NOT_FOUND`, or `NOT_FOUND` for the cart", body = ApiResponse<NoData>),
        (status = 409, description = "`INSUFFICIENT_INVENTORY` (with `details.available`), `PRICE_CHANGED` (with `details.currentTotal`), or `CONFLICT` for a checked-out cart", body = ApiResponse<NoData>),
        (status = 415, description = "`UNSUPPORTED_MEDIA_TYPE`", body = ApiResponse<NoData>),
        (status = 502, description = "`PAYMENT_PROVIDER_ERROR`: the order was cancelled and its stock released", body = ApiResponse<NoData>),
    ))]
pub async fn checkout(
    State(state): State<AppState>,
    PathParams(slug): PathParams<String>,
    key: Option<Extension<ClaimedKey>>,
    JsonBody(request): JsonBody<CheckoutRequest>,
) -> Result<Response, ApiError> {
    validate_email(&request.email).map_err(|m| ApiError::invalid_field("email", m))?;
    let store = load_store(&state, &slug).await?;
    let key = key.map(|Extension(key)| key);
    let return_url = match &request.return_url {
        Some(url) => checked_return_url(&state, store.id, url).await?,
        None => state.urls.absolute("/"),
    };
    let payments =
        sqlx::query("SELECT payment_provider, stripe_account_id FROM stores WHERE id = $1")
            .bind(store.id.to_string())
            .fetch_one(&state.db.pool)
            .await?;
    let provider_name: String = payments.try_get("payment_provider")?;
    let connected_account: Option<String> = payments.try_get("stripe_account_id")?;
    let provider = state.providers.get(&provider_name).cloned().ok_or_else(|| {
        tracing::error!(store = %store.slug, provider = %provider_name, "unknown payment provider");
        ApiError::new(
            ErrorCode::PaymentProviderError,
            "this store's payment provider is not available",
        )
    })?;
    // A retry of this key (after a crash, or a replay) finishes the order it placed.
    let placed = match &key {
        Some(key) => order_placed_with(&state, store.id, key).await?,
        None => None,
    };
    let order_id = match placed {
        Some(order_id) => order_id,
        None => {
            place_order(
                &state,
                store.id,
                &store.currency,
                &provider_name,
                &request,
                key.as_ref(),
            )
            .await?
        }
    };
    let mut order = answer(&state, store.id, order_id).await?;
    let unpaid_without_session =
        order.status == OrderStatus::PendingPayment && order.payment.reference.is_none();
    if unpaid_without_session {
        let session = provider
            .create_session(&PaymentRequest {
                store_id: store.id,
                order_id,
                amount: &order.total,
                email: &order.email,
                expires_at: &order.payment.expires_at,
                description: &format!(
                    "{} — order {}",
                    store.name,
                    &order_id.simple().to_string()[..8]
                ),
                return_url: &return_url,
                connected_account: connected_account.as_deref(),
            })
            .await;
        let session = match session {
            Ok(session) => session,
            Err(error) => {
                tracing::error!(%error, %order_id, "payment session failed; cancelling the order");
                abandon_checkout(&state, store.id, order_id, request.cart_id).await?;
                return Err(ApiError::new(
                    ErrorCode::PaymentProviderError,
                    "the payment could not be set up; nothing was charged, try again",
                ));
            }
        };
        sqlx::query(
            "UPDATE orders SET payment_reference = $1, payment_url = $2 \
             WHERE id = $3 AND store_id = $4",
        )
        .bind(&session.reference)
        .bind(session.redirect_url.as_deref())
        .bind(order_id.to_string())
        .bind(store.id.to_string())
        .execute(&state.db.pool)
        .await?;
        // The order as loaded, with the two payment fields just written (no second read).
        order.payment.reference = Some(session.reference);
        order.payment.redirect_url = session.redirect_url;
    }
    let mut response = (
        StatusCode::CREATED,
        ok(CheckoutSession {
            order,
            order_token: state.keys.capabilities.order_token(order_id),
        }),
    )
        .into_response();
    // The answer holds the order token: replays rebuild it instead of reading it from storage.
    response.extensions_mut().insert(RebuiltOnReplay);
    Ok(response)
}

/// The order a checkout with this idempotency key placed, if one did.
async fn order_placed_with(
    state: &AppState,
    store_id: Uuid,
    key: &ClaimedKey,
) -> Result<Option<Uuid>, ApiError> {
    sqlx::query("SELECT id FROM orders WHERE store_id = $1 AND checkout_key = $2")
        .bind(store_id.to_string())
        .bind(&key.0)
        .fetch_optional(&state.db.pool)
        .await?
        .map(|row| uuid_column(&row, "id"))
        .transpose()
        .map_err(ApiError::from)
}

/// Undoes a checkout whose payment could not be set up: the order is cancelled (its stock
/// released), forgets its idempotency key, and the cart opens again, so that trying again
/// (with the same key or a new one) places a new order.
async fn abandon_checkout(
    state: &AppState,
    store_id: Uuid,
    order_id: Uuid,
    cart_id: Uuid,
) -> Result<(), ApiError> {
    let mut tx = state.db.pool.begin().await?;
    change_status_in(
        &mut tx,
        state,
        store_id,
        order_id,
        OrderStatus::Cancelled,
        Some(PaymentStatus::Failed),
        None,
    )
    .await?;
    sqlx::query("UPDATE orders SET checkout_key = NULL WHERE id = $1 AND store_id = $2")
        .bind(order_id.to_string())
        .bind(store_id.to_string())
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "UPDATE carts SET status = 'open', updated_at = $1 \
         WHERE id = $2 AND store_id = $3 AND status = 'checked_out'",
    )
    .bind(db::now_text())
    .bind(cart_id.to_string())
    .bind(store_id.to_string())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    state.cache.invalidate();
    Ok(())
}

/// A checkout's `returnUrl`, which must be on one of the store's allowed origins: a hosted
/// payment page must not become an open redirect.
async fn checked_return_url(
    state: &AppState,
    store_id: Uuid,
    text: &str,
) -> Result<String, ApiError> {
    let invalid = || {
        ApiError::invalid_field(
            "returnUrl",
            "must be a URL on one of the store's allowed origins",
        )
    };
    let url = url::Url::parse(text).map_err(|_| invalid())?;
    if !matches!(url.scheme(), "http" | "https") || text.len() > 2048 {
        return Err(invalid());
    }
    let origin = url.origin().ascii_serialization();
    let allowed = crate::stores::allowed_origins(&state.db, store_id).await?;
    if allowed.contains(&origin) {
        Ok(url.to_string())
    } else {
        Err(invalid())
    }
}

/// An order, for the customer holding its access token (`x-order-token` header).
#[utoipa::path(get, path = "/api/v1/stores/{store}/orders/{orderId}", tag = "checkout",
    params(
        ("store" = String, Path, description = "Store slug"),
        ("orderId" = Uuid, Path, description = "Order id"),
        ("x-order-token" = String, Header, description = "The `orderToken` checkout answered"),
    ),
    responses(
        (status = 200, description = "The order, with download links once paid", body = ApiResponse<Order>),
        (status = 401, description = "`UNAUTHORIZED`: no order token", body = ApiResponse<NoData>),
        (status = 404, description = "`STORE_NOT_FOUND`, or `NOT_FOUND` (also for a wrong token)", body = ApiResponse<NoData>),
    ))]
pub async fn get_order(
    State(state): State<AppState>,
    PathParams((slug, order_id)): PathParams<(String, Uuid)>,
    headers: HeaderMap,
) -> Result<Json<ApiResponse<Order>>, ApiError> {
    let token = headers
        .get(ORDER_TOKEN_HEADER)
        .and_then(|value| value.to_str().ok())
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::Unauthorized,
                "send the order token in the x-order-token header",
            )
        })?;
    let store = load_store(&state, &slug).await?;
    // A wrong token looks exactly like a missing order: ids cannot be probed.
    if !state.keys.capabilities.order_token_matches(order_id, token) {
        return Err(ApiError::not_found("order", &order_id.to_string()));
    }
    Ok(ok(answer(&state, store.id, order_id).await?))
}

/// Settles a payment of the built-in test provider, as a real provider's webhook would. Exists
/// only for stores whose payment provider is `test`.
#[utoipa::path(post, path = "/api/v1/stores/{store}/test-payments/{reference}", tag = "checkout",
    params(
        ("store" = String, Path, description = "Store slug"),
        ("reference" = String, Path, description = "`order.payment.reference` from checkout"),
    ),
    request_body = TestPaymentRequest,
    responses(
        (status = 200, description = "The order after the payment: `paid` or `cancelled`", body = ApiResponse<Order>),
        (status = 404, description = "`STORE_NOT_FOUND`, or `NOT_FOUND`: no such test payment (or the store uses a real provider)", body = ApiResponse<NoData>),
        (status = 409, description = "`CONFLICT`: the order is no longer awaiting payment", body = ApiResponse<NoData>),
    ))]
pub async fn settle_test_payment(
    State(state): State<AppState>,
    PathParams((slug, reference)): PathParams<(String, String)>,
    JsonBody(request): JsonBody<TestPaymentRequest>,
) -> Result<Json<ApiResponse<Order>>, ApiError> {
    let store = load_store(&state, &slug).await?;
    let order_id = sqlx::query(
        "SELECT o.id FROM orders o JOIN stores s ON s.id = o.store_id \
         WHERE o.store_id = $1 AND o.payment_reference = $2 AND o.payment_provider = $3 \
           AND s.payment_provider = $3",
    )
    .bind(store.id.to_string())
    .bind(&reference)
    .bind(TEST_PROVIDER)
    .fetch_optional(&state.db.pool)
    .await?
    .map(|row| uuid_column(&row, "id"))
    .transpose()?
    .ok_or_else(|| ApiError::not_found("test payment", &reference))?;
    let (next, payment) = match request.outcome {
        TestPaymentOutcome::Succeed => (OrderStatus::Paid, PaymentStatus::Succeeded),
        TestPaymentOutcome::Fail => (OrderStatus::Cancelled, PaymentStatus::Failed),
    };
    Ok(ok(change_status(
        &state,
        store.id,
        order_id,
        next,
        Some(payment),
        None,
    )
    .await?))
}

/// Cancels unpaid orders whose payment time ran out, releasing their stock. Returns how many.
pub async fn expire_unpaid_orders(state: &AppState) -> Result<usize, ApiError> {
    let overdue = sqlx::query(
        "SELECT id, store_id FROM orders WHERE status = 'pending_payment' \
         AND payment_expires_at <= $1 ORDER BY payment_expires_at LIMIT 500",
    )
    .bind(db::now_text())
    .fetch_all(&state.db.pool)
    .await?;
    let mut expired = 0;
    for row in overdue {
        let (order_id, store_id) = (uuid_column(&row, "id")?, uuid_column(&row, "store_id")?);
        let outcome = change_status(
            state,
            store_id,
            order_id,
            OrderStatus::Cancelled,
            Some(PaymentStatus::Expired),
            None,
        )
        .await;
        // A payment settled meanwhile wins; that is not a failure.
        if outcome.is_ok() {
            expired += 1;
        }
    }
    Ok(expired)
}

/// Runs [`expire_unpaid_orders`] in the background, often enough for the payment time limit.
pub fn spawn_expiry_sweeper(state: AppState) {
    let period =
        (state.commerce.payment_ttl / 4).clamp(Duration::from_secs(1), Duration::from_secs(30));
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(period);
        loop {
            tick.tick().await;
            match expire_unpaid_orders(&state).await {
                Ok(0) => {}
                Ok(count) => {
                    tracing::info!(count, "cancelled unpaid orders past their payment time")
                }
                Err(error) => tracing::warn!(?error, "cannot expire unpaid orders"),
            }
        }
    });
}

fn content_type(file_name: &str) -> &'static str {
    let extension = file_name
        .rsplit('.')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match extension.as_str() {
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        _ => "application/octet-stream",
    }
}

/// `attachment; filename="…"` with only characters that need no quoting rules.
fn attachment(file_name: &str) -> HeaderValue {
    let safe: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ') {
                c
            } else {
                '_'
            }
        })
        .collect();
    HeaderValue::from_str(&format!("attachment; filename=\"{safe}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

/// Streams the file of a paid digital item. Each call counts against the link's limit.
#[utoipa::path(get, path = "/api/v1/downloads/{token}", tag = "checkout",
    params(("token" = String, Path, description = "The token of an order's download link")),
    responses(
        (status = 200, description = "The file", content_type = "application/octet-stream"),
        (status = 404, description = "`NOT_FOUND`: no such download", body = ApiResponse<NoData>),
        (status = 410, description = "`DOWNLOAD_EXPIRED`: expired, used up or revoked", body = ApiResponse<NoData>),
    ))]
pub async fn download(
    State(state): State<AppState>,
    PathParams(token): PathParams<String>,
) -> Result<Response, ApiError> {
    let not_found = || ApiError::not_found("download", "link");
    let id = state
        .keys
        .capabilities
        .download_id(&token)
        .ok_or_else(not_found)?;
    let counted = sqlx::query(
        "UPDATE download_tokens SET download_count = download_count + 1 \
         WHERE id = $1 AND revoked_at IS NULL AND expires_at > $2 \
           AND download_count < max_downloads",
    )
    .bind(id.to_string())
    .bind(db::now_text())
    .execute(&state.db.pool)
    .await?
    .rows_affected();
    let row =
        sqlx::query("SELECT store_id, file_key, file_name FROM download_tokens WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&state.db.pool)
            .await?
            .ok_or_else(not_found)?;
    if counted != 1 {
        return Err(ApiError::new(
            ErrorCode::DownloadExpired,
            "this download link has expired or was used up",
        ));
    }
    sqlx::query(
        "INSERT INTO download_events (id, store_id, token_id, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(Uuid::new_v4().to_string())
    .bind(row.try_get::<String, _>("store_id")?)
    .bind(id.to_string())
    .bind(db::now_text())
    .execute(&state.db.pool)
    .await?;
    let file_key: String = row.try_get("file_key")?;
    let file_name: String = row.try_get("file_name")?;
    let file = match state.files.get(&file_key).await {
        Ok(Some(file)) => file,
        outcome => {
            if let Err(error) = outcome {
                tracing::error!(%error, %file_key, "cannot read a digital file");
            } else {
                tracing::error!(%file_key, "digital file missing from storage");
            }
            // The attempt did not deliver anything: give it back.
            sqlx::query(
                "UPDATE download_tokens SET download_count = download_count - 1 WHERE id = $1",
            )
            .bind(id.to_string())
            .execute(&state.db.pool)
            .await?;
            return Err(ApiError::new(
                ErrorCode::ServiceUnavailable,
                "the file is temporarily unavailable; retry later",
            )
            .with_retry_after(30));
        }
    };
    let mut response = file.body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(&file_name)),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(file.len));
    headers.insert(header::CONTENT_DISPOSITION, attachment(&file_name));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(response)
}
