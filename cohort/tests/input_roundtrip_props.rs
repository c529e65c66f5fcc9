//! Property test: any valid record, however awkward its text (commas, quotes, `;`, `=`,
//! backslashes, line breaks, carriage returns, Chinese), reads back the same from every format.

use std::collections::BTreeMap;

use creditbank_cohort::input::{learners, write_all, InputFormat};
use creditbank_dsl::ast::Date;
use creditbank_engine::record::{
    AttributeValue, CourseAttempt, Exception, ExceptionAction, LearnerRecord, Mark, Outcome,
    ReviewStatus,
};
use proptest::prelude::*;
use rust_decimal::Decimal;

/// Text that every format must quote or escape somewhere.
const AWKWARD: &str = "[a-z0-9,;=\"'\\\\ 学#:{}\\[\\]-]{0,8}";

/// An id: not empty, no blanks at its ends, no control characters.
fn id() -> impl Strategy<Value = String> {
    AWKWARD.prop_map(|s| format!("i{s}d"))
}

/// Free text (`by`, `reason`): anything not blank, line breaks included.
fn free_text() -> impl Strategy<Value = String> {
    "[a-z ,;=\"\\\\\r\n\t学]{0,12}".prop_map(|s| format!("t{s}"))
}

fn date() -> impl Strategy<Value = Date> {
    (2000u16..2030, 1u8..=12, 1u8..=28).prop_map(|(year, month, day)| Date { year, month, day })
}

fn decimal() -> impl Strategy<Value = Decimal> {
    (-1_000_000_000i64..1_000_000_000, 0u32..=4).prop_map(|(m, s)| Decimal::new(m, s))
}

fn attribute() -> impl Strategy<Value = AttributeValue> {
    prop_oneof![
        id().prop_map(AttributeValue::Text),
        "[0-9]{1,4}".prop_map(AttributeValue::Text),
        decimal().prop_map(AttributeValue::Number),
        date().prop_map(AttributeValue::Date),
    ]
}

fn mark() -> impl Strategy<Value = Mark> {
    prop_oneof![
        (0i64..=1000).prop_map(|t| Mark::Score(Decimal::new(t, 1))),
        id().prop_map(Mark::Grade),
        Just(Mark::Withdrawn),
    ]
}

fn course(term: u32) -> impl Strategy<Value = CourseAttempt> {
    (
        id(),
        mark(),
        proptest::option::of(decimal().prop_map(|d| d.abs())),
        proptest::option::of(id()),
        proptest::option::of(id()),
    )
        .prop_map(
            move |(course, mark, credits, institution, category)| CourseAttempt {
                course,
                term,
                mark,
                credits,
                institution,
                category,
            },
        )
}

fn outcome() -> impl Strategy<Value = Outcome> {
    (
        id(),
        proptest::collection::btree_map(id(), attribute(), 0..4),
        date(),
        proptest::collection::btree_set(id(), 0..3),
        proptest::option::of(id()),
        proptest::option::of(prop_oneof![
            Just(ReviewStatus::Approved),
            Just(ReviewStatus::Rejected),
            Just(ReviewStatus::Pending),
        ]),
    )
        .prop_map(
            |(kind, attributes, date, evidence, institution, review)| Outcome {
                id: String::new(),
                kind,
                attributes: attributes.into_iter().collect::<BTreeMap<_, _>>(),
                date,
                evidence: evidence.into_iter().collect(),
                institution,
                review,
            },
        )
}

fn exception() -> impl Strategy<Value = Exception> {
    let action = prop_oneof![
        id().prop_map(|requirement| ExceptionAction::Waive { requirement }),
        (id(), id()).prop_map(|(course, replaces)| ExceptionAction::Substitute {
            replaces: format!("{replaces}2"),
            course,
        }),
        (id(), 1i64..100).prop_map(|(category, c)| ExceptionAction::Force {
            category,
            credits: Decimal::new(c, 1),
        }),
        id().prop_map(|version| ExceptionAction::Version { version }),
    ];
    (action, free_text(), free_text()).prop_map(|(action, by, reason)| Exception {
        action,
        by,
        reason,
    })
}

fn record() -> impl Strategy<Value = LearnerRecord> {
    (
        id(),
        id(),
        proptest::option::of(Just(Date {
            year: 2031,
            month: 1,
            day: 1,
        })),
        proptest::collection::vec(course(1), 0..3),
        proptest::collection::vec(course(2), 0..3),
        proptest::collection::vec(outcome(), 0..3),
        proptest::option::of(exception()),
    )
        .prop_map(
            |(learner, program, as_of, first, second, mut outcomes, exception)| {
                // One attempt per course per term, one id per outcome: as validation requires.
                let mut courses: Vec<CourseAttempt> = Vec::new();
                for c in first.into_iter().chain(second) {
                    if !courses
                        .iter()
                        .any(|k| k.course == c.course && k.term == c.term)
                    {
                        courses.push(c);
                    }
                }
                for (i, o) in outcomes.iter_mut().enumerate() {
                    o.id = format!("o{i}");
                }
                LearnerRecord {
                    learner,
                    program,
                    enrolled: Date {
                        year: 2000,
                        month: 1,
                        day: 1,
                    },
                    as_of,
                    term: 2,
                    courses,
                    outcomes,
                    exceptions: exception.into_iter().collect(),
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn every_format_reads_back_any_valid_record(records in proptest::collection::vec(record(), 1..4)) {
        // Consecutive learners with one id would be one learner in CSV: ids are made unique.
        let records: Vec<LearnerRecord> = records
            .into_iter()
            .enumerate()
            .map(|(i, r)| LearnerRecord { learner: format!("{}{i}", r.learner), ..r })
            .collect();
        for r in &records {
            prop_assert!(r.validate().is_ok(), "{:?}", r.validate());
        }
        for format in InputFormat::ALL {
            let bytes = write_all(Vec::new(), format, &records).unwrap();
            let back: Vec<Result<LearnerRecord, String>> = learners(&bytes[..], format)
                .map(|raw| raw.unwrap().parse().map_err(|e| e.to_string()))
                .collect();
            let expected: Vec<Result<LearnerRecord, String>> =
                records.iter().cloned().map(Ok).collect();
            prop_assert_eq!(
                &back,
                &expected,
                "{} as written:\n{}",
                format,
                String::from_utf8_lossy(&bytes)
            );
        }
    }
}
