//! Every construct lowers into its typed field.

use super::*;
use crate::ast::*;

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
