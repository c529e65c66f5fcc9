//! `creditbank stats --cohort FILE [--ruleset FILE|DIR] [--as-of DATE]
//! [--group-by program|enrolment-year|class] [--format table|csv|json|html] [--out FILE]`
//!
//! Evaluates every learner of the cohort through the cohort pipeline (read ahead, evaluated in
//! parallel on every core) and writes its statistics (docs/STATS.md). Statistics do not depend
//! on the order in which learners are counted, so each worker thread counts into its own
//! [`Stats`] and they are merged at the end. A learner that cannot be read or evaluated is
//! reported with its line and id, in input order, and the rest are counted; the exit code is
//! then 1.

use super::eval::load_library;
use crate::cohort_io::{self, open_cohort, CohortArgs, ErrorSink, Progress};
use crate::error::CliError;
use crate::output;
use creditbank_cohort::batch::{self, BatchOptions};
use creditbank_cohort::pipeline::{self, PipelineError, DEFAULT_CHUNK};
use creditbank_cohort::plans::Plans;
use creditbank_cohort::stats::{self, GroupBy, RulesetFacts, Stats, Summary};
use creditbank_engine::report::Explain;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Instant;

/// `creditbank stats`
#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// The cohort read, and where bad learners are reported.
    #[command(flatten)]
    pub input: CohortArgs,
    /// Ruleset files or directories holding the learners' programs.
    #[arg(long, value_name = "FILE|DIR", default_value = "rulesets")]
    pub ruleset: Vec<PathBuf>,
    /// The evaluation date for records without `as_of` (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Figures per group as well as for every learner. A class is the learners who enrolled
    /// in the same year in the same program (records have no class field).
    #[arg(long, value_enum, value_name = "GROUPING")]
    pub group_by: Option<Grouping>,
    /// How to write the statistics.
    #[arg(long, value_enum, default_value_t)]
    pub format: StatsFormat,
    /// Where to write them; standard output when absent.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// `--group-by` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Grouping {
    /// The record's program (ruleset id).
    Program,
    /// The year of the record's enrolment date.
    EnrolmentYear,
    /// The enrolment year and the program.
    Class,
}

impl From<Grouping> for GroupBy {
    fn from(g: Grouping) -> Self {
        match g {
            Grouping::Program => GroupBy::Program,
            Grouping::EnrolmentYear => GroupBy::EnrolmentYear,
            Grouping::Class => GroupBy::Class,
        }
    }
}

/// `--format` values of `stats`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum StatsFormat {
    /// Aligned text.
    #[default]
    Table,
    /// One figure per row: group, section, item, measure, value.
    Csv,
    /// One JSON document (schema `creditbank-stats/1`).
    Json,
    /// One self-contained HTML page with SVG charts.
    Html,
}

/// One [`Stats`] per worker thread, each behind a lock that only its own thread takes.
struct PerThread {
    slots: Vec<Mutex<Stats>>,
}

impl PerThread {
    fn new(grouping: Option<GroupBy>) -> Self {
        // One more slot for work done outside the thread pool.
        let slots = (0..=rayon::current_num_threads())
            .map(|_| Mutex::new(Stats::new(grouping)))
            .collect();
        PerThread { slots }
    }

    /// Runs `f` on the calling thread's statistics.
    fn with(&self, f: impl FnOnce(&mut Stats)) {
        let index = rayon::current_thread_index().unwrap_or(self.slots.len() - 1);
        if let Some(slot) = self.slots.get(index).or(self.slots.last()) {
            // A poisoned lock means a panic that ends the run anyway.
            let mut stats = slot.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            f(&mut stats);
        }
    }

    fn merged(self, grouping: Option<GroupBy>) -> Stats {
        self.slots
            .into_iter()
            .map(|slot| {
                slot.into_inner()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
            })
            .fold(Stats::new(grouping), Stats::merged)
    }
}

/// Writes the statistics of a cohort.
pub fn run(args: &StatsArgs) -> Result<ExitCode, CliError> {
    let started = Instant::now();
    let today = crate::inputs::as_of(args.as_of.as_deref())?;
    let Some(library) = load_library(&args.ruleset)? else {
        return Ok(ExitCode::FAILURE);
    };
    let plans = Plans::compile(&library).map_err(|e| CliError::Library(e.to_string()))?;
    let options = BatchOptions {
        today,
        explain: Explain::None,
        format: Default::default(),
    };
    let grouping = args.group_by.map(GroupBy::from);
    let cohort = open_cohort(&args.input.cohort, args.input.input_format)?;
    let mut errors = ErrorSink::open(args.input.errors.as_deref())?;
    let mut progress = Progress::new(&cohort);
    let per_thread = PerThread::new(grouping);
    let result = pipeline::run(
        cohort.learners,
        DEFAULT_CHUNK,
        |raw| {
            let record = raw.parse()?;
            batch::evaluated(raw.line, &record, &plans, &options, |report| {
                per_thread.with(|stats| stats.add(&record, report));
                Ok(())
            })
        },
        |result| {
            progress.tick();
            match result {
                Ok(()) => Ok(()),
                Err(e) => errors.report(&e),
            }
        },
    );
    progress.finish();
    let counts = match result {
        Ok(counts) => counts,
        Err(PipelineError::Consumer(e)) => return Err(e),
        Err(PipelineError::Input(e)) => {
            errors.finish()?;
            return Err(CliError::Evaluate(e.to_string()));
        }
    };
    let failed = errors.finish()?;

    let stats = per_thread.merged(grouping);
    let facts = RulesetFacts::from_plans(plans.all());
    let summary = Summary::new(&stats, &facts);
    let text = match args.format {
        StatsFormat::Table => stats::table::render(&summary),
        StatsFormat::Csv => {
            stats::csv::render(&summary).map_err(|e| CliError::Evaluate(e.to_string()))?
        }
        StatsFormat::Json => {
            stats::json(&summary).map_err(|e| CliError::Evaluate(e.to_string()))?
        }
        StatsFormat::Html => stats::html::render(&summary),
    };
    match &args.out {
        Some(path) => std::fs::write(path, text).map_err(|source| CliError::Write {
            path: path.clone(),
            source,
        })?,
        None => output::stdout(&text)?,
    }
    eprintln!(
        "{}",
        cohort_io::summary("stats", counts.learners, failed, started)
    );
    Ok(if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
