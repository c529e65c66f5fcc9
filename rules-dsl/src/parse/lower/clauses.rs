//! Clauses that may be given once (E009 when repeated) or must be given (E008 when missing).

use super::Lowerer;
use crate::ast::{Node, Span};
use crate::diagnostic::{Code, Diagnostic};

/// The block a clause belongs to, as named in messages, and where to point at it.
pub(super) struct Owner {
    /// `conversion rule `comp-national``, `the gpa policy`, ...
    pub what: String,
    /// The block's id, or its keyword when it has none.
    pub span: Span,
}

impl Owner {
    /// A block named by what it is and its id.
    pub(super) fn named(what: &str, id: &str, span: Span) -> Self {
        Owner {
            what: format!("{what} `{id}`"),
            span,
        }
    }

    /// A block that has no id.
    pub(super) fn unnamed(what: &str, span: Span) -> Self {
        Owner {
            what: what.to_string(),
            span,
        }
    }
}

impl Lowerer<'_, '_> {
    /// Stores a clause that may be given once; a repeat is reported and dropped.
    pub(super) fn once<T>(
        &mut self,
        slot: &mut Option<Node<T>>,
        node: Node<T>,
        clause: &str,
        owner: &Owner,
    ) {
        match slot {
            None => *slot = Some(node),
            Some(first) => {
                let diagnostic = Diagnostic::new(
                    Code::DuplicateClause,
                    node.span,
                    format!("{} gives `{clause}` more than once", owner.what),
                )
                .with_label("given again here")
                .with_related(first.span, "first given here")
                .with_help(format!("keep one `{clause}` clause"));
                self.report(diagnostic);
            }
        }
    }

    /// The same for a value that is not a node of its own (a course's clauses).
    pub(super) fn once_value<T>(
        &mut self,
        slot: &mut Option<(T, Span)>,
        value: T,
        span: Span,
        clause: &str,
        owner: &Owner,
    ) {
        match slot {
            None => *slot = Some((value, span)),
            Some((_, first)) => {
                let diagnostic = Diagnostic::new(
                    Code::DuplicateClause,
                    span,
                    format!("{} gives `{clause}` more than once", owner.what),
                )
                .with_label("given again here")
                .with_related(*first, "first given here")
                .with_help(format!("keep one `{clause}` clause"));
                self.report(diagnostic);
            }
        }
    }

    /// Reports a required clause that is missing; `syntax` shows how it is written.
    pub(super) fn missing(&mut self, clause: &str, syntax: &str, owner: &Owner) {
        let diagnostic = Diagnostic::new(
            Code::MissingClause,
            owner.span,
            format!("{} has no `{clause}` clause", owner.what),
        )
        .with_label(format!("`{clause}` missing"))
        .with_help(format!("add `{syntax}`"));
        self.report(diagnostic);
    }

    /// A required clause: reported when missing.
    pub(super) fn required<T>(
        &mut self,
        slot: Option<T>,
        clause: &str,
        syntax: &str,
        owner: &Owner,
    ) -> Option<T> {
        if slot.is_none() {
            self.missing(clause, syntax, owner);
        }
        slot
    }
}
