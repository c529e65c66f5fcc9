//! Grade scales: the scale range (E036), the pass mark (E040), bands that are empty or reach
//! outside the range (E024), overlap (E022) or leave gaps (E023), labels defined twice
//! (E026), and how the GPA policy uses scales (E027, W002).

use super::arithmetic::{check_divisions, Interval};
use super::suggest::closest;
use super::symbols::Symbols;
use super::visit;
use crate::ast::{
    Band, BandScale, Bound, Condition, Expr, FormulaScale, Item, Node, RulesetFile, Scale,
    ScaleBody, ScoreRange, Span, Text,
};
use crate::diagnostic::{Code, Diagnostic};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Checks each scale on its own.
pub fn check_local(file: &RulesetFile, out: &mut Vec<Diagnostic>) {
    for item in &file.items {
        if let Item::Scale(scale) = &item.value {
            match &scale.body {
                ScaleBody::Bands(b) => {
                    if range_ok(&b.range, out) {
                        pass_mark(&b.range, &b.pass, out);
                        bands(b, out);
                    }
                }
                ScaleBody::Formula(f) => {
                    if range_ok(&f.range, out) {
                        pass_mark(&f.range, &f.pass, out);
                    }
                    formula(f, out);
                }
                ScaleBody::Text(grades) => {
                    let labels = grades.iter().map(|g| &g.value.label);
                    duplicate_labels(labels, out);
                }
                ScaleBody::PassFail(pf) => {
                    let labels = pf.pass.iter().chain(&pf.fail).flat_map(|n| n.value.iter());
                    duplicate_labels(labels, out);
                }
            }
        }
    }
}

/// E036 when `min >= max`; true when the range is usable.
fn range_ok(range: &ScoreRange, out: &mut Vec<Diagnostic>) -> bool {
    if range.min.value < range.max.value {
        return true;
    }
    out.push(
        Diagnostic::new(
            Code::InvalidRange,
            range.min.span.to(range.max.span),
            format!(
                "scale range `[{}, {}]` is empty",
                range.min.value, range.max.value
            ),
        )
        .with_label("the lowest score must be below the highest")
        .with_help(format!(
            "write the range lowest first, e.g. `over [{}, {}]`",
            range.max.value.min(range.min.value),
            range.max.value.max(range.min.value)
        )),
    );
    false
}

fn pass_mark(range: &ScoreRange, pass: &crate::ast::Number, out: &mut Vec<Diagnostic>) {
    if pass.value < range.min.value || pass.value > range.max.value {
        out.push(
            Diagnostic::new(
                Code::PassMarkOutOfRange,
                pass.span,
                format!(
                    "pass mark `{}` is outside the scale's range `[{}, {}]`",
                    pass.value, range.min.value, range.max.value
                ),
            )
            .with_label(if pass.value < range.min.value {
                "every score would pass"
            } else {
                "no score can reach this mark"
            })
            .with_related(range.min.span.to(range.max.span), "scale range")
            .with_help("set a pass mark within the scale's range"),
        );
    }
}

/// One end of covered scores: a value and whether the value itself is covered.
#[derive(Clone, Copy)]
struct End {
    value: Decimal,
    closed: bool,
}

fn bound_text(lower: Option<&Bound>, upper: Option<&Bound>) -> String {
    let l = lower.map_or(String::new(), |b| {
        format!("{}{}", if b.closed { "[" } else { "(" }, b.value.value)
    });
    let u = upper.map_or(String::new(), |b| {
        format!("{}{}", b.value.value, if b.closed { "]" } else { ")" })
    });
    format!("{l}, {u}")
}

fn bands(scale: &BandScale, out: &mut Vec<Diagnostic>) {
    let (min, max) = (scale.range.min.value, scale.range.max.value);
    let range_span = scale.range.min.span.to(scale.range.max.span);
    let mut valid: Vec<&Node<Band>> = Vec::new();
    for band in &scale.bands {
        let b = &band.value;
        let (lo, hi) = (b.lower.value.value, b.upper.value.value);
        let text = bound_text(Some(&b.lower), Some(&b.upper));
        if lo > hi || (lo == hi && !(b.lower.closed && b.upper.closed)) {
            out.push(
                Diagnostic::new(
                    Code::BandOutOfRange,
                    band.span,
                    format!("grade band `{text}` is empty"),
                )
                .with_label("no score falls in this band")
                .with_help(if lo > hi {
                    "write the lower bound first"
                } else {
                    "close both ends (`[x, x]`) for a single score, or widen the band"
                }),
            );
        } else if lo < min || hi > max {
            out.push(
                Diagnostic::new(
                    Code::BandOutOfRange,
                    band.span,
                    format!(
                        "grade band `{text}` reaches outside the scale's range `[{min}, {max}]`"
                    ),
                )
                .with_label("outside the scale's range")
                .with_related(range_span, "scale range")
                .with_help("keep every band within the scale's range, or widen the range"),
            );
        } else {
            valid.push(band);
        }
    }
    // A band reported as empty or out of range would show up again as a gap: stay quiet.
    let all_valid = valid.len() == scale.bands.len();
    // Sweep in order of lower bound (a closed lower bound starts before an open one).
    valid.sort_by(|a, b| {
        let (a, b) = (&a.value.lower, &b.value.lower);
        a.value
            .value
            .cmp(&b.value.value)
            .then(b.closed.cmp(&a.closed))
    });
    let mut covered = End {
        value: min,
        closed: false,
    };
    let mut cover_band: Option<&Node<Band>> = None;
    for band in &valid {
        let lower = &band.value.lower;
        let lo = lower.value.value;
        let overlaps =
            lo < covered.value || (lo == covered.value && lower.closed && covered.closed);
        let gap = lo > covered.value || (lo == covered.value && !lower.closed && !covered.closed);
        if overlaps && cover_band.is_some() {
            let mut d = Diagnostic::new(
                Code::BandOverlap,
                band.span,
                format!(
                    "grade band `{}` overlaps another band",
                    bound_text(Some(lower), Some(&band.value.upper))
                ),
            )
            .with_label("some scores fall in two bands")
            .with_help(
                "make the bands touch without overlapping, e.g. `[80, 90)` then `[90, 100]`",
            );
            if let Some(other) = cover_band {
                d = d.with_related(other.span, "overlaps this band");
            }
            out.push(d);
        } else if gap && all_valid {
            out.push(gap_diagnostic(covered, lower, band.span));
        }
        let upper = &band.value.upper;
        if upper.value.value > covered.value
            || (upper.value.value == covered.value && upper.closed && !covered.closed)
        {
            covered = End {
                value: upper.value.value,
                closed: upper.closed,
            };
            cover_band = Some(band);
        }
    }
    if all_valid && (covered.value < max || !covered.closed) {
        let end = Bound {
            value: crate::ast::Number::new(max, scale.range.max.span),
            closed: false,
        };
        // The end gap includes `max` itself, so describe it with a closed upper end.
        let mut d = gap_diagnostic(covered, &end, cover_band.map_or(range_span, |b| b.span));
        if cover_band.is_some() {
            d = d.with_related(range_span, "scale range");
        }
        out.push(d);
    }
}

/// E023 for the scores between `covered` and the band starting at `next`.
fn gap_diagnostic(covered: End, next: &Bound, span: Span) -> Diagnostic {
    let from = Bound {
        value: crate::ast::Number::new(covered.value, Span::default()),
        closed: !covered.closed,
    };
    // `next.closed == false` for the scale's end means the end score is itself uncovered.
    let to_closed = !next.closed;
    let text = if from.value.value == next.value.value {
        format!("score `{}` is not covered by any band", next.value.value)
    } else {
        let to = Bound {
            value: next.value.clone(),
            closed: to_closed,
        };
        format!(
            "scores `{}` are not covered by any band",
            bound_text(Some(&from), Some(&to))
        )
    };
    Diagnostic::new(
        Code::BandGap,
        span,
        format!("grade bands leave a gap: {text}"),
    )
    .with_label("the gap is next to this band")
    .with_help("extend a neighbouring band or add a band for the uncovered scores")
}

fn formula(f: &FormulaScale, out: &mut Vec<Diagnostic>) {
    let (min, max) = (f.range.min.value, f.range.max.value);
    let env = move |name: &str| {
        if name == "score" {
            Interval::new(min.min(max), max.max(min))
        } else {
            Interval::ANY
        }
    };
    let mut exprs: Vec<&Expr> = Vec::new();
    for case in &f.cases {
        score_condition(&case.value.when, out);
        visit::condition_exprs(&case.value.when, &mut |e| exprs.push(e));
        exprs.push(&case.value.points);
    }
    if let Some(e) = &f.otherwise {
        exprs.push(&e.value);
    }
    for e in exprs {
        check_divisions(e, Some(&env), out);
        visit::vars(e, &mut |name, span| {
            if name != "score" {
                out.push(not_score(name, span));
            }
        });
    }
}

fn not_score(name: &str, span: Span) -> Diagnostic {
    let mut help = "in a formula scale the only variable is `score`".to_string();
    if closest(name, ["score"]).is_some() {
        help = format!("did you mean `score`? {help}");
    }
    Diagnostic::new(
        Code::UnknownAttribute,
        span,
        format!("unknown variable `{name}` in a formula scale"),
    )
    .with_label("not `score`")
    .with_help(help)
}

/// Conditions of a formula scale may only compare numbers.
fn score_condition(c: &Condition, out: &mut Vec<Diagnostic>) {
    visit::atoms(c, &mut |atom| match atom {
        Condition::HasEvidence(id) => out.push(
            Diagnostic::new(
                Code::TypeMismatch,
                id.span,
                "`has evidence` cannot be used in a grade scale",
            )
            .with_label("a score has no evidence")
            .with_help("compare `score` with a number instead"),
        ),
        Condition::In { attr, .. } if attr.value != "score" => {
            out.push(not_score(&attr.value, attr.span));
        }
        Condition::Compare {
            rhs: crate::ast::Operand::Text(t),
            ..
        } => out.push(
            Diagnostic::new(
                Code::TypeMismatch,
                t.span,
                format!("`score` compared with the text `\"{}\"`", t.value),
            )
            .with_label("a score is a number")
            .with_help("compare `score` with a number"),
        ),
        _ => {}
    });
}

/// E026 for labels repeated within one scale.
fn duplicate_labels<'a>(labels: impl Iterator<Item = &'a Text>, out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, Span> = HashMap::new();
    for label in labels {
        if let Some(first) = seen.get(label.value.as_str()) {
            out.push(
                Diagnostic::new(
                    Code::DuplicateGrade,
                    label.span,
                    format!("grade `{}` is defined twice in this scale", label.value),
                )
                .with_label("defined again here")
                .with_related(*first, "first defined here")
                .with_help("give each grade label once"),
            );
        } else {
            seen.insert(&label.value, label.span);
        }
    }
}

/// The labels a text or pass-fail scale defines, in source order.
fn labels(scale: &Scale) -> Vec<&Text> {
    match &scale.body {
        ScaleBody::Text(grades) => grades.iter().map(|g| &g.value.label).collect(),
        ScaleBody::PassFail(pf) => pf
            .pass
            .iter()
            .chain(&pf.fail)
            .flat_map(|n| n.value.iter())
            .collect(),
        ScaleBody::Bands(_) | ScaleBody::Formula(_) => Vec::new(),
    }
}

/// How the GPA policy uses scales: shapes (E027), labels shared by two `grades use` scales
/// (E026), and scales it never uses (W002).
pub fn check_usage(file: &RulesetFile, symbols: &Symbols, out: &mut Vec<Diagnostic>) {
    let mut used: HashMap<&str, ()> = HashMap::new();
    if let Some(gpa) = symbols.gpa {
        let scores = &gpa.scores.value;
        used.insert(&scores.value, ());
        if let Some(scale) = symbols.scales.get(&scores.value) {
            if matches!(scale.body, ScaleBody::Text(_) | ScaleBody::PassFail(_)) {
                out.push(
                    Diagnostic::new(
                        Code::WrongScaleShape,
                        scores.span,
                        format!("`scores use` names `{}`, which maps grades, not scores", scores.value),
                    )
                    .with_label("a text or pass-fail scale")
                    .with_related(scale.id.span, "declared here")
                    .with_help("`scores use` needs a `bands` or `formula` scale; list text scales in `grades use`"),
                );
            }
        }
        if let Some(grades) = &gpa.grades {
            let mut seen: HashMap<&str, (&Text, &str)> = HashMap::new();
            for id in &grades.value {
                used.insert(&id.value, ());
                let Some(scale) = symbols.scales.get(&id.value) else {
                    continue;
                };
                if matches!(scale.body, ScaleBody::Bands(_) | ScaleBody::Formula(_)) {
                    out.push(
                        Diagnostic::new(
                            Code::WrongScaleShape,
                            id.span,
                            format!("`grades use` names `{}`, which maps scores, not grades", id.value),
                        )
                        .with_label("a bands or formula scale")
                        .with_related(scale.id.span, "declared here")
                        .with_help("`grades use` needs `text` or `pass-fail` scales; use `scores use` for numeric scores"),
                    );
                    continue;
                }
                let mut own: HashMap<&str, ()> = HashMap::new();
                for label in labels(scale) {
                    if own.insert(&label.value, ()).is_some() {
                        continue; // repeated within the scale: reported on its own
                    }
                    match seen.get(label.value.as_str()) {
                        Some((first, other)) if *other != id.value => out.push(
                            Diagnostic::new(
                                Code::DuplicateGrade,
                                label.span,
                                format!(
                                    "grade `{}` is defined in both `{}` and `{}`",
                                    label.value, other, id.value
                                ),
                            )
                            .with_label("defined again here")
                            .with_related(first.span, "first defined here")
                            .with_related(grades.span, "both scales are used here")
                            .with_help("a transcript grade must map to one scale; rename or remove one of the labels"),
                        ),
                        Some(_) => {}
                        None => {
                            seen.insert(&label.value, (label, &id.value));
                        }
                    }
                }
            }
        }
    }
    for item in &file.items {
        if let Item::Scale(scale) = &item.value {
            if !used.contains_key(scale.id.value.as_str()) {
                let help = if symbols.gpa.is_some() {
                    format!("use it in the gpa policy (`scores use {0}` or `grades use {0}`), or remove it", scale.id.value)
                } else {
                    "add a `gpa` policy that uses it, or remove it".to_string()
                };
                out.push(
                    Diagnostic::new(
                        Code::UnusedScale,
                        scale.id.span,
                        format!("grade scale `{}` is never used", scale.id.value),
                    )
                    .with_label("not used by the gpa policy")
                    .with_help(help),
                );
            }
        }
    }
}
