//! `POST /v1/dry-run` (admin) and `POST /v1/stats`: a cohort sent as a JSON list of records.
//!
//! Both run on a blocking thread; a learner that cannot be read or evaluated is listed with
//! its index and the rest go on, as in the cohort verbs.

use crate::app::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{self, Body};
use axum::extract::State;
use axum::Json;
use creditbank_cohort::dryrun::{compare, ChangeRate, Compared, DryRun, Impact, Only};
use creditbank_cohort::stats::{GroupBy, RulesetFacts, Stats, Summary};
use creditbank_dsl::diagnostic::to_json;
use creditbank_dsl::SourceFile;
use creditbank_engine::evaluate::{evaluate, Plan};
use creditbank_engine::library::Library;
use creditbank_engine::record::{self, LearnerRecord};
use creditbank_engine::report::Explain;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A learner of the cohort that could not be read or evaluated.
#[derive(Debug, Serialize, ToSchema)]
pub struct LearnerError {
    /// Its index in `cohort`, from 0.
    pub index: usize,
    /// The learner, when known.
    pub learner: Option<String>,
    /// The field at fault, when one is.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// The body of `POST /v1/dry-run`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DryRunBody {
    /// The candidate version's source.
    pub candidate: String,
    /// The version in force to compare with, `ID@VERSION`; by default the latest loaded
    /// version of the candidate's ruleset.
    pub from: Option<String>,
    /// The learner records.
    #[schema(value_type = Vec<Object>)]
    pub cohort: Vec<serde_json::Value>,
    /// The evaluation date for records without `as_of`.
    pub as_of: Option<String>,
    /// Which changed learners to list: `all` (default), `status-changes`, `warning-changes`,
    /// `credit-changes`, `gpa-changes`. All are counted in the impact.
    pub only: Option<String>,
}

/// The body of `POST /v1/stats`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatsBody {
    /// The learner records.
    #[schema(value_type = Vec<Object>)]
    pub cohort: Vec<serde_json::Value>,
    /// The evaluation date for records without `as_of`.
    pub as_of: Option<String>,
    /// `program`, `enrolment-year` or `class`.
    pub group_by: Option<String>,
}

fn as_of(text: Option<&str>) -> Result<Option<creditbank_dsl::ast::Date>, ApiError> {
    text.map(|t| {
        record::parse_date(t).ok_or_else(|| ApiError::Invalid {
            field: "as_of".into(),
            learner: None,
            message: format!("`{t}` is not a date (YYYY-MM-DD)"),
        })
    })
    .transpose()
}

fn invalid(field: &str, message: String) -> ApiError {
    ApiError::Invalid {
        field: field.into(),
        learner: None,
        message,
    }
}

/// Reads each record of a cohort: the good ones, and an error for each bad one.
fn read_cohort(cohort: Vec<serde_json::Value>) -> (Vec<(usize, LearnerRecord)>, Vec<LearnerError>) {
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for (index, value) in cohort.into_iter().enumerate() {
        match record::from_json_value(value) {
            Ok(r) => good.push((index, r)),
            Err(e) => bad.push(LearnerError {
                index,
                learner: e.learner().map(str::to_string),
                field: Some(e.path().to_string()).filter(|p| !p.is_empty()),
                message: e.to_string(),
            }),
        }
    }
    (good, bad)
}

/// The candidate checked alone and compiled.
fn candidate(text: String) -> Result<Plan, ApiError> {
    let source = SourceFile::new("candidate.cbr", text);
    let checked = creditbank_dsl::check(&source);
    if checked.has_errors() {
        return Err(ApiError::Rules {
            message: "the candidate ruleset has errors".into(),
            diagnostics: checked
                .diagnostics
                .iter()
                .map(|d| to_json(d, &source))
                .collect(),
        });
    }
    let sources = [source];
    let library =
        Library::build(&sources, vec![checked]).map_err(|e| invalid("candidate", e.to_string()))?;
    let version = library
        .all()
        .next()
        .ok_or_else(|| invalid("candidate", "the candidate holds no ruleset".into()))?;
    Plan::compile(version).map_err(|e| invalid("candidate", e.to_string()))
}

/// What a candidate version would change for a cohort: the rules changed, every learner whose
/// result differs (what differs, and which changed rules made the difference), and the impact.
#[utoipa::path(
    post,
    path = "/v1/dry-run",
    tag = "admin",
    request_body = DryRunBody,
    responses(
        (status = 200, description = "`{from, to, diff, changed, impact, errors}` as `creditbank dry-run --format json` writes it, with the learners that could not be read", body = Object),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not an admin token, or admin routes disabled", body = ErrorBody),
        (status = 404, description = "Unknown ruleset or version to compare with", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 422, description = "A field is invalid, or the candidate has errors (with diagnostics)", body = ErrorBody),
    )
)]
pub async fn dry_run(
    State(app): State<AppState>,
    Body(bytes): Body,
) -> Result<Json<serde_json::Value>, ApiError> {
    let snapshot = app.registry.snapshot();
    let body: DryRunBody = extract::json(&bytes)?;
    let today = as_of(body.as_of.as_deref())?;
    let only = match body.only.as_deref() {
        None | Some("all") => Only::All,
        Some("status-changes") => Only::StatusChanges,
        Some("warning-changes") => Only::WarningChanges,
        Some("credit-changes") => Only::CreditChanges,
        Some("gpa-changes") => Only::GpaChanges,
        Some(other) => return Err(invalid("only", format!("`{other}` is not a filter"))),
    };
    let work = move || -> Result<serde_json::Value, ApiError> {
        let new = candidate(body.candidate)?;
        let old_version = match &body.from {
            Some(from) => {
                let (id, version) = from
                    .split_once('@')
                    .ok_or_else(|| invalid("from", format!("`{from}` is not `ID@VERSION`")))?;
                snapshot.version(id, version).ok_or_else(|| {
                    ApiError::NotFound(format!("no ruleset `{id}` version `{version}`"))
                })?
            }
            None => snapshot
                .library
                .versions(&new.version.id)
                .last()
                .ok_or_else(|| {
                    ApiError::NotFound(format!(
                        "no loaded ruleset `{}` to compare the candidate with",
                        new.version.id
                    ))
                })?,
        };
        let old = snapshot
            .plan(&old_version.id, &old_version.version)
            .ok_or_else(|| ApiError::NotFound(format!("no ruleset `{}`", old_version.id)))?;
        let diff = creditbank_dsl::diff::diff(&old.version.file, &new.version.file)
            .located(&old.version.source, &new.version.source);
        let dry = DryRun::new(old, &new, &diff, today, ChangeRate::default());
        let (records, mut errors) = read_cohort(body.cohort);
        let mut impact = Impact::default();
        for _ in &errors {
            impact.add_error();
        }
        let mut changed = Vec::new();
        for (index, record) in &records {
            match compare(*index + 1, record, &dry) {
                Ok(compared) => {
                    impact.add(&compared);
                    if let Compared::Changed(change) = compared {
                        if only.lists(&change) {
                            changed.push(change);
                        }
                    }
                }
                Err(e) => {
                    impact.add_error();
                    errors.push(LearnerError {
                        index: *index,
                        learner: e.learner.clone(),
                        field: None,
                        message: e.message.clone(),
                    });
                }
            }
        }
        errors.sort_by_key(|e| e.index);
        let versions = |p: &Plan| {
            serde_json::json!({
                "id": p.version.id,
                "version": p.version.version,
                "content_hash": p.version.content_hash,
            })
        };
        Ok(serde_json::json!({
            "from": versions(old),
            "to": versions(&new),
            "diff": diff,
            "changed": changed,
            "impact": impact.document(),
            "errors": errors,
        }))
    };
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ApiError::Internal(format!("the dry-run failed: {e}")))?
        .map(Json)
}

/// Statistics of a cohort: warnings per level, credit and GPA distributions, eligibility rates
/// (docs/STATS.md), with the learners that could not be read or evaluated.
#[utoipa::path(
    post,
    path = "/v1/stats",
    tag = "evaluation",
    request_body = StatsBody,
    responses(
        (status = 200, description = "`{stats, errors}`: the statistics (schema `creditbank-stats/1`)", body = Object),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 422, description = "A field is invalid", body = ErrorBody),
    )
)]
pub async fn stats(
    State(app): State<AppState>,
    Body(bytes): Body,
) -> Result<Json<serde_json::Value>, ApiError> {
    let snapshot = app.registry.snapshot();
    let body: StatsBody = extract::json(&bytes)?;
    let today = as_of(body.as_of.as_deref())?;
    let grouping = match body.group_by.as_deref() {
        None => None,
        Some("program") => Some(GroupBy::Program),
        Some("enrolment-year") => Some(GroupBy::EnrolmentYear),
        Some("class") => Some(GroupBy::Class),
        Some(other) => return Err(invalid("group_by", format!("`{other}` is not a grouping"))),
    };
    let work = move || -> Result<serde_json::Value, ApiError> {
        let (records, mut errors) = read_cohort(body.cohort);
        let mut stats = Stats::new(grouping);
        for (index, record) in &records {
            let evaluated = snapshot
                .for_learner(record)
                .map_err(|e| e.to_string())
                .and_then(|(plan, selected)| {
                    evaluate(plan, record, today, Explain::None, selected)
                        .map_err(|e| e.to_string())
                });
            match evaluated {
                Ok(report) => stats.add(record, &report),
                Err(message) => errors.push(LearnerError {
                    index: *index,
                    learner: Some(record.learner.clone()),
                    field: None,
                    message,
                }),
            }
        }
        errors.sort_by_key(|e| e.index);
        let plans = snapshot
            .library
            .all()
            .filter_map(|v| snapshot.plan(&v.id, &v.version));
        let facts = RulesetFacts::from_plans(plans);
        let summary = Summary::new(&stats, &facts);
        let stats =
            serde_json::to_value(&summary).map_err(|e| ApiError::Internal(e.to_string()))?;
        Ok(serde_json::json!({ "stats": stats, "errors": errors }))
    };
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ApiError::Internal(format!("the statistics failed: {e}")))?
        .map(Json)
}
