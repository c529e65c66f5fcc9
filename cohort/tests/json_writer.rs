//! Reports written by the engine's JSON writer are byte for byte what `serde_json` writes:
//! batch output and service answers do not change with the writer.

mod bundled;

use creditbank_cohort::generate::{CohortGenerator, GenerateOptions};
use creditbank_engine::evaluate::{evaluate, Plan};
use creditbank_engine::report::Explain;

#[test]
fn every_report_of_every_bundled_version_is_written_as_serde_json_writes_it() {
    let (library, files) = bundled::library();
    let mut written = 0;
    for id in library.ids() {
        let generator =
            CohortGenerator::new(&library, Some(id), GenerateOptions::default()).unwrap();
        for version in library.versions(id) {
            let plan = Plan::compile(version).unwrap();
            for i in 0..60 {
                let record = generator.learner(i);
                for explain in [Explain::None, Explain::Reasons, Explain::Full] {
                    let report = evaluate(&plan, &record, None, explain, "in force").unwrap();
                    let mut ours = Vec::new();
                    creditbank_engine::json::to_vec(&report, &mut ours).unwrap();
                    let theirs = serde_json::to_vec(&report).unwrap();
                    assert!(
                        ours == theirs,
                        "{id} {} learner {i}, {explain:?}:\n{}\n{}",
                        version.version,
                        String::from_utf8_lossy(&ours),
                        String::from_utf8_lossy(&theirs)
                    );
                    written += 1;
                }
            }
        }
    }
    assert_eq!(written, 3 * 60 * files);
}
