//! The creditbank ruleset language.
//!
//! A school states its credit-bank rules in a `.cbr` file: categories, grade scales, the GPA
//! policy, the catalog of recognised learning outcomes, conversion rules, caps, review criteria,
//! staged warnings, graduation and program requirements, certificates. This crate reads such
//! files and knows nothing of learners:
//!
//! - [`parse()`] turns text into a [`ast::RulesetFile`] and every syntax diagnostic in it;
//! - [`check()`] parses and then checks names, references, scales, thresholds and reachability;
//! - [`format()`] prints a syntax tree in the one canonical layout;
//! - [`versions::check_versions`] checks the versions of a ruleset, each a file, together;
//! - [`diff::diff`] compares two versions of a ruleset, item by item and clause by clause.
//!
//! ```
//! use creditbank_dsl::{check, SourceFile};
//! let source = SourceFile::new("demo.cbr", r#"
//! ruleset "demo/undergraduate" version "2026.1" {
//!   title "示范大学本科学分规则"
//!   effective 2026-09-01
//! }
//! "#);
//! let checked = check(&source);
//! assert!(!checked.has_errors());
//! ```

pub mod ast;
pub mod caps;
pub mod check;
pub mod diagnostic;
pub mod diff;
pub mod files;
pub mod format;
pub mod parse;
pub mod source;
mod suggest;
pub mod versions;

pub use diagnostic::{Code, Diagnostic, Severity};
pub use diff::diff;
pub use format::format;
pub use parse::{parse, Parsed};
pub use source::SourceFile;

/// A parsed and checked ruleset file.
#[derive(Clone, Debug)]
pub struct Checked {
    /// The syntax tree: complete when there are no syntax errors, else the items that parsed.
    pub file: ast::RulesetFile,
    /// Every diagnostic, syntax and semantic, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    /// True when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Parses `source` and checks it. Semantic checks that need the whole file (references,
/// reachability) are skipped while there are syntax errors, so that a broken item does not
/// produce a cascade of "unknown" errors for everything that refers to it.
pub fn check(source: &SourceFile) -> Checked {
    let Parsed {
        file,
        mut diagnostics,
    } = parse(source);
    let syntax_ok = !diagnostics.iter().any(Diagnostic::is_error);
    diagnostics.extend(check::check_file(&file, syntax_ok));
    diagnostic::sort(&mut diagnostics);
    Checked { file, diagnostics }
}

/// Checks several files together: each on its own, then the versions of each ruleset across
/// the files ([`versions::check_versions`]). The results are in the order of `sources`.
pub fn check_set(sources: &[SourceFile]) -> Vec<Checked> {
    let mut checked: Vec<Checked> = sources.iter().map(check).collect();
    let files: Vec<versions::VersionFile<'_>> = sources
        .iter()
        .zip(&checked)
        .map(|(source, c)| versions::VersionFile {
            source,
            file: &c.file,
        })
        .collect();
    let found = versions::check_versions(&files);
    for (index, diagnostic) in found {
        if let Some(c) = checked.get_mut(index) {
            c.diagnostics.push(diagnostic);
        }
    }
    for c in &mut checked {
        diagnostic::sort(&mut c.diagnostics);
    }
    checked
}
