//! The admin API (`/api/v1/admin/stores/{store}/…`): bearer-token sessions scoped to one store.

use axum::extract::State;
use axum::Json;
use colmena_sdk::contract::{ApiResponse, NoData, StoreSettings};

use crate::api::{load_store, ok, ApiError, PathParams};
use crate::auth::AdminSession;
use crate::{catalog, AppState};

/// The store's settings, for any user of that store.
#[utoipa::path(get, path = "/api/v1/admin/stores/{store}", tag = "admin",
    params(("store" = String, Path, description = "Store slug")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "Settings", body = ApiResponse<StoreSettings>),
        (status = 401, description = "`UNAUTHORIZED`: no, invalid or expired token", body = ApiResponse<NoData>),
        (status = 403, description = "`FORBIDDEN`: the token is for another store", body = ApiResponse<NoData>),
        (status = 404, description = "`STORE_NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn get_settings(
    State(state): State<AppState>,
    session: AdminSession,
    PathParams(slug): PathParams<String>,
) -> Result<Json<ApiResponse<StoreSettings>>, ApiError> {
    let store = load_store(&state, &slug).await?;
    session.require_store(&store)?;
    let allowed_origins = catalog::allowed_origins(&state.db, store.id).await?;
    Ok(ok(StoreSettings {
        store,
        allowed_origins,
    }))
}
