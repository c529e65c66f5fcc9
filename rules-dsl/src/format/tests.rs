//! Layout tests on hand-built trees: every item and clause kind, and comment placement.

use crate::ast::*;
use pest::Parser as _;
use rust_decimal::Decimal;
use std::str::FromStr;

/// The grammar alone, so that layouts are checked against it independently of the parser.
#[derive(pest_derive::Parser)]
#[grammar = "grammar.pest"]
struct Grammar;

/// Formats, and checks that the grammar accepts the result and the parser reads back the same
/// tree (a file without a header is allowed here: each test shows one item).
fn format(file: &RulesetFile) -> String {
    let out = format_unchecked(file);
    let parsed = crate::parse(&crate::SourceFile::new("test.cbr", out.clone()));
    let unexpected: Vec<_> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.code != crate::Code::MissingHeader)
        .collect();
    assert!(unexpected.is_empty(), "{unexpected:#?}\n{out}");
    assert_eq!(&parsed.file, file, "tree changed through\n{out}");
    out
}

/// Formats and checks only that the grammar accepts the result.
fn format_unchecked(file: &RulesetFile) -> String {
    let out = super::format(file);
    if let Err(e) = Grammar::parse(Rule::file, &out) {
        panic!("the grammar rejects the output:\n{out}\n{e}");
    }
    out
}

fn sp<T>(value: T) -> Spanned<T> {
    Spanned::new(value, Span::default())
}
fn id(s: &str) -> Ident {
    sp(s.to_string())
}
fn txt(s: &str) -> Text {
    sp(s.to_string())
}
fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}
fn num(s: &str) -> Number {
    sp(dec(s))
}
fn node<T>(value: T) -> Node<T> {
    Node::new(value, Span::default())
}
fn commented<T>(value: T, leading: &[&str], trailing: Option<&str>, inner_end: &[&str]) -> Node<T> {
    Node {
        value,
        span: Span::default(),
        comments: Comments {
            leading: leading.iter().map(|s| s.to_string()).collect(),
            trailing: trailing.map(str::to_string),
            inner_end: inner_end.iter().map(|s| s.to_string()).collect(),
        },
    }
}
fn ex(kind: ExprKind) -> Expr {
    Expr {
        kind,
        span: Span::default(),
    }
}
fn var(s: &str) -> Expr {
    ex(ExprKind::Var(s.into()))
}
fn lit(s: &str) -> Expr {
    ex(ExprKind::Number(dec(s)))
}
fn eq(lhs: &str, rhs: &str) -> Condition {
    Condition::Compare {
        lhs: var(lhs),
        op: sp(CompareOp::Eq),
        rhs: Operand::Expr(var(rhs)),
        span: Span::default(),
    }
}
fn file(items: Vec<Node<Item>>) -> RulesetFile {
    RulesetFile {
        items,
        end_comments: Vec::new(),
    }
}
fn one(item: Item) -> String {
    format(&file(vec![node(item)]))
}

fn header() -> Header {
    Header {
        id: txt("demo-university/undergraduate"),
        version: txt("2026.1"),
        title: node(txt("示范大学本科学分规则")),
        effective: node(sp(Date {
            year: 2026,
            month: 9,
            day: 1,
        })),
        supersedes: None,
        gpa_rounding: None,
        credit_rounding: None,
        year_start: None,
        source: None,
    }
}

#[test]
fn empty_file_is_empty() {
    assert_eq!(format(&RulesetFile::default()), "");
}

#[test]
fn header_with_every_clause() {
    let rounding = |mode, places| {
        node(Rounding {
            mode: sp(mode),
            places: sp(places),
        })
    };
    let h = Header {
        supersedes: Some(node(txt("2025.1"))),
        gpa_rounding: Some(rounding(RoundingMode::HalfUp, 2)),
        credit_rounding: Some(rounding(RoundingMode::Truncate, 1)),
        year_start: Some(node(sp(MonthDay { month: 9, day: 1 }))),
        source: Some(node(txt("管理办法"))),
        ..header()
    };
    assert_eq!(
        one(Item::Header(h)),
        "ruleset \"demo-university/undergraduate\" version \"2026.1\" {
  title \"示范大学本科学分规则\"
  effective 2026-09-01
  supersedes \"2025.1\"
  rounding gpa half-up 2
  rounding credits truncate 1
  year starts 09-01
  source \"管理办法\"
}
"
    );
}

#[test]
fn items_are_separated_by_one_blank_line_and_comments_kept() {
    let mut h = header();
    h.title.comments.leading = vec![" the title".into()];
    h.title.comments.trailing = Some(" shown on transcripts".into());
    let f = RulesetFile {
        items: vec![
            commented(
                Item::Header(h),
                &[" 示范大学", ""],
                Some(" end"),
                &[" inner"],
            ),
            node(Item::Categories(vec![
                node(Category {
                    id: id("general"),
                    name: txt("通识教育"),
                    source: None,
                }),
                commented(
                    Category {
                        id: id("major"),
                        name: txt("专业教育"),
                        source: Some(txt("第三条")),
                    },
                    &[],
                    Some("x"),
                    &[],
                ),
            ])),
        ],
        end_comments: vec![" the end".into()],
    };
    assert_eq!(
        format(&f),
        "// 示范大学
//
ruleset \"demo-university/undergraduate\" version \"2026.1\" {
  // the title
  title \"示范大学本科学分规则\" // shown on transcripts
  effective 2026-09-01
  // inner
} // end

categories {
  general \"通识教育\"
  major \"专业教育\" source \"第三条\" //x
}

// the end
"
    );
}

#[test]
fn only_comments() {
    let f = RulesetFile {
        items: vec![],
        end_comments: vec![" a".into(), "b".into()],
    };
    assert_eq!(format(&f), "// a\n//b\n");
}

#[test]
fn empty_block() {
    assert_eq!(one(Item::Categories(vec![])), "categories {\n}\n");
    let item = commented(Item::Institutions(vec![]), &[], None, &[" none yet"]);
    assert_eq!(
        format(&file(vec![item])),
        "institutions {\n  // none yet\n}\n"
    );
}

#[test]
fn scales() {
    let range = ScoreRange {
        min: num("0"),
        max: num("100"),
    };
    let bound = |v: &str, closed| Bound {
        value: num(v),
        closed,
    };
    let bands = Scale {
        id: id("std"),
        name: Some(txt("百分制")),
        body: ScaleBody::Bands(BandScale {
            range: range.clone(),
            pass: num("60"),
            bands: vec![
                node(Band {
                    lower: bound("90", true),
                    upper: bound("100", true),
                    points: num("4.0"),
                }),
                node(Band {
                    lower: bound("-5.5", false),
                    upper: bound("90", false),
                    points: num("3.7"),
                }),
            ],
        }),
    };
    assert_eq!(
        one(Item::Scale(bands)),
        "scale std \"百分制\" bands over [0, 100] pass 60 {
  [90, 100] => 4.0
  (-5.5, 90) => 3.7
}
"
    );

    let formula = Scale {
        id: id("pku"),
        name: None,
        body: ScaleBody::Formula(FormulaScale {
            range,
            pass: num("60"),
            cases: vec![node(FormulaCase {
                when: Condition::Compare {
                    lhs: var("score"),
                    op: sp(CompareOp::Ge),
                    rhs: Operand::Expr(lit("60")),
                    span: Span::default(),
                },
                points: ex(ExprKind::Binary(
                    BinaryOp::Sub,
                    Box::new(lit("4")),
                    Box::new(var("score")),
                )),
            })],
            otherwise: Some(commented(lit("0"), &[" fallback"], None, &[])),
        }),
    };
    assert_eq!(
        one(Item::Scale(formula)),
        "scale pku formula over [0, 100] pass 60 {
  when score >= 60 => 4 - score
  // fallback
  else => 0
}
"
    );

    let text = Scale {
        id: id("five"),
        name: Some(txt("五级制")),
        body: ScaleBody::Text(vec![
            node(TextGrade {
                label: txt("优秀"),
                points: num("4.0"),
                fail: false,
            }),
            node(TextGrade {
                label: txt("不及格"),
                points: num("0"),
                fail: true,
            }),
        ]),
    };
    assert_eq!(
        one(Item::Scale(text)),
        "scale five \"五级制\" text {
  \"优秀\" => 4.0
  \"不及格\" => 0 fail
}
"
    );

    let pass_fail = Scale {
        id: id("pf"),
        name: None,
        body: ScaleBody::PassFail(PassFailScale {
            pass: vec![node(vec![txt("通过"), txt("合格")])],
            fail: vec![node(vec![txt("不通过")])],
        }),
    };
    assert_eq!(
        one(Item::Scale(pass_fail)),
        "scale pf pass-fail {
  pass \"通过\", \"合格\"
  fail \"不通过\"
}
"
    );
}

#[test]
fn gpa_policy_in_canonical_order() {
    let g = GpaPolicy {
        name: Some(txt("平均学分绩点")),
        scores: node(id("pku")),
        grades: Some(node(vec![id("five"), id("pf")])),
        weight: Some(node(sp(GpaWeight::Equal))),
        retake: node(sp(RetakePolicy::Average)),
        include: Some(node(vec![id("general"), id("major")])),
        exclude: vec![
            node(GpaExclusion::Courses(vec![id("PE101"), id("04830140")])),
            node(GpaExclusion::Grades(vec![txt("免修"), txt("W")])),
            node(GpaExclusion::Tags(vec![id("pe")])),
            node(GpaExclusion::Categories(vec![id("innovation")])),
        ],
        source: Some(node(txt("第七条"))),
    };
    assert_eq!(
        one(Item::Gpa(g)),
        "gpa \"平均学分绩点\" {
  scores use pku
  grades use five, pf
  weight equal
  retake average
  include categories general, major
  exclude courses PE101, 04830140
  exclude grades \"免修\", \"W\"
  exclude tags pe
  exclude categories innovation
  source \"第七条\"
}
"
    );
    let minimal = GpaPolicy {
        name: None,
        scores: node(id("pku")),
        grades: None,
        weight: Some(node(sp(GpaWeight::Credits))),
        retake: node(sp(RetakePolicy::Best)),
        include: None,
        exclude: vec![],
        source: None,
    };
    assert_eq!(
        one(Item::Gpa(minimal)),
        "gpa {\n  scores use pku\n  weight credits\n  retake best\n}\n"
    );
}

#[test]
fn catalog_kind_and_institutions() {
    let catalog = Catalog {
        name: Some(txt("2026级培养方案")),
        courses: vec![
            node(Course {
                code: id("CS101"),
                name: txt("程序设计基础"),
                credits: num("3"),
                category: id("major"),
                tags: vec![id("core"), id("programming")],
                term: Some(sp(1)),
            }),
            node(Course {
                code: id("04830140"),
                name: txt("高等数学"),
                credits: num("5.0"),
                category: id("general"),
                tags: vec![],
                term: None,
            }),
        ],
    };
    assert_eq!(
        one(Item::Catalog(catalog)),
        "catalog \"2026级培养方案\" {
  course CS101 \"程序设计基础\" credits 3 category major tags core, programming term 1
  course 04830140 \"高等数学\" credits 5.0 category general
}
"
    );

    let attr = |name: &str, display: Option<&str>, ty| {
        node(Attribute {
            id: id(name),
            name: display.map(txt),
            ty,
        })
    };
    let kind = OutcomeKind {
        id: id("competition"),
        name: Some(txt("学科竞赛")),
        attributes: vec![
            attr(
                "level",
                Some("级别"),
                AttributeType::Enum(vec![
                    EnumValue {
                        id: id("national"),
                        name: Some(txt("国家级")),
                    },
                    EnumValue {
                        id: id("provincial"),
                        name: None,
                    },
                ]),
            ),
            attr("name", None, AttributeType::Text),
            attr(
                "author-rank",
                None,
                AttributeType::Integer(Some(ScoreRange {
                    min: num("1"),
                    max: num("10"),
                })),
            ),
            attr("score", Some("分数"), AttributeType::Number(None)),
            attr("held", None, AttributeType::Date),
        ],
        evidence: vec![node(vec![
            EvidenceItem {
                id: id("certificate"),
                name: Some(txt("获奖证书")),
            },
            EvidenceItem {
                id: id("list"),
                name: None,
            },
        ])],
        source: None,
    };
    assert_eq!(
        one(Item::Kind(kind)),
        "kind competition \"学科竞赛\" {
  attribute level \"级别\" one of national \"国家级\", provincial
  attribute name text
  attribute author-rank integer [1, 10]
  attribute score \"分数\" number
  attribute held date
  evidence certificate \"获奖证书\", list
}
"
    );

    let types = [
        (InstitutionType::InSchool, "in-school"),
        (InstitutionType::Partner, "partner"),
        (InstitutionType::University, "university"),
        (InstitutionType::MoocPlatform, "mooc-platform"),
        (InstitutionType::CertifyingBody, "certifying-body"),
        (InstitutionType::Enterprise, "enterprise"),
        (InstitutionType::Other, "other"),
    ];
    for (ty, word) in types {
        let inst = Institution {
            id: id("pku"),
            name: txt("北京大学"),
            ty: sp(ty),
            share: sp(dec("87.5")),
            source: Some(txt("协议")),
        };
        assert_eq!(
            one(Item::Institutions(vec![node(inst)])),
            format!("institutions {{\n  pku \"北京大学\" {word} share 87.5% source \"协议\"\n}}\n")
        );
    }
}

fn conversion() -> ConversionRule {
    ConversionRule {
        id: id("comp-national"),
        name: Some(txt("国家级学科竞赛")),
        kind: node(id("competition")),
        when: Some(node(Condition::And(vec![
            eq("level", "national"),
            Condition::Not(Box::new(Condition::In {
                attr: id("award"),
                values: vec![
                    AttrValue::Ident(id("special")),
                    AttrValue::Ident(id("first")),
                ],
                span: Span::default(),
            })),
        ]))),
        from: Some(node(vec![id("icourse"), id("xuetangx")])),
        into: node(id("innovation")),
        credits: commented(
            CreditAmount::Table {
                by: id("award"),
                rows: vec![
                    node(TableRow {
                        key: id("special"),
                        credits: num("6"),
                    }),
                    commented(
                        TableRow {
                            key: id("first"),
                            credits: num("4.5"),
                        },
                        &[],
                        Some(" most common"),
                        &[],
                    ),
                ],
            },
            &[" by award"],
            Some(" table"),
            &[" more rows later"],
        ),
        split: Some(node(Split {
            by: id("author-rank"),
            rows: vec![
                node(SplitRow {
                    rank: sp(1),
                    share: sp(dec("100")),
                }),
                node(SplitRow {
                    rank: sp(2),
                    share: sp(dec("50")),
                }),
            ],
        })),
        highest_only_per: Some(node(id("name"))),
        expires_after_years: Some(node(sp(4))),
        source: Some(node(txt("教务〔2026〕3号 第五条"))),
    }
}

#[test]
fn conversion_rule_with_tables() {
    assert_eq!(
        one(Item::Convert(conversion())),
        "convert comp-national \"国家级学科竞赛\" {
  kind competition
  when level = national and not (award in (special, first))
  from icourse, xuetangx
  into innovation
  // by award
  credits by award {
    special => 6
    first => 4.5 // most common
    // more rows later
  } // table
  split by author-rank {
    1 => 100%
    2 => 50%
  }
  highest only per name
  expires after 4 years
  source \"教务〔2026〕3号 第五条\"
}
"
    );
}

#[test]
fn conversion_rule_with_formula() {
    let rule = ConversionRule {
        id: id("mooc"),
        name: None,
        when: None,
        from: None,
        credits: node(CreditAmount::Formula {
            expr: ex(ExprKind::Binary(
                BinaryOp::Div,
                Box::new(var("hours")),
                Box::new(lit("16")),
            )),
            rounded_down_to: Some(num("0.5")),
        }),
        split: None,
        highest_only_per: None,
        expires_after_years: None,
        source: None,
        ..conversion()
    };
    assert_eq!(
        one(Item::Convert(rule)),
        "convert mooc {
  kind competition
  into innovation
  credits hours / 16 rounded down to 0.5
}
"
    );
}

#[test]
fn caps() {
    let cap = |on, amount, period: Option<CapPeriod>| {
        one(Item::Cap(CreditCap {
            id: id("c"),
            name: None,
            on: node(on),
            limit: node(CapLimit {
                amount,
                period: period.map(sp),
            }),
            source: None,
        }))
    };
    assert_eq!(
        cap(
            CapScope::Category(id("innovation")),
            CapAmount::Credits(num("4")),
            Some(CapPeriod::Year)
        ),
        "cap c {\n  on category innovation\n  at most 4 per year\n}\n"
    );
    assert_eq!(
        cap(
            CapScope::Conversions,
            CapAmount::ShareOfRequired {
                percent: sp(dec("35")),
                category: None
            },
            None
        ),
        "cap c {\n  on conversions\n  at most 35% of required total\n}\n"
    );
    assert_eq!(
        cap(
            CapScope::Kind(id("competition")),
            CapAmount::ShareOfRequired {
                percent: sp(dec("12.5")),
                category: Some(id("major"))
            },
            Some(CapPeriod::Term)
        ),
        "cap c {\n  on kind competition\n  at most 12.5% of required major per term\n}\n"
    );
    assert_eq!(
        cap(
            CapScope::Rule(id("r")),
            CapAmount::Credits(num("2.0")),
            None
        ),
        "cap c {\n  on rule r\n  at most 2.0\n}\n"
    );
}

#[test]
fn review_criteria() {
    let r = ReviewCriteria {
        id: id("comp-review"),
        name: Some(txt("竞赛审核")),
        kind: node(id("competition")),
        require: vec![node(RequireEvidence {
            evidence: vec![id("certificate"), id("list")],
            because: txt("缺少获奖证书"),
        })],
        reject: vec![node(ReviewCase {
            when: Condition::Or(vec![eq("level", "provincial"), eq("award", "second")]),
            because: txt("不认定"),
        })],
        approve: vec![node(ReviewCase {
            when: Condition::HasEvidence(id("list")),
            because: txt("自动"),
        })],
        otherwise: node(txt("人工")),
        source: Some(node(txt("第六条"))),
    };
    assert_eq!(
        one(Item::Review(r)),
        "review comp-review \"竞赛审核\" {
  for competition
  require evidence certificate, list because \"缺少获奖证书\"
  reject when level = provincial or award = second because \"不认定\"
  approve when has evidence list because \"自动\"
  otherwise manual because \"人工\"
  source \"第六条\"
}
"
    );
}

#[test]
fn warnings() {
    let level = |name: &str, display: Option<&str>, threshold| {
        node(WarningLevel {
            id: id(name),
            name: display.map(txt),
            colour: txt("#f5c518"),
            threshold: sp(threshold),
            message: txt("低于\"预期\""),
        })
    };
    let w = Warning {
        id: id("progress"),
        name: Some(txt("学分进度预警")),
        on: node(sp(WarningMeasure::Credits)),
        stages: vec![node(WarningStage {
            term: sp(2),
            expect: num("40"),
        })],
        levels: vec![
            level(
                "yellow",
                Some("黄色预警"),
                Threshold::BelowPercent(dec("90")),
            ),
            level("red", None, Threshold::Below(dec("2.0"))),
            level("black", None, Threshold::AtLeast(dec("10"))),
        ],
        source: None,
    };
    assert_eq!(
        one(Item::Warning(w)),
        "warning progress \"学分进度预警\" {
  on credits
  after term 2 expect 40
  level yellow \"黄色预警\" colour #f5c518 below 90% message \"低于\\\"预期\\\"\"
  level red colour #f5c518 below 2.0 message \"低于\\\"预期\\\"\"
  level black colour #f5c518 at least 10 message \"低于\\\"预期\\\"\"
}
"
    );
    for (measure, word) in [
        (WarningMeasure::FailedCredits, "failed-credits"),
        (WarningMeasure::Gpa, "gpa"),
    ] {
        let w = Warning {
            id: id("w"),
            name: None,
            on: node(sp(measure)),
            stages: vec![],
            levels: vec![],
            source: Some(node(txt("s"))),
        };
        assert_eq!(
            one(Item::Warning(w)),
            format!("warning w {{\n  on {word}\n  source \"s\"\n}}\n")
        );
    }
}

fn requirement(body: RequirementBody) -> Node<Requirement> {
    node(Requirement {
        id: None,
        body,
        label: None,
        source: None,
    })
}

#[test]
fn graduation_requirements() {
    let g = Graduation {
        name: Some(txt("毕业要求")),
        requirements: vec![
            requirement(RequirementBody::Total(num("160"))),
            node(Requirement {
                id: None,
                body: RequirementBody::Category(id("major"), num("90")),
                label: Some(txt("专业学分")),
                source: None,
            }),
            requirement(RequirementBody::Tagged(id("core"), num("20"))),
            requirement(RequirementBody::Kind(id("competition"), num("2"))),
            requirement(RequirementBody::Count {
                kind: id("competition"),
                filter: Some(eq("level", "national")),
                at_least: sp(1),
            }),
            requirement(RequirementBody::Count {
                kind: id("paper"),
                filter: None,
                at_least: sp(3),
            }),
            requirement(RequirementBody::Gpa(num("2.0"))),
            requirement(RequirementBody::FailedCredits(num("30"))),
            requirement(RequirementBody::Courses(vec![id("CS101"), id("04830140")])),
            node(Requirement {
                id: Some(id("core")),
                body: RequirementBody::NOf {
                    n: sp(2),
                    courses: vec![id("CS101"), id("CS102"), id("CS103")],
                },
                label: Some(txt("核心选修")),
                source: Some(txt("第九条")),
            }),
            requirement(RequirementBody::Program(id("minor-cs"))),
            requirement(RequirementBody::Graduation),
        ],
        source: Some(node(txt("第八条"))),
    };
    assert_eq!(
        one(Item::Graduation(g)),
        "graduation \"毕业要求\" {
  source \"第八条\"
  requires total at least 160
  requires category major at least 90 \"专业学分\"
  requires tagged core at least 20
  requires kind competition at least 2
  requires count competition where level = national at least 1
  requires count paper at least 3
  requires gpa at least 2.0
  requires failed-credits at most 30
  requires courses CS101, 04830140
  requires core: 2 of (CS101, CS102, CS103) \"核心选修\" source \"第九条\"
  requires program minor-cs
  requires graduation
}
"
    );
}

#[test]
fn programs_and_certificates() {
    for (ty, word) in [
        (ProgramType::Minor, "minor"),
        (ProgramType::DoubleDegree, "double-degree"),
        (ProgramType::MicroMajor, "micro-major"),
    ] {
        let p = Program {
            id: id("minor-cs"),
            name: Some(txt("计算机辅修")),
            ty: node(sp(ty)),
            courses_tagged: node(vec![id("cs-minor"), id("cs")]),
            requirements: vec![requirement(RequirementBody::Gpa(num("2.5")))],
            source: None,
        };
        assert_eq!(
            one(Item::Program(p)),
            format!(
                "program minor-cs \"计算机辅修\" {{
  type {word}
  courses tagged cs-minor, cs
  requires gpa at least 2.5
}}
"
            )
        );
    }
    let c = Certificate {
        id: id("innov"),
        name: None,
        requirements: vec![commented(
            Requirement {
                id: None,
                body: RequirementBody::Program(id("minor-cs")),
                label: None,
                source: None,
            },
            &[" needs the minor"],
            Some(" only this"),
            &[],
        )],
        source: None,
    };
    assert_eq!(
        one(Item::Certificate(c)),
        "certificate innov {
  // needs the minor
  requires program minor-cs // only this
}
"
    );
}

#[test]
fn stray_inner_end_of_a_one_line_clause_is_kept() {
    let mut h = header();
    h.title.comments.inner_end = vec![" kept".into()];
    // The parser never makes such a tree: it reads the comment back as the next clause's.
    let out = format_unchecked(&file(vec![node(Item::Header(h))]));
    assert!(out.contains("  title \"示范大学本科学分规则\"\n  // kept\n"));
}

#[test]
fn output_has_no_trailing_whitespace_and_one_final_newline() {
    let f = file(vec![
        commented(Item::Header(header()), &[""], Some(""), &[""]),
        node(Item::Convert(conversion())),
    ]);
    let out = format(&f);
    assert!(out.ends_with("}\n") && !out.ends_with("\n\n"));
    for line in out.lines() {
        assert_eq!(line, line.trim_end(), "trailing whitespace in {line:?}");
    }
}
