//! Properties of the whole report under the bundled demo university ruleset
//! (rulesets/demo-university/undergraduate/2026.1.cbr), over generated learner records: course
//! attempts from its catalog (scores, text grades, retakes), and outcomes of its kinds with
//! valid attribute values, some already reviewed.

use creditbank_dsl::ast::Date;
use creditbank_dsl::SourceFile;
use creditbank_engine::evaluate::{evaluate, Plan};
use creditbank_engine::library::Library;
use creditbank_engine::outcomes::CapScopePlan;
use creditbank_engine::record::{
    AttributeValue, CourseAttempt, LearnerRecord, Mark, Outcome, ReviewStatus,
};
use creditbank_engine::report::{Explain, Report};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::sync::OnceLock;

const DEMO: &str = include_str!("../../rulesets/demo-university/undergraduate/2026.1.cbr");

/// The demo's plan, compiled once for every test and property case.
fn plan() -> &'static Plan {
    static PLAN: OnceLock<Plan> = OnceLock::new();
    PLAN.get_or_init(|| {
        let sources = vec![SourceFile::new(
            "rulesets/demo-university/undergraduate/2026.1.cbr",
            DEMO,
        )];
        let library = Library::build(&sources, creditbank_dsl::check_set(&sources)).unwrap();
        Plan::compile(&library.versions("demo-university/undergraduate")[0]).unwrap()
    })
}

fn date(year: u16, month: u8, day: u8) -> Date {
    Date { year, month, day }
}

const ENROLLED: Date = Date {
    year: 2026,
    month: 9,
    day: 1,
};

/// The end of a term: terms alternate autumn (ending in January) and spring (ending in July).
fn end_of_term(term: u32) -> Date {
    let year = 2026 + term.div_ceil(2) as u16;
    if term % 2 == 1 {
        date(year, 1, 31)
    } else {
        date(year, 7, 15)
    }
}

fn eval(record: &LearnerRecord) -> Report<'_> {
    evaluate(plan(), record, None, Explain::Full, "in force at enrolment")
        .unwrap_or_else(|e| panic!("a valid record must evaluate: {e}"))
}

/// The text grades of the demo's scales, and a withdrawal.
const GRADES: &[&str] = &[
    "优秀",
    "良好",
    "中等",
    "及格",
    "不及格",
    "通过",
    "合格",
    "不通过",
    "不合格",
    "W",
];

fn arb_mark() -> impl Strategy<Value = Mark> {
    prop_oneof![
        3 => (0u32..=200).prop_map(|half| Mark::Score(Decimal::new(half as i64 * 5, 1))),
        1 => prop::sample::select(GRADES).prop_map(|g| if g == "W" {
            Mark::Withdrawn
        } else {
            Mark::Grade(g.to_string())
        }),
    ]
}

/// One course with its attempts: a first term and up to two retakes in later terms.
fn arb_course(term: u32) -> impl Strategy<Value = Vec<CourseAttempt>> {
    let codes: Vec<String> = plan()
        .catalog
        .courses
        .iter()
        .map(|c| c.code.clone())
        .collect();
    (
        prop::sample::select(codes),
        prop::collection::btree_set(1..=term, 1..=3),
        prop::collection::vec(arb_mark(), 3),
    )
        .prop_map(|(code, terms, marks)| {
            terms
                .into_iter()
                .zip(marks)
                .map(|(term, mark)| CourseAttempt {
                    course: code.clone(),
                    term,
                    mark,
                    credits: None,
                    institution: None,
                    category: None,
                })
                .collect()
        })
}

fn text(s: &str) -> AttributeValue {
    AttributeValue::Text(s.to_string())
}

fn number(n: u32) -> AttributeValue {
    AttributeValue::Number(Decimal::from(n))
}

fn pick(values: &'static [&'static str]) -> impl Strategy<Value = AttributeValue> {
    prop::sample::select(values).prop_map(text)
}

type Attributes = Vec<(&'static str, AttributeValue)>;

/// A kind, valid attribute values from small pools (so that names repeat for
/// `highest only per`), and the kind's evidence ids.
fn arb_kind() -> impl Strategy<Value = (&'static str, Attributes, &'static [&'static str])> {
    let competition = (
        pick(&["挑战杯", "数学建模", "程序设计竞赛"]),
        pick(&["national", "provincial", "school"]),
        pick(&["special", "first", "second", "third", "participation"]),
        pick(&["yes", "no"]),
    )
        .prop_map(|(name, level, award, listed)| {
            let attributes = vec![
                ("name", name),
                ("level", level),
                ("award", award),
                ("listed", listed),
            ];
            (
                "competition",
                attributes,
                &["certificate", "notice"] as &[&str],
            )
        });
    let language =
        (pick(&["cet4", "cet6", "ielts", "toefl"]), 0u32..=710).prop_map(|(exam, score)| {
            let score = match &exam {
                // A band score for IELTS, a TOEFL score up to 120.
                AttributeValue::Text(e) if e == "ielts" => {
                    AttributeValue::Number(Decimal::new((score % 19) as i64 * 5, 1))
                }
                AttributeValue::Text(e) if e == "toefl" => number(score % 121),
                _ => number(score),
            };
            (
                "language-test",
                vec![("exam", exam), ("score", score)],
                &["report", "verification"] as &[&str],
            )
        });
    let qualification = pick(&[
        "ncre2",
        "ncre3",
        "ncre4",
        "rk-junior",
        "rk-middle",
        "rk-senior",
    ])
    .prop_map(|cert| {
        (
            "qualification",
            vec![("cert", cert)],
            &["certificate", "verification"] as &[&str],
        )
    });
    let paper = (pick(&["top", "core", "general"]), 1u32..=4).prop_map(|(tier, rank)| {
        (
            "paper",
            vec![("tier", tier), ("author-rank", number(rank))],
            &["offprint", "index-report", "affiliation"] as &[&str],
        )
    });
    let patent = (
        pick(&["invention", "utility", "design", "software"]),
        pick(&["granted", "pending"]),
        1u32..=3,
    )
        .prop_map(|(ty, status, rank)| {
            (
                "patent",
                vec![
                    ("patent-type", ty),
                    ("status", status),
                    ("inventor-rank", number(rank)),
                ],
                &["grant-certificate", "ownership"] as &[&str],
            )
        });
    let mooc = (
        pick(&["数据结构", "机器学习", "中国历史"]),
        1u32..=200,
        0u32..=100,
        pick(&["yes", "no"]),
    )
        .prop_map(|(name, hours, score, certified)| {
            (
                "mooc",
                vec![
                    ("course-name", name),
                    ("hours", number(hours)),
                    ("score", number(score)),
                    ("certified", certified),
                ],
                &["certificate", "transcript"] as &[&str],
            )
        });
    let internship = (
        1u32..=52,
        pick(&["yes", "no"]),
        pick(&["excellent", "good", "qualified", "unqualified"]),
    )
        .prop_map(|(weeks, relevant, appraisal)| {
            (
                "internship",
                vec![
                    ("employer", text("某科技公司")),
                    ("weeks", number(weeks)),
                    ("relevant", relevant),
                    ("appraisal", appraisal),
                ],
                &["agreement", "report", "appraisal-form"] as &[&str],
            )
        });
    let volunteering =
        (0u32..=400, pick(&["全国志愿服务信息系统", "校团委记录"])).prop_map(|(hours, system)| {
            (
                "volunteering",
                vec![("hours", number(hours)), ("system", system)],
                &["record"] as &[&str],
            )
        });
    prop_oneof![
        competition,
        language,
        qualification,
        paper,
        patent,
        mooc,
        internship,
        volunteering
    ]
}

/// One outcome dated within the learner's years (from enrolment to `as_of`), with some of its
/// evidence, and a review already decided about a third of the time.
fn arb_outcome(as_of: Date) -> impl Strategy<Value = Outcome> {
    (
        arb_kind(),
        (2026u16..=as_of.year, 1u8..=12, 1u8..=28),
        any::<u8>(),
        prop::sample::select(vec![
            None,
            None,
            None,
            None,
            Some(ReviewStatus::Approved),
            Some(ReviewStatus::Rejected),
            Some(ReviewStatus::Pending),
        ]),
        prop::sample::select(vec![
            None,
            Some("icourse"),
            Some("xuetangx"),
            Some("smartedu"),
        ]),
    )
        .prop_map(
            move |((kind, attributes, evidence), (y, m, d), mask, review, institution)| {
                let on = date(y, m, d).clamp(ENROLLED, as_of);
                Outcome {
                    id: String::new(),
                    kind: kind.to_string(),
                    attributes: attributes
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), v))
                        .collect::<BTreeMap<_, _>>(),
                    date: on,
                    // Most evidence is supplied most of the time.
                    evidence: evidence
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| mask & (0b11 << (2 * i)) != 0)
                        .map(|(_, e)| e.to_string())
                        .collect(),
                    institution: (kind == "mooc")
                        .then(|| institution.map(str::to_string))
                        .flatten(),
                    review,
                }
            },
        )
}

/// A learner of the 2026 cohort in term 1 to 8, evaluated at the end of that term.
fn arb_record() -> impl Strategy<Value = LearnerRecord> {
    (1u32..=8).prop_flat_map(|term| {
        let as_of = end_of_term(term);
        (
            prop::collection::vec(arb_course(term), 0..24),
            prop::collection::vec(arb_outcome(as_of), 0..10),
        )
            .prop_map(move |(courses, outcomes)| {
                // One attempt per course per term: later draws of the same code and term go.
                let mut seen = std::collections::BTreeSet::new();
                let courses = courses
                    .into_iter()
                    .flatten()
                    .filter(|a| seen.insert((a.course.clone(), a.term)))
                    .collect();
                let outcomes = outcomes
                    .into_iter()
                    .enumerate()
                    .map(|(i, mut o)| {
                        o.id = format!("o{i:02}");
                        o
                    })
                    .collect();
                LearnerRecord {
                    learner: "2026019999".into(),
                    program: "demo-university/undergraduate".into(),
                    enrolled: ENROLLED,
                    as_of: Some(as_of),
                    term,
                    courses,
                    outcomes,
                    exceptions: Vec::new(),
                }
            })
    })
}

/// A deterministic shuffle from a seed (xorshift; no RNG dependency needed).
fn shuffle<T>(items: &mut [T], seed: u64) {
    let mut state = seed | 1;
    for i in (1..items.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        items.swap(i, (state % (i as u64 + 1)) as usize);
    }
}

/// Half a unit of the demo's credit rounding (`rounding credits half-up 1`): the most that
/// rounding moves one figure.
fn half_unit() -> Decimal {
    Decimal::new(5, 2)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn shuffling_courses_and_outcomes_leaves_the_report_unchanged(
        record in arb_record(),
        seed in any::<u64>(),
    ) {
        let mut shuffled = record.clone();
        shuffle(&mut shuffled.courses, seed);
        shuffle(&mut shuffled.outcomes, seed.rotate_left(17));
        prop_assert_eq!(eval(&record), eval(&shuffled));
    }

    #[test]
    fn the_same_record_gives_the_same_report(record in arb_record()) {
        prop_assert_eq!(eval(&record), eval(&record));
    }

    #[test]
    fn adding_an_approved_outcome_never_lowers_the_total(
        record in arb_record(),
        extra in arb_outcome(date(2030, 7, 15)),
    ) {
        let before = eval(&record);
        let mut more = record.clone();
        let mut extra = extra;
        extra.id = "extra".into();
        extra.date = extra.date.min(record.as_of.unwrap());
        extra.review = Some(ReviewStatus::Approved);
        // A name of its own: a repeated name may legitimately lower the total, since only the
        // highest award per name counts and it may fall in a year whose cap is already full.
        for attribute in ["name", "course-name"] {
            if let Some(value) = extra.attributes.get_mut(attribute) {
                *value = text("独有的名称");
            }
        }
        more.outcomes.push(extra);
        let after = eval(&more);
        prop_assert!(
            after.total_credits >= before.total_credits,
            "total fell from {} to {}: {:#?}",
            before.total_credits,
            after.total_credits,
            after.outcomes
        );
    }

    #[test]
    fn no_cap_without_a_period_is_exceeded(record in arb_record()) {
        let p = plan();
        let report = eval(&record);
        for cap in p.outcomes.caps.iter().filter(|c| c.period.is_none()) {
            let mut sum = Decimal::ZERO;
            let mut lines = 0u32;
            for line in &report.outcomes {
                let converted_by: Vec<_> = line
                    .rules
                    .iter()
                    .filter(|r| r.kind == "conversion rule")
                    .filter_map(|r| p.outcomes.rule(r.id))
                    .collect();
                let counts = converted_by.iter().any(|&rule| {
                    let plan = p.outcomes.rule_plan(rule).unwrap();
                    match cap.scope {
                        CapScopePlan::Rule(r) => r == rule,
                        CapScopePlan::Kind(k) => k == plan.kind,
                        CapScopePlan::Category(c) => c == plan.into,
                        CapScopePlan::Conversions => true,
                    }
                });
                if counts {
                    sum += line.credits;
                    lines += 1;
                }
            }
            // Each line is rounded to one place; allow each its rounding.
            prop_assert!(
                sum <= cap.limit + half_unit() * Decimal::from(lines),
                "cap `{}` lets {} through, limit {}: {:#?}",
                cap.id, sum, cap.limit, report.outcomes
            );
        }
    }

    #[test]
    fn the_gpa_lies_within_the_scales_range(record in arb_record()) {
        let report = eval(&record);
        if let Some(gpa) = &report.gpa {
            let four = Decimal::from(4);
            prop_assert!(gpa.exact >= Decimal::ZERO && gpa.exact <= four, "{:?}", gpa);
            prop_assert!(gpa.value >= Decimal::ZERO && gpa.value <= four, "{:?}", gpa);
            prop_assert!(gpa.weight > Decimal::ZERO, "{:?}", gpa);
            prop_assert_eq!(gpa.exact, gpa.points / gpa.weight);
        }
    }

    #[test]
    fn categories_add_up_and_the_total_is_their_sum(record in arb_record()) {
        let report = eval(&record);
        let mut sum = Decimal::ZERO;
        for c in &report.categories {
            // Three figures rounded separately: each may move by half a unit.
            let parts = c.from_courses + c.from_outcomes;
            prop_assert!(
                (c.credits - parts).abs() <= half_unit() * Decimal::from(3),
                "{:?}", c
            );
            prop_assert!(c.from_courses >= Decimal::ZERO && c.from_outcomes >= Decimal::ZERO);
            sum += c.credits;
        }
        let n = Decimal::from(report.categories.len() as u32 + 1);
        prop_assert!(
            (report.total_credits - sum).abs() <= half_unit() * n,
            "total {} against categories {}: {:?}",
            report.total_credits, sum, report.categories
        );
        // The outcome lines carry the converted credit of the categories.
        let converted: Decimal = report.outcomes.iter().map(|o| o.credits).sum();
        let from_outcomes: Decimal = report.categories.iter().map(|c| c.from_outcomes).sum();
        let m = Decimal::from(report.outcomes.len() as u32 + report.categories.len() as u32);
        prop_assert!(
            (converted - from_outcomes).abs() <= half_unit() * m,
            "outcome lines {} against categories {}", converted, from_outcomes
        );
    }
}

#[test]
fn the_generator_reaches_conversions_caps_and_retakes() {
    // The properties are only as good as the records they see: check the generator produces
    // approved conversions, clipped caps and retakes in a fixed sample.
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = arb_record();
    let (mut approved, mut clipped, mut retakes, mut gpas) = (0, 0, 0, 0);
    for _ in 0..64 {
        let record = strategy.new_tree(&mut runner).unwrap().current();
        let report = eval(&record);
        approved += report
            .outcomes
            .iter()
            .filter(|o| o.decision == "approved" && o.credits > Decimal::ZERO)
            .count();
        clipped += report
            .outcomes
            .iter()
            .filter(|o| o.reasons.iter().any(|r| r.starts_with("cap ")))
            .count();
        retakes += report
            .courses
            .iter()
            .filter(|c| c.attempts.len() > 1)
            .count();
        gpas += usize::from(report.gpa.is_some());
    }
    assert!(approved > 20, "approved conversions: {approved}");
    assert!(clipped > 0, "clipped outcomes: {clipped}");
    assert!(retakes > 10, "retaken courses: {retakes}");
    assert!(gpas > 40, "reports with a GPA: {gpas}");
}
