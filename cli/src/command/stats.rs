//! `creditbank stats --cohort FILE [--ruleset FILE|DIR] [--as-of DATE]
//! [--group-by program|enrolment-year|class] [--format table|csv|json|html] [--out FILE]`
//!
//! Evaluates every learner of the cohort and writes its statistics (docs/STATS.md). Learners
//! are read in chunks and evaluated in parallel: statistics do not depend on the order in which
//! learners are counted, so each worker counts its own and the counts are merged. A learner
//! that cannot be read or evaluated is reported with its line and id, in input order, and the
//! rest are counted; the exit code is then 1.

use super::eval::load_library;
use crate::error::CliError;
use crate::output;
use creditbank_cohort::input::{self, InputFormat, ItemError, RawLearner};
use creditbank_cohort::stats::{self, GroupBy, RulesetFacts, Stats, Summary};
use creditbank_dsl::ast::Date;
use creditbank_engine::evaluate::{evaluate, Plan};
use creditbank_engine::library::Library;
use creditbank_engine::record::{self, ExceptionAction, LearnerRecord};
use creditbank_engine::report::Explain;
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// `creditbank stats`
#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// The cohort: NDJSON, a JSON array, multi-document YAML or CSV (docs/COHORTS.md); `-`
    /// reads standard input.
    #[arg(long, value_name = "FILE")]
    pub cohort: PathBuf,
    /// ndjson, json, yaml or csv; by default the file's extension, else told from its start.
    #[arg(long, value_name = "FORMAT", value_parser = parse_input_format)]
    pub input_format: Option<InputFormat>,
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
    /// Where to report learners that cannot be read or evaluated; standard error when absent.
    #[arg(long, value_name = "FILE")]
    pub errors: Option<PathBuf>,
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

fn parse_input_format(text: &str) -> Result<InputFormat, String> {
    text.parse()
        .map_err(|e: creditbank_cohort::input::UnknownFormat| e.to_string())
}

/// Learners read before a chunk is evaluated: enough to keep every core busy, few enough that
/// memory stays small whatever the cohort's size.
const CHUNK: usize = 4096;

/// Every version of every ruleset, compiled once.
struct Plans<'l> {
    library: &'l Library,
    by_version: HashMap<(&'l str, &'l str), Plan>,
}

impl<'l> Plans<'l> {
    fn compile(library: &'l Library) -> Result<Self, CliError> {
        let mut by_version = HashMap::new();
        for version in library.all() {
            let plan = Plan::compile(version).map_err(|e| {
                CliError::Evaluate(format!(
                    "ruleset `{}` version `{}`: {e}",
                    version.id, version.version
                ))
            })?;
            by_version.insert((version.id.as_str(), version.version.as_str()), plan);
        }
        Ok(Plans {
            library,
            by_version,
        })
    }

    /// The plan a learner is evaluated under: the version in force at enrolment, or the one
    /// an exception names.
    fn for_learner(&self, learner: &LearnerRecord) -> Result<(&Plan, &'static str), String> {
        let named = learner.exceptions.iter().find_map(|e| match &e.action {
            ExceptionAction::Version { version } => Some(version.as_str()),
            _ => None,
        });
        let version = self
            .library
            .select(&learner.program, learner.enrolled, named)
            .map_err(|e| e.to_string())?;
        let plan = self
            .by_version
            .get(&(version.id.as_str(), version.version.as_str()))
            .ok_or_else(|| format!("ruleset `{}` is not compiled", version.id))?;
        let selected = if named.is_some() {
            "named by an exception"
        } else {
            "in force at enrolment"
        };
        Ok((plan, selected))
    }
}

/// Reads, evaluates and counts one learner.
fn count(
    stats: &mut Stats,
    raw: &RawLearner,
    plans: &Plans<'_>,
    today: Option<Date>,
) -> Result<(), ItemError> {
    let learner = raw.parse()?;
    let failed = |message: String| ItemError {
        line: raw.line,
        learner: Some(learner.learner.clone()),
        message,
    };
    let (plan, selected) = plans.for_learner(&learner).map_err(failed)?;
    let report = evaluate(plan, &learner, today, Explain::None, selected)
        .map_err(|e| failed(e.to_string()))?;
    stats.add(&learner, &report);
    Ok(())
}

/// Counts a chunk of learners in parallel; the errors come back sorted by line.
fn count_chunk(
    chunk: &[RawLearner],
    plans: &Plans<'_>,
    today: Option<Date>,
    grouping: Option<GroupBy>,
) -> (Stats, Vec<ItemError>) {
    let (stats, mut errors) = chunk
        .par_iter()
        .fold(
            || (Stats::new(grouping), Vec::new()),
            |(mut stats, mut errors), raw| {
                if let Err(e) = count(&mut stats, raw, plans, today) {
                    errors.push(e);
                }
                (stats, errors)
            },
        )
        .reduce(
            || (Stats::new(grouping), Vec::new()),
            |(a, mut errors), (b, more)| {
                errors.extend(more);
                (a.merged(b), errors)
            },
        );
    errors.sort_by_key(|e| e.line);
    (stats, errors)
}

/// Where bad learners are reported.
struct ErrorSink {
    file: Option<(PathBuf, std::io::BufWriter<std::fs::File>)>,
    count: u64,
}

impl ErrorSink {
    fn open(path: Option<&Path>) -> Result<Self, CliError> {
        let file = match path {
            Some(path) => {
                let file = std::fs::File::create(path).map_err(|source| CliError::Write {
                    path: path.to_path_buf(),
                    source,
                })?;
                Some((path.to_path_buf(), std::io::BufWriter::new(file)))
            }
            None => None,
        };
        Ok(ErrorSink { file, count: 0 })
    }

    fn report(&mut self, error: &ItemError) -> Result<(), CliError> {
        self.count += 1;
        match &mut self.file {
            Some((path, out)) => writeln!(out, "{error}").map_err(|source| CliError::Write {
                path: path.clone(),
                source,
            }),
            None => {
                eprintln!("error: {error}");
                Ok(())
            }
        }
    }

    fn finish(self) -> Result<u64, CliError> {
        if let Some((path, mut out)) = self.file {
            out.flush()
                .map_err(|source| CliError::Write { path, source })?;
        }
        Ok(self.count)
    }
}

/// A spinner with the count and rate, on a terminal only.
fn progress() -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new_spinner();
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} {human_pos} learners  {per_sec}  {elapsed}",
    ) {
        bar.set_style(style);
    }
    Some(bar)
}

/// Writes the statistics of a cohort.
pub fn run(args: &StatsArgs) -> Result<ExitCode, CliError> {
    let started = Instant::now();
    let today = match &args.as_of {
        Some(text) => {
            Some(record::parse_date(text).ok_or_else(|| CliError::BadDate(text.clone()))?)
        }
        None => None,
    };
    let Some(library) = load_library(&args.ruleset)? else {
        return Ok(ExitCode::FAILURE);
    };
    let plans = Plans::compile(&library)?;
    let grouping = args.group_by.map(GroupBy::from);
    // The input error names the file and what went wrong.
    let learners = input::open(&args.cohort, args.input_format)
        .map_err(|e| CliError::Evaluate(e.to_string()))?;

    let mut errors = ErrorSink::open(args.errors.as_deref())?;
    let mut stats = Stats::new(grouping);
    let progress = progress();
    let mut chunk = Vec::with_capacity(CHUNK);
    let mut read_error = None;
    let mut learners = learners.peekable();
    while learners.peek().is_some() {
        chunk.clear();
        for item in learners.by_ref().take(CHUNK) {
            match item {
                Ok(raw) => chunk.push(raw),
                Err(e) => {
                    read_error = Some(e);
                    break;
                }
            }
        }
        let (counted, bad) = count_chunk(&chunk, &plans, today, grouping);
        stats.merge(&counted);
        for e in &bad {
            errors.report(e)?;
        }
        if let Some(bar) = &progress {
            bar.inc(chunk.len() as u64);
        }
        if read_error.is_some() {
            break;
        }
    }
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    if let Some(e) = read_error {
        return Err(CliError::Evaluate(format!(
            "`{}`: {e}",
            args.cohort.display()
        )));
    }
    let bad = errors.finish()?;

    let facts = RulesetFacts::from_plans(plans.by_version.values());
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

    let counted = stats.overall().learners();
    let seconds = started.elapsed().as_secs_f64();
    let rate = if seconds > 0.0 {
        format!("{:.0}", counted as f64 / seconds)
    } else {
        "-".to_string()
    };
    eprintln!(
        "stats: {counted} learners counted, {bad} with errors, in {seconds:.2} s ({rate} learners/s)"
    );
    Ok(if bad > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
