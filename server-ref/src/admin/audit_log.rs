//! The audit log (admin): every change to the store, newest first.

use axum::extract::State;
use axum::Json;
use colmena_sdk::contract::{ApiResponse, AuditActor, AuditEntry, AuditQuery, NoData, Permission};
use sqlx::any::AnyRow;

use sqlx::Row;

use crate::admin::{page_bounds, AdminContext};
use crate::db::{optional_uuid_column, uuid_column};
use crate::http::{page, ApiError, QueryParams};
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
    let (limit, offset) = page_bounds(query.limit, query.offset)?;
    // Absent filters bind as '' and match everything, keeping one statement.
    let filter = "WHERE store_id = $1 AND ($2 = '' OR entity_type = $2) \
                  AND ($3 = '' OR entity_id = $3)";
    let entity_type = query.entity_type.unwrap_or_default();
    let entity_id = query.entity_id.unwrap_or_default();
    let total: i64 = sqlx::query(&format!("SELECT COUNT(*) AS n FROM audit_logs {filter}"))
        .bind(ctx.store.id.to_string())
        .bind(&entity_type)
        .bind(&entity_id)
        .fetch_one(&state.db.pool)
        .await?
        .try_get("n")?;
    let rows = sqlx::query(&format!(
        "SELECT id, actor_type, actor_id, actor_label, action, entity_type, entity_id, \
           old_values, new_values, created_at FROM audit_logs {filter} \
         ORDER BY created_at DESC, id LIMIT $4 OFFSET $5"
    ))
    .bind(ctx.store.id.to_string())
    .bind(&entity_type)
    .bind(&entity_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(&state.db.pool)
    .await?;
    let json = |row: &AnyRow, column: &str| -> Result<Option<serde_json::Value>, sqlx::Error> {
        Ok(row
            .try_get::<Option<String>, _>(column)?
            .and_then(|text| serde_json::from_str(&text).ok()))
    };
    let entries = rows
        .iter()
        .map(|row| {
            Ok(AuditEntry {
                id: uuid_column(row, "id")?,
                actor: AuditActor {
                    kind: row.try_get("actor_type")?,
                    id: optional_uuid_column(row, "actor_id")?.unwrap_or_default(),
                    label: row.try_get("actor_label")?,
                },
                action: row.try_get("action")?,
                entity_type: row.try_get("entity_type")?,
                entity_id: row.try_get("entity_id")?,
                old_values: json(row, "old_values")?,
                new_values: json(row, "new_values")?,
                created_at: row.try_get("created_at")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(page(
        entries,
        u64::try_from(total).unwrap_or(0),
        u32::try_from(limit).unwrap_or(20),
        u64::try_from(offset).unwrap_or(0),
    ))
}
