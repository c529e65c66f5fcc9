//! Staged warnings (学分预警): levels in order (E028), stages in order (E029), thresholds
//! that fit what the warning watches (E030).

use crate::ast::{Item, RulesetFile, Threshold, Warning, WarningMeasure};
use crate::diagnostic::{Code, Diagnostic};
use rust_decimal::Decimal;

/// Checks each warning block on its own.
pub fn check(file: &RulesetFile, out: &mut Vec<Diagnostic>) {
    for item in &file.items {
        if let Item::Warning(w) = &item.value {
            warning(w, out);
        }
    }
}

fn measure_name(m: WarningMeasure) -> &'static str {
    match m {
        WarningMeasure::Credits => "credits",
        WarningMeasure::FailedCredits => "failed-credits",
        WarningMeasure::Gpa => "gpa",
    }
}

fn warning(w: &Warning, out: &mut Vec<Diagnostic>) {
    let measure = w.on.value.value;
    let on = measure_name(measure);
    let (wanted, example) = match measure {
        WarningMeasure::Credits => ("`below N%`", "below 60%"),
        WarningMeasure::FailedCredits => ("`at least N`", "at least 20"),
        WarningMeasure::Gpa => ("`below N`", "below 2.0"),
    };
    // Thresholds of the right shape, in level order, for the ordering check.
    let mut thresholds = Vec::new();
    for level in &w.levels {
        let t = &level.value.threshold;
        let value = match (measure, &t.value) {
            (WarningMeasure::Credits, Threshold::BelowPercent(v))
            | (WarningMeasure::Gpa, Threshold::Below(v))
            | (WarningMeasure::FailedCredits, Threshold::AtLeast(v)) => Some(*v),
            _ => None,
        };
        match value {
            Some(v) => thresholds.push((v, level)),
            None => out.push(
                Diagnostic::new(
                    Code::ThresholdMismatch,
                    t.span,
                    format!("a warning `on {on}` needs {wanted} levels"),
                )
                .with_label(format!("does not fit `on {on}`"))
                .with_related(w.on.span, "what the warning watches")
                .with_help(format!("write the threshold as `{example}`")),
            ),
        }
    }
    if measure == WarningMeasure::Credits {
        if w.stages.is_empty() {
            out.push(
                Diagnostic::new(
                    Code::ThresholdMismatch,
                    w.on.span,
                    format!("warning `{}` on credits has no stages", w.id.value),
                )
                .with_label("credits are compared with a staged expectation")
                .with_help("add stages such as `after term 2 expect 40`"),
            );
        }
    } else {
        for stage in &w.stages {
            out.push(
                Diagnostic::new(
                    Code::ThresholdMismatch,
                    stage.span,
                    format!("stages only apply to a warning `on credits`, not `on {on}`"),
                )
                .with_label("not used by this warning")
                .with_related(w.on.span, "what the warning watches")
                .with_help("remove the stage, or watch `on credits`"),
            );
        }
    }
    let increasing = measure == WarningMeasure::FailedCredits;
    for pair in thresholds.windows(2) {
        let [(prev, prev_level), (cur, level)] = pair else {
            continue;
        };
        let in_order = if increasing { cur > prev } else { cur < prev };
        if !in_order {
            let (direction, word): (&str, fn(Decimal) -> String) = if increasing {
                ("increase", |v| format!("at least {v}"))
            } else if measure == WarningMeasure::Credits {
                ("decrease", |v| format!("below {v}%"))
            } else {
                ("decrease", |v| format!("below {v}"))
            };
            out.push(
                Diagnostic::new(
                    Code::LevelsOutOfOrder,
                    level.value.threshold.span,
                    format!(
                        "level `{}` ({}) is not more severe than level `{}` ({})",
                        level.value.id.value,
                        word(*cur),
                        prev_level.value.id.value,
                        word(*prev)
                    ),
                )
                .with_label("out of order")
                .with_related(prev_level.value.threshold.span, "previous level")
                .with_help(format!(
                    "list levels mildest first; their thresholds must strictly {direction}"
                )),
            );
        }
    }
    for pair in w.stages.windows(2) {
        let [prev, cur] = pair else {
            continue;
        };
        let (p, c) = (&prev.value, &cur.value);
        if c.term.value <= p.term.value {
            out.push(
                Diagnostic::new(
                    Code::StagesOutOfOrder,
                    c.term.span,
                    if c.term.value == p.term.value {
                        format!("term {} has two stages", c.term.value)
                    } else {
                        format!(
                            "stage `after term {}` comes after `after term {}`",
                            c.term.value, p.term.value
                        )
                    },
                )
                .with_label("terms must strictly increase")
                .with_related(p.term.span, "previous stage")
                .with_help("list stages by term, each term once"),
            );
        } else if c.expect.value < p.expect.value {
            out.push(
                Diagnostic::new(
                    Code::StagesOutOfOrder,
                    c.expect.span,
                    format!(
                        "expected credits fall from {} after term {} to {} after term {}",
                        p.expect.value, p.term.value, c.expect.value, c.term.value
                    ),
                )
                .with_label("expectation lower than the previous stage's")
                .with_related(p.expect.span, "previous expectation")
                .with_help(
                    "credits earned never decrease: expect at least as much at each later stage",
                ),
            );
        }
    }
}
