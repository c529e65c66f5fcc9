//! What the crate's tests share: the bundled rulesets, loaded as a library.

use creditbank_dsl::SourceFile;
use creditbank_engine::library::Library;
use std::path::{Path, PathBuf};

fn ruleset_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            ruleset_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "cbr") {
            out.push(path);
        }
    }
}

/// Every bundled ruleset.
pub fn library() -> Library {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../rulesets");
    let mut paths = Vec::new();
    ruleset_files(&root, &mut paths);
    paths.sort();
    let sources: Vec<SourceFile> = paths
        .iter()
        .map(|p| SourceFile::new(p.display().to_string(), std::fs::read_to_string(p).unwrap()))
        .collect();
    let checked = creditbank_dsl::check_set(&sources);
    Library::build(&sources, checked).unwrap()
}
