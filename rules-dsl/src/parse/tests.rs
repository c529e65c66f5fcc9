//! Tests of the whole parser: lowering, comments, errors and recovery.

use super::*;
use crate::ast::*;
use rust_decimal::Decimal;
use std::str::FromStr;

const SAMPLE: &str = include_str!("../../tests/fixtures/valid/sample.cbr");

const HEADER: &str =
    "ruleset \"demo/u\" version \"2026.1\" {\n  title \"示范\"\n  effective 2026-09-01\n}\n";

fn parse_text(text: &str) -> Parsed {
    parse(&SourceFile::new("test.cbr", text))
}

/// Parses `HEADER` followed by `item`, asserts there are no diagnostics, returns the item.
fn item(item: &str) -> Item {
    let text = format!("{HEADER}{item}");
    let parsed = parse_text(&text);
    assert_eq!(parsed.diagnostics, vec![], "{item}");
    assert_eq!(parsed.file.items.len(), 2, "{item}");
    parsed.file.items[1].value.clone()
}

fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

fn id(text: &str) -> Ident {
    Spanned::new(text.to_string(), Span::default())
}

fn var(name: &str) -> Expr {
    Expr {
        kind: ExprKind::Var(name.to_string()),
        span: Span::default(),
    }
}

fn num(text: &str) -> Expr {
    Expr {
        kind: ExprKind::Number(dec(text)),
        span: Span::default(),
    }
}

fn bin(op: BinaryOp, a: Expr, b: Expr) -> Expr {
    Expr {
        kind: ExprKind::Binary(op, Box::new(a), Box::new(b)),
        span: Span::default(),
    }
}

/// The formula of `convert c { kind k into i credits EXPR }`.
fn formula(expr: &str) -> Expr {
    let Item::Convert(rule) = item(&format!("convert c {{ kind k into i credits {expr} }}")) else {
        panic!("not a conversion rule");
    };
    let CreditAmount::Formula { expr, .. } = rule.credits.value else {
        panic!("not a formula");
    };
    expr
}

/// The condition of `convert c { kind k when COND into i credits 1 }`.
fn condition(cond: &str) -> Condition {
    let Item::Convert(rule) = item(&format!(
        "convert c {{ kind k when {cond} into i credits 1 }}"
    )) else {
        panic!("not a conversion rule");
    };
    rule.when.unwrap().value
}

fn messages(parsed: &Parsed) -> Vec<(&'static str, String, String)> {
    parsed
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.message.clone(), d.label.clone()))
        .collect()
}

fn slice(text: &str, span: Span) -> &str {
    &text[span.range()]
}

// --- The sample -------------------------------------------------------------------------

#[test]
fn sample_parses_cleanly_with_every_item() {
    let parsed = parse_text(SAMPLE);
    assert_eq!(parsed.diagnostics, vec![]);
    let kinds: Vec<&str> = parsed
        .file
        .items
        .iter()
        .map(|i| match &i.value {
            Item::Header(_) => "ruleset",
            Item::Categories(_) => "categories",
            Item::Scale(_) => "scale",
            Item::Gpa(_) => "gpa",
            Item::Catalog(_) => "catalog",
            Item::Kind(_) => "kind",
            Item::Institutions(_) => "institutions",
            Item::Convert(_) => "convert",
            Item::Cap(_) => "cap",
            Item::Review(_) => "review",
            Item::Warning(_) => "warning",
            Item::Graduation(_) => "graduation",
            Item::Program(_) => "program",
            Item::Certificate(_) => "certificate",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "ruleset",
            "categories",
            "scale",
            "scale",
            "scale",
            "scale",
            "gpa",
            "catalog",
            "kind",
            "institutions",
            "convert",
            "convert",
            "cap",
            "cap",
            "review",
            "warning",
            "graduation",
            "program",
            "certificate"
        ]
    );
    assert_eq!(parsed.file.items[0].comments.leading, [" 示范大学"]);
}

#[test]
fn crlf_line_ends_and_wide_spaces_read_the_same() {
    let lf = parse_text(SAMPLE);
    let crlf = parse_text(&SAMPLE.replace('\n', "\r\n"));
    assert_eq!(crlf.diagnostics, vec![]);
    assert_eq!(crlf.file, lf.file);
    let wide = parse_text(&format!("\u{feff}{}", SAMPLE.replace("  ", "\u{3000}")));
    assert_eq!(wide.diagnostics, vec![]);
    assert_eq!(wide.file, lf.file);
}

// --- Lowering ---------------------------------------------------------------------------

#[test]
fn header_clauses_in_any_order() {
    let text = "ruleset \"a/b\" version \"2026.1\" {\n  year starts 02-29\n  rounding credits truncate 1\n  source \"办法\"\n  effective 2024-02-29\n  rounding gpa half-even 2\n  supersedes \"2025.1\"\n  title \"T\\\"\\u{5B66}\"\n}\n";
    let parsed = parse_text(text);
    assert_eq!(parsed.diagnostics, vec![]);
    let Item::Header(h) = &parsed.file.items[0].value else {
        panic!()
    };
    assert_eq!(h.id.value, "a/b");
    assert_eq!(slice(text, h.id.span), "\"a/b\"");
    assert_eq!(h.version.value, "2026.1");
    assert_eq!(h.title.value.value, "T\"学");
    assert_eq!(
        h.effective.value.value,
        Date {
            year: 2024,
            month: 2,
            day: 29
        }
    );
    assert_eq!(slice(text, h.effective.span), "effective 2024-02-29");
    assert_eq!(h.supersedes.as_ref().unwrap().value.value, "2025.1");
    let gpa = &h.gpa_rounding.as_ref().unwrap().value;
    assert_eq!(
        (gpa.mode.value, gpa.places.value),
        (RoundingMode::HalfEven, 2)
    );
    let credits = &h.credit_rounding.as_ref().unwrap().value;
    assert_eq!(
        (credits.mode.value, credits.places.value),
        (RoundingMode::Truncate, 1)
    );
    assert_eq!(
        h.year_start.as_ref().unwrap().value.value,
        MonthDay { month: 2, day: 29 }
    );
    assert_eq!(h.source.as_ref().unwrap().value.value, "办法");
}

#[test]
fn categories_and_institutions() {
    let Item::Categories(cats) = item("categories {\n  a \"甲\"\n  b \"乙\" source \"第三条\"\n}")
    else {
        panic!()
    };
    assert_eq!(cats.len(), 2);
    assert_eq!(cats[1].value.id.value, "b");
    assert_eq!(cats[1].value.source.as_ref().unwrap().value, "第三条");
    let Item::Institutions(inst) = item(
        "institutions {\n  pku \"北大\" partner share 100%\n  x \"X\" certifying-body share 12.5% source \"s\"\n}",
    ) else {
        panic!()
    };
    assert_eq!(inst[0].value.ty.value, InstitutionType::Partner);
    assert_eq!(inst[0].value.share.value, dec("100"));
    assert_eq!(inst[1].value.ty.value, InstitutionType::CertifyingBody);
    assert_eq!(inst[1].value.share.value.to_string(), "12.5");
    assert!(inst[1].value.source.is_some());
}

#[test]
fn band_scales_keep_bounds_and_scale() {
    let Item::Scale(s) = item(
        "scale std \"百分制\" bands over [-10, 100] pass 60 {\n  [90, 100] => 4.0\n  (85, 90) => 3.7\n}",
    ) else {
        panic!()
    };
    assert_eq!(s.id.value, "std");
    assert_eq!(s.name.unwrap().value, "百分制");
    let ScaleBody::Bands(b) = s.body else {
        panic!()
    };
    assert_eq!(b.range.min.value, dec("-10"));
    assert_eq!(b.pass.value, dec("60"));
    let first = &b.bands[0].value;
    assert!(first.lower.closed && first.upper.closed);
    assert_eq!(first.points.value.to_string(), "4.0");
    let second = &b.bands[1].value;
    assert!(!second.lower.closed && !second.upper.closed);
}

#[test]
fn formula_text_and_pass_fail_scales() {
    let Item::Scale(s) = item(
        "scale f formula over [0, 100] pass 60 {\n  when score >= 90 => 4\n  when score >= 60 => score / 25\n  else => 0\n}",
    ) else {
        panic!()
    };
    let ScaleBody::Formula(f) = s.body else {
        panic!()
    };
    assert_eq!(f.cases.len(), 2);
    assert_eq!(f.otherwise.unwrap().value, num("0"));
    let Item::Scale(s) = item("scale t text {\n  \"优秀\" => 4.0\n  \"不及格\" => 0 fail\n}")
    else {
        panic!()
    };
    let ScaleBody::Text(grades) = s.body else {
        panic!()
    };
    assert!(!grades[0].value.fail && grades[1].value.fail);
    let Item::Scale(s) =
        item("scale p pass-fail {\n  pass \"通过\", \"合格\"\n  fail \"不通过\"\n  pass \"P\"\n}")
    else {
        panic!()
    };
    let ScaleBody::PassFail(pf) = s.body else {
        panic!()
    };
    assert_eq!(pf.pass.len(), 2);
    assert_eq!(pf.pass[0].value.len(), 2);
    assert_eq!(pf.fail[0].value[0].value, "不通过");
}

#[test]
fn gpa_policy() {
    let Item::Gpa(g) = item(
        "gpa \"平均\" {\n  retake average\n  scores use pku\n  grades use five, pf\n  weight equal\n  include categories a, b\n  exclude courses PE101, 04830140\n  exclude grades \"免修\"\n  exclude tags pe\n  exclude categories c\n}",
    ) else {
        panic!()
    };
    assert_eq!(g.name.unwrap().value, "平均");
    assert_eq!(g.scores.value.value, "pku");
    assert_eq!(g.retake.value.value, RetakePolicy::Average);
    assert_eq!(g.weight.unwrap().value.value, GpaWeight::Equal);
    assert_eq!(g.grades.unwrap().value, vec![id("five"), id("pf")]);
    assert_eq!(g.include.unwrap().value.len(), 2);
    assert_eq!(
        g.exclude[0].value,
        GpaExclusion::Courses(vec![id("PE101"), id("04830140")])
    );
    assert!(matches!(&g.exclude[1].value, GpaExclusion::Grades(v) if v[0].value == "免修"));
    assert_eq!(g.exclude[2].value, GpaExclusion::Tags(vec![id("pe")]));
    assert_eq!(g.exclude[3].value, GpaExclusion::Categories(vec![id("c")]));
}

#[test]
fn catalog_courses() {
    let Item::Catalog(c) = item(
        "catalog \"方案\" {\n  course CS101 \"程序\" term 1 tags core, prog category major credits 3\n  course 04830140 \"数学\" credits 5.0 category general\n}",
    ) else {
        panic!()
    };
    assert_eq!(c.courses.len(), 2);
    let cs = &c.courses[0].value;
    assert_eq!(cs.code.value, "CS101");
    assert_eq!(cs.credits.value, dec("3"));
    assert_eq!(cs.category.value, "major");
    assert_eq!(cs.tags, vec![id("core"), id("prog")]);
    assert_eq!(cs.term.as_ref().unwrap().value, 1);
    let math = &c.courses[1].value;
    assert_eq!(math.code.value, "04830140");
    assert_eq!(math.credits.value.scale(), 1);
    assert_eq!(math.term, None);
}

#[test]
fn outcome_kinds() {
    let Item::Kind(k) = item(
        "kind comp \"竞赛\" {\n  attribute level \"级别\" one of national \"国家级\", provincial\n  attribute score number [0, 710]\n  attribute rank integer\n  attribute name text\n  attribute on date\n  evidence certificate \"证书\", list\n  source \"s\"\n}",
    ) else {
        panic!()
    };
    assert_eq!(k.id.value, "comp");
    let AttributeType::Enum(values) = &k.attributes[0].value.ty else {
        panic!()
    };
    assert_eq!(values[0].name.as_ref().unwrap().value, "国家级");
    assert_eq!(values[1].name, None);
    let AttributeType::Number(Some(range)) = &k.attributes[1].value.ty else {
        panic!()
    };
    assert_eq!(range.max.value, dec("710"));
    assert_eq!(k.attributes[2].value.ty, AttributeType::Integer(None));
    assert_eq!(k.attributes[3].value.ty, AttributeType::Text);
    assert_eq!(k.attributes[4].value.ty, AttributeType::Date);
    assert_eq!(k.evidence[0].value.len(), 2);
    assert!(k.source.is_some());
}

#[test]
fn conversion_rules() {
    let Item::Convert(r) = item(
        "convert c \"规则\" {\n  split by rank { 1 => 100% 2 => 50% }\n  credits by award {\n    first => 4\n  }\n  into innovation\n  kind comp\n  from a, b\n  highest only per name\n  expires after 4 years\n  source \"s\"\n}",
    ) else {
        panic!()
    };
    assert_eq!(r.id.value, "c");
    assert_eq!(r.kind.value.value, "comp");
    assert_eq!(r.into.value.value, "innovation");
    assert_eq!(r.from.unwrap().value, vec![id("a"), id("b")]);
    let CreditAmount::Table { by, rows } = &r.credits.value else {
        panic!()
    };
    assert_eq!(by.value, "award");
    assert_eq!(rows[0].value.key.value, "first");
    let split = r.split.unwrap().value;
    assert_eq!(split.rows[1].value.rank.value, 2);
    assert_eq!(split.rows[1].value.share.value, dec("50"));
    assert_eq!(r.highest_only_per.unwrap().value.value, "name");
    assert_eq!(r.expires_after_years.unwrap().value.value, 4);

    let Item::Convert(r) =
        item("convert m { kind k into g credits hours / 16 rounded down to 0.5 }")
    else {
        panic!()
    };
    let CreditAmount::Formula {
        expr,
        rounded_down_to,
    } = r.credits.value
    else {
        panic!()
    };
    assert_eq!(expr, bin(BinaryOp::Div, var("hours"), num("16")));
    assert_eq!(rounded_down_to.unwrap().value.to_string(), "0.5");
}

#[test]
fn caps() {
    let Item::Cap(c) = item("cap a { on category innovation at most 4 per year }") else {
        panic!()
    };
    assert_eq!(c.on.value, CapScope::Category(id("innovation")));
    assert_eq!(
        c.limit.value.amount,
        CapAmount::Credits(Spanned::new(dec("4"), Span::default()))
    );
    assert_eq!(c.limit.value.period.unwrap().value, CapPeriod::Year);
    let Item::Cap(c) = item("cap b { at most 35% of required total on conversions }") else {
        panic!()
    };
    assert_eq!(c.on.value, CapScope::Conversions);
    let CapAmount::ShareOfRequired { percent, category } = &c.limit.value.amount else {
        panic!()
    };
    assert_eq!((percent.value, category), (dec("35"), &None));
    let Item::Cap(c) = item("cap c { on kind comp at most 10% of required major per term }") else {
        panic!()
    };
    assert_eq!(c.on.value, CapScope::Kind(id("comp")));
    let CapAmount::ShareOfRequired { category, .. } = &c.limit.value.amount else {
        panic!()
    };
    assert_eq!(category.as_ref().unwrap().value, "major");
    assert_eq!(c.limit.value.period.unwrap().value, CapPeriod::Term);
    let Item::Cap(c) = item("cap d { on rule r at most 2 }") else {
        panic!()
    };
    assert_eq!(c.on.value, CapScope::Rule(id("r")));
}

#[test]
fn reviews_and_warnings() {
    let Item::Review(r) = item(
        "review r {\n  for comp\n  require evidence a, b because \"缺\"\n  reject when x = 1 because \"不\"\n  approve when has evidence a because \"自动\"\n  approve when y = \"t\" because \"ok\"\n  otherwise manual because \"人工\"\n}",
    ) else {
        panic!()
    };
    assert_eq!(r.kind.value.value, "comp");
    assert_eq!(r.require[0].value.evidence.len(), 2);
    assert_eq!(r.reject.len(), 1);
    assert_eq!(r.approve.len(), 2);
    assert_eq!(r.approve[0].value.when, Condition::HasEvidence(id("a")));
    assert_eq!(r.otherwise.value.value, "人工");

    let Item::Warning(w) = item(
        "warning w \"预警\" {\n  on credits\n  after term 2 expect 40\n  level y \"黄\" colour #f5c518 below 90% message \"低\"\n  level r color #D0021B below 2.0 message \"m\"\n  level z colour #000000 at least 10 message \"n\"\n}",
    ) else {
        panic!()
    };
    assert_eq!(w.on.value.value, WarningMeasure::Credits);
    assert_eq!(w.stages[0].value.term.value, 2);
    assert_eq!(w.stages[0].value.expect.value, dec("40"));
    assert_eq!(w.levels[0].value.colour.value, "#f5c518");
    assert_eq!(
        w.levels[0].value.threshold.value,
        Threshold::BelowPercent(dec("90"))
    );
    assert_eq!(
        w.levels[1].value.threshold.value,
        Threshold::Below(dec("2.0"))
    );
    assert_eq!(
        w.levels[2].value.threshold.value,
        Threshold::AtLeast(dec("10"))
    );
    assert_eq!(w.levels[2].value.name, None);
}

#[test]
fn every_requirement_body() {
    let Item::Graduation(g) = item(
        "graduation \"毕业\" {\n  source \"s\"\n  requires total at least 160\n  requires category major at least 90 \"专业\"\n  requires tagged t at least 20\n  requires kind k at least 2\n  requires count k where level = national at least 1\n  requires count k at least 3\n  requires gpa at least 2.0\n  requires failed-credits at most 30\n  requires courses CS101, 04830140\n  requires core: 2 of (CS101, CS102) \"核心\" source \"第九条\"\n  requires program minor-cs\n  requires graduation\n}",
    ) else {
        panic!()
    };
    let bodies: Vec<&RequirementBody> = g.requirements.iter().map(|r| &r.value.body).collect();
    assert_eq!(
        *bodies[0],
        RequirementBody::Total(Spanned::new(dec("160"), Span::default()))
    );
    assert!(matches!(bodies[1], RequirementBody::Category(c, _) if c.value == "major"));
    assert!(matches!(bodies[2], RequirementBody::Tagged(..)));
    assert!(matches!(bodies[3], RequirementBody::Kind(..)));
    assert!(
        matches!(bodies[4], RequirementBody::Count { filter: Some(_), at_least, .. } if at_least.value == 1)
    );
    assert!(matches!(
        bodies[5],
        RequirementBody::Count { filter: None, .. }
    ));
    assert!(matches!(bodies[6], RequirementBody::Gpa(n) if n.value.to_string() == "2.0"));
    assert!(matches!(bodies[7], RequirementBody::FailedCredits(..)));
    assert!(matches!(bodies[8], RequirementBody::Courses(c) if c.len() == 2));
    assert!(
        matches!(bodies[9], RequirementBody::NOf { n, courses } if n.value == 2 && courses.len() == 2)
    );
    assert!(matches!(bodies[10], RequirementBody::Program(p) if p.value == "minor-cs"));
    assert_eq!(*bodies[11], RequirementBody::Graduation);
    let core = &g.requirements[9].value;
    assert_eq!(core.id.as_ref().unwrap().value, "core");
    assert_eq!(core.label.as_ref().unwrap().value, "核心");
    assert_eq!(core.source.as_ref().unwrap().value, "第九条");
    assert_eq!(
        g.requirements[1].value.label.as_ref().unwrap().value,
        "专业"
    );
    assert!(g.source.is_some());
}

#[test]
fn programs_and_certificates() {
    let Item::Program(p) = item(
        "program m \"辅修\" {\n  courses tagged cs-minor, x\n  type double-degree\n  requires gpa at least 2.5\n}",
    ) else {
        panic!()
    };
    assert_eq!(p.ty.value.value, ProgramType::DoubleDegree);
    assert_eq!(p.courses_tagged.value.len(), 2);
    assert_eq!(p.requirements.len(), 1);
    // A `source` after a requirement is the requirement's.
    let Item::Certificate(c) =
        item("certificate c { source \"s\" requires program m  source \"t\" }")
    else {
        panic!()
    };
    assert_eq!(c.id.value, "c");
    assert_eq!(c.requirements.len(), 1);
    assert_eq!(c.source.unwrap().value.value, "s");
    assert_eq!(c.requirements[0].value.source.as_ref().unwrap().value, "t");
}

// --- Expressions and conditions ---------------------------------------------------------

#[test]
fn arithmetic_associates_and_binds_as_usual() {
    use BinaryOp::*;
    assert_eq!(
        formula("a - b - c"),
        bin(Sub, bin(Sub, var("a"), var("b")), var("c"))
    );
    assert_eq!(
        formula("2 ^ 3 ^ 2"),
        bin(Pow, num("2"), bin(Pow, num("3"), num("2")))
    );
    assert_eq!(
        formula("1 + 2 * 3"),
        bin(Add, num("1"), bin(Mul, num("2"), num("3")))
    );
    assert_eq!(
        formula("(1 + 2) * 3"),
        bin(Mul, bin(Add, num("1"), num("2")), num("3"))
    );
    assert_eq!(
        formula("-x ^ 2"),
        bin(
            Pow,
            Expr {
                kind: ExprKind::Neg(Box::new(var("x"))),
                span: Span::default()
            },
            num("2")
        )
    );
    let call = formula("min(a, max(b, 1), floor(c))");
    let ExprKind::Call(Function::Min, args) = call.kind else {
        panic!()
    };
    assert_eq!(args.len(), 3);
    assert!(matches!(args[1].kind, ExprKind::Call(Function::Max, _)));
}

#[test]
fn expression_spans_cover_what_was_written() {
    let text =
        format!("{HEADER}convert c {{ kind k into i credits 4 - 3 * (100 - score) ^ 2 / 1600 }}");
    let parsed = parse_text(&text);
    let Item::Convert(r) = &parsed.file.items[1].value else {
        panic!()
    };
    let CreditAmount::Formula { expr, .. } = &r.credits.value else {
        panic!()
    };
    assert_eq!(slice(&text, expr.span), "4 - 3 * (100 - score) ^ 2 / 1600");
    let ExprKind::Binary(_, _, rhs) = &expr.kind else {
        panic!()
    };
    assert_eq!(slice(&text, rhs.span), "3 * (100 - score) ^ 2 / 1600");
    assert_eq!(
        slice(&text, r.credits.span),
        "credits 4 - 3 * (100 - score) ^ 2 / 1600"
    );
}

#[test]
fn conditions_keep_their_grouping() {
    let c = condition("a = 1 or (b = 2 or c = 3)");
    let Condition::Or(operands) = c else { panic!() };
    assert_eq!(operands.len(), 2);
    assert!(matches!(&operands[1], Condition::Or(inner) if inner.len() == 2));
    let c = condition("a = 1 or b = 2 or c = 3");
    assert!(matches!(c, Condition::Or(v) if v.len() == 3));
    let c = condition("(a = 1)");
    assert!(matches!(c, Condition::Compare { .. }));
    let c = condition("not not has evidence x and y in (p, \"q\", 3)");
    let Condition::And(parts) = c else { panic!() };
    assert!(matches!(&parts[0], Condition::Not(inner) if matches!(**inner, Condition::Not(_))));
    let Condition::In { values, .. } = &parts[1] else {
        panic!()
    };
    assert!(matches!(values[0], AttrValue::Ident(_)));
    assert!(matches!(values[1], AttrValue::Text(_)));
    assert!(matches!(values[2], AttrValue::Number(_)));
}

#[test]
fn comparison_right_sides() {
    let Condition::Compare { rhs, op, .. } = condition("level = national") else {
        panic!()
    };
    assert_eq!(op.value, CompareOp::Eq);
    assert_eq!(rhs, Operand::Expr(var("national")));
    let Condition::Compare { rhs, .. } = condition("name != \"x\"") else {
        panic!()
    };
    assert!(matches!(rhs, Operand::Text(t) if t.value == "x"));
    let Condition::Compare { op, .. } = condition("a <= b + 1") else {
        panic!()
    };
    assert_eq!(op.value, CompareOp::Le);
}

// --- Comments ---------------------------------------------------------------------------

#[test]
fn comments_attach_where_written() {
    let text = "// c1\nruleset \"a\" version \"1\" { // c2\n  // c3\n  title \"t\" // c4\n  effective 2026-09-01\n  // c5\n} // c6\n// c7\nconvert c {\n  kind k\n  when a = 1 // c8\n    and b = 2\n  into i\n  credits by x {\n    // c9\n    p => 1 // c10\n    // c11\n  } // c12\n}\n// c13\n";
    let parsed = parse_text(text);
    assert_eq!(parsed.diagnostics, vec![]);
    let header = &parsed.file.items[0];
    assert_eq!(header.comments.leading, [" c1"]);
    assert_eq!(header.comments.trailing.as_deref(), Some(" c6"));
    assert_eq!(header.comments.inner_end, [" c5"]);
    let Item::Header(h) = &header.value else {
        panic!()
    };
    assert_eq!(h.title.comments.leading, [" c2", " c3"]);
    assert_eq!(h.title.comments.trailing.as_deref(), Some(" c4"));
    let convert = &parsed.file.items[1];
    assert_eq!(convert.comments.leading, [" c7"]);
    let Item::Convert(r) = &convert.value else {
        panic!()
    };
    // Inside a multi-line condition: kept as a leading comment of the next clause.
    assert_eq!(r.when.as_ref().unwrap().comments.trailing, None);
    assert_eq!(r.into.comments.leading, [" c8"]);
    let CreditAmount::Table { rows, .. } = &r.credits.value else {
        panic!()
    };
    assert_eq!(rows[0].comments.leading, [" c9"]);
    assert_eq!(rows[0].comments.trailing.as_deref(), Some(" c10"));
    assert_eq!(r.credits.comments.inner_end, [" c11"]);
    assert_eq!(r.credits.comments.trailing.as_deref(), Some(" c12"));
    assert_eq!(parsed.file.end_comments, [" c13"]);
}

#[test]
fn every_comment_ends_up_in_the_tree() {
    // A comment after every token of the sample, each with its own text.
    let mut text = String::new();
    let mut n = 0;
    for line in SAMPLE.lines().filter(|l| !l.contains("//")) {
        text.push_str(line);
        text.push_str(&format!(" // k{n}\n// l{n}\n"));
        n += 1;
    }
    let parsed = parse_text(&text);
    assert_eq!(parsed.diagnostics, vec![]);
    let tree = format!("{:?}", parsed.file);
    for i in 0..n {
        assert!(tree.contains(&format!("\" k{i}\"")), "k{i} lost");
        assert!(tree.contains(&format!("\" l{i}\"")), "l{i} lost");
    }
}

// --- Errors -----------------------------------------------------------------------------

#[test]
fn syntax_error_names_what_was_expected() {
    let text = format!(
        "{HEADER}convert x {{\n  kind competition\n  credits by award {{\n    first 4\n  }}\n}}\n"
    );
    let parsed = parse_text(&text);
    assert_eq!(
        messages(&parsed),
        [(
            "E001",
            "expected `=>`, found `4`".to_string(),
            "expected `=>`".to_string()
        )]
    );
    let d = &parsed.diagnostics[0];
    assert_eq!(slice(&text, d.span), "4");
    assert_eq!(
        d.help.as_deref(),
        Some("a credit table lists values and credits like `first => 4`")
    );
    assert_eq!(parsed.file.items.len(), 1);
}

#[test]
fn a_misspelt_keyword_is_reported_whole() {
    let text = format!("{HEADER}convert x {{\n  kind competition\n  intox innovation\n}}\n");
    let parsed = parse_text(&text);
    let d = &parsed.diagnostics[0];
    assert_eq!(
        d.message,
        "expected `}`, `credits`, `expires`, `from`, `highest`, `into`, `kind` or `source`, found `intox`"
    );
    assert_eq!(slice(&text, d.span), "intox");
    assert_eq!(d.label, "did you mean `into`?");
    assert_eq!(
        d.help.as_deref(),
        Some("a conversion rule takes: kind, when, from, into, credits, split by, highest only per, expires after, source")
    );
}

#[test]
fn missing_brace_and_end_of_file() {
    let text = format!(
        "{HEADER}convert x \"n\"\n  kind competition\n}}\ncap y {{ on conversions at most 4 per\n"
    );
    let parsed = parse_text(&text);
    assert_eq!(
        messages(&parsed),
        [
            (
                "E001",
                "expected `{`, found `kind`".to_string(),
                "expected `{`".to_string()
            ),
            (
                "E001",
                "expected `term` or `year`, found end of file".to_string(),
                "expected `term` or `year`".to_string()
            ),
        ]
    );
    assert_eq!(
        parsed.diagnostics[0].help.as_deref(),
        Some("a conversion rule reads `convert ID \"name\" { ... }`")
    );
    assert_eq!(parsed.diagnostics[1].span.range(), text.len()..text.len());
}

#[test]
fn expected_conditions_are_named_as_such() {
    let text = format!("{HEADER}convert x {{ kind k when }}\n");
    let parsed = parse_text(&text);
    assert_eq!(parsed.diagnostics.len(), 1);
    assert_eq!(
        parsed.diagnostics[0].message,
        "expected a condition, found `}`"
    );
    let text = format!("{HEADER}convert x {{ kind k into i credits }}\n");
    let parsed = parse_text(&text);
    assert_eq!(
        parsed.diagnostics[0].message,
        "expected an expression or `by`, found `}`"
    );
}

#[test]
fn lexical_errors_have_their_own_codes() {
    let text = format!(
        "{HEADER}categories {{\n  a \"x\\qy\"\n  b \"open\n  c \"ok\"\n}}\nkind k {{ attribute d date }}\n"
    );
    let parsed = parse_text(&text);
    assert_eq!(
        messages(&parsed),
        [
            (
                "E005",
                "invalid escape `\\q` in string".to_string(),
                "not a valid escape".to_string()
            ),
            (
                "E002",
                "unterminated string".to_string(),
                "this string is never closed".to_string()
            ),
        ]
    );
    assert_eq!(slice(&text, parsed.diagnostics[0].span), "\\q");
    assert_eq!(slice(&text, parsed.diagnostics[1].span), "\"open");
    assert_eq!(
        parsed.diagnostics[1].help.as_deref(),
        Some("close the string with `\"`")
    );
    // The categories are left out; the kind after them is kept.
    assert_eq!(parsed.file.items.len(), 2);
    assert!(matches!(parsed.file.items[1].value, Item::Kind(_)));
}

#[test]
fn invalid_dates_and_numbers() {
    let text = "ruleset \"a\" version \"1\" {\n  title \"t\"\n  effective 2026-02-30\n  year starts 13-01\n  rounding gpa half-up 4294967296\n}\nconvert c { kind k into i credits 99999999999999999999999999999 }\n";
    let parsed = parse_text(text);
    assert_eq!(
        messages(&parsed),
        [
            (
                "E003",
                "invalid date `2026-02-30`".to_string(),
                "february 2026 has 28 days".to_string()
            ),
            (
                "E003",
                "invalid date `13-01`".to_string(),
                "there is no month 13".to_string()
            ),
            (
                "E004",
                "number `4294967296` is out of range".to_string(),
                "larger than 4294967295".to_string()
            ),
            (
                "E004",
                "number `99999999999999999999999999999` is out of range".to_string(),
                "more than 28 significant digits".to_string()
            ),
        ]
    );
    assert_eq!(slice(text, parsed.diagnostics[0].span), "2026-02-30");
    assert!(parsed.file.items.is_empty());
}

#[test]
fn missing_header_and_duplicate_items() {
    let parsed = parse_text("gpa { scores use s retake best }\ngpa { scores use t retake all }\n");
    assert_eq!(
        messages(&parsed),
        [
            (
                "E006",
                "the file has no `ruleset` header".to_string(),
                "expected the ruleset header before this".to_string()
            ),
            (
                "E007",
                "a ruleset has one gpa policy; this is a second `gpa`".to_string(),
                "second `gpa`".to_string()
            ),
        ]
    );
    assert_eq!(parsed.diagnostics[1].related[0].label, "first given here");
    assert_eq!(parsed.diagnostics[1].related[0].span.range(), 0..3);
    assert_eq!(parsed.file.items.len(), 1);
    let Item::Gpa(g) = &parsed.file.items[0].value else {
        panic!()
    };
    assert_eq!(g.scores.value.value, "s");
    let empty = parse_text("");
    assert_eq!(empty.diagnostics.len(), 1);
    assert_eq!(empty.diagnostics[0].code, Code::MissingHeader);
    assert_eq!(empty.diagnostics[0].span.range(), 0..0);
}

#[test]
fn missing_and_repeated_clauses() {
    let text = format!("{HEADER}convert comp-national {{ kind k kind j credits 1 }}\ncap c {{ on conversions on conversions at most 1 }}\n");
    let parsed = parse_text(&text);
    assert_eq!(
        messages(&parsed),
        [
            (
                "E008",
                "conversion rule `comp-national` has no `into` clause".to_string(),
                "`into` missing".to_string()
            ),
            (
                "E009",
                "conversion rule `comp-national` gives `kind` more than once".to_string(),
                "given again here".to_string()
            ),
            (
                "E009",
                "cap `c` gives `on` more than once".to_string(),
                "given again here".to_string()
            ),
        ]
    );
    let e008 = &parsed.diagnostics[0];
    assert_eq!(slice(&text, e008.span), "comp-national");
    assert_eq!(e008.help.as_deref(), Some("add `into CATEGORY`"));
    let e009 = &parsed.diagnostics[1];
    assert_eq!(slice(&text, e009.span), "kind j");
    assert_eq!(slice(&text, e009.related[0].span), "kind k");
    // The rule without `into` is left out; the cap keeps its first `on`.
    assert_eq!(parsed.file.items.len(), 2);
    assert!(matches!(parsed.file.items[1].value, Item::Cap(_)));
}

#[test]
fn a_course_missing_a_clause_leaves_the_catalog() {
    let text = format!("{HEADER}catalog {{\n  course A \"a\" credits 1\n  course B \"b\" credits 2 category c\n}}\n");
    let parsed = parse_text(&text);
    assert_eq!(
        messages(&parsed),
        [(
            "E008",
            "course `A` has no `category` clause".to_string(),
            "`category` missing".to_string()
        )]
    );
    let Item::Catalog(c) = &parsed.file.items[1].value else {
        panic!()
    };
    assert_eq!(c.courses.len(), 1);
}

#[test]
fn several_errors_are_reported_together_and_good_items_kept() {
    let text = format!(
        "{HEADER}foo bar\ncap a {{ on conversions at most }}\ncap b {{ on conversions at most 4 }}\nscale s bands over [0, 100] pass 60 {{\n  [90, 100] 4\n}}\ncap c {{ on category x at most 2 }}\n}}\n"
    );
    let parsed = parse_text(&text);
    let codes: Vec<&str> = parsed.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["E001", "E001", "E001", "E001"]);
    assert_eq!(
        parsed.diagnostics[0].message,
        "expected an item, found `foo`"
    );
    assert_eq!(parsed.diagnostics[2].message, "expected `=>`, found `4`");
    assert_eq!(parsed.diagnostics[3].message, "expected an item, found `}`");
    let ids: Vec<String> = parsed
        .file
        .items
        .iter()
        .filter_map(|i| match &i.value {
            Item::Cap(c) => Some(c.id.value.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(ids, ["b", "c"]);
}

#[test]
fn an_unclosed_block_ends_at_the_next_item() {
    let text = format!("{HEADER}convert x {{\n  kind k\n  credits by a {{ p => 1\ncap c {{ on conversions at most 2 }}\n");
    let parsed = parse_text(&text);
    assert_eq!(parsed.diagnostics.len(), 1, "{:?}", parsed.diagnostics);
    assert!(
        parsed.diagnostics[0].message.ends_with("found `cap`"),
        "{}",
        parsed.diagnostics[0].message
    );
    assert_eq!(parsed.file.items.len(), 2);
}

#[test]
fn deep_nesting_is_refused_without_overflow() {
    let deep = format!("{}a = 1{}", "(".repeat(100), ")".repeat(100));
    let text = format!("{HEADER}convert x {{ kind k when {deep} into i credits 1 }}\n");
    let parsed = parse_text(&text);
    assert_eq!(messages(&parsed)[0].1, "nesting too deep");
    let nots = "not ".repeat(10_000);
    let text = format!("{HEADER}convert x {{ kind k when {nots} a = 1 into i credits 1 }}\n");
    assert_eq!(messages(&parse_text(&text))[0].1, "nesting too deep");
    let long = vec!["1"; 5_000].join(" + ");
    let text = format!("{HEADER}convert x {{ kind k into i credits {long} }}\n");
    let parsed = parse_text(&text);
    assert_eq!(messages(&parsed)[0].1, "nesting too deep");
    assert_eq!(parsed.file.items.len(), 1);
    // As deep as allowed: parses, even on a test thread's small stack in a debug build.
    let deepest = format!("{}a = 1{}", "(".repeat(63), ")".repeat(63));
    let text = format!("{HEADER}convert x {{ kind k when {deepest} into i credits 1 }}\n");
    assert_eq!(parse_text(&text).diagnostics, vec![]);
    let deepest = format!("{}1{}", "(-".repeat(63), ")".repeat(63));
    let text = format!("{HEADER}convert x {{ kind k into i credits {deepest} }}\n");
    assert_eq!(parse_text(&text).diagnostics, vec![]);
    let ok = vec!["1"; 100].join(" + ");
    let text = format!("{HEADER}convert x {{ kind k into i credits {ok} }}\n");
    assert_eq!(parse_text(&text).diagnostics, vec![]);
}

#[test]
fn odd_inputs_do_not_panic() {
    for text in [
        "\"",
        "ruleset \"",
        "ruleset \"a\\",
        "convert x { when \"\\u{110000}\" }",
        "\u{feff}ruleset \"a\" version \"1\" { title \"t\" effective 2026-09-01 }",
        "cap\u{3000}x { on conversions at most 1 }",
        "}}}}",
        "scale 学分 text { \"优\" => 4 }",
        "ruleset \"a\" version \"1\" {\r\n title \"t\r\n}",
    ] {
        let parsed = parse_text(text);
        for d in &parsed.diagnostics {
            assert!(text.get(d.span.range()).is_some(), "{text:?}: {d:?}");
        }
    }
}

#[test]
fn a_word_cut_short_is_reported_whole() {
    let text =
        format!("{HEADER}convert x {{ kind k into i credits 2 split by rank {{ 1 => 50 }} }}\n");
    let parsed = parse_text(&text);
    assert_eq!(
        messages(&parsed),
        [(
            "E001",
            "expected a percentage like `35%`, found `50`".to_string(),
            "expected a percentage like `35%`".to_string()
        )]
    );
    assert_eq!(
        parsed.diagnostics[0].help.as_deref(),
        Some("a split lists ranks and shares like `1 => 100%`")
    );
    // Right after a word, but what is missing is punctuation: the error is after the word.
    let text = format!("{HEADER}convert x {{ kind k into i credits by a {{ first=4 }} }}\n");
    let parsed = parse_text(&text);
    assert_eq!(parsed.diagnostics[0].message, "expected `=>`, found `=`");
}

#[test]
fn full_width_punctuation_is_named() {
    let text = format!("{HEADER}graduation {{ requires courses CS101，CS102 }}\n");
    let parsed = parse_text(&text);
    let d = &parsed.diagnostics[0];
    assert!(d.message.ends_with("found `，`"), "{}", d.message);
    assert_eq!(d.label, "full-width `，`: write `,`");
    assert_eq!(slice(&text, d.span), "，");
}

#[test]
fn a_misspelt_item_keyword_is_suggested() {
    let text = format!("{HEADER}convrt x {{ kind k into i credits 1 }}\n");
    let parsed = parse_text(&text);
    assert_eq!(
        messages(&parsed),
        [(
            "E001",
            "expected an item, found `convrt`".to_string(),
            "did you mean `convert`?".to_string()
        )]
    );
    // Far from every keyword, or too short to tell: no guess.
    let parsed = parse_text(&format!("{HEADER}xyzzy\n"));
    assert_eq!(parsed.diagnostics[0].label, "not part of any item");
}

#[test]
fn a_second_single_item_is_still_checked() {
    let text =
        format!("{HEADER}ruleset \"b\" version \"2\" {{ title \"t\" effective 2026-9-1 }}\n");
    let parsed = parse_text(&text);
    let codes: Vec<&str> = parsed.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["E007", "E001"]);
    assert_eq!(
        parsed.diagnostics[1].message,
        "expected a date like `2026-09-01`, found `2026-9-1`"
    );
    assert_eq!(parsed.file.items.len(), 1);
}
