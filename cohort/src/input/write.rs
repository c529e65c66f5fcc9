//! Writing learner records as a cohort, in any of the formats the splitters read.

use std::io::{self, Write};

use creditbank_engine::record::LearnerRecord;

use super::InputFormat;
use super::{csv_long, json_out};

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
        write_piece(&mut self.out, self.format, record, self.written == 0)?;
        self.written += 1;
        Ok(())
    }

    /// Ends the cohort and flushes; gives back the underlying writer.
    pub fn finish(mut self) -> io::Result<W> {
        write_end(&mut self.out, self.format, self.written == 0)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// Writes one record of a cohort, with what goes before it (`[` or `,` in a JSON array, the
/// CSV header before the first). Pieces written apart (on several threads) and joined in
/// order make the same cohort as a [`CohortWriter`].
pub(crate) fn write_piece<W: Write>(
    out: &mut W,
    format: InputFormat,
    record: &LearnerRecord,
    first: bool,
) -> io::Result<()> {
    match format {
        InputFormat::Ndjson => {
            json_out::write_record(out, record)?;
            out.write_all(b"\n")
        }
        InputFormat::Json => {
            // One record per line: the splitter's recovery from a broken record relies on
            // records starting lines.
            out.write_all(if first { b"[\n" } else { b",\n" })?;
            json_out::write_record(out, record)
        }
        InputFormat::Yaml => {
            out.write_all(b"---\n")?;
            serde_yaml::to_writer(&mut *out, record).map_err(io::Error::other)
        }
        InputFormat::Csv => {
            if first {
                csv_long::write_header(out)?;
            }
            csv_long::write_learner(out, record)
        }
    }
}

/// Writes what ends a cohort (the JSON array's `]`); `empty` when no record was written.
pub(crate) fn write_end<W: Write>(out: &mut W, format: InputFormat, empty: bool) -> io::Result<()> {
    match format {
        InputFormat::Json if empty => out.write_all(b"[]\n"),
        InputFormat::Json => out.write_all(b"\n]\n"),
        // A CSV cohort without learners still has its header, so that it reads as CSV.
        InputFormat::Csv if empty => csv_long::write_header(out),
        _ => Ok(()),
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
