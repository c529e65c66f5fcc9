//! `POST /v1/admin/reload`: read, check and swap in the rulesets again.

use crate::app::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::state::ReloadStatus;
use axum::extract::State;
use axum::Json;

/// Reloads the rulesets directory. All of it is read and checked first; only if every file is
/// good is the new set swapped in. On errors the last good rulesets keep serving and the
/// answer is a 422 with every diagnostic.
#[utoipa::path(
    post,
    path = "/v1/admin/reload",
    tag = "admin",
    responses(
        (status = 200, description = "Reloaded", body = ReloadStatus),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not an admin token, or admin routes disabled", body = ErrorBody),
        (status = 422, description = "The rulesets have errors; the last good ones keep serving", body = ErrorBody),
    )
)]
pub async fn reload(State(app): State<AppState>) -> Result<Json<ReloadStatus>, ApiError> {
    let status = app.registry.reload().await;
    if status.ok {
        Ok(Json(status))
    } else {
        Err(ApiError::Rules {
            message: format!(
                "the reload was refused; generation {} keeps serving: {}",
                status.generation,
                status.error.as_deref().unwrap_or("unknown error")
            ),
            diagnostics: status.diagnostics,
        })
    }
}
