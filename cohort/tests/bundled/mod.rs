//! The bundled rulesets, read and checked, and generated learners under every bundled
//! version: shared by the tests that evaluate them.

use creditbank_cohort::generate::{CohortGenerator, GenerateOptions};
use creditbank_dsl::SourceFile;
use creditbank_engine::evaluate::Plan;
use creditbank_engine::library::Library;
use creditbank_engine::record::LearnerRecord;

/// The library of every bundled ruleset file, and how many files (versions) it holds.
pub fn library() -> (Library, usize) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../rulesets");
    let sources: Vec<SourceFile> = creditbank_dsl::files::ruleset_files(&root)
        .expect("the bundled rulesets are listed")
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("a bundled ruleset is readable");
            SourceFile::new(path.display().to_string(), text)
        })
        .collect();
    assert!(sources.len() >= 4, "the bundled rulesets are found");
    let library = Library::build(&sources, creditbank_dsl::check_set(&sources))
        .expect("the bundled rulesets check");
    (library, sources.len())
}

/// One generated learner, with the version it is evaluated under.
pub struct Learner<'a> {
    /// The ruleset id.
    pub id: &'a str,
    /// The version, for messages.
    pub version: &'a str,
    /// The version compiled.
    pub plan: &'a Plan,
    /// The learner's index in the generated cohort of its ruleset.
    pub index: u64,
    /// The learner.
    pub record: LearnerRecord,
}

/// Calls `visit` with the first `per_version` generated learners of each bundled ruleset,
/// under each of its versions; returns the number of versions.
pub fn each_learner(per_version: u64, mut visit: impl FnMut(Learner<'_>)) -> usize {
    let (library, files) = library();
    for id in library.ids() {
        let generator = CohortGenerator::new(&library, Some(id), GenerateOptions::default())
            .expect("a bundled ruleset generates learners");
        for version in library.versions(id) {
            let plan = Plan::compile(version).expect("a bundled version compiles");
            for index in 0..per_version {
                visit(Learner {
                    id,
                    version: &version.version,
                    plan: &plan,
                    index,
                    record: generator.learner(index),
                });
            }
        }
    }
    files
}
