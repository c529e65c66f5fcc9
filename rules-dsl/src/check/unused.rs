//! Declarations nothing uses: categories never credited (W001), outcome kinds never converted
//! (W006) or never reviewed (W007). Unused scales (W002) are in `scales.rs`.

use super::symbols::Symbols;
use crate::diagnostic::{Code, Diagnostic};
use std::collections::HashSet;

/// Reports declarations nothing uses.
pub fn check(symbols: &Symbols, out: &mut Vec<Diagnostic>) {
    let mut credited: HashSet<&str> = HashSet::new();
    for (_, course) in symbols.courses.iter() {
        credited.insert(&course.category.value);
    }
    let mut converted: HashSet<&str> = HashSet::new();
    for rule in &symbols.converts {
        credited.insert(&rule.into.value.value);
        converted.insert(&rule.kind.value.value);
    }
    let reviewed: HashSet<&str> = symbols
        .reviews
        .iter()
        .map(|r| r.kind.value.value.as_str())
        .collect();
    for (id, _) in symbols.categories.iter() {
        if !credited.contains(id.value.as_str()) {
            out.push(
                Diagnostic::new(
                    Code::UnusedCategory,
                    id.span,
                    format!("category `{}` is never credited", id.value),
                )
                .with_label("no course is in it and no rule converts into it")
                .with_help(format!(
                    "put courses in it (`category {0}`) or convert into it (`into {0}`), or remove it",
                    id.value
                )),
            );
        }
    }
    for (id, _) in symbols.kinds.iter() {
        if !converted.contains(id.value.as_str()) {
            out.push(
                Diagnostic::new(
                    Code::KindNeverConverted,
                    id.span,
                    format!("outcome kind `{}` is never converted to credit", id.value),
                )
                .with_label("no `convert` rule names this kind")
                .with_help(format!(
                    "add a `convert` rule with `kind {}`, or remove the kind",
                    id.value
                )),
            );
        }
        if !reviewed.contains(id.value.as_str()) {
            out.push(
                Diagnostic::new(
                    Code::KindNotReviewed,
                    id.span,
                    format!("outcome kind `{}` has no review criteria", id.value),
                )
                .with_label("every outcome of this kind goes to manual review")
                .with_help(format!("add a `review` block `for {}`", id.value)),
            );
        }
    }
}
