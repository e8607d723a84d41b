//! Orders for staff: list, read, fulfil, cancel, refund, and each order's history.

use axum::extract::State;
use axum::Json;
use colmena_sdk::contract::{
    ApiResponse, AuditActor, ErrorCode, NoData, Order, OrderEvent, OrderListQuery, OrderStatus,
    OrderStatusChange, PaymentStatus, Permission,
};
use serde::Deserialize;
use sqlx::Row;
use uuid::Uuid;

use crate::admin::{time_range, AdminContext};
use crate::audit::Entity;
use crate::db::{optional_json_column, total_column, uuid_column};
use crate::http::PageBounds;
use crate::http::{ok, ApiError, JsonBody, PathParams, QueryParams};
use crate::orders::{change_status, load_order, load_orders, ChangedBy};
use crate::payments::RefundRequest;
use crate::AppState;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The order routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_orders))
        .routes(routes!(get_order))
        .routes(routes!(order_events))
        .routes(routes!(set_order_status))
        .routes(routes!(refund_order))
}

/// The store's orders, newest first, filtered by status, creation time and customer email.
#[utoipa::path(get, path = "/api/v1/admin/stores/{store}/orders", tag = "admin-orders",
    params(("store" = String, Path, description = "Store slug"), OrderListQuery),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "One page of orders", body = ApiResponse<Vec<Order>>),
        (status = 400, description = "`VALIDATION_ERROR` naming the parameter", body = ApiResponse<NoData>),
        (status = 403, description = "`FORBIDDEN`: no `orders.read`", body = ApiResponse<NoData>),
    ))]
pub async fn list_orders(
    State(state): State<AppState>,
    ctx: AdminContext,
    QueryParams(query): QueryParams<OrderListQuery>,
) -> Result<Json<ApiResponse<Vec<Order>>>, ApiError> {
    ctx.require(Permission::OrdersRead)?;
    let bounds = PageBounds::new(query.limit, query.offset)?;
    let (from, to) = time_range(query.from.as_deref(), query.to.as_deref())?;
    let status = query.status.map(OrderStatus::as_str).unwrap_or_default();
    let email = query
        .email
        .as_deref()
        .map(str::trim)
        .unwrap_or_default()
        .to_lowercase();
    // Empty filters match everything, so that one statement serves every combination.
    let filter = "WHERE store_id = $1 AND ($2 = '' OR status = $2) AND created_at >= $3 \
                  AND created_at < $4 AND ($5 = '' OR LOWER(customer_email) = $5)";
    let total = total_column(
        &sqlx::query(&format!("SELECT COUNT(*) AS n FROM orders {filter}"))
            .bind(ctx.store.id.to_string())
            .bind(status)
            .bind(&from)
            .bind(&to)
            .bind(&email)
            .fetch_one(&state.db.pool)
            .await?,
        "n",
    )?;
    let ids = sqlx::query(&format!(
        "SELECT id FROM orders {filter} ORDER BY created_at DESC, id LIMIT $6 OFFSET $7"
    ))
    .bind(ctx.store.id.to_string())
    .bind(status)
    .bind(&from)
    .bind(&to)
    .bind(&email)
    .bind(bounds.sql_limit())
    .bind(bounds.sql_offset())
    .fetch_all(&state.db.pool)
    .await?;
    let orders = load_orders(&state, ctx.store.id, &ids).await?;
    Ok(bounds.answer(orders, total))
}

async fn order_of(state: &AppState, ctx: &AdminContext, order_id: Uuid) -> Result<Order, ApiError> {
    let mut conn = state.db.pool.acquire().await?;
    load_order(&mut conn, state, ctx.store.id, order_id)
        .await?
        .ok_or_else(|| ApiError::not_found("order", &order_id.to_string()))
}

/// One order.
#[utoipa::path(get, path = "/api/v1/admin/stores/{store}/orders/{orderId}", tag = "admin-orders", operation_id = "admin_get_order",
    params(("store" = String, Path, description = "Store slug"), ("orderId" = Uuid, Path, description = "Order id")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The order", body = ApiResponse<Order>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn get_order(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, order_id)): PathParams<(String, Uuid)>,
) -> Result<Json<ApiResponse<Order>>, ApiError> {
    ctx.require(Permission::OrdersRead)?;
    Ok(ok(order_of(&state, &ctx, order_id).await?))
}

/// The status an order's audit entry records before or after a change (see
/// `orders::lifecycle`).
#[derive(Debug, Deserialize)]
struct RecordedStatus {
    status: OrderStatus,
    #[serde(default)]
    payment: Option<PaymentStatus>,
}

/// The order's history, oldest first, from the audit log: placed, paid, fulfilled, cancelled,
/// refunded, each with who did it.
#[utoipa::path(get, path = "/api/v1/admin/stores/{store}/orders/{orderId}/events", tag = "admin-orders",
    params(("store" = String, Path, description = "Store slug"), ("orderId" = Uuid, Path, description = "Order id")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The order's status changes, oldest first", body = ApiResponse<Vec<OrderEvent>>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn order_events(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, order_id)): PathParams<(String, Uuid)>,
) -> Result<Json<ApiResponse<Vec<OrderEvent>>>, ApiError> {
    ctx.require(Permission::OrdersRead)?;
    sqlx::query("SELECT 1 FROM orders WHERE id = $1 AND store_id = $2")
        .bind(order_id.to_string())
        .bind(ctx.store.id.to_string())
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or_else(|| ApiError::not_found("order", &order_id.to_string()))?;
    let rows = sqlx::query(
        "SELECT id, actor_type, actor_id, actor_label, action, old_values, new_values, created_at \
         FROM audit_logs WHERE store_id = $1 AND entity_type = $2 AND entity_id = $3 \
         ORDER BY created_at, id",
    )
    .bind(ctx.store.id.to_string())
    .bind(Entity::Order.as_str())
    .bind(order_id.to_string())
    .fetch_all(&state.db.pool)
    .await?;
    let events = rows
        .iter()
        .map(|row| {
            let before: Option<RecordedStatus> = optional_json_column(row, "old_values")?;
            let after: Option<RecordedStatus> = optional_json_column(row, "new_values")?;
            let after =
                after.ok_or_else(|| ApiError::internal("an order event without its status"))?;
            Ok(OrderEvent {
                id: uuid_column(row, "id")?,
                action: row.try_get("action")?,
                from_status: before.map(|before| before.status),
                status: after.status,
                payment_status: after.payment,
                actor: AuditActor {
                    kind: row.try_get("actor_type")?,
                    id: uuid_column(row, "actor_id")?,
                    label: row.try_get("actor_label")?,
                },
                created_at: row.try_get::<String, _>("created_at")?.into(),
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(ok(events))
}

/// Applies a staff status change and records it in the audit log.
async fn staff_change(
    state: &AppState,
    ctx: &AdminContext,
    order_id: Uuid,
    next: OrderStatus,
    payment: Option<PaymentStatus>,
    action: &'static str,
) -> Result<Order, ApiError> {
    change_status(
        state,
        ctx.store.id,
        order_id,
        next,
        payment,
        ChangedBy::Staff(&ctx.actor, action),
    )
    .await
}

/// Fulfils a paid order, or cancels an unpaid one (releasing its stock).
#[utoipa::path(post, path = "/api/v1/admin/stores/{store}/orders/{orderId}/status", tag = "admin-orders",
    params(("store" = String, Path, description = "Store slug"), ("orderId" = Uuid, Path, description = "Order id")),
    request_body = OrderStatusChange,
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The order", body = ApiResponse<Order>),
        (status = 400, description = "`VALIDATION_ERROR`: only `fulfilled` and `cancelled` are set by hand", body = ApiResponse<NoData>),
        (status = 403, description = "`FORBIDDEN`: no `orders.write`", body = ApiResponse<NoData>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
        (status = 409, description = "`CONFLICT`: the life cycle forbids it; `details.status` is the current status", body = ApiResponse<NoData>),
    ))]
pub async fn set_order_status(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, order_id)): PathParams<(String, Uuid)>,
    JsonBody(change): JsonBody<OrderStatusChange>,
) -> Result<Json<ApiResponse<Order>>, ApiError> {
    ctx.require(Permission::OrdersWrite)?;
    let payment =
        match change.status {
            OrderStatus::Fulfilled => None,
            OrderStatus::Cancelled => Some(PaymentStatus::Cancelled),
            _ => return Err(ApiError::invalid_field(
                "status",
                "must be fulfilled or cancelled (payments mark orders paid; refunds use /refund)",
            )),
        };
    Ok(ok(staff_change(
        &state,
        &ctx,
        order_id,
        change.status,
        payment,
        "status",
    )
    .await?))
}

/// Refunds a paid or fulfilled order; its download links stop working.
#[utoipa::path(post, path = "/api/v1/admin/stores/{store}/orders/{orderId}/refund", tag = "admin-orders",
    params(("store" = String, Path, description = "Store slug"), ("orderId" = Uuid, Path, description = "Order id")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The refunded order", body = ApiResponse<Order>),
        (status = 403, description = "`FORBIDDEN`", body = ApiResponse<NoData>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
        (status = 409, description = "`CONFLICT`: not paid", body = ApiResponse<NoData>),
    ))]
pub async fn refund_order(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, order_id)): PathParams<(String, Uuid)>,
) -> Result<Json<ApiResponse<Order>>, ApiError> {
    ctx.require(Permission::OrdersWrite)?;
    give_money_back(&state, &ctx, order_id).await?;
    Ok(ok(staff_change(
        &state,
        &ctx,
        order_id,
        OrderStatus::Refunded,
        Some(PaymentStatus::Refunded),
        "refund",
    )
    .await?))
}

/// Asks the order's payment provider to refund it, before the order is marked refunded: a
/// refund the provider refuses leaves the order as it was (502 `PAYMENT_PROVIDER_ERROR`).
async fn give_money_back(
    state: &AppState,
    ctx: &AdminContext,
    order_id: Uuid,
) -> Result<(), ApiError> {
    let row = sqlx::query(
        "SELECT o.status, o.payment_provider, o.payment_intent, s.stripe_account_id \
         FROM orders o JOIN stores s ON s.id = o.store_id WHERE o.id = $1 AND o.store_id = $2",
    )
    .bind(order_id.to_string())
    .bind(ctx.store.id.to_string())
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(|| ApiError::not_found("order", &order_id.to_string()))?;
    let status: String = row.try_get("status")?;
    if !OrderStatus::parse(&status).is_some_and(|s| s.can_become(OrderStatus::Refunded)) {
        // The life cycle refuses it; staff_change answers the 409 without touching money.
        return Ok(());
    }
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
