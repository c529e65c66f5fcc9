//! `GET /v1/rulesets`, `GET /v1/rulesets/{id}`, `GET /v1/rulesets/{id}/versions/{version}`
//! and `.../source`: what is loaded, in a shape a portal can render.
//!
//! A ruleset id holds a `/` (`demo-university/undergraduate`): in a path it is written
//! percent-encoded (`demo-university%2Fundergraduate`). Ids are only ever looked up in the
//! loaded library, never used as file paths.
//!
//! Every answer here is tagged for conditional GETs (`ETag`, `If-None-Match`, `304`; see
//! [`crate::conditional`]), so that a portal can poll for rule updates cheaply.

use crate::app::AppState;
use crate::conditional;
use crate::error::{ApiError, ErrorBody};
use crate::extract::Path;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use creditbank_dsl::ast::{Item, Node, RulesetFile};
use creditbank_engine::library::{date_text, RulesetVersion};
use serde::Serialize;
use utoipa::ToSchema;

/// A version, briefly.
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionSummary {
    /// The version, e.g. `2026.1`.
    pub version: String,
    /// The title.
    pub title: String,
    /// The first enrolment date it applies to, `YYYY-MM-DD`.
    pub effective: String,
    /// The version it supersedes.
    pub supersedes: Option<String>,
    /// `sha256:` and the hex SHA-256 of its source.
    pub content_hash: String,
}

/// A ruleset and its versions, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct RulesetSummary {
    /// The ruleset id.
    pub id: String,
    /// Its versions, by effective date.
    pub versions: Vec<VersionSummary>,
}

/// The answer of `GET /v1/rulesets`.
#[derive(Debug, Serialize, ToSchema)]
pub struct RulesetList {
    /// Which load of the rulesets answered.
    pub generation: u64,
    /// Every ruleset, by id.
    pub rulesets: Vec<RulesetSummary>,
}

/// A category.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryEntry {
    /// Its id.
    pub id: String,
    /// Its display name.
    pub name: String,
}

/// A course of the catalog.
#[derive(Debug, Serialize, ToSchema)]
pub struct CourseEntry {
    /// The course code.
    pub code: String,
    /// The course name.
    pub name: String,
    /// Its credits.
    pub credits: String,
    /// The category its credits go into.
    pub category: String,
    /// Its tags.
    pub tags: Vec<String>,
}

/// One rule: its id, name, where it is written, and its canonical text.
#[derive(Debug, Serialize, ToSchema)]
pub struct RuleEntry {
    /// What it is: `scale`, `gpa`, `kind`, `convert`, `cap`, `review`, `warning`,
    /// `graduation`, `program`, `certificate`, `institutions`.
    pub kind: &'static str,
    /// Its id (absent for graduation, the GPA policy and the institutions).
    pub id: Option<String>,
    /// Its display name.
    pub name: Option<String>,
    /// The line it starts on, from 1.
    pub line: usize,
    /// The rule in the canonical layout of the language (docs/LANGUAGE.md).
    pub text: String,
}

/// One version in full.
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionDetail {
    /// The ruleset id.
    pub id: String,
    /// The version and its dates.
    #[serde(flatten)]
    pub summary: VersionSummary,
    /// The source file's name.
    pub source_name: String,
    /// The categories credit is counted in.
    pub categories: Vec<CategoryEntry>,
    /// The catalog of courses.
    pub catalog: Vec<CourseEntry>,
    /// Grade scales and the GPA policy.
    pub grading: Vec<RuleEntry>,
    /// Outcome kinds and institutions (the catalog of recognised learning outcomes).
    pub outcome_kinds: Vec<RuleEntry>,
    /// Conversion rules (conversion tables and formulas).
    pub conversions: Vec<RuleEntry>,
    /// Credit caps.
    pub caps: Vec<RuleEntry>,
    /// Review criteria.
    pub reviews: Vec<RuleEntry>,
    /// Staged warnings and their levels.
    pub warnings: Vec<RuleEntry>,
    /// Graduation, programs and certificates.
    pub requirements: Vec<RuleEntry>,
}

/// The answer of `GET /v1/rulesets/{id}`: its versions, and the latest in full.
#[derive(Debug, Serialize, ToSchema)]
pub struct RulesetDetail {
    /// The ruleset id.
    pub id: String,
    /// Its versions, oldest first.
    pub versions: Vec<VersionSummary>,
    /// The latest version in full.
    pub latest: VersionDetail,
}

fn summary(v: &RulesetVersion) -> VersionSummary {
    VersionSummary {
        version: v.version.clone(),
        title: v.title.clone(),
        effective: date_text(v.effective),
        supersedes: v.supersedes.clone(),
        content_hash: v.content_hash.clone(),
    }
}

fn detail(v: &RulesetVersion) -> VersionDetail {
    let mut d = VersionDetail {
        id: v.id.clone(),
        summary: summary(v),
        source_name: v.source_name.clone(),
        categories: Vec::new(),
        catalog: Vec::new(),
        grading: Vec::new(),
        outcome_kinds: Vec::new(),
        conversions: Vec::new(),
        caps: Vec::new(),
        reviews: Vec::new(),
        warnings: Vec::new(),
        requirements: Vec::new(),
    };
    let entry = |node: &Node<Item>, kind, id: Option<&str>, name: Option<&str>| RuleEntry {
        kind,
        id: id.map(str::to_string),
        name: name.map(str::to_string),
        line: v.source.line_col(node.span.start as usize).line,
        text: creditbank_dsl::format(&RulesetFile {
            items: vec![node.clone()],
            end_comments: Vec::new(),
        }),
    };
    let text = |t: &Option<creditbank_dsl::ast::Text>| t.as_ref().map(|t| t.value.clone());
    for node in &v.file.items {
        match &node.value {
            Item::Header(_) => {}
            Item::Categories(list) => d.categories.extend(list.iter().map(|c| CategoryEntry {
                id: c.value.id.value.clone(),
                name: c.value.name.value.clone(),
            })),
            Item::Catalog(c) => d.catalog.extend(c.courses.iter().map(|c| CourseEntry {
                code: c.value.code.value.clone(),
                name: c.value.name.value.clone(),
                credits: c.value.credits.value.to_string(),
                category: c.value.category.value.clone(),
                tags: c.value.tags.iter().map(|t| t.value.clone()).collect(),
            })),
            Item::Scale(s) => d.grading.push(entry(
                node,
                "scale",
                Some(&s.id.value),
                text(&s.name).as_deref(),
            )),
            Item::Gpa(g) => d
                .grading
                .push(entry(node, "gpa", None, text(&g.name).as_deref())),
            Item::Kind(k) => d.outcome_kinds.push(entry(
                node,
                "kind",
                Some(&k.id.value),
                text(&k.name).as_deref(),
            )),
            Item::Institutions(_) => d
                .outcome_kinds
                .push(entry(node, "institutions", None, None)),
            Item::Convert(c) => d.conversions.push(entry(
                node,
                "convert",
                Some(&c.id.value),
                text(&c.name).as_deref(),
            )),
            Item::Cap(c) => d.caps.push(entry(
                node,
                "cap",
                Some(&c.id.value),
                text(&c.name).as_deref(),
            )),
            Item::Review(r) => d.reviews.push(entry(
                node,
                "review",
                Some(&r.id.value),
                text(&r.name).as_deref(),
            )),
            Item::Warning(w) => d.warnings.push(entry(
                node,
                "warning",
                Some(&w.id.value),
                text(&w.name).as_deref(),
            )),
            Item::Graduation(g) => {
                d.requirements
                    .push(entry(node, "graduation", None, text(&g.name).as_deref()))
            }
            Item::Program(p) => d.requirements.push(entry(
                node,
                "program",
                Some(&p.id.value),
                text(&p.name).as_deref(),
            )),
            Item::Certificate(c) => d.requirements.push(entry(
                node,
                "certificate",
                Some(&c.id.value),
                text(&c.name).as_deref(),
            )),
        }
    }
    d
}

/// Every ruleset and version loaded.
#[utoipa::path(
    get,
    path = "/v1/rulesets",
    tag = "rulesets",
    responses(
        (status = 200, description = "Ids, versions, effective dates, content hashes", body = RulesetList,
            headers(("ETag" = String, description = "The SHA-256 of the answer"))),
        (status = 304, description = "Not modified: `If-None-Match` names the answer's `ETag`"),
        (status = 401, description = "No valid token", body = ErrorBody),
    )
)]
pub async fn list(State(app): State<AppState>, request: HeaderMap) -> Result<Response, ApiError> {
    let snapshot = app.registry.snapshot();
    let rulesets = snapshot
        .library
        .ids()
        .map(|id| RulesetSummary {
            id: id.to_string(),
            versions: snapshot.library.versions(id).iter().map(summary).collect(),
        })
        .collect();
    conditional::json(
        &request,
        &RulesetList {
            generation: snapshot.generation,
            rulesets,
        },
    )
}

fn unknown_ruleset(id: &str) -> ApiError {
    ApiError::NotFound(format!("no ruleset `{id}`"))
}

/// A ruleset: its versions, and the latest in full.
#[utoipa::path(
    get,
    path = "/v1/rulesets/{id}",
    tag = "rulesets",
    params(("id" = String, Path, description = "The ruleset id, percent-encoded (`demo-university%2Fundergraduate`)")),
    responses(
        (status = 200, description = "The ruleset", body = RulesetDetail,
            headers(("ETag" = String, description = "The SHA-256 of the answer"))),
        (status = 304, description = "Not modified: `If-None-Match` names the answer's `ETag`"),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 404, description = "Unknown ruleset", body = ErrorBody),
    )
)]
pub async fn ruleset(
    State(app): State<AppState>,
    Path(id): Path<String>,
    request: HeaderMap,
) -> Result<Response, ApiError> {
    let snapshot = app.registry.snapshot();
    let versions = snapshot.library.versions(&id);
    let latest = versions.last().ok_or_else(|| unknown_ruleset(&id))?;
    conditional::json(
        &request,
        &RulesetDetail {
            id: id.clone(),
            versions: versions.iter().map(summary).collect(),
            latest: detail(latest),
        },
    )
}

fn find<'s>(
    snapshot: &'s crate::state::Snapshot,
    id: &str,
    version: &str,
) -> Result<&'s RulesetVersion, ApiError> {
    if snapshot.library.versions(id).is_empty() {
        return Err(unknown_ruleset(id));
    }
    snapshot
        .version(id, version)
        .ok_or_else(|| ApiError::NotFound(format!("ruleset `{id}` has no version `{version}`")))
}

/// One version in full.
#[utoipa::path(
    get,
    path = "/v1/rulesets/{id}/versions/{version}",
    tag = "rulesets",
    params(
        ("id" = String, Path, description = "The ruleset id, percent-encoded"),
        ("version" = String, Path, description = "The version, e.g. `2026.1`"),
    ),
    responses(
        (status = 200, description = "The version", body = VersionDetail,
            headers(("ETag" = String, description = "The SHA-256 of the answer"))),
        (status = 304, description = "Not modified: `If-None-Match` names the answer's `ETag`"),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 404, description = "Unknown ruleset or version", body = ErrorBody),
    )
)]
pub async fn version(
    State(app): State<AppState>,
    Path((id, version)): Path<(String, String)>,
    request: HeaderMap,
) -> Result<Response, ApiError> {
    let snapshot = app.registry.snapshot();
    conditional::json(&request, &detail(find(&snapshot, &id, &version)?))
}

/// The source text of one version.
#[utoipa::path(
    get,
    path = "/v1/rulesets/{id}/versions/{version}/source",
    tag = "rulesets",
    params(
        ("id" = String, Path, description = "The ruleset id, percent-encoded"),
        ("version" = String, Path, description = "The version"),
    ),
    responses(
        (status = 200, description = "The source", content_type = "text/plain", body = String,
            headers(("ETag" = String, description = "The version's content hash"))),
        (status = 304, description = "Not modified: `If-None-Match` names the answer's `ETag`"),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 404, description = "Unknown ruleset or version", body = ErrorBody),
    )
)]
pub async fn source(
    State(app): State<AppState>,
    Path((id, version)): Path<(String, String)>,
    request: HeaderMap,
) -> Result<Response, ApiError> {
    let snapshot = app.registry.snapshot();
    let v = find(&snapshot, &id, &version)?;
    // The tag is the SHA-256 of the text: the version's content hash.
    Ok(conditional::answer(
        &request,
        "text/plain; charset=utf-8",
        v.source.text().to_string(),
    ))
}
