//! Reading a record from JSON or YAML text, with errors that name the learner and the field.

use std::fmt;

use serde::de::{self, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer as _};

use super::{LearnerRecord, RecordError};

/// Reads and validates a learner record written in JSON.
pub fn from_json(text: &str) -> Result<LearnerRecord, RecordError> {
    // Most records are valid and of the usual shape: the direct reader reads them. The others
    // are read by serde, at first without tracking the path, which costs a third of the
    // reading, and again with it only to say where a broken one went wrong.
    if let Some(record) = super::direct::read(text) {
        record.validate_read(json_control_free(text))?;
        return Ok(record);
    }
    if let Ok(record) = serde_json::from_str::<LearnerRecord>(text) {
        record.validate_read(json_control_free(text))?;
        return Ok(record);
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let record = serde_path_to_error::deserialize::<_, LearnerRecord>(&mut de)
        .map_err(|e| json_error(text, path_string(e.path()), e.inner()))?;
    // Trailing text after the record is a syntax error, not something to ignore.
    de.end().map_err(|e| json_error(text, String::new(), &e))?;
    record.validate()?;
    Ok(record)
}

/// Whether JSON text certainly puts no control character (`char::is_control`) in any string
/// it holds. A JSON reader refuses the raw bytes below 0x20 in a string, so a string holds one
/// only through an escape (`\n`, `\u0085`) or as a raw U+007F or U+0080 to U+009F (bytes
/// `7F` and `C2 80` to `C2 9F`): text without a backslash, a `7F` or such a `C2` has none.
/// One vectorised search of the text for the three bytes costs less than looking at each
/// string.
pub(super) fn json_control_free(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(found) = bytes
        .get(from..)
        .and_then(|rest| memchr::memchr3(b'\\', 0x7f, 0xc2, rest))
    {
        let at = from + found;
        // `C2 A0` to `C2 BF` (U+00A0 to U+00BF: a no-break space, `°`, `·`) are no control.
        let control = bytes.get(at) != Some(&0xc2) || bytes.get(at + 1).is_some_and(|b| *b <= 0x9f);
        if control {
            return false;
        }
        from = at + 1;
    }
    true
}

/// Reads and validates a learner record already parsed as JSON (as a service receives it).
pub fn from_json_value(value: serde_json::Value) -> Result<LearnerRecord, RecordError> {
    let learner = value
        .get("learner")
        .and_then(serde_json::Value::as_str)
        .map(str::to_owned);
    let record = serde_path_to_error::deserialize::<_, LearnerRecord>(value).map_err(|e| {
        RecordError::Invalid {
            learner,
            path: path_string(e.path()),
            line: None,
            message: e.inner().to_string(),
        }
    })?;
    record.validate()?;
    Ok(record)
}

/// How deep YAML brackets may nest. A record needs four levels (record, list, item,
/// attributes); libyaml takes time quadratic in the depth of unclosed brackets, so text far
/// deeper than any record is refused before it reaches libyaml.
const MAX_FLOW_DEPTH: usize = 64;

/// Where the bracket nesting of YAML text first exceeds [`MAX_FLOW_DEPTH`] (line and column
/// from 1), skipping quoted text and comments. Brackets in plain text (`a[b`) count too: at
/// worst a text with dozens of them is refused, which no record holds.
fn too_deep(text: &str) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let (mut line, mut column) = (1, 0);
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut comment = false;
    // What came before: a quote opens a quoted scalar only where a value starts, so that the
    // apostrophe in `O'Brien` does not hide the brackets after it.
    let mut prev = ' ';
    for c in text.chars() {
        column += 1;
        if c == '\n' {
            line += 1;
            column = 0;
            comment = false;
            prev = ' ';
            // A quoted scalar may span lines; it goes on.
            continue;
        }
        if comment {
            continue;
        }
        match quote {
            Some('"') if escaped => escaped = false,
            Some('"') if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                // `''` inside single quotes is an escaped quote: the scalar goes on.
                '"' | '\'' if prev.is_whitespace() || "[{,:-?'".contains(prev) => {
                    quote = Some(c);
                }
                '#' if prev.is_whitespace() => comment = true,
                '[' | '{' => {
                    depth += 1;
                    if depth > MAX_FLOW_DEPTH {
                        return Some((line, column));
                    }
                }
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
        prev = c;
    }
    None
}

/// Reads and validates a learner record written in YAML.
pub fn from_yaml(text: &str) -> Result<LearnerRecord, RecordError> {
    if let Some((line, column)) = too_deep(text) {
        return Err(RecordError::Syntax {
            learner: yaml_learner_line(text),
            line,
            column,
            message: format!("brackets nested more than {MAX_FLOW_DEPTH} deep"),
        });
    }
    let mut documents = serde_yaml::Deserializer::from_str(text);
    // An empty text has no document; reading it as a whole gives the error to report.
    let first = documents
        .next()
        .unwrap_or_else(|| serde_yaml::Deserializer::from_str(text));
    let record = serde_path_to_error::deserialize::<_, LearnerRecord>(first)
        .map_err(|e| yaml_error(text, e.path(), e.inner()))?;
    if documents.next().is_some() {
        return Err(RecordError::Invalid {
            learner: Some(record.learner),
            path: String::new(),
            line: None,
            message: "the text holds more than one YAML document: a record is one document"
                .to_owned(),
        });
    }
    record.validate()?;
    Ok(record)
}

/// serde_path_to_error's path, with the root written as nothing rather than `.`.
fn path_string(path: &serde_path_to_error::Path) -> String {
    let path = path.to_string();
    if path == "." {
        String::new()
    } else {
        path
    }
}

fn json_error(text: &str, path: String, error: &serde_json::Error) -> RecordError {
    let learner = json_learner(text);
    let mut message = error.to_string();
    // serde_json appends the position to its message; we report it in fields of our own.
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    if let Some(bare) = message.strip_suffix(&suffix) {
        message = bare.to_owned();
    }
    match error.classify() {
        serde_json::error::Category::Data => RecordError::Invalid {
            learner,
            path,
            line: (error.line() > 0).then_some(error.line()),
            message,
        },
        _ => RecordError::Syntax {
            learner,
            line: error.line(),
            column: error.column(),
            message,
        },
    }
}

fn yaml_error(
    text: &str,
    path: &serde_path_to_error::Path,
    error: &serde_yaml::Error,
) -> RecordError {
    // serde_yaml does not say whether an error is one of syntax: the text is well-formed if
    // it reads as anything at all. Only the error path pays for this second reading.
    let well_formed = serde_yaml::Deserializer::from_str(text)
        .all(|document| IgnoredAny::deserialize(document).is_ok());
    let learner = yaml_learner(text, well_formed);
    let location = error.location();
    let mut message = error.to_string();
    if let Some(location) = &location {
        let suffix = format!(" at line {} column {}", location.line(), location.column());
        if let Some(bare) = message.strip_suffix(&suffix) {
            message = bare.to_owned();
        }
    }
    // serde_yaml puts its own path before the message; we have the path already.
    if let Some((head, tail)) = message.split_once(": ") {
        let is_path =
            !head.is_empty() && !head.contains(char::is_whitespace) && !head.contains('`');
        if is_path {
            message = tail.to_owned();
        }
    }
    match location {
        Some(location) if !well_formed => RecordError::Syntax {
            learner,
            line: location.line(),
            column: location.column(),
            message,
        },
        _ => RecordError::Invalid {
            learner,
            path: path_string(path),
            line: location.map(|l| l.line()),
            message,
        },
    }
}

/// The learner's id from YAML text that failed to read as a record: from the document when
/// it is well-formed, else from a top-level `learner:` line.
fn yaml_learner(text: &str, well_formed: bool) -> Option<String> {
    #[derive(Deserialize)]
    struct Probe {
        // serde_yaml reads any scalar as a string, an unquoted number id too.
        learner: Option<String>,
    }
    if well_formed {
        if let Ok(Some(Probe { learner: Some(id) })) = serde_yaml::Deserializer::from_str(text)
            .next()
            .map(Probe::deserialize)
            .transpose()
        {
            return Some(id);
        }
    }
    yaml_learner_line(text)
}

/// The learner's id from a top-level `learner:` line: a syntax error anywhere stops serde_yaml
/// reading any of the document. The value after the colon is read as a YAML scalar (quotes,
/// comments).
fn yaml_learner_line(text: &str) -> Option<String> {
    text.lines()
        .find_map(|line| line.strip_prefix("learner:"))
        // An id is short; a long line is not worth reading (and may nest deeply).
        .filter(|rest| rest.len() <= 256)
        .and_then(|rest| serde_yaml::from_str::<String>(rest).ok())
        .filter(|id| !id.is_empty())
}

/// The learner's id from JSON text that failed to read as a record: the top-level object is
/// read only as far as its `learner` key, so a syntax error after it does not hide it.
fn json_learner(text: &str) -> Option<String> {
    let mut found = None;
    let mut de = serde_json::Deserializer::from_str(text);
    // The probe stops with an error once it has the id; the result is of no interest.
    let _ = de.deserialize_map(LearnerProbe { found: &mut found });
    found
}

struct LearnerProbe<'a> {
    found: &'a mut Option<String>,
}

impl<'de> Visitor<'de> for LearnerProbe<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a learner record")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "learner" {
                if let Ok(id) = map.next_value::<String>() {
                    *self.found = Some(id);
                }
                return Err(de::Error::custom("stop"));
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::json_control_free;

    #[test]
    fn text_that_may_put_a_control_character_in_a_string_is_told_apart() {
        // Raw characters below U+0020 are left out: no JSON reader takes them in a string.
        for c in (0x20..0x3000).filter_map(char::from_u32) {
            let text = format!(r#"{{"a":"x{c}中","b":"{c}"}}"#);
            let may_hold = c.is_control() || c == '\\';
            assert_eq!(json_control_free(&text), !may_hold, "U+{:04X}", c as u32);
        }
        assert!(!json_control_free(r#"{"a":"\u0085"}"#));
        assert!(json_control_free(""));
    }
}
