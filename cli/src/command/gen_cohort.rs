//! `creditbank gen-cohort --ruleset FILE|DIR [--program ID] --learners N [--seed S]
//! [--format ndjson|json|yaml|csv] [--out FILE] [--as-of DATE] [--outcomes-per-learner N]`

use crate::error::CliError;
use creditbank_cohort::generate::{CohortGenerator, GenerateOptions};
use creditbank_cohort::input::InputFormat;
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// `creditbank gen-cohort`
#[derive(Debug, clap::Args)]
pub struct GenCohortArgs {
    /// Ruleset files or directories: learners follow their catalogs, scales and rules.
    #[arg(long, value_name = "FILE|DIR", default_value = "rulesets")]
    pub ruleset: Vec<PathBuf>,
    /// The ruleset id to generate learners of; without it, learners are spread over every
    /// ruleset given.
    #[arg(long, value_name = "ID")]
    pub program: Option<String>,
    /// How many learners.
    #[arg(long, value_name = "N")]
    pub learners: u64,
    /// The seed: the same rulesets, seed and options give the same bytes.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// ndjson, json, yaml or csv (docs/COHORTS.md); by default the --out file's extension,
    /// else ndjson.
    #[arg(long, value_name = "FORMAT", value_parser = parse_format)]
    pub format: Option<InputFormat>,
    /// Where to write the cohort; standard output when absent.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// One evaluation date for every learner (YYYY-MM-DD), written as each record's `as_of`;
    /// without it each learner is evaluated at the end of their current term.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Course attempts and outcomes per learner, on average.
    #[arg(long, value_name = "N", default_value_t = 60)]
    pub outcomes_per_learner: u32,
}

fn parse_format(text: &str) -> Result<InputFormat, String> {
    text.parse()
        .map_err(|e: creditbank_cohort::input::UnknownFormat| e.to_string())
}

/// Writes a synthetic cohort.
pub fn run(args: &GenCohortArgs) -> Result<ExitCode, CliError> {
    let Some(library) = super::eval::load_library(&args.ruleset)? else {
        return Ok(ExitCode::FAILURE);
    };
    let as_of = crate::inputs::as_of(args.as_of.as_deref())?;
    let options = GenerateOptions {
        seed: args.seed,
        outcomes_per_learner: args.outcomes_per_learner,
        as_of,
    };
    let generator = CohortGenerator::new(&library, args.program.as_deref(), options)
        .map_err(|e| CliError::Evaluate(e.to_string()))?;
    let format = args
        .format
        .or_else(|| args.out.as_deref().and_then(InputFormat::from_path))
        .unwrap_or(InputFormat::Ndjson);
    let started = Instant::now();
    match &args.out {
        Some(path) => {
            let write_error = |source| CliError::Write {
                path: path.clone(),
                source,
            };
            let file = File::create(path).map_err(write_error)?;
            generator
                .write(
                    args.learners,
                    format,
                    BufWriter::with_capacity(1 << 20, file),
                )
                .map_err(write_error)?;
        }
        None => {
            let out = BufWriter::with_capacity(1 << 20, io::stdout());
            generator
                .write(args.learners, format, out)
                .map_err(|e| match e.kind() {
                    io::ErrorKind::BrokenPipe => CliError::ClosedPipe,
                    _ => CliError::Stdout(e),
                })?;
        }
    }
    if io::stderr().is_terminal() {
        let seconds = started.elapsed().as_secs_f64();
        let rate = args.learners as f64 / seconds.max(1e-9);
        let _ = writeln!(
            io::stderr(),
            "generated {} learners ({format}) in {seconds:.2} s, {rate:.0} learners/s",
            args.learners
        );
    }
    Ok(ExitCode::SUCCESS)
}
