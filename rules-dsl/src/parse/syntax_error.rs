//! pest errors to readable E001 diagnostics.
//!
//! pest reports the furthest position at which a *rule* failed, which is not where the error
//! is when what failed further on was punctuation (`[90, 100] 4` fails at `4`, wanting `=>`).
//! So a refused chunk is parsed again with pest's error detail on, which tracks every token:
//! that gives the real position. What was expected there is then read from a parse of the
//! text up to that position followed by a character no rule accepts, so that every
//! alternative fails right there: the rules pest names and the punctuation it tried.

use super::context;
use super::expected::{describe, join_or};
use super::grammar::RulesetParser;
use super::scan::{Chunk, ITEM_KEYWORDS};
use super::suggest;
use super::tokens::token_end;
use super::Rule;
use crate::ast::Span;
use crate::diagnostic::{Code, Diagnostic};
use crate::parse::lower::shorten;
use pest::error::{ErrorVariant, InputLocation};
use pest::Parser;
use std::sync::{Mutex, PoisonError};

/// Punctuation worth naming when pest tried it.
const PUNCTUATION: &[&str] = &["{", "}", "(", ")", "[", "]", ",", "=>", ":"];

/// At most this many alternatives are listed in a message.
const MAX_LISTED: usize = 8;

/// pest's error detail is a process-wide switch, and tracking costs time on every parse, so
/// it is on only while a refused chunk is parsed again. Those parses take this lock, so no
/// one switches detail off under another: the messages do not depend on timing.
static DETAIL: Mutex<()> = Mutex::new(());

/// The E001 for a chunk pest refused. `parsed` is the text given to pest (the chunk's text,
/// perhaps with broken strings patched); `text` is the whole file.
pub(crate) fn syntax_error(
    error: &pest::error::Error<Rule>,
    chunk: &Chunk,
    parsed: &str,
    text: &str,
) -> Diagnostic {
    if let ErrorVariant::CustomError { .. } = error.variant {
        // pest's own limits (stack, calls): only reachable through deep nesting.
        let found = found_token(text, chunk.start + location(error).min(parsed.len()));
        return Diagnostic::new(Code::Syntax, found.span, "nesting too deep")
            .with_label("too deeply nested to read")
            .with_help("split the expression, or drop redundant parentheses and operators");
    }
    let (pos, expected) = {
        let _guard = DETAIL.lock().unwrap_or_else(PoisonError::into_inner);
        pest::set_error_detail(true);
        let found = expected_at_error(error, parsed);
        pest::set_error_detail(false);
        found
    };
    let found = found_token(text, chunk.start + pos);
    let help = context::help(chunk.keyword, parsed, pos);
    let keywords = expected
        .iter()
        .filter_map(|e| e.strip_prefix('`')?.strip_suffix('`'))
        .filter(|k| {
            k.chars()
                .all(|c| c.is_ascii_lowercase() || c == '-' || c == ' ')
        });
    let suggestion = found
        .word
        .as_deref()
        .and_then(|w| suggest::closest(w, keywords))
        .map(str::to_string);
    let mut listed = expected;
    listed.truncate(MAX_LISTED);
    let list = join_or(&listed);
    let message = if listed.is_empty() {
        format!("unexpected {}", found.words)
    } else {
        format!("expected {list}, found {}", found.words)
    };
    let full_width = text
        .get(found.span.range())
        .and_then(|t| t.chars().next())
        .and_then(|c| Some((c, ascii_for(c)?)));
    let label = match (full_width, suggestion) {
        (Some((wide, ascii)), _) => format!("full-width `{wide}`: write `{ascii}`"),
        (None, Some(keyword)) => format!("did you mean `{keyword}`?"),
        (None, None) if !listed.is_empty() && listed.len() <= 3 => format!("expected {list}"),
        (None, None) => "not expected here".to_string(),
    };
    Diagnostic::new(Code::Syntax, found.span, message)
        .with_label(label)
        .with_help(help)
}

fn location<R>(error: &pest::error::Error<R>) -> usize {
    match error.location {
        InputLocation::Pos(pos) => pos,
        InputLocation::Span((start, _)) => start,
    }
}

/// Where in `parsed` the error is, and what was expected there, in words.
fn expected_at_error(error: &pest::error::Error<Rule>, parsed: &str) -> (usize, Vec<String>) {
    let furthest = match RulesetParser::parse(Rule::item_only, parsed) {
        Err(e) => e.parse_attempts().map_or(location(&e), |a| a.max_position),
        Ok(_) => location(error),
    }
    .max(location(error))
    .min(parsed.len());
    // Inside a word (`intox` fails at `x`): the error is the whole word.
    let start = word_start(parsed, furthest);
    if start < furthest {
        return (start, expected_at(parsed, start));
    }
    let expected = expected_at(parsed, furthest);
    // Right after a word, with nothing nameable wanted there (`50` where a percentage was
    // wanted fails after `50`, wanting `%`): the word itself is what is wrong.
    let start = parsed
        .get(..furthest)
        .and_then(|before| before.char_indices().next_back())
        .filter(|(_, c)| is_word_char(*c))
        .map_or(furthest, |(last, _)| word_start(parsed, last));
    if expected.is_empty() && start < furthest {
        return (start, expected_at(parsed, start));
    }
    (furthest, expected)
}

/// What pest would accept at `pos`, in words: parses the text before `pos` followed by a
/// character no rule accepts, so that every alternative fails at `pos`.
fn expected_at(parsed: &str, pos: usize) -> Vec<String> {
    let Some(before) = parsed.get(..pos) else {
        return Vec::new();
    };
    let attempt = format!("{before}~");
    let Err(e) = RulesetParser::parse(Rule::item_only, &attempt) else {
        return Vec::new();
    };
    let mut expected = Vec::new();
    if let Some(attempts) = e.parse_attempts() {
        for token in attempts.expected_tokens() {
            // Literal tokens display as written.
            let token = token.to_string();
            if PUNCTUATION.contains(&token.as_str()) {
                push_unique(&mut expected, format!("`{token}`"));
            } else if token == "^" {
                push_unique(&mut expected, "an operator".to_string());
            }
        }
    }
    // pest names the rules it tried at the furthest position a rule failed: here, only if
    // a rule was tried at `pos` at all.
    if location(&e) == pos {
        if let ErrorVariant::ParsingError { positives, .. } = &e.variant {
            for rule in positives {
                if let Some(words) = describe(*rule) {
                    push_unique(&mut expected, words);
                }
            }
        }
    }
    simplify(&mut expected);
    expected
}

/// What may start a condition or an expression is named as such, not listed.
fn simplify(expected: &mut Vec<String>) {
    let has = |list: &Vec<String>, item: &str| list.iter().any(|e| e == item);
    let (class, starts): (&str, &[&str]) = if has(expected, "a condition")
        || (has(expected, "`not`") && has(expected, "`has`"))
    {
        (
            "a condition",
            &[
                "`not`",
                "`has`",
                "`(`",
                "`-`",
                "`min`",
                "`max`",
                "`floor`",
                "`ceil`",
                "an identifier",
                "a number",
                "an expression",
            ],
        )
    } else if has(expected, "an expression") || (has(expected, "`min`") && has(expected, "`ceil`"))
    {
        (
            "an expression",
            &[
                "`(`",
                "`-`",
                "`min`",
                "`max`",
                "`floor`",
                "`ceil`",
                "an identifier",
                "a number",
            ],
        )
    } else {
        return;
    };
    let replaced = |e: &String| e == class || starts.contains(&e.as_str());
    let at = expected.iter().position(replaced).unwrap_or(expected.len());
    expected.retain(|e| !replaced(e));
    expected.insert(at.min(expected.len()), class.to_string());
}

/// The start of the word holding `pos` (pest may stop inside one: `intox` fails after
/// `into`, when `into` may not run on into more letters).
fn word_start(text: &str, pos: usize) -> usize {
    let Some(c) = text.get(pos..).and_then(|rest| rest.chars().next()) else {
        return pos;
    };
    if !is_word_char(c) {
        return pos;
    }
    let before = text.get(..pos).unwrap_or("");
    before
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word_char(*c))
        .last()
        .map_or(pos, |(i, _)| i)
}

/// Characters of words as the grammar reads them: identifiers (Chinese ones too), numbers,
/// dates, percentages. Not full-width punctuation, unlike the scanner's bytes.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '%')
}

/// The E001 for text between items that is not an item.
pub(crate) fn junk(text: &str, span: Span) -> Diagnostic {
    let found = found_token(text, span.start as usize);
    let label = match found
        .word
        .as_deref()
        .and_then(|w| suggest::closest(w, ITEM_KEYWORDS.iter().copied()))
    {
        Some(keyword) => format!("did you mean `{keyword}`?"),
        None => "not part of any item".to_string(),
    };
    Diagnostic::new(
        Code::Syntax,
        found.span,
        format!("expected an item, found {}", found.words),
    )
    .with_label(label)
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
    /// The token, when it is a word (a misspelt keyword, perhaps).
    word: Option<String>,
    /// `` `intox` ``, `` `"abc"` ``, `` `}` `` or `end of file`.
    words: String,
}

fn found_token(text: &str, at: usize) -> Found {
    let start = skip_blank(text, at);
    if start >= text.len() {
        return Found {
            span: Span::new(text.len(), text.len()),
            word: None,
            words: "end of file".to_string(),
        };
    }
    let mut end = token_end(text, start).max(start);
    // The scanner's words take in any non-ASCII character; here a word stops at punctuation
    // (`CS101，CS102` is `CS101`, `，` and `CS102`).
    if let Some(rest) = text.get(start..end) {
        let mut chars = rest.char_indices();
        if let Some((_, first)) = chars.next() {
            if is_word_char(first) {
                end = chars
                    .find(|(_, c)| !is_word_char(*c))
                    .map_or(end, |(i, _)| start + i);
            } else if !first.is_ascii() {
                end = start + first.len_utf8();
            }
        }
    }
    let written = text.get(start..end).unwrap_or("");
    let word = written
        .bytes()
        .all(|b| b.is_ascii_alphabetic() || b == b'-')
        .then(|| written.to_string());
    Found {
        span: Span::new(start, end),
        word,
        words: format!("`{}`", shorten(written)),
    }
}

/// The ASCII character a full-width one (typed with a Chinese input method) stands for.
fn ascii_for(c: char) -> Option<char> {
    Some(match c {
        '，' => ',',
        '：' => ':',
        '（' => '(',
        '）' => ')',
        '｛' => '{',
        '｝' => '}',
        '［' => '[',
        '］' => ']',
        '“' | '”' => '"',
        '％' => '%',
        '＝' => '=',
        '＞' => '>',
        '＜' => '<',
        '＃' => '#',
        _ => return None,
    })
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
