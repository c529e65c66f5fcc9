//! Statistics of a cohort: warning counts per level, the credit distribution per category,
//! the GPA histogram, graduation, program and certificate eligibility rates, overall and per
//! group; rendered as a table, CSV, JSON or one self-contained HTML page with SVG charts.
//!
//! The pipeline:
//!
//! 1. [`Stats`] is the accumulator. Each worker makes one with [`Stats::new`] and
//!    [`adds`](Stats::add) each learner's record and report; the workers' stats are then
//!    [merged](Stats::merge). It holds only counts, so the result does not depend on the
//!    order of learners or on how they were split, and its memory does not grow with the
//!    cohort (see [`ValueCounts`] for how credits and GPAs are counted: one count per
//!    distinct value, exact).
//! 2. [`RulesetFacts`] supply what reports do not say: every warning level in order with its
//!    colour, and the GPA scale's range.
//! 3. [`Summary::new`] computes the figures: quartiles, means, histograms (the same bins in
//!    every group), rates. Figures are exact decimals; only means and rates are rounded, and
//!    only for showing them.
//! 4. The renderers: [`table`], [`csv`], [`json`] and [`html`].
//!
//! Groups (`--group-by`, [`GroupBy`]): the learner's program (the ruleset id), the year of
//! enrolment, or the class. Learner records have no class field: a class is the learners who
//! enrolled in the same calendar year in the same program.
//!
//! # The JSON schema (`creditbank-stats/1`)
//!
//! Decimal figures are strings, as in reports. docs/STATS.md describes every field.
//!
//! ```text
//! { "schema": "creditbank-stats/1",
//!   "group_by": "program",                      // absent when not grouped
//!   "rulesets": [{ "id", "version", "title", "learners" }],
//!   "overall": GROUP,
//!   "groups": [GROUP with "group": key, ...] }
//! GROUP = { "learners",
//!   "warnings": [{ "warning", "name", "learners", "none",
//!                  "levels": [{ "level", "name", "colour", "learners" }] }],
//!   "credits": [{ "category", "name", ...DISTRIBUTION }],
//!   "total_credits": DISTRIBUTION, "gpa": DISTRIBUTION, "without_gpa",
//!   "graduation": RATE, "programs": [RATE], "certificates": [RATE] }
//! DISTRIBUTION = { "learners", "min", "q1", "median", "q3", "max", "mean", "sum",
//!                  "approximate_to", "histogram": [{ "from", "to", "learners" }] }
//! RATE = { "id", "name", "learners", "met", "rate" }
//! ```

mod accumulate;
pub mod csv;
mod facts;
mod grouping;
mod histogram;
pub mod html;
mod summary;
pub mod table;
mod value_counts;

pub use accumulate::{
    BlockCounts, CategoryCounts, GroupStats, LevelCounts, LevelLook, Rate, Stats, Totals,
    VersionStats,
};
pub use facts::{LevelFacts, RulesetFacts, VersionFacts, WarningFacts};
pub use grouping::GroupBy;
pub use histogram::{Bin, Bins};
pub use summary::{
    CategorySummary, Distribution, GroupSummary, LevelSummary, RateSummary, RulesetLine, Summary,
    WarningSummary, SCHEMA,
};
pub use value_counts::{ValueCounts, DISTINCT_LIMIT};

/// The summary as pretty-printed JSON, ending with a newline.
pub fn json(summary: &Summary) -> Result<String, StatsError> {
    Ok(serde_json::to_string_pretty(summary)? + "\n")
}

/// Why statistics could not be written.
#[derive(Debug, thiserror::Error)]
pub enum StatsError {
    /// The JSON serialiser failed.
    #[error("cannot write the statistics as JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The CSV writer failed.
    #[error("cannot write the statistics as CSV: {0}")]
    Csv(String),
}
