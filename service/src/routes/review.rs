//! `POST /v1/review`: a batch of submitted outcomes, each approved, rejected or sent to manual
//! review, with the reason and the clause that decided.

use crate::app::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{self, Body};
use crate::routes::evaluate::RulesetUsed;
use axum::extract::State;
use axum::Json;
use creditbank_cohort::decision_log::VersionUsed;
use creditbank_engine::applications::{review_all, Applications, ReviewLine};
use serde::Serialize;
use utoipa::ToSchema;

/// The answer of a review.
#[derive(Serialize, ToSchema)]
pub struct ReviewAnswer<'a> {
    /// The id of the review as a whole: a UUID version 7.
    pub decision_id: String,
    /// The version decided under.
    pub ruleset: RulesetUsed<'a>,
    /// One decision per application, in the order given.
    pub decisions: Vec<ReviewDecision>,
}

/// The decision on one application.
#[derive(Serialize, ToSchema)]
pub struct ReviewDecision {
    /// Unique per decision: a UUID version 7.
    pub decision_id: String,
    /// `learner`, `outcome`, `kind`, `decision` (`approved`, `rejected`, `manual` or
    /// `unrecognised`), `reason`, and `at`, the clause that decided.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub line: ReviewLine,
}

/// Reviews every application under the named program's version (the latest when none).
#[utoipa::path(
    post,
    path = "/v1/review",
    tag = "evaluation",
    request_body(content = Object, description = "`{\"program\", \"version\"?, \"applications\": [{\"learner\", \"outcome\"}]}`"),
    responses(
        (status = 200, description = "The decisions", body = ReviewAnswer),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 404, description = "Unknown program or version", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 422, description = "A field is missing, unknown or invalid", body = ErrorBody),
    )
)]
pub async fn review(
    State(app): State<AppState>,
    Body(bytes): Body,
) -> Result<Json<serde_json::Value>, ApiError> {
    let snapshot = app.registry.snapshot();
    let batch: Applications = extract::json(&bytes)?;
    let version = snapshot
        .library
        .version_or_latest(&batch.program, batch.version.as_deref())
        .map_err(|e| ApiError::NotFound(e.to_string()))?;
    let plan = snapshot
        .plan(&version.id, &version.version)
        .ok_or_else(|| ApiError::NotFound(format!("no ruleset `{}`", batch.program)))?;
    let decisions: Vec<ReviewDecision> = review_all(plan, &batch.applications)
        .into_iter()
        .map(|line| ReviewDecision {
            decision_id: uuid::Uuid::now_v7().to_string(),
            line,
        })
        .collect();
    if let Some(log) = &app.decision_log {
        let logged: Vec<(&str, &ReviewLine)> = decisions
            .iter()
            .map(|d| (d.decision_id.as_str(), &d.line))
            .collect();
        let used = VersionUsed {
            id: &version.id,
            version: &version.version,
            content_hash: &version.content_hash,
        };
        log.record_review(&used, &logged)
            .map_err(|e| ApiError::Internal(format!("the decision log failed: {e}")))?;
    }
    let answer = ReviewAnswer {
        decision_id: uuid::Uuid::now_v7().to_string(),
        ruleset: RulesetUsed {
            id: &version.id,
            version: &version.version,
            content_hash: &version.content_hash,
        },
        decisions,
    };
    serde_json::to_value(&answer)
        .map(Json)
        .map_err(|e| ApiError::Internal(e.to_string()))
}
