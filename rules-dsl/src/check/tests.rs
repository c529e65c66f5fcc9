//! Checks run on syntax trees built by hand, one test per diagnostic (or family).

use super::check_file;
use crate::ast::*;
use crate::diagnostic::{Code, Diagnostic};
use rust_decimal::Decimal;
use std::cell::Cell;
use std::str::FromStr;

thread_local! {
    static NEXT: Cell<usize> = const { Cell::new(0) };
}

/// A fresh span, distinct from every other one in the test.
fn sp() -> Span {
    NEXT.with(|n| {
        let start = n.get();
        n.set(start + 10);
        Span::new(start, start + 5)
    })
}

fn id(s: &str) -> Ident {
    Spanned::new(s.to_string(), sp())
}

fn text(s: &str) -> Text {
    Spanned::new(s.to_string(), sp())
}

fn num(s: &str) -> Number {
    Spanned::new(Decimal::from_str(s).unwrap(), sp())
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn node<T>(v: T) -> Node<T> {
    Node::new(v, sp())
}

fn n(s: &str) -> Expr {
    Expr {
        kind: ExprKind::Number(dec(s)),
        span: sp(),
    }
}

fn var(s: &str) -> Expr {
    Expr {
        kind: ExprKind::Var(s.into()),
        span: sp(),
    }
}

fn bin(op: BinaryOp, a: Expr, b: Expr) -> Expr {
    Expr {
        kind: ExprKind::Binary(op, Box::new(a), Box::new(b)),
        span: sp(),
    }
}

fn cmp(lhs: Expr, op: CompareOp, rhs: Expr) -> Condition {
    Condition::Compare {
        lhs,
        op: Spanned::new(op, sp()),
        rhs: Operand::Expr(rhs),
        span: sp(),
    }
}

/// `attr = value` with a bare identifier on the right.
fn eq(attr: &str, value: &str) -> Condition {
    cmp(var(attr), CompareOp::Eq, var(value))
}

fn within(attr: &str, values: &[&str]) -> Condition {
    Condition::In {
        attr: id(attr),
        values: values.iter().map(|v| AttrValue::Ident(id(v))).collect(),
        span: sp(),
    }
}

fn header() -> Item {
    Item::Header(Header {
        id: text("demo/undergraduate"),
        version: text("2026.1"),
        title: node(text("示范")),
        effective: node(Spanned::new(
            Date {
                year: 2026,
                month: 9,
                day: 1,
            },
            sp(),
        )),
        supersedes: None,
        gpa_rounding: None,
        credit_rounding: None,
        year_start: None,
        source: None,
    })
}

fn categories(ids: &[&str]) -> Item {
    Item::Categories(
        ids.iter()
            .map(|c| {
                node(Category {
                    id: id(c),
                    name: text(c),
                    source: None,
                })
            })
            .collect(),
    )
}

fn course(code: &str, credits: &str, category: &str, tags: &[&str]) -> Node<Course> {
    node(Course {
        code: id(code),
        name: text(code),
        credits: num(credits),
        category: id(category),
        tags: tags.iter().map(|t| id(t)).collect(),
        term: None,
    })
}

fn catalog(courses: Vec<Node<Course>>) -> Item {
    Item::Catalog(Catalog {
        name: None,
        courses,
    })
}

fn attr(name: &str, ty: AttributeType) -> Node<Attribute> {
    node(Attribute {
        id: id(name),
        name: None,
        ty,
    })
}

fn one_of(values: &[&str]) -> AttributeType {
    AttributeType::Enum(
        values
            .iter()
            .map(|v| EnumValue {
                id: id(v),
                name: None,
            })
            .collect(),
    )
}

fn range(lo: &str, hi: &str) -> Option<ScoreRange> {
    Some(ScoreRange {
        min: num(lo),
        max: num(hi),
    })
}

/// `kind competition` with level, award, rank [1, 10], hours (unbounded), name and evidence.
fn competition() -> Item {
    Item::Kind(OutcomeKind {
        id: id("competition"),
        name: None,
        attributes: vec![
            attr("level", one_of(&["national", "provincial"])),
            attr("award", one_of(&["special", "first", "second"])),
            attr("author-rank", AttributeType::Integer(range("1", "10"))),
            attr("hours", AttributeType::Number(None)),
            attr("name", AttributeType::Text),
        ],
        evidence: vec![node(vec![
            EvidenceItem {
                id: id("certificate"),
                name: None,
            },
            EvidenceItem {
                id: id("list"),
                name: None,
            },
        ])],
        source: None,
    })
}

fn convert(rule: &str, when: Option<Condition>, credits: CreditAmount) -> ConversionRule {
    ConversionRule {
        id: id(rule),
        name: None,
        kind: node(id("competition")),
        when: when.map(node),
        from: None,
        into: node(id("innovation")),
        credits: node(credits),
        split: None,
        highest_only_per: None,
        expires_after_years: None,
        source: None,
    }
}

fn credits(v: &str) -> CreditAmount {
    CreditAmount::Formula {
        expr: n(v),
        rounded_down_to: None,
    }
}

fn review(cases: Vec<Condition>) -> ReviewCriteria {
    ReviewCriteria {
        id: id("comp-review"),
        name: None,
        kind: node(id("competition")),
        require: vec![],
        reject: vec![],
        approve: cases
            .into_iter()
            .map(|when| {
                node(ReviewCase {
                    when,
                    because: text("x"),
                })
            })
            .collect(),
        otherwise: node(text("manual")),
        source: None,
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

fn graduation(requirements: Vec<Node<Requirement>>) -> Item {
    Item::Graduation(Graduation {
        name: None,
        requirements,
        source: None,
    })
}

/// A small valid ruleset: every later test adds or changes one thing.
fn base() -> Vec<Item> {
    vec![
        header(),
        categories(&["general", "innovation"]),
        catalog(vec![
            course("GE101", "4", "general", &["core"]),
            course("GE102", "3", "general", &[]),
        ]),
        competition(),
        Item::Convert(convert(
            "comp-national",
            Some(eq("level", "national")),
            credits("4"),
        )),
        Item::Review(review(vec![eq("level", "national")])),
    ]
}

fn run(items: Vec<Item>) -> Vec<Diagnostic> {
    let file = RulesetFile {
        items: items.into_iter().map(node).collect(),
        end_comments: vec![],
    };
    check_file(&file, true)
}

fn codes(items: Vec<Item>) -> Vec<&'static str> {
    let mut codes: Vec<&str> = run(items).iter().map(|d| d.code.as_str()).collect();
    codes.sort();
    codes
}

fn only(items: Vec<Item>, code: Code) -> Diagnostic {
    let found = run(items);
    let matching: Vec<&Diagnostic> = found.iter().filter(|d| d.code == code).collect();
    assert_eq!(matching.len(), 1, "expected one {code}: {found:#?}");
    let others: Vec<&Diagnostic> = found.iter().filter(|d| d.code != code).collect();
    assert!(others.is_empty(), "unexpected: {others:#?}");
    matching[0].clone()
}

#[test]
fn base_is_clean() {
    assert_eq!(codes(base()), Vec::<&str>::new());
}

#[test]
fn duplicate_ids_point_at_the_second_definition() {
    let mut items = base();
    items.push(categories(&["general"]));
    let d = only(items, Code::DuplicateId);
    assert_eq!(d.message, "category `general` is defined more than once");
    assert_eq!(d.related[0].label, "first defined here");

    let mut items = base();
    items.push(Item::Convert(convert("comp-review", None, credits("1"))));
    let d = only(items, Code::DuplicateId);
    assert!(d.message.contains("`comp-review`"), "{}", d.message);

    let mut items = base();
    items.push(Item::Review(review(vec![])));
    let found = codes(items);
    assert!(found.contains(&"E010"), "{found:?}");
}

#[test]
fn unknown_category_suggests_the_closest() {
    let mut items = base();
    items.push(catalog(vec![course("X1", "2", "inovation", &[])]));
    let d = only(items, Code::UnknownCategory);
    assert_eq!(d.message, "unknown category `inovation`");
    assert_eq!(d.label, "not a declared category");
    assert_eq!(
        d.help.as_deref(),
        Some("did you mean `innovation`? declared categories: general, innovation")
    );
}

#[test]
fn unknown_references_of_every_namespace() {
    let mut items = base();
    let mut rule = convert("r2", None, credits("1"));
    rule.kind = node(id("competiton"));
    rule.from = Some(node(vec![id("nowhere")]));
    items.push(Item::Convert(rule));
    items.push(graduation(vec![
        requirement(RequirementBody::Courses(vec![id("GE103")])),
        requirement(RequirementBody::Program(id("minor-cs"))),
    ]));
    items.push(Item::Cap(CreditCap {
        id: id("c"),
        name: None,
        on: node(CapScope::Rule(id("comp-review"))),
        limit: node(CapLimit {
            amount: CapAmount::Credits(num("4")),
            period: None,
        }),
        source: None,
    }));
    assert_eq!(codes(items), vec!["E013", "E014", "E015", "E019", "E020"]);
}

#[test]
fn unknown_attribute_value_and_evidence() {
    let mut items = base();
    items.push(Item::Review(ReviewCriteria {
        id: id("r2"),
        ..review(vec![
            eq("levle", "national"),
            eq("level", "natonal"),
            Condition::HasEvidence(id("certificat")),
        ])
    }));
    let found = run(items);
    let mut got: Vec<&str> = found.iter().map(|d| d.code.as_str()).collect();
    got.sort();
    // The second review for the same kind is also a duplicate.
    assert_eq!(got, vec!["E010", "E016", "E017", "E018"]);
    let value = found.iter().find(|d| d.code == Code::UnknownValue).unwrap();
    assert!(value
        .help
        .as_deref()
        .unwrap()
        .starts_with("did you mean `national`?"));
}

#[test]
fn hyphenated_name_suggests_subtraction() {
    let mut items = base();
    items.push(Item::Convert(convert(
        "r2",
        None,
        CreditAmount::Formula {
            expr: bin(BinaryOp::Div, var("hours-16"), n("16")),
            rounded_down_to: None,
        },
    )));
    let d = only(items, Code::UnknownAttribute);
    assert_eq!(
        d.help.as_deref(),
        Some("write `hours - 16` with spaces to subtract")
    );
}

#[test]
fn wrong_types() {
    let mut items = base();
    let mut rule = convert(
        "r2",
        Some(Condition::And(vec![
            cmp(var("level"), CompareOp::Eq, n("1")),
            cmp(var("award"), CompareOp::Gt, var("first")),
            cmp(
                bin(BinaryOp::Add, var("name"), n("1")),
                CompareOp::Gt,
                n("2"),
            ),
        ])),
        CreditAmount::Table {
            by: id("hours"),
            rows: vec![],
        },
    );
    rule.split = Some(node(Split {
        by: id("level"),
        rows: vec![],
    }));
    items.push(Item::Convert(rule));
    let found = codes(items);
    assert_eq!(found, vec!["E021"; 5], "{found:?}");
}

#[test]
fn bands_overlap_gap_and_empty() {
    let band = |lo: &str, lc: bool, hi: &str, hc: bool| {
        node(Band {
            lower: Bound {
                value: num(lo),
                closed: lc,
            },
            upper: Bound {
                value: num(hi),
                closed: hc,
            },
            points: num("1"),
        })
    };
    let scale = |bands: Vec<Node<Band>>| {
        let mut items = base();
        items.push(Item::Scale(Scale {
            id: id("std"),
            name: None,
            body: ScaleBody::Bands(BandScale {
                range: ScoreRange {
                    min: num("0"),
                    max: num("100"),
                },
                pass: num("60"),
                bands,
            }),
        }));
        items
    };
    // Touching bands are fine (the scale is unused: W002).
    let ok = scale(vec![
        band("0", true, "90", false),
        band("90", true, "100", true),
    ]);
    assert_eq!(codes(ok), vec!["W002"]);
    let overlap = scale(vec![
        band("0", true, "90", true),
        band("90", true, "100", true),
    ]);
    assert_eq!(codes(overlap), vec!["E022", "W002"]);
    let point = scale(vec![
        band("0", true, "90", false),
        band("90", false, "100", true),
    ]);
    let found = run(point);
    let gap = found.iter().find(|d| d.code == Code::BandGap).unwrap();
    assert_eq!(
        gap.message,
        "grade bands leave a gap: score `90` is not covered by any band"
    );
    let ends = scale(vec![band("10", true, "90", true)]);
    let found = run(ends);
    let gaps: Vec<&str> = found
        .iter()
        .filter(|d| d.code == Code::BandGap)
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        gaps,
        vec![
            "grade bands leave a gap: scores `[0, 10)` are not covered by any band",
            "grade bands leave a gap: scores `(90, 100]` are not covered by any band"
        ]
    );
    let empty = scale(vec![
        band("0", true, "100", true),
        band("5", true, "5", false),
    ]);
    assert_eq!(codes(empty), vec!["E024", "W002"]);
    let outside = scale(vec![band("0", true, "101", true)]);
    assert_eq!(codes(outside), vec!["E024", "W002"]);
}

#[test]
fn division_by_zero_and_maybe_zero() {
    let mut items = base();
    items.push(Item::Convert(convert(
        "r2",
        None,
        CreditAmount::Formula {
            expr: bin(
                BinaryOp::Div,
                var("author-rank"),
                bin(BinaryOp::Sub, n("2"), n("2")),
            ),
            rounded_down_to: None,
        },
    )));
    assert_eq!(codes(items), vec!["E025"]);
    let mut items = base();
    items.push(Item::Convert(convert(
        "r2",
        None,
        CreditAmount::Formula {
            expr: bin(BinaryOp::Div, n("8"), var("hours")),
            rounded_down_to: None,
        },
    )));
    assert_eq!(codes(items), vec!["W003"]);
    let mut items = base();
    items.push(Item::Convert(convert(
        "r2",
        None,
        CreditAmount::Formula {
            expr: bin(BinaryOp::Div, n("8"), var("author-rank")),
            rounded_down_to: None,
        },
    )));
    assert_eq!(codes(items), Vec::<&str>::new());
}

#[test]
fn rules_that_never_fire() {
    let contradictory = Condition::And(vec![eq("level", "national"), eq("level", "provincial")]);
    let mut items = base();
    items.push(Item::Convert(convert(
        "r2",
        Some(contradictory),
        credits("1"),
    )));
    let d = only(items, Code::RuleNeverFires);
    assert_eq!(d.related.len(), 1);

    let outside = cmp(var("author-rank"), CompareOp::Gt, n("10"));
    let mut items = base();
    items.push(Item::Convert(convert("r2", Some(outside), credits("1"))));
    let d = only(items, Code::RuleNeverFires);
    assert_eq!(d.related[0].label, "declared range");

    let either = Condition::Or(vec![
        cmp(var("author-rank"), CompareOp::Lt, n("1")),
        Condition::And(vec![
            cmp(var("author-rank"), CompareOp::Gt, n("2")),
            cmp(var("author-rank"), CompareOp::Lt, n("3")),
        ]),
    ]);
    let mut items = base();
    items.push(Item::Convert(convert("r2", Some(either), credits("1"))));
    only(items, Code::RuleNeverFires);

    // `not` is pushed into the atoms: `not (level in (national, provincial))` never holds.
    let none = Condition::Not(Box::new(within("level", &["national", "provincial"])));
    let mut items = base();
    items.push(Item::Convert(convert("r2", Some(none), credits("1"))));
    only(items, Code::RuleNeverFires);

    // Satisfiable conditions stay quiet.
    let fine = Condition::And(vec![
        eq("level", "national"),
        Condition::Not(Box::new(within("award", &["special", "first"]))),
        cmp(var("author-rank"), CompareOp::Ge, n("10")),
    ]);
    let mut items = base();
    items.push(Item::Convert(convert("r2", Some(fine), credits("1"))));
    assert_eq!(codes(items), Vec::<&str>::new());

    let zero_table = CreditAmount::Table {
        by: id("level"),
        rows: vec![
            node(TableRow {
                key: id("national"),
                credits: num("0"),
            }),
            node(TableRow {
                key: id("provincial"),
                credits: num("0"),
            }),
        ],
    };
    let mut items = base();
    items.push(Item::Convert(convert("r2", None, zero_table)));
    only(items, Code::RuleNeverFires);
}

#[test]
fn review_cases_that_never_apply() {
    let mut items = base();
    items.pop();
    items.push(Item::Review(review(vec![
        eq("level", "national"),
        eq("level", "provincial"),
        eq("level", "national"),
    ])));
    let d = only(items, Code::UnreachableCase);
    assert!(d.message.contains("same condition"), "{}", d.message);

    let mut items = base();
    items.pop();
    items.push(Item::Review(review(vec![
        within("level", &["national", "provincial"]),
        eq("award", "first"),
    ])));
    let d = only(items, Code::UnreachableCase);
    assert!(d.message.contains("always applies"), "{}", d.message);
}

#[test]
fn reachability_and_caps() {
    let mut items = base();
    items.push(graduation(vec![
        requirement(RequirementBody::Category(id("general"), num("8"))),
        requirement(RequirementBody::Tagged(id("core"), num("5"))),
        requirement(RequirementBody::Total(num("100"))),
    ]));
    let found = run(items);
    let got: Vec<&str> = found.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(got, vec!["E031", "E031"], "{found:#?}");
    assert_eq!(
        found[0].label,
        "at most 7 credits can be earned in `general`"
    );

    let mut items = base();
    items.push(Item::Cap(CreditCap {
        id: id("innov-cap"),
        name: None,
        on: node(CapScope::Category(id("innovation"))),
        limit: node(CapLimit {
            amount: CapAmount::Credits(num("4")),
            period: None,
        }),
        source: None,
    }));
    items.push(graduation(vec![requirement(RequirementBody::Category(
        id("innovation"),
        num("6"),
    ))]));
    let d = only(items, Code::CapBlocksRequirement);
    assert_eq!(d.related[0].label, "this cap limits the credit");
}

#[test]
fn requirement_cycles() {
    let program = |name: &str, requires: &str| {
        Item::Program(Program {
            id: id(name),
            name: None,
            ty: node(Spanned::new(ProgramType::Minor, sp())),
            courses_tagged: node(vec![id("core")]),
            requirements: vec![requirement(RequirementBody::Program(id(requires)))],
            source: None,
        })
    };
    let mut items = base();
    items.push(program("a", "b"));
    items.push(program("b", "a"));
    let d = only(items, Code::RequirementCycle);
    assert_eq!(
        d.message,
        "requirements refer to each other in a cycle: program `a` -> program `b` -> program `a`"
    );
    let mut items = base();
    items.push(graduation(vec![requirement(RequirementBody::Graduation)]));
    let d = only(items, Code::RequirementCycle);
    assert_eq!(d.message, "graduation requires itself");
}

#[test]
fn warning_levels_and_stages() {
    let level = |name: &str, t: Threshold| {
        node(WarningLevel {
            id: id(name),
            name: None,
            colour: text("#ffffff"),
            threshold: Spanned::new(t, sp()),
            message: text("m"),
        })
    };
    let stage = |term: u32, expect: &str| {
        node(WarningStage {
            term: Spanned::new(term, sp()),
            expect: num(expect),
        })
    };
    let warning = |on, stages, levels| {
        let mut items = base();
        items.push(Item::Warning(Warning {
            id: id("w"),
            name: None,
            on: node(Spanned::new(on, sp())),
            stages,
            levels,
            source: None,
        }));
        codes(items)
    };
    let pct = |s: &str| Threshold::BelowPercent(dec(s));
    assert_eq!(
        warning(
            WarningMeasure::Credits,
            vec![stage(2, "40"), stage(4, "85")],
            vec![level("yellow", pct("90")), level("red", pct("60"))]
        ),
        Vec::<&str>::new()
    );
    assert_eq!(
        warning(
            WarningMeasure::Credits,
            vec![stage(4, "40"), stage(2, "85"), stage(6, "80")],
            vec![level("yellow", pct("60")), level("red", pct("90"))]
        ),
        vec!["E028", "E029", "E029"]
    );
    assert_eq!(
        warning(
            WarningMeasure::Credits,
            vec![],
            vec![level("y", pct("150"))]
        ),
        vec!["E030", "E034"]
    );
    assert_eq!(
        warning(
            WarningMeasure::FailedCredits,
            vec![stage(2, "1")],
            vec![
                level("y", Threshold::AtLeast(dec("20"))),
                level("r", Threshold::AtLeast(dec("10"))),
                level("x", pct("5")),
            ]
        ),
        vec!["E028", "E030", "E030"]
    );
}

#[test]
fn values_out_of_range() {
    let mut items = base();
    items.push(Item::Institutions(vec![node(Institution {
        id: id("pku"),
        name: text("p"),
        ty: Spanned::new(InstitutionType::Partner, sp()),
        share: Spanned::new(dec("120"), sp()),
        source: None,
    })]));
    items.push(graduation(vec![
        requirement(RequirementBody::NOf {
            n: Spanned::new(3, sp()),
            courses: vec![id("GE101"), id("GE102"), id("GE101")],
        }),
        requirement(RequirementBody::Courses(vec![id("GE102")])),
        requirement(RequirementBody::Courses(vec![id("GE102")])),
    ]));
    // E035 for 3 of 2 distinct; W008 for GE102 in both, and the repeated requirement.
    assert_eq!(codes(items), vec!["E034", "E035", "W008", "W008"]);
}

#[test]
fn incomplete_table_and_duplicate_keys() {
    let row = |k: &str, c: &str| {
        node(TableRow {
            key: id(k),
            credits: num(c),
        })
    };
    let mut items = base();
    items.push(Item::Convert(convert(
        "r2",
        None,
        CreditAmount::Table {
            by: id("award"),
            rows: vec![row("special", "6"), row("first", "4"), row("first", "3")],
        },
    )));
    let found = run(items);
    let got: Vec<&str> = found.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(got, vec!["E038", "W004"]);
    assert!(found[1].help.as_deref().unwrap().contains("second"));
}

#[test]
fn unused_declarations() {
    let mut items = base();
    items.push(categories(&["practice"]));
    items.push(Item::Kind(OutcomeKind {
        id: id("patent"),
        name: None,
        attributes: vec![],
        evidence: vec![],
        source: None,
    }));
    assert_eq!(codes(items), vec!["W001", "W006", "W007"]);
}

#[test]
fn broken_files_only_get_local_checks() {
    let mut items = base();
    items.push(catalog(vec![course("X1", "2", "inovation", &[])]));
    items.push(Item::Institutions(vec![node(Institution {
        id: id("pku"),
        name: text("p"),
        ty: Spanned::new(InstitutionType::Partner, sp()),
        share: Spanned::new(dec("120"), sp()),
        source: None,
    })]));
    let file = RulesetFile {
        items: items.into_iter().map(node).collect(),
        end_comments: vec![],
    };
    let found: Vec<Code> = check_file(&file, false).iter().map(|d| d.code).collect();
    assert_eq!(found, vec![Code::PercentOutOfRange]);
}
