//! `creditbank eval --learner FILE [--ruleset FILE|DIR] [--as-of DATE] [--explain LEVEL]
//! [--format table|json|yaml]`

use super::{EvalArgs, ReportFormat};
use crate::error::CliError;
use crate::{inputs, output};
use creditbank_dsl::diagnostic;
use creditbank_engine::evaluate::{evaluate, Plan};
use creditbank_engine::library::{Library, LoadError};
use creditbank_engine::record::{self, LearnerRecord};
use creditbank_engine::report::Report;
use std::fmt::Write;
use std::path::Path;
use std::process::ExitCode;

/// Loads every ruleset under `paths`; on errors prints them and returns `None`.
pub fn load_library(paths: &[std::path::PathBuf]) -> Result<Option<Library>, CliError> {
    let sources = inputs::expand(paths)?
        .iter()
        .map(inputs::read)
        .collect::<Result<Vec<_>, _>>()?;
    match Library::load(&sources) {
        Ok(library) => Ok(Some(library)),
        Err(LoadError::Diagnostics(files)) => {
            for (index, diagnostics) in files {
                if let Some(source) = sources.get(index) {
                    eprint!("{}", diagnostic::render_all(&diagnostics, source));
                }
            }
            eprintln!("error: the rulesets have errors; fix them first (`creditbank check`)");
            Ok(None)
        }
        Err(LoadError::Library(e)) => Err(CliError::Library(e.to_string())),
    }
}

/// Reads a learner record, YAML or JSON by extension (JSON when the text starts with `{`).
pub fn read_learner(path: &Path) -> Result<LearnerRecord, CliError> {
    let text = std::fs::read_to_string(path).map_err(|source| CliError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let json = path.extension().is_some_and(|e| e == "json") || text.trim_start().starts_with('{');
    let parsed = if json {
        record::from_json(&text)
    } else {
        record::from_yaml(&text)
    };
    parsed.map_err(|e| CliError::Record {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// Evaluates one learner and prints the report.
pub fn run(args: &EvalArgs) -> Result<ExitCode, CliError> {
    let Some(library) = load_library(&args.ruleset)? else {
        return Ok(ExitCode::FAILURE);
    };
    let learner = read_learner(&args.learner)?;
    let today = crate::inputs::as_of(args.as_of.as_deref())?;
    let (version, selected) = library
        .select_for(&learner)
        .map_err(|e| CliError::Evaluate(format!("learner `{}`: {e}", learner.learner)))?;
    let plan = Plan::compile(version).map_err(|e| CliError::Evaluate(e.to_string()))?;
    let report = evaluate(&plan, &learner, today, args.explain.into(), selected)
        .map_err(|e| CliError::Evaluate(e.to_string()))?;
    output::stdout(&render(&report, args.format)?)?;
    Ok(ExitCode::SUCCESS)
}

/// The report as `format` writes it.
pub fn render(report: &Report<'_>, format: ReportFormat) -> Result<String, CliError> {
    Ok(match format {
        ReportFormat::Json => serde_json::to_string_pretty(report)? + "\n",
        ReportFormat::Yaml => {
            serde_yaml::to_string(report).map_err(|e| CliError::Evaluate(e.to_string()))?
        }
        ReportFormat::Table => table(report),
    })
}

/// The report as a readable table.
pub fn table(r: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "learner   {}   term {}   as of {}",
        r.learner, r.term, r.as_of
    );
    let _ = writeln!(
        out,
        "ruleset   {} {} ({}; {})",
        r.ruleset.id, r.ruleset.version, r.ruleset.selected, r.ruleset.content_hash
    );
    let _ = writeln!(out);
    let _ = writeln!(out, "{:<14} {:<16} {:>10}", "category", "name", "credits");
    for c in &r.categories {
        let _ = writeln!(
            out,
            "{:<14} {} {:>10}",
            c.category,
            pad(c.name, 16),
            c.credits
        );
    }
    let _ = writeln!(out, "{:<14} {:<16} {:>10}", "total", "", r.total_credits);
    let _ = writeln!(out);
    match &r.gpa {
        Some(g) => {
            let _ = writeln!(
                out,
                "GPA       {} (exact {} = {} / {})",
                g.value, g.exact, g.points, g.weight
            );
        }
        None => {
            let _ = writeln!(out, "GPA       none yet");
        }
    }
    let _ = writeln!(out, "failed    {} credits", r.failed_credits);
    let colour = std::io::IsTerminal::is_terminal(&std::io::stdout());
    for w in &r.warnings {
        let label = format!("{} {}", w.level, w.name.unwrap_or(""));
        let _ = writeln!(
            out,
            "warning   {}: {} ({})",
            paint(label.trim(), w.colour, colour),
            w.message,
            w.figures
        );
    }
    for e in &r.exceptions {
        let _ = writeln!(
            out,
            "exception {} ({}, by {}: {}){}",
            e.action,
            e.status,
            e.by,
            e.reason,
            e.problem
                .as_deref()
                .map_or_else(String::new, |p| format!(": {p}"))
        );
    }
    if !r.outcomes.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{:<16} {:<14} {:<12} {:>8}  why",
            "outcome", "kind", "decision", "credits"
        );
        for o in &r.outcomes {
            let credits = if o.would_earn.is_zero() {
                o.credits.to_string()
            } else {
                format!("({})", o.would_earn)
            };
            let _ = writeln!(
                out,
                "{:<16} {:<14} {:<12} {:>8}  {}",
                o.id,
                o.kind,
                o.decision,
                credits,
                o.reasons.join("; ")
            );
        }
    }
    for b in r.blocks() {
        let _ = writeln!(out);
        let title = b.name.unwrap_or(b.id);
        let _ = writeln!(
            out,
            "{} {}: {}",
            b.id,
            title,
            if b.met { "met" } else { "not met" }
        );
        for q in &b.requirements {
            let detail = match (&q.waived, &q.missing) {
                (Some(w), _) => format!("waived {w}"),
                (None, Some(m)) if q.status == "unmet" => m.clone(),
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                "  {:<7} {} {}",
                q.status,
                pad(q.label.unwrap_or(q.id), 40),
                detail
            );
        }
    }
    if !r.courses.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{:<10} {:<13} {:<12} {:>8}  why",
            "course", "status", "category", "credits"
        );
        for c in &r.courses {
            let why = match (&c.rule, c.reasons.is_empty()) {
                (_, false) => c.reasons.join("; "),
                (Some(rule), true) => format!("{} {}", rule.kind, rule.at),
                (None, true) => String::new(),
            };
            let _ = writeln!(
                out,
                "{:<10} {:<13} {:<12} {:>8}  {}",
                c.course,
                c.status,
                c.category.unwrap_or("-"),
                c.credits,
                why
            );
        }
    }
    out
}

/// Colours a warning level with its configured `#rrggbb` colour on a terminal (24-bit ANSI).
fn paint(text: &str, colour: &str, enabled: bool) -> String {
    let rgb = colour
        .strip_prefix('#')
        .filter(|h| h.len() == 6)
        .and_then(|h| {
            let byte = |i: usize| h.get(i..i + 2).and_then(|b| u8::from_str_radix(b, 16).ok());
            Some((byte(0)?, byte(2)?, byte(4)?))
        });
    match rgb {
        Some((r, g, b)) if enabled => format!("\x1b[1;38;2;{r};{g};{b}m{text}\x1b[0m"),
        _ => text.to_string(),
    }
}

/// Pads by display width, so that Chinese names line up.
fn pad(text: &str, width: usize) -> String {
    let shown: usize = text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
    let mut s = text.to_string();
    s.extend(std::iter::repeat_n(' ', width.saturating_sub(shown)));
    s
}
