//! The audit log (admin): every change to the store, newest first.

use axum::extract::State;
use axum::Json;
use colmena_sdk::contract::{ApiResponse, AuditActor, AuditEntry, AuditQuery, NoData, Permission};

use crate::admin::AdminContext;
use crate::db::{optional_json_column, total_column, uuid_column};
use crate::http::PageBounds;
use crate::http::{ApiError, QueryParams};
use crate::AppState;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The audit log route.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(audit_log))
}

/// The audit log, newest first.
#[utoipa::path(get, path = "/api/v1/admin/stores/{store}/audit-log", tag = "admin",
    params(("store" = String, Path, description = "Store slug"), AuditQuery),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "One page of entries", body = ApiResponse<Vec<AuditEntry>>),
        (status = 400, description = "`VALIDATION_ERROR`", body = ApiResponse<NoData>),
        (status = 403, description = "`FORBIDDEN`: no `settings.write`", body = ApiResponse<NoData>),
    ))]
pub async fn audit_log(
    State(state): State<AppState>,
    ctx: AdminContext,
    QueryParams(query): QueryParams<AuditQuery>,
) -> Result<Json<ApiResponse<Vec<AuditEntry>>>, ApiError> {
    ctx.require(Permission::SettingsWrite)?;
    let bounds = PageBounds::new(query.limit, query.offset)?;
    // Absent filters bind as '' and match everything, keeping one statement.
    let filter = "WHERE store_id = $1 AND ($2 = '' OR entity_type = $2) \
                  AND ($3 = '' OR entity_id = $3)";
    let entity_type = query.entity_type.unwrap_or_default();
    let entity_id = query.entity_id.unwrap_or_default();
    let total = total_column(
        &crate::db::query(&format!("SELECT COUNT(*) AS n FROM audit_logs {filter}"))
            .bind(ctx.store.id)
            .bind(&entity_type)
            .bind(&entity_id)
            .fetch_one(&state.db.pool)
            .await?,
        "n",
    )?;
    let rows = crate::db::query(&format!(
        "SELECT id, actor_type, actor_id, actor_label, action, entity_type, entity_id, \
           old_values, new_values, created_at FROM audit_logs {filter} \
         ORDER BY created_at DESC, id LIMIT $4 OFFSET $5"
    ))
    .bind(ctx.store.id)
    .bind(&entity_type)
    .bind(&entity_id)
    .bind(bounds.sql_limit())
    .bind(bounds.sql_offset())
    .fetch_all(&state.db.pool)
    .await?;
    let entries = rows
        .iter()
        .map(|row| {
            Ok(AuditEntry {
                id: uuid_column(row, "id")?,
                actor: AuditActor {
                    kind: row.try_get("actor_type")?,
                    id: uuid_column(row, "actor_id")?,
                    label: row.try_get("actor_label")?,
                },
                action: row.try_get("action")?,
                entity_type: row.try_get("entity_type")?,
                entity_id: row.try_get("entity_id")?,
                old_values: optional_json_column(row, "old_values")?,
                new_values: optional_json_column(row, "new_values")?,
                created_at: row.try_get::<String, _>("created_at")?.into(),
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(bounds.answer(entries, total))
}
