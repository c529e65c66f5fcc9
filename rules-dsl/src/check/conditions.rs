//! placeholder
use super::symbols::Symbols;
use crate::diagnostic::Diagnostic;
pub fn check(_s: &Symbols, _out: &mut Vec<Diagnostic>) {}
