//! The bundled rulesets, read and checked: shared by the tests that evaluate generated
//! learners under every bundled version.

use creditbank_dsl::SourceFile;
use creditbank_engine::library::Library;

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
