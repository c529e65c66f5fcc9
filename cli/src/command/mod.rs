//! The verbs, and every flag they take, defined in one place.

mod batch;
mod check;
mod dry_run;
mod eval;
mod explain_code;
mod fmt;
mod gen_cohort;
mod replay;
mod review;
mod serve;
mod stats;
mod test;
mod what_if;

use crate::error::CliError;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// creditbank: a rules engine for credit banks (学分银行).
#[derive(Debug, Parser)]
#[command(name = "creditbank", version, about, long_about = None)]
pub struct Cli {
    /// The verb.
    #[command(subcommand)]
    pub command: Command,
}

/// The verbs.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check ruleset files and report every problem, with file, line, column and a hint.
    ///
    /// Exits 1 if any file has errors (or warnings, with --deny-warnings).
    Check(CheckArgs),
    /// Print ruleset files in the canonical layout, or check that they are.
    ///
    /// Rewrites the files in place unless --check or --stdout is given.
    Fmt(FmtArgs),
    /// Explain a diagnostic code, like `rustc --explain`.
    ExplainCode(ExplainCodeArgs),
    /// Evaluate a learner record: credits per category, GPA, failed credits, each explained.
    ///
    /// The ruleset version is the one in force at the learner's enrolment date, unless an
    /// exception in the record names another.
    Eval(EvalArgs),
    /// Evaluate a learner under another program or version (`--program ID[@VERSION]`).
    WhatIf(WhatIfArgs),
    /// Review a batch of submitted outcomes: approved, rejected and manual lists with reasons.
    Review(ReviewArgs),
    /// Replay a decision log (`serve --decision-log`): make each decision again and compare.
    ///
    /// Each decision is made from the learner's record (or the application, for a review)
    /// under the version the log names. Exits 1 if a decision differs, cannot be replayed (its version is unknown or its source
    /// changed since), or a line is not a decision.
    Replay(replay::ReplayArgs),
    /// Run the ruleset test cases (`tests/*.yaml` below DIR) and measure rule coverage.
    ///
    /// Exits 1 if any case fails, or if coverage is below --min-coverage.
    Test(TestArgs),
    /// Evaluate every learner of a cohort in parallel: one report per learner (NDJSON) or
    /// one CSV row of summary columns, in input order.
    ///
    /// A learner that cannot be read or evaluated is reported with its line number, and the
    /// rest go on; the exit code is then 1.
    Batch(batch::BatchArgs),
    /// What a new version of a ruleset does to every learner of a cohort: the rules changed,
    /// the learners whose results differ and why, and the impact as transition counts.
    ///
    /// Exits 0, or 1 with --fail-on-change when any learner's result changes.
    DryRun(dry_run::DryRunArgs),
    /// Statistics of a cohort: warnings per level, credits per category, GPA histogram,
    /// graduation and program eligibility, as a table, CSV, JSON or a self-contained HTML report.
    Stats(stats::StatsArgs),
    /// Generate a deterministic synthetic cohort for demos, tests and benchmarks.
    GenCohort(gen_cohort::GenCohortArgs),
    /// Serve the evaluation API over HTTP (docs/SERVICE.md): every ruleset version under
    /// --rulesets, reloaded on `POST /v1/admin/reload`, SIGHUP or, with --watch, on change.
    ///
    /// Prints `listening on http://ADDR` once bound; stops on SIGTERM or ctrl-c after the
    /// requests in flight finish.
    Serve(serve::ServeArgs),
}

/// `creditbank what-if`
#[derive(Debug, clap::Args)]
pub struct WhatIfArgs {
    /// The learner record, YAML or JSON.
    #[arg(long, value_name = "FILE")]
    pub learner: PathBuf,
    /// The program to weigh, `ID` or `ID@VERSION`.
    #[arg(long, value_name = "ID[@VERSION]")]
    pub program: String,
    /// Ruleset files or directories.
    #[arg(long, value_name = "FILE|DIR", default_value = "rulesets")]
    pub ruleset: Vec<PathBuf>,
    /// The evaluation date when the record has no `as_of` (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// How much explanation: none, rules, reasons or full.
    #[arg(long, value_enum, default_value = "reasons")]
    pub explain: ExplainLevel,
    /// How to print the report.
    #[arg(long, value_enum, default_value_t)]
    pub format: ReportFormat,
}

/// Output formats for review decisions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ReviewFormat {
    /// Lists by decision.
    #[default]
    Table,
    /// A JSON array.
    Json,
    /// CSV, one row per application.
    Csv,
}

/// `creditbank review`
#[derive(Debug, clap::Args)]
pub struct ReviewArgs {
    /// The applications, YAML or JSON: `program`, optional `version`, `applications:
    /// [{ learner, outcome }]`.
    #[arg(long, value_name = "FILE")]
    pub applications: PathBuf,
    /// Ruleset files or directories.
    #[arg(long, value_name = "FILE|DIR", default_value = "rulesets")]
    pub ruleset: Vec<PathBuf>,
    /// How to print the decisions.
    #[arg(long, value_enum, default_value_t)]
    pub format: ReviewFormat,
}

/// Output formats for reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// A readable table.
    #[default]
    Table,
    /// The report's JSON schema.
    Json,
    /// The same as YAML.
    Yaml,
}

/// `creditbank eval`
#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// The learner record, YAML or JSON (see docs/RECORDS.md).
    #[arg(long, value_name = "FILE")]
    pub learner: PathBuf,
    /// Ruleset files or directories holding the learner's program.
    #[arg(long, value_name = "FILE|DIR", default_value = "rulesets")]
    pub ruleset: Vec<PathBuf>,
    /// The evaluation date when the record has no `as_of` (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// How much explanation: none, rules, reasons or full.
    #[arg(long, value_enum, default_value = "reasons")]
    pub explain: ExplainLevel,
    /// How to print the report.
    #[arg(long, value_enum, default_value_t)]
    pub format: ReportFormat,
}

/// `--explain` levels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExplainLevel {
    /// Figures only.
    None,
    /// Each figure with the rule behind it, without the words.
    Rules,
    /// Each figure with its rule and why.
    Reasons,
    /// Everything, with each course attempt.
    Full,
}

impl From<ExplainLevel> for creditbank_engine::report::Explain {
    fn from(level: ExplainLevel) -> Self {
        match level {
            ExplainLevel::None => Self::None,
            ExplainLevel::Rules => Self::Rules,
            ExplainLevel::Reasons => Self::Reasons,
            ExplainLevel::Full => Self::Full,
        }
    }
}

/// Output formats for diagnostics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum DiagnosticFormat {
    /// Human-readable, with the source line and a caret (on standard error).
    #[default]
    Text,
    /// One JSON document on standard output, for editors and web frontends.
    Json,
}

/// `creditbank check`
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Ruleset files or directories (searched for `.cbr` files); `-` reads standard input.
    #[arg(required = true, value_name = "FILE|DIR")]
    pub paths: Vec<PathBuf>,
    /// How to report diagnostics.
    #[arg(long, value_enum, default_value_t)]
    pub format: DiagnosticFormat,
    /// Treat warnings as errors for the exit code.
    #[arg(long)]
    pub deny_warnings: bool,
}

/// `creditbank fmt`
#[derive(Debug, clap::Args)]
pub struct FmtArgs {
    /// Ruleset files or directories; `-` reads standard input and writes standard output.
    #[arg(required = true, value_name = "FILE|DIR")]
    pub paths: Vec<PathBuf>,
    /// Do not write; list the files that are not formatted, show how, and exit 1 if any.
    #[arg(long, conflicts_with = "stdout")]
    pub check: bool,
    /// Write the formatted text to standard output instead of the files.
    #[arg(long)]
    pub stdout: bool,
}

/// `creditbank explain-code`
#[derive(Debug, clap::Args)]
pub struct ExplainCodeArgs {
    /// The code, e.g. `E011`.
    #[arg(required_unless_present = "list")]
    pub code: Option<String>,
    /// List every code with its title.
    #[arg(long)]
    pub list: bool,
}

/// `creditbank test`
#[derive(Debug, clap::Args)]
pub struct TestArgs {
    /// The directory holding the rulesets and their `tests/` folders.
    #[arg(default_value = "rulesets", value_name = "DIR")]
    pub dir: PathBuf,
    /// Fail when fewer than this percentage of the rules are exercised.
    #[arg(long, value_name = "PCT")]
    pub min_coverage: Option<rust_decimal::Decimal>,
    /// How to print the results.
    #[arg(long, value_enum, default_value_t)]
    pub format: TestFormat,
}

/// Output formats for `test`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum TestFormat {
    /// Readable: `ok`/`FAILED` per case, diffs, summary, coverage.
    #[default]
    Text,
    /// One JSON document.
    Json,
}

/// Runs a verb.
pub fn run(cli: Cli) -> Result<ExitCode, CliError> {
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::ExplainCode(args) => explain_code::run(&args),
        Command::Eval(args) => eval::run(&args),
        Command::Test(args) => test::run(&args),
        Command::WhatIf(args) => what_if::run(&args),
        Command::Review(args) => review::run(&args),
        Command::Replay(args) => replay::run(&args),
        Command::Batch(args) => batch::run(&args),
        Command::DryRun(args) => dry_run::run(&args),
        Command::Stats(args) => stats::run(&args),
        Command::GenCohort(args) => gen_cohort::run(&args),
        Command::Serve(args) => serve::run(&args),
    }
}
