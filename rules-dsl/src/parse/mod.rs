//! Text to syntax tree, with every syntax diagnostic.
//!
//! pest stops at the first error, so the file is first split into top-level items by a
//! lexical scan (`scan.rs`); each item is parsed on its own, so that every broken item is
//! reported and every good one kept. The scan also collects the comments, which pest skips,
//! and `lower` attaches them to the tree as it builds it.

mod comments;
mod context;
mod expected;
mod lower;
mod scan;
mod suggest;
mod syntax_error;
mod tokens;

use crate::ast::{Item, Node, RulesetFile, Span};
use crate::diagnostic::{self, Code, Diagnostic};
use crate::source::SourceFile;
use comments::CommentCursor;
use pest::Parser;

mod grammar {
    //! The pest parser generated from `grammar.pest`.
    #[derive(pest_derive::Parser)]
    #[grammar = "grammar.pest"]
    pub struct RulesetParser;
}

pub use grammar::Rule;

/// The result of parsing one file.
#[derive(Clone, Debug, Default)]
pub struct Parsed {
    /// The items that parsed (all of them when there are no errors).
    pub file: RulesetFile,
    /// Syntax diagnostics, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Items of which a ruleset has at most one.
const SINGLE_ITEMS: &[&str] = &["ruleset", "gpa", "graduation"];

/// Parses a ruleset file. Never panics, whatever the input.
pub fn parse(source: &SourceFile) -> Parsed {
    let text = source.text();
    let scanned = scan::scan(text);
    let mut diagnostics: Vec<Diagnostic> = scanned
        .junk
        .iter()
        .map(|span| syntax_error::junk(text, *span))
        .collect();
    let mut cursor = CommentCursor::new(text, scanned.comments);
    let mut items = Vec::new();
    // The first of each single item, to point at from a second one.
    let mut firsts: Vec<(&str, Span)> = Vec::new();
    for chunk in &scanned.chunks {
        let item = parse_chunk(text, chunk, &mut cursor, &mut diagnostics);
        if SINGLE_ITEMS.contains(&chunk.keyword) {
            if let Some((_, first)) = firsts.iter().find(|(k, _)| *k == chunk.keyword) {
                // Checked like any item, so that all its errors show, but not kept.
                diagnostics.push(duplicate_item(chunk.keyword, chunk.keyword_span, *first));
                continue;
            }
            firsts.push((chunk.keyword, chunk.keyword_span));
        }
        items.extend(item);
    }
    if !scanned.chunks.iter().any(|c| c.keyword == "ruleset") {
        diagnostics.push(missing_header(&scanned.chunks));
    }
    let end_comments = cursor.rest();
    diagnostic::sort(&mut diagnostics);
    Parsed {
        file: RulesetFile {
            items,
            end_comments,
        },
        diagnostics,
    }
}

/// Parses and lowers one item; `None` when it has errors that leave it out.
fn parse_chunk(
    text: &str,
    chunk: &scan::Chunk,
    cursor: &mut CommentCursor<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Node<Item>> {
    diagnostics.extend(chunk.lexical_errors.iter().cloned());
    if let Some(at) = chunk.too_deep {
        diagnostics.push(syntax_error::too_deep(text, at));
        return None;
    }
    if chunk.unpatchable {
        return None;
    }
    let parsed = match &chunk.patched {
        Some(patched) => patched.as_str(),
        None => text.get(chunk.start..chunk.end)?,
    };
    match grammar::RulesetParser::parse(Rule::item_only, parsed) {
        Err(error) => {
            diagnostics.push(syntax_error::syntax_error(&error, chunk, parsed, text));
            None
        }
        // The patched text is valid but not what was written: report, do not keep.
        Ok(_) if !chunk.lexical_errors.is_empty() => None,
        Ok(pairs) => {
            let (item, found) = lower::lower_item(pairs, chunk.start, cursor);
            diagnostics.extend(found);
            item
        }
    }
}

fn duplicate_item(keyword: &str, span: Span, first: Span) -> Diagnostic {
    let what = match keyword {
        "ruleset" => "ruleset header",
        "gpa" => "gpa policy",
        _ => "graduation block",
    };
    Diagnostic::new(
        Code::DuplicateItem,
        span,
        format!("a ruleset has one {what}; this is a second `{keyword}`"),
    )
    .with_label(format!("second `{keyword}`"))
    .with_related(first, "first given here")
    .with_help(if keyword == "ruleset" {
        "a file holds one ruleset; remove one header, or put each ruleset in a file of its own"
            .to_string()
    } else {
        format!("merge the two `{keyword}` blocks into one")
    })
}

fn missing_header(chunks: &[scan::Chunk]) -> Diagnostic {
    let span = chunks.first().map_or(Span::new(0, 0), |c| c.keyword_span);
    Diagnostic::new(Code::MissingHeader, span, "the file has no `ruleset` header")
        .with_label("expected the ruleset header before this")
        .with_help(
            "start the file with `ruleset \"school/programme\" version \"2026.1\" { title \"...\" effective 2026-09-01 }`",
        )
}

#[cfg(test)]
mod tests;
