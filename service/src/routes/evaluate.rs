//! `POST /v1/evaluate`, `POST /v1/what-if` and `POST /v1/evaluate/batch`.

use crate::app::{AppState, Shared};
use crate::error::{ApiError, ErrorBody, ErrorDetail};
use crate::extract::{self, Body, Query};
use crate::state::Snapshot;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use creditbank_dsl::ast::Date;
use creditbank_engine::evaluate::{evaluate as run_evaluation, EvaluateError, Plan};
use creditbank_engine::library::SelectError;
use creditbank_engine::record::{self, LearnerRecord};
use creditbank_engine::report::{Explain, Report};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use utoipa::{IntoParams, ToSchema};

/// Options of an evaluation, as query parameters (or fields of the body's wrapper form).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct EvaluateParams {
    /// The evaluation date (`YYYY-MM-DD`) for a record without `as_of`; today (UTC) when
    /// neither gives one.
    pub as_of: Option<String>,
    /// How much explanation the report carries: `none`, `rules` (each figure's rule, without
    /// the words), `reasons` (default) or `full`.
    pub explain: Option<String>,
}

/// The wrapper form of an evaluation body: the record and its options together.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvaluateBody {
    /// The learner record (docs/RECORDS.md).
    #[schema(value_type = Object)]
    pub record: serde_json::Value,
    /// As the `as_of` query parameter.
    pub as_of: Option<String>,
    /// As the `explain` query parameter.
    pub explain: Option<String>,
}

/// The body of `POST /v1/what-if`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WhatIfBody {
    /// The learner record.
    #[schema(value_type = Object)]
    pub record: serde_json::Value,
    /// The program to weigh: `ID` (the version in force at enrolment) or `ID@VERSION`.
    pub program: String,
    /// As the `as_of` query parameter.
    pub as_of: Option<String>,
    /// As the `explain` query parameter.
    pub explain: Option<String>,
}

/// The ruleset version a decision was made under.
#[derive(Debug, Serialize, ToSchema)]
pub struct RulesetUsed<'a> {
    /// The ruleset id.
    pub id: &'a str,
    /// The version.
    pub version: &'a str,
    /// `sha256:` and the hex SHA-256 of the version's source.
    pub content_hash: &'a str,
}

/// Every evaluation answer (and each successful line of a batch).
#[derive(Serialize, ToSchema)]
pub struct Decision<'a> {
    /// The line of the batch body, from 1 (batch only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Unique per decision: a UUID version 7 (time-ordered).
    pub decision_id: String,
    /// The version decided under.
    pub ruleset: RulesetUsed<'a>,
    /// The report (docs/REPORT.md).
    #[schema(value_type = Object)]
    pub report: &'a Report<'a>,
}

impl Decision<'_> {
    /// Appends the decision as compact JSON: the bytes `serde_json` writes for it, the report
    /// through the engine's direct writer (`creditbank_engine::json::report`), which writes it
    /// at about half the cost of a serializer.
    pub fn write_json(&self, out: &mut Vec<u8>) {
        use creditbank_engine::json::{string, write_integer};
        out.push(b'{');
        if let Some(line) = self.line {
            out.extend_from_slice(b"\"line\":");
            write_integer(out, line);
            out.push(b',');
        }
        out.extend_from_slice(b"\"decision_id\":");
        string(out, &self.decision_id);
        out.extend_from_slice(b",\"ruleset\":{\"id\":");
        string(out, self.ruleset.id);
        out.extend_from_slice(b",\"version\":");
        string(out, self.ruleset.version);
        out.extend_from_slice(b",\"content_hash\":");
        string(out, self.ruleset.content_hash);
        out.extend_from_slice(b"},\"report\":");
        creditbank_engine::json::report::write(self.report, out);
        out.push(b'}');
    }
}

/// An error line of a batch.
#[derive(Serialize, ToSchema)]
pub struct BatchError {
    /// The line of the batch body, from 1.
    pub line: usize,
    /// The error, as a whole request's error would be.
    pub error: ErrorDetail,
}

/// How one learner is evaluated.
struct Options {
    /// The date asked for; when absent, a record without `as_of` is evaluated as of today.
    today: Option<Date>,
    explain: Explain,
}

impl Options {
    /// The evaluation date for `record`: its own, the one asked for, or today (UTC). The clock
    /// is read only when needed.
    fn today_for(&self, record: &LearnerRecord) -> Option<Date> {
        if record.as_of.is_some() {
            return None;
        }
        self.today
            .or_else(|| record::parse_date(&crate::clock::today()))
    }
}

/// A date parameter, or a 400 naming it.
fn date(text: Option<&str>, name: &str) -> Result<Option<Date>, ApiError> {
    text.map(|t| {
        record::parse_date(t).ok_or_else(|| ApiError::Invalid {
            field: name.to_string(),
            learner: None,
            message: format!("`{t}` is not a date (YYYY-MM-DD)"),
        })
    })
    .transpose()
}

/// An explanation level, or a 422 naming the parameter.
fn explain(text: Option<&str>, default: Explain) -> Result<Explain, ApiError> {
    match text {
        None => Ok(default),
        Some("none") => Ok(Explain::None),
        Some("rules") => Ok(Explain::Rules),
        Some("reasons") => Ok(Explain::Reasons),
        Some("full") => Ok(Explain::Full),
        Some(other) => Err(ApiError::Invalid {
            field: "explain".into(),
            learner: None,
            message: format!("`{other}` is not an explanation level: none, rules, reasons or full"),
        }),
    }
}

fn options(
    as_of: Option<&str>,
    level: Option<&str>,
    default: Explain,
) -> Result<Options, ApiError> {
    Ok(Options {
        today: date(as_of, "as_of")?,
        explain: explain(level, default)?,
    })
}

/// A record embedded in a wrapper: its errors name the field under `record.`.
fn embedded_record(value: serde_json::Value) -> Result<LearnerRecord, ApiError> {
    record::from_json_value(value).map_err(|e| match ApiError::from_record(e) {
        ApiError::Invalid {
            field,
            learner,
            message,
        } => ApiError::Invalid {
            field: if field.is_empty() {
                "record".into()
            } else {
                format!("record.{field}")
            },
            learner,
            message,
        },
        other => other,
    })
}

/// The body of `POST /v1/evaluate`: the record itself, or `{"record", "as_of", "explain"}`.
fn read_evaluate_body(bytes: &[u8]) -> Result<(LearnerRecord, EvaluateParams), ApiError> {
    let text = extract::text(bytes)?;
    // Most bodies are a valid record: read it directly, the fast way.
    let error = match record::from_json(text) {
        Ok(record) => return Ok((record, EvaluateParams::default())),
        Err(e) => e,
    };
    let is_wrapper = matches!(error, record::RecordError::Invalid { .. })
        && serde_json::from_str::<serde_json::Value>(text)
            .ok()
            .is_some_and(|v| v.get("record").is_some());
    if !is_wrapper {
        return Err(ApiError::from_record(error));
    }
    let body: EvaluateBody = extract::json(bytes)?;
    let record = embedded_record(body.record)?;
    Ok((
        record,
        EvaluateParams {
            as_of: body.as_of,
            explain: body.explain,
        },
    ))
}

fn select_error(e: SelectError) -> ApiError {
    match e {
        SelectError::UnknownRuleset { .. } | SelectError::UnknownVersion { .. } => {
            ApiError::NotFound(e.to_string())
        }
        SelectError::NoVersionInForce { .. } => ApiError::Unprocessable(e.to_string()),
    }
}

impl Shared {
    /// Evaluates one learner under `plan` and serialises the decision (logging it).
    fn decide(
        &self,
        plan: &Plan,
        record: &LearnerRecord,
        options: &Options,
        selected: &str,
        endpoint: &str,
        line: Option<usize>,
    ) -> Result<Vec<u8>, ApiError> {
        let report = run_evaluation(
            plan,
            record,
            options.today_for(record),
            options.explain,
            selected,
        )
        .map_err(|e| {
            self.metrics.evaluation(false);
            match e {
                EvaluateError::NoDate(_) | EvaluateError::Gpa { .. } => {
                    ApiError::Unprocessable(e.to_string())
                }
            }
        })?;
        self.metrics.evaluation(true);
        let decision_id = uuid::Uuid::now_v7().to_string();
        if let Some(log) = &self.decision_log {
            log.record(&decision_id, endpoint, &report)
                .map_err(|e| ApiError::Internal(format!("the decision log failed: {e}")))?;
        }
        let decision = Decision {
            line,
            decision_id,
            ruleset: RulesetUsed {
                id: &plan.version.id,
                version: &plan.version.version,
                content_hash: &plan.version.content_hash,
            },
            report: &report,
        };
        // About 5 KB without explanations and 25 KB with reasons for a 60-outcome learner:
        // sized so that the answer is rarely moved while it is written.
        let mut bytes = Vec::with_capacity(if options.explain == Explain::None {
            8 << 10
        } else {
            32 << 10
        });
        decision.write_json(&mut bytes);
        Ok(bytes)
    }

    /// Evaluates a record under the version it selects.
    fn decide_selected(
        &self,
        snapshot: &Snapshot,
        record: &LearnerRecord,
        options: &Options,
        endpoint: &str,
        line: Option<usize>,
    ) -> Result<Vec<u8>, ApiError> {
        let (plan, selected) = snapshot.for_learner(record).map_err(|e| {
            self.metrics.evaluation(false);
            select_error(e)
        })?;
        self.decide(plan, record, options, selected, endpoint, line)
    }
}

fn json_response(bytes: Vec<u8>) -> Response {
    let mut response = bytes.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// Evaluates one learner record under the version of its program in force at enrolment (or
/// the one an exception of the record names).
#[utoipa::path(
    post,
    path = "/v1/evaluate",
    tag = "evaluation",
    params(EvaluateParams),
    request_body(content = Object, description = "A learner record (docs/RECORDS.md), or `{\"record\", \"as_of\", \"explain\"}`"),
    responses(
        (status = 200, description = "The decision", body = Decision),
        (status = 400, description = "Malformed JSON or a bad parameter", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 404, description = "Unknown program or version", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 422, description = "A field is missing, unknown or invalid", body = ErrorBody),
    )
)]
pub async fn evaluate(
    State(app): State<AppState>,
    Query(params): Query<EvaluateParams>,
    Body(bytes): Body,
) -> Result<Response, ApiError> {
    let snapshot = app.registry.snapshot();
    let (record, body_params) = read_evaluate_body(&bytes).inspect_err(|_| {
        app.metrics.evaluation(false);
    })?;
    let options = options(
        params.as_of.as_deref().or(body_params.as_of.as_deref()),
        params.explain.as_deref().or(body_params.explain.as_deref()),
        Explain::Reasons,
    )?;
    let bytes = app.decide_selected(&snapshot, &record, &options, "evaluate", None)?;
    Ok(json_response(bytes))
}

/// Evaluates a record under another program, or another version of its own.
#[utoipa::path(
    post,
    path = "/v1/what-if",
    tag = "evaluation",
    params(EvaluateParams),
    request_body = WhatIfBody,
    responses(
        (status = 200, description = "The decision", body = Decision),
        (status = 400, description = "Malformed JSON or a bad parameter", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 404, description = "Unknown program or version", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 422, description = "A field is missing, unknown or invalid", body = ErrorBody),
    )
)]
pub async fn what_if(
    State(app): State<AppState>,
    Query(params): Query<EvaluateParams>,
    Body(bytes): Body,
) -> Result<Response, ApiError> {
    let snapshot = app.registry.snapshot();
    let body: WhatIfBody = extract::json(&bytes)?;
    let mut record = embedded_record(body.record)?;
    let options = options(
        params.as_of.as_deref().or(body.as_of.as_deref()),
        params.explain.as_deref().or(body.explain.as_deref()),
        Explain::Reasons,
    )?;
    let (program, version) = match body.program.split_once('@') {
        Some((p, v)) => (p.to_string(), Some(v.to_string())),
        None => (body.program.clone(), None),
    };
    let selected = snapshot
        .library
        .select(&program, record.enrolled, version.as_deref())
        .map_err(select_error)?;
    let plan = snapshot
        .plan(&selected.id, &selected.version)
        .ok_or_else(|| ApiError::NotFound(format!("no ruleset `{}`", body.program)))?;
    record.program = program;
    let why = if version.is_some() {
        "what-if: named version"
    } else {
        "what-if: in force at enrolment"
    };
    let bytes = app.decide(plan, &record, &options, why, "what-if", None)?;
    Ok(json_response(bytes))
}

/// Evaluates a cohort, one record per line (NDJSON), and streams one answer per line in input
/// order: a decision, or `{"line", "error"}` for a line that could not be evaluated.
#[utoipa::path(
    post,
    path = "/v1/evaluate/batch",
    tag = "evaluation",
    params(EvaluateParams),
    request_body(content = String, content_type = "application/x-ndjson", description = "One learner record per line"),
    responses(
        (status = 200, description = "One line per input line: a decision or an error naming the line", content_type = "application/x-ndjson", body = BatchError),
        (status = 400, description = "A bad parameter", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 422, description = "A bad parameter value", body = ErrorBody),
    )
)]
pub async fn batch(
    State(app): State<AppState>,
    Query(params): Query<EvaluateParams>,
    request: axum::extract::Request,
) -> Result<Response, ApiError> {
    let snapshot = app.registry.snapshot();
    let options = options(
        params.as_of.as_deref(),
        params.explain.as_deref(),
        Explain::None,
    )?;
    let limit = app.config.cohort_body_limit;
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(ApiError::TooLarge);
    }
    // The body is read as it comes, line by line, and each line evaluated on a blocking thread
    // as soon as it is whole: neither the cohort nor its answers are held in memory.
    let (lines_tx, mut lines_rx) = tokio::sync::mpsc::channel::<Line>(256);
    let (tx, rx) = tokio::sync::mpsc::channel::<Bytes>(64);
    let body = request.into_body().into_data_stream();
    tokio::spawn(read_lines(body, limit, app.config.body_limit, lines_tx));
    tokio::task::spawn_blocking(move || {
        while let Some(line) = lines_rx.blocking_recv() {
            let bytes = match line {
                Line::Record(number, text) => {
                    match answer_line(&app, &snapshot, &options, number, &text) {
                        Some(bytes) => bytes,
                        None => continue,
                    }
                }
                Line::Failed(number, e) => error_line(number, e),
            };
            if tx.blocking_send(Bytes::from(bytes)).is_err() {
                return;
            }
        }
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv()
            .await
            .map(|chunk| (Ok::<_, std::convert::Infallible>(chunk), rx))
    });
    let mut response = axum::body::Body::from_stream(stream).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-ndjson"),
    );
    Ok(response)
}

/// A line of a batch body, or why the body stopped.
enum Line {
    /// A line (from 1) and its bytes, without the newline.
    Record(usize, Vec<u8>),
    /// This line gets an error (and, unless the body goes on, the batch ends with it).
    Failed(usize, ApiError),
}

/// Cuts the body into lines as it arrives. A line over `line_limit` bytes gets an error line;
/// a body over `limit` bytes, or a line still growing past `line_limit`, ends the batch with
/// an error line.
async fn read_lines(
    mut body: axum::body::BodyDataStream,
    limit: usize,
    line_limit: usize,
    lines: tokio::sync::mpsc::Sender<Line>,
) {
    use futures_util::StreamExt;
    let mut buffer: Vec<u8> = Vec::new();
    let mut number = 0;
    let mut total = 0usize;
    loop {
        match body.next().await {
            Some(Ok(chunk)) => {
                total += chunk.len();
                if total > limit {
                    let _ = lines
                        .send(Line::Failed(number + 1, ApiError::TooLarge))
                        .await;
                    return;
                }
                let scanned = buffer.len();
                buffer.extend_from_slice(&chunk);
                let mut start = 0;
                let mut from = scanned;
                while let Some(at) = memchr::memchr(b'\n', &buffer[from..]) {
                    let end = from + at;
                    number += 1;
                    // A line over the limit is refused, and the batch goes on after it.
                    let line = if end - start > line_limit {
                        Line::Failed(number, ApiError::TooLarge)
                    } else {
                        Line::Record(number, buffer[start..end].to_vec())
                    };
                    if lines.send(line).await.is_err() {
                        return;
                    }
                    start = end + 1;
                    from = start;
                }
                buffer.drain(..start);
                if buffer.len() > line_limit {
                    let _ = lines
                        .send(Line::Failed(number + 1, ApiError::TooLarge))
                        .await;
                    return;
                }
            }
            Some(Err(e)) => {
                let e = ApiError::Malformed {
                    message: format!("the body could not be read: {e}"),
                };
                let _ = lines.send(Line::Failed(number + 1, e)).await;
                return;
            }
            None => {
                if !buffer.is_empty() {
                    let _ = lines.send(Line::Record(number + 1, buffer)).await;
                }
                return;
            }
        }
    }
}

/// The answer to one line, ending with a newline; `None` for a blank line.
fn answer_line(
    app: &Arc<Shared>,
    snapshot: &Snapshot,
    options: &Options,
    number: usize,
    line: &[u8],
) -> Option<Vec<u8>> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    let answer = extract::text(line)
        .and_then(|text| record::from_json(text).map_err(ApiError::from_record))
        .inspect_err(|_| app.metrics.evaluation(false))
        .and_then(|record| app.decide_selected(snapshot, &record, options, "batch", Some(number)));
    Some(match answer {
        Ok(mut bytes) => {
            bytes.push(b'\n');
            bytes
        }
        Err(e) => error_line(number, e),
    })
}

/// `{"line", "error"}` and a newline.
fn error_line(number: usize, e: ApiError) -> Vec<u8> {
    let error = BatchError {
        line: number,
        error: e.body().error,
    };
    let mut bytes = serde_json::to_vec(&error).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}
