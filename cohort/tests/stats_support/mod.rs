//! Shared by the statistics tests: the bundled rulesets, a small fixed cohort (the records of
//! examples/ and tests/stats_golden/learners.yaml), and its statistics.

#![allow(dead_code)]

use creditbank_cohort::stats::{GroupBy, RulesetFacts, Stats};
use creditbank_engine::evaluate::{evaluate, Plan};
use creditbank_engine::library::Library;
use creditbank_engine::record::{self, LearnerRecord};
use creditbank_engine::report::Explain;
use std::path::{Path, PathBuf};

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("cohort/ has a parent")
        .to_path_buf()
}

/// The bundled rulesets, each version compiled.
pub struct Rulesets {
    pub library: Library,
    pub plans: Vec<Plan>,
}

impl Rulesets {
    pub fn bundled() -> Rulesets {
        let mut files = Vec::new();
        for program in [
            "demo-university/undergraduate",
            "demo-open-university/lifelong-learning",
        ] {
            for version in ["2025.1", "2026.1"] {
                let path = format!("rulesets/{program}/{version}.cbr");
                let text = std::fs::read_to_string(root().join(&path)).expect("ruleset reads");
                files.push(creditbank_dsl::SourceFile::new(path, text));
            }
        }
        let checked = creditbank_dsl::check_set(&files);
        let library = Library::build(&files, checked).expect("bundled rulesets build");
        let plans = library
            .all()
            .map(|v| Plan::compile(v).expect("bundled rulesets compile"))
            .collect();
        Rulesets { library, plans }
    }

    pub fn facts(&self) -> RulesetFacts {
        RulesetFacts::from_plans(&self.plans)
    }

    /// Evaluates `learners` (as `eval` does: the version in force at enrolment, or the one an
    /// exception names) and counts them.
    pub fn stats(&self, learners: &[LearnerRecord], grouping: Option<GroupBy>) -> Stats {
        let mut stats = Stats::new(grouping);
        for learner in learners {
            self.add(&mut stats, learner);
        }
        stats
    }

    /// Evaluates one learner and counts it.
    pub fn add(&self, stats: &mut Stats, learner: &LearnerRecord) {
        let (version, _) = self.library.select_for(learner).expect("a version applies");
        let plan = self
            .plans
            .iter()
            .find(|p| p.version.id == version.id && p.version.version == version.version)
            .expect("every version is compiled");
        let report = evaluate(plan, learner, None, Explain::None, "in force at enrolment")
            .expect("the learner evaluates");
        stats.add(learner, &report);
    }
}

/// The fixed cohort: eight learners of both programs, enrolled in 2025 and 2026.
pub fn fixed_cohort() -> Vec<LearnerRecord> {
    let mut learners = Vec::new();
    for example in [
        "examples/learner-good-standing.yaml",
        "examples/learner-exceptions.yaml",
    ] {
        let text = std::fs::read_to_string(root().join(example)).expect("example reads");
        learners.push(record::from_yaml(&text).expect("example is valid"));
    }
    let text = std::fs::read_to_string(root().join("examples/learner-warning.json"))
        .expect("example reads");
    learners.push(record::from_json(&text).expect("example is valid"));
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/stats_golden/learners.yaml"),
    )
    .expect("fixture reads");
    for document in text.split("\n---\n").skip(1) {
        learners.push(record::from_yaml(document).expect("fixture learner is valid"));
    }
    learners
}
