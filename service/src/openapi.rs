//! The OpenAPI 3 document, generated from the handlers' annotations and types (utoipa), and
//! a small self-contained HTML page listing the routes from it.

use crate::app::AppState;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{Html, IntoResponse, Response};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::OpenApi as Document;
use utoipa::{Modify, OpenApi};

/// The parts of the document no handler states: title, tags, the bearer scheme.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "creditbank",
        description = "The creditbank evaluation service: rulesets, evaluation, review, checking, dry-runs and statistics. Errors are `{\"error\": {status, code, message, field?, learner?, diagnostics?}}` (docs/SERVICE.md)."
    ),
    tags(
        (name = "rulesets", description = "What is loaded"),
        (name = "evaluation", description = "Learners evaluated and outcomes reviewed"),
        (name = "rules", description = "Ruleset sources checked"),
        (name = "admin", description = "Admin token only"),
        (name = "operations", description = "Health, readiness, metrics, this document"),
    ),
    modifiers(&BearerScheme)
)]
pub struct ApiDoc;

struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut Document) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The document as JSON, and the docs page, made once when the router is built.
pub struct Published {
    /// `/openapi.json`.
    pub json: String,
    /// `/docs`.
    pub html: String,
}

impl Published {
    /// Both forms of `doc`.
    pub fn new(doc: &Document) -> Published {
        Published {
            json: doc.to_pretty_json().unwrap_or_else(|_| "{}".into()),
            html: page(doc),
        }
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The docs page: one row per operation, with its summary and answers.
fn page(doc: &Document) -> String {
    let mut rows = String::new();
    for (path, item) in &doc.paths.paths {
        let operations = [
            ("GET", &item.get),
            ("POST", &item.post),
            ("PUT", &item.put),
            ("DELETE", &item.delete),
        ];
        for (method, operation) in operations {
            let Some(op) = operation else { continue };
            let summary = op
                .summary
                .as_deref()
                .or(op.description.as_deref())
                .unwrap_or("");
            let statuses: Vec<&str> = op.responses.responses.keys().map(String::as_str).collect();
            rows.push_str(&format!(
                "<tr><td><code>{method}</code></td><td><code>{}</code></td><td>{}</td><td>{}</td></tr>\n",
                escape(path),
                escape(summary),
                escape(&statuses.join(" "))
            ));
        }
    }
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>creditbank API</title>\n\
<style>body{{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}}table{{border-collapse:collapse}}\
td,th{{border-bottom:1px solid #ddd;padding:.4rem .6rem;text-align:left;vertical-align:top}}</style></head>\n\
<body><h1>creditbank API {}</h1><p>{}</p><p>The machine-readable document: <a href=\"/openapi.json\">/openapi.json</a>.</p>\n\
<table><tr><th>method</th><th>path</th><th>what</th><th>answers</th></tr>\n{rows}</table></body></html>\n",
        escape(&doc.info.version),
        escape(doc.info.description.as_deref().unwrap_or(""))
    )
}

/// The OpenAPI 3 document of every route.
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "operations",
    responses((status = 200, description = "The OpenAPI 3 document", content_type = "application/json", body = Object))
)]
pub async fn openapi_json(State(app): State<AppState>) -> Response {
    let json = app.published.get().map_or("{}", |p| p.json.as_str());
    let mut response = json.to_string().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// A page listing the routes.
#[utoipa::path(
    get,
    path = "/docs",
    tag = "operations",
    responses((status = 200, description = "An HTML page", content_type = "text/html", body = String))
)]
pub async fn docs(State(app): State<AppState>) -> Html<String> {
    Html(
        app.published
            .get()
            .map(|p| p.html.clone())
            .unwrap_or_default(),
    )
}
