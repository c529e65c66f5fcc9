//! Multi-document YAML: one learner record per document, documents separated by `---`.
//!
//! A document starts at a line `---` (which may carry content after it, `--- {learner: ...}`)
//! and ends at the next `---` or `...` line; both markers stand at the start of a line, where
//! YAML puts them, so a `---` inside an indented block is content. Documents holding only
//! blanks and comments are skipped. The splitter never reads a document's YAML: a broken one
//! cannot hide the next.

use std::io::{self, BufRead};

use super::lines::LineReader;
use super::raw::{yaml_learner, Body, RawLearner};
use super::MAX_LEARNER_BYTES;

/// Cuts multi-document YAML into learners.
pub(crate) struct YamlSplitter<R> {
    lines: LineReader<R>,
    line: Vec<u8>,
    doc: Doc,
    done: bool,
}

#[derive(Default)]
struct Doc {
    text: Vec<u8>,
    /// The line of the document's first content, from 1 (0 before any).
    first_line: usize,
    /// Why the document cannot be a record, found while splitting.
    broken: Option<String>,
}

impl Doc {
    fn has_content(&self) -> bool {
        self.first_line != 0
    }

    fn into_learner(self) -> Option<RawLearner> {
        if !self.has_content() {
            return None;
        }
        Some(match self.broken {
            Some(message) => RawLearner::broken(self.first_line, yaml_learner(&self.text), message),
            None => RawLearner::new(self.first_line, Body::Yaml(self.text)),
        })
    }
}

/// What a line is to the splitter.
enum Marker {
    /// `---`, alone or with content after it.
    Start,
    /// `...`
    End,
    /// Anything else.
    Content,
}

fn marker(line: &[u8]) -> Marker {
    let ends_marker = |rest: &[u8]| rest.first().is_none_or(|b| *b == b' ' || *b == b'\t');
    if let Some(rest) = line.strip_prefix(b"---") {
        if ends_marker(rest) {
            return Marker::Start;
        }
    }
    if let Some(rest) = line.strip_prefix(b"...") {
        if ends_marker(rest) {
            return Marker::End;
        }
    }
    Marker::Content
}

/// True for a line with only blanks or a comment.
fn is_blank_or_comment(line: &[u8]) -> bool {
    let trimmed = line
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map_or(&[][..], |start| &line[start..]);
    trimmed.is_empty() || trimmed[0] == b'#'
}

impl<R: BufRead> YamlSplitter<R> {
    pub fn new(reader: R) -> Self {
        YamlSplitter {
            // A line is bounded like a whole document: one line may be the whole document.
            lines: LineReader::new(reader, MAX_LEARNER_BYTES),
            line: Vec::new(),
            doc: Doc::default(),
            done: false,
        }
    }

    pub fn next_learner(&mut self) -> io::Result<Option<RawLearner>> {
        while !self.done {
            let Some(info) = self.lines.read_line(&mut self.line)? else {
                self.done = true;
                return Ok(std::mem::take(&mut self.doc).into_learner());
            };
            let finished = match marker(&self.line) {
                Marker::Start => {
                    let finished = std::mem::take(&mut self.doc);
                    // Content after the marker belongs to the new document; the marker becomes
                    // blanks so that columns stay those of the file.
                    self.line[..3].fill(b' ');
                    self.add_line(info.number, info.too_long);
                    finished
                }
                Marker::End => std::mem::take(&mut self.doc),
                Marker::Content => {
                    // A directive (`%YAML 1.2`) before a document is no content of it.
                    if !(self.doc.has_content() || self.line.first() != Some(&b'%')) {
                        continue;
                    }
                    self.add_line(info.number, info.too_long);
                    continue;
                }
            };
            if let Some(learner) = finished.into_learner() {
                return Ok(Some(learner));
            }
        }
        Ok(None)
    }

    /// Adds the current line to the open document.
    fn add_line(&mut self, number: usize, too_long: bool) {
        let doc = &mut self.doc;
        if !doc.has_content() {
            if is_blank_or_comment(&self.line) {
                // Leading blanks and comments are left out, so that the document's text starts
                // at its first content line and error lines can be placed in the file.
                return;
            }
            doc.first_line = number;
        }
        if doc.broken.is_some() {
            return;
        }
        if too_long || doc.text.len() + self.line.len() >= MAX_LEARNER_BYTES {
            doc.broken = Some(format!(
                "the document is longer than {} MiB: no learner record is that long",
                MAX_LEARNER_BYTES >> 20
            ));
            return;
        }
        doc.text.extend_from_slice(&self.line);
        doc.text.push(b'\n');
    }
}
