//! Reading a cohort as a stream of learners, and writing one.
//!
//! A cohort is NDJSON, a JSON array, multi-document YAML or the CSV long format (all in
//! docs/COHORTS.md). Reading is split in two so that it can keep up with parallel evaluation:
//!
//! 1. a *splitter* ([`learners`], [`open`]) runs sequentially over the stream and cheaply cuts
//!    it into [`RawLearner`]s (a line, a JSON element, a YAML document, a learner's CSV rows)
//!    without reading them as records. It holds one learner at a time, so memory stays
//!    bounded whatever the cohort's size, and no learner may exceed [`MAX_LEARNER_BYTES`];
//! 2. [`RawLearner::parse`] reads and validates one learner, with the same rules as a single
//!    record (`creditbank_engine::record`), and may run on any thread.
//!
//! A bad learner never stops the stream: text the splitter can already tell is broken (an
//! element that is never closed, a CSV row of the wrong width) comes out as a `RawLearner`
//! whose `parse` gives the [`ItemError`], with its line and, when it can be found, the learner's
//! id. Only a failure to read the stream itself ends it, as an [`InputError`].
//!
//! ```
//! use creditbank_cohort::input::{learners, InputFormat};
//! let text = "{\"learner\": \"1\", \"program\": \"p\", \"enrolled\": \"2026-09-01\", \"term\": 1}\n\
//!             {\"learner\": \"2\", \"program\": \"p\", \"enrolled\": \"2026-09-01\", \"term\": 0}\n";
//! let parsed: Vec<_> = learners(text.as_bytes(), InputFormat::Ndjson)
//!     .map(|raw| raw.expect("reads").parse())
//!     .collect();
//! assert_eq!(parsed[0].as_ref().map(|r| r.learner.as_str()), Ok("1"));
//! assert_eq!(
//!     parsed[1].as_ref().unwrap_err().to_string(),
//!     "line 2 (learner 2): term: terms count from 1, not 0"
//! );
//! ```

mod csv_long;
mod format;
mod json_array;
pub(crate) mod json_out;
mod lines;
mod ndjson;
mod raw;
mod write;
mod yaml_docs;

#[cfg(test)]
mod tests;

use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};

pub use format::{sniff, InputFormat, Sniffed, UnknownFormat};
pub use raw::{ItemError, RawLearner};
pub use write::{
    write_all, write_csv_long, write_json_array, write_ndjson, write_yaml_docs, CohortWriter,
};

pub(crate) use write::{write_end, write_piece};

use csv_long::CsvSplitter;
use json_array::JsonArraySplitter;
use ndjson::NdjsonSplitter;
use yaml_docs::YamlSplitter;

/// The most text one learner may take (a line of NDJSON, an element of a JSON array, a YAML
/// document, a learner's CSV rows together): far beyond any real record, it bounds the memory
/// a broken input (a quote never closed) can make the splitter hold.
pub const MAX_LEARNER_BYTES: usize = 16 << 20;

/// How large a buffer the splitters read through.
const READ_BUFFER: usize = 256 << 10;

/// Why a cohort could not be read at all (a bad learner is an [`ItemError`] instead).
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// The file could not be opened.
    #[error("cannot open `{}`: {source}", .path.display())]
    Open {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
    /// Reading failed part way; learners before `line` were read.
    #[error("cannot read the cohort after line {line}: {source}")]
    Read {
        /// The last line read.
        line: usize,
        /// The cause.
        source: io::Error,
    },
    /// Neither the extension nor the first line says which format the cohort is in.
    #[error(
        "cannot tell the format of `{name}`: name the file .ndjson, .json, .yaml or .csv, or \
         give the format"
    )]
    UnknownFormat {
        /// The file, or `<stdin>`.
        name: String,
    },
}

/// The learners of a cohort, one [`RawLearner`] at a time, in input order.
pub struct Learners<R> {
    splitter: Splitter<R>,
    last_line: usize,
    failed: bool,
}

enum Splitter<R> {
    Ndjson(NdjsonSplitter<R>),
    Json(JsonArraySplitter<R>),
    Yaml(YamlSplitter<R>),
    Csv(CsvSplitter<R>),
}

/// Splits a cohort in `format` read from `reader`.
pub fn learners<R: BufRead>(reader: R, format: InputFormat) -> Learners<R> {
    let splitter = match format {
        InputFormat::Ndjson => Splitter::Ndjson(NdjsonSplitter::new(reader)),
        InputFormat::Json => Splitter::Json(JsonArraySplitter::new(reader)),
        InputFormat::Yaml => Splitter::Yaml(YamlSplitter::new(reader)),
        InputFormat::Csv => Splitter::Csv(CsvSplitter::new(reader)),
    };
    Learners {
        splitter,
        last_line: 0,
        failed: false,
    }
}

impl<R: BufRead> Iterator for Learners<R> {
    type Item = Result<RawLearner, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let next = match &mut self.splitter {
            Splitter::Ndjson(s) => s.next_learner(),
            Splitter::Json(s) => s.next_learner(),
            Splitter::Yaml(s) => s.next_learner(),
            Splitter::Csv(s) => s.next_learner(),
        };
        match next {
            Ok(Some(learner)) => {
                self.last_line = learner.line;
                Some(Ok(learner))
            }
            Ok(None) => None,
            Err(source) => {
                self.failed = true;
                Some(Err(InputError::Read {
                    line: self.last_line,
                    source,
                }))
            }
        }
    }
}

/// A stream of bytes from a file or standard input.
pub type Source = Box<dyn BufRead + Send>;

/// Opens a cohort: a file, or standard input for `-`. The format is `format` if given, else
/// the file's extension, else (standard input, an unknown extension) told from its first line.
pub fn open(path: &Path, format: Option<InputFormat>) -> Result<Learners<Source>, InputError> {
    let (name, reader): (String, Source) = if path.as_os_str() == "-" {
        (
            "<stdin>".to_owned(),
            Box::new(BufReader::with_capacity(READ_BUFFER, io::stdin())),
        )
    } else {
        let file = File::open(path).map_err(|source| InputError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        (
            path.display().to_string(),
            Box::new(BufReader::with_capacity(READ_BUFFER, file)),
        )
    };
    let format = format.or_else(|| InputFormat::from_path(path));
    if let Some(format) = format {
        return Ok(learners(reader, format));
    }
    let (sniffed, reader) = sniff(reader).map_err(|source| InputError::Read { line: 0, source })?;
    let format = sniffed.ok_or(InputError::UnknownFormat { name })?;
    Ok(learners(Box::new(reader), format))
}
