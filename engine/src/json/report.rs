//! A report written as JSON directly, field by field, each field's name written with its quotes,
//! colon and comma as one piece: the bytes [`super::to_vec`] writes for it (and so
//! `serde_json`), at about half the cost. The report is what the service answers and `batch`
//! writes, once per learner: there, going through serde's calls for each of its thousand or
//! so fields (a call per field, a check of each name for escapes) cost as much as the text
//! itself.
//!
//! The report's shape is declared once, by its `Serialize` derive (docs/REPORT.md); this module
//! follows it field by field, and the tests hold the two to the same bytes for every report of
//! every bundled version at every level of explanation (`cohort/tests/json_writer.rs`, and the
//! absurd figures of `cohort/tests/absurd_figures.rs`). A field added to a report type must be
//! added here too; those tests fail until it is.

use super::{string, write_figure, write_integer};
use crate::report::{
    AttemptLine, BlockLine, CategoryCredits, CourseLine, ExceptionLine, GpaFigure, OutcomeLine,
    Report, RequirementLine, RuleRef, RulesetRef, WarningLine,
};

/// Appends `report` to `out` as compact JSON: the bytes `serde_json::to_writer` writes for it.
pub fn write(report: &Report<'_>, out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\"learner\":");
    string(out, report.learner);
    out.extend_from_slice(b",\"ruleset\":");
    ruleset(out, &report.ruleset);
    out.extend_from_slice(b",\"as_of\":");
    string(out, &report.as_of);
    out.extend_from_slice(b",\"term\":");
    write_integer(out, report.term);
    out.extend_from_slice(b",\"total_credits\":");
    write_figure(out, report.total_credits);
    out.extend_from_slice(b",\"categories\":");
    array(out, &report.categories, category);
    if let Some(gpa) = &report.gpa {
        out.extend_from_slice(b",\"gpa\":");
        gpa_figure(out, gpa);
    }
    out.extend_from_slice(b",\"failed_credits\":");
    write_figure(out, report.failed_credits);
    out.extend_from_slice(b",\"warnings\":");
    array(out, &report.warnings, warning);
    if let Some(graduation) = &report.graduation {
        out.extend_from_slice(b",\"graduation\":");
        block(out, graduation);
    }
    if !report.programs.is_empty() {
        out.extend_from_slice(b",\"programs\":");
        array(out, &report.programs, block);
    }
    if !report.certificates.is_empty() {
        out.extend_from_slice(b",\"certificates\":");
        array(out, &report.certificates, block);
    }
    if !report.exceptions.is_empty() {
        out.extend_from_slice(b",\"exceptions\":");
        array(out, &report.exceptions, exception);
    }
    if !report.outcomes.is_empty() {
        out.extend_from_slice(b",\"outcomes\":");
        array(out, &report.outcomes, outcome);
    }
    if !report.courses.is_empty() {
        out.extend_from_slice(b",\"courses\":");
        array(out, &report.courses, course);
    }
    out.push(b'}');
}

/// `[`, each item written by `item`, separated by commas, `]`.
fn array<T>(out: &mut Vec<u8>, items: &[T], item: impl Fn(&mut Vec<u8>, &T)) {
    out.push(b'[');
    let mut items = items.iter();
    if let Some(first) = items.next() {
        item(out, first);
        for next in items {
            out.push(b',');
            item(out, next);
        }
    }
    out.push(b']');
}

/// `,"NAME":` and the rule, when there is one (`NAME` given with its punctuation).
fn optional_rule(out: &mut Vec<u8>, name: &[u8], rule: Option<&RuleRef<'_>>) {
    if let Some(rule) = rule {
        out.extend_from_slice(name);
        rule_ref(out, rule);
    }
}

/// `,"NAME":` and the text, when there is some.
fn optional_text(out: &mut Vec<u8>, name: &[u8], text: Option<&str>) {
    if let Some(text) = text {
        out.extend_from_slice(name);
        string(out, text);
    }
}

/// A rule citation: its JSON rendered when the plan was compiled, copied whole, or its fields.
fn rule_ref(out: &mut Vec<u8>, rule: &RuleRef<'_>) {
    if let Some(json) = rule.json {
        out.extend_from_slice(json.as_bytes());
        return;
    }
    out.extend_from_slice(b"{\"kind\":");
    string(out, rule.kind);
    out.extend_from_slice(b",\"id\":");
    string(out, rule.id);
    out.extend_from_slice(b",\"at\":");
    string(out, &rule.at);
    optional_text(out, b",\"citation\":", rule.citation);
    out.push(b'}');
}

fn ruleset(out: &mut Vec<u8>, r: &RulesetRef<'_>) {
    out.extend_from_slice(b"{\"id\":");
    string(out, r.id);
    out.extend_from_slice(b",\"version\":");
    string(out, r.version);
    out.extend_from_slice(b",\"title\":");
    string(out, r.title);
    out.extend_from_slice(b",\"content_hash\":");
    string(out, r.content_hash);
    out.extend_from_slice(b",\"selected\":");
    string(out, r.selected);
    out.push(b'}');
}

fn category(out: &mut Vec<u8>, c: &CategoryCredits<'_>) {
    out.extend_from_slice(b"{\"category\":");
    string(out, c.category);
    out.extend_from_slice(b",\"name\":");
    string(out, c.name);
    out.extend_from_slice(b",\"credits\":");
    write_figure(out, c.credits);
    out.extend_from_slice(b",\"from_courses\":");
    write_figure(out, c.from_courses);
    out.extend_from_slice(b",\"from_outcomes\":");
    write_figure(out, c.from_outcomes);
    out.push(b'}');
}

fn gpa_figure(out: &mut Vec<u8>, g: &GpaFigure<'_>) {
    out.extend_from_slice(b"{\"value\":");
    write_figure(out, g.value);
    out.extend_from_slice(b",\"exact\":");
    write_figure(out, g.exact);
    out.extend_from_slice(b",\"points\":");
    write_figure(out, g.points);
    out.extend_from_slice(b",\"weight\":");
    write_figure(out, g.weight);
    optional_rule(out, b",\"rule\":", g.rule.as_ref());
    out.push(b'}');
}

fn warning(out: &mut Vec<u8>, w: &WarningLine<'_>) {
    out.extend_from_slice(b"{\"warning\":");
    string(out, w.warning);
    out.extend_from_slice(b",\"level\":");
    string(out, w.level);
    optional_text(out, b",\"name\":", w.name);
    out.extend_from_slice(b",\"severity\":");
    write_integer(out, w.severity);
    out.extend_from_slice(b",\"of\":");
    write_integer(out, w.of);
    out.extend_from_slice(b",\"colour\":");
    string(out, w.colour);
    out.extend_from_slice(b",\"message\":");
    string(out, w.message);
    out.extend_from_slice(b",\"figures\":");
    string(out, &w.figures);
    optional_rule(out, b",\"rule\":", w.rule.as_ref());
    out.push(b'}');
}

fn block(out: &mut Vec<u8>, b: &BlockLine<'_>) {
    out.extend_from_slice(b"{\"id\":");
    string(out, b.id);
    optional_text(out, b",\"name\":", b.name);
    out.extend_from_slice(if b.met {
        b",\"met\":true,\"requirements\":"
    } else {
        b",\"met\":false,\"requirements\":"
    });
    array(out, &b.requirements, requirement);
    optional_rule(out, b",\"rule\":", b.rule.as_ref());
    out.push(b'}');
}

fn requirement(out: &mut Vec<u8>, r: &RequirementLine<'_>) {
    out.extend_from_slice(b"{\"id\":");
    string(out, r.id);
    optional_text(out, b",\"label\":", r.label);
    out.extend_from_slice(b",\"status\":");
    string(out, r.status);
    optional_text(out, b",\"waived\":", r.waived.as_deref());
    optional_text(out, b",\"missing\":", r.missing.as_deref());
    optional_rule(out, b",\"rule\":", r.rule.as_ref());
    out.push(b'}');
}

fn exception(out: &mut Vec<u8>, e: &ExceptionLine<'_>) {
    out.extend_from_slice(b"{\"action\":");
    string(out, &e.action);
    out.extend_from_slice(b",\"by\":");
    string(out, e.by);
    out.extend_from_slice(b",\"reason\":");
    string(out, e.reason);
    out.extend_from_slice(b",\"status\":");
    string(out, e.status);
    optional_text(out, b",\"problem\":", e.problem.as_deref());
    out.push(b'}');
}

fn outcome(out: &mut Vec<u8>, o: &OutcomeLine<'_>) {
    out.extend_from_slice(b"{\"id\":");
    string(out, o.id);
    out.extend_from_slice(b",\"kind\":");
    string(out, o.kind);
    out.extend_from_slice(b",\"decision\":");
    string(out, o.decision);
    out.extend_from_slice(b",\"credits\":");
    write_figure(out, o.credits);
    if !o.would_earn.is_zero() {
        out.extend_from_slice(b",\"would_earn\":");
        write_figure(out, o.would_earn);
    }
    if !o.reasons.is_empty() {
        out.extend_from_slice(b",\"reasons\":");
        array(out, &o.reasons, |out, r| string(out, r));
    }
    if !o.rules.is_empty() {
        out.extend_from_slice(b",\"rules\":");
        array(out, &o.rules, rule_ref);
    }
    out.push(b'}');
}

fn course(out: &mut Vec<u8>, c: &CourseLine<'_>) {
    out.extend_from_slice(b"{\"course\":");
    string(out, c.course);
    out.extend_from_slice(b",\"status\":");
    string(out, c.status);
    optional_text(out, b",\"category\":", c.category);
    out.extend_from_slice(b",\"credits\":");
    write_figure(out, c.credits);
    if !c.reasons.is_empty() {
        out.extend_from_slice(b",\"reasons\":");
        array(out, &c.reasons, |out, r| string(out, r));
    }
    if !c.attempts.is_empty() {
        out.extend_from_slice(b",\"attempts\":");
        array(out, &c.attempts, attempt);
    }
    optional_rule(out, b",\"rule\":", c.rule.as_ref());
    out.push(b'}');
}

fn attempt(out: &mut Vec<u8>, a: &AttemptLine) {
    out.extend_from_slice(b"{\"term\":");
    write_integer(out, a.term);
    out.extend_from_slice(b",\"mark\":");
    string(out, &a.mark);
    if let Some(points) = a.points {
        out.extend_from_slice(b",\"points\":");
        write_figure(out, points);
    }
    out.extend_from_slice(if a.passed {
        b",\"passed\":true}"
    } else {
        b",\"passed\":false}"
    });
}
