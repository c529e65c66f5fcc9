//! `creditbank explain-code E011`

use super::ExplainCodeArgs;
use crate::error::CliError;
use creditbank_dsl::Code;
use std::process::ExitCode;

/// Prints the long explanation of a code, or the list of codes.
pub fn run(args: &ExplainCodeArgs) -> Result<ExitCode, CliError> {
    if args.list {
        for code in Code::ALL {
            println!("{}  {}", code.as_str(), code.title());
        }
        return Ok(ExitCode::SUCCESS);
    }
    let text = args.code.as_deref().unwrap_or_default();
    let code = Code::parse(text).ok_or_else(|| CliError::UnknownCode(text.to_string()))?;
    print!("{}", code.explanation());
    Ok(ExitCode::SUCCESS)
}
