//! The lines of a decision log, as the service writes them (one JSON object per decision) and
//! as [`crate::replay`] reads them back: the decision's id and time, the endpoint, the learner
//! as the SHA-256 of their id (never the id itself), the ruleset version and content hash it
//! was made under and, for an evaluation, the evaluation date and the result's summary; for a
//! review, the outcome, its decision and the clause that decided.
//!
//! Writing and reading share these types, so a log line and its replay cannot disagree on
//! what a summary holds.

use creditbank_engine::applications::ReviewLine;
use creditbank_engine::report::Report;
use serde::{Deserialize, Serialize};

/// One line of the log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoggedDecision {
    /// Unique per decision (a UUID version 7 from the service).
    pub decision_id: String,
    /// When it was made, RFC 3339 in UTC.
    pub time: String,
    /// `evaluate`, `what-if`, `batch` or `review`.
    pub endpoint: String,
    /// [`learner_hash`] of the learner's id.
    pub learner_sha256: String,
    /// The ruleset id.
    pub ruleset: String,
    /// The version.
    pub version: String,
    /// `sha256:<hex>` of the version's source.
    pub content_hash: String,
    /// The evaluation date (`YYYY-MM-DD`); absent for a review.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// What the decision concluded.
    pub summary: Concluded,
}

/// What a decision concluded: an evaluation's summary or a review's decision.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Concluded {
    /// An evaluation (evaluate, what-if, a batch line).
    Evaluation(Summary),
    /// The review of one application.
    Review(ReviewSummary),
}

/// The result of an evaluation, in the figures a decision rests on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Recognised credits in all.
    pub total_credits: String,
    /// The GPA, rounded as the ruleset declares; none without graded courses.
    pub gpa: Option<String>,
    /// Credits of failed courses.
    pub failed_credits: String,
    /// The highest warning level reached, or `none`.
    pub warning_level: String,
    /// Whether the graduation requirements are met; none when the ruleset declares none.
    pub graduation: Option<bool>,
    /// The programs (minors, micro-majors) whose requirements are met.
    pub programs_met: Vec<String>,
}

/// What a review decided about one outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewSummary {
    /// The outcome's id.
    pub outcome: String,
    /// Its kind.
    pub kind: String,
    /// `approved`, `rejected`, `manual` or `unrecognised`.
    pub decision: String,
    /// The clause that decided: `file:line:column`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

/// `sha256:<hex>` of a learner's id: how a log names the learner.
pub fn learner_hash(learner: &str) -> String {
    creditbank_engine::library::content_hash(learner)
}

impl Summary {
    /// The summary of `report`.
    pub fn of(report: &Report<'_>) -> Summary {
        Summary {
            total_credits: report.total_credits.to_string(),
            gpa: report.gpa.as_ref().map(|g| g.value.to_string()),
            failed_credits: report.failed_credits.to_string(),
            warning_level: crate::batch::warning_level(report).to_string(),
            graduation: report.graduation.as_ref().map(|g| g.met),
            programs_met: report
                .programs
                .iter()
                .filter(|p| p.met)
                .map(|p| p.id.to_string())
                .collect(),
        }
    }

    /// Each field that differs from `other`'s, with this value and the other's, in the order
    /// the fields are written.
    pub fn differences(&self, other: &Summary) -> Vec<Difference> {
        let mut d = Differences::default();
        d.text("total_credits", &self.total_credits, &other.total_credits);
        d.when("gpa", self.gpa != other.gpa, || {
            (optional(&self.gpa), optional(&other.gpa))
        });
        d.text(
            "failed_credits",
            &self.failed_credits,
            &other.failed_credits,
        );
        d.text("warning_level", &self.warning_level, &other.warning_level);
        d.when("graduation", self.graduation != other.graduation, || {
            (optional(&self.graduation), optional(&other.graduation))
        });
        d.when(
            "programs_met",
            self.programs_met != other.programs_met,
            || (listed(&self.programs_met), listed(&other.programs_met)),
        );
        d.0
    }
}

impl ReviewSummary {
    /// The summary of one review decision.
    pub fn of(line: &ReviewLine) -> ReviewSummary {
        ReviewSummary {
            outcome: line.outcome.clone(),
            kind: line.kind.clone(),
            decision: line.decision.to_string(),
            at: line.at.clone(),
        }
    }

    /// Each field that differs from `other`'s, as [`Summary::differences`]. The clauses are
    /// compared by their line and column: the file part of `file:line:column` is the name
    /// the source was loaded under, which depends on the front end (the service names a file
    /// from its rulesets directory, the CLI as its path was given), while the version and its
    /// content hash already say which source it is.
    pub fn differences(&self, other: &ReviewSummary) -> Vec<Difference> {
        let mut d = Differences::default();
        d.text("kind", &self.kind, &other.kind);
        d.text("decision", &self.decision, &other.decision);
        d.when(
            "at",
            self.at.as_deref().map(position) != other.at.as_deref().map(position),
            || (optional(&self.at), optional(&other.at)),
        );
        d.0
    }
}

/// The fields found to differ, in the order compared; a value is written out only for a field
/// that differs.
#[derive(Default)]
struct Differences(Vec<Difference>);

impl Differences {
    /// Notes `field` if its two texts differ.
    fn text(&mut self, field: &'static str, logged: &str, replayed: &str) {
        self.when(field, logged != replayed, || {
            (logged.to_string(), replayed.to_string())
        });
    }

    /// Notes `field` if it `differs`, with the logged and replayed values `shown` gives.
    fn when(
        &mut self,
        field: &'static str,
        differs: bool,
        shown: impl FnOnce() -> (String, String),
    ) {
        if differs {
            let (logged, replayed) = shown();
            self.0.push(Difference {
                field,
                logged,
                replayed,
            });
        }
    }
}

/// A field of a summary whose logged value differs from the replayed one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// The field, as the log names it.
    pub field: &'static str,
    /// Its value in the log.
    pub logged: String,
    /// Its value now.
    pub replayed: String,
}

/// An optional value as text: `none` when absent.
fn optional<T: ToString>(value: &Option<T>) -> String {
    value.as_ref().map_or_else(|| "none".into(), T::to_string)
}

/// The `line:column` of a `file:line:column` position (the whole text when it has fewer
/// parts).
fn position(at: &str) -> &str {
    let mut colons = at.rmatch_indices(':').map(|(i, _)| i);
    match (colons.next(), colons.next()) {
        (Some(_), Some(start)) => at.get(start + 1..).unwrap_or(at),
        _ => at,
    }
}

/// A list as text: its items joined with `, `, or `none`.
fn listed(items: &[String]) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        items.join(", ")
    }
}

impl LoggedDecision {
    /// The line for an evaluation: `report` under the version it names.
    pub fn evaluation(
        decision_id: &str,
        time: String,
        endpoint: &str,
        report: &Report<'_>,
    ) -> LoggedDecision {
        LoggedDecision {
            decision_id: decision_id.to_string(),
            time,
            endpoint: endpoint.to_string(),
            learner_sha256: learner_hash(report.learner),
            ruleset: report.ruleset.id.to_string(),
            version: report.ruleset.version.to_string(),
            content_hash: report.ruleset.content_hash.to_string(),
            as_of: Some(report.as_of.to_string()),
            summary: Concluded::Evaluation(Summary::of(report)),
        }
    }

    /// The line for the review of one application under `version`.
    pub fn review(
        decision_id: &str,
        time: String,
        version: &VersionUsed<'_>,
        line: &ReviewLine,
    ) -> LoggedDecision {
        LoggedDecision {
            decision_id: decision_id.to_string(),
            time,
            endpoint: "review".into(),
            learner_sha256: learner_hash(&line.learner),
            ruleset: version.id.to_string(),
            version: version.version.to_string(),
            content_hash: version.content_hash.to_string(),
            as_of: None,
            summary: Concluded::Review(ReviewSummary::of(line)),
        }
    }
}

/// The version a decision was made under: id, version and content hash.
pub struct VersionUsed<'a> {
    /// The ruleset id.
    pub id: &'a str,
    /// The version.
    pub version: &'a str,
    /// `sha256:<hex>` of its source.
    pub content_hash: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary() -> Summary {
        Summary {
            total_credits: "24.5".into(),
            gpa: Some("1.92".into()),
            failed_credits: "21.5".into(),
            warning_level: "red".into(),
            graduation: Some(false),
            programs_met: vec![],
        }
    }

    #[test]
    fn a_line_reads_back_as_it_was_written() {
        let line = LoggedDecision {
            decision_id: "01a222f0".into(),
            time: "2026-11-28T16:14:47.207Z".into(),
            endpoint: "evaluate".into(),
            learner_sha256: learner_hash("2026010001"),
            ruleset: "demo-university/undergraduate".into(),
            version: "2026.1".into(),
            content_hash: "sha256:e85d".into(),
            as_of: Some("2027-07-10".into()),
            summary: Concluded::Evaluation(summary()),
        };
        let text = serde_json::to_string(&line).unwrap();
        assert_eq!(
            text,
            "{\"decision_id\":\"01a222f0\",\"time\":\"2026-11-28T16:14:47.207Z\",\
             \"endpoint\":\"evaluate\",\"learner_sha256\":\"sha256:\
             9a88f1fb2ae70656dd303a0f112f7b1cdefea33c74168cc4a4afd56a0b01fb01\",\
             \"ruleset\":\"demo-university/undergraduate\",\"version\":\"2026.1\",\
             \"content_hash\":\"sha256:e85d\",\"as_of\":\"2027-07-10\",\"summary\":\
             {\"total_credits\":\"24.5\",\"gpa\":\"1.92\",\"failed_credits\":\"21.5\",\
             \"warning_level\":\"red\",\"graduation\":false,\"programs_met\":[]}}"
        );
        assert_eq!(serde_json::from_str::<LoggedDecision>(&text).unwrap(), line);

        let review = LoggedDecision {
            endpoint: "review".into(),
            as_of: None,
            summary: Concluded::Review(ReviewSummary {
                outcome: "comp-1".into(),
                kind: "competition".into(),
                decision: "approved".into(),
                at: Some("x.cbr:3:1".into()),
            }),
            ..line
        };
        let text = serde_json::to_string(&review).unwrap();
        assert!(!text.contains("as_of"), "{text}");
        assert_eq!(
            serde_json::from_str::<LoggedDecision>(&text).unwrap(),
            review
        );
    }

    #[test]
    fn a_review_clause_is_compared_by_its_line_and_column_not_the_files_name() {
        let logged = ReviewSummary {
            outcome: "comp-1".into(),
            kind: "competition".into(),
            decision: "approved".into(),
            at: Some("demo/2026.1.cbr:413:3".into()),
        };
        let elsewhere = ReviewSummary {
            at: Some("/srv/rulesets/demo/2026.1.cbr:413:3".into()),
            ..logged.clone()
        };
        assert!(logged.differences(&elsewhere).is_empty());
        let moved = ReviewSummary {
            at: Some("demo/2026.1.cbr:411:3".into()),
            decision: "manual".into(),
            ..logged.clone()
        };
        let fields: Vec<&str> = logged.differences(&moved).iter().map(|d| d.field).collect();
        assert_eq!(fields, ["decision", "at"]);
        let none = ReviewSummary {
            at: None,
            ..logged.clone()
        };
        assert_eq!(logged.differences(&none)[0].replayed, "none");
        assert_eq!(position("a:b:1:2"), "1:2");
        assert_eq!(position("1:2"), "1:2");
    }

    #[test]
    fn differences_name_each_field_that_differs_with_both_values() {
        let logged = summary();
        assert!(logged.differences(&logged).is_empty());
        let replayed = Summary {
            total_credits: "26.5".into(),
            gpa: None,
            programs_met: vec!["econ-minor".into()],
            ..summary()
        };
        let differences = logged.differences(&replayed);
        let fields: Vec<(&str, &str, &str)> = differences
            .iter()
            .map(|d| (d.field, d.logged.as_str(), d.replayed.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                ("total_credits", "24.5", "26.5"),
                ("gpa", "1.92", "none"),
                ("programs_met", "none", "econ-minor"),
            ]
        );
    }
}
