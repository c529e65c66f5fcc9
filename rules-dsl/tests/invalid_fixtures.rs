//! Golden test for the invalid-ruleset fixtures.
//!
//! Each file `tests/fixtures/invalid/<code>-<short-name>.cbr` is a small ruleset with one
//! intended problem; its rendered diagnostics are kept in
//! `tests/snapshots/invalid/<code>-<short-name>.stderr`. Reviewing a change to the
//! diagnostics is then reviewing a diff of those files. Run with `UPDATE_GOLDEN=1` to
//! rewrite them after an intended change.
//!
//! A fixture may also be a directory `tests/fixtures/invalid/<code>-<short-name>/` of several
//! `.cbr` files checked together (the versions of one ruleset); its golden file holds the
//! diagnostics of all of them, file by file.
//!
//! Besides comparing, the test keeps the fixtures honest: each must report the code its name
//! starts with, a warning fixture must report no error, every code must have a fixture, and a
//! golden file without a fixture is stale.

use creditbank_dsl::diagnostic::render_all;
use creditbank_dsl::{check_set, Checked, Code, Diagnostic, Severity, SourceFile};
use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::{Path, PathBuf};

const FIXTURES: &str = "tests/fixtures/invalid";
const SNAPSHOTS: &str = "tests/snapshots/invalid";
const UPDATE_COMMAND: &str = "UPDATE_GOLDEN=1 cargo test -p creditbank-dsl --test invalid_fixtures";

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The names (without extension) of the files in `dir` ending in `.extension`, sorted.
fn names_with_extension(dir: &Path, extension: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == extension))
        .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The names of the directories in `dir`, sorted.
fn directory_names(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .map(|path| path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A fixture checked: its display path, its rendered diagnostics, and the diagnostics.
fn run_fixture(dir: &Path, name: &str) -> (String, String, Vec<Diagnostic>) {
    let fixture_dir = dir.join(FIXTURES).join(name);
    let (display_path, files) = if fixture_dir.is_dir() {
        let files = names_with_extension(&fixture_dir, "cbr")
            .into_iter()
            .map(|f| format!("{FIXTURES}/{name}/{f}.cbr"))
            .collect();
        (format!("{FIXTURES}/{name}/"), files)
    } else {
        let path = format!("{FIXTURES}/{name}.cbr");
        (path.clone(), vec![path])
    };
    let sources: Vec<SourceFile> = files
        .iter()
        .map(|f| SourceFile::new(f.clone(), std::fs::read_to_string(dir.join(f)).unwrap()))
        .collect();
    let checked: Vec<Checked> = check_set(&sources);
    let rendered = sources
        .iter()
        .zip(&checked)
        .map(|(source, c)| render_all(&c.diagnostics, source))
        .collect::<String>();
    let diagnostics = checked.into_iter().flat_map(|c| c.diagnostics).collect();
    (display_path, rendered, diagnostics)
}

/// The code a fixture's name starts with: `e011-unknown-category` is E011.
fn code_of(name: &str) -> Option<Code> {
    let (code, rest) = name.split_once('-')?;
    if rest.is_empty() || code != code.to_ascii_lowercase() {
        return None;
    }
    Code::parse(code)
}

/// Golden files are compared line by line, ignoring a carriage return a checkout may add.
fn normalise(text: &str) -> String {
    text.replace("\r\n", "\n")
}

/// A line diff of `expected` against `actual`: `-` lines only in the golden file, `+` lines
/// only in the output, and up to two unchanged lines of context around each change.
fn line_diff(expected: &str, actual: &str) -> String {
    let old: Vec<&str> = expected.lines().collect();
    let new: Vec<&str> = actual.lines().collect();
    // Longest common subsequence table, filled from the end, so that walking forward from
    // (0, 0) yields the edit script in order.
    let mut lcs = vec![vec![0usize; new.len() + 1]; old.len() + 1];
    for i in (0..old.len()).rev() {
        for j in (0..new.len()).rev() {
            lcs[i][j] = if old[i] == new[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut script: Vec<(char, usize, &str)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < old.len() || j < new.len() {
        if i < old.len() && j < new.len() && old[i] == new[j] {
            script.push((' ', i + 1, old[i]));
            i += 1;
            j += 1;
        } else if i < old.len() && (j == new.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            script.push(('-', i + 1, old[i]));
            i += 1;
        } else {
            script.push(('+', j + 1, new[j]));
            j += 1;
        }
    }
    const CONTEXT: usize = 2;
    let changed: Vec<usize> = (0..script.len()).filter(|&k| script[k].0 != ' ').collect();
    let mut out = String::new();
    let mut last_shown: Option<usize> = None;
    for (k, &(mark, line, text)) in script.iter().enumerate() {
        let near = changed.iter().any(|&c| c.abs_diff(k) <= CONTEXT);
        if !near {
            continue;
        }
        if last_shown.is_some_and(|last| last + 1 < k) {
            out.push_str("   ...\n");
        }
        let _ = writeln!(out, "{mark} {line:>3} | {text}");
        last_shown = Some(k);
    }
    out
}

#[test]
fn invalid_fixtures_match_their_golden_output() {
    let dir = crate_dir();
    let update = std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1");
    let mut fixtures = names_with_extension(&dir.join(FIXTURES), "cbr");
    fixtures.extend(directory_names(&dir.join(FIXTURES)));
    fixtures.sort();
    assert!(!fixtures.is_empty(), "no fixtures found in {FIXTURES}");
    if update {
        std::fs::create_dir_all(dir.join(SNAPSHOTS)).unwrap();
    }

    let mut problems: Vec<String> = Vec::new();
    let mut covered: BTreeSet<Code> = BTreeSet::new();
    let mut updated = 0;

    for name in &fixtures {
        let (display_path, actual, diagnostics) = run_fixture(&dir, name);
        let has_errors = diagnostics.iter().any(Diagnostic::is_error);

        match code_of(name) {
            None => problems.push(format!(
                "{display_path}: the name must start with an existing code in lower case, \
                 then `-` and a short name (`e011-unknown-category.cbr`)"
            )),
            Some(code) => {
                covered.insert(code);
                if !diagnostics.iter().any(|d| d.code == code) {
                    let reported: Vec<&str> = diagnostics.iter().map(|d| d.code.as_str()).collect();
                    problems.push(format!(
                        "{display_path}: expected {code} to be reported, got [{}]",
                        reported.join(", ")
                    ));
                }
                if code.severity() == Severity::Warning && has_errors {
                    problems.push(format!(
                        "{display_path}: a warning fixture must report no error"
                    ));
                }
            }
        }

        let golden_path = format!("{SNAPSHOTS}/{name}.stderr");
        let golden_file = dir.join(&golden_path);
        if update {
            let current = std::fs::read_to_string(&golden_file)
                .ok()
                .map(|t| normalise(&t));
            if current.as_deref() != Some(actual.as_str()) {
                std::fs::write(&golden_file, &actual).unwrap();
                updated += 1;
            }
            continue;
        }
        match std::fs::read_to_string(&golden_file) {
            Err(_) => problems.push(format!(
                "{display_path}: no golden file {golden_path}; the output is:\n{}",
                if actual.is_empty() {
                    "(nothing)"
                } else {
                    &actual
                }
            )),
            Ok(expected) => {
                let expected = normalise(&expected);
                if expected != actual {
                    problems.push(format!(
                        "{display_path}: output differs from {golden_path} \
                         (- golden, + actual):\n{}",
                        line_diff(&expected, &actual)
                    ));
                }
            }
        }
    }

    for code in Code::ALL {
        if !covered.contains(code) {
            problems.push(format!(
                "{code} ({}) has no fixture: add {FIXTURES}/{}-<short-name>.cbr",
                code.title(),
                code.as_str().to_ascii_lowercase()
            ));
        }
    }

    let fixture_set: BTreeSet<&String> = fixtures.iter().collect();
    for golden in names_with_extension(&dir.join(SNAPSHOTS), "stderr") {
        if fixture_set.contains(&golden) {
            continue;
        }
        let golden_path = format!("{SNAPSHOTS}/{golden}.stderr");
        if update {
            std::fs::remove_file(dir.join(&golden_path)).unwrap();
            updated += 1;
        } else {
            problems.push(format!(
                "{golden_path}: stale golden file, no fixture {FIXTURES}/{golden}(.cbr) produces it"
            ));
        }
    }

    if update && updated > 0 {
        eprintln!("updated {updated} golden file(s) in {SNAPSHOTS}");
    }
    if !problems.is_empty() {
        panic!(
            "{} problem(s) with the invalid fixtures:\n\n{}\n\nif the new output is right, \
             update the golden files with:\n    {UPDATE_COMMAND}\nthen read the diff before \
             committing",
            problems.len(),
            problems.join("\n\n")
        );
    }
}

#[test]
fn line_diff_marks_changed_lines_with_context() {
    let expected = "a\nb\nc\nd\ne\nf\ng\n";
    let actual = "a\nb\nc\nD\ne\nf\ng\n";
    let diff = line_diff(expected, actual);
    assert_eq!(
        diff,
        "    2 | b\n    3 | c\n-   4 | d\n+   4 | D\n    5 | e\n    6 | f\n"
    );
}

#[test]
fn line_diff_shows_added_and_removed_lines() {
    assert_eq!(line_diff("a\n", "a\nb\n"), "    1 | a\n+   2 | b\n");
    assert_eq!(line_diff("a\nb\n", "a\n"), "    1 | a\n-   2 | b\n");
}

#[test]
fn fixture_names_give_their_code() {
    assert_eq!(
        code_of("e011-unknown-category"),
        Some(Code::UnknownCategory)
    );
    assert_eq!(
        code_of("w003-divisor-may-be-zero"),
        Some(Code::MaybeDivisionByZero)
    );
    assert_eq!(code_of("E011-upper-case"), None);
    assert_eq!(code_of("e999-no-such-code"), None);
    assert_eq!(code_of("e011"), None);
    assert_eq!(code_of("e011-"), None);
}
