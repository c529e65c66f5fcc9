//! Diagnostics: what the parser and the checker report, and how it is shown.
//!
//! Every diagnostic has a stable [`Code`], a severity, a one-line message, a primary span with
//! a label, optional secondary spans, and a help line. [`render`] prints it the way rustc does
//! (file, line, column, the source line, a caret under the span, the help); [`to_json`] gives
//! the same facts to editors and web frontends.

mod codes;
mod render;

pub use codes::Code;
pub use render::{render, render_all, to_json, JsonDiagnostic};

use crate::ast::Span;

/// Whether a diagnostic stops the ruleset from being used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something probably unintended; the ruleset can still be used.
    Warning,
    /// The ruleset cannot be used until this is fixed.
    Error,
}

/// A secondary location that explains the primary one (`first defined here`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    /// Where.
    pub span: Span,
    /// What it shows.
    pub label: String,
}

/// One problem found in a ruleset file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The stable code (`E011`); its severity is the code's.
    pub code: Code,
    /// One line, lowercase, user input in backticks.
    pub message: String,
    /// Where the problem is.
    pub span: Span,
    /// What to say under the caret.
    pub label: String,
    /// Other places that explain this one.
    pub related: Vec<Related>,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with `code` at `span`; the label defaults to empty.
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            message: message.into(),
            span,
            label: String::new(),
            related: Vec::new(),
            help: None,
        }
    }

    /// Sets the text under the caret.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    /// Adds a secondary span.
    pub fn with_related(mut self, span: Span, label: impl Into<String>) -> Self {
        self.related.push(Related {
            span,
            label: label.into(),
        });
        self
    }

    /// Sets the help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The severity, which is the code's.
    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity() == Severity::Error
    }
}

/// Sorts diagnostics by position, then code, so output does not depend on check order.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.span.end, a.code, &a.message).cmp(&(
            b.span.start,
            b.span.end,
            b.code,
            &b.message,
        ))
    });
}
