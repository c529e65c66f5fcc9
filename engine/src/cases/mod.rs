//! Ruleset test cases: learner records with the report a registrar expects, run against a
//! [`Library`], with a diff of every mismatch and the rules the cases exercised.
//!
//! Pure: the caller reads the case files and the rulesets; see docs/TESTING.md for the format.

mod compare;
mod coverage;

pub use compare::{differences, Difference, IDENTITY_KEYS};
pub use coverage::{percent, summary, Unit, VersionCoverage};

use crate::evaluate::{evaluate, Plan};
use crate::library::Library;
use crate::record;
use crate::report::Explain;
use serde::Deserialize;
use std::collections::BTreeMap;

/// A case file's text and the name to show for it.
#[derive(Clone, Debug)]
pub struct CaseFile {
    /// The file's name, as shown in results.
    pub name: String,
    /// Its YAML text.
    pub text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCase {
    name: String,
    #[serde(default)]
    ruleset: Option<String>,
    learner: serde_yaml::Value,
    expect: serde_yaml::Value,
    /// An engine defect the case exposes, reported but not failing the run until fixed.
    #[serde(default)]
    known_defect: Option<String>,
}

/// How one case ended.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum Verdict {
    /// The report contains everything expected.
    Passed,
    /// The report differs; each difference with its path.
    Failed {
        /// The differences.
        differences: Vec<Difference>,
    },
    /// The report differs as the case's `known_defect` says the engine is wrong: reported,
    /// but not a failure, so that a defect stays visible without blocking the run.
    KnownDefect {
        /// The defect, as the case describes it.
        defect: String,
        /// The differences.
        differences: Vec<Difference>,
    },
    /// The case is marked `known_defect` but passes: the defect is fixed, so the mark must go.
    Fixed {
        /// The defect the case describes.
        defect: String,
    },
    /// The case could not be run (a bad record, an unknown ruleset or version).
    Error {
        /// Why.
        message: String,
    },
}

/// One case run.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CaseResult {
    /// The file it is in.
    pub file: String,
    /// The case's name (or the document's position when the file could not be read).
    pub name: String,
    /// `ruleset-id version`, when one was selected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ruleset: Option<String>,
    /// How it ended.
    #[serde(flatten)]
    pub verdict: Verdict,
}

impl CaseResult {
    /// True when the case passed.
    pub fn passed(&self) -> bool {
        self.verdict == Verdict::Passed
    }

    /// True when the case fails the run (a known defect does not).
    pub fn failed(&self) -> bool {
        !matches!(self.verdict, Verdict::Passed | Verdict::KnownDefect { .. })
    }
}

/// The results of every case and the coverage of every version in the library.
#[derive(Clone, Debug, serde::Serialize)]
pub struct RunResult {
    /// Each case, in file order.
    pub cases: Vec<CaseResult>,
    /// Each version of each ruleset, in library order.
    pub coverage: Vec<VersionCoverage>,
}

impl RunResult {
    /// How many cases passed.
    pub fn passed(&self) -> usize {
        self.cases.iter().filter(|c| c.passed()).count()
    }

    /// How many cases failed or could not run (a fixed known defect counts as failed).
    pub fn failed(&self) -> usize {
        self.cases.iter().filter(|c| c.failed()).count()
    }

    /// How many cases fail as their `known_defect` says.
    pub fn known_defects(&self) -> usize {
        self.cases
            .iter()
            .filter(|c| matches!(c.verdict, Verdict::KnownDefect { .. }))
            .count()
    }

    /// `(covered, total)` over every version.
    pub fn coverage_total(&self) -> (usize, usize) {
        self.coverage
            .iter()
            .fold((0, 0), |(c, t), v| (c + v.covered(), t + v.units.len()))
    }
}

struct Parsed {
    name: String,
    case: Result<RawCase, String>,
}

fn parse(file: &CaseFile) -> Vec<Parsed> {
    let mut out = Vec::new();
    for (i, document) in serde_yaml::Deserializer::from_str(&file.text).enumerate() {
        let failed = |message: String| Parsed {
            name: format!("document {}", i + 1),
            case: Err(message),
        };
        // Read as a value first so that a mistake in one case is reported with its field,
        // not as "matches no shape".
        let value = match serde_yaml::Value::deserialize(document) {
            Ok(serde_yaml::Value::Null) => continue,
            Ok(value) => value,
            Err(e) => {
                out.push(failed(format!("not YAML: {e}")));
                break;
            }
        };
        let items = match value {
            serde_yaml::Value::Sequence(items) => items,
            one => vec![one],
        };
        for (j, item) in items.into_iter().enumerate() {
            let name = item
                .get("name")
                .and_then(serde_yaml::Value::as_str)
                .map_or_else(
                    || format!("document {}, case {}", i + 1, j + 1),
                    str::to_owned,
                );
            let case = serde_yaml::from_value::<RawCase>(item).map_err(|e| {
                format!("not a case (`name`, `ruleset`, `learner`, `expect`, `known_defect`): {e}")
            });
            let name = case.as_ref().map_or(name, |c| c.name.clone());
            out.push(Parsed { name, case });
        }
    }
    out
}

/// Runs every case of every file against `library`, each under the learner's ruleset version
/// (or the case's `ruleset` override) with the report explained in full, and measures which
/// rules of each version the cases exercised.
pub fn run(library: &Library, files: &[CaseFile]) -> RunResult {
    let mut plans: BTreeMap<(String, String), Result<Plan, String>> = BTreeMap::new();
    for version in library.all() {
        plans.insert(
            (version.id.clone(), version.version.clone()),
            Plan::compile(version).map_err(|e| e.to_string()),
        );
    }
    let mut coverage: BTreeMap<(String, String), VersionCoverage> = plans
        .iter()
        .filter_map(|(key, plan)| Some((key.clone(), VersionCoverage::of(plan.as_ref().ok()?))))
        .collect();
    let mut cases = Vec::new();
    for file in files {
        for parsed in parse(file) {
            let mut result = CaseResult {
                file: file.name.clone(),
                name: parsed.name,
                ruleset: None,
                verdict: Verdict::Passed,
            };
            let defect = parsed
                .case
                .as_ref()
                .ok()
                .and_then(|c| c.known_defect.clone());
            let outcome = parsed.case.and_then(|case| {
                run_one(library, &plans, &case, &mut result.ruleset, &mut coverage)
            });
            result.verdict = match (outcome, defect) {
                (Ok(d), None) if d.is_empty() => Verdict::Passed,
                (Ok(d), Some(defect)) if d.is_empty() => Verdict::Fixed { defect },
                (Ok(differences), None) => Verdict::Failed { differences },
                (Ok(differences), Some(defect)) => Verdict::KnownDefect {
                    defect,
                    differences,
                },
                (Err(message), _) => Verdict::Error { message },
            };
            cases.push(result);
        }
    }
    RunResult {
        cases,
        coverage: coverage.into_values().collect(),
    }
}

fn run_one(
    library: &Library,
    plans: &BTreeMap<(String, String), Result<Plan, String>>,
    case: &RawCase,
    selected_name: &mut Option<String>,
    coverage: &mut BTreeMap<(String, String), VersionCoverage>,
) -> Result<Vec<Difference>, String> {
    let text = serde_yaml::to_string(&case.learner).map_err(|e| format!("learner: {e}"))?;
    let learner = record::from_yaml(&text).map_err(|e| format!("learner: {e}"))?;
    let named = learner.named_version();
    let (wanted, selected) = match (&case.ruleset, named) {
        (Some(v), _) => (Some(v.as_str()), "named by the test case"),
        (None, Some(v)) => (Some(v), "named by an exception"),
        (None, None) => (None, "in force at enrolment"),
    };
    let version = library
        .select(&learner.program, learner.enrolled, wanted)
        .map_err(|e| format!("learner `{}`: {e}", learner.learner))?;
    let key = (version.id.clone(), version.version.clone());
    *selected_name = Some(format!("{} {}", key.0, key.1));
    let plan = match plans.get(&key) {
        Some(Ok(plan)) => plan,
        Some(Err(e)) => return Err(e.clone()),
        None => return Err(format!("no plan for `{} {}`", key.0, key.1)),
    };
    let report =
        evaluate(plan, &learner, None, Explain::Full, selected).map_err(|e| e.to_string())?;
    if let Some(c) = coverage.get_mut(&key) {
        c.record(&report);
    }
    let actual = serde_json::to_value(&report).map_err(|e| e.to_string())?;
    let expected = serde_json::to_value(&case.expect).map_err(|e| format!("expect: {e}"))?;
    Ok(differences(&expected, &actual))
}

#[cfg(test)]
mod tests;
