//! `GET /healthz`, `GET /readyz` and `GET /metrics`.

use crate::app::AppState;
use crate::state::ReloadStatus;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

/// The answer of `/healthz`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// Always `ok`: the process answers.
    pub status: &'static str,
}

/// The answer of `/readyz`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Ready {
    /// True when rulesets are loaded and serving.
    pub ready: bool,
    /// Ruleset versions serving.
    pub versions: usize,
    /// How the last reload went (a failed reload leaves the service ready, on the last good
    /// rulesets).
    pub reload: ReloadStatus,
}

/// Liveness: the process answers.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "operations",
    responses((status = 200, description = "Alive", body = Health))
)]
pub async fn healthz() -> Json<Health> {
    Json(Health { status: "ok" })
}

/// Readiness: rulesets are loaded; with the last reload's status.
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "operations",
    responses(
        (status = 200, description = "Ready", body = Ready),
        (status = 503, description = "No rulesets loaded", body = Ready),
    )
)]
pub async fn readyz(State(app): State<AppState>) -> Response {
    let versions = app.registry.snapshot().library.all().count();
    let ready = Ready {
        ready: versions > 0,
        versions,
        reload: app.registry.status(),
    };
    let status = if ready.ready {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(ready)).into_response()
}

/// Prometheus metrics: requests per route and status, latency histograms, evaluations, reload
/// status and time.
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "operations",
    responses((status = 200, description = "The text exposition format", content_type = "text/plain", body = String))
)]
pub async fn metrics(State(app): State<AppState>) -> Response {
    let versions = app.registry.snapshot().library.all().count();
    let text = app.metrics.render(&app.registry.status(), versions);
    let mut response = text.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    response
}
