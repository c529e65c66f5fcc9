//! A JSON array of learner records, cut into its elements without parsing them.
//!
//! The splitter reads byte by byte, following strings (and their escapes) and the nesting of
//! brackets, so that an element ends exactly where its closing bracket is; it never holds more
//! than one element. Records written one after another without the array around them are
//! read the same way.
//!
//! A broken element must not take the rest of the cohort with it. Two signs tell where it
//! ends even though its brackets do not:
//! - a line break inside a string (JSON strings cannot hold one): the element is broken,
//!   and reading resumes at the next line that starts a record (below);
//! - a line that starts with `{` at or left of the column where the open element started:
//!   arrays are written one record per line or pretty-printed, and in both a record's own
//!   nested objects stand further right. The open element was never closed; the new line
//!   starts the next record.

use std::io::{self, BufRead};

use super::format::BOM;
use super::raw::{json_learner, Body, RawLearner};
use super::MAX_LEARNER_BYTES;

/// Cuts a JSON array (or records one after another) into learners.
pub(crate) struct JsonArraySplitter<R> {
    reader: R,
    scanner: Scanner,
}

/// Where the scanner is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Before the first byte that is not blank.
    Start,
    /// Between elements (of the array, or of the sequence of records).
    Between,
    /// Inside an element.
    Element,
    /// Skipping what is left of a broken element, up to a line that starts a record.
    Resync,
    /// After the array's `]`: only blanks may follow.
    After,
    /// Nothing more to read.
    Done,
}

/// What one byte did.
enum Step {
    /// Nothing to hand out yet; the byte is used.
    Continue,
    /// A learner ends with this byte (the byte is used).
    EmitAfter(RawLearner),
    /// A learner ended before this byte, which must be looked at again.
    EmitBefore(RawLearner),
}

struct Scanner {
    phase: Phase,
    /// True inside `[...]`; false for records written one after another.
    array: bool,
    /// The line of the next byte, from 1.
    line: usize,
    /// The column of the next byte, from 0, in bytes.
    column: usize,
    /// Only blanks so far on this line.
    blank_line: bool,
    element: Element,
    /// The column of the broken element whose rest is being skipped.
    resync_column: usize,
    started: bool,
    /// Whether runs that need no decision are taken in one piece (off only to test that
    /// doing so changes nothing).
    fast: bool,
}

#[derive(Default)]
struct Element {
    bytes: Vec<u8>,
    line: usize,
    column: usize,
    /// The element's first byte was the first on its line that is not blank.
    starts_line: bool,
    /// The open brackets.
    stack: Vec<u8>,
    in_string: bool,
    escaped: bool,
    /// A number, `true`, `false` or `null`: ends at a blank, `,` or a bracket.
    scalar: bool,
}

impl<R: BufRead> JsonArraySplitter<R> {
    pub fn new(reader: R) -> Self {
        JsonArraySplitter {
            reader,
            scanner: Scanner {
                phase: Phase::Start,
                array: false,
                line: 1,
                column: 0,
                blank_line: true,
                element: Element::default(),
                resync_column: 0,
                started: false,
                fast: true,
            },
        }
    }

    pub fn next_learner(&mut self) -> io::Result<Option<RawLearner>> {
        let JsonArraySplitter { reader, scanner } = self;
        loop {
            if scanner.phase == Phase::Done {
                return Ok(None);
            }
            let available = match reader.fill_buf() {
                Ok(available) => available,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if !scanner.started {
                scanner.started = true;
                if available.starts_with(BOM) {
                    reader.consume(BOM.len());
                    continue;
                }
            }
            if available.is_empty() {
                return Ok(scanner.end_of_input());
            }
            let mut used = 0;
            let mut out = None;
            while used < available.len() {
                // Most of a record needs no decision: taken in one piece.
                let (taken, broken) = scanner.take_plain(&available[used..]);
                used += taken;
                if broken.is_some() {
                    out = broken;
                    break;
                }
                if taken > 0 {
                    continue;
                }
                let byte = available[used];
                match scanner.step(byte) {
                    Step::Continue => {
                        scanner.advance(byte);
                        used += 1;
                    }
                    Step::EmitAfter(learner) => {
                        scanner.advance(byte);
                        used += 1;
                        out = Some(learner);
                        break;
                    }
                    Step::EmitBefore(learner) => {
                        out = Some(learner);
                        break;
                    }
                }
            }
            reader.consume(used);
            if out.is_some() {
                return Ok(out);
            }
        }
    }
}

impl Scanner {
    /// Takes as much of `bytes` as belongs to the open element without anything to decide:
    /// strings, nested brackets, everything up to a line break, or to the bracket that closes
    /// the element (or does not match). Returns how many bytes it took, and the element,
    /// broken, if they make it too long. Only inside brackets, past the first byte of a line
    /// that is not blank, where a bracket cannot start a record.
    fn take_plain(&mut self, bytes: &[u8]) -> (usize, Option<RawLearner>) {
        // A string or a scalar at the top ends by itself: the slow path sees where.
        let nested = !self.element.stack.is_empty();
        if !self.fast || self.phase != Phase::Element || !nested || self.blank_line {
            return (0, None);
        }
        let e = &mut self.element;
        let mut taken = 0;
        for &byte in bytes {
            if byte == b'\n' {
                break;
            }
            if e.in_string {
                if e.escaped {
                    e.escaped = false;
                } else if byte == b'\\' {
                    e.escaped = true;
                } else if byte == b'"' {
                    e.in_string = false;
                }
            } else {
                match byte {
                    b'"' => e.in_string = true,
                    b'{' | b'[' => e.stack.push(byte),
                    b'}' | b']' => {
                        let opening = if byte == b'}' { b'{' } else { b'[' };
                        if e.stack.len() <= 1 || e.stack.last() != Some(&opening) {
                            break;
                        }
                        e.stack.pop();
                    }
                    _ => {}
                }
            }
            taken += 1;
        }
        e.bytes.extend_from_slice(&bytes[..taken]);
        self.column += taken;
        if self.element.bytes.len() > MAX_LEARNER_BYTES {
            return (taken, Some(self.broken_here(&too_long_message(), true)));
        }
        (taken, None)
    }

    /// Moves the position past `byte`.
    fn advance(&mut self, byte: u8) {
        if byte == b'\n' {
            self.line += 1;
            self.column = 0;
            self.blank_line = true;
        } else {
            self.column += 1;
            if !byte.is_ascii_whitespace() {
                self.blank_line = false;
            }
        }
    }

    fn step(&mut self, byte: u8) -> Step {
        let first_on_line = self.blank_line && !byte.is_ascii_whitespace();
        match self.phase {
            Phase::Start => {
                if byte.is_ascii_whitespace() {
                    return Step::Continue;
                }
                match byte {
                    b'[' => {
                        self.array = true;
                        self.phase = Phase::Between;
                        Step::Continue
                    }
                    b'{' => {
                        self.array = false;
                        self.begin(byte, first_on_line);
                        Step::Continue
                    }
                    _ => {
                        self.phase = Phase::Done;
                        Step::EmitAfter(RawLearner::broken(
                            self.line,
                            None,
                            format!(
                                "a JSON cohort is an array of learner records (`[{{...}}, \
                                 {{...}}]`) or records one after another, but this text \
                                 starts with `{}`",
                                char::from(byte).escape_default()
                            ),
                        ))
                    }
                }
            }
            Phase::Between => match byte {
                // Commas are separators: one too many or too few does not lose a learner.
                b',' => Step::Continue,
                _ if byte.is_ascii_whitespace() => Step::Continue,
                b']' if self.array => {
                    self.phase = Phase::After;
                    Step::Continue
                }
                b'}' | b']' => Step::EmitAfter(RawLearner::broken(
                    self.line,
                    None,
                    format!(
                        "`{}` at line {} closes no bracket",
                        char::from(byte),
                        self.line
                    ),
                )),
                _ => {
                    self.begin(byte, first_on_line);
                    Step::Continue
                }
            },
            Phase::Element => self.in_element(byte, first_on_line),
            Phase::Resync => {
                if first_on_line && self.column <= self.resync_column {
                    match byte {
                        b'{' => {
                            self.begin(byte, true);
                            return Step::Continue;
                        }
                        b']' if self.array => {
                            self.phase = Phase::After;
                            return Step::Continue;
                        }
                        _ => {}
                    }
                }
                Step::Continue
            }
            Phase::After => {
                if byte.is_ascii_whitespace() {
                    Step::Continue
                } else {
                    self.phase = Phase::Done;
                    Step::EmitAfter(RawLearner::broken(
                        self.line,
                        None,
                        "text after the `]` that ends the array".to_owned(),
                    ))
                }
            }
            Phase::Done => Step::Continue,
        }
    }

    /// Starts an element with its first byte.
    fn begin(&mut self, byte: u8, first_on_line: bool) {
        self.phase = Phase::Element;
        let capacity = self.element.bytes.capacity().max(256);
        self.element = Element {
            bytes: Vec::with_capacity(capacity),
            line: self.line,
            column: self.column,
            starts_line: first_on_line,
            ..Element::default()
        };
        let e = &mut self.element;
        e.bytes.push(byte);
        match byte {
            b'{' | b'[' => e.stack.push(byte),
            b'"' => e.in_string = true,
            _ => e.scalar = true,
        }
    }

    fn in_element(&mut self, byte: u8, first_on_line: bool) -> Step {
        let e = &mut self.element;
        if e.in_string {
            // A line break cannot be in a string, escaped or not.
            if byte == b'\n' {
                return self.broken("a string is not closed before the end of its line", true);
            } else if e.escaped {
                e.escaped = false;
            } else if byte == b'\\' {
                e.escaped = true;
            } else if byte == b'"' {
                e.in_string = false;
            }
            e.bytes.push(byte);
            if !e.in_string && e.stack.is_empty() {
                return Step::EmitAfter(self.finish());
            }
            return self.check_size();
        }
        if e.scalar {
            if byte.is_ascii_whitespace() || matches!(byte, b',' | b']' | b'}' | b'[' | b'{') {
                return Step::EmitBefore(self.finish());
            }
            e.bytes.push(byte);
            return self.check_size();
        }
        // An open element, and a line that starts a record or closes the array where only a
        // record of the outer level could: the open element was never closed.
        if first_on_line && e.starts_line && self.column <= e.column {
            let closes_array = byte == b']' && self.array && e.stack.last() != Some(&b'[');
            if byte == b'{' || closes_array {
                let line = self.line;
                return Step::EmitBefore(self.broken_here(
                    &format!("the record is not closed before line {line}"),
                    false,
                ));
            }
        }
        match byte {
            b'{' | b'[' => e.stack.push(byte),
            b'}' | b']' => {
                let opening = if byte == b'}' { b'{' } else { b'[' };
                if e.stack.pop() != Some(opening) {
                    let line = self.line;
                    return self.broken(
                        &format!(
                            "`{}` at line {line} does not close the bracket before it",
                            char::from(byte)
                        ),
                        true,
                    );
                }
            }
            b'"' => e.in_string = true,
            _ => {}
        }
        e.bytes.push(byte);
        if e.stack.is_empty() {
            return Step::EmitAfter(self.finish());
        }
        self.check_size()
    }

    fn check_size(&mut self) -> Step {
        if self.element.bytes.len() > MAX_LEARNER_BYTES {
            return self.broken(&too_long_message(), true);
        }
        Step::Continue
    }

    /// The element is complete.
    fn finish(&mut self) -> RawLearner {
        self.phase = Phase::Between;
        let e = std::mem::take(&mut self.element);
        let mut learner = RawLearner::new(e.line, Body::Json(e.bytes));
        learner.column = e.column;
        learner
    }

    /// The element is broken where the current byte is; what is left of it is skipped.
    fn broken(&mut self, message: &str, skip_rest: bool) -> Step {
        Step::EmitAfter(self.broken_here(message, skip_rest))
    }

    fn broken_here(&mut self, message: &str, skip_rest: bool) -> RawLearner {
        let e = std::mem::take(&mut self.element);
        if skip_rest {
            self.phase = Phase::Resync;
            self.resync_column = e.column;
        } else {
            self.phase = Phase::Between;
        }
        RawLearner::broken(e.line, json_learner(&e.bytes), message.to_owned())
    }

    /// The input has ended.
    fn end_of_input(&mut self) -> Option<RawLearner> {
        let phase = std::mem::replace(&mut self.phase, Phase::Done);
        match phase {
            Phase::Element if self.element.scalar => Some(self.finish_at_end()),
            Phase::Element => {
                let e = std::mem::take(&mut self.element);
                Some(RawLearner::broken(
                    e.line,
                    json_learner(&e.bytes),
                    "the input ends before the record is closed".to_owned(),
                ))
            }
            Phase::Between | Phase::Resync if self.array => Some(RawLearner::broken(
                self.line,
                None,
                "the input ends before the `]` that closes the array".to_owned(),
            )),
            _ => None,
        }
    }

    fn finish_at_end(&mut self) -> RawLearner {
        let learner = self.finish();
        self.phase = Phase::Done;
        learner
    }
}

fn too_long_message() -> String {
    format!(
        "the record is longer than {} MiB: is a bracket or a quote not closed?",
        MAX_LEARNER_BYTES >> 20
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::raw::Body;
    use proptest::prelude::*;

    /// Each learner as split: its line, column, and text or the splitter's message.
    fn split(bytes: &[u8], fast: bool) -> Vec<(usize, usize, String)> {
        let mut splitter = JsonArraySplitter::new(io::BufReader::with_capacity(16, bytes));
        splitter.scanner.fast = fast;
        let mut out = Vec::new();
        while let Some(learner) = splitter.next_learner().unwrap() {
            let what = match &learner.body {
                Body::Json(text) => String::from_utf8_lossy(text).into_owned(),
                Body::Broken { message, .. } => format!("broken: {message}"),
                other => format!("{other:?}"),
            };
            out.push((learner.line, learner.column, what));
        }
        out
    }

    const RECORD: &str = r#"{"learner": "1", "courses": [{"course": "C", "score": 88}], "n": {"a": [1, {"b": "x\\\"]}"}]}}"#;

    fn cohorts() -> impl Strategy<Value = String> {
        let one_per_line = format!("[\n{RECORD},\n{RECORD},\n{RECORD}\n]\n");
        let value: serde_json::Value = serde_json::from_str(RECORD).unwrap();
        let pretty =
            serde_json::to_string_pretty(&vec![value.clone(), value.clone(), value]).unwrap();
        prop_oneof![Just(one_per_line), Just(pretty)]
    }

    #[test]
    fn a_line_break_after_a_backslash_in_a_string_breaks_the_record() {
        let text = "[\n{\"learner\": \"a\\\n\"}, \n{\"learner\": \"b\"}\n]";
        for fast in [true, false] {
            let got = split(text.as_bytes(), fast);
            assert_eq!(got.len(), 2, "{got:?}");
            assert!(got[0].2.contains("not closed before the end of its line"));
            assert_eq!(got[1], (4, 0, "{\"learner\": \"b\"}".to_owned()));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        /// Taking runs in one piece splits exactly as reading byte by byte does.
        #[test]
        fn the_fast_path_splits_as_byte_by_byte(
            text in cohorts(),
            edits in proptest::collection::vec(
                (any::<usize>(), prop_oneof![
                    Just(b'"'), Just(b'\\'), Just(b'{'), Just(b'}'), Just(b'['), Just(b']'),
                    Just(b'\n'), Just(b' '), Just(b','), Just(b'x'),
                ], any::<bool>()),
                0..5,
            )
        ) {
            let mut bytes = text.into_bytes();
            for (at, byte, insert) in edits {
                let at = at % bytes.len();
                if insert {
                    bytes.insert(at, byte);
                } else {
                    bytes[at] = byte;
                }
            }
            prop_assert_eq!(split(&bytes, true), split(&bytes, false));
        }
    }
}
