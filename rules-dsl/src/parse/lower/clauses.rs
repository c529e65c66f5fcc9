//! Clauses that may be given once (E009 when repeated) or must be given (E008 when missing).

use super::{Lowered, Lowerer, Open, P};
use crate::ast::{Node, Span, Text};
use crate::diagnostic::{Code, Diagnostic};

/// The block a clause belongs to, as named in messages, and where to point at it. The name
/// is only put together when a message needs it: most blocks have nothing to report.
pub(super) struct Owner<'a> {
    /// `conversion rule`, `the gpa policy`, ...
    what: &'static str,
    /// The block's id, if it has one.
    id: Option<&'a str>,
    /// The block's id, or its keyword when it has none.
    pub span: Span,
}

impl<'a> Owner<'a> {
    /// A block named by what it is and its id.
    pub(super) fn named(what: &'static str, id: &'a str, span: Span) -> Self {
        Owner {
            what,
            id: Some(id),
            span,
        }
    }

    /// A block that has no id.
    pub(super) fn unnamed(what: &'static str, span: Span) -> Self {
        Owner {
            what,
            id: None,
            span,
        }
    }

    /// `conversion rule `comp-national``, or `the gpa policy`.
    fn describe(&self) -> String {
        match self.id {
            Some(id) => format!("{} `{id}`", self.what),
            None => self.what.to_string(),
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
        owner: &Owner<'_>,
    ) {
        match slot {
            None => *slot = Some(node),
            Some(first) => {
                let diagnostic = Diagnostic::new(
                    Code::DuplicateClause,
                    node.span,
                    format!("{} gives `{clause}` more than once", owner.describe()),
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
        owner: &Owner<'_>,
    ) {
        match slot {
            None => *slot = Some((value, span)),
            Some((_, first)) => {
                let diagnostic = Diagnostic::new(
                    Code::DuplicateClause,
                    span,
                    format!("{} gives `{clause}` more than once", owner.describe()),
                )
                .with_label("given again here")
                .with_related(*first, "first given here")
                .with_help(format!("keep one `{clause}` clause"));
                self.report(diagnostic);
            }
        }
    }

    /// Reports a required clause that is missing; `syntax` shows how it is written.
    pub(super) fn missing(&mut self, clause: &str, syntax: &str, owner: &Owner<'_>) {
        let diagnostic = Diagnostic::new(
            Code::MissingClause,
            owner.span,
            format!("{} has no `{clause}` clause", owner.describe()),
        )
        .with_label(format!("`{clause}` missing"))
        .with_help(format!("add `{syntax}`"));
        self.report(diagnostic);
    }

    /// A required clause: reported when missing.
    /// Closes a clause's node (its span and comments) and puts it in `slot`, once per block
    /// (E009 for a second one, which is dropped).
    pub(super) fn place<T>(
        &mut self,
        slot: &mut Option<Node<T>>,
        open: Open,
        value: T,
        clause: &str,
        owner: &Owner<'_>,
    ) {
        let node = self.close(open, value);
        self.once(slot, node, clause, owner);
    }

    /// Lowers a block's `source "..."` clause into `slot`: once per block (E009 otherwise).
    pub(super) fn source_clause(
        &mut self,
        c: P<'_>,
        open: Open,
        slot: &mut Option<Node<Text>>,
        owner: &Owner<'_>,
    ) -> Lowered<()> {
        let node = self.text(c)?;
        self.place(slot, open, node, "source", owner);
        Ok(())
    }

    pub(super) fn required<T>(
        &mut self,
        slot: Option<T>,
        clause: &str,
        syntax: &str,
        owner: &Owner<'_>,
    ) -> Option<T> {
        if slot.is_none() {
            self.missing(clause, syntax, owner);
        }
        slot
    }
}
