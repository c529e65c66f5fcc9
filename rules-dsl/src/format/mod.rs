//! Syntax tree to text, in the one canonical layout.
//!
//! The layout: two-space indentation, every block on several lines (`keyword id "name" {`, one
//! clause per line, `}`), clauses in the order of the fields of their [`crate::ast`] struct,
//! one blank line between top-level items, `\n` line ends and one final newline. Every comment
//! in the tree is written back where the parser will attach it again, so formatting is
//! idempotent and `parse(format(tree)) == tree`.

mod expr;
mod items;
mod lexical;
mod requirements;

use crate::ast::{Comments, Node, RulesetFile};

/// Formats a ruleset file canonically.
pub fn format(file: &RulesetFile) -> String {
    let mut w = Writer::default();
    for (i, item) in file.items.iter().enumerate() {
        if i > 0 {
            w.blank_line();
        }
        items::item(&mut w, item);
    }
    if !file.end_comments.is_empty() {
        if !file.items.is_empty() {
            w.blank_line();
        }
        w.comment_lines(&file.end_comments);
    }
    w.finish()
}

/// Accumulates output lines at the current indentation.
#[derive(Default)]
struct Writer {
    out: String,
    indent: usize,
}

impl Writer {
    const INDENT: &'static str = "  ";

    fn finish(self) -> String {
        self.out
    }

    fn blank_line(&mut self) {
        self.out.push('\n');
    }

    /// Writes one line at the current indentation, with an optional trailing comment.
    fn line(&mut self, text: &str, trailing: Option<&str>) {
        for _ in 0..self.indent {
            self.out.push_str(Self::INDENT);
        }
        self.out.push_str(text);
        if let Some(comment) = trailing {
            // An empty line before the comment would leave a stray space at the line start.
            if !text.is_empty() {
                self.out.push(' ');
            }
            self.out.push_str("//");
            self.out.push_str(comment);
        }
        self.out.push('\n');
    }

    /// Writes whole-line comments at the current indentation.
    fn comment_lines(&mut self, comments: &[String]) {
        for comment in comments {
            self.line("", Some(comment));
        }
    }

    /// Writes a node that fits on one line: its leading comments, the line with its trailing
    /// comment, and then any `inner_end` comments (a one-line node has no closing brace to put
    /// them before; writing them after keeps them, and the parser then reads them as leading
    /// comments of what follows).
    fn single<T>(&mut self, node: &Node<T>, text: &str) {
        self.single_with(&node.comments, text);
    }

    fn single_with(&mut self, comments: &Comments, text: &str) {
        self.comment_lines(&comments.leading);
        self.line(text, comments.trailing.as_deref());
        self.comment_lines(&comments.inner_end);
    }

    /// Writes a node that is a block: leading comments, `head {`, the body one level deeper,
    /// the `inner_end` comments, and `}` with the trailing comment.
    fn block<T>(&mut self, node: &Node<T>, head: &str, body: impl FnOnce(&mut Self)) {
        self.block_with(&node.comments, head, body);
    }

    fn block_with(&mut self, comments: &Comments, head: &str, body: impl FnOnce(&mut Self)) {
        self.comment_lines(&comments.leading);
        self.line(&format!("{head} {{"), None);
        self.indent += 1;
        body(self);
        self.comment_lines(&comments.inner_end);
        self.indent -= 1;
        self.line("}", comments.trailing.as_deref());
    }
}

#[cfg(test)]
mod tests;
