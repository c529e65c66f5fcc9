//! Evaluating a learner record against a ruleset version.
//!
//! A [`Plan`] is compiled once per ruleset version; [`evaluate`] then runs per learner and
//! reads only indices. "Today" is an input: the record's `as_of`, else the caller's.

use crate::grading::GradingPolicy;
use crate::library::{date_text, RulesetVersion};
use crate::plan::{CatalogPlan, KindsPlan, PlanError};
use crate::record::LearnerRecord;
use crate::report::{
    AttemptLine, CategoryCredits, CourseLine, Explain, GpaFigure, Report, RuleRef, RulesetRef,
};
use crate::rounding::round;
use crate::transcript::{CourseSource, Transcript};
use creditbank_dsl::ast::{Date, Header, Item, Rounding, RoundingMode, Span};
use std::sync::Arc;

/// A ruleset version compiled for evaluation.
#[derive(Debug)]
pub struct Plan {
    /// The version it was compiled from.
    pub version: RulesetVersion,
    /// Categories, courses, tags, institutions.
    pub catalog: CatalogPlan,
    /// Outcome kinds.
    pub kinds: KindsPlan,
    /// The GPA policy, if the ruleset has one.
    pub grading: Option<GradingPolicy>,
    gpa_rounding: (RoundingMode, u32),
    credit_rounding: (RoundingMode, u32),
    gpa_rule: Option<(Span, Option<String>)>,
}

/// Why a record could not be evaluated at all (problems inside it are reported in the report).
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum EvaluateError {
    /// Neither the record nor the caller gave an evaluation date.
    #[error("learner `{0}`: no evaluation date: give `as_of` in the record or on the command")]
    NoDate(String),
    /// The GPA could not be computed (an overflow).
    #[error("learner `{learner}`: {reason}")]
    Gpa {
        /// The learner.
        learner: String,
        /// Why.
        reason: String,
    },
}

/// Errors compiling a plan.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum CompileError {
    /// The catalog or kinds did not resolve.
    #[error(transparent)]
    Plan(#[from] PlanError),
    /// The GPA policy did not compile.
    #[error("{0}")]
    Grading(String),
}

fn rounding(r: &Option<creditbank_dsl::ast::Node<Rounding>>) -> (RoundingMode, u32) {
    // Without a declaration, figures are shown to two places, rounding half up, as on most
    // Chinese transcripts.
    r.as_ref().map_or((RoundingMode::HalfUp, 2), |n| {
        (n.value.mode.value, n.value.places.value)
    })
}

impl Plan {
    /// Compiles a version.
    pub fn compile(version: &RulesetVersion) -> Result<Plan, CompileError> {
        let file = &version.file;
        let catalog = CatalogPlan::compile(file)?;
        let kinds = KindsPlan::compile(file)?;
        let grading = GradingPolicy::from_file(file, &catalog)
            .map_err(|e| CompileError::Grading(e.to_string()))?;
        let header: Option<&Header> = file.items.iter().find_map(|i| match &i.value {
            Item::Header(h) => Some(h),
            _ => None,
        });
        let gpa_rule = file.items.iter().find_map(|i| match &i.value {
            Item::Gpa(g) => Some((i.span, g.source.as_ref().map(|s| s.value.value.clone()))),
            _ => None,
        });
        Ok(Plan {
            version: version.clone(),
            catalog,
            kinds,
            grading,
            gpa_rounding: header.map_or((RoundingMode::HalfUp, 2), |h| rounding(&h.gpa_rounding)),
            credit_rounding: header
                .map_or((RoundingMode::HalfUp, 2), |h| rounding(&h.credit_rounding)),
            gpa_rule,
        })
    }

    fn at(&self, span: Span) -> String {
        let source: &Arc<creditbank_dsl::SourceFile> = &self.version.source;
        let at = source.line_col(span.start as usize);
        format!("{}:{}:{}", source.name(), at.line, at.column)
    }

    fn credits(&self, value: rust_decimal::Decimal) -> rust_decimal::Decimal {
        round(value, self.credit_rounding.0, self.credit_rounding.1)
    }
}

/// Evaluates one learner. `today` is used when the record has no `as_of`; `selected` says why
/// this version applies (for the report).
pub fn evaluate(
    plan: &Plan,
    record: &LearnerRecord,
    today: Option<Date>,
    explain: Explain,
    selected: &str,
) -> Result<Report, EvaluateError> {
    let as_of = record
        .as_of
        .or(today)
        .ok_or_else(|| EvaluateError::NoDate(record.learner.clone()))?;
    let transcript = Transcript::grade(&plan.catalog, plan.grading.as_ref(), &record.courses)
        .map_err(|e| EvaluateError::Gpa {
            learner: record.learner.clone(),
            reason: e.to_string(),
        })?;
    let categories = plan
        .catalog
        .categories
        .iter()
        .zip(&plan.catalog.category_names)
        .zip(&transcript.category_credits)
        .map(|((id, name), credits)| CategoryCredits {
            category: id.clone(),
            name: name.clone(),
            credits: plan.credits(*credits),
            from_courses: plan.credits(*credits),
        })
        .collect();
    let gpa = transcript.gpa.as_ref().and_then(|g| {
        g.value.map(|exact| GpaFigure {
            value: round(exact, plan.gpa_rounding.0, plan.gpa_rounding.1),
            exact,
            points: g.points_sum,
            weight: g.weight_sum,
            rule: (explain > Explain::None)
                .then(|| {
                    plan.gpa_rule.as_ref().map(|(span, citation)| RuleRef {
                        kind: "gpa policy",
                        id: "gpa".into(),
                        at: plan.at(*span),
                        citation: citation.clone(),
                    })
                })
                .flatten(),
        })
    });
    let courses = course_lines(plan, &transcript, explain);
    Ok(Report {
        learner: record.learner.clone(),
        ruleset: RulesetRef {
            id: plan.version.id.clone(),
            version: plan.version.version.clone(),
            title: plan.version.title.clone(),
            content_hash: plan.version.content_hash.clone(),
            selected: selected.to_string(),
        },
        as_of: date_text(as_of),
        term: record.term,
        total_credits: plan.credits(transcript.total_credits()),
        categories,
        gpa,
        failed_credits: plan.credits(transcript.failed_credits),
        courses,
    })
}

/// The transcript lines: every course with `reasons` or `full`, only the unrecognised ones
/// with `none` (a learner must always be told what was not recognised).
fn course_lines(plan: &Plan, transcript: &Transcript, explain: Explain) -> Vec<CourseLine> {
    transcript
        .courses
        .iter()
        .filter(|c| explain > Explain::None || matches!(c.source, CourseSource::Unrecognised(_)))
        .map(|c| {
            let mut reasons: Vec<String> = c
                .attempts
                .iter()
                .filter_map(|a| a.problem.as_ref().map(|p| format!("term {}: {p}", a.term)))
                .collect();
            let (status, rule) = match &c.source {
                CourseSource::Unrecognised(reason) => {
                    reasons.insert(0, reason.clone());
                    ("unrecognised", None)
                }
                source => {
                    let status = if c.passed {
                        "passed"
                    } else if c.failed {
                        "failed"
                    } else {
                        "in progress"
                    };
                    let rule = match source {
                        CourseSource::Catalog(id) => {
                            plan.catalog.course_plan(*id).map(|p| RuleRef {
                                kind: "catalog course",
                                id: p.code.clone(),
                                at: plan.at(p.span),
                                citation: None,
                            })
                        }
                        _ => None,
                    };
                    (status, rule)
                }
            };
            CourseLine {
                course: c.code.clone(),
                status,
                category: c
                    .category
                    .and_then(|k| plan.catalog.categories.get(k.0 as usize).cloned()),
                credits: plan.credits(c.credits),
                reasons,
                attempts: if explain == Explain::Full {
                    c.attempts
                        .iter()
                        .map(|a| AttemptLine {
                            term: a.term,
                            mark: a.mark.clone(),
                            points: a.points,
                            passed: a.passed,
                        })
                        .collect()
                } else {
                    Vec::new()
                },
                rule,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::Library;
    use creditbank_dsl::SourceFile;

    fn demo() -> Plan {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../rulesets/demo-university/undergraduate/2026.1.cbr");
        let source = SourceFile::new(
            "rulesets/demo-university/undergraduate/2026.1.cbr",
            std::fs::read_to_string(path).unwrap(),
        );
        let sources = vec![source];
        let library = Library::build(&sources, creditbank_dsl::check_set(&sources)).unwrap();
        Plan::compile(&library.versions("demo-university/undergraduate")[0]).unwrap()
    }

    fn record(yaml: &str) -> LearnerRecord {
        crate::record::from_yaml(yaml).unwrap()
    }

    const LEARNER: &str = r#"
learner: "2026010001"
program: demo-university/undergraduate
enrolled: 2026-09-01
as_of: 2027-07-01
term: 2
courses:
  - { course: CS101, term: 1, score: 95 }
  - { course: MTH101, term: 1, score: 55 }
  - { course: MTH101, term: 2, score: 75 }
  - { course: CS102, term: 2, score: 40 }
  - { course: NOPE1, term: 2, score: 80 }
"#;

    #[test]
    fn credits_gpa_and_failures_are_reported_with_their_rules() {
        let plan = demo();
        let report = evaluate(
            &plan,
            &record(LEARNER),
            None,
            Explain::Reasons,
            "in force at enrolment",
        )
        .unwrap();
        assert_eq!(report.ruleset.version, "2026.1");
        assert!(report.ruleset.content_hash.starts_with("sha256:"));
        // CS101 (3, major) and MTH101 (5, general) passed; CS102 (4) failed; NOPE1 unrecognised.
        assert_eq!(report.failed_credits.to_string(), "4.0");
        let major = report
            .categories
            .iter()
            .find(|c| c.category == "major")
            .unwrap();
        assert_eq!(major.credits.to_string(), "3.0");
        let gpa = report.gpa.as_ref().unwrap();
        assert!(gpa.rule.as_ref().unwrap().at.contains("2026.1.cbr:"));
        let nope = report.courses.iter().find(|c| c.course == "NOPE1").unwrap();
        assert_eq!(nope.status, "unrecognised");
        assert!(nope.reasons[0].contains("not in the catalog"));
    }

    #[test]
    fn explain_none_keeps_only_what_the_learner_must_see() {
        let plan = demo();
        let report = evaluate(&plan, &record(LEARNER), None, Explain::None, "x").unwrap();
        assert!(report.gpa.as_ref().unwrap().rule.is_none());
        assert_eq!(report.courses.len(), 1, "only the unrecognised course");
    }

    #[test]
    fn the_report_does_not_depend_on_the_order_of_the_record() {
        let plan = demo();
        let mut r = record(LEARNER);
        let a = evaluate(&plan, &r, None, Explain::Full, "x").unwrap();
        r.courses.reverse();
        let b = evaluate(&plan, &r, None, Explain::Full, "x").unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn a_record_without_a_date_needs_one_from_the_caller() {
        let plan = demo();
        let mut r = record(LEARNER);
        r.as_of = None;
        assert!(matches!(
            evaluate(&plan, &r, None, Explain::None, "x"),
            Err(EvaluateError::NoDate(_))
        ));
        let today = Date {
            year: 2027,
            month: 7,
            day: 1,
        };
        assert_eq!(
            evaluate(&plan, &r, Some(today), Explain::None, "x")
                .unwrap()
                .as_of,
            "2027-07-01"
        );
    }
}
