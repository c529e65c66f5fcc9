//! Writing learners in the CSV long format, so that reading them back gives the same records.

use std::io::{self, Write};

use creditbank_engine::record::{format_date, ExceptionAction, LearnerRecord, Mark};

use super::cells::{write_attributes, write_list};
use super::{Column, COLUMNS};

/// Writes the header row.
pub(crate) fn write_header<W: Write>(out: &mut W) -> io::Result<()> {
    let names: Vec<&str> = COLUMNS.iter().map(|(_, name)| *name).collect();
    out.write_all(names.join(",").as_bytes())?;
    out.write_all(b"\n")
}

/// One row being filled, a cell per column.
struct RowCells {
    cells: [String; COLUMNS.len()],
}

impl RowCells {
    fn set(&mut self, column: Column, value: impl Into<String>) {
        self.cells[column as usize] = value.into();
    }

    fn write<W: Write>(&self, out: &mut W, line: &mut String) -> io::Result<()> {
        line.clear();
        for (i, cell) in self.cells.iter().enumerate() {
            if i > 0 {
                line.push(',');
            }
            push_cell(cell, line);
        }
        line.push('\n');
        out.write_all(line.as_bytes())
    }
}

/// A cell, in quotes when it holds a comma, a quote or a line break.
fn push_cell(cell: &str, line: &mut String) {
    if cell.contains([',', '"', '\n', '\r']) {
        line.push('"');
        for c in cell.chars() {
            if c == '"' {
                line.push('"');
            }
            line.push(c);
        }
        line.push('"');
    } else {
        line.push_str(cell);
    }
}

/// Writes a learner's rows: courses, then outcomes, then exceptions; one `learner` row when
/// there is none of them, so that the learner is not lost.
pub(crate) fn write_learner<W: Write>(out: &mut W, record: &LearnerRecord) -> io::Result<()> {
    let mut base = RowCells {
        cells: Default::default(),
    };
    base.set(Column::Learner, record.learner.as_str());
    base.set(Column::Program, record.program.as_str());
    base.set(Column::Enrolled, format_date(record.enrolled));
    if let Some(as_of) = record.as_of {
        base.set(Column::AsOf, format_date(as_of));
    }
    base.set(Column::Term, record.term.to_string());
    let mut line = String::new();
    let fresh = |kind: &str| {
        let mut row = RowCells {
            cells: base.cells.clone(),
        };
        row.set(Column::Type, kind);
        row
    };

    for attempt in &record.courses {
        let mut row = fresh("course");
        row.set(Column::Course, attempt.course.as_str());
        row.set(Column::AttemptTerm, attempt.term.to_string());
        match &attempt.mark {
            Mark::Score(score) => row.set(Column::Score, score.to_string()),
            Mark::Grade(grade) => row.set(Column::Grade, grade.as_str()),
            Mark::Withdrawn => row.set(Column::Grade, "W"),
        }
        if let Some(credits) = attempt.credits {
            row.set(Column::Credits, credits.to_string());
        }
        if let Some(institution) = &attempt.institution {
            row.set(Column::Institution, institution.as_str());
        }
        if let Some(category) = &attempt.category {
            row.set(Column::Category, category.as_str());
        }
        row.write(out, &mut line)?;
    }
    for outcome in &record.outcomes {
        let mut row = fresh("outcome");
        row.set(Column::Outcome, outcome.id.as_str());
        row.set(Column::Kind, outcome.kind.as_str());
        row.set(Column::Date, format_date(outcome.date));
        let mut cell = String::new();
        write_attributes(&outcome.attributes, &mut cell);
        row.set(Column::Attributes, cell);
        let mut cell = String::new();
        write_list(&outcome.evidence, &mut cell);
        row.set(Column::Evidence, cell);
        if let Some(institution) = &outcome.institution {
            row.set(Column::Institution, institution.as_str());
        }
        if let Some(review) = outcome.review {
            let name = match review {
                creditbank_engine::record::ReviewStatus::Approved => "approved",
                creditbank_engine::record::ReviewStatus::Rejected => "rejected",
                creditbank_engine::record::ReviewStatus::Pending => "pending",
            };
            row.set(Column::Review, name);
        }
        row.write(out, &mut line)?;
    }
    for exception in &record.exceptions {
        let mut row = fresh("exception");
        match &exception.action {
            ExceptionAction::Waive { requirement } => {
                row.set(Column::Waive, requirement.as_str());
            }
            ExceptionAction::Substitute { course, replaces } => {
                row.set(Column::Substitute, course.as_str());
                row.set(Column::For, replaces.as_str());
            }
            ExceptionAction::Force { category, credits } => {
                row.set(Column::Force, category.as_str());
                row.set(Column::Credits, credits.to_string());
            }
            ExceptionAction::Version { version } => row.set(Column::Version, version.as_str()),
        }
        row.set(Column::By, exception.by.as_str());
        row.set(Column::Reason, exception.reason.as_str());
        row.write(out, &mut line)?;
    }
    if record.courses.is_empty() && record.outcomes.is_empty() && record.exceptions.is_empty() {
        fresh("learner").write(out, &mut line)?;
    }
    Ok(())
}
