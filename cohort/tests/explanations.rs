//! A report with explanations, its explanations dropped, is the report evaluated without
//! them: what lets a dry-run compare learners on the reports it explains them with.

use creditbank_cohort::generate::{CohortGenerator, GenerateOptions};
use creditbank_dsl::SourceFile;
use creditbank_engine::evaluate::{evaluate, Plan};
use creditbank_engine::library::Library;
use creditbank_engine::report::Explain;

/// Every bundled ruleset file.
fn bundled() -> Vec<SourceFile> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../rulesets");
    creditbank_dsl::files::ruleset_files(&root)
        .unwrap()
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            SourceFile::new(path.display().to_string(), text)
        })
        .collect()
}

#[test]
fn dropping_explanations_gives_the_report_without_them_for_every_bundled_version() {
    let sources = bundled();
    assert!(sources.len() >= 4, "the bundled rulesets are found");
    let library = Library::build(&sources, creditbank_dsl::check_set(&sources)).unwrap();
    let mut compared = 0;
    for id in library.ids() {
        let generator =
            CohortGenerator::new(&library, Some(id), GenerateOptions::default()).unwrap();
        for version in library.versions(id) {
            let plan = Plan::compile(version).unwrap();
            for i in 0..150 {
                let record = generator.learner(i);
                let none = evaluate(&plan, &record, None, Explain::None, "x").unwrap();
                for explain in [Explain::Reasons, Explain::Full] {
                    let mut explained = evaluate(&plan, &record, None, explain, "x").unwrap();
                    assert_ne!(explained, none, "{id} {i}: {explain:?} explains something");
                    explained.drop_explanations();
                    assert_eq!(
                        explained, none,
                        "{id} {} learner {i}, {explain:?}",
                        version.version
                    );
                }
                compared += 1;
            }
        }
    }
    assert_eq!(compared, 150 * sources.len());
}
