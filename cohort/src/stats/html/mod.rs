//! The summary as one self-contained HTML page: inline CSS and inline SVG charts, no script,
//! no font, image or style fetched from anywhere, so that it opens in any browser offline and
//! can be mailed or archived as one file.
//!
//! Sections: warning levels (a 100% stacked bar per warning, one row for every learner and
//! one per group, in the levels' configured colours), credits per category and in all (a
//! histogram each, stacked by group, and a table of quartiles), the GPA (histogram over the
//! scale's range and table), and eligibility for graduation, programs and certificates (bars
//! per group). Every chart has a `<title>`, axes with ticks, an axis title and a legend; every
//! figure is also in a table. Names from rulesets and records are escaped.

mod charts;
mod svg;

use super::summary::{Distribution, GroupSummary, RateSummary, Summary};
use charts::{RateSeries, Series, WarningRow, ALL_COLOUR, GROUP_COLOURS};
use rust_decimal::{Decimal, RoundingStrategy};
use std::fmt::Write;
use svg::escape;

const STYLE: &str = include_str!("style.css");

fn group_label(g: &GroupSummary) -> &str {
    g.group.as_deref().unwrap_or("all learners")
}

fn named(id: &str, name: Option<&str>) -> String {
    match name {
        Some(name) if !name.is_empty() => format!("{id} {name}"),
        _ => id.to_string(),
    }
}

fn figure(value: Option<Decimal>) -> String {
    value.map_or_else(|| "–".to_string(), |v| v.to_string())
}

fn mean(value: Option<Decimal>) -> String {
    value.map_or_else(
        || "–".to_string(),
        |v| {
            v.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
                .to_string()
        },
    )
}

fn distribution_table(out: &mut String, rows: &[(&str, &Distribution)]) {
    out.push_str(
        "<table class=\"distribution\"><thead><tr><th>group</th><th>learners</th><th>min</th>\
         <th>Q1</th><th>median</th><th>Q3</th><th>max</th><th>mean</th></tr></thead><tbody>\n",
    );
    for (label, d) in rows {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(label),
            d.learners,
            figure(d.min),
            figure(d.q1),
            figure(d.median),
            figure(d.q3),
            figure(d.max),
            mean(d.mean)
        );
    }
    out.push_str("</tbody></table>\n");
    if let Some(step) = rows.iter().find_map(|(_, d)| d.approximate_to) {
        let _ = writeln!(
            out,
            "<p class=\"note\">Too many distinct values to keep each: quartiles are floored to {step}.</p>"
        );
    }
}

fn series_colour(index: usize) -> &'static str {
    GROUP_COLOURS[index % GROUP_COLOURS.len()]
}

/// The histogram series: every learner when not grouped, else each group (stacked, they add
/// up to every learner).
fn histogram_series<'s>(
    summary: &'s Summary,
    pick: impl Fn(&'s GroupSummary) -> Option<&'s Distribution>,
) -> Vec<Series<'s>> {
    if summary.groups.is_empty() {
        let counts = pick(&summary.overall)
            .map(|d| d.histogram.iter().map(|b| b.learners).collect())
            .unwrap_or_default();
        return vec![Series {
            label: "all learners",
            colour: GROUP_COLOURS[0],
            counts,
        }];
    }
    // A group's colour is its place among all groups, so that it is the same in every chart.
    summary
        .groups
        .iter()
        .enumerate()
        .filter_map(|(i, g)| {
            let d = pick(g)?;
            Some(Series {
                label: group_label(g),
                colour: series_colour(i),
                counts: d.histogram.iter().map(|b| b.learners).collect(),
            })
        })
        .collect()
}

fn warnings_section(out: &mut String, summary: &Summary) {
    out.push_str("<section id=\"warnings\">\n<h2>Warning levels</h2>\n");
    if summary.overall.warnings.is_empty() {
        out.push_str("<p>No ruleset of these learners has staged warnings.</p>\n</section>\n");
        return;
    }
    for w in &summary.overall.warnings {
        let title = format!("Warning levels: {}", named(&w.warning, w.name.as_deref()));
        let mut rows = vec![WarningRow {
            label: "all learners",
            warning: w,
        }];
        let mut table_rows = vec![("all learners", w)];
        for g in &summary.groups {
            if let Some(gw) = g.warnings.iter().find(|gw| gw.warning == w.warning) {
                rows.push(WarningRow {
                    label: group_label(g),
                    warning: gw,
                });
                table_rows.push((group_label(g), gw));
            }
        }
        let _ = writeln!(
            out,
            "<h3>{}</h3>",
            escape(&named(&w.warning, w.name.as_deref()))
        );
        out.push_str("<figure>\n");
        out.push_str(&charts::warning_levels(&title, &rows));
        out.push_str("</figure>\n");
        out.push_str("<table class=\"warning-counts\"><thead><tr><th>group</th><th>learners</th><th>no warning</th>");
        for l in &w.levels {
            let _ = write!(
                out,
                "<th><span style=\"color:{}\">■</span> {}</th>",
                svg::colour(&l.colour),
                escape(&named(&l.level, l.name.as_deref()))
            );
        }
        out.push_str("</tr></thead><tbody>\n");
        for (label, gw) in table_rows {
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td>",
                escape(label),
                gw.learners,
                gw.none
            );
            for l in &w.levels {
                let n = gw
                    .levels
                    .iter()
                    .find(|gl| gl.level == l.level)
                    .map_or(0, |gl| gl.learners);
                let _ = write!(out, "<td>{n}</td>");
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody></table>\n");
    }
    out.push_str("</section>\n");
}

/// The credits of `category` in a group, or its total credits for `None`.
fn credits_of<'g>(g: &'g GroupSummary, category: Option<&str>) -> Option<&'g Distribution> {
    match category {
        Some(id) => g
            .credits
            .iter()
            .find(|c| c.category == id)
            .map(|c| &c.credits),
        None => Some(&g.total_credits),
    }
}

fn credits_section(out: &mut String, summary: &Summary) {
    out.push_str("<section id=\"credits\">\n<h2>Credits per category</h2>\n");
    let categories = summary
        .overall
        .credits
        .iter()
        .map(|c| (Some(c.category.as_str()), named(&c.category, Some(&c.name))));
    let all = std::iter::once((None, "all categories (total)".to_string()));
    for (category, label) in categories.chain(all) {
        let pick = |g| credits_of(g, category);
        let Some(overall) = pick(&summary.overall) else {
            continue;
        };
        let _ = writeln!(out, "<h3>{}</h3>", escape(&label));
        out.push_str("<figure>\n");
        out.push_str(&charts::histogram(
            &format!("Credits: {label}"),
            "credits",
            &overall.histogram,
            &histogram_series(summary, pick),
        ));
        out.push_str("</figure>\n");
        let mut rows = vec![("all learners", overall)];
        for g in &summary.groups {
            if let Some(d) = pick(g) {
                rows.push((group_label(g), d));
            }
        }
        distribution_table(out, &rows);
    }
    out.push_str("</section>\n");
}

fn gpa_section(out: &mut String, summary: &Summary) {
    out.push_str("<section id=\"gpa\">\n<h2>GPA</h2>\n");
    let overall = &summary.overall;
    if overall.gpa.histogram.is_empty() {
        out.push_str("<p>No learner has a GPA yet.</p>\n</section>\n");
        return;
    }
    let _ = writeln!(
        out,
        "<p class=\"note\">{} learners have a GPA; {} have none yet. The bins span the GPA scale.</p>",
        overall.gpa.learners, overall.without_gpa
    );
    out.push_str("<figure>\n");
    out.push_str(&charts::histogram(
        "GPA histogram",
        "GPA",
        &overall.gpa.histogram,
        &histogram_series(summary, |g| Some(&g.gpa)),
    ));
    out.push_str("</figure>\n");
    let mut rows = vec![("all learners", &overall.gpa)];
    rows.extend(summary.groups.iter().map(|g| (group_label(g), &g.gpa)));
    distribution_table(out, &rows);
    out.push_str("</section>\n");
}

/// The rate of block `(kind, id)` in a group.
fn rate_of<'g>(g: &'g GroupSummary, kind: &str, id: &str) -> Option<&'g RateSummary> {
    match kind {
        "graduation" => g.graduation.as_ref(),
        "program" => g.programs.iter().find(|r| r.id == id),
        _ => g.certificates.iter().find(|r| r.id == id),
    }
}

fn eligibility_section(out: &mut String, summary: &Summary) {
    out.push_str(
        "<section id=\"eligibility\">\n<h2>Graduation, program and certificate eligibility</h2>\n",
    );
    let overall = &summary.overall;
    let blocks: Vec<(&str, &RateSummary)> = overall
        .graduation
        .iter()
        .map(|r| ("graduation", r))
        .chain(overall.programs.iter().map(|r| ("program", r)))
        .chain(overall.certificates.iter().map(|r| ("certificate", r)))
        .collect();
    if blocks.is_empty() {
        out.push_str("<p>No ruleset of these learners has graduation, program or certificate blocks.</p>\n</section>\n");
        return;
    }
    let labels: Vec<String> = blocks
        .iter()
        .map(|(kind, r)| match *kind {
            "graduation" => named("graduation", r.name.as_deref()),
            _ => format!("{kind} {}", named(&r.id, r.name.as_deref())),
        })
        .collect();
    let mut series = vec![RateSeries {
        label: "all learners",
        colour: ALL_COLOUR,
        rates: blocks.iter().map(|(_, r)| Some(*r)).collect(),
    }];
    for (i, g) in summary.groups.iter().enumerate() {
        series.push(RateSeries {
            label: group_label(g),
            colour: series_colour(i),
            rates: blocks
                .iter()
                .map(|(kind, r)| rate_of(g, kind, &r.id))
                .collect(),
        });
    }
    out.push_str("<figure>\n");
    out.push_str(&charts::rates("Eligibility rates", &labels, &series));
    out.push_str("</figure>\n");
    out.push_str("<table class=\"rates\"><thead><tr><th>block</th><th>group</th><th>met</th><th>learners</th><th>rate</th></tr></thead><tbody>\n");
    for ((kind, block), label) in blocks.iter().zip(&labels) {
        let groups = summary
            .groups
            .iter()
            .filter_map(|g| Some((group_label(g), rate_of(g, kind, &block.id)?)));
        for (group, r) in std::iter::once(("all learners", *block)).chain(groups) {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(label),
                escape(group),
                r.met,
                r.learners,
                r.rate.map_or_else(|| "–".to_string(), |p| format!("{p}%"))
            );
        }
    }
    out.push_str("</tbody></table>\n</section>\n");
}

fn header(out: &mut String, summary: &Summary) {
    let learners = summary.overall.learners;
    let _ = write!(
        out,
        "<h1>Cohort statistics</h1>\n<p class=\"lead\">{learners} learners"
    );
    if let Some(by) = summary.group_by {
        let by = match by {
            "class" => "class (year of enrolment and program)",
            "enrolment-year" => "year of enrolment",
            other => other,
        };
        let _ = write!(out, " in {} groups by {}", summary.groups.len(), escape(by));
    }
    out.push_str(".</p>\n");
    if !summary.rulesets.is_empty() {
        out.push_str("<table class=\"rulesets\"><thead><tr><th>ruleset</th><th>version</th><th class=\"text\">title</th><th>learners</th></tr></thead><tbody>\n");
        for r in &summary.rulesets {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td class=\"text\">{}</td><td>{}</td></tr>",
                escape(&r.id),
                escape(&r.version),
                escape(r.title.as_deref().unwrap_or("")),
                r.learners
            );
        }
        out.push_str("</tbody></table>\n");
    }
}

/// The summary as a self-contained HTML page.
pub fn render(summary: &Summary) -> String {
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(
        out,
        "<title>Cohort statistics: {} learners</title>",
        summary.overall.learners
    );
    let _ = writeln!(out, "<style>\n{STYLE}</style>\n</head>\n<body>");
    header(&mut out, summary);
    warnings_section(&mut out, summary);
    credits_section(&mut out, summary);
    gpa_section(&mut out, summary);
    eligibility_section(&mut out, summary);
    out.push_str("</body>\n</html>\n");
    out
}
