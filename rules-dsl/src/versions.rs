//! Checks across the versions of a ruleset: each version a file.
//!
//! A school keeps every version of its rules (learners are evaluated under the version in
//! force when they enrolled), so a set of files is checked together: no version twice, every
//! `supersedes` names a version that exists, and each version takes effect after the one it
//! supersedes, on a day no other version of the ruleset takes effect.

use crate::ast::{Header, Item, RulesetFile};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::SourceFile;
use std::collections::BTreeMap;

/// One file of the set: its source (for positions in messages) and its syntax tree.
#[derive(Clone, Copy, Debug)]
pub struct VersionFile<'a> {
    /// The file's source.
    pub source: &'a SourceFile,
    /// Its syntax tree.
    pub file: &'a RulesetFile,
}

/// Checks a set of files together; each diagnostic comes with the index of the file it is in.
/// Files without a header are skipped (they already have an E006).
pub fn check_versions(files: &[VersionFile<'_>]) -> Vec<(usize, Diagnostic)> {
    // Ruleset id -> its versions, in the order the files were given.
    let mut by_id: BTreeMap<&str, Vec<(usize, &Header)>> = BTreeMap::new();
    for (index, f) in files.iter().enumerate() {
        if let Some(header) = header(f.file) {
            by_id
                .entry(header.id.value.as_str())
                .or_default()
                .push((index, header));
        }
    }
    let mut out = Vec::new();
    for versions in by_id.values() {
        check_one_ruleset(files, versions, &mut out);
    }
    out
}

fn header(file: &RulesetFile) -> Option<&Header> {
    file.items.iter().find_map(|item| match &item.value {
        Item::Header(h) => Some(h),
        _ => None,
    })
}

/// `file:line:column` of a span, for messages that point into another file.
fn place(files: &[VersionFile<'_>], index: usize, offset: u32) -> String {
    files.get(index).map_or_else(String::new, |f| {
        let at = f.source.line_col(offset as usize);
        format!("{}:{}:{}", f.source.name(), at.line, at.column)
    })
}

fn check_one_ruleset(
    files: &[VersionFile<'_>],
    versions: &[(usize, &Header)],
    out: &mut Vec<(usize, Diagnostic)>,
) {
    // Version -> the first file declaring it.
    let mut first: BTreeMap<&str, (usize, &Header)> = BTreeMap::new();
    for &(index, h) in versions {
        match first.get(h.version.value.as_str()) {
            Some(&(other, o)) => out.push((
                index,
                Diagnostic::new(
                    Code::DuplicateVersion,
                    h.version.span,
                    format!(
                        "version `{}` of `{}` is declared twice",
                        h.version.value, h.id.value
                    ),
                )
                .with_label("declared again here")
                .with_help(format!(
                    "it is first declared at {}; give this file a new version, or remove one of them",
                    place(files, other, o.version.span.start)
                )),
            )),
            None => {
                first.insert(h.version.value.as_str(), (index, h));
            }
        }
    }
    // With one version alone there is nothing to compare against: `supersedes` may name a
    // version kept elsewhere.
    if first.len() < 2 {
        return;
    }
    for (&version, &(index, h)) in &first {
        if let Some(superseded) = &h.supersedes {
            let name = superseded.value.value.as_str();
            match first.get(name) {
                None => {
                    let known: Vec<&str> =
                        first.keys().copied().filter(|v| *v != version).collect();
                    out.push((
                        index,
                        Diagnostic::new(
                            Code::UnknownSupersededVersion,
                            superseded.value.span,
                            format!("`{}` supersedes version `{name}`, which is not among its files", h.id.value),
                        )
                        .with_label("no file declares this version")
                        .with_help(format!(
                            "the versions of `{}` checked together are: {}; name one of them, or check the file of version `{name}` too",
                            h.id.value,
                            known.join(", ")
                        )),
                    ));
                }
                Some(&(other, o)) if h.effective.value.value <= o.effective.value.value => {
                    out.push((
                        index,
                        Diagnostic::new(
                            Code::EffectiveDatesOutOfOrder,
                            h.effective.value.span,
                            format!(
                                "version `{version}` takes effect on {}, not after version `{name}` that it supersedes ({})",
                                date(h), date(o)
                            ),
                        )
                        .with_label("must be later than the superseded version's date")
                        .with_help(format!(
                            "version `{name}` takes effect at {}; a new version takes effect after the one it replaces",
                            place(files, other, o.effective.value.span.start)
                        )),
                    ));
                }
                Some(_) => {}
            }
        }
    }
    // Two versions in force from the same day: which one applies to a learner enrolling then?
    let mut by_date: BTreeMap<crate::ast::Date, (usize, &Header)> = BTreeMap::new();
    for (_, &(index, h)) in first.iter() {
        let day = h.effective.value.value;
        match by_date.get(&day) {
            Some(&(other, o)) if !supersedes(h, o) && !supersedes(o, h) => out.push((
                index,
                Diagnostic::new(
                    Code::EffectiveDatesOutOfOrder,
                    h.effective.value.span,
                    format!(
                        "versions `{}` and `{}` of `{}` both take effect on {}",
                        o.version.value,
                        h.version.value,
                        h.id.value,
                        date(h)
                    ),
                )
                .with_label("same day as another version")
                .with_help(format!(
                    "version `{}` takes effect at {}; give each version its own effective date",
                    o.version.value,
                    place(files, other, o.effective.value.span.start)
                )),
            )),
            Some(_) => {}
            None => {
                by_date.insert(day, (index, h));
            }
        }
    }
}

fn supersedes(newer: &Header, older: &Header) -> bool {
    newer
        .supersedes
        .as_ref()
        .is_some_and(|s| s.value.value == older.version.value)
}

fn date(h: &Header) -> String {
    let d = h.effective.value.value;
    format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, version: &str, effective: &str, supersedes: Option<&str>) -> SourceFile {
        let supersedes = supersedes
            .map(|s| format!("  supersedes \"{s}\"\n"))
            .unwrap_or_default();
        SourceFile::new(
            name,
            format!(
                "ruleset \"demo/ug\" version \"{version}\" {{\n  title \"t\"\n  effective {effective}\n{supersedes}}}\n"
            ),
        )
    }

    fn run(sources: &[SourceFile]) -> Vec<(usize, Code)> {
        let parsed: Vec<_> = sources.iter().map(|s| crate::parse(s).file).collect();
        let files: Vec<_> = sources
            .iter()
            .zip(&parsed)
            .map(|(source, file)| VersionFile { source, file })
            .collect();
        check_versions(&files)
            .into_iter()
            .map(|(i, d)| (i, d.code))
            .collect()
    }

    #[test]
    fn a_proper_chain_of_versions_is_fine() {
        let a = file("a.cbr", "2025.1", "2025-09-01", None);
        let b = file("b.cbr", "2026.1", "2026-09-01", Some("2025.1"));
        assert_eq!(run(&[a, b]), vec![]);
    }

    #[test]
    fn a_version_twice_is_an_error_in_the_second_file() {
        let a = file("a.cbr", "2025.1", "2025-09-01", None);
        let b = file("b.cbr", "2025.1", "2025-09-01", None);
        assert_eq!(run(&[a, b]), vec![(1, Code::DuplicateVersion)]);
    }

    #[test]
    fn superseding_a_missing_version_is_reported_only_with_siblings() {
        let lone = file("b.cbr", "2026.1", "2026-09-01", Some("2025.1"));
        assert_eq!(run(std::slice::from_ref(&lone)), vec![]);
        let other = file("c.cbr", "2024.1", "2024-09-01", None);
        assert_eq!(
            run(&[other, lone]),
            vec![(1, Code::UnknownSupersededVersion)]
        );
    }

    #[test]
    fn a_new_version_must_take_effect_later() {
        let a = file("a.cbr", "2025.1", "2025-09-01", None);
        let b = file("b.cbr", "2026.1", "2025-09-01", Some("2025.1"));
        assert_eq!(run(&[a, b]), vec![(1, Code::EffectiveDatesOutOfOrder)]);
    }

    #[test]
    fn two_unrelated_versions_on_one_day_are_ambiguous() {
        let a = file("a.cbr", "2025.1", "2025-09-01", None);
        let b = file("b.cbr", "2025.2", "2025-09-01", None);
        assert_eq!(run(&[a, b]), vec![(1, Code::EffectiveDatesOutOfOrder)]);
    }

    #[test]
    fn different_rulesets_do_not_interfere() {
        let a = file("a.cbr", "2025.1", "2025-09-01", None);
        let b = SourceFile::new(
            "b.cbr",
            "ruleset \"other/x\" version \"2025.1\" {\n  title \"t\"\n  effective 2025-09-01\n}\n",
        );
        assert_eq!(run(&[a, b]), vec![]);
    }
}
