//! The structural diff of two ruleset versions, end to end.
//!
//! Golden files: each directory `tests/fixtures/diff/<case>/` holds `old.cbr` and `new.cbr`;
//! the diff between them, as text, is kept in `tests/snapshots/diff/<case>.txt`. The bundled
//! rulesets' versions are compared too (`rulesets/<id>/2025.1.cbr` against `2026.1.cbr`),
//! into `tests/snapshots/diff/bundled-<org>-<name>.txt`. Run with `UPDATE_GOLDEN=1` to
//! rewrite the golden files after an intended change.
//!
//! Properties over generated trees: a tree against itself is no change; two trees differ in
//! the diff exactly when they differ in meaning (comments, item order and the grouping of
//! entries into blocks aside).

#[allow(dead_code)]
mod gen;

use creditbank_dsl::ast::*;
use creditbank_dsl::diff::{diff, Change, ItemKind, RulesetDiff, Version};
use creditbank_dsl::{check, format, parse, SourceFile};
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const FIXTURES: &str = "tests/fixtures/diff";
const SNAPSHOTS: &str = "tests/snapshots/diff";
const UPDATE_COMMAND: &str = "UPDATE_GOLDEN=1 cargo test -p creditbank-dsl --test diff";

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Sorted names of the entries of `dir` that are directories.
fn directories(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .map(|path| path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The diff of two sources, as text, with places named after the sources.
fn diff_text(old: &SourceFile, new: &SourceFile) -> String {
    diff(&parse(old).file, &parse(new).file)
        .located(old, new)
        .to_string()
}

/// Compares `actual` with the golden file `name.txt`, or rewrites it under `UPDATE_GOLDEN=1`.
fn golden(name: &str, actual: &str, problems: &mut Vec<String>) {
    let path = crate_dir().join(SNAPSHOTS).join(format!("{name}.txt"));
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        if std::fs::read_to_string(&path).ok().as_deref() != Some(actual) {
            std::fs::write(&path, actual).unwrap();
        }
        return;
    }
    match std::fs::read_to_string(&path) {
        Err(_) => problems.push(format!("{name}: no golden file; the diff is:\n{actual}")),
        Ok(expected) => {
            let expected = expected.replace("\r\n", "\n");
            if expected != actual {
                let first = expected
                    .lines()
                    .zip(actual.lines())
                    .position(|(e, a)| e != a)
                    .unwrap_or(expected.lines().count().min(actual.lines().count()));
                problems.push(format!(
                    "{name}: differs from the golden file from line {}:\n--- golden\n{expected}\n--- actual\n{actual}",
                    first + 1
                ));
            }
        }
    }
}

#[test]
fn fixture_diffs_match_their_golden_text() {
    let dir = crate_dir();
    let cases = directories(&dir.join(FIXTURES));
    assert!(!cases.is_empty(), "no cases in {FIXTURES}");
    let mut problems = Vec::new();
    for case in &cases {
        let source = |side: &str| {
            let path = dir.join(FIXTURES).join(case).join(format!("{side}.cbr"));
            SourceFile::new(format!("{case}/{side}.cbr"), read(&path))
        };
        let (old, new) = (source("old"), source("new"));
        // Keep the fixtures honest: only a `broken-` case may hold a syntax error.
        let syntax_errors = parse(&old).diagnostics.len() + parse(&new).diagnostics.len();
        if case.starts_with("broken-") != (syntax_errors > 0) {
            problems.push(format!(
                "{case}: {syntax_errors} syntax errors; only a `broken-` case may have any"
            ));
        }
        golden(case, &diff_text(&old, &new), &mut problems);
    }
    let known: BTreeSet<String> = cases.iter().cloned().collect();
    if let Ok(entries) = std::fs::read_dir(dir.join(SNAPSHOTS)) {
        for entry in entries {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            let stem = name.trim_end_matches(".txt");
            if !known.contains(stem) && !stem.starts_with("bundled-") {
                problems.push(format!("{SNAPSHOTS}/{name} has no fixture: delete it"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{}\n\nto accept the new output: {UPDATE_COMMAND}",
        problems.join("\n\n")
    );
}

/// Each bundled ruleset with both versions: `(org/name, old source, new source)`.
fn bundled() -> Vec<(String, SourceFile, SourceFile)> {
    let root = crate_dir().join("../rulesets");
    let mut out = Vec::new();
    for org in directories(&root) {
        for name in directories(&root.join(&org)) {
            let dir = root.join(&org).join(&name);
            let (old, new) = (dir.join("2025.1.cbr"), dir.join("2026.1.cbr"));
            if old.is_file() && new.is_file() {
                let id = format!("{org}/{name}");
                out.push((
                    id.clone(),
                    SourceFile::new(format!("{id}/2025.1.cbr"), read(&old)),
                    SourceFile::new(format!("{id}/2026.1.cbr"), read(&new)),
                ));
            }
        }
    }
    out
}

#[test]
fn bundled_versions_diff_as_the_golden_text() {
    let rulesets = bundled();
    assert!(rulesets.len() >= 2, "expected the two bundled rulesets");
    let mut problems = Vec::new();
    for (id, old, new) in &rulesets {
        for source in [old, new] {
            assert!(!check(source).has_errors(), "{} has errors", source.name());
        }
        golden(
            &format!("bundled-{}", id.replace('/', "-")),
            &diff_text(old, new),
            &mut problems,
        );
    }
    assert!(
        problems.is_empty(),
        "{}\n\nto accept the new output: {UPDATE_COMMAND}",
        problems.join("\n\n")
    );
}

fn bundled_diff(id: &str) -> RulesetDiff {
    let (_, old, new) = bundled()
        .into_iter()
        .find(|(i, _, _)| i == id)
        .unwrap_or_else(|| panic!("no bundled ruleset {id}"));
    diff(&parse(&old).file, &parse(&new).file).located(&old, &new)
}

#[test]
fn a_dry_run_finds_changed_rules_by_the_ids_reports_cite() {
    let d = bundled_diff("demo-university/undergraduate");
    // The kinds and ids below are those of the engine's `RuleRef`s.
    let cited = |kind: &str, id: &str| -> Vec<String> {
        d.citing(Version::New, kind, id)
            .map(|item| format!("{} {}", item.kind.keyword(), item.id))
            .collect()
    };
    assert_eq!(
        cited("cap", "innovation-per-year"),
        ["cap innovation-per-year"]
    );
    assert_eq!(cited("conversion rule", "mooc"), ["convert mooc"]);
    assert_eq!(cited("gpa policy", "gpa"), ["gpa gpa"]);
    assert_eq!(cited("catalog course", "LAB101"), ["course LAB101"]);
    assert_eq!(
        cited("requirement", "graduation/4"),
        ["graduation graduation"]
    );
    assert_eq!(
        cited("requirement block", "econ-double"),
        ["program econ-double"]
    );
    // Reviews are cited by the outcome kind they review.
    assert_eq!(cited("review", "patent"), ["review patent-review"]);
    assert!(cited("cap", "competition-total").is_empty(), "unchanged");
    assert!(cited("requirement", "graduation/1").is_empty(), "unchanged");

    let cap = d
        .citing(Version::Old, "cap", "innovation-per-year")
        .next()
        .unwrap();
    assert_eq!(cap.summary(), "at most 4 per year -> 6 per year");
    assert_eq!(cap.change, Change::Changed);
}

#[test]
fn the_json_names_each_change_with_its_values_and_places() {
    let d = bundled_diff("demo-open-university/lifelong-learning");
    let json = serde_json::to_value(&d).unwrap();
    let cap = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "cap")
        .unwrap();
    assert_eq!(
        cap,
        &serde_json::json!({
            "change": "changed",
            "kind": "cap",
            "id": "conversions-share",
            "name": "转换学分总量上限",
            "old_rule": {"kind": "cap", "id": "conversions-share"},
            "new_rule": {"kind": "cap", "id": "conversions-share"},
            "old": {
                "span": cap["old"]["span"],
                "at": "demo-open-university/lifelong-learning/2025.1.cbr:267:1",
                "line": 267,
                "column": 1
            },
            "new": {
                "span": cap["new"]["span"],
                "at": "demo-open-university/lifelong-learning/2026.1.cbr:275:1",
                "line": 275,
                "column": 1
            },
            "clauses": [{
                "clause": "at most",
                "old": "40% of required total",
                "new": "50% of required total"
            }]
        })
    );
    let course = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "course")
        .unwrap();
    assert_eq!(course["change"], "added");
    assert_eq!(course["id"], "06504");
    assert_eq!(course["old"], serde_json::Value::Null);
}

#[test]
fn items_are_sorted_by_kind_then_id() {
    let d = bundled_diff("demo-university/undergraduate");
    let keys: Vec<(ItemKind, &str)> = d.items.iter().map(|i| (i.kind, i.id.as_str())).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert_eq!(
        keys.first(),
        Some(&(ItemKind::Ruleset, "demo-university/undergraduate"))
    );
}

// ---------------------------------------------------------------------------------------------
// Properties

/// A tree without any comment.
fn without_comments(file: &RulesetFile) -> RulesetFile {
    fn clear<T>(node: &mut Node<T>) {
        node.comments = Comments::default();
    }
    fn clear_opt<T>(node: &mut Option<Node<T>>) {
        if let Some(n) = node {
            clear(n);
        }
    }
    fn clear_all<T>(nodes: &mut [Node<T>]) {
        nodes.iter_mut().for_each(clear);
    }
    let mut file = file.clone();
    file.end_comments.clear();
    for item in &mut file.items {
        clear(item);
        match &mut item.value {
            Item::Header(h) => {
                clear(&mut h.title);
                clear(&mut h.effective);
                clear_opt(&mut h.supersedes);
                clear_opt(&mut h.gpa_rounding);
                clear_opt(&mut h.credit_rounding);
                clear_opt(&mut h.year_start);
                clear_opt(&mut h.source);
            }
            Item::Categories(list) => clear_all(list),
            Item::Scale(s) => match &mut s.body {
                ScaleBody::Bands(b) => clear_all(&mut b.bands),
                ScaleBody::Formula(f) => {
                    clear_all(&mut f.cases);
                    clear_opt(&mut f.otherwise);
                }
                ScaleBody::Text(grades) => clear_all(grades),
                ScaleBody::PassFail(pf) => {
                    clear_all(&mut pf.pass);
                    clear_all(&mut pf.fail);
                }
            },
            Item::Gpa(g) => {
                clear(&mut g.scores);
                clear_opt(&mut g.grades);
                clear_opt(&mut g.weight);
                clear(&mut g.retake);
                clear_opt(&mut g.include);
                clear_all(&mut g.exclude);
                clear_opt(&mut g.source);
            }
            Item::Catalog(c) => clear_all(&mut c.courses),
            Item::Kind(k) => {
                clear_all(&mut k.attributes);
                clear_all(&mut k.evidence);
                clear_opt(&mut k.source);
            }
            Item::Institutions(list) => clear_all(list),
            Item::Convert(c) => {
                clear(&mut c.kind);
                clear_opt(&mut c.when);
                clear_opt(&mut c.from);
                clear(&mut c.into);
                clear(&mut c.credits);
                if let CreditAmount::Table { rows, .. } = &mut c.credits.value {
                    clear_all(rows);
                }
                if let Some(split) = &mut c.split {
                    clear(split);
                    clear_all(&mut split.value.rows);
                }
                clear_opt(&mut c.highest_only_per);
                clear_opt(&mut c.expires_after_years);
                clear_opt(&mut c.source);
            }
            Item::Cap(c) => {
                clear(&mut c.on);
                clear(&mut c.limit);
                clear_opt(&mut c.source);
            }
            Item::Review(r) => {
                clear(&mut r.kind);
                clear_all(&mut r.require);
                clear_all(&mut r.reject);
                clear_all(&mut r.approve);
                clear(&mut r.otherwise);
                clear_opt(&mut r.source);
            }
            Item::Warning(w) => {
                clear(&mut w.on);
                clear_all(&mut w.stages);
                clear_all(&mut w.levels);
                clear_opt(&mut w.source);
            }
            Item::Graduation(g) => {
                clear_all(&mut g.requirements);
                clear_opt(&mut g.source);
            }
            Item::Program(p) => {
                clear(&mut p.ty);
                clear(&mut p.courses_tagged);
                clear_all(&mut p.requirements);
                clear_opt(&mut p.source);
            }
            Item::Certificate(c) => {
                clear_all(&mut c.requirements);
                clear_opt(&mut c.source);
            }
        }
    }
    file
}

/// What a file means to the diff, computed on the tree: its items without comments, entries
/// out of their grouping blocks, a catalog block reduced to its name.
#[derive(Debug, PartialEq)]
// A test compares a few dozen of these: boxing the item would only add noise.
#[allow(clippy::large_enum_variant)]
enum Meaning {
    Item(Item),
    Category(Category),
    Course(Course),
    Institution(Institution),
    Catalog(Option<Text>),
}

fn meaning(file: &RulesetFile) -> Vec<Meaning> {
    let mut out = Vec::new();
    for item in without_comments(file).items {
        match item.value {
            Item::Categories(list) => {
                out.extend(list.into_iter().map(|c| Meaning::Category(c.value)))
            }
            Item::Institutions(list) => {
                out.extend(list.into_iter().map(|i| Meaning::Institution(i.value)))
            }
            Item::Catalog(c) => {
                out.extend(c.courses.into_iter().map(|c| Meaning::Course(c.value)));
                out.push(Meaning::Catalog(c.name));
            }
            other => out.push(Meaning::Item(other)),
        }
    }
    out
}

/// Equal as multisets: every element of one matched to an equal element of the other.
fn same_meaning(a: &RulesetFile, b: &RulesetFile) -> bool {
    let (a, mut b) = (meaning(a), meaning(b));
    if a.len() != b.len() {
        return false;
    }
    for x in &a {
        match b.iter().position(|y| y == x) {
            Some(at) => {
                b.swap_remove(at);
            }
            None => return false,
        }
    }
    true
}

/// A small edit of a formatted file's lines: delete, repeat, swap with the next, or bump
/// the first digit of one line.
fn edit(text: &str, at: usize, how: u8) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    if lines.is_empty() {
        return text.to_string();
    }
    let at = at % lines.len();
    match how % 4 {
        0 => {
            lines.remove(at);
        }
        1 => {
            let line = lines[at].clone();
            lines.insert(at, line);
        }
        2 if at + 1 < lines.len() => lines.swap(at, at + 1),
        _ => {
            if let Some(i) = lines[at].find(|c: char| c.is_ascii_digit()) {
                let d = lines[at].as_bytes()[i] - b'0';
                let bumped = char::from(b'0' + (d + 1) % 10);
                lines[at].replace_range(i..=i, &bumped.to_string());
            }
        }
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// The tree of `text` when it parses cleanly.
fn reparsed(text: &str) -> Option<RulesetFile> {
    let parsed = parse(&SourceFile::new("edited.cbr", text));
    parsed.diagnostics.is_empty().then_some(parsed.file)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]

    #[test]
    fn a_tree_against_itself_is_no_change(file in gen::file()) {
        let d = diff(&file, &file);
        prop_assert!(d.is_empty(), "{}", d);
    }

    #[test]
    fn comments_and_order_are_no_change(file in gen::file(), seed in any::<u64>()) {
        let mut moved = without_comments(&file);
        // A rotation and a reversal: every item in another place.
        let len = moved.items.len().max(1);
        moved.items.rotate_left((seed as usize) % len);
        moved.items.reverse();
        let d = diff(&file, &moved);
        prop_assert!(d.is_empty(), "{}\n{}", d, format(&moved));
    }

    #[test]
    fn a_diff_is_empty_exactly_when_the_meaning_is_the_same(
        file in gen::file(),
        edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..3),
    ) {
        let mut text = format(&file);
        for (at, how) in edits {
            text = edit(&text, at, how);
        }
        let Some(edited) = reparsed(&text) else {
            return Ok(());
        };
        let d = diff(&file, &edited);
        let same = same_meaning(&file, &edited);
        prop_assert_eq!(d.is_empty(), same, "{}\n{}\n---\n{}", d, format(&file), text);
        // The diff is symmetric in what it finds.
        let back = diff(&edited, &file);
        prop_assert_eq!(back.count(Change::Added), d.count(Change::Removed));
        prop_assert_eq!(back.count(Change::Changed), d.count(Change::Changed));
    }

    #[test]
    fn unrelated_trees_differ_exactly_when_their_meaning_does(a in gen::file(), b in gen::file()) {
        prop_assert_eq!(diff(&a, &b).is_empty(), same_meaning(&a, &b));
    }
}
