//! NDJSON: one learner record per line; blank lines are skipped.

use std::io::{self, BufRead};

use super::lines::LineReader;
use super::raw::{json_learner, Body, RawLearner};
use super::MAX_LEARNER_BYTES;

/// Cuts NDJSON into learners, one per line that is not blank.
pub(crate) struct NdjsonSplitter<R> {
    lines: LineReader<R>,
    /// The length of the last line, to size the next one's buffer without regrowing it.
    last_len: usize,
}

impl<R: BufRead> NdjsonSplitter<R> {
    pub fn new(reader: R) -> Self {
        NdjsonSplitter {
            lines: LineReader::new(reader, MAX_LEARNER_BYTES),
            last_len: 1024,
        }
    }

    pub fn next_learner(&mut self) -> io::Result<Option<RawLearner>> {
        loop {
            let mut line = Vec::with_capacity(self.last_len + self.last_len / 8);
            let Some(info) = self.lines.read_line(&mut line)? else {
                return Ok(None);
            };
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            self.last_len = line.len();
            if info.too_long {
                return Ok(Some(RawLearner::broken(
                    info.number,
                    json_learner(&line),
                    format!(
                        "the line is longer than {} MiB: no learner record is that long",
                        MAX_LEARNER_BYTES >> 20
                    ),
                )));
            }
            return Ok(Some(RawLearner::new(info.number, Body::Json(line))));
        }
    }
}
