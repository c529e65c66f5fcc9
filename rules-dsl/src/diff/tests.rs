//! The diff of whole files: matching, sorting, citations and the text listing.

use super::units::{units, Unit};
use super::*;
use crate::{parse, SourceFile};

const HEADER: &str =
    "ruleset \"demo/x\" version \"1\" {\n  title \"t\"\n  effective 2026-09-01\n}\n";

/// The syntax tree of `items` after a header, which must parse cleanly.
pub(super) fn file(items: &str) -> RulesetFile {
    let parsed = parse(&SourceFile::new("a.cbr", format!("{HEADER}{items}")));
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    parsed.file
}

/// The units of `items`, the header left out.
pub(super) fn units_of(items: &str) -> Vec<Unit> {
    let mut all = units(&file(items));
    all.retain(|u| u.kind != ItemKind::Ruleset);
    all
}

/// The diff of two lists of items, each after the same header.
fn diff_of(old: &str, new: &str) -> RulesetDiff {
    diff(&file(old), &file(new))
}

const CAP: &str = "cap innov \"创新\" {\n  on category innovation\n  at most 4 per year\n}\n";

#[test]
fn an_unlocated_diff_has_no_places_in_its_text() {
    let d = diff_of(CAP, &CAP.replace("at most 4", "at most 6"));
    assert_eq!(
        d.to_string(),
        "~ cap innov \"创新\": at most 4 per year -> 6 per year\n0 added, 0 removed, 1 changed\n"
    );
    assert_eq!(d.items[0].old.as_ref().map(|p| p.at.clone()), Some(None));
}

#[test]
fn places_count_characters_after_wide_text() {
    let old = SourceFile::new("a.cbr", format!("{HEADER}// 示范大学\n  {CAP}"));
    let new = SourceFile::new("b.cbr", format!("{HEADER}{}", CAP.replace('4', "6")));
    let d = diff(&parse(&old).file, &parse(&new).file).located(&old, &new);
    let at = |p: &Option<Place>| p.as_ref().and_then(|p| p.at.clone());
    assert_eq!(at(&d.items[0].old).as_deref(), Some("a.cbr:6:3"));
    assert_eq!(at(&d.items[0].new).as_deref(), Some("b.cbr:5:1"));
}

#[test]
fn identical_files_are_no_changes() {
    let d = diff_of(CAP, CAP);
    assert!(d.is_empty());
    assert_eq!(d.to_string(), "no changes\n");
}

#[test]
fn an_added_item_lists_every_clause_as_written() {
    let d = diff_of("", CAP);
    assert_eq!(d.count(Change::Added), 1);
    assert_eq!(
        d.to_string(),
        "+ cap innov \"创新\"\n    on category innovation\n    at most 4 per year\n\
         1 added, 0 removed, 0 changed\n"
    );
    let clauses: Vec<(&str, Option<&str>)> = d.items[0]
        .clauses
        .iter()
        .map(|c| (c.clause.as_str(), c.new.as_deref()))
        .collect();
    assert_eq!(
        clauses,
        [
            ("on", Some("category innovation")),
            ("at most", Some("4 per year"))
        ]
    );
}

#[test]
fn a_requirement_is_found_by_the_id_either_version_cites() {
    let old = "graduation {\n  requires total at least 10\n  requires gpa at least 2.0\n}\n";
    let new = "graduation {\n  requires category a at least 2\n  requires total at least 10\n  requires gpa at least 2.5\n}\n";
    let d = diff_of(old, new);
    // The GPA requirement is the second in the old version, the third in the new; the
    // second in the new version is the total, unchanged.
    let found = |version, id| d.citing(version, "requirement", id).count();
    assert_eq!(found(Version::Old, "graduation/2"), 1);
    assert_eq!(found(Version::New, "graduation/3"), 1);
    assert_eq!(found(Version::New, "graduation/2"), 0);
    assert_eq!(found(Version::Old, "graduation/1"), 0);
    assert_eq!(found(Version::New, "graduation/1"), 1, "added");
    assert_eq!(
        d.citing(Version::New, "requirement block", "graduation")
            .count(),
        1
    );
}

#[test]
fn the_changes_behind_a_cited_requirement_are_its_own() {
    let old = "graduation {\n  requires total at least 10 \"a\"\n  requires gpa at least 2.0\n}\n";
    let new = "graduation {\n  requires total at least 12 \"b\"\n  requires gpa at least 2.5\n}\n";
    let d = diff_of(old, new);
    let text = |kind, id| -> Vec<String> {
        d.items
            .iter()
            .flat_map(|i| i.clauses_citing(Version::Old, kind, id))
            .map(ToString::to_string)
            .collect()
    };
    assert_eq!(
        text("requirement", "graduation/1"),
        [
            "requires `graduation/1`: total at least 10 -> total at least 12",
            "requires `graduation/1`: label \"a\" -> \"b\"",
        ]
    );
    assert_eq!(text("requirement block", "graduation").len(), 3);
    assert!(text("requirement", "graduation/3").is_empty());
}
