//! Writing learner records as a cohort, in any of the formats the splitters read.

use std::io::{self, Write};

use creditbank_engine::record::LearnerRecord;

use super::csv_long;
use super::InputFormat;

/// Writes learner records one at a time as a cohort in one format; [`CohortWriter::finish`]
/// closes it (the JSON array's `]`) and gives the writer back.
pub struct CohortWriter<W: Write> {
    out: W,
    format: InputFormat,
    written: u64,
}

impl<W: Write> CohortWriter<W> {
    /// A writer of `format` into `out` (give it a buffered writer: records are written in
    /// many small pieces).
    pub fn new(out: W, format: InputFormat) -> Self {
        CohortWriter {
            out,
            format,
            written: 0,
        }
    }

    /// How many records have been written.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Writes one record.
    pub fn write(&mut self, record: &LearnerRecord) -> io::Result<()> {
        let first = self.written == 0;
        match self.format {
            InputFormat::Ndjson => {
                serde_json::to_writer(&mut self.out, record)?;
                self.out.write_all(b"\n")?;
            }
            InputFormat::Json => {
                // One record per line: the splitter's recovery from a broken record relies on
                // records starting lines.
                self.out.write_all(if first { b"[\n" } else { b",\n" })?;
                serde_json::to_writer(&mut self.out, record)?;
            }
            InputFormat::Yaml => {
                self.out.write_all(b"---\n")?;
                serde_yaml::to_writer(&mut self.out, record).map_err(io::Error::other)?;
            }
            InputFormat::Csv => {
                if first {
                    csv_long::write_header(&mut self.out)?;
                }
                csv_long::write_learner(&mut self.out, record)?;
            }
        }
        self.written += 1;
        Ok(())
    }

    /// Ends the cohort and flushes; gives back the underlying writer.
    pub fn finish(mut self) -> io::Result<W> {
        match self.format {
            InputFormat::Json if self.written == 0 => self.out.write_all(b"[]\n")?,
            InputFormat::Json => self.out.write_all(b"\n]\n")?,
            // A CSV cohort without learners still has its header, so that it reads as CSV.
            InputFormat::Csv if self.written == 0 => csv_long::write_header(&mut self.out)?,
            _ => {}
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

/// Writes records as NDJSON, one per line.
pub fn write_ndjson<'a, W: Write>(
    out: W,
    records: impl IntoIterator<Item = &'a LearnerRecord>,
) -> io::Result<W> {
    write_all(out, InputFormat::Ndjson, records)
}

/// Writes records as YAML documents, each after a `---` line.
pub fn write_yaml_docs<'a, W: Write>(
    out: W,
    records: impl IntoIterator<Item = &'a LearnerRecord>,
) -> io::Result<W> {
    write_all(out, InputFormat::Yaml, records)
}

/// Writes records in the CSV long format, header first.
pub fn write_csv_long<'a, W: Write>(
    out: W,
    records: impl IntoIterator<Item = &'a LearnerRecord>,
) -> io::Result<W> {
    write_all(out, InputFormat::Csv, records)
}

/// Writes records as a JSON array, one record per line.
pub fn write_json_array<'a, W: Write>(
    out: W,
    records: impl IntoIterator<Item = &'a LearnerRecord>,
) -> io::Result<W> {
    write_all(out, InputFormat::Json, records)
}

/// Writes records in `format`.
pub fn write_all<'a, W: Write>(
    out: W,
    format: InputFormat,
    records: impl IntoIterator<Item = &'a LearnerRecord>,
) -> io::Result<W> {
    let mut writer = CohortWriter::new(out, format);
    for record in records {
        writer.write(record)?;
    }
    writer.finish()
}
