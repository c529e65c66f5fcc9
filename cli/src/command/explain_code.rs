//! `creditbank explain-code E011`

use super::ExplainCodeArgs;
use crate::error::CliError;
use creditbank_dsl::Code;
use std::process::ExitCode;

/// Prints the long explanation of a code, or the list of codes.
pub fn run(args: &ExplainCodeArgs) -> Result<ExitCode, CliError> {
    if args.list {
        let list: String = Code::ALL
            .iter()
            .map(|code| format!("{}  {}\n", code.as_str(), code.title()))
            .collect();
        crate::output::stdout(&list)?;
        return Ok(ExitCode::SUCCESS);
    }
    let text = args.code.as_deref().unwrap_or_default();
    let code = Code::parse(text).ok_or_else(|| CliError::UnknownCode(text.to_string()))?;
    crate::output::stdout(code.explanation())?;
    Ok(ExitCode::SUCCESS)
}
