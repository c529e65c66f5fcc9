//! Batch review of submitted outcomes (学习成果审核): each application approved, rejected or
//! sent to manual review, with the reason and the clause that decided.

use crate::evaluate::Plan;
use crate::record::Outcome;
use serde::{Deserialize, Serialize};

/// A batch of applications to review under one ruleset.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Applications {
    /// The ruleset id.
    pub program: String,
    /// The version; the latest when absent.
    #[serde(default)]
    pub version: Option<String>,
    /// The applications.
    pub applications: Vec<Application>,
}

/// One learner's submitted outcome.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Application {
    /// The learner's id.
    pub learner: String,
    /// The outcome submitted (the schema of a record's `outcomes` entry).
    pub outcome: Outcome,
}

/// The decision on one application.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReviewLine {
    /// The learner's id.
    pub learner: String,
    /// The outcome's id.
    pub outcome: String,
    /// Its kind.
    pub kind: String,
    /// `approved`, `rejected`, `manual` or `unrecognised`.
    pub decision: &'static str,
    /// Why (the review's `because`, or why the outcome cannot be read).
    pub reason: String,
    /// The clause that decided: `file:line:column`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

/// Reviews every application, in the order given.
pub fn review_all(plan: &Plan, applications: &[Application]) -> Vec<ReviewLine> {
    applications
        .iter()
        .map(|a| {
            let (decision, reason, at) = match plan.outcomes.review(&a.outcome) {
                Err(unrecognised) => ("unrecognised", unrecognised.to_string(), None),
                Ok(d) => {
                    let decision = match d.verdict {
                        crate::outcomes::Verdict::Approved => "approved",
                        crate::outcomes::Verdict::Rejected => "rejected",
                        crate::outcomes::Verdict::Pending => "manual",
                    };
                    let reason = plan.outcomes.reason(&d).map_or_else(
                        || match d.basis {
                            crate::outcomes::Basis::Recorded => "decided in the application".into(),
                            _ => "no review criteria for this kind: manual review".into(),
                        },
                        str::to_string,
                    );
                    (
                        decision,
                        reason,
                        plan.outcomes.decided_at(&d).map(|s| plan.position(s)),
                    )
                }
            };
            ReviewLine {
                learner: a.learner.clone(),
                outcome: a.outcome.id.clone(),
                kind: a.outcome.kind.clone(),
                decision,
                reason,
                at,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::Library;
    use creditbank_dsl::SourceFile;

    const BATCH: &str = r#"
program: demo-university/undergraduate
applications:
  - learner: "2026010001"
    outcome:
      id: c1
      kind: competition
      attributes: { name: "全国大学生数学建模竞赛", level: national, award: first, listed: "yes" }
      date: 2027-05-20
      evidence: [certificate, notice]
  - learner: "2026010002"
    outcome:
      id: c2
      kind: competition
      attributes: { name: "全国大学生数学建模竞赛", level: national, award: first, listed: "yes" }
      date: 2027-05-20
  - learner: "2026010003"
    outcome: { id: x, kind: spaceflight, date: 2027-05-20 }
"#;

    #[test]
    fn each_application_gets_a_decision_and_a_reason() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../rulesets/demo-university/undergraduate/2026.1.cbr");
        let sources = vec![SourceFile::new(
            "u.cbr",
            std::fs::read_to_string(path).unwrap(),
        )];
        let library = Library::build(&sources, creditbank_dsl::check_set(&sources)).unwrap();
        let plan = Plan::compile(&library.versions("demo-university/undergraduate")[0]).unwrap();
        let batch: Applications = serde_yaml::from_str(BATCH).unwrap();
        let lines = review_all(&plan, &batch.applications);
        assert_eq!(lines.len(), 3);
        assert_ne!(lines[0].decision, "unrecognised", "{:?}", lines[0]);
        assert_eq!(lines[1].decision, "rejected", "{:?}", lines[1]);
        assert!(lines[1].at.as_deref().unwrap().starts_with("u.cbr:"));
        assert_eq!(lines[2].decision, "unrecognised");
        assert!(lines[2].reason.contains("`spaceflight`"));
    }
}
