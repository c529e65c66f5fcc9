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
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub use creditbank_cohort::decision_log::learner_hash;

/// An open decision log.
pub struct DecisionLog {
    path: PathBuf,
    file: Mutex<BufWriter<File>>,
}

/// Opens `path` for appending, creating it if needed.
fn append_to(path: &Path) -> std::io::Result<BufWriter<File>> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    Ok(BufWriter::new(file))
}

impl DecisionLog {
    /// Opens `path` for appending, creating it if needed.
    pub fn open(path: &Path) -> std::io::Result<DecisionLog> {
        Ok(DecisionLog {
            path: path.to_path_buf(),
            file: Mutex::new(append_to(path)?),
        })
    }

    /// Opens the log's path again (on SIGHUP), so that a log moved away by a rotation is
    /// followed by a new file at the path. Lines already written stay in the old file; on
    /// an error the old file is kept.
    pub fn reopen(&self) -> std::io::Result<()> {
        let fresh = append_to(&self.path)?;
        let mut file = self
            .file
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        file.flush()?;
        *file = fresh;
        Ok(())
    }

    /// Where the log is written.
    pub fn path(&self) -> &Path {
        &self.path
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

#[cfg(test)]
mod tests {
    use super::*;

    fn review(outcome: &str) -> ReviewLine {
        ReviewLine {
            learner: "2026010001".into(),
            outcome: outcome.into(),
            kind: "competition".into(),
            decision: "approved",
            reason: "certificate".into(),
            at: None,
        }
    }

    fn record(log: &DecisionLog, outcome: &str) {
        let version = VersionUsed {
            id: "demo",
            version: "2026.1",
            content_hash: "sha256:00",
        };
        log.record_review(&version, &[("d", &review(outcome))])
            .unwrap();
    }

    #[test]
    fn a_reopened_log_writes_to_a_new_file_at_its_path_after_a_rotation() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("decisions.ndjson");
        let log = DecisionLog::open(&path).unwrap();
        record(&log, "first");
        let rotated = dir.path().join("decisions.ndjson.1");
        std::fs::rename(&path, &rotated).unwrap();
        // Until reopened, lines follow the file that moved.
        record(&log, "second");
        log.reopen().unwrap();
        record(&log, "third");
        let outcomes = |p: &Path| -> Vec<String> {
            std::fs::read_to_string(p)
                .unwrap()
                .lines()
                .map(|l| {
                    let line: LoggedDecision = serde_json::from_str(l).unwrap();
                    match line.summary {
                        creditbank_cohort::decision_log::Concluded::Review(r) => r.outcome,
                        other => panic!("{other:?}"),
                    }
                })
                .collect()
        };
        assert_eq!(outcomes(&rotated), ["first", "second"]);
        assert_eq!(outcomes(&path), ["third"]);
    }

    #[test]
    fn a_log_that_cannot_be_reopened_keeps_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("logs/decisions.ndjson");
        std::fs::create_dir(dir.path().join("logs")).unwrap();
        let log = DecisionLog::open(&path).unwrap();
        std::fs::rename(dir.path().join("logs"), dir.path().join("moved")).unwrap();
        assert!(log.reopen().is_err());
        record(&log, "kept");
        let text = std::fs::read_to_string(dir.path().join("moved/decisions.ndjson")).unwrap();
        assert!(text.contains("\"kept\""), "{text}");
    }
}
