//! A learner as the splitter cut it out of the stream, not yet read, and the error of one
//! learner that could not be read.

use std::fmt;

use creditbank_engine::record::{self, LearnerRecord, RecordError};

use super::csv_long::CsvLearner;

/// One learner cut out of a cohort by the splitter, not yet parsed: parsing is the expensive
/// part, and [`RawLearner::parse`] may run on any thread.
#[derive(Clone, Debug)]
pub struct RawLearner {
    /// The line the learner starts on, from 1.
    pub line: usize,
    /// The column (in bytes, from 0) where the learner's text starts on that line: not 0 for
    /// an element of a JSON array that shares its line with `[`.
    pub(crate) column: usize,
    pub(crate) body: Body,
}

/// What the splitter found.
#[derive(Clone, Debug)]
pub(crate) enum Body {
    /// The text of one JSON value.
    Json(Vec<u8>),
    /// The text of one YAML document.
    Yaml(Vec<u8>),
    /// The CSV rows of one learner.
    Csv(CsvLearner),
    /// Text the splitter could already tell is not a learner record.
    Broken {
        learner: Option<String>,
        message: String,
    },
}

/// Why one learner of a cohort could not be read. The rest of the cohort is read on.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct ItemError {
    /// The line the learner starts on, from 1.
    pub line: usize,
    /// The learner's id, when it could be recovered from the broken text.
    pub learner: Option<String>,
    /// What is wrong, naming the field (or the line and column of a syntax error).
    pub message: String,
}

impl fmt::Display for ItemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.learner {
            Some(id) => write!(f, "line {} (learner {id}): {}", self.line, self.message),
            None => write!(f, "line {}: {}", self.line, self.message),
        }
    }
}

impl RawLearner {
    pub(crate) fn new(line: usize, body: Body) -> Self {
        RawLearner {
            line,
            column: 0,
            body,
        }
    }

    pub(crate) fn broken(line: usize, learner: Option<String>, message: String) -> Self {
        RawLearner::new(line, Body::Broken { learner, message })
    }

    /// Reads and validates the learner, exactly as a single record is
    /// (`creditbank_engine::record::from_json` / `from_yaml`, or for CSV the same validation).
    pub fn parse(&self) -> Result<LearnerRecord, ItemError> {
        match &self.body {
            Body::Json(bytes) => {
                let text = self.text(bytes, json_learner)?;
                record::from_json(text).map_err(|e| self.record_error(e, || json_learner(bytes)))
            }
            Body::Yaml(bytes) => {
                let text = self.text(bytes, yaml_learner)?;
                record::from_yaml(text).map_err(|e| self.record_error(e, || yaml_learner(bytes)))
            }
            Body::Csv(rows) => rows.parse(self.line),
            Body::Broken { learner, message } => Err(ItemError {
                line: self.line,
                learner: learner.clone(),
                message: message.clone(),
            }),
        }
    }

    /// The learner's id as a cheap scan of the raw text finds it, without reading the record:
    /// for reports about a learner that could not be read.
    pub fn learner_hint(&self) -> Option<String> {
        match &self.body {
            Body::Json(bytes) => json_learner(bytes),
            Body::Yaml(bytes) => yaml_learner(bytes),
            Body::Csv(rows) => rows.learner(),
            Body::Broken { learner, .. } => learner.clone(),
        }
    }

    /// The raw bytes as text, or where they are not UTF-8.
    ///
    /// Checked with SIMD instructions (`simdutf8`), several times faster than the standard
    /// check on text with Chinese in it; only text that fails is checked again the standard
    /// way, for the position of its first bad byte.
    fn text<'a>(
        &self,
        bytes: &'a [u8],
        learner: fn(&[u8]) -> Option<String>,
    ) -> Result<&'a str, ItemError> {
        simdutf8::basic::from_utf8(bytes)
            .or_else(|_| std::str::from_utf8(bytes))
            .map_err(|e| {
                let (line, column) = position(bytes, e.valid_up_to());
                ItemError {
                    line: self.line,
                    learner: learner(bytes),
                    message: format!(
                        "invalid UTF-8 {}",
                        self.at(line, column + usize::from(line == 1) * self.column)
                    ),
                }
            })
    }

    /// `at column C` on the learner's own first line, else `at line L, column C`, both counted
    /// in the whole input.
    fn at(&self, line: usize, column: usize) -> String {
        let absolute = self.line + line - 1;
        if absolute == self.line && self.column == 0 {
            format!("at column {column}")
        } else {
            format!("at line {absolute}, column {column}")
        }
    }

    fn record_error(&self, error: RecordError, scan: impl FnOnce() -> Option<String>) -> ItemError {
        let learner = error.learner().map(str::to_owned).or_else(scan);
        let message = match &error {
            RecordError::Syntax {
                line,
                column,
                message,
                ..
            } => {
                let column = if *line == 1 {
                    column + self.column
                } else {
                    *column
                };
                format!("syntax error {}: {message}", self.at(*line, column))
            }
            RecordError::Invalid { path, message, .. } if path.is_empty() => message.clone(),
            RecordError::Invalid { path, message, .. } => format!("{path}: {message}"),
        };
        ItemError {
            line: self.line,
            learner,
            message,
        }
    }
}

/// Line and column (from 1) of byte `offset`.
fn position(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = 1 + before.iter().filter(|b| **b == b'\n').count();
    let column = 1 + before.iter().rev().take_while(|b| **b != b'\n').count();
    (line, column)
}

/// The longest learner id a scan reports; longer text is not an id.
const ID_LIMIT: usize = 256;

/// The learner's id from JSON text that may be broken: the string after the first
/// `"learner"` key. An id with escapes in it is left to the real reader.
pub(crate) fn json_learner(bytes: &[u8]) -> Option<String> {
    let key = b"\"learner\"";
    let at = bytes.windows(key.len()).position(|w| w == key)?;
    let rest = skip_blanks(&bytes[at + key.len()..]);
    let rest = skip_blanks(rest.strip_prefix(b":")?);
    let rest = rest.strip_prefix(b"\"")?;
    // A string cut short by a line break (where the splitter found it broken) still names
    // the learner.
    let rest = &rest[..rest.len().min(ID_LIMIT)];
    let end = rest
        .iter()
        .position(|b| *b == b'"' || *b == b'\n')
        .unwrap_or(rest.len());
    let id = &rest[..end];
    if id.contains(&b'\\') || id.is_empty() {
        return None;
    }
    Some(String::from_utf8_lossy(id).into_owned())
}

/// The learner's id from YAML text that may be broken: the value of a top-level `learner:`
/// line, quotes and a trailing comment removed.
pub(crate) fn yaml_learner(bytes: &[u8]) -> Option<String> {
    let line = bytes
        .split(|b| *b == b'\n')
        .find_map(|line| line.strip_prefix(b"learner:"))?;
    let value = String::from_utf8_lossy(line);
    let value = value.trim();
    let id = match value.chars().next() {
        Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or(""),
        _ => value.split(" #").next().unwrap_or("").trim_end(),
    };
    (!id.is_empty() && id.len() <= ID_LIMIT).then(|| id.to_owned())
}

fn skip_blanks(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    &bytes[start..]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn an_item_error_names_the_line_and_the_learner() {
        let e = ItemError {
            line: 17,
            learner: Some("2026010017".into()),
            message: "term: terms count from 1, not 0".into(),
        };
        assert_eq!(
            e.to_string(),
            "line 17 (learner 2026010017): term: terms count from 1, not 0"
        );
        let e = ItemError { learner: None, ..e };
        assert_eq!(e.to_string(), "line 17: term: terms count from 1, not 0");
    }

    #[test]
    fn ids_are_found_in_broken_text() {
        assert_eq!(
            json_learner(br#"{"program": "x", "learner" : "2026010001", "term": }"#),
            Some("2026010001".into())
        );
        assert_eq!(json_learner(br#"{"learner": 12}"#), None);
        assert_eq!(json_learner(br#"{"learner": "a\"b"}"#), None);
        assert_eq!(
            json_learner(b"{\"learner\": \"\xff\xfe\"}"),
            Some("\u{fffd}\u{fffd}".into())
        );
        assert_eq!(
            yaml_learner(b"program: x\nlearner: \"2026010002\" # id\nterm: [\n"),
            Some("2026010002".into())
        );
        assert_eq!(
            yaml_learner(b"learner: 2026010003 # id\n"),
            Some("2026010003".into())
        );
        assert_eq!(yaml_learner(b"  learner: nested\n"), None);
    }

    #[test]
    fn a_syntax_error_is_placed_in_the_whole_input() {
        let raw = RawLearner::new(
            40,
            Body::Json(b"{\n\"learner\": \"x\",\n\"term\": }".to_vec()),
        );
        let e = raw.parse().unwrap_err();
        assert_eq!(e.line, 40);
        assert_eq!(e.learner.as_deref(), Some("x"));
        assert!(
            e.message.starts_with("syntax error at line 42, column"),
            "{e}"
        );

        let raw = RawLearner::new(7, Body::Json(b"{\"learner\": \"y\", \"term\": }".to_vec()));
        let e = raw.parse().unwrap_err();
        assert!(e.message.starts_with("syntax error at column 26"), "{e}");
    }

    #[test]
    fn invalid_utf8_is_reported_where_it_stands() {
        let raw = RawLearner::new(
            3,
            Body::Json(b"{\"learner\": \"z\", \"x\": \"\xff\"}".to_vec()),
        );
        let e = raw.parse().unwrap_err();
        assert_eq!(
            e.to_string(),
            "line 3 (learner z): invalid UTF-8 at column 24"
        );
    }

    proptest! {
        /// The SIMD check takes exactly the text the standard check takes, and a refusal
        /// carries the standard check's position: over text cut from Chinese and ASCII at
        /// any byte, with bytes that are never UTF-8 spliced in.
        #[test]
        fn text_is_taken_exactly_when_the_standard_check_takes_it(
            pieces in proptest::collection::vec(
                prop_oneof![
                    Just("通过合格".as_bytes().to_vec()),
                    "[a-z0-9\"{}:, ]{0,40}".prop_map(String::into_bytes),
                    proptest::collection::vec(0x80u8..=0xff, 1..3),
                ],
                0..12,
            ),
            cut in 0usize..200,
        ) {
            let mut bytes: Vec<u8> = pieces.concat();
            bytes.truncate(bytes.len().saturating_sub(cut % 4));
            let raw = RawLearner::new(1, Body::Json(Vec::new()));
            let ours = raw.text(&bytes, |_| None);
            match std::str::from_utf8(&bytes) {
                Ok(text) => prop_assert_eq!(ours.ok(), Some(text)),
                Err(e) => {
                    let error = ours.expect_err("the standard check refuses it");
                    let (line, column) = position(&bytes, e.valid_up_to());
                    prop_assert_eq!(
                        error.message,
                        format!("invalid UTF-8 {}", raw.at(line, column))
                    );
                }
            }
        }
    }
}
