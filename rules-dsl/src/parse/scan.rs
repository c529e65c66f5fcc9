//! A lexical pass over the whole file, before pest sees any of it.
//!
//! pest stops at the first error and treats comments as silent, so this pass does what it
//! cannot: it finds every comment (for attaching to the tree), splits the file into top-level
//! items (so that one broken item does not hide the errors of the next), and reports the
//! lexical errors of strings (unterminated strings, invalid escapes) once each. For a chunk
//! with such an error it also builds a patched copy of the chunk's text, of the same length,
//! in which the broken strings are made valid, so that pest can still report the chunk's
//! other syntax error, if it has one, at the right offset.

use super::tokens::{char_len, is_wide_space_at, is_word_byte, token_end, word_end};
use crate::ast::Span;
use crate::diagnostic::{Code, Diagnostic};

/// The keywords that start a top-level item.
pub(crate) const ITEM_KEYWORDS: &[&str] = &[
    "ruleset",
    "categories",
    "scale",
    "gpa",
    "catalog",
    "institutions",
    "kind",
    "convert",
    "cap",
    "review",
    "warning",
    "graduation",
    "program",
    "certificate",
];

/// Brackets nested deeper than this are refused: deep nesting would overflow the stack of
/// the recursive descent (pest's and ours).
pub(crate) const MAX_NESTING: usize = 64;

/// Prefix operators (`not`, `-`) in a row beyond this count are refused for the same reason.
const MAX_PREFIX_RUN: usize = 64;

/// More `^` than this in one item is refused: `^` is right-associative, so pest recurses once
/// per operator.
const MAX_POWERS: usize = 256;

/// A line comment: where its `//` starts, and the text after `//` without trailing spaces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Comment {
    /// Byte offset of the first `/`.
    pub offset: usize,
    /// Byte offset of the end of its line (the `\n`, or the end of the text).
    pub end: usize,
    /// The text after `//`, trailing whitespace trimmed.
    pub text: String,
}

/// One top-level item's text, as found by the scanner.
#[derive(Clone, Debug)]
pub(crate) struct Chunk {
    /// Byte offset of the item keyword.
    pub start: usize,
    /// Byte offset one past the item's last byte.
    pub end: usize,
    /// The item keyword (one of [`ITEM_KEYWORDS`]).
    pub keyword: &'static str,
    /// Span of the keyword.
    pub keyword_span: Span,
    /// Where brackets or prefix operators first nest too deeply to parse safely.
    pub too_deep: Option<usize>,
    /// Lexical errors inside the chunk (each reported once, here).
    pub lexical_errors: Vec<Diagnostic>,
    /// The chunk's text with broken strings made valid, when it has lexical errors and they
    /// could all be patched; `None` when it needs no patch.
    pub patched: Option<String>,
    /// True when a lexical error could not be patched: pest would only repeat it.
    pub unpatchable: bool,
}

/// What the scanner found.
#[derive(Debug, Default)]
pub(crate) struct Scan {
    /// Every comment, in source order.
    pub comments: Vec<Comment>,
    /// The top-level items, in source order.
    pub chunks: Vec<Chunk>,
    /// Text between items that is not whitespace or comments: one span per run, covering
    /// its first token.
    pub junk: Vec<Span>,
}

/// A patch of the chunk text: the bytes at `at` (an absolute offset) become `with`.
struct Patch {
    at: usize,
    with: String,
}

/// How pest can be kept from tripping over a lexical error already reported.
enum Fix {
    /// Overwrite the broken text.
    Patch(Patch),
    /// pest accepts the text; only lowering would refuse it.
    NotNeeded,
    /// No same-length valid text exists (a lone `"` at the end of a line).
    Impossible,
}

struct Open {
    chunk: Chunk,
    patches: Vec<Patch>,
    seen_brace: bool,
    prefix_run: usize,
    powers: usize,
    /// The first item keyword at the start of a line inside the item's braces: where the
    /// item ends if its braces never balance.
    fallback_end: Option<usize>,
}

/// Scans `text`: once, in linear time, unless an item's braces never balance; then the
/// rest of the file is scanned again from where that item is cut short.
pub(crate) fn scan(text: &str) -> Scan {
    let mut scanner = Scanner {
        text,
        bytes: text.as_bytes(),
        out: Scan::default(),
        open: None,
        depth: 0,
        line_start: true,
        junk_open: false,
        eager: false,
    };
    let mut from = 0;
    while let Some(restart) = scanner.run(from) {
        from = restart;
    }
    scanner.out
}

struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    out: Scan,
    open: Option<Open>,
    depth: usize,
    /// True while only whitespace has been seen since the last line break.
    line_start: bool,
    /// True while inside a run of junk between items.
    junk_open: bool,
    /// Set once an item's braces never balanced: from then on every item keyword starting
    /// a line starts an item, so that the file is scanned at most twice, not once per item.
    eager: bool,
}

impl Scanner<'_> {
    /// Scans from `from` to the end. Returns where to scan again when the last item's braces
    /// never balanced: that item then ends at the first item keyword starting a line in it.
    fn run(&mut self, from: usize) -> Option<usize> {
        let mut i = from;
        self.line_start = true;
        self.depth = 0;
        while i < self.bytes.len() {
            let b = self.bytes[i];
            match b {
                b'\n' => {
                    self.line_start = true;
                    i += 1;
                }
                b' ' | b'\t' | b'\r' => i += 1,
                b'/' if self.bytes.get(i + 1) == Some(&b'/') => {
                    i = self.comment(i);
                }
                b'"' => {
                    self.token(i, false);
                    i = self.string(i);
                    self.line_start = false;
                }
                _ if is_wide_space_at(self.bytes, i) => i += 3,
                _ if is_word_byte(b) && b != b'-' => {
                    let end = word_end(self.bytes, i);
                    self.word(i, end);
                    self.line_start = false;
                    i = end;
                }
                _ => {
                    self.punct(i, b);
                    self.line_start = false;
                    i += char_len(self.text, i);
                }
            }
        }
        let cut = self
            .open
            .as_ref()
            .filter(|open| self.depth > 0 || !open.seen_brace)
            .and_then(|open| open.fallback_end);
        let Some(cut) = cut else {
            self.close_chunk(self.bytes.len());
            return None;
        };
        // Forget what was found past the cut: the next run finds it again.
        if let Some(open) = &mut self.open {
            open.chunk
                .lexical_errors
                .retain(|d| (d.span.start as usize) < cut);
            open.patches.retain(|p| p.at < cut);
            if open.chunk.too_deep.is_some_and(|at| at >= cut) {
                open.chunk.too_deep = None;
            }
        }
        self.out.comments.retain(|c| c.offset < cut);
        self.close_chunk(cut);
        self.eager = true;
        Some(cut)
    }

    fn comment(&mut self, i: usize) -> usize {
        let end = self.bytes[i..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(self.bytes.len(), |p| i + p);
        let body = self.text.get(i + 2..end).unwrap_or("");
        self.out.comments.push(Comment {
            offset: i,
            end,
            text: body.trim_end().to_string(),
        });
        end
    }

    /// Scans a string starting at the quote at `i`; returns the offset after it.
    fn string(&mut self, start: usize) -> usize {
        let mut i = start + 1;
        while i < self.bytes.len() {
            match self.bytes[i] {
                b'"' => return i + 1,
                b'\n' => break,
                b'\\' => match self.escape(i) {
                    Some(next) => i = next,
                    None => break,
                },
                _ => i += 1,
            }
        }
        // No closing quote before the end of the line: the string runs to the line's end.
        let eol = self.bytes[i..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(self.bytes.len(), |p| i + p);
        let mut end = eol;
        if end > start + 1 && self.bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        let diagnostic = Diagnostic::new(
            Code::UnterminatedString,
            Span::new(start, end),
            "unterminated string",
        )
        .with_label("this string is never closed")
        .with_help("close the string with `\"`");
        let fix = if end - start >= 2 {
            let mut with = String::with_capacity(end - start);
            with.push('"');
            with.push_str(&" ".repeat(end - start - 2));
            with.push('"');
            Fix::Patch(Patch { at: start, with })
        } else {
            Fix::Impossible
        };
        self.lexical_error(diagnostic, fix);
        eol
    }

    /// Checks the escape whose backslash is at `i`; returns the offset after it, or `None`
    /// when the backslash ends the line (the string is then unterminated).
    fn escape(&mut self, i: usize) -> Option<usize> {
        let next = *self.bytes.get(i + 1)?;
        match next {
            b'"' | b'\\' | b'n' | b't' => return Some(i + 2),
            b'\n' | b'\r' => return None,
            b'u' => {
                if let Some(end) = self.unicode_escape(i) {
                    return Some(end);
                }
            }
            _ => {}
        }
        let len = 1 + char_len(self.text, i + 1);
        let written = self.text.get(i..i + len).unwrap_or("\\");
        let diagnostic = Diagnostic::new(
            Code::InvalidEscape,
            Span::new(i, i + len),
            format!("invalid escape `{written}` in string"),
        )
        .with_label("not a valid escape")
        .with_help("the escapes are `\\\"`, `\\\\`, `\\n`, `\\t` and `\\u{XXXX}`");
        // A space instead of the backslash leaves a valid string of the same length.
        let patch = Patch {
            at: i,
            with: " ".to_string(),
        };
        self.lexical_error(diagnostic, Fix::Patch(patch));
        Some(i + 1)
    }

    /// A well-formed `\u{...}` at `i`: its end if it names a character. One that names no
    /// character is reported here (pest accepts it) and its end returned; a malformed one
    /// returns `None` so that the caller reports it.
    fn unicode_escape(&mut self, i: usize) -> Option<usize> {
        if self.bytes.get(i + 2) != Some(&b'{') {
            return None;
        }
        let digits_start = i + 3;
        let mut j = digits_start;
        while j < self.bytes.len() && self.bytes[j].is_ascii_hexdigit() && j - digits_start < 6 {
            j += 1;
        }
        if j == digits_start || self.bytes.get(j) != Some(&b'}') {
            return None;
        }
        let digits = self.text.get(digits_start..j)?;
        let valid = u32::from_str_radix(digits, 16)
            .ok()
            .and_then(char::from_u32)
            .is_some();
        if !valid {
            let written = self.text.get(i..=j).unwrap_or("");
            let diagnostic = Diagnostic::new(
                Code::InvalidEscape,
                Span::new(i, j + 1),
                format!("invalid escape `{written}` in string"),
            )
            .with_label("not a unicode character")
            .with_help("`\\u{...}` takes the hexadecimal code of a character, e.g. `\\u{5B66}`");
            self.lexical_error(diagnostic, Fix::NotNeeded);
        }
        Some(j + 1)
    }

    fn lexical_error(&mut self, diagnostic: Diagnostic, fix: Fix) {
        // Inside junk between items the junk's own error covers the string.
        let Some(open) = &mut self.open else {
            return;
        };
        open.chunk.lexical_errors.push(diagnostic);
        match fix {
            Fix::Patch(patch) => open.patches.push(patch),
            Fix::NotNeeded => {}
            Fix::Impossible => open.chunk.unpatchable = true,
        }
    }

    fn word(&mut self, start: usize, end: usize) {
        let word = self.text.get(start..end).unwrap_or("");
        if let Some(&keyword) = ITEM_KEYWORDS.iter().find(|k| **k == word) {
            if self.starts_item(keyword, end) {
                self.close_chunk(start);
                self.open_chunk(keyword, start, end);
                return;
            }
            if self.line_start && self.looks_like_item(keyword, end) {
                if let Some(open) = &mut self.open {
                    open.fallback_end.get_or_insert(start);
                }
            }
        }
        self.token(start, word == "not");
    }

    /// Whether an item keyword here starts a new item: between items, and at the start of a
    /// line after an item that has not opened its block (`convert x` and no `{`).
    fn starts_item(&self, keyword: &str, end: usize) -> bool {
        match &self.open {
            // Inside the braces of junk (a misspelt item, say), only at the start of a line.
            None => self.depth == 0 || (self.line_start && self.looks_like_item(keyword, end)),
            Some(open) => {
                (self.eager || (!open.seen_brace && self.depth == 0))
                    && self.line_start
                    && self.looks_like_item(keyword, end)
            }
        }
    }

    /// Whether an item keyword at the start of a line starts an item rather than a clause:
    /// only `kind` is both, and the item is `kind ID "name"? {`.
    fn looks_like_item(&self, keyword: &str, end: usize) -> bool {
        if keyword != "kind" {
            return true;
        }
        let rest = self.text.get(end..).unwrap_or("");
        let rest = rest.trim_start_matches([' ', '\t']);
        let Some(id_len) = rest.find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
        else {
            return false;
        };
        if id_len == 0 {
            return false;
        }
        let mut rest = rest[id_len..].trim_start_matches([' ', '\t']);
        if let Some(name) = rest.strip_prefix('"') {
            let Some(close) = name.find(['"', '\n']) else {
                return false;
            };
            rest = name[close..]
                .trim_start_matches('"')
                .trim_start_matches([' ', '\t']);
        }
        rest.starts_with('{')
    }

    fn open_chunk(&mut self, keyword: &'static str, start: usize, end: usize) {
        self.junk_open = false;
        self.depth = 0;
        self.open = Some(Open {
            chunk: Chunk {
                start,
                end: start,
                keyword,
                keyword_span: Span::new(start, end),
                too_deep: None,
                lexical_errors: Vec::new(),
                patched: None,
                unpatchable: false,
            },
            patches: Vec::new(),
            seen_brace: false,
            prefix_run: 0,
            powers: 0,
            fallback_end: None,
        });
    }

    fn close_chunk(&mut self, end: usize) {
        let Some(open) = self.open.take() else {
            return;
        };
        let mut chunk = open.chunk;
        chunk.end = end.max(chunk.start);
        if !open.patches.is_empty() {
            chunk.patched = Some(apply_patches(self.text, &chunk, &open.patches));
        }
        self.out.chunks.push(chunk);
        self.depth = 0;
    }

    /// Any token but an item keyword: junk between items, or part of the open item.
    fn token(&mut self, at: usize, is_prefix: bool) {
        match &mut self.open {
            Some(open) => {
                if is_prefix {
                    open.prefix_run += 1;
                    if open.prefix_run > MAX_PREFIX_RUN {
                        open.chunk.too_deep.get_or_insert(at);
                    }
                } else {
                    open.prefix_run = 0;
                }
            }
            None => {
                if !self.junk_open {
                    self.junk_open = true;
                    let end = token_end(self.text, at);
                    self.out.junk.push(Span::new(at, end));
                }
            }
        }
    }

    fn punct(&mut self, at: usize, b: u8) {
        if self.open.is_none() {
            self.token(at, false);
            // Junk's brackets count too, so that a misspelt item is skipped whole.
            match b {
                b'{' | b'(' | b'[' => self.depth += 1,
                b'}' | b')' | b']' => self.depth = self.depth.saturating_sub(1),
                _ => {}
            }
            return;
        }
        // `- (- (...))`: an opening parenthesis keeps a run of prefix operators going.
        if b != b'(' {
            self.token(at, b == b'-');
        }
        let Some(open) = &mut self.open else {
            return;
        };
        match b {
            b'{' | b'(' | b'[' => {
                self.depth += 1;
                if self.depth > MAX_NESTING {
                    open.chunk.too_deep.get_or_insert(at);
                }
                if b == b'{' {
                    open.seen_brace = true;
                }
            }
            b'}' | b')' | b']' => {
                self.depth = self.depth.saturating_sub(1);
                if self.depth == 0 && b == b'}' && open.seen_brace {
                    self.close_chunk(at + 1);
                }
            }
            b'^' => {
                open.powers += 1;
                if open.powers > MAX_POWERS {
                    open.chunk.too_deep.get_or_insert(at);
                }
            }
            _ => {}
        }
    }
}

fn apply_patches(text: &str, chunk: &Chunk, patches: &[Patch]) -> String {
    let mut bytes = text.as_bytes()[chunk.start..chunk.end].to_vec();
    for patch in patches {
        let Some(at) = patch.at.checked_sub(chunk.start) else {
            continue;
        };
        if let Some(target) = bytes.get_mut(at..at + patch.with.len()) {
            target.copy_from_slice(patch.with.as_bytes());
        }
    }
    // Patches replace whole characters with ASCII of the same byte length, except where an
    // unterminated string's region is blanked; any leftover bytes are only ever inside it.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keywords(scan: &Scan) -> Vec<&'static str> {
        scan.chunks.iter().map(|c| c.keyword).collect()
    }

    #[test]
    fn splits_items_at_balanced_braces() {
        let text =
            "ruleset \"a\" version \"1\" { title \"t\" }\ncap x { on conversions at most 4 }\n";
        let scan = scan(text);
        assert_eq!(keywords(&scan), ["ruleset", "cap"]);
        assert_eq!(
            &text[scan.chunks[0].start..scan.chunks[0].end],
            "ruleset \"a\" version \"1\" { title \"t\" }"
        );
        assert!(scan.junk.is_empty());
    }

    #[test]
    fn unbalanced_braces_end_at_the_next_item_keyword_on_a_line() {
        let text = "convert x {\n  kind competition\n  credits by a { x => 1\n}\ncap y { on conversions at most 4 }\n";
        let scan = scan(text);
        assert_eq!(keywords(&scan), ["convert", "cap"]);
        assert!(text[scan.chunks[0].start..scan.chunks[0].end].ends_with("}\n"));
    }

    #[test]
    fn kind_clause_at_line_start_does_not_split() {
        let text = "convert x {\n  kind competition\n  (\n}\n";
        let scan = scan(text);
        assert_eq!(keywords(&scan), ["convert"]);
        let text = "convert r {\n  kind k // {\n  into c\n}\nconvert s {\n  kind k  into c  credits by a {\n  }\n}\n";
        assert_eq!(keywords(&super::scan(text)), ["convert", "convert"]);
    }

    #[test]
    fn many_unbalanced_items_are_scanned_in_linear_time() {
        let text = "convert x {\n  kind k\n".repeat(20_000);
        let start = std::time::Instant::now();
        let scan = scan(&text);
        assert_eq!(scan.chunks.len(), 20_000);
        assert!(start.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn balanced_braces_win_over_keywords_at_line_start() {
        let text = "kind k {\n  evidence\n    certificate \"证书\",\n    list \"名单\"\n}\n";
        assert_eq!(keywords(&scan(text)), ["kind"]);
    }

    #[test]
    fn an_item_without_a_block_ends_at_the_next_line_starting_an_item() {
        let text = "convert x \"n\"\n  kind competition\n}\ncap y { on conversions at most 4 }\n";
        let scan = scan(text);
        assert_eq!(keywords(&scan), ["convert", "cap"]);
    }

    #[test]
    fn unbalanced_items_are_cut_and_the_rest_scanned_again() {
        let text = "convert x {\n  kind k // c1\n  when \"a\\q\"\ncap y { on conversions // c2\n at most 4 }\nkind z {\n";
        let scan = scan(text);
        assert_eq!(keywords(&scan), ["convert", "cap", "kind"]);
        let texts: Vec<&str> = scan.comments.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, [" c1", " c2"]);
        assert_eq!(scan.chunks[0].lexical_errors.len(), 1);
        assert!(scan.chunks[1].lexical_errors.is_empty());
        assert_eq!(scan.chunks[2].end, text.len());
    }

    #[test]
    fn finds_comments_but_not_inside_strings() {
        let text = "// one\ncategories { a \"x // not\" // two  \n}\n";
        let scan = scan(text);
        let texts: Vec<&str> = scan.comments.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, [" one", " two"]);
        assert_eq!(scan.comments[1].offset, text.find("// two").unwrap());
    }

    #[test]
    fn junk_between_items_is_one_span_per_run() {
        let text = "foo bar\ncap x { on conversions at most 4 } }\n";
        let scan = scan(text);
        let junk: Vec<_> = scan.junk.iter().map(|s| s.range()).collect();
        let last = text.rfind('}').unwrap();
        assert_eq!(junk, vec![0..3, last..last + 1]);
    }

    #[test]
    fn unterminated_string_is_patched_to_the_same_length() {
        let text = "categories {\n  a \"abc\n}\n";
        let scan = scan(text);
        let chunk = &scan.chunks[0];
        assert_eq!(chunk.lexical_errors.len(), 1);
        assert_eq!(chunk.lexical_errors[0].code, Code::UnterminatedString);
        let patched = chunk.patched.as_deref().unwrap();
        assert_eq!(patched.len(), chunk.end - chunk.start);
        assert!(patched.contains("\"  \""));
    }

    #[test]
    fn invalid_escapes_are_reported_once_each() {
        let text = "categories { a \"x\\qy\\u{D800}\\u{5B66}\" }";
        let scan = scan(text);
        let errors = &scan.chunks[0].lexical_errors;
        let messages: Vec<&str> = errors.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "invalid escape `\\q` in string",
                "invalid escape `\\u{D800}` in string"
            ]
        );
    }

    #[test]
    fn deep_nesting_is_flagged() {
        let text = format!("convert x {{ when {}a{} }}", "(".repeat(70), ")".repeat(70));
        assert_eq!(
            scan(&text).chunks[0].too_deep,
            Some(text.find('(').unwrap() + 63)
        );
        let text = format!("convert x {{ credits {}1 }}", "- ".repeat(70));
        assert!(scan(&text).chunks[0].too_deep.is_some());
        let text = "convert x { when (((a))) }";
        assert!(scan(text).chunks[0].too_deep.is_none());
    }
}
