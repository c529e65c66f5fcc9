//! Replaying a decision log: each logged decision made again from the learner's record (or the
//! submitted application) under the version the log names, and its summary compared with the
//! logged one.
//!
//! The log names the learner only by the SHA-256 of their id, so the inputs are matched to the
//! log through that hash: a [`Replayer`] is built from the log, then given the records (a
//! cohort, read as a stream: only the records the log names are evaluated) and the
//! applications, and [`Replayer::finish`] tells, for every line, whether the decision was
//! reproduced, which of its figures differ, why it cannot be replayed (the version is unknown,
//! or its source changed since: its content hash is not the logged one), or that no input
//! names its learner. A record given twice is replayed once, from the first.

use crate::decision_log::{
    learner_hash, Concluded, Difference, LoggedDecision, ReviewSummary, Summary,
};
use crate::plans::Plans;
use creditbank_engine::applications::{review_all, Application};
use creditbank_engine::evaluate::{evaluate, Plan};
use creditbank_engine::record::{self, LearnerRecord};
use creditbank_engine::report::Explain;
use serde::Serialize;
use std::collections::HashMap;
use std::io::{self, BufRead};

/// What replaying one decision found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Status {
    /// The same summary.
    Reproduced,
    /// Some figures differ.
    Differs {
        /// Each field that differs, with the logged and the replayed value.
        differences: Vec<Difference>,
    },
    /// The decision cannot be made again as it was.
    NotReplayable {
        /// Why.
        reason: String,
    },
    /// No record or application names the learner (for a review: the learner and outcome).
    NoInput,
}

/// One line of the log, replayed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Replayed {
    /// The line of the log, from 1.
    pub line: usize,
    /// The decision's id.
    pub decision_id: String,
    /// The endpoint that made it.
    pub endpoint: String,
    /// The ruleset id.
    pub ruleset: String,
    /// The version.
    pub version: String,
    /// The learner's hash.
    pub learner_sha256: String,
    /// For a review, the outcome's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// What replaying found.
    #[serde(flatten)]
    pub status: Status,
}

/// A line of the log that is not a decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Unreadable {
    /// The line, from 1.
    pub line: usize,
    /// Why it cannot be read.
    pub message: String,
}

/// How many lines ended each way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Decisions in the log.
    pub decisions: usize,
    /// Reproduced.
    pub reproduced: usize,
    /// With figures that differ.
    pub differ: usize,
    /// That cannot be replayed.
    pub not_replayable: usize,
    /// With no input naming the learner.
    pub no_input: usize,
    /// Lines that are not decisions.
    pub unreadable: usize,
}

/// The whole replay: every decision in log order, and the lines that are not decisions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReplayReport {
    /// How many ended each way.
    pub counts: Counts,
    /// Every decision, in the log's order.
    pub decisions: Vec<Replayed>,
    /// The lines that are not decisions.
    pub unreadable: Vec<Unreadable>,
}

impl ReplayReport {
    /// True when every decision given its input was reproduced and every line was read.
    pub fn ok(&self) -> bool {
        let c = &self.counts;
        c.differ == 0 && c.not_replayable == 0 && c.unreadable == 0
    }
}

/// Reproduced when nothing differs.
fn compared(differences: Vec<Difference>) -> Status {
    if differences.is_empty() {
        Status::Reproduced
    } else {
        Status::Differs { differences }
    }
}

/// A decision log being replayed.
pub struct Replayer<'p> {
    plans: &'p Plans<'p>,
    /// Each decision with its line, and what replaying it found so far.
    decisions: Vec<(usize, LoggedDecision, Option<Status>)>,
    /// Evaluations by learner hash.
    evaluations: HashMap<String, Vec<usize>>,
    /// Reviews by learner hash and outcome id.
    reviews: HashMap<(String, String), Vec<usize>>,
    unreadable: Vec<Unreadable>,
}

impl<'p> Replayer<'p> {
    /// Reads the log (NDJSON: one decision per line; blank lines are skipped). A line that is
    /// not a decision is kept as [`Unreadable`]; only a failure to read the stream is an error.
    pub fn new(plans: &'p Plans<'p>, log: impl BufRead) -> io::Result<Replayer<'p>> {
        let mut replayer = Replayer {
            plans,
            decisions: Vec::new(),
            evaluations: HashMap::new(),
            reviews: HashMap::new(),
            unreadable: Vec::new(),
        };
        for (index, bytes) in log.split(b'\n').enumerate() {
            let bytes = bytes?;
            let line = index + 1;
            let Ok(text) = std::str::from_utf8(&bytes) else {
                replayer.unreadable.push(Unreadable {
                    line,
                    message: "not a decision: the line is not UTF-8".into(),
                });
                continue;
            };
            if text.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<LoggedDecision>(text) {
                Ok(decision) => replayer.add(line, decision),
                Err(e) => replayer.unreadable.push(Unreadable {
                    line,
                    message: format!("not a decision: {e}"),
                }),
            }
        }
        Ok(replayer)
    }

    fn add(&mut self, line: usize, decision: LoggedDecision) {
        let at = self.decisions.len();
        match &decision.summary {
            Concluded::Evaluation(_) => self
                .evaluations
                .entry(decision.learner_sha256.clone())
                .or_default()
                .push(at),
            Concluded::Review(review) => self
                .reviews
                .entry((decision.learner_sha256.clone(), review.outcome.clone()))
                .or_default()
                .push(at),
        }
        self.decisions.push((line, decision, None));
    }

    /// The decisions of `indices` not yet replayed, if any.
    fn pending(&self, indices: Option<&Vec<usize>>) -> Option<Vec<usize>> {
        let pending: Vec<usize> = indices?
            .iter()
            .copied()
            .filter(|&i| self.decisions.get(i).is_some_and(|d| d.2.is_none()))
            .collect();
        (!pending.is_empty()).then_some(pending)
    }

    /// Gives each decision of `indices` not yet replayed the status `replay` finds for it.
    fn settle(
        &mut self,
        indices: Option<&Vec<usize>>,
        replay: impl Fn(&Self, &LoggedDecision) -> Status,
    ) {
        for i in self.pending(indices).unwrap_or_default() {
            let status = self.decisions.get(i).map(|d| replay(self, &d.1));
            if let Some(entry) = self.decisions.get_mut(i) {
                entry.2 = status;
            }
        }
    }

    /// Replays every evaluation of this record's learner not yet replayed.
    pub fn record(&mut self, record: &LearnerRecord) {
        let hash = learner_hash(&record.learner);
        let indices = self.evaluations.get(&hash).cloned();
        self.settle(indices.as_ref(), |r, decision| {
            r.evaluation(decision, record)
        });
    }

    /// Marks every evaluation of the learner with this hash not yet replayed as not
    /// replayable: their record is given, but cannot be read (`why`).
    pub fn unusable_record(&mut self, learner_sha256: &str, why: &str) {
        let indices = self.evaluations.get(learner_sha256).cloned();
        self.settle(indices.as_ref(), |_, _| Status::NotReplayable {
            reason: format!("the learner's record cannot be read: {why}"),
        });
    }

    /// Replays every review of this application (its learner and outcome) not yet replayed.
    pub fn application(&mut self, application: &Application) {
        let key = (
            learner_hash(&application.learner),
            application.outcome.id.clone(),
        );
        let indices = self.reviews.get(&key).cloned();
        self.settle(indices.as_ref(), |r, decision| {
            r.review(decision, application)
        });
    }

    /// The plan a decision names, if its source is the one it was made under.
    fn plan(&self, decision: &LoggedDecision) -> Result<&'p Plan, Status> {
        let plan = self
            .plans
            .get(&decision.ruleset, &decision.version)
            .ok_or_else(|| Status::NotReplayable {
                reason: format!(
                    "the rulesets hold no version `{}` of `{}`",
                    decision.version, decision.ruleset
                ),
            })?;
        if plan.version.content_hash != decision.content_hash {
            return Err(Status::NotReplayable {
                reason: format!(
                    "the source of `{}` {} changed since the decision: its hash is {}, the \
                     decision's {}",
                    decision.ruleset,
                    decision.version,
                    plan.version.content_hash,
                    decision.content_hash
                ),
            });
        }
        Ok(plan)
    }

    fn evaluation(&self, decision: &LoggedDecision, record: &LearnerRecord) -> Status {
        let Concluded::Evaluation(logged) = &decision.summary else {
            return Status::NoInput;
        };
        let plan = match self.plan(decision) {
            Ok(plan) => plan,
            Err(status) => return status,
        };
        let Some((logged_date, as_of)) = decision
            .as_of
            .as_deref()
            .and_then(|text| Some((text, record::parse_date(text)?)))
        else {
            return Status::NotReplayable {
                reason: "the line has no evaluation date (`as_of`) or not a date".into(),
            };
        };
        // A what-if weighs the record under another program: it is evaluated as if enrolled
        // in the program the line names, as the service evaluated it.
        let weighed;
        let record = if record.program == decision.ruleset {
            record
        } else {
            weighed = LearnerRecord {
                program: decision.ruleset.clone(),
                ..record.clone()
            };
            &weighed
        };
        let report = match evaluate(plan, record, Some(as_of), Explain::None, "replay") {
            Ok(report) => report,
            Err(e) => {
                return Status::NotReplayable {
                    reason: format!("the record cannot be evaluated: {e}"),
                }
            }
        };
        let mut differences = Vec::new();
        if report.as_of != logged_date {
            // The record carries its own evaluation date, and it is not the decision's.
            differences.push(Difference {
                field: "as_of",
                logged: logged_date.to_string(),
                replayed: report.as_of.clone(),
            });
        }
        differences.extend(logged.differences(&Summary::of(&report)));
        compared(differences)
    }

    fn review(&self, decision: &LoggedDecision, application: &Application) -> Status {
        let Concluded::Review(logged) = &decision.summary else {
            return Status::NoInput;
        };
        let plan = match self.plan(decision) {
            Ok(plan) => plan,
            Err(status) => return status,
        };
        let Some(line) = review_all(plan, std::slice::from_ref(application)).pop() else {
            return Status::NoInput;
        };
        compared(logged.differences(&ReviewSummary::of(&line)))
    }

    /// Every decision with what replaying it found (no input, for those no input named).
    pub fn finish(self) -> ReplayReport {
        let mut counts = Counts {
            decisions: self.decisions.len(),
            unreadable: self.unreadable.len(),
            ..Counts::default()
        };
        let decisions = self
            .decisions
            .into_iter()
            .map(|(line, decision, status)| {
                let status = status.unwrap_or(Status::NoInput);
                match status {
                    Status::Reproduced => counts.reproduced += 1,
                    Status::Differs { .. } => counts.differ += 1,
                    Status::NotReplayable { .. } => counts.not_replayable += 1,
                    Status::NoInput => counts.no_input += 1,
                }
                let outcome = match decision.summary {
                    Concluded::Review(review) => Some(review.outcome),
                    Concluded::Evaluation(_) => None,
                };
                Replayed {
                    line,
                    decision_id: decision.decision_id,
                    endpoint: decision.endpoint,
                    ruleset: decision.ruleset,
                    version: decision.version,
                    learner_sha256: decision.learner_sha256,
                    outcome,
                    status,
                }
            })
            .collect();
        ReplayReport {
            counts,
            decisions,
            unreadable: self.unreadable,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decision_log::VersionUsed;
    use crate::generate::{CohortGenerator, GenerateOptions};
    use crate::testing::library;
    use creditbank_engine::applications::Applications;
    use creditbank_engine::library::Library;

    /// Generated learners (each with its own `as_of`, which the test takes off half of them,
    /// so that the logged date is what the replay evaluates at).
    fn learners(library: &Library, n: u64) -> Vec<LearnerRecord> {
        let generator = CohortGenerator::new(library, None, GenerateOptions::default()).unwrap();
        (0..n)
            .map(|i| {
                let mut record = generator.learner(i);
                if i % 2 == 0 {
                    record.as_of = None;
                }
                record
            })
            .collect()
    }

    /// The log the service would write for `records`: each evaluated under the version it
    /// selects, at its own date or 2028-07-01.
    fn log_of(plans: &Plans<'_>, records: &[LearnerRecord]) -> Vec<LoggedDecision> {
        let today = record::parse_date("2028-07-01");
        records
            .iter()
            .enumerate()
            .map(|(i, record)| {
                let (plan, selected) = plans.for_learner(record).unwrap();
                let report = evaluate(plan, record, today, Explain::Reasons, selected).unwrap();
                LoggedDecision::evaluation(
                    &format!("decision-{i}"),
                    "2028-07-01T00:00:00Z".into(),
                    "batch",
                    &report,
                )
            })
            .collect()
    }

    fn ndjson(lines: &[LoggedDecision]) -> String {
        lines
            .iter()
            .map(|l| serde_json::to_string(l).unwrap() + "\n")
            .collect()
    }

    fn statuses(report: &ReplayReport) -> Vec<&Status> {
        report.decisions.iter().map(|d| &d.status).collect()
    }

    #[test]
    fn every_logged_evaluation_replays_to_its_summary_whatever_the_order_of_the_records() {
        let library = library();
        let plans = Plans::compile(&library).unwrap();
        let records = learners(&library, 40);
        let log = ndjson(&log_of(&plans, &records));
        let mut replayer = Replayer::new(&plans, log.as_bytes()).unwrap();
        for record in records.iter().rev() {
            replayer.record(record);
        }
        let report = replayer.finish();
        assert!(report.ok(), "{report:#?}");
        assert_eq!(report.counts.decisions, 40);
        assert_eq!(report.counts.reproduced, 40);
        // In the log's order, each with its line.
        let lines: Vec<usize> = report.decisions.iter().map(|d| d.line).collect();
        assert_eq!(lines, (1..=40).collect::<Vec<_>>());
        assert_eq!(report.decisions[3].decision_id, "decision-3");
    }

    #[test]
    fn a_changed_figure_a_changed_source_an_unknown_version_and_a_missing_record_are_told_apart() {
        let library = library();
        let plans = Plans::compile(&library).unwrap();
        let records = learners(&library, 6);
        let mut log = log_of(&plans, &records);
        let Concluded::Evaluation(summary) = &mut log[0].summary else {
            panic!("an evaluation")
        };
        let logged_total = summary.total_credits.clone();
        summary.total_credits = "999.0".into();
        log[1].content_hash = "sha256:0000".into();
        log[2].version = "1999.1".into();
        let mut text = ndjson(&log).into_bytes();
        text.extend_from_slice(b"\nnot json\n\xff\xfe\n");

        let mut replayer = Replayer::new(&plans, text.as_slice()).unwrap();
        // The last record is not given; the fifth is given twice (the first is replayed).
        for record in &records[..5] {
            replayer.record(record);
        }
        replayer.record(&records[4]);
        let report = replayer.finish();
        assert!(!report.ok());
        assert_eq!(
            statuses(&report)[0],
            &Status::Differs {
                differences: vec![Difference {
                    field: "total_credits",
                    logged: "999.0".into(),
                    replayed: logged_total,
                }]
            }
        );
        let Status::NotReplayable { reason } = statuses(&report)[1] else {
            panic!("{report:#?}")
        };
        assert!(reason.contains("changed since the decision"), "{reason}");
        assert!(reason.contains("sha256:0000"), "{reason}");
        let Status::NotReplayable { reason } = statuses(&report)[2] else {
            panic!("{report:#?}")
        };
        assert!(reason.contains("no version `1999.1`"), "{reason}");
        assert_eq!(statuses(&report)[3], &Status::Reproduced);
        assert_eq!(statuses(&report)[5], &Status::NoInput);
        let unreadable: Vec<usize> = report.unreadable.iter().map(|u| u.line).collect();
        assert_eq!(unreadable, [8, 9]);
        assert!(report.unreadable[0].message.starts_with("not a decision: "));
        assert_eq!(
            report.unreadable[1].message,
            "not a decision: the line is not UTF-8"
        );
        assert_eq!(
            report.counts,
            Counts {
                decisions: 6,
                reproduced: 2,
                differ: 1,
                not_replayable: 2,
                no_input: 1,
                unreadable: 2,
            }
        );
    }

    #[test]
    fn a_record_whose_own_date_is_not_the_decisions_differs_in_as_of() {
        let library = library();
        let plans = Plans::compile(&library).unwrap();
        let mut records = learners(&library, 1);
        let log = ndjson(&log_of(&plans, &records));
        records[0].as_of = record::parse_date("2031-07-01");
        let mut replayer = Replayer::new(&plans, log.as_bytes()).unwrap();
        replayer.record(&records[0]);
        let report = replayer.finish();
        let Status::Differs { differences } = statuses(&report)[0] else {
            panic!("{report:#?}")
        };
        assert_eq!(differences[0].field, "as_of");
        assert_eq!(differences[0].logged, "2028-07-01");
        assert_eq!(differences[0].replayed, "2031-07-01");
    }

    #[test]
    fn reviews_replay_from_the_applications_by_learner_and_outcome() {
        let library = library();
        let plans = Plans::compile(&library).unwrap();
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/applications.yaml"),
        )
        .unwrap();
        let batch: Applications = serde_yaml::from_str(&text).unwrap();
        let version = library.version_or_latest(&batch.program, None).unwrap();
        let plan = plans.get(&version.id, &version.version).unwrap();
        let used = VersionUsed {
            id: &version.id,
            version: &version.version,
            content_hash: &version.content_hash,
        };
        let mut log: Vec<LoggedDecision> = review_all(plan, &batch.applications)
            .iter()
            .enumerate()
            .map(|(i, line)| {
                LoggedDecision::review(&format!("r{i}"), "2028-01-01T00:00:00Z".into(), &used, line)
            })
            .collect();
        let Concluded::Review(first) = &mut log[0].summary else {
            panic!("a review")
        };
        let decided = first.decision.clone();
        first.decision = "rejected".into();
        let mut replayer = Replayer::new(&plans, ndjson(&log).as_bytes()).unwrap();
        for application in &batch.applications {
            replayer.application(application);
        }
        let report = replayer.finish();
        assert_eq!(report.counts.decisions, batch.applications.len());
        assert_eq!(report.counts.reproduced, batch.applications.len() - 1);
        assert_eq!(
            statuses(&report)[0],
            &Status::Differs {
                differences: vec![Difference {
                    field: "decision",
                    logged: "rejected".into(),
                    replayed: decided,
                }]
            }
        );
        assert_eq!(
            report.decisions[0].outcome.as_deref(),
            Some(batch.applications[0].outcome.id.as_str())
        );
    }
}
