//! Errors that stop a command from running at all.

use std::path::PathBuf;

/// Why a command could not run. Problems *in* a ruleset are diagnostics, not these.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A path named on the command line could not be read.
    #[error("cannot read `{path}`: {source}")]
    Read {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A file could not be written.
    #[error("cannot write `{path}`: {source}")]
    Write {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A named path has no ruleset files.
    #[error("no `.cbr` files found in `{0}`")]
    NoRulesets(PathBuf),
    /// `explain-code` was given something that is not a code.
    #[error("`{0}` is not a diagnostic code; codes look like `E011` or `W003` (see `creditbank explain-code --list`)")]
    UnknownCode(String),
    /// Standard output was closed by its reader (e.g. `| head`): not a failure.
    #[error("standard output was closed")]
    ClosedPipe,
    /// Standard output could not be written.
    #[error("cannot write to standard output: {0}")]
    Stdout(std::io::Error),
    /// A learner record could not be read.
    #[error("`{path}`: {message}")]
    Record {
        /// The file.
        path: PathBuf,
        /// What is wrong, naming the learner and the field.
        message: String,
    },
    /// A date on the command line is not a date.
    #[error("`{0}` is not a date; write it as YYYY-MM-DD")]
    BadDate(String),
    /// The rulesets could not become a library.
    #[error("{0}")]
    Library(String),
    /// A learner could not be evaluated.
    #[error("{0}")]
    Evaluate(String),
    /// The service could not start or stopped on an error.
    #[error("{0}")]
    Serve(String),
    /// Output could not be serialised.
    #[error("cannot write JSON output: {0}")]
    Json(#[from] serde_json::Error),
}
