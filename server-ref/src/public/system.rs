//! The server's own health.

use axum::extract::State;
use axum::Json;
use colmena_sdk::contract::{ApiResponse, Health, NoData};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::http::{ok, ApiError};
use crate::AppState;

/// The health route.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(health))
}

/// Server and database health.
#[utoipa::path(get, path = "/api/health", tag = "system",
    responses(
        (status = 200, description = "The server and its database answer", body = ApiResponse<Health>),
        (status = 503, description = "The database does not answer", body = ApiResponse<NoData>),
    ))]
pub async fn health(State(state): State<AppState>) -> Result<Json<ApiResponse<Health>>, ApiError> {
    crate::db::query("SELECT 1").execute(&state.db.pool).await?;
    Ok(ok(Health {
        status: "ok".into(),
        database: state.db.backend.name().into(),
        version: env!("CARGO_PKG_VERSION").into(),
    }))
}
