//! Finding and reading the ruleset files named on the command line.

use crate::error::CliError;
use creditbank_dsl::SourceFile;
use std::io::Read;
use std::path::PathBuf;

/// Where a source came from: a file, or standard input (`-`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A file on disk.
    File(PathBuf),
    /// Standard input.
    Stdin,
}

/// Expands the paths given on the command line: a file stands for itself, a directory for
/// every `.cbr` file below it (sorted, so output order is stable), `-` for standard input.
pub fn expand(paths: &[PathBuf]) -> Result<Vec<Origin>, CliError> {
    let mut out = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            out.push(Origin::Stdin);
        } else if path.is_dir() {
            let found = creditbank_dsl::files::ruleset_files(path).map_err(|e| CliError::Read {
                path: e.path,
                source: e.source,
            })?;
            if found.is_empty() {
                return Err(CliError::NoRulesets(path.clone()));
            }
            out.extend(found.into_iter().map(Origin::File));
        } else {
            out.push(Origin::File(path.clone()));
        }
    }
    Ok(out)
}

/// Reads one source. Invalid UTF-8 is read lossily (the parser then reports the replacement
/// characters where they stand) rather than refused, so the author sees where the bad bytes are.
pub fn read(origin: &Origin) -> Result<SourceFile, CliError> {
    match origin {
        Origin::Stdin => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|source| CliError::Read {
                    path: PathBuf::from("-"),
                    source,
                })?;
            Ok(SourceFile::new(
                "<stdin>",
                String::from_utf8_lossy(&bytes).into_owned(),
            ))
        }
        Origin::File(path) => {
            let bytes = std::fs::read(path).map_err(|source| CliError::Read {
                path: path.clone(),
                source,
            })?;
            Ok(SourceFile::new(
                path.display().to_string(),
                String::from_utf8_lossy(&bytes).into_owned(),
            ))
        }
    }
}

/// The `--as-of DATE` of a verb: `None` when not given, an error naming the text when it is not
/// a `YYYY-MM-DD` date.
pub fn as_of(text: Option<&str>) -> Result<Option<creditbank_dsl::ast::Date>, CliError> {
    text.map(|t| {
        creditbank_engine::record::parse_date(t).ok_or_else(|| CliError::BadDate(t.to_string()))
    })
    .transpose()
}
