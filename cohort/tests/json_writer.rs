//! Reports written by the engine's JSON writer are byte for byte what `serde_json` writes:
//! batch output and service answers do not change with the writer.

use creditbank_cohort::generate::{CohortGenerator, GenerateOptions};
use creditbank_dsl::SourceFile;
use creditbank_engine::evaluate::{evaluate, Plan};
use creditbank_engine::library::Library;
use creditbank_engine::report::Explain;

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
fn every_report_of_every_bundled_version_is_written_as_serde_json_writes_it() {
    let sources = bundled();
    let library = Library::build(&sources, creditbank_dsl::check_set(&sources)).unwrap();
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
    assert_eq!(written, 3 * 60 * sources.len());
}
