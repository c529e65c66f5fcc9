//! Which rules of a ruleset version the cases exercised.
//!
//! Counted: conversion rules, caps, each clause of each review block (`require evidence`,
//! each `reject when`, each `approve when`, `otherwise`), each level of each warning, each
//! requirement, each program and certificate. Catalog courses are not counted.

use crate::evaluate::Plan;
use crate::report::{BlockLine, Report};
use creditbank_dsl::ast::Span;
use std::collections::HashSet;

/// One countable rule of a version.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Unit {
    /// `conversion rule`, `cap`, `review`, `warning level`, `requirement`, `program`,
    /// `certificate`.
    pub kind: &'static str,
    /// Its id (`competition-review: reject when #1`, `credit-progress/red`).
    pub id: String,
    /// Where it is written, `file:line`.
    pub at: String,
    /// `file:line:column`, as the report cites it.
    #[serde(skip)]
    cite: String,
    /// True when a case exercised it.
    pub covered: bool,
}

/// The coverage of one ruleset version.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct VersionCoverage {
    /// The ruleset id.
    pub ruleset: String,
    /// The version.
    pub version: String,
    /// Every countable rule.
    pub units: Vec<Unit>,
}

impl VersionCoverage {
    /// Lists the countable rules of a plan, none covered yet.
    pub fn of(plan: &Plan) -> VersionCoverage {
        let source = &plan.version.source;
        let mut units = Vec::new();
        let mut add = |kind: &'static str, id: String, span: Span| {
            let at = source.line_col(span.start as usize);
            units.push(Unit {
                kind,
                id,
                at: format!("{}:{}", source.name(), at.line),
                cite: format!("{}:{}:{}", source.name(), at.line, at.column),
                covered: false,
            });
        };
        for rule in &plan.outcomes.rules {
            add("conversion rule", rule.id.clone(), rule.span);
        }
        for cap in &plan.outcomes.caps {
            add("cap", cap.id.clone(), cap.span);
        }
        for review in &plan.outcomes.reviews {
            for (i, clause) in review.require.iter().enumerate() {
                add(
                    "review",
                    format!("{}: require evidence #{}", review.id, i + 1),
                    clause.span,
                );
            }
            for (i, case) in review.reject.iter().enumerate() {
                add(
                    "review",
                    format!("{}: reject when #{}", review.id, i + 1),
                    case.span,
                );
            }
            for (i, case) in review.approve.iter().enumerate() {
                add(
                    "review",
                    format!("{}: approve when #{}", review.id, i + 1),
                    case.span,
                );
            }
            add(
                "review",
                format!("{}: otherwise manual", review.id),
                review.otherwise_span,
            );
        }
        for warning in &plan.warnings.warnings {
            for level in &warning.levels {
                // A level has no position of its own; its warning's is shown.
                add(
                    "warning level",
                    format!("{}/{}", warning.id, level.id),
                    warning.span,
                );
            }
        }
        for (_, block) in plan.requirements.blocks() {
            for requirement in &block.requirements {
                add(
                    "requirement",
                    requirement.qualified_id.clone(),
                    requirement.span,
                );
            }
        }
        for program in &plan.requirements.programs {
            add("program", program.id.clone(), program.span);
        }
        for certificate in &plan.requirements.certificates {
            add("certificate", certificate.id.clone(), certificate.span);
        }
        VersionCoverage {
            ruleset: plan.version.id.clone(),
            version: plan.version.version.clone(),
            units,
        }
    }

    /// Marks the rules a report (explained in full) exercised.
    pub fn record(&mut self, report: &Report) {
        let mut cited: HashSet<(&str, &str)> = HashSet::new();
        for outcome in &report.outcomes {
            for rule in &outcome.rules {
                cited.insert((rule.kind, &*rule.at));
            }
        }
        let blocks: Vec<(&BlockLine, &str)> = report
            .graduation
            .iter()
            .map(|b| (b, "graduation"))
            .chain(report.programs.iter().map(|b| (b, "program")))
            .chain(report.certificates.iter().map(|b| (b, "certificate")))
            .collect();
        for (block, kind) in &blocks {
            if let Some(rule) = &block.rule {
                cited.insert((kind, &*rule.at));
            }
            for requirement in &block.requirements {
                // A waived requirement was not judged: it does not count as exercised.
                if requirement.status != "waived" {
                    if let Some(rule) = &requirement.rule {
                        cited.insert(("requirement", &*rule.at));
                    }
                }
            }
        }
        let levels: HashSet<String> = report
            .warnings
            .iter()
            .map(|w| format!("{}/{}", w.warning, w.level))
            .collect();
        for unit in &mut self.units {
            let hit = match unit.kind {
                "warning level" => levels.contains(&unit.id),
                kind => cited.contains(&(kind, unit.cite.as_str())),
            };
            unit.covered |= hit;
        }
    }

    /// How many rules were exercised.
    pub fn covered(&self) -> usize {
        self.units.iter().filter(|u| u.covered).count()
    }
}

/// `93.4% (142 of 152 rules)`; a version with no countable rules is fully covered.
pub fn summary(covered: usize, total: usize) -> String {
    format!(
        "{:.1}% ({covered} of {total} rules)",
        percent(covered, total)
    )
}

/// The share covered, in percent, exact.
pub fn percent(covered: usize, total: usize) -> rust_decimal::Decimal {
    if total == 0 {
        return rust_decimal::Decimal::ONE_HUNDRED;
    }
    rust_decimal::Decimal::from(covered) * rust_decimal::Decimal::ONE_HUNDRED
        / rust_decimal::Decimal::from(total)
}
