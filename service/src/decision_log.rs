//! The decision log: one NDJSON line per decision, appended and flushed as it is made, so that
//! a decision can be traced and replayed: its id and time, the ruleset version and content
//! hash it was made under, and what it concluded: for an evaluation the evaluation date and
//! the result's summary, for a review the outcome, its decision and the clause that decided.
//! The learner is recorded as the SHA-256 of their id, never the id itself.

use creditbank_cohort::decision_log::{LoggedDecision, VersionUsed};
use creditbank_engine::applications::ReviewLine;
use creditbank_engine::report::Report;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::Mutex;

pub use creditbank_cohort::decision_log::learner_hash;

/// An open decision log.
pub struct DecisionLog {
    file: Mutex<BufWriter<File>>,
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
        let time = crate::clock::rfc3339_now();
        self.append(&[LoggedDecision::evaluation(
            decision_id,
            time,
            endpoint,
            report,
        )])
    }

    /// Appends the decisions of one review, one line each, and flushes them together.
    pub fn record_review(
        &self,
        version: &VersionUsed<'_>,
        decisions: &[(&str, &ReviewLine)],
    ) -> std::io::Result<()> {
        let time = crate::clock::rfc3339_now();
        let lines: Vec<LoggedDecision> = decisions
            .iter()
            .map(|&(decision_id, line)| {
                LoggedDecision::review(decision_id, time.clone(), version, line)
            })
            .collect();
        self.append(&lines)
    }

    /// Writes `lines` as NDJSON under the lock and flushes them.
    fn append(&self, lines: &[LoggedDecision]) -> std::io::Result<()> {
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
