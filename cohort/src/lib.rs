//! Cohorts of learners: reading them as a stream (NDJSON, JSON array, multi-document YAML,
//! CSV long format), evaluating them in parallel in input order, comparing two rulesets over a
//! cohort (dry-run), statistics and their HTML report, and a deterministic synthetic cohort
//! generator.
//!
//! Like the engine, this crate reads no clock; unlike it, it reads and writes streams, since a
//! cohort does not fit in memory.

pub mod batch;
pub mod decision_log;
pub mod dryrun;
pub mod generate;
pub mod input;
pub mod pipeline;
pub mod plans;
pub mod replay;
pub mod stats;

#[cfg(test)]
mod testing;
