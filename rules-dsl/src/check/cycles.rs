//! placeholder
use super::symbols::Symbols;
use crate::ast::RulesetFile;
use crate::diagnostic::Diagnostic;
pub fn check(_f: &RulesetFile, _s: &Symbols, _out: &mut Vec<Diagnostic>) {}
