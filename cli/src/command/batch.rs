//! `creditbank batch --cohort FILE [--ruleset ...] [--as-of DATE] --out FILE
//! [--format ndjson|csv] [--explain LEVEL] [--errors FILE]`
//!
//! Evaluates every learner of a cohort, in parallel on every core, and writes one report per
//! learner (NDJSON) or one row of summary columns (CSV), in input order. A learner that cannot
//! be read or evaluated is reported with its line and id, and the run goes on; the exit code
//! is then 1.

use super::eval::load_library;
use super::ExplainLevel;
use crate::cohort_io::{self, open_cohort, CohortArgs, ErrorSink, Output, Progress};
use crate::error::CliError;
use creditbank_cohort::batch::{self, BatchFormat, BatchOptions, SummaryColumns};
use creditbank_cohort::pipeline::{self, PipelineError, DEFAULT_CHUNK};
use creditbank_cohort::plans::Plans;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// `creditbank batch`
#[derive(Debug, clap::Args)]
pub struct BatchArgs {
    /// The cohort read, and where bad learners are reported.
    #[command(flatten)]
    pub input: CohortArgs,
    /// Ruleset files or directories holding the learners' programs.
    #[arg(long, value_name = "FILE|DIR", default_value = "rulesets")]
    pub ruleset: Vec<PathBuf>,
    /// The evaluation date for records without `as_of` (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Where to write the results; `-` for standard output.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// One JSON report per line, or one CSV row of summary columns per learner.
    #[arg(long, value_enum, default_value_t)]
    pub format: BatchOutput,
    /// How much explanation each report carries (NDJSON only).
    #[arg(long, value_enum, default_value = "none")]
    pub explain: ExplainLevel,
    /// Learners per parallel chunk.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_CHUNK, hide = true)]
    pub chunk: usize,
}

/// `--format` values of `batch`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum BatchOutput {
    /// One JSON report per line (docs/REPORT.md).
    #[default]
    Ndjson,
    /// Summary columns: learner, program, version, credits per category, GPA, warning level,
    /// graduation status.
    Csv,
}

/// Runs the batch.
pub fn run(args: &BatchArgs) -> Result<ExitCode, CliError> {
    let started = Instant::now();
    let today = crate::inputs::as_of(args.as_of.as_deref())?;
    let Some(library) = load_library(&args.ruleset)? else {
        return Ok(ExitCode::FAILURE);
    };
    let plans = Plans::compile(&library).map_err(|e| CliError::Library(e.to_string()))?;
    let options = BatchOptions {
        today,
        explain: args.explain.into(),
        format: match args.format {
            BatchOutput::Ndjson => BatchFormat::Ndjson,
            BatchOutput::Csv => BatchFormat::Csv,
        },
    };
    let columns = SummaryColumns::new(
        plans
            .all()
            .flat_map(|p| p.catalog.categories.iter().map(String::as_str)),
    );
    let cohort = open_cohort(&args.input.cohort, args.input.input_format)?;
    let mut out = Output::create(&args.out)?;
    if options.format == BatchFormat::Csv {
        out.write(&columns.header())?;
    }
    let mut errors = ErrorSink::open(args.input.errors.as_deref())?;
    let mut progress = Progress::new(&cohort);
    let result = pipeline::run(
        cohort.learners,
        args.chunk,
        |raw| batch::process(raw, &plans, &options, &columns),
        |result| {
            progress.tick();
            match result {
                Ok(bytes) => out.write(&bytes),
                Err(e) => errors.report(&e),
            }
        },
    );
    progress.finish();
    let counts = match result {
        Ok(counts) => counts,
        Err(PipelineError::Consumer(e)) => return Err(e),
        Err(PipelineError::Input(e)) => {
            out.finish()?;
            errors.finish()?;
            return Err(CliError::Evaluate(e.to_string()));
        }
    };
    out.finish()?;
    let failed = errors.finish()?;
    eprintln!(
        "{}",
        cohort_io::summary("batch", counts.learners, failed, started)
    );
    Ok(if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
