//! Semantic checks over a parsed ruleset file.

use crate::ast::RulesetFile;
use crate::diagnostic::Diagnostic;

/// Checks a parsed file. With `whole_file` false (there were syntax errors), only the checks
/// local to each item run.
pub fn check_file(_file: &RulesetFile, _whole_file: bool) -> Vec<Diagnostic> {
    Vec::new()
}
