//! `creditbank stats --cohort FILE` (being built).

use crate::error::CliError;
use std::process::ExitCode;

/// `creditbank stats`
#[derive(Debug, clap::Args)]
pub struct StatsArgs {}

/// Prints statistics of a cohort.
pub fn run(_args: &StatsArgs) -> Result<ExitCode, CliError> {
    Err(CliError::Evaluate("stats is being built".into()))
}
