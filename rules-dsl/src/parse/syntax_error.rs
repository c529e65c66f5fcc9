//! pest errors to readable E001 diagnostics.
//!
//! pest names the rules it tried at the furthest position it reached, but not the
//! punctuation it tried there. So the punctuation is found by asking pest again: a token is
//! expected when, inserted at the error position, it lets pest get past that position.

use super::context;
use super::expected::{describe, join_or};
use super::grammar::RulesetParser;
use super::scan::{token_end, Chunk};
use super::Rule;
use crate::ast::Span;
use crate::diagnostic::{Code, Diagnostic};
use crate::parse::lower::shorten;
use pest::error::{ErrorVariant, InputLocation};
use pest::Parser;

/// Punctuation that may be missing: each is tried at the error position.
const PUNCTUATION: &[&str] = &["{", "}", "(", ")", "[", "]", ",", "=>", ":"];

/// At most this many alternatives are listed in a message.
const MAX_LISTED: usize = 8;

/// The E001 for a chunk pest refused. `parsed` is the text given to pest (the chunk's text,
/// perhaps with broken strings patched); `text` is the whole file.
pub(crate) fn syntax_error(
    error: &pest::error::Error<Rule>,
    chunk: &Chunk,
    parsed: &str,
    text: &str,
) -> Diagnostic {
    let pos = match error.location {
        InputLocation::Pos(pos) => pos,
        InputLocation::Span((start, _)) => start,
    }
    .min(parsed.len());
    let found = found_token(text, chunk.start + pos);
    let help = context::help(chunk.keyword, parsed, pos);
    let positives = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => positives.clone(),
        ErrorVariant::CustomError { .. } => {
            // pest's own limits (stack, calls): only reachable through deep nesting.
            return Diagnostic::new(Code::Syntax, found.span, "nesting too deep")
                .with_label("too deeply nested to read")
                .with_help("split the expression, or drop redundant parentheses and operators");
        }
    };
    let mut expected: Vec<String> = Vec::new();
    for token in probe(parsed, pos) {
        push_unique(&mut expected, format!("`{token}`"));
    }
    for rule in positives {
        if let Some(words) = describe(rule) {
            push_unique(&mut expected, words);
        }
    }
    expected.truncate(MAX_LISTED);
    let (message, label) = if expected.is_empty() {
        (
            format!("unexpected {}", found.words),
            "not expected here".to_string(),
        )
    } else {
        let list = join_or(&expected);
        let label = if expected.len() <= 3 {
            format!("expected {list}")
        } else {
            "not expected here".to_string()
        };
        (format!("expected {list}, found {}", found.words), label)
    };
    Diagnostic::new(Code::Syntax, found.span, message)
        .with_label(label)
        .with_help(help)
}

/// The E001 for text between items that is not an item.
pub(crate) fn junk(text: &str, span: Span) -> Diagnostic {
    let found = found_token(text, span.start as usize);
    Diagnostic::new(
        Code::Syntax,
        found.span,
        format!("expected an item, found {}", found.words),
    )
    .with_label("not part of any item")
    .with_help(context::BETWEEN_ITEMS)
}

/// The E001 for a chunk nested too deeply to parse.
pub(crate) fn too_deep(text: &str, at: usize) -> Diagnostic {
    let found = found_token(text, at);
    Diagnostic::new(Code::Syntax, found.span, "nesting too deep")
        .with_label(format!(
            "more than {} levels of brackets or operators",
            super::scan::MAX_NESTING
        ))
        .with_help("split the expression, or drop redundant parentheses and operators")
}

fn push_unique(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// The token found where something else was expected.
struct Found {
    span: Span,
    /// `` `intox` ``, `` `"abc"` ``, `` `}` `` or `end of file`.
    words: String,
}

fn found_token(text: &str, at: usize) -> Found {
    let start = skip_blank(text, at);
    if start >= text.len() {
        return Found {
            span: Span::new(text.len(), text.len()),
            words: "end of file".to_string(),
        };
    }
    let end = token_end(text, start).max(start);
    let written = text.get(start..end).unwrap_or("");
    Found {
        span: Span::new(start, end),
        words: format!("`{}`", shorten(written)),
    }
}

/// The first offset at or after `at` that is not whitespace or a comment, on a character
/// boundary.
fn skip_blank(text: &str, at: usize) -> usize {
    let mut i = at.min(text.len());
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    loop {
        let rest = text.get(i..).unwrap_or("");
        let trimmed = rest.trim_start_matches([' ', '\t', '\r', '\n', '\u{3000}', '\u{feff}']);
        i += rest.len() - trimmed.len();
        if trimmed.starts_with("//") {
            i += trimmed.find('\n').unwrap_or(trimmed.len());
        } else {
            return i;
        }
    }
}

/// The punctuation that pest would accept at `pos` of `parsed`.
fn probe(parsed: &str, pos: usize) -> Vec<&'static str> {
    let (Some(before), Some(after)) = (parsed.get(..pos), parsed.get(pos..)) else {
        return Vec::new();
    };
    PUNCTUATION
        .iter()
        .copied()
        .filter(|token| {
            let attempt = format!("{before}{token} {after}");
            match RulesetParser::parse(Rule::item_only, &attempt) {
                Ok(_) => true,
                Err(e) => {
                    let reached = match e.location {
                        InputLocation::Pos(p) => p,
                        InputLocation::Span((s, _)) => s,
                    };
                    reached >= pos + token.len()
                }
            }
        })
        .collect()
}
