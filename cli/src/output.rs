//! Writing to standard output without panicking when the reader goes away.
//!
//! `println!` panics on a closed pipe (`creditbank check --format json x | head`); these
//! functions report it as [`CliError::ClosedPipe`] instead, which `main` treats as a quiet end.

use crate::error::CliError;
use std::io::Write;

/// Writes `text` to standard output.
pub fn stdout(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                CliError::ClosedPipe
            } else {
                CliError::Stdout(e)
            }
        })
}
