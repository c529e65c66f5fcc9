//! The summary as CSV in a long format: one figure per row, so that every grouping and every
//! ruleset gives the same five columns and a spreadsheet's pivot table does the rest.
//!
//! Columns: `group` (empty for every learner), `section`, `item`, `measure`, `value`.
//!
//! | section | item | measure | value |
//! | --- | --- | --- | --- |
//! | `learners` | | `count` | learners |
//! | `ruleset` | `id@version` | `learners` | learners |
//! | `warning` | warning id | `learners`, `none` or a level id | learners |
//! | `credits` | category id, or `total` | `learners`, `min`, `q1`, `median`, `q3`, `max`, `mean`, `sum`, `approximate_to` | the figure |
//! | `credits-histogram` | category id, or `total` | the bin, `[from,to)` (the last `[from,to]`) | learners |
//! | `gpa` | | as for `credits`, and `without_gpa` | the figure |
//! | `gpa-histogram` | | the bin | learners |
//! | `graduation`, `program`, `certificate` | block id | `learners`, `met`, `rate` (percent) | the figure |
//!
//! Figures absent for a group (no learner has a GPA) have no row.

use super::histogram::Bin;
use super::summary::{Distribution, GroupSummary, RateSummary, Summary};
use super::StatsError;
use rust_decimal::Decimal;

struct Rows {
    writer: ::csv::Writer<Vec<u8>>,
    group: String,
}

impl Rows {
    fn row(
        &mut self,
        section: &str,
        item: &str,
        measure: &str,
        value: &str,
    ) -> Result<(), StatsError> {
        self.writer
            .write_record([self.group.as_str(), section, item, measure, value])
            .map_err(|e| StatsError::Csv(e.to_string()))
    }

    fn count(
        &mut self,
        section: &str,
        item: &str,
        measure: &str,
        n: u64,
    ) -> Result<(), StatsError> {
        self.row(section, item, measure, &n.to_string())
    }

    fn figure(
        &mut self,
        section: &str,
        item: &str,
        measure: &str,
        value: Option<Decimal>,
    ) -> Result<(), StatsError> {
        match value {
            Some(v) => self.row(section, item, measure, &v.to_string()),
            None => Ok(()),
        }
    }

    fn distribution(
        &mut self,
        section: &str,
        item: &str,
        d: &Distribution,
    ) -> Result<(), StatsError> {
        self.count(section, item, "learners", d.learners)?;
        self.figure(section, item, "min", d.min)?;
        self.figure(section, item, "q1", d.q1)?;
        self.figure(section, item, "median", d.median)?;
        self.figure(section, item, "q3", d.q3)?;
        self.figure(section, item, "max", d.max)?;
        self.figure(section, item, "mean", d.mean)?;
        self.figure(section, item, "sum", d.sum)?;
        self.figure(section, item, "approximate_to", d.approximate_to)
    }

    fn histogram(&mut self, section: &str, item: &str, bins: &[Bin]) -> Result<(), StatsError> {
        let last = bins.len().saturating_sub(1);
        for (i, b) in bins.iter().enumerate() {
            let close = if i == last { ']' } else { ')' };
            let bin = format!("[{},{}{close}", b.from, b.to);
            self.count(section, item, &bin, b.learners)?;
        }
        Ok(())
    }

    fn rate(&mut self, section: &str, r: &RateSummary) -> Result<(), StatsError> {
        self.count(section, &r.id, "learners", r.learners)?;
        self.count(section, &r.id, "met", r.met)?;
        self.figure(section, &r.id, "rate", r.rate)
    }

    fn group(&mut self, g: &GroupSummary) -> Result<(), StatsError> {
        self.group = g.group.clone().unwrap_or_default();
        self.count("learners", "", "count", g.learners)?;
        for w in &g.warnings {
            self.count("warning", &w.warning, "learners", w.learners)?;
            self.count("warning", &w.warning, "none", w.none)?;
            for l in &w.levels {
                self.count("warning", &w.warning, &l.level, l.learners)?;
            }
        }
        for c in &g.credits {
            self.distribution("credits", &c.category, &c.credits)?;
        }
        self.distribution("credits", "total", &g.total_credits)?;
        for c in &g.credits {
            self.histogram("credits-histogram", &c.category, &c.credits.histogram)?;
        }
        self.histogram("credits-histogram", "total", &g.total_credits.histogram)?;
        self.distribution("gpa", "", &g.gpa)?;
        self.count("gpa", "", "without_gpa", g.without_gpa)?;
        self.histogram("gpa-histogram", "", &g.gpa.histogram)?;
        if let Some(r) = &g.graduation {
            self.rate("graduation", r)?;
        }
        for r in &g.programs {
            self.rate("program", r)?;
        }
        for r in &g.certificates {
            self.rate("certificate", r)?;
        }
        Ok(())
    }
}

/// The summary as CSV, with a header row.
pub fn render(summary: &Summary) -> Result<String, StatsError> {
    let mut rows = Rows {
        writer: ::csv::Writer::from_writer(Vec::new()),
        group: String::new(),
    };
    rows.writer
        .write_record(["group", "section", "item", "measure", "value"])
        .map_err(|e| StatsError::Csv(e.to_string()))?;
    for r in &summary.rulesets {
        rows.count(
            "ruleset",
            &format!("{}@{}", r.id, r.version),
            "learners",
            r.learners,
        )?;
    }
    for g in summary.all_groups() {
        rows.group(g)?;
    }
    let bytes = rows
        .writer
        .into_inner()
        .map_err(|e| StatsError::Csv(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| StatsError::Csv(e.to_string()))
}
