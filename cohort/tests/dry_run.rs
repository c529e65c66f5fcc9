//! A dry-run between the two bundled versions of a ruleset reports exactly the learners whose
//! results differ, checked against evaluating each learner twice, on a generated cohort.

use creditbank_cohort::dryrun::{compare, ChangeRate, Compared, DryRun, Impact};
use creditbank_cohort::generate::{CohortGenerator, GenerateOptions};
use creditbank_dsl::SourceFile;
use creditbank_engine::evaluate::{evaluate, Plan};
use creditbank_engine::library::Library;
use creditbank_engine::report::Explain;

const DEMO: &str = "demo-university/undergraduate";

fn source(version: &str) -> SourceFile {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../rulesets")
        .join(DEMO)
        .join(format!("{version}.cbr"));
    SourceFile::new(
        format!("{version}.cbr"),
        std::fs::read_to_string(path).unwrap(),
    )
}

/// Checks `compare` against two evaluations for `n` generated learners; returns the impact.
fn check_exact(old: &Plan, new: &Plan, library: &Library, n: u64) -> Impact {
    let old_source = old.version.source.clone();
    let new_source = new.version.source.clone();
    let diff = creditbank_dsl::diff::diff(&old.version.file, &new.version.file)
        .located(&old_source, &new_source);
    // Adaptive (as the CLI and the service run), and each way of comparing fixed: all three
    // must give the same answer.
    let dry = |rate| DryRun::new(old, new, &diff, None, rate);
    let (adaptive, cheap, explained) = (
        dry(ChangeRate::default()),
        dry(ChangeRate::fixed(false)),
        dry(ChangeRate::fixed(true)),
    );
    let generator = CohortGenerator::new(library, Some(DEMO), GenerateOptions::default()).unwrap();
    let mut impact = Impact::default();
    for i in 0..n {
        let record = generator.learner(i);
        let a = evaluate(old, &record, None, Explain::None, "old").unwrap();
        let mut b = evaluate(new, &record, None, Explain::None, "new").unwrap();
        b.ruleset = a.ruleset.clone();
        let differs = a != b;
        let compared = compare(i as usize + 1, &record, &adaptive).unwrap();
        for other in [&cheap, &explained] {
            assert_eq!(compare(i as usize + 1, &record, other).unwrap(), compared);
        }
        match &compared {
            Compared::Changed(change) => {
                assert!(differs, "learner {i} listed but its reports are the same");
                assert!(!change.differences.is_empty());
                assert!(!change.because.is_empty(), "learner {i}: no rule named");
            }
            Compared::Same => assert!(!differs, "learner {i} differs but is not listed"),
            Compared::NotConcerned => panic!("every generated learner is of {DEMO}"),
        }
        impact.add(&compared);
    }
    impact
}

#[test]
fn dry_run_between_the_bundled_versions_reports_exactly_the_learners_whose_results_differ() {
    let sources = vec![source("2025.1"), source("2026.1")];
    let library = Library::build(&sources, creditbank_dsl::check_set(&sources)).unwrap();
    let versions = library.versions(DEMO);
    let old = Plan::compile(&versions[0]).unwrap();
    let new = Plan::compile(&versions[1]).unwrap();
    let impact = check_exact(&old, &new, &library, 300);
    assert_eq!(impact.learners, 300);
    // 2026.1 adds a double degree, so every learner's result differs.
    assert_eq!(impact.changed, 300);
}

#[test]
fn a_narrow_change_lists_only_the_learners_it_touches() {
    let sources = vec![source("2026.1")];
    let library = Library::build(&sources, creditbank_dsl::check_set(&sources)).unwrap();
    let tightened = SourceFile::new(
        "2026.1-tight.cbr",
        sources[0].text().replace(
            "  on category innovation\n  at most 6 per year",
            "  on category innovation\n  at most 3 per year",
        ),
    );
    assert_ne!(tightened.text(), sources[0].text());
    let tight = vec![tightened];
    let tight_library = Library::build(&tight, creditbank_dsl::check_set(&tight)).unwrap();
    let old = Plan::compile(&library.versions(DEMO)[0]).unwrap();
    let new = Plan::compile(&tight_library.versions(DEMO)[0]).unwrap();
    let impact = check_exact(&old, &new, &library, 300);
    assert!(
        impact.changed > 0,
        "some generated learners earn over 3 innovation credits a year"
    );
    assert!(impact.changed < 300, "and most do not");
    assert!(impact
        .credit_delta()
        .get("innovation")
        .is_some_and(|d| d.is_sign_negative()));
}
