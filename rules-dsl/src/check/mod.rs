//! Semantic checks over a parsed ruleset file.
//!
//! The symbol tables are built once (`symbols.rs`); each module then checks one concern and
//! pushes its diagnostics in source order. When the file had syntax errors only the checks
//! that look at one item at a time run, so that a broken item does not make everything that
//! refers to it "unknown".

mod arithmetic;
mod conditions;
mod crossing;
mod cycles;
mod duplicates;
mod reachability;
mod references;
mod scales;
mod suggest;
mod symbols;
mod types;
mod unused;
mod values;
mod visit;
mod warnings;

use crate::ast::RulesetFile;
use crate::diagnostic::Diagnostic;

/// Checks a parsed file. With `whole_file` false (there were syntax errors), only the checks
/// local to each item run.
pub fn check_file(file: &RulesetFile, whole_file: bool) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    duplicates::check_local(file, &mut out);
    values::check(file, &mut out);
    scales::check_local(file, &mut out);
    warnings::check(file, &mut out);
    if !whole_file {
        arithmetic::check_file(file, None, &mut out);
        return out;
    }
    let symbols = symbols::Symbols::build(file, &mut out);
    duplicates::check_reviews(&symbols.reviews, &mut out);
    arithmetic::check_file(file, Some(&symbols), &mut out);
    references::check(file, &symbols, &mut out);
    types::check(file, &symbols, &mut out);
    scales::check_usage(file, &symbols, &mut out);
    conditions::check(&symbols, &mut out);
    reachability::check(&symbols, &mut out);
    crossing::check(&symbols, &mut out);
    cycles::check(file, &symbols, &mut out);
    unused::check(&symbols, &mut out);
    out
}

#[cfg(test)]
mod snippets;
#[cfg(test)]
mod tests;
