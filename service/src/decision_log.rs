//! The decision log: one NDJSON line per decision, appended and flushed as it is made, so that
//! a decision can be traced and replayed: its id and time, the ruleset version and content
//! hash it was made under, and what it concluded: for an evaluation the evaluation date and
//! the result's summary, for a review the outcome, its decision and the clause that decided.
//! The learner is recorded as the SHA-256 of their id, never the id itself.

use creditbank_engine::applications::ReviewLine;
use creditbank_engine::report::Report;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::Mutex;

/// An open decision log.
pub struct DecisionLog {
    file: Mutex<BufWriter<File>>,
}

/// One line of the log.
#[derive(Serialize)]
struct Line<'a> {
    decision_id: &'a str,
    time: String,
    endpoint: &'a str,
    learner_sha256: String,
    ruleset: &'a str,
    version: &'a str,
    content_hash: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    as_of: Option<String>,
    summary: Concluded<'a>,
}

/// What a decision concluded: an evaluation's summary or a review's decision.
#[derive(Serialize)]
#[serde(untagged)]
enum Concluded<'a> {
    Evaluation(Summary<'a>),
    Review(ReviewSummary<'a>),
}

/// What a review decided about one outcome.
#[derive(Serialize)]
struct ReviewSummary<'a> {
    outcome: &'a str,
    kind: &'a str,
    decision: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    at: Option<&'a str>,
}

/// The version a decision was made under: id, version and content hash.
pub struct Version<'a> {
    /// The ruleset id.
    pub id: &'a str,
    /// The version.
    pub version: &'a str,
    /// `sha256:<hex>` of its source.
    pub content_hash: &'a str,
}

/// What a decision concluded.
#[derive(Serialize)]
struct Summary<'a> {
    total_credits: String,
    gpa: Option<String>,
    failed_credits: String,
    warning_level: &'a str,
    graduation: Option<bool>,
    programs_met: Vec<&'a str>,
}

/// `sha256:<hex>` of a learner id.
pub fn learner_hash(learner: &str) -> String {
    let digest = Sha256::digest(learner.as_bytes());
    let mut hex = String::from("sha256:");
    for byte in digest {
        hex.push_str(&format!("{byte:02x}"));
    }
    hex
}

impl DecisionLog {
    /// Opens `path` for appending, creating it if needed.
    pub fn open(path: &Path) -> std::io::Result<DecisionLog> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?;
        Ok(DecisionLog {
            file: Mutex::new(BufWriter::new(file)),
        })
    }

    /// Appends one decision and flushes it.
    pub fn record(
        &self,
        decision_id: &str,
        endpoint: &str,
        report: &Report<'_>,
    ) -> std::io::Result<()> {
        let line = Line {
            decision_id,
            time: crate::clock::rfc3339_now(),
            endpoint,
            learner_sha256: learner_hash(report.learner),
            ruleset: report.ruleset.id,
            version: report.ruleset.version,
            content_hash: report.ruleset.content_hash,
            as_of: Some(report.as_of.to_string()),
            summary: Concluded::Evaluation(Summary {
                total_credits: report.total_credits.to_string(),
                gpa: report.gpa.as_ref().map(|g| g.value.to_string()),
                failed_credits: report.failed_credits.to_string(),
                warning_level: creditbank_cohort::batch::warning_level(report),
                graduation: report.graduation.as_ref().map(|g| g.met),
                programs_met: report
                    .programs
                    .iter()
                    .filter(|p| p.met)
                    .map(|p| p.id)
                    .collect(),
            }),
        };
        self.append(&[line])
    }

    /// Appends the decisions of one review, one line each, and flushes them together.
    pub fn record_review(
        &self,
        version: &Version<'_>,
        decisions: &[(&str, &ReviewLine)],
    ) -> std::io::Result<()> {
        let time = crate::clock::rfc3339_now();
        let lines: Vec<Line> = decisions
            .iter()
            .map(|&(decision_id, line)| Line {
                decision_id,
                time: time.clone(),
                endpoint: "review",
                learner_sha256: learner_hash(&line.learner),
                ruleset: version.id,
                version: version.version,
                content_hash: version.content_hash,
                as_of: None,
                summary: Concluded::Review(ReviewSummary {
                    outcome: &line.outcome,
                    kind: &line.kind,
                    decision: line.decision,
                    at: line.at.as_deref(),
                }),
            })
            .collect();
        self.append(&lines)
    }

    /// Writes `lines` as NDJSON under the lock and flushes them.
    fn append(&self, lines: &[Line<'_>]) -> std::io::Result<()> {
        let mut bytes = Vec::new();
        for line in lines {
            creditbank_engine::json::to_vec(line, &mut bytes).map_err(std::io::Error::other)?;
            bytes.push(b'\n');
        }
        let mut file = self
            .file
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        file.write_all(&bytes)?;
        file.flush()
    }
}
