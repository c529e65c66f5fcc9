//! `GET /openapi.json` is a valid OpenAPI 3 document and matches the routes served: every
//! documented operation is routed, and every route is documented.

mod common;

use axum::body::Body;
use common::*;
use std::collections::BTreeSet;

/// Every route the service serves.
const ROUTES: &[(&str, &str)] = &[
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/metrics"),
    ("GET", "/openapi.json"),
    ("GET", "/docs"),
    ("GET", "/v1/rulesets"),
    ("GET", "/v1/rulesets/{id}"),
    ("GET", "/v1/rulesets/{id}/versions/{version}"),
    ("GET", "/v1/rulesets/{id}/versions/{version}/source"),
    ("POST", "/v1/evaluate"),
    ("POST", "/v1/what-if"),
    ("POST", "/v1/review"),
    ("POST", "/v1/evaluate/batch"),
    ("POST", "/v1/check"),
    ("POST", "/v1/dry-run"),
    ("POST", "/v1/stats"),
    ("POST", "/v1/admin/reload"),
];

async fn document() -> (serde_json::Value, oas3::OpenApiV3Spec) {
    let app = service();
    let answer = get(&app, "/openapi.json").await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.headers["content-type"], "application/json");
    // oas3 reads OpenAPI 3.1 (what utoipa writes) and refuses a document of another shape.
    let typed = oas3::from_json(answer.text()).expect("the document is OpenAPI 3.1");
    (answer.json(), typed)
}

fn operations(doc: &oas3::OpenApiV3Spec) -> BTreeSet<(String, String)> {
    let mut found = BTreeSet::new();
    for (path, item) in doc.paths.iter().flatten() {
        for (method, _) in item.methods() {
            found.insert((method.as_str().to_uppercase(), path.clone()));
        }
    }
    found
}

#[tokio::test]
async fn the_document_is_openapi_3_with_resolvable_references() {
    let (json, doc) = document().await;
    assert!(doc.openapi.starts_with("3.1"), "{}", doc.openapi);
    assert_eq!(doc.info.title, "creditbank");
    // Every `$ref` names a schema of the document.
    fn refs(value: &serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    match (k.as_str(), v.as_str()) {
                        ("$ref", Some(r)) => out.push(r.to_string()),
                        _ => refs(v, out),
                    }
                }
            }
            serde_json::Value::Array(list) => list.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    refs(&json, &mut found);
    assert!(!found.is_empty());
    for r in found {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("unexpected reference `{r}`"));
        assert!(
            json["components"]["schemas"][name].is_object(),
            "`{r}` does not resolve"
        );
    }
    // Every operation answers something successful, and documents its errors' shape.
    for (path, item) in doc.paths.iter().flatten() {
        for (method, op) in item.methods() {
            let codes: Vec<String> = op
                .responses
                .iter()
                .flatten()
                .map(|(c, _)| c.clone())
                .collect();
            assert!(
                codes.iter().any(|c| c.starts_with('2')),
                "{method} {path}: {codes:?}"
            );
        }
    }
    assert!(json["components"]["schemas"]["ErrorBody"].is_object());
    assert!(json["components"]["securitySchemes"]["bearer"].is_object());
}

#[tokio::test]
async fn every_route_is_documented_and_every_documented_route_is_served() {
    let (_, doc) = document().await;
    let documented = operations(&doc);
    let served: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(documented, served);

    // Each documented operation reaches its handler: not the fallback's 404 nor a 405.
    let app = service();
    let admin = bearer(ADMIN);
    for (method, path) in &documented {
        let uri = path
            .replace("{id}", "demo-university%2Fundergraduate")
            .replace("{version}", "2026.1");
        let answer = send(
            &app,
            method,
            &uri,
            &[("authorization", admin.as_str())],
            Body::from("{}"),
        )
        .await;
        assert_ne!(answer.status, 405, "{method} {path}");
        assert!(
            !answer.text().contains("no such route"),
            "{method} {path} is not routed"
        );
    }
    // And a route that is not documented is not served.
    let answer = get(&app, "/v1/undocumented").await;
    assert!(answer.text().contains("no such route"));
}
