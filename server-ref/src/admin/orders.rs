//! Orders for staff: list, read, fulfil, cancel, refund, and each order's history.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use colmena_sdk::contract::{
    ApiResponse, AuditActor, NoData, Order, OrderEvent, OrderListQuery, OrderStatus,
    OrderStatusChange, PaymentStatus, Permission, Refund, RefundInput, Shipment, ShipmentInput,
};
use serde::Deserialize;
use uuid::Uuid;

use crate::admin::{time_range, AdminContext};
use crate::audit::Entity;
use crate::db::{optional_json_column, total_column, uuid_column};
use crate::http::PageBounds;
use crate::http::{ok, ApiError, JsonBody, PathParams, QueryParams};
use crate::orders::{change_status, fulfilment, load_order, load_orders, order_answer, ChangedBy};
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
        .routes(routes!(create_refund))
        .routes(routes!(create_shipment))
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
        &crate::db::query(&format!("SELECT COUNT(*) AS n FROM orders {filter}"))
            .bind(ctx.store.id)
            .bind(status)
            .bind(from)
            .bind(to)
            .bind(&email)
            .fetch_one(&state.db.pool)
            .await?,
        "n",
    )?;
    let ids = crate::db::query(&format!(
        "SELECT id FROM orders {filter} ORDER BY created_at DESC, id LIMIT $6 OFFSET $7"
    ))
    .bind(ctx.store.id)
    .bind(status)
    .bind(from)
    .bind(to)
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
    crate::db::query("SELECT 1 FROM orders WHERE id = $1 AND store_id = $2")
        .bind(order_id)
        .bind(ctx.store.id)
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or_else(|| ApiError::not_found("order", &order_id.to_string()))?;
    let rows = crate::db::query(
        "SELECT id, actor_type, actor_id, actor_label, action, old_values, new_values, created_at \
         FROM audit_logs WHERE store_id = $1 AND entity_type = $2 AND entity_id = $3 \
         ORDER BY created_at, id",
    )
    .bind(ctx.store.id)
    .bind(Entity::Order.as_str())
    .bind(order_id)
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

/// Refunds what is left of a paid or fulfilled order (all of it, unless part was refunded
/// before); its download links stop working.
#[utoipa::path(post, path = "/api/v1/admin/stores/{store}/orders/{orderId}/refund", tag = "admin-orders",
    params(("store" = String, Path, description = "Store slug"), ("orderId" = Uuid, Path, description = "Order id")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The refunded order", body = ApiResponse<Order>),
        (status = 403, description = "`FORBIDDEN`", body = ApiResponse<NoData>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
        (status = 409, description = "`CONFLICT`: not paid", body = ApiResponse<NoData>),
        (status = 502, description = "`PAYMENT_PROVIDER_ERROR`: the provider refused; nothing changed", body = ApiResponse<NoData>),
    ))]
pub async fn refund_order(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, order_id)): PathParams<(String, Uuid)>,
) -> Result<Json<ApiResponse<Order>>, ApiError> {
    ctx.require(Permission::OrdersWrite)?;
    let everything = RefundInput {
        items: Vec::new(),
        amount: None,
        restock: false,
        reason: None,
    };
    fulfilment::refund(
        &state,
        ctx.store.id,
        order_id,
        &everything,
        ChangedBy::Staff(&ctx.actor, "refund"),
    )
    .await?;
    Ok(ok(order_answer(&state, ctx.store.id, order_id).await?))
}

/// Refunds lines (restocking them unless `restock` is false) and/or an amount of a paid or
/// fulfilled order, through its payment provider. Refunding all that is left makes the order
/// `refunded`; otherwise the buyer is mailed the partial refund.
#[utoipa::path(post, path = "/api/v1/admin/stores/{store}/orders/{orderId}/refunds", tag = "admin-orders",
    params(("store" = String, Path, description = "Store slug"), ("orderId" = Uuid, Path, description = "Order id")),
    request_body = RefundInput,
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "The refund", body = ApiResponse<Refund>),
        (status = 400, description = "`VALIDATION_ERROR`: a line not of this order or more units than are left, an amount in another currency or above what is left", body = ApiResponse<NoData>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
        (status = 409, description = "`CONFLICT`: not paid, or nothing left to refund", body = ApiResponse<NoData>),
        (status = 502, description = "`PAYMENT_PROVIDER_ERROR`: the provider refused; nothing changed", body = ApiResponse<NoData>),
    ))]
pub async fn create_refund(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, order_id)): PathParams<(String, Uuid)>,
    JsonBody(input): JsonBody<RefundInput>,
) -> Result<(StatusCode, Json<ApiResponse<Refund>>), ApiError> {
    ctx.require(Permission::OrdersWrite)?;
    let refund = fulfilment::refund(
        &state,
        ctx.store.id,
        order_id,
        &input,
        ChangedBy::Staff(&ctx.actor, "refund"),
    )
    .await?;
    Ok((StatusCode::CREATED, ok(refund)))
}

/// Records a parcel of a paid order (its lines, or everything not shipped yet) with its carrier
/// and tracking; the buyer is mailed them. The parcel that completes the physical lines makes
/// the order `fulfilled`.
#[utoipa::path(post, path = "/api/v1/admin/stores/{store}/orders/{orderId}/shipments", tag = "admin-orders",
    params(("store" = String, Path, description = "Store slug"), ("orderId" = Uuid, Path, description = "Order id")),
    request_body = ShipmentInput,
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "The shipment", body = ApiResponse<Shipment>),
        (status = 400, description = "`VALIDATION_ERROR`: no carrier, a line not of this order, more units than are left to ship, a tracking URL not https", body = ApiResponse<NoData>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
        (status = 409, description = "`CONFLICT`: not paid, or everything has shipped", body = ApiResponse<NoData>),
    ))]
pub async fn create_shipment(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, order_id)): PathParams<(String, Uuid)>,
    JsonBody(input): JsonBody<ShipmentInput>,
) -> Result<(StatusCode, Json<ApiResponse<Shipment>>), ApiError> {
    ctx.require(Permission::OrdersWrite)?;
    let shipment = fulfilment::ship(
        &state,
        ctx.store.id,
        order_id,
        &input,
        ChangedBy::Staff(&ctx.actor, "ship"),
    )
    .await?;
    Ok((StatusCode::CREATED, ok(shipment)))
}
