//! Golden test of cohorts with deliberately bad learners among good ones.
//!
//! Each `tests/fixtures/<name>.<format>` is read learner by learner; what each learner gave (its
//! record in brief, or its error) is kept in `tests/fixtures/<name>.expected`. Every good
//! learner must be read and every bad one reported with its line. Run with `UPDATE_GOLDEN=1`
//! to rewrite the expected files after an intended change.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use creditbank_cohort::input::{open, InputFormat};

const UPDATE_COMMAND: &str =
    "UPDATE_GOLDEN=1 cargo test -p creditbank-cohort --test input_fixtures";

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Every fixture cohort: files whose extension names a format.
fn fixtures() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| InputFormat::from_path(p).is_some())
        .collect();
    paths.sort();
    paths
}

/// One line per learner: its first line and its record in brief, or its error.
fn read(path: &Path) -> String {
    let mut out = String::new();
    for raw in open(path, None).unwrap() {
        let raw = raw.unwrap();
        match raw.parse() {
            Ok(r) => writeln!(
                out,
                "line {}: ok {} ({} courses, {} outcomes, {} exceptions)",
                raw.line,
                r.learner,
                r.courses.len(),
                r.outcomes.len(),
                r.exceptions.len()
            ),
            Err(e) => writeln!(out, "line {}: error: {e}", raw.line),
        }
        .unwrap();
    }
    out
}

#[test]
fn bad_learners_are_reported_and_good_ones_read() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1");
    let fixtures = fixtures();
    assert_eq!(fixtures.len(), 4, "one fixture per format");
    let mut problems = Vec::new();
    for path in &fixtures {
        let actual = read(path);
        let expected_path = path.with_extension("expected");
        if update {
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if actual != expected {
            problems.push(format!(
                "{}: the learners read differ from {}:\n--- expected\n{expected}--- actual\n{actual}",
                path.display(),
                expected_path.display()
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{}\n(after an intended change: {UPDATE_COMMAND})",
        problems.join("\n")
    );
}

/// Each fixture mixes good and bad learners: one that lost either would test less than the
/// golden file seems to say.
#[test]
fn every_fixture_has_good_and_bad_learners() {
    for path in fixtures() {
        let text = read(&path);
        assert!(
            text.contains(": ok "),
            "{}: no good learner",
            path.display()
        );
        assert!(
            text.contains(": error: "),
            "{}: no bad learner",
            path.display()
        );
    }
}
