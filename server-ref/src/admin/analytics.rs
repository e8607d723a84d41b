//! The analytics summary (admin): revenue, orders, average order value, top products and
//! downloads over a period.

use axum::extract::State;
use axum::Json;
use colmena_sdk::contract::{
    AnalyticsQuery, AnalyticsSummary, ApiResponse, Money, NoData, Permission, TopProduct,
};

use crate::admin::{ordered_range, time_bound, AdminContext};
use crate::db::{total_column, uuid_column};
use crate::http::{ok, ApiError, QueryParams};
use crate::{db, AppState};
use utoipa_axum::{router::OpenApiRouter, routes};

/// The analytics route.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(analytics))
}

/// Orders, revenue, average order value, best sellers and downloads over a date range
/// (default: the last 30 days).
#[utoipa::path(get, path = "/api/v1/admin/stores/{store}/analytics", tag = "admin-orders",
    params(("store" = String, Path, description = "Store slug"), AnalyticsQuery),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The summary", body = ApiResponse<AnalyticsSummary>),
        (status = 400, description = "`VALIDATION_ERROR`", body = ApiResponse<NoData>),
        (status = 403, description = "`FORBIDDEN`: no `analytics.read`", body = ApiResponse<NoData>),
    ))]
pub async fn analytics(
    State(state): State<AppState>,
    ctx: AdminContext,
    QueryParams(query): QueryParams<AnalyticsQuery>,
) -> Result<Json<ApiResponse<AnalyticsSummary>>, ApiError> {
    ctx.require(Permission::AnalyticsRead)?;
    let now = time::OffsetDateTime::now_utc();
    let from = match &query.from {
        Some(text) => time_bound("from", text)?,
        None => now - time::Duration::days(30),
    };
    let to = match &query.to {
        Some(text) => time_bound("to", text)?,
        None => now + time::Duration::seconds(1),
    };
    let (from, to) = ordered_range(from, to)?;
    let paid = "status IN ('paid', 'fulfilled')";
    let totals = crate::db::query(&format!(
        // PostgreSQL sums BIGINTs into NUMERIC; the casts keep both engines on 64-bit integers.
        "SELECT COUNT(*) AS orders, \
           CAST(COALESCE(SUM(CASE WHEN {paid} THEN 1 ELSE 0 END), 0) AS BIGINT) AS paid_orders, \
           CAST(COALESCE(SUM(CASE WHEN {paid} THEN total_amount ELSE 0 END), 0) AS BIGINT) \
             AS revenue \
         FROM orders WHERE store_id = $1 AND created_at >= $2 AND created_at < $3"
    ))
    .bind(ctx.store.id)
    .bind(from)
    .bind(to)
    .fetch_one(&state.db.pool)
    .await?;
    let orders = total_column(&totals, "orders")?;
    let paid_orders = total_column(&totals, "paid_orders")?;
    let revenue: i64 = totals.try_get("revenue")?;
    let top = crate::db::query(&format!(
        "SELECT oi.product_id, MAX(oi.product_name) AS name, \
           CAST(SUM(oi.quantity) AS BIGINT) AS units, CAST(SUM(oi.line_amount) AS BIGINT) AS revenue \
         FROM order_items oi JOIN orders o ON o.id = oi.order_id AND o.store_id = oi.store_id \
         WHERE oi.store_id = $1 AND o.created_at >= $2 AND o.created_at < $3 AND o.{paid} \
         GROUP BY oi.product_id ORDER BY units DESC, revenue DESC, oi.product_id LIMIT 5"
    ))
    .bind(ctx.store.id)
    .bind(from)
    .bind(to)
    .fetch_all(&state.db.pool)
    .await?;
    let downloads = total_column(
        &crate::db::query(
            "SELECT COUNT(*) AS n FROM download_events \
         WHERE store_id = $1 AND created_at >= $2 AND created_at < $3",
        )
        .bind(ctx.store.id)
        .bind(from)
        .bind(to)
        .fetch_one(&state.db.pool)
        .await?,
        "n",
    )?;
    let currency = ctx.store.currency.as_str();
    let top_products = top
        .iter()
        .map(|row| {
            Ok(TopProduct {
                product_id: uuid_column(row, "product_id")?,
                name: row.try_get("name")?,
                units: total_column(row, "units")?,
                revenue: Money::new(row.try_get("revenue")?, currency),
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(ok(AnalyticsSummary {
        from: db::api_time(from),
        to: db::api_time(to),
        orders,
        paid_orders,
        revenue: Money::new(revenue, currency),
        average_order_value: Money::new(
            // Money in minor units, rounded down: revenue / paid orders.
            match i64::try_from(paid_orders) {
                Ok(paid) if paid > 0 => revenue / paid,
                _ => 0,
            },
            currency,
        ),
        top_products,
        downloads,
    }))
}
