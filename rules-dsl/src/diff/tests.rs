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
