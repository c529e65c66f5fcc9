//! `creditbank gen-cohort --ruleset ... --learners N --seed S` (being built).

use crate::error::CliError;
use std::process::ExitCode;

/// `creditbank gen-cohort`
#[derive(Debug, clap::Args)]
pub struct GenCohortArgs {}

/// Writes a synthetic cohort.
pub fn run(_args: &GenCohortArgs) -> Result<ExitCode, CliError> {
    Err(CliError::Evaluate("gen-cohort is being built".into()))
}
