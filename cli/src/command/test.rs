//! `creditbank test [DIR] [--min-coverage PCT] [--format text|json]`: runs the ruleset test
//! cases (`tests/*.yaml` below DIR) and measures which rules they exercised.

use super::{eval::load_library, TestArgs, TestFormat};
use crate::error::CliError;
use crate::output;
use creditbank_engine::cases::{self, CaseFile, RunResult, Verdict};
use rust_decimal::Decimal;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Runs every case and prints the results and the coverage.
pub fn run(args: &TestArgs) -> Result<ExitCode, CliError> {
    let Some(library) = load_library(std::slice::from_ref(&args.dir))? else {
        return Ok(ExitCode::FAILURE);
    };
    let mut paths = Vec::new();
    find_cases(&args.dir, &mut paths)?;
    paths.sort();
    let files = paths
        .iter()
        .map(|path| {
            std::fs::read_to_string(path)
                .map(|text| CaseFile {
                    name: path.display().to_string(),
                    text,
                })
                .map_err(|source| CliError::Read {
                    path: path.clone(),
                    source,
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let result = cases::run(&library, &files);
    let (covered, total) = result.coverage_total();
    let share = cases::percent(covered, total);
    let enough = args.min_coverage.is_none_or(|min| share >= min);
    let text = match args.format {
        TestFormat::Json => {
            let mut value = serde_json::to_value(&result)?;
            if let Some(map) = value.as_object_mut() {
                map.insert("passed".into(), result.passed().into());
                map.insert("failed".into(), result.failed().into());
                map.insert("known_defects".into(), result.known_defects().into());
                map.insert("coverage_percent".into(), format!("{share:.1}").into());
            }
            serde_json::to_string_pretty(&value)? + "\n"
        }
        TestFormat::Text => text(&result, files.is_empty(), args.min_coverage, enough),
    };
    output::stdout(&text)?;
    Ok(if result.failed() == 0 && enough {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Every `tests/*.yaml` (or `.yml`) below `dir`.
fn find_cases(dir: &Path, found: &mut Vec<PathBuf>) -> Result<(), CliError> {
    let read_error = |source| CliError::Read {
        path: dir.to_path_buf(),
        source,
    };
    let in_tests = dir.file_name().is_some_and(|n| n == "tests");
    for entry in std::fs::read_dir(dir).map_err(read_error)? {
        let path = entry.map_err(read_error)?.path();
        if path.is_dir() {
            find_cases(&path, found)?;
        } else if in_tests && path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            found.push(path);
        }
    }
    Ok(())
}

fn text(result: &RunResult, no_files: bool, min: Option<Decimal>, enough: bool) -> String {
    let mut out = String::new();
    if no_files {
        let _ = writeln!(
            out,
            "no test cases found (`tests/*.yaml` below the directory)"
        );
    }
    for case in &result.cases {
        let ruleset = case.ruleset.as_deref().unwrap_or("-");
        let label = format!("{} ({}, {ruleset})", case.name, case.file);
        match &case.verdict {
            Verdict::Passed => {
                let _ = writeln!(out, "ok      {label}");
            }
            Verdict::Failed { differences } => {
                let _ = writeln!(out, "FAILED  {label}");
                for d in differences {
                    let _ = writeln!(out, "    {d}");
                }
            }
            Verdict::KnownDefect {
                defect,
                differences,
            } => {
                let _ = writeln!(out, "defect  {label}");
                let _ = writeln!(out, "    known engine defect: {defect}");
                for d in differences {
                    let _ = writeln!(out, "    {d}");
                }
            }
            Verdict::Fixed { defect } => {
                let _ = writeln!(out, "FAILED  {label}");
                let _ = writeln!(
                    out,
                    "    passes now: remove its `known_defect` (\"{defect}\")"
                );
            }
            Verdict::Error { message } => {
                let _ = writeln!(out, "FAILED  {label}");
                let _ = writeln!(out, "    error: {message}");
            }
        }
    }
    let _ = writeln!(out);
    let _ = write!(
        out,
        "{} passed, {} failed",
        result.passed(),
        result.failed()
    );
    match result.known_defects() {
        0 => {
            let _ = writeln!(out);
        }
        n => {
            let _ = writeln!(out, ", {n} known engine defects");
        }
    }
    let _ = writeln!(out);
    for version in &result.coverage {
        let _ = writeln!(
            out,
            "coverage {} {}: {}",
            version.ruleset,
            version.version,
            cases::summary(version.covered(), version.units.len())
        );
        for unit in version.units.iter().filter(|u| !u.covered) {
            let _ = writeln!(
                out,
                "    not exercised: {} `{}` at {}",
                unit.kind, unit.id, unit.at
            );
        }
    }
    let (covered, total) = result.coverage_total();
    let _ = writeln!(out, "coverage: {}", cases::summary(covered, total));
    if let (Some(min), false) = (min, enough) {
        let _ = writeln!(out, "error: coverage is below the minimum of {min}%");
    }
    out
}
