//! `creditbank replay --log FILE [--cohort FILE] [--applications FILE]... [--ruleset DIR]
//! [--format table|json]`
//!
//! Makes every decision of a decision log (`serve --decision-log`) again, from the learners'
//! records and the submitted applications, under the version each line names, and compares the
//! summaries (docs/SERVICE.md). The log names learners only by the SHA-256 of their id: the
//! cohort is read as a stream, and only the records the log names are evaluated. Exits 1 if a
//! decision differs, cannot be replayed (its version is unknown, or its source changed), or a
//! line of the log is not a decision; decisions no input names are listed, and do not fail.

use super::eval::load_library;
use super::review::read_applications;
use crate::cohort_io::{open_cohort, parse_input_format};
use crate::error::CliError;
use crate::output;
use creditbank_cohort::decision_log::learner_hash;
use creditbank_cohort::input::InputFormat;
use creditbank_cohort::plans::Plans;
use creditbank_cohort::replay::{ReplayReport, Replayer, Status};
use std::fmt::Write;
use std::io::BufReader;
use std::path::PathBuf;
use std::process::ExitCode;

/// `creditbank replay`
#[derive(Debug, clap::Args)]
#[command(group(
    clap::ArgGroup::new("inputs")
        .required(true)
        .multiple(true)
        .args(["cohort", "applications"])
))]
pub struct ReplayArgs {
    /// The decision log: one JSON decision per line, as `serve --decision-log` appends them.
    #[arg(long, value_name = "FILE")]
    pub log: PathBuf,
    /// The learners' records, as they were when the decisions were made: a cohort in any
    /// format `batch` reads (docs/COHORTS.md).
    #[arg(long, value_name = "FILE")]
    pub cohort: Option<PathBuf>,
    /// ndjson, json, yaml or csv; by default the cohort's extension, else told from its start.
    #[arg(long, value_name = "FORMAT", value_parser = parse_input_format)]
    pub input_format: Option<InputFormat>,
    /// Submitted applications, for the log's reviews (the file `review --applications`
    /// reads); repeat for more.
    #[arg(long, value_name = "FILE")]
    pub applications: Vec<PathBuf>,
    /// Ruleset files or directories holding the versions the log names.
    #[arg(long, value_name = "FILE|DIR", default_value = "rulesets")]
    pub ruleset: Vec<PathBuf>,
    /// How to print the replay.
    #[arg(long, value_enum, default_value_t)]
    pub format: ReplayFormat,
}

/// `--format` values of `replay`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ReplayFormat {
    /// A summary line, then each decision not reproduced.
    #[default]
    Table,
    /// Every decision, as one JSON document.
    Json,
}

/// Replays the log.
pub fn run(args: &ReplayArgs) -> Result<ExitCode, CliError> {
    let Some(library) = load_library(&args.ruleset)? else {
        return Ok(ExitCode::FAILURE);
    };
    let plans = Plans::compile(&library).map_err(|e| CliError::Evaluate(e.to_string()))?;
    let log = std::fs::File::open(&args.log).map_err(|source| CliError::Read {
        path: args.log.clone(),
        source,
    })?;
    let mut replayer =
        Replayer::new(&plans, BufReader::new(log)).map_err(|source| CliError::Read {
            path: args.log.clone(),
            source,
        })?;
    if let Some(path) = &args.cohort {
        let cohort = open_cohort(path, args.input_format)?;
        for raw in cohort.learners {
            let raw = raw.map_err(|e| CliError::Evaluate(e.to_string()))?;
            // Every record is read for its id (a cheap scan of the text can be fooled by a
            // nested `learner` key or an escape); only those the log names are evaluated.
            match raw.parse() {
                Ok(record) => replayer.record(&record),
                Err(e) => {
                    if let Some(id) = &e.learner {
                        replayer.unusable_record(&learner_hash(id), &e.to_string());
                    }
                }
            }
        }
    }
    for path in &args.applications {
        for application in &read_applications(path)?.applications {
            replayer.application(application);
        }
    }
    let report = replayer.finish();
    let text = match args.format {
        ReplayFormat::Json => serde_json::to_string_pretty(&report)? + "\n",
        ReplayFormat::Table => table(&report, &args.log.display().to_string()),
    };
    output::stdout(&text)?;
    Ok(if report.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// A summary line, then each decision not reproduced, then the lines no input named.
fn table(report: &ReplayReport, log: &str) -> String {
    let c = &report.counts;
    let mut out = format!(
        "replayed {log}: {} decisions, {} reproduced, {} differ, {} not replayable, {} without \
         input",
        c.decisions, c.reproduced, c.differ, c.not_replayable, c.no_input
    );
    match c.unreadable {
        0 => out.push('\n'),
        1 => out.push_str("; 1 line is not a decision\n"),
        n => {
            let _ = writeln!(out, "; {n} lines are not decisions");
        }
    }
    for d in &report.decisions {
        let heading = |out: &mut String| {
            let outcome = d
                .outcome
                .as_deref()
                .map(|o| format!(" outcome {o}"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "line {}: {} {} under {} {}, learner {}{outcome}",
                d.line, d.endpoint, d.decision_id, d.ruleset, d.version, d.learner_sha256
            );
        };
        match &d.status {
            Status::Reproduced | Status::NoInput => {}
            Status::Differs { differences } => {
                heading(&mut out);
                for x in differences {
                    let _ = writeln!(
                        out,
                        "  {}: logged {}, replayed {}",
                        x.field, x.logged, x.replayed
                    );
                }
            }
            Status::NotReplayable { reason } => {
                heading(&mut out);
                let _ = writeln!(out, "  not replayable: {reason}");
            }
        }
    }
    for u in &report.unreadable {
        let _ = writeln!(out, "line {}: {}", u.line, u.message);
    }
    let without: Vec<usize> = report
        .decisions
        .iter()
        .filter(|d| d.status == Status::NoInput)
        .map(|d| d.line)
        .collect();
    if !without.is_empty() {
        let _ = writeln!(
            out,
            "no record or application names the learner of line{} {}",
            if without.len() == 1 { "" } else { "s" },
            ranges(&without)
        );
    }
    out
}

/// Increasing line numbers as runs: `3, 7-9, 12`.
fn ranges(lines: &[usize]) -> String {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for &line in lines {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == line => *end = line,
            _ => runs.push((line, line)),
        }
    }
    runs.iter()
        .map(|&(start, end)| {
            if start == end {
                start.to_string()
            } else {
                format!("{start}-{end}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn lines_are_listed_as_runs() {
        assert_eq!(super::ranges(&[3, 7, 8, 9, 12]), "3, 7-9, 12");
        assert_eq!(super::ranges(&[1]), "1");
        assert_eq!(super::ranges(&[]), "");
    }
}
