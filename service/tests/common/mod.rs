//! What the router tests share: a service over the bundled rulesets, driven with `oneshot`.

#![allow(dead_code)]

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use creditbank_service::{app, Config, Registry, Shared};
use http_body_util::BodyExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower::ServiceExt;

/// The admin token of the tests' services.
pub const ADMIN: &str = "admin-secret";
/// The evaluation token of the services that have one.
pub const EVAL: &str = "eval-secret";

/// The bundled rulesets.
pub fn rulesets() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../rulesets")
}

/// A learner record of the bundled examples, as JSON text.
pub fn learner() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/learner-warning.json"),
    )
    .unwrap()
}

/// A service over `dir` with `config` changes.
pub fn service_over(dir: PathBuf, change: impl FnOnce(&mut Config)) -> (Router, Arc<Shared>) {
    let mut config = Config {
        rulesets: dir.clone(),
        admin_token: Some(ADMIN.into()),
        ..Config::default()
    };
    change(&mut config);
    let registry = Arc::new(Registry::open(dir).unwrap());
    let state = Shared::new(registry, config).unwrap();
    (app(state.clone()), state)
}

/// A service over the bundled rulesets with an admin token and open evaluation routes.
pub fn service() -> Router {
    service_over(rulesets(), |_| {}).0
}

/// One answer.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body[..self.body.len().min(500)])
            )
        })
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Asserts the common error shape with this status, and returns its `error` object.
    pub fn error(&self, status: u16) -> serde_json::Value {
        assert_eq!(self.status.as_u16(), status, "{}", self.text());
        let json = self.json();
        let error = json["error"].clone();
        assert_eq!(error["status"], status, "{json}");
        assert!(error["code"].is_string(), "{json}");
        assert!(error["message"].is_string(), "{json}");
        error
    }
}

/// Sends one request.
pub async fn send(
    app: &Router,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: impl Into<Body>,
) -> Answer {
    let mut request = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = app
        .clone()
        .oneshot(request.body(body.into()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    Answer {
        status,
        headers,
        body,
    }
}

/// GET.
pub async fn get(app: &Router, uri: &str) -> Answer {
    send(app, "GET", uri, &[], Body::empty()).await
}

/// POST a body.
pub async fn post(app: &Router, uri: &str, body: impl Into<Body>) -> Answer {
    send(app, "POST", uri, &[], body).await
}

/// `Authorization: Bearer` header.
pub fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}
