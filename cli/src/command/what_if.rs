//! `creditbank what-if --learner FILE --program ID[@VERSION]`: the same record under another
//! program or version, for a student weighing a minor or a change of major.

use super::WhatIfArgs;
use crate::command::eval::{load_library, read_learner, render};
use crate::error::CliError;
use crate::output;
use creditbank_engine::evaluate::{evaluate, Plan};
use std::process::ExitCode;

/// Evaluates the learner under the named program (and version, if given).
pub fn run(args: &WhatIfArgs) -> Result<ExitCode, CliError> {
    let Some(library) = load_library(&args.ruleset)? else {
        return Ok(ExitCode::FAILURE);
    };
    let mut learner = read_learner(&args.learner)?;
    let (program, version) = match args.program.split_once('@') {
        Some((p, v)) => (p.to_string(), Some(v.to_string())),
        None => (args.program.clone(), None),
    };
    let today = crate::inputs::as_of(args.as_of.as_deref())?;
    let selected = library
        .select(&program, learner.enrolled, version.as_deref())
        .map_err(|e| CliError::Evaluate(format!("learner `{}`: {e}", learner.learner)))?;
    learner.program = program;
    let why = if version.is_some() {
        "what-if: named version"
    } else {
        "what-if: in force at enrolment"
    };
    let plan = Plan::compile(selected).map_err(|e| CliError::Evaluate(e.to_string()))?;
    let report = evaluate(&plan, &learner, today, args.explain.into(), why)
        .map_err(|e| CliError::Evaluate(e.to_string()))?;
    output::stdout(&render(&report, args.format)?)?;
    Ok(ExitCode::SUCCESS)
}
