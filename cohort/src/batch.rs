//! Batch evaluation: one report per learner of a cohort, as NDJSON, or one CSV row of summary
//! columns per learner (docs/COHORTS.md).
//!
//! Each learner is read, evaluated and serialised on a worker thread
//! ([`crate::pipeline::run`]); the bytes come back in input order and the caller writes them.

use crate::input::{ItemError, RawLearner};
use crate::plans::Plans;
use creditbank_dsl::ast::Date;
use creditbank_engine::evaluate::evaluate;
use creditbank_engine::record::LearnerRecord;
use creditbank_engine::report::{Explain, Report};
use std::io::Write;

/// How a batch writes its results.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BatchFormat {
    /// One JSON report per line (docs/REPORT.md).
    #[default]
    Ndjson,
    /// One CSV row of summary columns per learner.
    Csv,
}

/// What every learner of a batch is evaluated with.
#[derive(Clone, Debug)]
pub struct BatchOptions {
    /// The evaluation date for records without `as_of`.
    pub today: Option<Date>,
    /// How much explanation each report carries.
    pub explain: Explain,
    /// How results are written.
    pub format: BatchFormat,
}

/// The CSV summary columns: fixed ones, then one per category of any compiled ruleset, in the
/// order the rulesets declare them (first seen first).
#[derive(Clone, Debug)]
pub struct SummaryColumns {
    categories: Vec<String>,
}

/// The columns before the categories.
const LEADING: [&str; 8] = [
    "learner",
    "program",
    "version",
    "as_of",
    "term",
    "total_credits",
    "gpa",
    "failed_credits",
];

/// The columns after the categories.
const TRAILING: [&str; 4] = ["warning_level", "warnings", "graduation", "programs_met"];

impl SummaryColumns {
    /// The columns for every ruleset of `plans`.
    pub fn new<'p>(categories: impl IntoIterator<Item = &'p str>) -> Self {
        let mut seen: Vec<String> = Vec::new();
        for c in categories {
            if !seen.iter().any(|s| s == c) {
                seen.push(c.to_string());
            }
        }
        SummaryColumns { categories: seen }
    }

    /// The header row, with its line end.
    pub fn header(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut writer = csv::WriterBuilder::new().from_writer(&mut out);
        let names = LEADING
            .iter()
            .map(|s| s.to_string())
            .chain(self.categories.iter().map(|c| format!("credits_{c}")))
            .chain(TRAILING.iter().map(|s| s.to_string()));
        // Writing to a Vec cannot fail.
        let _ = writer.write_record(names);
        drop(writer);
        out
    }

    /// One learner's row, with its line end.
    pub fn row(&self, report: &Report<'_>) -> Vec<u8> {
        let mut fields: Vec<String> = vec![
            report.learner.to_string(),
            report.ruleset.id.to_string(),
            report.ruleset.version.to_string(),
            report.as_of.clone(),
            report.term.to_string(),
            report.total_credits.to_string(),
            report
                .gpa
                .as_ref()
                .map_or_else(String::new, |g| g.value.to_string()),
            report.failed_credits.to_string(),
        ];
        for c in &self.categories {
            fields.push(
                report
                    .categories
                    .iter()
                    .find(|k| k.category == c)
                    .map_or_else(String::new, |k| k.credits.to_string()),
            );
        }
        fields.push(warning_level(report).to_string());
        fields.push(
            report
                .warnings
                .iter()
                .map(|w| format!("{}:{}", w.warning, w.level))
                .collect::<Vec<_>>()
                .join(";"),
        );
        fields.push(match &report.graduation {
            Some(g) if g.met => "met".to_string(),
            Some(_) => "unmet".to_string(),
            None => String::new(),
        });
        fields.push(
            report
                .programs
                .iter()
                .filter(|p| p.met)
                .map(|p| p.id)
                .collect::<Vec<_>>()
                .join(";"),
        );
        let mut out = Vec::new();
        let mut writer = csv::WriterBuilder::new().from_writer(&mut out);
        let _ = writer.write_record(&fields);
        drop(writer);
        out
    }
}

/// The learner's most severe warning level across the ruleset's warnings: the level whose
/// rank is the highest share of its warning's levels (a red that is 3 of 3 outranks an orange
/// that is 2 of 3), the first warning among equals; `none` when no warning is reached.
pub fn warning_level<'a>(report: &Report<'a>) -> &'a str {
    let mut best: Option<(u32, u32, &'a str)> = None;
    for w in &report.warnings {
        let (rank, of) = (u32::from(w.severity), u32::from(w.of.max(1)));
        // rank / of > best_rank / best_of, without fractions.
        let higher = best.is_none_or(|(r, o, _)| rank * o > r * of);
        if higher {
            best = Some((rank, of, w.level));
        }
    }
    best.map_or("none", |(_, _, level)| level)
}

/// Reads, evaluates and serialises one learner: the work of one worker.
pub fn process(
    raw: &RawLearner,
    plans: &Plans<'_>,
    options: &BatchOptions,
    columns: &SummaryColumns,
) -> Result<Vec<u8>, ItemError> {
    let record = raw.parse()?;
    evaluated(raw.line, &record, plans, options, |report| {
        match options.format {
            BatchFormat::Ndjson => {
                // A report without explanations takes about 5 KB; with them, several times more.
                let mut line = Vec::with_capacity(8192);
                creditbank_engine::json::report::write(report, &mut line);
                line.push(b'\n');
                Ok(line)
            }
            BatchFormat::Csv => Ok(columns.row(report)),
        }
    })
}

/// Evaluates `record` under the plan it selects and hands the report to `then`; an error names
/// the learner and the line.
pub fn evaluated<T>(
    line: usize,
    record: &LearnerRecord,
    plans: &Plans<'_>,
    options: &BatchOptions,
    then: impl FnOnce(&Report<'_>) -> Result<T, String>,
) -> Result<T, ItemError> {
    let failed = |message: String| ItemError {
        line,
        learner: Some(record.learner.clone()),
        message,
    };
    let (plan, selected) = plans.for_learner(record).map_err(failed)?;
    let report = evaluate(plan, record, options.today, options.explain, selected)
        .map_err(|e| failed(e.to_string()))?;
    then(&report).map_err(failed)
}

/// Writes `bytes` to `out`.
pub fn write_bytes(out: &mut impl Write, bytes: &[u8]) -> std::io::Result<()> {
    out.write_all(bytes)
}
