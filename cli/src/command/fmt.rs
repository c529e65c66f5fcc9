//! `creditbank fmt [--check] FILE|DIR...`

use super::FmtArgs;
use crate::error::CliError;
use crate::inputs::{self, Origin};
use creditbank_dsl::diagnostic;
use std::process::ExitCode;

/// Formats every file; with `--check`, reports the ones that are not formatted instead.
pub fn run(args: &FmtArgs) -> Result<ExitCode, CliError> {
    let origins = inputs::expand(&args.paths)?;
    let mut failed = false;
    let mut unformatted = 0;
    for origin in &origins {
        let source = inputs::read(origin)?;
        let parsed = creditbank_dsl::parse(&source);
        if parsed.diagnostics.iter().any(|d| d.is_error()) {
            // A file that does not parse cannot be formatted without losing what did not parse.
            eprint!("{}", diagnostic::render_all(&parsed.diagnostics, &source));
            eprintln!(
                "error: not formatting `{}`: fix the errors above first",
                source.name()
            );
            failed = true;
            continue;
        }
        let formatted = creditbank_dsl::format(&parsed.file);
        if args.check {
            if formatted != source.text() {
                unformatted += 1;
                crate::output::stdout(&format!(
                    "would reformat {}\n{}",
                    source.name(),
                    unified_diff(source.name(), source.text(), &formatted)
                ))?;
            }
        } else if args.stdout || *origin == Origin::Stdin {
            crate::output::stdout(&formatted)?;
        } else if formatted != source.text() {
            if let Origin::File(path) = origin {
                std::fs::write(path, &formatted).map_err(|source| CliError::Write {
                    path: path.clone(),
                    source,
                })?;
                eprintln!("formatted {}", path.display());
            }
        }
    }
    if args.check && unformatted > 0 {
        eprintln!(
            "{unformatted} of {} files would be reformatted; run `creditbank fmt` on them",
            origins.len()
        );
        failed = true;
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn unified_diff(name: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(2)
        .header(name, &format!("{name} (formatted)"))
        .to_string()
}
