//! Syntax tree to text, in the one canonical layout.

use crate::ast::RulesetFile;

/// Formats a ruleset file canonically.
pub fn format(_file: &RulesetFile) -> String {
    String::new()
}
