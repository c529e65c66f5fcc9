//! Top-level items and their clauses, each clause in the canonical order (the order of the
//! fields of its struct in the syntax tree).
//!
//! One exception: in blocks of requirements (graduation, programs, certificates) the block's
//! `source` comes before the requirements. A requirement may end with its own `source "..."`,
//! so a block-level `source` written after a requirement without one would be read back as
//! that requirement's citation.

use super::expr::{condition, expr};
use super::lexical::{
    colour, date, idents, join, month_day, number, opt_name, percent, strings, text,
};
use super::requirements::requirements;
use super::Writer;
use crate::ast::*;

/// Writes one top-level item with its comments.
pub(super) fn item(w: &mut Writer, node: &Node<Item>) {
    match &node.value {
        Item::Header(h) => {
            let head = format!("ruleset {} version {}", text(&h.id), text(&h.version));
            w.block(node, &head, |w| header(w, h));
        }
        Item::Categories(list) => w.block(node, "categories", |w| {
            for c in list {
                w.single(c, &category(&c.value));
            }
        }),
        Item::Scale(s) => scale(w, node, s),
        Item::Gpa(g) => w.block(node, &format!("gpa{}", opt_name(&g.name)), |w| gpa(w, g)),
        Item::Catalog(c) => w.block(node, &format!("catalog{}", opt_name(&c.name)), |w| {
            for course in &c.courses {
                w.single(course, &self::course(&course.value));
            }
        }),
        Item::Kind(k) => {
            let head = format!("kind {}{}", k.id.value, opt_name(&k.name));
            w.block(node, &head, |w| kind(w, k));
        }
        Item::Institutions(list) => w.block(node, "institutions", |w| {
            for i in list {
                w.single(i, &institution(&i.value));
            }
        }),
        Item::Convert(c) => {
            let head = format!("convert {}{}", c.id.value, opt_name(&c.name));
            w.block(node, &head, |w| convert(w, c));
        }
        Item::Cap(c) => {
            let head = format!("cap {}{}", c.id.value, opt_name(&c.name));
            w.block(node, &head, |w| cap(w, c));
        }
        Item::Review(r) => {
            let head = format!("review {}{}", r.id.value, opt_name(&r.name));
            w.block(node, &head, |w| review(w, r));
        }
        Item::Warning(x) => {
            let head = format!("warning {}{}", x.id.value, opt_name(&x.name));
            w.block(node, &head, |w| warning(w, x));
        }
        Item::Graduation(g) => w.block(node, &format!("graduation{}", opt_name(&g.name)), |w| {
            source(w, &g.source);
            requirements(w, &g.requirements);
        }),
        Item::Program(p) => {
            let head = format!("program {}{}", p.id.value, opt_name(&p.name));
            w.block(node, &head, |w| program(w, p));
        }
        Item::Certificate(c) => {
            let head = format!("certificate {}{}", c.id.value, opt_name(&c.name));
            w.block(node, &head, |w| {
                source(w, &c.source);
                requirements(w, &c.requirements);
            });
        }
    }
}

/// `source "..."` as a clause of its own.
fn source(w: &mut Writer, src: &Option<Node<Text>>) {
    if let Some(s) = src {
        w.single(s, &format!("source {}", text(&s.value)));
    }
}

/// ` source "..."` at the end of an entry line.
fn citation(src: &Citation) -> String {
    match src {
        Some(s) => format!(" source {}", text(s)),
        None => String::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// 1-2. Header and categories

fn header(w: &mut Writer, h: &Header) {
    w.single(&h.title, &format!("title {}", text(&h.title.value)));
    w.single(
        &h.effective,
        &format!("effective {}", date(&h.effective.value.value)),
    );
    if let Some(s) = &h.supersedes {
        w.single(s, &format!("supersedes {}", text(&s.value)));
    }
    for (target, rounding) in [("gpa", &h.gpa_rounding), ("credits", &h.credit_rounding)] {
        if let Some(r) = rounding {
            let mode = match r.value.mode.value {
                RoundingMode::HalfUp => "half-up",
                RoundingMode::HalfEven => "half-even",
                RoundingMode::Truncate => "truncate",
            };
            let line = format!("rounding {target} {mode} {}", r.value.places.value);
            w.single(r, &line);
        }
    }
    if let Some(y) = &h.year_start {
        w.single(y, &format!("year starts {}", month_day(&y.value.value)));
    }
    source(w, &h.source);
}

fn category(c: &Category) -> String {
    format!("{} {}{}", c.id.value, text(&c.name), citation(&c.source))
}

// ---------------------------------------------------------------------------------------------
// 3. Scales

fn range(r: &ScoreRange) -> String {
    format!("[{}, {}]", number(&r.min.value), number(&r.max.value))
}

fn scale(w: &mut Writer, node: &Node<Item>, s: &Scale) {
    let start = format!("scale {}{}", s.id.value, opt_name(&s.name));
    match &s.body {
        ScaleBody::Bands(b) => {
            let head = format!(
                "{start} bands over {} pass {}",
                range(&b.range),
                number(&b.pass.value)
            );
            w.block(node, &head, |w| {
                for band in &b.bands {
                    w.single(band, &self::band(&band.value));
                }
            });
        }
        ScaleBody::Formula(f) => {
            let head = format!(
                "{start} formula over {} pass {}",
                range(&f.range),
                number(&f.pass.value)
            );
            w.block(node, &head, |w| {
                for case in &f.cases {
                    let line = format!(
                        "when {} => {}",
                        condition(&case.value.when),
                        expr(&case.value.points)
                    );
                    w.single(case, &line);
                }
                if let Some(otherwise) = &f.otherwise {
                    w.single(otherwise, &format!("else => {}", expr(&otherwise.value)));
                }
            });
        }
        ScaleBody::Text(grades) => w.block(node, &format!("{start} text"), |w| {
            for g in grades {
                let fail = if g.value.fail { " fail" } else { "" };
                let line = format!(
                    "{} => {}{fail}",
                    text(&g.value.label),
                    number(&g.value.points.value)
                );
                w.single(g, &line);
            }
        }),
        ScaleBody::PassFail(pf) => w.block(node, &format!("{start} pass-fail"), |w| {
            for (keyword, clauses) in [("pass", &pf.pass), ("fail", &pf.fail)] {
                for c in clauses {
                    w.single(c, &format!("{keyword} {}", strings(&c.value)));
                }
            }
        }),
    }
}

fn band(b: &Band) -> String {
    let open = if b.lower.closed { '[' } else { '(' };
    let close = if b.upper.closed { ']' } else { ')' };
    format!(
        "{open}{}, {}{close} => {}",
        number(&b.lower.value.value),
        number(&b.upper.value.value),
        number(&b.points.value)
    )
}

// ---------------------------------------------------------------------------------------------
// 4. GPA policy

fn gpa(w: &mut Writer, g: &GpaPolicy) {
    w.single(&g.scores, &format!("scores use {}", g.scores.value.value));
    if let Some(grades) = &g.grades {
        w.single(grades, &format!("grades use {}", idents(&grades.value)));
    }
    if let Some(weight) = &g.weight {
        let how = match weight.value.value {
            GpaWeight::Credits => "credits",
            GpaWeight::Equal => "equal",
        };
        w.single(weight, &format!("weight {how}"));
    }
    let retake = match g.retake.value.value {
        RetakePolicy::Best => "best",
        RetakePolicy::Latest => "latest",
        RetakePolicy::First => "first",
        RetakePolicy::Average => "average",
        RetakePolicy::All => "all",
    };
    w.single(&g.retake, &format!("retake {retake}"));
    if let Some(include) = &g.include {
        let line = format!("include categories {}", idents(&include.value));
        w.single(include, &line);
    }
    for ex in &g.exclude {
        let what = match &ex.value {
            GpaExclusion::Categories(ids) => format!("categories {}", idents(ids)),
            GpaExclusion::Courses(codes) => format!("courses {}", idents(codes)),
            GpaExclusion::Tags(ids) => format!("tags {}", idents(ids)),
            GpaExclusion::Grades(grades) => format!("grades {}", strings(grades)),
        };
        w.single(ex, &format!("exclude {what}"));
    }
    source(w, &g.source);
}

// ---------------------------------------------------------------------------------------------
// 5. Catalog, kinds, institutions

fn course(c: &Course) -> String {
    let mut line = format!(
        "course {} {} credits {} category {}",
        c.code.value,
        text(&c.name),
        number(&c.credits.value),
        c.category.value
    );
    if !c.tags.is_empty() {
        line.push_str(" tags ");
        line.push_str(&idents(&c.tags));
    }
    if let Some(term) = &c.term {
        line.push_str(&format!(" term {}", term.value));
    }
    line
}

fn kind(w: &mut Writer, k: &OutcomeKind) {
    for a in &k.attributes {
        w.single(a, &attribute(&a.value));
    }
    for e in &k.evidence {
        let items = e
            .value
            .iter()
            .map(|item| format!("{}{}", item.id.value, opt_name(&item.name)));
        w.single(e, &format!("evidence {}", join(items)));
    }
    source(w, &k.source);
}

fn attribute(a: &Attribute) -> String {
    let ty = match &a.ty {
        AttributeType::Enum(values) => {
            let values = values
                .iter()
                .map(|v| format!("{}{}", v.id.value, opt_name(&v.name)));
            format!("one of {}", join(values))
        }
        AttributeType::Number(r) => with_range("number", r),
        AttributeType::Integer(r) => with_range("integer", r),
        AttributeType::Text => "text".to_string(),
        AttributeType::Date => "date".to_string(),
    };
    format!("attribute {}{} {ty}", a.id.value, opt_name(&a.name))
}

fn with_range(keyword: &str, r: &Option<ScoreRange>) -> String {
    match r {
        Some(r) => format!("{keyword} {}", range(r)),
        None => keyword.to_string(),
    }
}

fn institution(i: &Institution) -> String {
    let ty = match i.ty.value {
        InstitutionType::InSchool => "in-school",
        InstitutionType::Partner => "partner",
        InstitutionType::University => "university",
        InstitutionType::MoocPlatform => "mooc-platform",
        InstitutionType::CertifyingBody => "certifying-body",
        InstitutionType::Enterprise => "enterprise",
        InstitutionType::Other => "other",
    };
    format!(
        "{} {} {ty} share {}{}",
        i.id.value,
        text(&i.name),
        percent(&i.share.value),
        citation(&i.source)
    )
}

// ---------------------------------------------------------------------------------------------
// 6-7. Conversion rules and caps

fn convert(w: &mut Writer, c: &ConversionRule) {
    w.single(&c.kind, &format!("kind {}", c.kind.value.value));
    if let Some(when) = &c.when {
        w.single(when, &format!("when {}", condition(&when.value)));
    }
    if let Some(from) = &c.from {
        w.single(from, &format!("from {}", idents(&from.value)));
    }
    w.single(&c.into, &format!("into {}", c.into.value.value));
    match &c.credits.value {
        CreditAmount::Table { by, rows } => {
            w.block(&c.credits, &format!("credits by {}", by.value), |w| {
                for row in rows {
                    let line = format!(
                        "{} => {}",
                        row.value.key.value,
                        number(&row.value.credits.value)
                    );
                    w.single(row, &line);
                }
            });
        }
        CreditAmount::Formula {
            expr: e,
            rounded_down_to,
        } => {
            let mut line = format!("credits {}", expr(e));
            if let Some(step) = rounded_down_to {
                line.push_str(&format!(" rounded down to {}", number(&step.value)));
            }
            w.single(&c.credits, &line);
        }
    }
    if let Some(split) = &c.split {
        w.block(split, &format!("split by {}", split.value.by.value), |w| {
            for row in &split.value.rows {
                let line = format!(
                    "{} => {}",
                    row.value.rank.value,
                    percent(&row.value.share.value)
                );
                w.single(row, &line);
            }
        });
    }
    if let Some(h) = &c.highest_only_per {
        w.single(h, &format!("highest only per {}", h.value.value));
    }
    if let Some(e) = &c.expires_after_years {
        w.single(e, &format!("expires after {} years", e.value.value));
    }
    source(w, &c.source);
}

fn cap(w: &mut Writer, c: &CreditCap) {
    let on = match &c.on.value {
        CapScope::Category(id) => format!("category {}", id.value),
        CapScope::Kind(id) => format!("kind {}", id.value),
        CapScope::Rule(id) => format!("rule {}", id.value),
        CapScope::Conversions => "conversions".to_string(),
    };
    w.single(&c.on, &format!("on {on}"));
    let limit = &c.limit.value;
    let mut line = match &limit.amount {
        CapAmount::Credits(n) => format!("at most {}", number(&n.value)),
        CapAmount::ShareOfRequired {
            percent: p,
            category,
        } => format!(
            "at most {} of required {}",
            percent(&p.value),
            category.as_ref().map_or("total", |c| c.value.as_str())
        ),
    };
    if let Some(period) = &limit.period {
        line.push_str(match period.value {
            CapPeriod::Year => " per year",
            CapPeriod::Term => " per term",
        });
    }
    w.single(&c.limit, &line);
    source(w, &c.source);
}

// ---------------------------------------------------------------------------------------------
// 8-10. Reviews, warnings, programs

fn review(w: &mut Writer, r: &ReviewCriteria) {
    w.single(&r.kind, &format!("for {}", r.kind.value.value));
    for req in &r.require {
        let line = format!(
            "require evidence {} because {}",
            idents(&req.value.evidence),
            text(&req.value.because)
        );
        w.single(req, &line);
    }
    for (keyword, cases) in [("reject", &r.reject), ("approve", &r.approve)] {
        for case in cases {
            let line = format!(
                "{keyword} when {} because {}",
                condition(&case.value.when),
                text(&case.value.because)
            );
            w.single(case, &line);
        }
    }
    let otherwise = format!("otherwise manual because {}", text(&r.otherwise.value));
    w.single(&r.otherwise, &otherwise);
    source(w, &r.source);
}

fn warning(w: &mut Writer, x: &Warning) {
    let on = match x.on.value.value {
        WarningMeasure::Credits => "credits",
        WarningMeasure::FailedCredits => "failed-credits",
        WarningMeasure::Gpa => "gpa",
    };
    w.single(&x.on, &format!("on {on}"));
    for stage in &x.stages {
        let line = format!(
            "after term {} expect {}",
            stage.value.term.value,
            number(&stage.value.expect.value)
        );
        w.single(stage, &line);
    }
    for level in &x.levels {
        w.single(level, &warning_level(&level.value));
    }
    source(w, &x.source);
}

fn warning_level(l: &WarningLevel) -> String {
    let threshold = match &l.threshold.value {
        Threshold::BelowPercent(p) => format!("below {}", percent(p)),
        Threshold::Below(n) => format!("below {}", number(n)),
        Threshold::AtLeast(n) => format!("at least {}", number(n)),
    };
    format!(
        "level {}{} colour {} {threshold} message {}",
        l.id.value,
        opt_name(&l.name),
        colour(&l.colour),
        text(&l.message)
    )
}

fn program(w: &mut Writer, p: &Program) {
    let ty = match p.ty.value.value {
        ProgramType::Minor => "minor",
        ProgramType::DoubleDegree => "double-degree",
        ProgramType::MicroMajor => "micro-major",
    };
    w.single(&p.ty, &format!("type {ty}"));
    let courses = format!("courses tagged {}", idents(&p.courses_tagged.value));
    w.single(&p.courses_tagged, &courses);
    source(w, &p.source);
    requirements(w, &p.requirements);
}
