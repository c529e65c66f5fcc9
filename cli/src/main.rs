//! `creditbank`: the command line for rule authors and admins.
//!
//! One module per verb under `command/`; each reads files, calls the library, and writes
//! results. Exit codes: 0 success, 1 the input has problems (errors in a ruleset, a file not
//! formatted), 2 the command could not run (bad usage, unreadable file).

mod cohort_io;
mod command;
mod error;
mod inputs;
mod output;

use clap::Parser;

// mimalloc, for the cohort verbs and the service (see the crate for why).
#[global_allocator]
static ALLOCATOR: creditbank_allocator::Allocator = creditbank_allocator::Allocator;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = command::Cli::parse();
    match command::run(cli) {
        Ok(code) => code,
        Err(error::CliError::ClosedPipe) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}
