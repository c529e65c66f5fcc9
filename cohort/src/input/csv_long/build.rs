//! A learner's CSV rows turned into a record, checked like a JSON or YAML record: every cell
//! read with the same rules, then `LearnerRecord::validate`. Errors name the row's line and
//! the column.

use std::collections::BTreeMap;

use creditbank_engine::record::{
    parse_date, CourseAttempt, Exception, ExceptionAction, LearnerRecord, Mark, Outcome,
    ReviewStatus,
};
use rust_decimal::Decimal;

use super::cells::{is_plain_number, parse_attributes, parse_list};
use super::rows::Row;
use super::{Column, CsvLearner, Header};
use crate::input::ItemError;

/// The grade that marks a withdrawal, as in the record format.
const WITHDRAWN: &str = "W";

/// The columns a learner's own data lives in, the same on every row.
const LEARNER_COLUMNS: [Column; 5] = [
    Column::Learner,
    Column::Program,
    Column::Enrolled,
    Column::AsOf,
    Column::Term,
];

/// A problem with one cell (or one row, without a column).
struct CellError {
    line: usize,
    column: Option<&'static str>,
    message: String,
}

impl CellError {
    fn text(&self) -> String {
        match self.column {
            Some(column) => format!("line {}, column `{column}`: {}", self.line, self.message),
            None => format!("line {}: {}", self.line, self.message),
        }
    }
}

/// One row, read through the header.
struct View<'a> {
    header: &'a Header,
    row: &'a Row,
}

impl<'a> View<'a> {
    fn error(&self, column: Column, message: String) -> CellError {
        CellError {
            line: self.row.line,
            column: Some(column.name()),
            message,
        }
    }

    fn raw(&self, column: Column) -> Option<&'a [u8]> {
        self.header.cell(self.row, column)
    }

    /// The cell as text; `None` when empty.
    fn text(&self, column: Column) -> Result<Option<&'a str>, CellError> {
        match self.raw(column) {
            None => Ok(None),
            Some(bytes) => std::str::from_utf8(bytes)
                .map(Some)
                .map_err(|_| self.error(column, "the cell is not valid UTF-8".to_owned())),
        }
    }

    fn required(&self, column: Column, what: &str) -> Result<&'a str, CellError> {
        self.text(column)?
            .ok_or_else(|| self.error(column, format!("is empty: {what}")))
    }

    fn date(&self, column: Column, what: &str) -> Result<creditbank_dsl::ast::Date, CellError> {
        let text = self.required(column, what)?;
        parse_date(text).ok_or_else(|| self.error(column, format!("`{text}` is not a date")))
    }

    fn term(&self, column: Column, what: &str) -> Result<u32, CellError> {
        let text = self.required(column, what)?;
        if !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(self.error(
                column,
                format!("`{text}` is not a term: a term is a whole number from 1"),
            ));
        }
        text.parse()
            .map_err(|_| self.error(column, format!("`{text}` is too large for a term")))
    }

    fn decimal(&self, column: Column) -> Result<Option<Decimal>, CellError> {
        let Some(text) = self.text(column)? else {
            return Ok(None);
        };
        let plain = text.strip_prefix('+').unwrap_or(text);
        if !is_plain_number(plain) {
            return Err(self.error(column, format!("`{text}` is not a number")));
        }
        Decimal::from_str_exact(plain).map(Some).map_err(|_| {
            self.error(
                column,
                format!("`{text}` has more digits than a number may have"),
            )
        })
    }

    fn owned(&self, column: Column) -> Result<Option<String>, CellError> {
        Ok(self.text(column)?.map(str::to_owned))
    }

    /// Refuses a filled cell in a column the row's type does not have.
    fn only(&self, allowed: &[Column], kind: &str) -> Result<(), CellError> {
        for (column, _) in super::COLUMNS {
            let own = LEARNER_COLUMNS.contains(&column) || column == Column::Type;
            if !own && !allowed.contains(&column) && self.raw(column).is_some() {
                return Err(self.error(column, format!("{kind} rows leave this column empty")));
            }
        }
        Ok(())
    }
}

/// The row of each course attempt, outcome and exception, to place validation errors.
#[derive(Default)]
struct Lines {
    first: usize,
    courses: Vec<usize>,
    outcomes: Vec<usize>,
    exceptions: Vec<usize>,
}

impl CsvLearner {
    /// The learner's id as the first row gives it.
    pub(crate) fn learner(&self) -> Option<String> {
        let row = self.rows.first()?;
        let cell = self.header.cell(row, Column::Learner)?;
        Some(String::from_utf8_lossy(cell).into_owned())
    }

    /// Builds and validates the record; `line` is the learner's first line.
    pub(crate) fn parse(&self, line: usize) -> Result<LearnerRecord, ItemError> {
        let fail = |message: String| ItemError {
            line,
            learner: self.learner(),
            message,
        };
        if let Some((_, message)) = &self.problem {
            return Err(fail(message.clone()));
        }
        let mut lines = Lines::default();
        let record = self.build(&mut lines).map_err(|e| fail(e.text()))?;
        record.validate().map_err(|e| {
            let (line, column) = locate(e.path(), &lines);
            fail(
                CellError {
                    line,
                    column,
                    message: e.message().to_owned(),
                }
                .text(),
            )
        })?;
        Ok(record)
    }

    fn build(&self, lines: &mut Lines) -> Result<LearnerRecord, CellError> {
        let Some(first_row) = self.rows.first() else {
            return Err(CellError {
                line: 0,
                column: None,
                message: "a learner without rows".to_owned(),
            });
        };
        let first = View {
            header: &self.header,
            row: first_row,
        };
        lines.first = first_row.line;
        let mut record = LearnerRecord {
            learner: first
                .required(Column::Learner, "every row names its learner")?
                .to_owned(),
            program: first
                .required(Column::Program, "every row names the ruleset")?
                .to_owned(),
            enrolled: first.date(Column::Enrolled, "every row gives the enrolment date")?,
            as_of: match first.text(Column::AsOf)? {
                Some(_) => Some(first.date(Column::AsOf, "")?),
                None => None,
            },
            term: first.term(Column::Term, "every row gives the current term")?,
            courses: Vec::new(),
            outcomes: Vec::new(),
            exceptions: Vec::new(),
        };
        for row in &self.rows {
            let view = View {
                header: &self.header,
                row,
            };
            for column in LEARNER_COLUMNS {
                if view.raw(column) != first.raw(column) {
                    let shown = |v: &View| {
                        v.raw(column)
                            .map_or_else(String::new, |c| String::from_utf8_lossy(c).into_owned())
                    };
                    return Err(view.error(
                        column,
                        format!(
                            "`{}` differs from `{}` on line {}: a learner's columns are the \
                             same on every row",
                            shown(&view),
                            shown(&first),
                            first_row.line
                        ),
                    ));
                }
            }
            let kind = view.required(
                Column::Type,
                "say what the row holds: course, outcome, exception or learner",
            )?;
            match kind {
                "learner" => view.only(&[], "learner")?,
                "course" => {
                    record.courses.push(course(&view)?);
                    lines.courses.push(row.line);
                }
                "outcome" => {
                    record.outcomes.push(outcome(&view)?);
                    lines.outcomes.push(row.line);
                }
                "exception" => {
                    record.exceptions.push(exception(&view)?);
                    lines.exceptions.push(row.line);
                }
                other => {
                    return Err(view.error(
                        Column::Type,
                        format!(
                            "`{other}` is not a row type: course, outcome, exception or learner"
                        ),
                    ))
                }
            }
        }
        Ok(record)
    }
}

fn course(view: &View) -> Result<CourseAttempt, CellError> {
    view.only(
        &[
            Column::Course,
            Column::AttemptTerm,
            Column::Score,
            Column::Grade,
            Column::Credits,
            Column::Institution,
            Column::Category,
        ],
        "course",
    )?;
    let code = view.required(Column::Course, "a course row names the course")?;
    let term = view.term(
        Column::AttemptTerm,
        "a course row gives the term of the attempt",
    )?;
    let mark = match (view.decimal(Column::Score)?, view.text(Column::Grade)?) {
        (Some(score), None) => Mark::Score(score),
        (None, Some(WITHDRAWN)) => Mark::Withdrawn,
        (None, Some(grade)) => Mark::Grade(grade.to_owned()),
        (Some(_), Some(_)) => {
            return Err(view.error(
                Column::Grade,
                format!("course `{code}` has both a `score` and a `grade`: give one"),
            ))
        }
        (None, None) => {
            return Err(view.error(
                Column::Score,
                format!("course `{code}` has neither a `score` nor a `grade` (\"W\" if withdrawn)"),
            ))
        }
    };
    Ok(CourseAttempt {
        course: code.to_owned(),
        term,
        mark,
        credits: view.decimal(Column::Credits)?,
        institution: view.owned(Column::Institution)?,
        category: view.owned(Column::Category)?,
    })
}

fn outcome(view: &View) -> Result<Outcome, CellError> {
    view.only(
        &[
            Column::Outcome,
            Column::Kind,
            Column::Date,
            Column::Attributes,
            Column::Evidence,
            Column::Institution,
            Column::Review,
        ],
        "outcome",
    )?;
    let attributes = match view.text(Column::Attributes)? {
        Some(cell) => parse_attributes(cell).map_err(|m| view.error(Column::Attributes, m))?,
        None => BTreeMap::new(),
    };
    let evidence = match view.text(Column::Evidence)? {
        Some(cell) => parse_list(cell).map_err(|m| view.error(Column::Evidence, m))?,
        None => Vec::new(),
    };
    let review = match view.text(Column::Review)? {
        None => None,
        Some("approved") => Some(ReviewStatus::Approved),
        Some("rejected") => Some(ReviewStatus::Rejected),
        Some("pending") => Some(ReviewStatus::Pending),
        Some(other) => {
            return Err(view.error(
                Column::Review,
                format!("`{other}` is not a review: `approved`, `rejected` or `pending`"),
            ))
        }
    };
    Ok(Outcome {
        id: view
            .required(Column::Outcome, "an outcome row gives the outcome's id")?
            .to_owned(),
        kind: view
            .required(Column::Kind, "an outcome row gives the outcome's kind")?
            .to_owned(),
        attributes,
        date: view.date(Column::Date, "an outcome row gives the outcome's date")?,
        evidence,
        institution: view.owned(Column::Institution)?,
        review,
    })
}

fn exception(view: &View) -> Result<Exception, CellError> {
    view.only(
        &[
            Column::Waive,
            Column::Substitute,
            Column::For,
            Column::Force,
            Column::Credits,
            Column::Version,
            Column::By,
            Column::Reason,
        ],
        "exception",
    )?;
    let waive = view.owned(Column::Waive)?;
    let substitute = view.owned(Column::Substitute)?;
    let replaces = view.owned(Column::For)?;
    let force = view.owned(Column::Force)?;
    let credits = view.decimal(Column::Credits)?;
    let version = view.owned(Column::Version)?;
    let given: Vec<&str> = [
        ("waive", waive.is_some()),
        ("substitute", substitute.is_some()),
        ("force", force.is_some()),
        ("version", version.is_some()),
    ]
    .into_iter()
    .filter_map(|(name, set)| set.then_some(name))
    .collect();
    let row_error = |message: String| CellError {
        line: view.row.line,
        column: None,
        message,
    };
    if given.len() > 1 {
        return Err(row_error(format!(
            "an exception gives both `{}` and `{}`: write one exception each",
            given[0], given[1]
        )));
    }
    if replaces.is_some() && substitute.is_none() {
        return Err(view.error(Column::For, "`for` belongs with `substitute`".to_owned()));
    }
    if credits.is_some() && force.is_none() {
        return Err(view.error(Column::Credits, "`credits` belongs with `force`".to_owned()));
    }
    let action = if let Some(requirement) = waive {
        ExceptionAction::Waive { requirement }
    } else if let Some(course) = substitute {
        let replaces = replaces.ok_or_else(|| {
            view.error(
                Column::For,
                "`substitute` needs `for`, the course it stands in for".to_owned(),
            )
        })?;
        ExceptionAction::Substitute { course, replaces }
    } else if let Some(category) = force {
        let credits = credits.ok_or_else(|| {
            view.error(
                Column::Credits,
                "`force` needs `credits`, how many credits to force".to_owned(),
            )
        })?;
        ExceptionAction::Force { category, credits }
    } else if let Some(version) = version {
        ExceptionAction::Version { version }
    } else {
        return Err(row_error(
            "an exception needs one of `waive`, `substitute`, `force` or `version`".to_owned(),
        ));
    };
    Ok(Exception {
        action,
        // Blank is refused by validation, with the record format's own message.
        by: view.owned(Column::By)?.unwrap_or_default(),
        reason: view.owned(Column::Reason)?.unwrap_or_default(),
    })
}

/// The row and column of a validation error's path (`courses[3].term`, `outcomes[0].date`).
fn locate(path: &str, lines: &Lines) -> (usize, Option<&'static str>) {
    let top = |field: &str| {
        COLUMN_OF_FIELD
            .iter()
            .find(|(section, f, _)| section.is_empty() && *f == field)
            .map(|(_, _, c)| c.name())
    };
    let Some((section, rest)) = path.split_once('[') else {
        return (lines.first, top(path));
    };
    let Some((index, rest)) = rest.split_once(']') else {
        return (lines.first, None);
    };
    let rows = match section {
        "courses" => &lines.courses,
        "outcomes" => &lines.outcomes,
        "exceptions" => &lines.exceptions,
        _ => return (lines.first, None),
    };
    let line = index
        .parse::<usize>()
        .ok()
        .and_then(|i| rows.get(i).copied())
        .unwrap_or(lines.first);
    let field = rest
        .strip_prefix('.')
        .map(|f| f.split(['.', '[']).next().unwrap_or(f));
    let column = field.and_then(|field| {
        COLUMN_OF_FIELD
            .iter()
            .find(|(s, f, _)| *s == section && *f == field)
            .map(|(_, _, c)| c.name())
    });
    (line, column)
}

/// The record's field names (by section) and the columns that hold them.
const COLUMN_OF_FIELD: [(&str, &str, Column); 27] = [
    ("", "learner", Column::Learner),
    ("", "program", Column::Program),
    ("", "enrolled", Column::Enrolled),
    ("", "as_of", Column::AsOf),
    ("", "term", Column::Term),
    ("courses", "course", Column::Course),
    ("courses", "term", Column::AttemptTerm),
    ("courses", "score", Column::Score),
    ("courses", "grade", Column::Grade),
    ("courses", "credits", Column::Credits),
    ("courses", "institution", Column::Institution),
    ("courses", "category", Column::Category),
    ("outcomes", "id", Column::Outcome),
    ("outcomes", "kind", Column::Kind),
    ("outcomes", "attributes", Column::Attributes),
    ("outcomes", "date", Column::Date),
    ("outcomes", "evidence", Column::Evidence),
    ("outcomes", "institution", Column::Institution),
    ("outcomes", "review", Column::Review),
    ("exceptions", "waive", Column::Waive),
    ("exceptions", "substitute", Column::Substitute),
    ("exceptions", "for", Column::For),
    ("exceptions", "force", Column::Force),
    ("exceptions", "credits", Column::Credits),
    ("exceptions", "version", Column::Version),
    ("exceptions", "by", Column::By),
    ("exceptions", "reason", Column::Reason),
];
