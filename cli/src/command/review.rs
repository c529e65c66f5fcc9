//! `creditbank review --applications FILE`: batch review of submitted outcomes, as approved,
//! rejected and manual lists with reasons.

use super::{ReviewArgs, ReviewFormat};
use crate::command::eval::load_library;
use crate::error::CliError;
use crate::output;
use creditbank_engine::applications::{review_all, Applications, ReviewLine};
use creditbank_engine::evaluate::Plan;
use std::fmt::Write;
use std::process::ExitCode;

/// Reviews every application of the file.
pub fn run(args: &ReviewArgs) -> Result<ExitCode, CliError> {
    let Some(library) = load_library(&args.ruleset)? else {
        return Ok(ExitCode::FAILURE);
    };
    let batch = read_applications(&args.applications)?;
    let version = library
        .version_or_latest(&batch.program, batch.version.as_deref())
        .map_err(|e| CliError::Evaluate(e.to_string()))?;
    let plan = Plan::compile(version).map_err(|e| CliError::Evaluate(e.to_string()))?;
    let lines = review_all(&plan, &batch.applications);
    let out = match args.format {
        ReviewFormat::Json => serde_json::to_string_pretty(&lines)? + "\n",
        ReviewFormat::Csv => csv(&lines),
        ReviewFormat::Table => table(&lines),
    };
    output::stdout(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// Reads a batch of applications, YAML or JSON (JSON when the text starts with `{`).
pub fn read_applications(path: &std::path::Path) -> Result<Applications, CliError> {
    let text = std::fs::read_to_string(path).map_err(|source| CliError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let bad = |message: String| CliError::Record {
        path: path.to_path_buf(),
        message,
    };
    if text.trim_start().starts_with('{') {
        serde_json::from_str(&text).map_err(|e| bad(e.to_string()))
    } else {
        serde_yaml::from_str(&text).map_err(|e| bad(e.to_string()))
    }
}

fn table(lines: &[ReviewLine]) -> String {
    let mut out = String::new();
    for decision in ["approved", "rejected", "manual", "unrecognised"] {
        let group: Vec<&ReviewLine> = lines.iter().filter(|l| l.decision == decision).collect();
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{decision} ({})", group.len());
        for l in group {
            let _ = writeln!(
                out,
                "  {:<12} {:<16} {:<14} {}",
                l.learner, l.outcome, l.kind, l.reason
            );
        }
    }
    out
}

/// RFC 4180 CSV: a header, then one row per application.
fn csv(lines: &[ReviewLine]) -> String {
    fn field(text: &str) -> String {
        if text.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text.to_string()
        }
    }
    let mut out = String::from("learner,outcome,kind,decision,reason,at\n");
    for l in lines {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{}",
            field(&l.learner),
            field(&l.outcome),
            field(&l.kind),
            l.decision,
            field(&l.reason),
            field(l.at.as_deref().unwrap_or(""))
        );
    }
    out
}
