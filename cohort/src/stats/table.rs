//! The summary as aligned text for a terminal: one block per group, every learner first.
//!
//! Credit histograms are drawn as one line of block characters per category; the GPA
//! histogram as bars. Chinese names are padded by display width (two columns each).

use super::summary::{Distribution, GroupSummary, RateSummary, Summary};
use super::{histogram::Bin, summary::percent};
use rust_decimal::{Decimal, RoundingStrategy};
use std::fmt::Write;

/// Columns a terminal gives `text`: two for each non-ASCII character, which in names here are
/// Chinese.
fn width(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// `text` padded with spaces on the right to `columns`.
fn left(text: &str, columns: usize) -> String {
    let mut s = text.to_string();
    s.extend(std::iter::repeat_n(
        ' ',
        columns.saturating_sub(width(text)),
    ));
    s
}

fn figure(value: Option<Decimal>) -> String {
    value.map_or_else(|| "-".to_string(), |v| v.to_string())
}

/// A mean for display: two places.
fn mean(value: Option<Decimal>) -> String {
    value.map_or_else(
        || "-".to_string(),
        |v| {
            v.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
                .to_string()
        },
    )
}

fn share(part: u64, whole: u64) -> String {
    percent(part, whole).map_or_else(|| "-".to_string(), |p| format!("{p}%"))
}

/// The histogram as one line of block characters, each bin's height relative to the fullest.
fn sparkline(bins: &[Bin]) -> String {
    const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let most = bins.iter().map(|b| b.learners).max().unwrap_or(0);
    bins.iter()
        .map(|b| match (b.learners, most) {
            (0, _) | (_, 0) => ' ',
            (n, most) => {
                let step = (n * 7).div_ceil(most) as usize;
                BLOCKS[step.min(7)]
            }
        })
        .collect()
}

fn learners(n: u64) -> String {
    if n == 1 {
        "1 learner".to_string()
    } else {
        format!("{n} learners")
    }
}

fn label(id: &str, name: Option<&str>) -> String {
    match name {
        Some(name) if !name.is_empty() => format!("{id} {name}"),
        _ => id.to_string(),
    }
}

/// The narrowest first column.
const MIN_NAME: usize = 34;

/// The first column's width: the widest label of any group, so that figures line up.
fn name_width(summary: &Summary) -> usize {
    let mut widest = MIN_NAME;
    let mut fits = |text: &str, indent: usize| widest = widest.max(width(text) + indent + 1);
    for g in summary.all_groups() {
        for w in &g.warnings {
            fits(&label(&w.warning, w.name.as_deref()), 2);
            for l in &w.levels {
                fits(&label(&l.level, l.name.as_deref()), 4);
            }
        }
        for c in &g.credits {
            fits(&label(&c.category, Some(&c.name)), 2);
        }
        if let Some(r) = &g.graduation {
            fits(&label("graduation", r.name.as_deref()), 2);
        }
        for r in &g.programs {
            fits(&format!("program {}", label(&r.id, r.name.as_deref())), 2);
        }
        for r in &g.certificates {
            fits(
                &format!("certificate {}", label(&r.id, r.name.as_deref())),
                2,
            );
        }
    }
    widest
}

fn distribution_row(out: &mut String, name: usize, title: &str, d: &Distribution) {
    let _ = writeln!(
        out,
        "  {} {:>8} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}  {}{}",
        left(title, name - 2),
        d.learners,
        figure(d.min),
        figure(d.q1),
        figure(d.median),
        figure(d.q3),
        figure(d.max),
        mean(d.mean),
        sparkline(&d.histogram),
        d.approximate_to
            .map_or_else(String::new, |s| format!("  (quartiles to {s})")),
    );
}

fn rate_row(out: &mut String, name: usize, kind: &str, r: &RateSummary) {
    let _ = writeln!(
        out,
        "  {} {:>8} {:>8} {:>7}",
        left(
            &format!("{kind} {}", label(&r.id, r.name.as_deref())),
            name - 2
        ),
        r.met,
        r.learners,
        r.rate.map_or_else(|| "-".to_string(), |p| format!("{p}%")),
    );
}

fn group(out: &mut String, name: usize, g: &GroupSummary) {
    let title = g.group.as_deref().unwrap_or("all learners");
    let _ = writeln!(out, "== {title} ({})", learners(g.learners));

    if !g.warnings.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{} {:>8} {:>7}",
            left("warnings", name),
            "learners",
            "share"
        );
        for w in &g.warnings {
            let _ = writeln!(
                out,
                "  {} {:>8}",
                left(&label(&w.warning, w.name.as_deref()), name - 2),
                w.learners
            );
            let _ = writeln!(
                out,
                "    {} {:>8} {:>7}",
                left("no warning", name - 4),
                w.none,
                share(w.none, w.learners)
            );
            for l in &w.levels {
                let _ = writeln!(
                    out,
                    "    {} {:>8} {:>7}",
                    left(&label(&l.level, l.name.as_deref()), name - 4),
                    l.learners,
                    share(l.learners, w.learners)
                );
            }
        }
    }

    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{} {:>8} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}  histogram",
        left("credits", name),
        "learners",
        "min",
        "q1",
        "median",
        "q3",
        "max",
        "mean"
    );
    for c in &g.credits {
        distribution_row(out, name, &label(&c.category, Some(&c.name)), &c.credits);
    }
    distribution_row(out, name, "total", &g.total_credits);

    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{} {:>8} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}",
        left(&format!("GPA ({} without a GPA)", g.without_gpa), name),
        "learners",
        "min",
        "q1",
        "median",
        "q3",
        "max",
        "mean"
    );
    distribution_row(out, name, "GPA", &g.gpa);
    let most = g
        .gpa
        .histogram
        .iter()
        .map(|b| b.learners)
        .max()
        .unwrap_or(0);
    let last = g.gpa.histogram.len().saturating_sub(1);
    for (i, b) in g.gpa.histogram.iter().enumerate() {
        let close = if i == last { ']' } else { ')' };
        let bar = if most == 0 {
            0
        } else {
            (b.learners * 40).div_ceil(most) as usize
        };
        let _ = writeln!(
            out,
            "    {} {:>8}  {}",
            left(&format!("[{}, {}{close}", b.from, b.to), name - 4),
            b.learners,
            "#".repeat(bar)
        );
    }

    let blocks = g.graduation.iter().count() + g.programs.len() + g.certificates.len();
    if blocks > 0 {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{} {:>8} {:>8} {:>7}",
            left("eligibility", name),
            "met",
            "learners",
            "rate"
        );
        if let Some(r) = &g.graduation {
            let _ = writeln!(
                out,
                "  {} {:>8} {:>8} {:>7}",
                left(&label("graduation", r.name.as_deref()), name - 2),
                r.met,
                r.learners,
                r.rate.map_or_else(|| "-".to_string(), |p| format!("{p}%")),
            );
        }
        for r in &g.programs {
            rate_row(out, name, "program", r);
        }
        for r in &g.certificates {
            rate_row(out, name, "certificate", r);
        }
    }
}

/// The summary as aligned text.
pub fn render(summary: &Summary) -> String {
    let mut out = String::new();
    let total = summary.overall.learners;
    let _ = write!(out, "cohort statistics: {}", learners(total));
    if let Some(by) = summary.group_by {
        let _ = write!(out, ", {} groups by {by}", summary.groups.len());
    }
    let _ = writeln!(out);
    for r in &summary.rulesets {
        let _ = writeln!(
            out,
            "ruleset {} {}: {}",
            r.id,
            r.version,
            learners(r.learners)
        );
    }
    let name = name_width(summary);
    for g in summary.all_groups() {
        let _ = writeln!(out);
        group(&mut out, name, g);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_names_take_two_columns() {
        assert_eq!(width("通识教育"), 8);
        assert_eq!(left("通识", 6), "通识  ");
    }

    #[test]
    fn the_fullest_bin_gets_the_full_block_and_empty_bins_stay_blank() {
        let bin = |learners| Bin {
            from: Decimal::ZERO,
            to: Decimal::ONE,
            learners,
        };
        assert_eq!(sparkline(&[bin(0), bin(1), bin(7)]), " ▂█");
        assert_eq!(sparkline(&[bin(0), bin(0)]), "  ");
    }
}
