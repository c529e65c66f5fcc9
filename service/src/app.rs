//! `app()`: the whole router, with its layers, built from the shared state.

use crate::auth::{self, Tokens};
use crate::config::Config;
use crate::decision_log::DecisionLog;
use crate::error::{error_response, ApiError};
use crate::metrics::Metrics;
use crate::openapi::{self, ApiDoc, Published};
use crate::routes::{admin, check, cohort, evaluate, health, review, rulesets};
use crate::state::Registry;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use std::sync::{Arc, OnceLock};
use std::time::Instant;
use tower::ServiceBuilder;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// What every handler shares.
pub struct Shared {
    /// The rulesets serving, and reload.
    pub registry: Arc<Registry>,
    /// The counters behind `/metrics`.
    pub metrics: Metrics,
    /// The decision log, if one was asked for.
    pub decision_log: Option<DecisionLog>,
    /// The bearer tokens.
    pub tokens: Arc<Tokens>,
    /// The settings.
    pub config: Config,
    /// The OpenAPI document and docs page, set when the router is built.
    pub published: OnceLock<Published>,
}

/// The state handlers receive.
pub type AppState = Arc<Shared>;

impl Shared {
    /// The state of a service serving `registry` with `config`; opens the decision log.
    pub fn new(registry: Arc<Registry>, config: Config) -> std::io::Result<AppState> {
        let decision_log = config
            .decision_log
            .as_deref()
            .map(DecisionLog::open)
            .transpose()?;
        Ok(Arc::new(Shared {
            registry,
            metrics: Metrics::default(),
            decision_log,
            tokens: Arc::new(Tokens::new(
                config.admin_token.clone(),
                config.evaluation_token.clone(),
            )),
            config,
            published: OnceLock::new(),
        }))
    }
}

/// The route a response answered, for the metrics (set inside the router, read outside).
#[derive(Clone)]
struct RouteLabel(String);

/// Notes the matched route on the response.
async fn label_route(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned());
    let mut response = next.run(request).await;
    if let Some(route) = route {
        response.extensions_mut().insert(RouteLabel(route));
    }
    response
}

/// Counts every answer, and gives every error answer that has no JSON body (a timeout, a
/// method not allowed, a rejection from a layer) the common error shape.
async fn observe(State(app): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status();
    let route = response
        .extensions()
        .get::<RouteLabel>()
        .map_or("unmatched", |r| r.0.as_str())
        .to_owned();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    let response = if (status.is_client_error() || status.is_server_error()) && !is_json {
        let (code, message) = match status {
            StatusCode::REQUEST_TIMEOUT => ("timeout", "the request took too long".to_string()),
            StatusCode::METHOD_NOT_ALLOWED => (
                "method_not_allowed",
                "this route does not answer that method".to_string(),
            ),
            StatusCode::PAYLOAD_TOO_LARGE => (
                "payload_too_large",
                "the request body is larger than the configured limit".to_string(),
            ),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => (
                "unsupported_media_type",
                "the body's content type is not accepted".to_string(),
            ),
            other => (
                if other.is_server_error() {
                    "internal"
                } else {
                    "bad_request"
                },
                other
                    .canonical_reason()
                    .unwrap_or("the request failed")
                    .to_lowercase(),
            ),
        };
        let mut rewritten = error_response(status, code, message);
        for name in [header::ALLOW, header::VARY] {
            if let Some(v) = response.headers().get(&name) {
                rewritten.headers_mut().insert(name, v.clone());
            }
        }
        rewritten
    } else {
        response
    };
    app.metrics
        .request(&route, status.as_u16(), started.elapsed());
    response
}

async fn no_route() -> ApiError {
    ApiError::NotFound("no such route; the routes are listed at /docs".into())
}

fn cors(origins: &[String]) -> CorsLayer {
    let allow = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(
            origins
                .iter()
                .filter_map(|o| HeaderValue::from_str(o).ok())
                .collect::<Vec<_>>(),
        )
    };
    CorsLayer::new()
        .allow_origin(allow)
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_NONE_MATCH,
        ])
        .expose_headers([
            header::HeaderName::from_static("x-request-id"),
            header::ETAG,
        ])
}

/// The routes and the OpenAPI document that describes them, from the same declarations.
pub fn routes(state: &AppState) -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let config = &state.config;
    let single = OpenApiRouter::new()
        .routes(routes!(evaluate::evaluate))
        .routes(routes!(evaluate::what_if))
        .routes(routes!(review::review))
        .layer(DefaultBodyLimit::max(config.body_limit));
    let large = OpenApiRouter::new()
        .routes(routes!(evaluate::batch))
        .routes(routes!(cohort::stats))
        .routes(routes!(check::check))
        .layer(DefaultBodyLimit::max(config.cohort_body_limit));
    let read = OpenApiRouter::new()
        .routes(routes!(rulesets::list))
        .routes(routes!(rulesets::ruleset))
        .routes(routes!(rulesets::version))
        .routes(routes!(rulesets::source));
    let evaluation = single
        .merge(large)
        .merge(read)
        .route_layer(middleware::from_fn_with_state(
            state.tokens.clone(),
            auth::evaluation,
        ));
    let admin = OpenApiRouter::new()
        .routes(routes!(admin::reload))
        .routes(routes!(cohort::dry_run))
        .layer(DefaultBodyLimit::max(config.cohort_body_limit))
        .route_layer(middleware::from_fn_with_state(
            state.tokens.clone(),
            auth::admin,
        ));
    let operations = OpenApiRouter::new()
        .routes(routes!(health::healthz))
        .routes(routes!(health::readyz))
        .routes(routes!(health::metrics))
        .routes(routes!(openapi::openapi_json))
        .routes(routes!(openapi::docs));
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(evaluation)
        .merge(admin)
        .merge(operations)
        .split_for_parts()
}

/// The whole service: every route, the JSON error shape for every failure, request ids,
/// tracing, metrics, CORS and the timeout.
pub fn app(state: AppState) -> Router {
    let (router, doc) = routes(&state);
    // Set once: a second `app` over the same state keeps the first document, which is equal.
    let _ = state.published.set(Published::new(&doc));
    let layers = ServiceBuilder::new()
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request| {
                    let id = request
                        .headers()
                        .get("x-request-id")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("-");
                    tracing::info_span!(
                        "request",
                        method = %request.method(),
                        uri = %request.uri(),
                        request_id = %id
                    )
                })
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .layer(cors(&state.config.cors_origins))
        .layer(crate::timeout::TimeoutLayer::new(state.config.timeout));
    router
        .route_layer(middleware::from_fn(label_route))
        .fallback(no_route)
        .method_not_allowed_fallback(|| async {
            error_response(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "this route does not answer that method".into(),
            )
        })
        .with_state(state)
        .layer(layers)
}
