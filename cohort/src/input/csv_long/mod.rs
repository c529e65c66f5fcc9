//! The CSV long format: one row per course attempt, outcome or exception, the learner's
//! columns repeated on each row (docs/COHORTS.md).
//!
//! A learner is the run of consecutive rows with the same `learner` cell. The splitter only
//! tokenizes rows and groups them; turning rows into a record (and every check on them) is
//! [`CsvLearner::parse`]'s, on a worker thread.

mod build;
mod cells;
mod rows;
mod write;

use std::collections::VecDeque;
use std::io::{self, BufRead};
use std::sync::Arc;

pub(crate) use write::{write_header, write_learner};

use super::raw::{Body, RawLearner};
use super::MAX_LEARNER_BYTES;
use rows::{Row, RowReader, Tokenized};

/// The columns of the long format, in the order the writer puts them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Column {
    Learner,
    Program,
    Enrolled,
    AsOf,
    Term,
    Type,
    Course,
    AttemptTerm,
    Score,
    Grade,
    Credits,
    Institution,
    Category,
    Outcome,
    Kind,
    Date,
    Attributes,
    Evidence,
    Review,
    Waive,
    Substitute,
    For,
    Force,
    Version,
    By,
    Reason,
}

/// Every column with its name in the header.
pub(crate) const COLUMNS: [(Column, &str); 26] = [
    (Column::Learner, "learner"),
    (Column::Program, "program"),
    (Column::Enrolled, "enrolled"),
    (Column::AsOf, "as_of"),
    (Column::Term, "term"),
    (Column::Type, "type"),
    (Column::Course, "course"),
    (Column::AttemptTerm, "attempt_term"),
    (Column::Score, "score"),
    (Column::Grade, "grade"),
    (Column::Credits, "credits"),
    (Column::Institution, "institution"),
    (Column::Category, "category"),
    (Column::Outcome, "outcome"),
    (Column::Kind, "kind"),
    (Column::Date, "date"),
    (Column::Attributes, "attributes"),
    (Column::Evidence, "evidence"),
    (Column::Review, "review"),
    (Column::Waive, "waive"),
    (Column::Substitute, "substitute"),
    (Column::For, "for"),
    (Column::Force, "force"),
    (Column::Version, "version"),
    (Column::By, "by"),
    (Column::Reason, "reason"),
];

/// Columns every file must have.
const REQUIRED: [Column; 5] = [
    Column::Learner,
    Column::Program,
    Column::Enrolled,
    Column::Term,
    Column::Type,
];

impl Column {
    /// The column's name in the header.
    pub(crate) fn name(self) -> &'static str {
        COLUMNS[self as usize].1
    }
}

/// Where each column stands in the file (files may order and omit the optional columns).
#[derive(Debug)]
pub(crate) struct Header {
    /// By column, its position in a row.
    positions: [Option<usize>; COLUMNS.len()],
    /// How many cells a row has.
    width: usize,
}

impl Header {
    /// Reads the header row: every name a known column, none twice, the required ones there.
    fn from_row(row: &Row) -> Result<Header, String> {
        let mut positions = [None; COLUMNS.len()];
        for (i, cell) in row.cells().enumerate() {
            let name = String::from_utf8_lossy(cell);
            let name = name.trim();
            let Some((column, _)) = COLUMNS.iter().find(|(_, n)| *n == name) else {
                let known: Vec<&str> = COLUMNS.iter().map(|(_, n)| *n).collect();
                return Err(format!(
                    "unknown column `{name}` in the header; the columns are {}",
                    known.join(", ")
                ));
            };
            if positions[*column as usize].replace(i).is_some() {
                return Err(format!("column `{name}` is in the header twice"));
            }
        }
        let missing: Vec<&str> = REQUIRED
            .iter()
            .filter(|c| positions[**c as usize].is_none())
            .map(|c| c.name())
            .collect();
        if !missing.is_empty() {
            return Err(format!(
                "the header lacks the column{} {}",
                if missing.len() == 1 { "" } else { "s" },
                missing.join(", ")
            ));
        }
        Ok(Header {
            positions,
            width: row.len(),
        })
    }

    /// The cell of `column` in `row`: `None` when the file has no such column, the row is too
    /// short, or the cell is empty.
    pub(crate) fn cell<'r>(&self, row: &'r Row, column: Column) -> Option<&'r [u8]> {
        let at = self.positions[column as usize]?;
        row.cell(at).filter(|c| !c.is_empty())
    }
}

/// The rows of one learner, as the splitter grouped them.
#[derive(Clone, Debug)]
pub(crate) struct CsvLearner {
    header: Arc<Header>,
    rows: Vec<Row>,
    /// A problem found while splitting (a row of the wrong width, an unclosed quote): the
    /// line and what is wrong.
    problem: Option<(usize, String)>,
    size: usize,
}

impl CsvLearner {
    fn new(header: Arc<Header>) -> Self {
        CsvLearner {
            header,
            rows: Vec::new(),
            problem: None,
            size: 0,
        }
    }

    fn key(&self) -> Option<&[u8]> {
        self.rows
            .first()
            .and_then(|row| self.header.cell(row, Column::Learner))
    }

    fn note(&mut self, line: usize, message: String) {
        if self.problem.is_none() {
            self.problem = Some((line, message));
        }
    }

    fn push(&mut self, row: Row) {
        if row.len() != self.header.width {
            self.note(
                row.line,
                format!(
                    "line {} has {} cells, but the header has {} columns",
                    row.line,
                    row.len(),
                    self.header.width
                ),
            );
        }
        self.size += row.byte_len();
        if self.size > MAX_LEARNER_BYTES {
            self.note(
                row.line,
                format!(
                    "the learner's rows are longer than {} MiB together",
                    MAX_LEARNER_BYTES >> 20
                ),
            );
            // Rows past the limit are not kept; the learner is reported broken anyway.
            return;
        }
        self.rows.push(row);
    }

    fn first_line(&self) -> usize {
        self.rows.first().map_or(0, |r| r.line)
    }
}

/// Cuts a CSV long-format cohort into learners.
pub(crate) struct CsvSplitter<R> {
    rows: RowReader<R>,
    header: Option<Arc<Header>>,
    current: Option<CsvLearner>,
    ready: VecDeque<RawLearner>,
    done: bool,
}

impl<R: BufRead> CsvSplitter<R> {
    pub fn new(reader: R) -> Self {
        CsvSplitter {
            rows: RowReader::new(reader),
            header: None,
            current: None,
            ready: VecDeque::new(),
            done: false,
        }
    }

    pub fn next_learner(&mut self) -> io::Result<Option<RawLearner>> {
        loop {
            if let Some(learner) = self.ready.pop_front() {
                return Ok(Some(learner));
            }
            if self.done {
                return Ok(None);
            }
            let Some(tokenized) = self.rows.next_row()? else {
                self.done = true;
                self.finish_current();
                continue;
            };
            let Some(header) = self.header.clone() else {
                self.read_header(tokenized);
                continue;
            };
            match tokenized {
                Tokenized::Row(row) => self.add(&header, row, None),
                Tokenized::Broken { row, message } => self.add(&header, row, Some(message)),
            }
        }
    }

    fn read_header(&mut self, tokenized: Tokenized) {
        let result = match tokenized {
            Tokenized::Row(row) => Header::from_row(&row).map_err(|m| (row.line, m)),
            Tokenized::Broken { row, message } => Err((row.line, message)),
        };
        match result {
            Ok(header) => self.header = Some(Arc::new(header)),
            Err((line, message)) => {
                // Without a header no row can be read: one error, and the end.
                self.ready
                    .push_back(RawLearner::broken(line, None, message));
                self.done = true;
            }
        }
    }

    /// Adds a row to the learner it belongs to: the open one when the `learner` cell is the
    /// same, else a new one.
    fn add(&mut self, header: &Arc<Header>, row: Row, broken: Option<String>) {
        let key = header.cell(&row, Column::Learner);
        let same = match (&self.current, key) {
            (Some(current), Some(key)) => current.key() == Some(key),
            _ => false,
        };
        if !same {
            if key.is_none() && broken.is_some() {
                // A broken row with no learner to join stands alone.
                let line = row.line;
                self.finish_current();
                let message = broken.unwrap_or_default();
                self.ready
                    .push_back(RawLearner::broken(line, None, message));
                return;
            }
            self.finish_current();
            self.current = Some(CsvLearner::new(header.clone()));
        }
        if let Some(current) = &mut self.current {
            if let Some(message) = broken {
                current.note(row.line, message);
            }
            current.push(row);
        }
    }

    fn finish_current(&mut self) {
        if let Some(learner) = self.current.take() {
            let line = learner.first_line();
            self.ready
                .push_back(RawLearner::new(line, Body::Csv(learner)));
        }
    }
}
