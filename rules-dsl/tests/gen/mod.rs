//! Strategies that generate whole syntax trees, limited to trees the parser can produce:
//! required clauses present, `and`/`or` with at least two operands, non-negative literals where
//! the grammar has `number`, identifiers that are not keywords, and comments only where the
//! parser attaches them (leading and trailing on every clause, `inner_end` only in blocks).

use creditbank_dsl::ast::*;
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use rust_decimal::Decimal;

/// Every word the grammar reserves in some position, and the words of multi-word keywords.
/// Generated identifiers avoid them all, so that no clause reads differently from the tree.
pub const KEYWORDS: &[&str] = &[
    "after",
    "all",
    "and",
    "approve",
    "at",
    "least",
    "most",
    "attribute",
    "average",
    "bands",
    "because",
    "below",
    "best",
    "by",
    "cap",
    "catalog",
    "categories",
    "category",
    "ceil",
    "certificate",
    "certifying-body",
    "colour",
    "color",
    "conversions",
    "convert",
    "count",
    "course",
    "courses",
    "credits",
    "date",
    "double-degree",
    "down",
    "effective",
    "else",
    "enterprise",
    "equal",
    "evidence",
    "exclude",
    "expect",
    "expires",
    "fail",
    "failed-credits",
    "first",
    "floor",
    "for",
    "formula",
    "from",
    "gpa",
    "graduation",
    "grades",
    "half-even",
    "half-up",
    "has",
    "highest",
    "in",
    "in-school",
    "include",
    "institutions",
    "integer",
    "into",
    "kind",
    "latest",
    "level",
    "manual",
    "max",
    "message",
    "micro-major",
    "min",
    "minor",
    "mooc-platform",
    "not",
    "number",
    "of",
    "on",
    "one",
    "only",
    "or",
    "other",
    "otherwise",
    "over",
    "partner",
    "pass",
    "pass-fail",
    "per",
    "program",
    "reject",
    "require",
    "required",
    "requires",
    "retake",
    "review",
    "rounded",
    "rounding",
    "rule",
    "ruleset",
    "scale",
    "scores",
    "share",
    "source",
    "split",
    "starts",
    "supersedes",
    "tagged",
    "tags",
    "term",
    "text",
    "title",
    "to",
    "total",
    "truncate",
    "type",
    "university",
    "use",
    "version",
    "warning",
    "weight",
    "when",
    "where",
    "year",
    "years",
];

const REAL_IDS: &[&str] = &[
    "general",
    "major",
    "innovation",
    "pku",
    "five-level",
    "competition",
    "level",
    "national",
    "provincial",
    "award",
    "special",
    "author-rank",
    "hours",
    "score",
    "certificate-of-award",
    "ranking-list",
    "icourse",
    "xuetangx",
    "comp-national",
    "mooc-hours",
    "innov-year",
    "progress",
    "yellow",
    "red",
    "minor-cs",
    "cs-minor",
    "core",
    "pe",
    "_draft",
];

const REAL_CODES: &[&str] = &["CS101", "04830140", "PE-101", "MATH_2", "GE102", "x1"];

const REAL_NAMES: &[&str] = &[
    "示范大学本科学分规则",
    "通识教育",
    "专业教育",
    "创新创业",
    "北京大学绩点",
    "学科竞赛",
    "国家级",
    "获奖证书",
    "教务〔2026〕3号 第五条",
    "中国大学MOOC",
    "低于90%",
    "A-",
    "",
];

const COMMENT_WORDS: &[&str] = &[
    "示范大学",
    "TODO",
    "see",
    "第五条",
    "//",
    "\"quoted\"",
    "a\\b",
    "{",
    "}",
    "—",
];

fn keyword_free(s: &str) -> bool {
    !KEYWORDS.contains(&s)
}

/// An identifier: realistic ones and random `[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4})*`.
pub fn ident_string() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(REAL_IDS).prop_map(str::to_string),
        "[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4}){0,2}".prop_filter("keyword", |s| keyword_free(s)),
    ]
}

fn sp<T>(value: T) -> Spanned<T> {
    Spanned::new(value, Span::default())
}

/// An identifier with its span.
pub fn ident() -> impl Strategy<Value = Ident> {
    ident_string().prop_map(sp)
}

fn idents(max: usize) -> impl Strategy<Value = Vec<Ident>> {
    vec(ident(), 1..=max)
}

/// A course code: digits-only, upper case with digits, hyphens and underscores.
fn code() -> impl Strategy<Value = Ident> {
    prop_oneof![
        proptest::sample::select(REAL_CODES).prop_map(str::to_string),
        "[A-Z]{2,4}[0-9]{3}",
        "[0-9]{4,8}",
        "[A-Z0-9_]{1,4}(-[A-Z0-9]{1,3})?",
    ]
    .prop_map(sp)
}

fn codes(max: usize) -> impl Strategy<Value = Vec<Ident>> {
    vec(code(), 1..=max)
}

/// String contents: display names, and text with quotes, backslashes and control characters.
pub fn text_string() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::sample::select(REAL_NAMES).prop_map(str::to_string),
        1 => "[a-z 示范\"\\\\\n\t\r\u{1}\u{7f}\u{3000}/{}]{0,12}",
    ]
}

/// A string literal with its span.
pub fn text() -> impl Strategy<Value = Text> {
    text_string().prop_map(sp)
}

fn texts(max: usize) -> impl Strategy<Value = Vec<Text>> {
    vec(text(), 1..=max)
}

/// A non-negative decimal: mostly small with a scale of 0 to 4, sometimes at the limits of
/// what a decimal holds (28 places, the largest value).
pub fn decimal() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        10 => (0i64..200).prop_map(|n| Decimal::new(n, 0)),
        10 => (0i64..1_000_000, 0u32..=4).prop_map(|(n, scale)| Decimal::new(n, scale)),
        1 => (0i64..1_000, 5u32..=28).prop_map(|(n, scale)| Decimal::new(n, scale)),
        1 => Just(Decimal::MAX),
    ]
}

fn number() -> impl Strategy<Value = Number> {
    decimal().prop_map(sp)
}

/// A decimal that may be negative (never negative zero).
fn signed_number() -> impl Strategy<Value = Number> {
    (decimal(), any::<bool>()).prop_map(|(d, negative)| {
        if negative && !d.is_zero() {
            sp(-d)
        } else {
            sp(d)
        }
    })
}

fn small_int() -> impl Strategy<Value = Spanned<u32>> {
    prop_oneof![20 => 0u32..1000, 1 => Just(u32::MAX)].prop_map(sp)
}

fn comment_text() -> impl Strategy<Value = String> {
    // Words joined by spaces, each after a space: never a trailing space, never a newline.
    vec(proptest::sample::select(COMMENT_WORDS), 0..4)
        .prop_map(|words| words.iter().map(|w| format!(" {w}")).collect::<String>())
}

fn comment_lines() -> impl Strategy<Value = Vec<String>> {
    prop_oneof![3 => Just(Vec::new()), 1 => vec(comment_text(), 1..3)]
}

fn trailing() -> impl Strategy<Value = Option<String>> {
    prop_oneof![3 => Just(None), 1 => comment_text().prop_map(Some)]
}

/// Comments of a clause written on one line: no `inner_end`.
fn line_comments() -> impl Strategy<Value = Comments> {
    (comment_lines(), trailing()).prop_map(|(leading, trailing)| Comments {
        leading,
        trailing,
        inner_end: Vec::new(),
    })
}

/// Comments of a block (`... { ... }`).
fn block_comments() -> impl Strategy<Value = Comments> {
    (comment_lines(), trailing(), comment_lines()).prop_map(|(leading, trailing, inner_end)| {
        Comments {
            leading,
            trailing,
            inner_end,
        }
    })
}

fn with_comments<T>(value: T, comments: Comments) -> Node<T> {
    Node {
        value,
        span: Span::default(),
        comments,
    }
}

/// A one-line clause.
fn line<T: std::fmt::Debug>(s: impl Strategy<Value = T>) -> impl Strategy<Value = Node<T>> {
    (s, line_comments()).prop_map(|(v, c)| with_comments(v, c))
}

/// A clause that is a block.
fn block<T: std::fmt::Debug>(s: impl Strategy<Value = T>) -> impl Strategy<Value = Node<T>> {
    (s, block_comments()).prop_map(|(v, c)| with_comments(v, c))
}

fn source_clause() -> impl Strategy<Value = Option<Node<Text>>> {
    option::of(line(text()))
}

// ---------------------------------------------------------------------------------------------
// Expressions and conditions

/// An arithmetic expression of bounded depth.
pub fn expr() -> impl Strategy<Value = Expr> {
    let leaf = prop_oneof![
        decimal().prop_map(ExprKind::Number),
        ident_string().prop_map(ExprKind::Var),
    ]
    .prop_map(to_expr);
    leaf.prop_recursive(4, 24, 3, |inner| {
        let binary_op = prop_oneof![
            Just(BinaryOp::Add),
            Just(BinaryOp::Sub),
            Just(BinaryOp::Mul),
            Just(BinaryOp::Div),
            Just(BinaryOp::Pow),
        ];
        prop_oneof![
            inner
                .clone()
                .prop_map(|e| to_expr(ExprKind::Neg(Box::new(e)))),
            (binary_op, inner.clone(), inner.clone())
                .prop_map(|(op, a, b)| to_expr(ExprKind::Binary(op, Box::new(a), Box::new(b)))),
            (
                prop_oneof![Just(Function::Min), Just(Function::Max)],
                vec(inner.clone(), 2..=3)
            )
                .prop_map(|(f, args)| to_expr(ExprKind::Call(f, args))),
            (
                prop_oneof![Just(Function::Floor), Just(Function::Ceil)],
                inner
            )
                .prop_map(|(f, arg)| to_expr(ExprKind::Call(f, vec![arg]))),
        ]
    })
}

fn to_expr(kind: ExprKind) -> Expr {
    Expr {
        kind,
        span: Span::default(),
    }
}

fn compare_op() -> impl Strategy<Value = CompareOp> {
    prop_oneof![
        Just(CompareOp::Eq),
        Just(CompareOp::Ne),
        Just(CompareOp::Lt),
        Just(CompareOp::Le),
        Just(CompareOp::Gt),
        Just(CompareOp::Ge),
    ]
}

fn attr_value() -> impl Strategy<Value = AttrValue> {
    prop_oneof![
        ident().prop_map(AttrValue::Ident),
        text().prop_map(AttrValue::Text),
        number().prop_map(AttrValue::Number),
    ]
}

/// A condition of bounded depth.
pub fn condition() -> impl Strategy<Value = Condition> {
    let operand = prop_oneof![
        3 => expr().prop_map(Operand::Expr),
        1 => text().prop_map(Operand::Text),
    ];
    let leaf = prop_oneof![
        (expr(), compare_op(), operand).prop_map(|(lhs, op, rhs)| Condition::Compare {
            lhs,
            op: sp(op),
            rhs,
            span: Span::default(),
        }),
        (ident(), vec(attr_value(), 1..=3)).prop_map(|(attr, values)| Condition::In {
            attr,
            values,
            span: Span::default(),
        }),
        ident().prop_map(Condition::HasEvidence),
    ];
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            vec(inner.clone(), 2..=3).prop_map(Condition::Or),
            vec(inner.clone(), 2..=3).prop_map(Condition::And),
            inner.prop_map(|c| Condition::Not(Box::new(c))),
        ]
    })
}

// ---------------------------------------------------------------------------------------------
// Items

fn date() -> impl Strategy<Value = Date> {
    (1000u16..=9999, 1u8..=12, 1u8..=28).prop_map(|(year, month, day)| Date { year, month, day })
}

fn month_day() -> impl Strategy<Value = MonthDay> {
    prop_oneof![
        (1u8..=12, 1u8..=28).prop_map(|(month, day)| MonthDay { month, day }),
        Just(MonthDay { month: 2, day: 29 }),
        Just(MonthDay { month: 12, day: 31 }),
    ]
}

fn rounding() -> impl Strategy<Value = Rounding> {
    let mode = prop_oneof![
        Just(RoundingMode::HalfUp),
        Just(RoundingMode::HalfEven),
        Just(RoundingMode::Truncate),
    ];
    (mode, 0u32..=6).prop_map(|(mode, places)| Rounding {
        mode: sp(mode),
        places: sp(places),
    })
}

fn header() -> impl Strategy<Value = Header> {
    (
        text(),
        text(),
        line(text()),
        line(date().prop_map(sp)),
        option::of(line(text())),
        option::of(line(rounding())),
        option::of(line(rounding())),
        option::of(line(month_day().prop_map(sp))),
        source_clause(),
    )
        .prop_map(
            |(
                id,
                version,
                title,
                effective,
                supersedes,
                gpa_rounding,
                credit_rounding,
                year_start,
                source,
            )| {
                Header {
                    id,
                    version,
                    title,
                    effective,
                    supersedes,
                    gpa_rounding,
                    credit_rounding,
                    year_start,
                    source,
                }
            },
        )
}

fn category() -> impl Strategy<Value = Category> {
    (ident(), text(), option::of(text())).prop_map(|(id, name, source)| Category {
        id,
        name,
        source,
    })
}

fn score_range() -> impl Strategy<Value = ScoreRange> {
    (signed_number(), signed_number()).prop_map(|(min, max)| ScoreRange { min, max })
}

fn bound() -> impl Strategy<Value = Bound> {
    (signed_number(), any::<bool>()).prop_map(|(value, closed)| Bound { value, closed })
}

fn scale_body() -> impl Strategy<Value = ScaleBody> {
    let band = (bound(), bound(), number()).prop_map(|(lower, upper, points)| Band {
        lower,
        upper,
        points,
    });
    let bands = (score_range(), signed_number(), vec(line(band), 0..4))
        .prop_map(|(range, pass, bands)| ScaleBody::Bands(BandScale { range, pass, bands }));
    let case = (condition(), expr()).prop_map(|(when, points)| FormulaCase { when, points });
    let formula = (
        score_range(),
        signed_number(),
        vec(line(case), 0..3),
        option::of(line(expr())),
    )
        .prop_map(|(range, pass, cases, otherwise)| {
            ScaleBody::Formula(FormulaScale {
                range,
                pass,
                cases,
                otherwise,
            })
        });
    let grade = (text(), number(), any::<bool>()).prop_map(|(label, points, fail)| TextGrade {
        label,
        points,
        fail,
    });
    let text_scale = vec(line(grade), 0..4).prop_map(ScaleBody::Text);
    let pass_fail = (vec(line(texts(3)), 0..3), vec(line(texts(3)), 0..3))
        .prop_map(|(pass, fail)| ScaleBody::PassFail(PassFailScale { pass, fail }));
    prop_oneof![bands, formula, text_scale, pass_fail]
}

fn scale() -> impl Strategy<Value = Scale> {
    (ident(), option::of(text()), scale_body()).prop_map(|(id, name, body)| Scale {
        id,
        name,
        body,
    })
}

fn gpa() -> impl Strategy<Value = GpaPolicy> {
    let weight = prop_oneof![Just(GpaWeight::Credits), Just(GpaWeight::Equal)];
    let retake = prop_oneof![
        Just(RetakePolicy::Best),
        Just(RetakePolicy::Latest),
        Just(RetakePolicy::First),
        Just(RetakePolicy::Average),
        Just(RetakePolicy::All),
    ];
    let exclusion = prop_oneof![
        idents(3).prop_map(GpaExclusion::Categories),
        codes(3).prop_map(GpaExclusion::Courses),
        idents(3).prop_map(GpaExclusion::Tags),
        texts(3).prop_map(GpaExclusion::Grades),
    ];
    (
        option::of(text()),
        line(ident()),
        option::of(line(idents(3))),
        option::of(line(weight.prop_map(sp))),
        line(retake.prop_map(sp)),
        option::of(line(idents(3))),
        vec(line(exclusion), 0..3),
        source_clause(),
    )
        .prop_map(
            |(name, scores, grades, weight, retake, include, exclude, source)| GpaPolicy {
                name,
                scores,
                grades,
                weight,
                retake,
                include,
                exclude,
                source,
            },
        )
}

fn course() -> impl Strategy<Value = Course> {
    (
        code(),
        text(),
        number(),
        ident(),
        vec(ident(), 0..3),
        option::of(small_int()),
    )
        .prop_map(|(code, name, credits, category, tags, term)| Course {
            code,
            name,
            credits,
            category,
            tags,
            term,
        })
}

fn catalog() -> impl Strategy<Value = Catalog> {
    (option::of(text()), vec(line(course()), 0..4))
        .prop_map(|(name, courses)| Catalog { name, courses })
}

fn named() -> impl Strategy<Value = (Ident, Option<Text>)> {
    (ident(), option::of(text()))
}

fn attribute() -> impl Strategy<Value = Attribute> {
    let enum_value = named().prop_map(|(id, name)| EnumValue { id, name });
    let ty = prop_oneof![
        vec(enum_value, 1..=3).prop_map(AttributeType::Enum),
        option::of(score_range()).prop_map(AttributeType::Number),
        option::of(score_range()).prop_map(AttributeType::Integer),
        Just(AttributeType::Text),
        Just(AttributeType::Date),
    ];
    (named(), ty).prop_map(|((id, name), ty)| Attribute { id, name, ty })
}

fn kind() -> impl Strategy<Value = OutcomeKind> {
    let evidence_item = named().prop_map(|(id, name)| EvidenceItem { id, name });
    (
        named(),
        vec(line(attribute()), 0..4),
        vec(line(vec(evidence_item, 1..=3)), 0..3),
        source_clause(),
    )
        .prop_map(|((id, name), attributes, evidence, source)| OutcomeKind {
            id,
            name,
            attributes,
            evidence,
            source,
        })
}

fn institution() -> impl Strategy<Value = Institution> {
    let ty = prop_oneof![
        Just(InstitutionType::InSchool),
        Just(InstitutionType::Partner),
        Just(InstitutionType::University),
        Just(InstitutionType::MoocPlatform),
        Just(InstitutionType::CertifyingBody),
        Just(InstitutionType::Enterprise),
        Just(InstitutionType::Other),
    ];
    (ident(), text(), ty, decimal(), option::of(text())).prop_map(
        |(id, name, ty, share, source)| Institution {
            id,
            name,
            ty: sp(ty),
            share: sp(share),
            source,
        },
    )
}

fn credit_amount() -> impl Strategy<Value = Node<CreditAmount>> {
    let row = (ident(), number()).prop_map(|(key, credits)| TableRow { key, credits });
    let table = block(
        (ident(), vec(line(row), 0..4)).prop_map(|(by, rows)| CreditAmount::Table { by, rows }),
    );
    let formula = line(
        (expr(), option::of(number())).prop_map(|(expr, rounded_down_to)| CreditAmount::Formula {
            expr,
            rounded_down_to,
        }),
    );
    prop_oneof![table, formula]
}

fn split() -> impl Strategy<Value = Split> {
    let row = (small_int(), decimal()).prop_map(|(rank, share)| SplitRow {
        rank,
        share: sp(share),
    });
    (ident(), vec(line(row), 0..4)).prop_map(|(by, rows)| Split { by, rows })
}

fn convert() -> impl Strategy<Value = ConversionRule> {
    (
        named(),
        line(ident()),
        option::of(line(condition())),
        option::of(line(idents(3))),
        line(ident()),
        credit_amount(),
        option::of(block(split())),
        option::of(line(ident())),
        option::of(line(small_int())),
        source_clause(),
    )
        .prop_map(
            |(
                (id, name),
                kind,
                when,
                from,
                into,
                credits,
                split,
                highest_only_per,
                expires_after_years,
                source,
            )| {
                ConversionRule {
                    id,
                    name,
                    kind,
                    when,
                    from,
                    into,
                    credits,
                    split,
                    highest_only_per,
                    expires_after_years,
                    source,
                }
            },
        )
}

fn cap() -> impl Strategy<Value = CreditCap> {
    let scope = prop_oneof![
        ident().prop_map(CapScope::Category),
        ident().prop_map(CapScope::Kind),
        ident().prop_map(CapScope::Rule),
        Just(CapScope::Conversions),
    ];
    let amount = prop_oneof![
        number().prop_map(CapAmount::Credits),
        (decimal(), option::of(ident())).prop_map(|(p, category)| CapAmount::ShareOfRequired {
            percent: sp(p),
            category,
        }),
    ];
    let period = prop_oneof![Just(CapPeriod::Year), Just(CapPeriod::Term)];
    let limit = (amount, option::of(period.prop_map(sp)))
        .prop_map(|(amount, period)| CapLimit { amount, period });
    (named(), line(scope), line(limit), source_clause()).prop_map(
        |((id, name), on, limit, source)| CreditCap {
            id,
            name,
            on,
            limit,
            source,
        },
    )
}

fn review() -> impl Strategy<Value = ReviewCriteria> {
    let require =
        (idents(3), text()).prop_map(|(evidence, because)| RequireEvidence { evidence, because });
    let case = || (condition(), text()).prop_map(|(when, because)| ReviewCase { when, because });
    (
        named(),
        line(ident()),
        vec(line(require), 0..3),
        vec(line(case()), 0..3),
        vec(line(case()), 0..3),
        line(text()),
        source_clause(),
    )
        .prop_map(
            |((id, name), kind, require, reject, approve, otherwise, source)| ReviewCriteria {
                id,
                name,
                kind,
                require,
                reject,
                approve,
                otherwise,
                source,
            },
        )
}

fn colour() -> impl Strategy<Value = Text> {
    "#[0-9a-fA-F]{6}".prop_map(sp)
}

fn warning() -> impl Strategy<Value = Warning> {
    let measure = prop_oneof![
        Just(WarningMeasure::Credits),
        Just(WarningMeasure::FailedCredits),
        Just(WarningMeasure::Gpa),
    ];
    let stage = (small_int(), number()).prop_map(|(term, expect)| WarningStage { term, expect });
    let threshold = prop_oneof![
        decimal().prop_map(Threshold::BelowPercent),
        decimal().prop_map(Threshold::Below),
        decimal().prop_map(Threshold::AtLeast),
    ];
    let level = (named(), colour(), threshold, text()).prop_map(
        |((id, name), colour, threshold, message)| WarningLevel {
            id,
            name,
            colour,
            threshold: sp(threshold),
            message,
        },
    );
    (
        named(),
        line(measure.prop_map(sp)),
        vec(line(stage), 0..3),
        vec(line(level), 0..3),
        source_clause(),
    )
        .prop_map(|((id, name), on, stages, levels, source)| Warning {
            id,
            name,
            on,
            stages,
            levels,
            source,
        })
}

fn requirement() -> impl Strategy<Value = Requirement> {
    let body = prop_oneof![
        number().prop_map(RequirementBody::Total),
        (ident(), number()).prop_map(|(id, n)| RequirementBody::Category(id, n)),
        (ident(), number()).prop_map(|(id, n)| RequirementBody::Tagged(id, n)),
        (ident(), number()).prop_map(|(id, n)| RequirementBody::Kind(id, n)),
        (ident(), option::of(condition()), small_int()).prop_map(|(kind, filter, at_least)| {
            RequirementBody::Count {
                kind,
                filter,
                at_least,
            }
        }),
        number().prop_map(RequirementBody::Gpa),
        number().prop_map(RequirementBody::FailedCredits),
        codes(3).prop_map(RequirementBody::Courses),
        (small_int(), codes(4)).prop_map(|(n, courses)| RequirementBody::NOf { n, courses }),
        ident().prop_map(RequirementBody::Program),
        Just(RequirementBody::Graduation),
    ];
    (
        option::of(ident()),
        body,
        option::of(text()),
        option::of(text()),
    )
        .prop_map(|(id, body, label, source)| Requirement {
            id,
            body,
            label,
            source,
        })
}

fn requirements() -> impl Strategy<Value = Vec<Node<Requirement>>> {
    vec(line(requirement()), 0..4)
}

fn graduation() -> impl Strategy<Value = Graduation> {
    (option::of(text()), requirements(), source_clause()).prop_map(
        |(name, requirements, source)| Graduation {
            name,
            requirements,
            source,
        },
    )
}

fn program() -> impl Strategy<Value = Program> {
    let ty = prop_oneof![
        Just(ProgramType::Minor),
        Just(ProgramType::DoubleDegree),
        Just(ProgramType::MicroMajor),
    ];
    (
        named(),
        line(ty.prop_map(sp)),
        line(idents(3)),
        requirements(),
        source_clause(),
    )
        .prop_map(
            |((id, name), ty, courses_tagged, requirements, source)| Program {
                id,
                name,
                ty,
                courses_tagged,
                requirements,
                source,
            },
        )
}

fn certificate() -> impl Strategy<Value = Certificate> {
    (named(), requirements(), source_clause()).prop_map(|((id, name), requirements, source)| {
        Certificate {
            id,
            name,
            requirements,
            source,
        }
    })
}

/// Any top-level item of which a file may have several (not the header, the GPA policy or
/// the graduation block, which the parser allows once each).
pub fn repeatable_item() -> impl Strategy<Value = Item> {
    prop_oneof![
        vec(line(category()), 0..4).prop_map(Item::Categories),
        scale().prop_map(Item::Scale),
        catalog().prop_map(Item::Catalog),
        kind().prop_map(Item::Kind),
        vec(line(institution()), 0..4).prop_map(Item::Institutions),
        convert().prop_map(Item::Convert),
        cap().prop_map(Item::Cap),
        review().prop_map(Item::Review),
        warning().prop_map(Item::Warning),
        program().prop_map(Item::Program),
        certificate().prop_map(Item::Certificate),
    ]
}

/// A whole file: exactly one header (the parser requires it, anywhere), at most one GPA
/// policy and one graduation block, a few other items, all in any order, and perhaps
/// comments at the end.
pub fn file() -> impl Strategy<Value = RulesetFile> {
    let placed = |item: BoxedStrategy<Item>| (block(item), any::<prop::sample::Index>());
    (
        vec(block(repeatable_item()), 0..4),
        placed(header().prop_map(Item::Header).boxed()),
        option::of(placed(gpa().prop_map(Item::Gpa).boxed())),
        option::of(placed(graduation().prop_map(Item::Graduation).boxed())),
        comment_lines(),
    )
        .prop_map(|(mut items, header, gpa, graduation, end_comments)| {
            for (item, at) in [Some(header), gpa, graduation].into_iter().flatten() {
                let at = at.index(items.len() + 1);
                items.insert(at, item);
            }
            RulesetFile {
                items,
                end_comments,
            }
        })
}
