//! `POST /v1/check`: a ruleset source checked, for a web rule editor.

use crate::app::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{self, Body};
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::Json;
use creditbank_dsl::diagnostic::{to_json, JsonDiagnostic};
use creditbank_dsl::SourceFile;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The JSON form of a check request (a `text/plain` body is the source itself).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckBody {
    /// The ruleset source.
    pub source: String,
    /// The file name diagnostics cite (`ruleset.cbr` by default).
    pub name: Option<String>,
}

/// The diagnostics of a source.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckAnswer {
    /// True when the source has no error (warnings allowed).
    pub ok: bool,
    /// How many errors.
    pub errors: usize,
    /// How many warnings.
    pub warnings: usize,
    /// Every diagnostic, sorted by position: code, severity, message, line and column of the
    /// start and end, byte span, label, help, related places.
    #[schema(value_type = Vec<Object>)]
    pub diagnostics: Vec<JsonDiagnostic>,
}

/// Checks a ruleset source: every diagnostic with line and column spans. A source with errors
/// is still a 200: the errors are the answer.
#[utoipa::path(
    post,
    path = "/v1/check",
    tag = "rules",
    request_body(content = CheckBody, description = "`{\"source\", \"name\"?}`, or the source as `text/plain`"),
    responses(
        (status = 200, description = "The diagnostics", body = CheckAnswer),
        (status = 400, description = "Malformed JSON or not UTF-8", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 422, description = "A field is missing or unknown", body = ErrorBody),
    )
)]
pub async fn check(
    State(_app): State<AppState>,
    headers: HeaderMap,
    Body(bytes): Body,
) -> Result<Json<CheckAnswer>, ApiError> {
    let plain = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/"));
    let body = if plain {
        CheckBody {
            source: extract::text(&bytes)?.to_string(),
            name: None,
        }
    } else {
        extract::json(&bytes)?
    };
    let source = SourceFile::new(
        body.name.unwrap_or_else(|| "ruleset.cbr".into()),
        body.source,
    );
    let checked = tokio::task::spawn_blocking(move || {
        let checked = creditbank_dsl::check(&source);
        let diagnostics: Vec<JsonDiagnostic> = checked
            .diagnostics
            .iter()
            .map(|d| to_json(d, &source))
            .collect();
        diagnostics
    })
    .await
    .map_err(|e| ApiError::Internal(format!("the check failed: {e}")))?;
    let errors = checked
        .iter()
        .filter(|d| d.severity == creditbank_dsl::Severity::Error)
        .count();
    Ok(Json(CheckAnswer {
        ok: errors == 0,
        errors,
        warnings: checked.len() - errors,
        diagnostics: checked,
    }))
}
