//! `creditbank check FILE|DIR...`

use super::{CheckArgs, DiagnosticFormat};
use crate::error::CliError;
use crate::inputs;
use creditbank_dsl::diagnostic::{self, JsonDiagnostic};
use std::process::ExitCode;

#[derive(serde::Serialize)]
struct JsonReport {
    files: usize,
    errors: usize,
    warnings: usize,
    diagnostics: Vec<JsonDiagnostic>,
}

/// Checks every file, prints all diagnostics, and fails if any file has errors.
pub fn run(args: &CheckArgs) -> Result<ExitCode, CliError> {
    let origins = inputs::expand(&args.paths)?;
    let mut report = JsonReport {
        files: origins.len(),
        errors: 0,
        warnings: 0,
        diagnostics: Vec::new(),
    };
    let sources = origins
        .iter()
        .map(inputs::read)
        .collect::<Result<Vec<_>, _>>()?;
    // Checked together, so that the versions of each ruleset are checked against each other.
    for (source, checked) in sources.iter().zip(creditbank_dsl::check_set(&sources)) {
        let errors = checked.diagnostics.iter().filter(|d| d.is_error()).count();
        report.errors += errors;
        report.warnings += checked.diagnostics.len() - errors;
        match args.format {
            DiagnosticFormat::Text => {
                if !checked.diagnostics.is_empty() {
                    eprint!("{}", diagnostic::render_all(&checked.diagnostics, source));
                }
            }
            DiagnosticFormat::Json => report.diagnostics.extend(
                checked
                    .diagnostics
                    .iter()
                    .map(|d| diagnostic::to_json(d, source)),
            ),
        }
    }
    match args.format {
        DiagnosticFormat::Text => eprintln!(
            "checked {} {}: {} {}, {} {}",
            report.files,
            plural(report.files, "file", "files"),
            report.errors,
            plural(report.errors, "error", "errors"),
            report.warnings,
            plural(report.warnings, "warning", "warnings"),
        ),
        DiagnosticFormat::Json => {
            crate::output::stdout(&(serde_json::to_string_pretty(&report)? + "\n"))?
        }
    }
    let failed = report.errors > 0 || (args.deny_warnings && report.warnings > 0);
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}
