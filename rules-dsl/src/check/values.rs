//! Values checked on their own: percentages (E034), n-of groups (E035), ranges and precision
//! (E036), a version superseding itself (E037), table keys given twice (E038), and
//! requirements implied by another of the same block (W008).

use crate::ast::{
    AttributeType, CapAmount, CreditAmount, Header, Item, Node, Requirement, RequirementBody,
    RulesetFile, Span, Threshold,
};
use crate::diagnostic::{Code, Diagnostic};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Rounding keeps at most this many decimal places.
const MAX_PLACES: u32 = 10;

/// Runs every value check; none needs another item.
pub fn check(file: &RulesetFile, out: &mut Vec<Diagnostic>) {
    for item in &file.items {
        match &item.value {
            Item::Header(h) => header(h, out),
            Item::Institutions(list) => {
                for i in list {
                    percent(
                        i.value.share.value,
                        i.value.share.span,
                        "institution share",
                        out,
                    );
                }
            }
            Item::Kind(kind) => {
                for a in &kind.attributes {
                    if let AttributeType::Number(Some(r)) | AttributeType::Integer(Some(r)) =
                        &a.value.ty
                    {
                        if r.min.value > r.max.value {
                            out.push(
                                Diagnostic::new(
                                    Code::InvalidRange,
                                    r.min.span.to(r.max.span),
                                    format!(
                                        "range `[{}, {}]` of attribute `{}` is empty",
                                        r.min.value, r.max.value, a.value.id.value
                                    ),
                                )
                                .with_label("the lower end is above the upper end")
                                .with_help(format!(
                                    "write the lower end first: `[{}, {}]`",
                                    r.max.value, r.min.value
                                )),
                            );
                        }
                    }
                }
            }
            Item::Convert(rule) => {
                match &rule.credits.value {
                    CreditAmount::Table { rows, .. } => {
                        let mut seen: HashMap<&str, Span> = HashMap::new();
                        for row in rows {
                            let key = &row.value.key;
                            if let Some(first) = seen.get(key.value.as_str()) {
                                out.push(duplicate_key(
                                    &format!("`{}`", key.value),
                                    key.span,
                                    *first,
                                ));
                            } else {
                                seen.insert(&key.value, key.span);
                            }
                        }
                    }
                    CreditAmount::Formula {
                        rounded_down_to: Some(step),
                        ..
                    } if step.value.is_zero() => out.push(
                        Diagnostic::new(
                            Code::InvalidRange,
                            step.span,
                            "credits cannot be rounded down to 0",
                        )
                        .with_label("a rounding step must be above 0")
                        .with_help(
                            "round to a positive step such as `0.5`, or remove `rounded down to`",
                        ),
                    ),
                    CreditAmount::Formula { .. } => {}
                }
                if let Some(split) = &rule.split {
                    let mut seen: HashMap<u32, Span> = HashMap::new();
                    for row in &split.value.rows {
                        let rank = &row.value.rank;
                        if let Some(first) = seen.get(&rank.value) {
                            out.push(duplicate_key(
                                &format!("rank `{}`", rank.value),
                                rank.span,
                                *first,
                            ));
                        } else {
                            seen.insert(rank.value, rank.span);
                        }
                        percent(
                            row.value.share.value,
                            row.value.share.span,
                            "split share",
                            out,
                        );
                    }
                }
            }
            Item::Cap(cap) => {
                if let CapAmount::ShareOfRequired { percent: p, .. } = &cap.limit.value.amount {
                    percent(p.value, p.span, "cap", out);
                }
            }
            Item::Warning(w) => {
                for level in &w.levels {
                    if let Threshold::BelowPercent(p) = level.value.threshold.value {
                        percent(p, level.value.threshold.span, "warning threshold", out);
                    }
                }
            }
            Item::Graduation(g) => requirements(&g.requirements, out),
            Item::Program(p) => requirements(&p.requirements, out),
            Item::Certificate(c) => requirements(&c.requirements, out),
            _ => {}
        }
    }
}

fn header(h: &Header, out: &mut Vec<Diagnostic>) {
    if let Some(s) = &h.supersedes {
        if s.value.value == h.version.value {
            out.push(
                Diagnostic::new(
                    Code::SelfSupersede,
                    s.value.span,
                    format!("version `{}` supersedes itself", h.version.value),
                )
                .with_label("the ruleset's own version")
                .with_related(h.version.span, "version declared here")
                .with_help("`supersedes` names the earlier version this one replaces"),
            );
        }
    }
    for rounding in [&h.gpa_rounding, &h.credit_rounding].into_iter().flatten() {
        let places = &rounding.value.places;
        if places.value > MAX_PLACES {
            out.push(
                Diagnostic::new(
                    Code::InvalidRange,
                    places.span,
                    format!("rounding to {} decimal places is too precise", places.value),
                )
                .with_label(format!("at most {MAX_PLACES} places"))
                .with_help("round to between 0 and 10 decimal places"),
            );
        }
    }
}

fn percent(value: Decimal, span: Span, what: &str, out: &mut Vec<Diagnostic>) {
    if value > Decimal::ONE_HUNDRED || value.is_sign_negative() {
        out.push(
            Diagnostic::new(
                Code::PercentOutOfRange,
                span,
                format!("{what} `{value}%` is outside 0% to 100%"),
            )
            .with_label("a percentage must be between 0% and 100%")
            .with_help("write a percentage from 0% to 100%"),
        );
    }
}

fn duplicate_key(what: &str, span: Span, first: Span) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateKey,
        span,
        format!("table key {what} is given twice"),
    )
    .with_label("given again here")
    .with_related(first, "first given here")
    .with_help("keep one row per key")
}

fn requirements(list: &[Node<Requirement>], out: &mut Vec<Diagnostic>) {
    let mut required: HashMap<&str, Span> = HashMap::new();
    for r in list {
        if let RequirementBody::Courses(courses) = &r.value.body {
            for c in courses {
                required.entry(c.value.as_str()).or_insert(c.span);
            }
        }
    }
    for (i, r) in list.iter().enumerate() {
        if let RequirementBody::NOf { n, courses } = &r.value.body {
            let mut distinct: HashMap<&str, ()> = HashMap::new();
            for c in courses {
                distinct.insert(&c.value, ());
                if let Some(first) = required.get(c.value.as_str()) {
                    out.push(
                        Diagnostic::new(
                            Code::RedundantRequirement,
                            c.span,
                            format!("`{}` is already required by `requires courses`", c.value),
                        )
                        .with_label("always passed when the block is met")
                        .with_related(*first, "required here")
                        .with_help(format!(
                            "remove `{}` from the group, or from `requires courses`",
                            c.value
                        )),
                    );
                }
            }
            let count = u32::try_from(distinct.len()).unwrap_or(u32::MAX);
            if n.value == 0 || n.value > count {
                let help = if n.value == 0 {
                    "require at least 1 course, or remove the requirement".to_string()
                } else {
                    format!("require at most {count}, or list more courses")
                };
                out.push(
                    Diagnostic::new(
                        Code::NOfImpossible,
                        n.span,
                        format!(
                            "`{} of` a group of {count} distinct course{}",
                            n.value,
                            if count == 1 { "" } else { "s" }
                        ),
                    )
                    .with_label(if n.value == 0 {
                        "a group of 0 is always met".to_string()
                    } else {
                        format!("only {count} can be passed")
                    })
                    .with_help(help),
                );
            }
        }
        if let Some(first) = list
            .get(..i)
            .and_then(|before| before.iter().find(|e| e.value.body == r.value.body))
        {
            out.push(
                Diagnostic::new(
                    Code::RedundantRequirement,
                    r.span,
                    "the same requirement is stated twice",
                )
                .with_label("same as an earlier requirement")
                .with_related(first.span, "first stated here")
                .with_help("remove one of them"),
            );
        }
    }
}
