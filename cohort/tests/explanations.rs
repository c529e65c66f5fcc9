//! A report with explanations, its explanations dropped, is the report evaluated without
//! them: what lets a dry-run compare learners on the reports it explains them with.

mod bundled;

use creditbank_cohort::generate::{CohortGenerator, GenerateOptions};
use creditbank_engine::evaluate::{evaluate, Plan};
use creditbank_engine::report::Explain;

#[test]
fn dropping_explanations_gives_the_report_without_them_for_every_bundled_version() {
    let (library, files) = bundled::library();
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
    assert_eq!(compared, 150 * files);
}
