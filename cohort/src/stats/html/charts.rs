//! The three kinds of chart: warning levels as stacked bars, histograms, and eligibility rates
//! as bars; each with axes, tick labels, an axis title and a legend.

use super::svg::{colour, count_ticks, ink_on, Anchor, Svg};
use crate::stats::histogram::Bin;
use crate::stats::summary::{percent, RateSummary, WarningSummary};

/// The width of every chart, in pixels.
const WIDTH: f64 = 760.0;
/// The colour of learners at no warning level.
pub const NO_WARNING: &str = "#d9d9d9";
/// Series colours for groups (Tableau 10), cycled when there are more groups.
pub const GROUP_COLOURS: [&str; 10] = [
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac",
];
/// The colour of the all-learners series.
pub const ALL_COLOUR: &str = "#555555";

/// Approximate pixels a label takes at the chart font size: Chinese characters are about
/// twice as wide as Latin ones.
fn text_width(text: &str) -> f64 {
    text.chars()
        .map(|c| if c.is_ascii() { 7.0 } else { 13.0 })
        .sum()
}

/// `text` cut to about `pixels`, with an ellipsis.
fn fit(text: &str, pixels: f64) -> String {
    if text_width(text) <= pixels {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = text_width("…");
    for c in text.chars() {
        used += text_width(c.encode_utf8(&mut [0; 4]));
        if used > pixels {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// A legend entry: a label and its colour.
pub struct Key<'a> {
    /// What the colour stands for.
    pub label: String,
    /// `#rrggbb`.
    pub colour: &'a str,
}

/// The height a legend of `keys` takes, wrapped to the chart's width.
fn legend_height(keys: &[Key<'_>]) -> f64 {
    if keys.is_empty() {
        return 0.0;
    }
    let mut rows = 1.0;
    let mut x = 10.0;
    for key in keys {
        let w = 22.0 + text_width(&key.label) + 18.0;
        if x + w > WIDTH - 10.0 && x > 10.0 {
            rows += 1.0;
            x = 10.0;
        }
        x += w;
    }
    rows * 20.0 + 6.0
}

/// Draws the legend with its top at `top`.
fn legend(svg: &mut Svg, keys: &[Key<'_>], top: f64) {
    let mut x = 10.0;
    let mut y = top + 6.0;
    for key in keys {
        let w = 22.0 + text_width(&key.label) + 18.0;
        if x + w > WIDTH - 10.0 && x > 10.0 {
            y += 20.0;
            x = 10.0;
        }
        svg.swatch(x, y, 12.0, key.colour);
        svg.text("legend", x + 18.0, y + 10.5, Anchor::Start, &key.label);
        x += w;
    }
}

/// Ticks of a 0-100% horizontal axis from `left` over `span` pixels, at `y`.
fn percent_axis(svg: &mut Svg, left: f64, span: f64, top: f64, y: f64) {
    for tick in [0u32, 25, 50, 75, 100] {
        let x = left + span * f64::from(tick) / 100.0;
        svg.line("grid", x, top, x, y);
        svg.line("axis", x, y, x, y + 4.0);
        svg.text("tick", x, y + 16.0, Anchor::Middle, &format!("{tick}%"));
    }
    svg.line("axis", left, y, left + span, y);
}

/// A row of a warning chart: a group's label and its counts.
pub struct WarningRow<'a> {
    /// `all learners` or the group key.
    pub label: &'a str,
    /// The group's counts of the warning.
    pub warning: &'a WarningSummary,
}

/// One staged warning: a 100% stacked bar per row (all learners, then each group), learners
/// at no level first, then each level mildest first, in the ruleset's colours.
pub fn warning_levels(title: &str, rows: &[WarningRow<'_>]) -> String {
    const LEFT: f64 = 200.0;
    const RIGHT: f64 = 70.0;
    const TOP: f64 = 12.0;
    const ROW: f64 = 28.0;
    let span = WIDTH - LEFT - RIGHT;
    let mut keys = vec![Key {
        label: "no warning".to_string(),
        colour: NO_WARNING,
    }];
    if let Some(first) = rows.first() {
        for l in &first.warning.levels {
            keys.push(Key {
                label: match &l.name {
                    Some(name) => format!("{} {name}", l.level),
                    None => l.level.clone(),
                },
                colour: colour(&l.colour),
            });
        }
    }
    let axis_y = TOP + ROW * rows.len() as f64 + 4.0;
    let height = axis_y + 44.0 + legend_height(&keys);
    let mut svg = Svg::new(
        "chart warning-chart",
        WIDTH,
        height,
        title,
        "Share of learners at each warning level, all learners and each group; learners under rulesets without this warning are not counted.",
    );
    percent_axis(&mut svg, LEFT, span, TOP - 4.0, axis_y);
    for (i, row) in rows.iter().enumerate() {
        let y = TOP + ROW * i as f64;
        let w = row.warning;
        svg.text(
            "label",
            LEFT - 8.0,
            y + 14.0,
            Anchor::End,
            &fit(row.label, LEFT - 16.0),
        );
        let segments = std::iter::once(("no warning".to_string(), w.none, NO_WARNING)).chain(
            w.levels.iter().map(|l| {
                let label = match &l.name {
                    Some(name) => format!("{} {name}", l.level),
                    None => l.level.clone(),
                };
                (label, l.learners, l.colour.as_str())
            }),
        );
        let mut x = LEFT;
        for (label, learners, fill) in segments {
            if learners == 0 || w.learners == 0 {
                continue;
            }
            let share = learners as f64 / w.learners as f64;
            let width = span * share;
            let pct = percent(learners, w.learners).unwrap_or_default();
            let tooltip = format!(
                "{}: {label}: {learners} of {} learners ({pct}%)",
                row.label, w.learners
            );
            svg.rect(x, y, width, 20.0, fill, &tooltip);
            if width >= 40.0 {
                svg.text_in(
                    ink_on(fill),
                    x + width / 2.0,
                    y + 14.0,
                    Anchor::Middle,
                    &format!("{pct}%"),
                );
            }
            x += width;
        }
        svg.text(
            "count",
            LEFT + span + 8.0,
            y + 14.0,
            Anchor::Start,
            &format!("n={}", w.learners),
        );
    }
    svg.text(
        "axis-title",
        LEFT + span / 2.0,
        axis_y + 34.0,
        Anchor::Middle,
        "share of learners",
    );
    legend(&mut svg, &keys, axis_y + 40.0);
    svg.finish()
}

/// A series of a histogram: one group's learners per bin.
pub struct Series<'a> {
    /// The group, or `all learners`.
    pub label: &'a str,
    /// `#rrggbb`.
    pub colour: &'a str,
    /// Learners per bin, the bins of the chart.
    pub counts: Vec<u64>,
}

/// A histogram: learners per bin, the series stacked (each group's share of a bin).
pub fn histogram(title: &str, x_title: &str, bins: &[Bin], series: &[Series<'_>]) -> String {
    const LEFT: f64 = 64.0;
    const RIGHT: f64 = 20.0;
    const TOP: f64 = 16.0;
    const PLOT: f64 = 200.0;
    let span = WIDTH - LEFT - RIGHT;
    let keys: Vec<Key<'_>> = if series.len() > 1 {
        series
            .iter()
            .map(|s| Key {
                label: s.label.to_string(),
                colour: s.colour,
            })
            .collect()
    } else {
        Vec::new()
    };
    let axis_y = TOP + PLOT;
    let height = axis_y + 48.0 + legend_height(&keys);
    let mut svg = Svg::new(
        "chart histogram",
        WIDTH,
        height,
        title,
        "Learners per bin; each bin includes its lower edge, the last one its upper edge too.",
    );
    let totals: Vec<u64> = (0..bins.len())
        .map(|i| {
            series
                .iter()
                .map(|s| s.counts.get(i).copied().unwrap_or(0))
                .sum()
        })
        .collect();
    let (step, top) = count_ticks(totals.iter().copied().max().unwrap_or(0));
    let scale = PLOT / top as f64;
    let mut tick = 0;
    while tick <= top {
        let y = axis_y - tick as f64 * scale;
        svg.line("grid", LEFT, y, LEFT + span, y);
        svg.text("tick", LEFT - 6.0, y + 4.0, Anchor::End, &tick.to_string());
        tick += step;
    }
    svg.line("axis", LEFT, TOP, LEFT, axis_y);
    svg.line("axis", LEFT, axis_y, LEFT + span, axis_y);
    svg.text_up("axis-title", 16.0, TOP + PLOT / 2.0, "learners");
    let slot = span / bins.len().max(1) as f64;
    let last = bins.len().saturating_sub(1);
    for (i, bin) in bins.iter().enumerate() {
        let x = LEFT + slot * i as f64;
        let close = if i == last { ']' } else { ')' };
        let range = format!("[{}, {}{close}", bin.from, bin.to);
        let mut y = axis_y;
        for s in series {
            let n = s.counts.get(i).copied().unwrap_or(0);
            if n == 0 {
                continue;
            }
            let h = n as f64 * scale;
            let tooltip = if series.len() > 1 {
                format!("{}: {range}: {n} learners", s.label)
            } else {
                format!("{range}: {n} learners")
            };
            svg.rect(x + 2.0, y - h, slot - 4.0, h, s.colour, &tooltip);
            y -= h;
        }
        if totals[i] > 0 {
            svg.text(
                "bar-value",
                x + slot / 2.0,
                y - 4.0,
                Anchor::Middle,
                &totals[i].to_string(),
            );
        }
        svg.line("axis", x, axis_y, x, axis_y + 4.0);
        svg.text(
            "tick",
            x,
            axis_y + 16.0,
            Anchor::Middle,
            &bin.from.to_string(),
        );
    }
    if let Some(bin) = bins.last() {
        let x = LEFT + span;
        svg.line("axis", x, axis_y, x, axis_y + 4.0);
        svg.text(
            "tick",
            x,
            axis_y + 16.0,
            Anchor::Middle,
            &bin.to.to_string(),
        );
    }
    svg.text(
        "axis-title",
        LEFT + span / 2.0,
        axis_y + 36.0,
        Anchor::Middle,
        x_title,
    );
    legend(&mut svg, &keys, axis_y + 42.0);
    svg.finish()
}

/// A series of a rates chart: the rates of one group for each block.
pub struct RateSeries<'a> {
    /// The group, or `all learners`.
    pub label: &'a str,
    /// `#rrggbb`.
    pub colour: &'a str,
    /// The group's rate of each block of the chart, if the group's rulesets have it.
    pub rates: Vec<Option<&'a RateSummary>>,
}

/// Eligibility rates: for each block, one horizontal bar per series (all learners, then each
/// group), the percentage of learners who meet it.
pub fn rates(title: &str, blocks: &[String], series: &[RateSeries<'_>]) -> String {
    const LEFT: f64 = 220.0;
    const RIGHT: f64 = 110.0;
    const TOP: f64 = 12.0;
    const BAR: f64 = 16.0;
    const GAP: f64 = 12.0;
    let span = WIDTH - LEFT - RIGHT;
    let band = BAR * series.len() as f64 + GAP;
    let keys: Vec<Key<'_>> = if series.len() > 1 {
        series
            .iter()
            .map(|s| Key {
                label: s.label.to_string(),
                colour: s.colour,
            })
            .collect()
    } else {
        Vec::new()
    };
    let axis_y = TOP + band * blocks.len() as f64;
    let height = axis_y + 44.0 + legend_height(&keys);
    let mut svg = Svg::new(
        "chart rates-chart",
        WIDTH,
        height,
        title,
        "Percentage of learners who meet each block, of the learners whose ruleset has it.",
    );
    percent_axis(&mut svg, LEFT, span, TOP - 4.0, axis_y);
    for (b, block) in blocks.iter().enumerate() {
        let top = TOP + band * b as f64;
        let middle = top + BAR * series.len() as f64 / 2.0;
        svg.text(
            "label",
            LEFT - 8.0,
            middle + 4.0,
            Anchor::End,
            &fit(block, LEFT - 16.0),
        );
        for (s, series) in series.iter().enumerate() {
            let y = top + BAR * s as f64;
            let Some(rate) = series.rates.get(b).copied().flatten() else {
                continue;
            };
            let share = if rate.learners == 0 {
                0.0
            } else {
                rate.met as f64 / rate.learners as f64
            };
            let pct = rate.rate.unwrap_or_default();
            let text = format!("{pct}% ({}/{})", rate.met, rate.learners);
            svg.rect(
                LEFT,
                y + 1.0,
                span * share,
                BAR - 2.0,
                series.colour,
                &format!("{}: {block}: {text}", series.label),
            );
            svg.text(
                "bar-value",
                LEFT + span * share + 4.0,
                y + BAR - 4.0,
                Anchor::Start,
                &text,
            );
        }
    }
    svg.text(
        "axis-title",
        LEFT + span / 2.0,
        axis_y + 34.0,
        Anchor::Middle,
        "share of learners who meet it",
    );
    legend(&mut svg, &keys, axis_y + 40.0);
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_labels_are_cut_with_an_ellipsis() {
        assert_eq!(fit("short", 100.0), "short");
        let cut = fit("示范大学本科生学分制与学分银行规则", 100.0);
        assert!(cut.ends_with('…') && text_width(&cut) <= 100.0, "{cut}");
    }

    #[test]
    fn a_legend_wraps_when_it_is_wider_than_the_chart() {
        let keys: Vec<Key<'_>> = (0..30)
            .map(|i| Key {
                label: format!("2026 demo-university/undergraduate {i}"),
                colour: "#000000",
            })
            .collect();
        assert!(legend_height(&keys) > 100.0);
        assert_eq!(legend_height(&[]), 0.0);
    }
}
