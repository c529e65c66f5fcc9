//! Statistics do not depend on the order of learners or on how workers split them: adding the
//! learners in any order, or merging the statistics of any partition in any order, gives the
//! same `Stats` (and so the same summary). Learners are generated records evaluated under the
//! bundled rulesets, so that the reports are real ones.

mod stats_support;

use creditbank_cohort::stats::{GroupBy, Stats, Summary, ValueCounts};
use creditbank_engine::evaluate::evaluate;
use creditbank_engine::record::{self, LearnerRecord};
use creditbank_engine::report::{Explain, Report};
use proptest::prelude::*;
use rust_decimal::Decimal;
use stats_support::Rulesets;
use std::fmt::Write;
use std::sync::OnceLock;

fn rulesets() -> &'static Rulesets {
    static RULESETS: OnceLock<Rulesets> = OnceLock::new();
    RULESETS.get_or_init(Rulesets::bundled)
}

const UNDERGRADUATE: [&str; 12] = [
    "MAR101", "MTH101", "CS101", "ENG101", "PE101", "MAR102", "CS102", "MTH102", "PHY101", "CS201",
    "CS202", "CSP101",
];
const OPEN_UNIVERSITY: [&str; 10] = [
    "05101", "05104", "05106", "05107", "06201", "05102", "06301", "06202", "06203", "06302",
];

/// A generated learner: program, enrolment year, current term, and course attempts as
/// `(course index, score, term)`.
#[derive(Clone, Debug)]
struct Spec {
    open_university: bool,
    year: u16,
    term: u32,
    attempts: Vec<(usize, u8, u32)>,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        any::<bool>(),
        2025u16..=2026,
        1u32..=8,
        prop::collection::vec((0usize..12, 0u8..=100, 1u32..=8), 0..10),
    )
        .prop_map(|(open_university, year, term, attempts)| Spec {
            open_university,
            year,
            term,
            attempts,
        })
}

fn record(spec: &Spec, index: usize) -> LearnerRecord {
    let (program, month, courses): (&str, u8, &[&str]) = if spec.open_university {
        (
            "demo-open-university/lifelong-learning",
            3,
            &OPEN_UNIVERSITY,
        )
    } else {
        ("demo-university/undergraduate", 9, &UNDERGRADUATE)
    };
    let mut yaml = format!(
        "learner: \"G{index}\"\nprogram: \"{program}\"\nenrolled: {}-{month:02}-01\n\
         as_of: {}-08-31\nterm: {}\ncourses:\n",
        spec.year,
        spec.year + 5,
        spec.term
    );
    let mut taken = std::collections::BTreeSet::new();
    for &(course, score, term) in &spec.attempts {
        let code = courses[course % courses.len()];
        let term = term.min(spec.term);
        // One attempt per course and term, as records require.
        if taken.insert((code, term)) {
            let _ = writeln!(
                yaml,
                "  - {{ course: \"{code}\", term: {term}, score: {score} }}"
            );
        }
    }
    if taken.is_empty() {
        yaml = yaml.replace("courses:\n", "");
    }
    record::from_yaml(&yaml).expect("generated records are valid")
}

fn report<'a>(learner: &'a LearnerRecord) -> Report<'a> {
    let r = rulesets();
    let version = r
        .library
        .select(&learner.program, learner.enrolled, None)
        .expect("a version applies");
    let plan = r
        .plans
        .iter()
        .find(|p| p.version.id == version.id && p.version.version == version.version)
        .expect("compiled");
    evaluate(plan, learner, None, Explain::None, "in force at enrolment").expect("evaluates")
}

fn counted(pairs: &[(&LearnerRecord, &Report<'_>)], grouping: Option<GroupBy>) -> Stats {
    let mut stats = Stats::new(grouping);
    for (learner, report) in pairs {
        stats.add(learner, report);
    }
    stats
}

fn grouping() -> impl Strategy<Value = Option<GroupBy>> {
    prop_oneof![
        Just(None),
        Just(Some(GroupBy::Program)),
        Just(Some(GroupBy::EnrolmentYear)),
        Just(Some(GroupBy::Class)),
    ]
}

/// Learners, a permutation of them, cut points splitting the permutation into parts, and the
/// order in which the parts' statistics are merged.
fn cohort() -> impl Strategy<Value = (Vec<Spec>, Vec<usize>, Vec<usize>, Vec<usize>)> {
    prop::collection::vec(spec(), 1..30).prop_flat_map(|specs| {
        let n = specs.len();
        let order = Just((0..n).collect::<Vec<_>>()).prop_shuffle();
        let cuts = prop::collection::vec(0..=n, 0..5);
        (
            Just(specs),
            order,
            cuts,
            Just((0..6).collect::<Vec<_>>()).prop_shuffle(),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn any_order_and_any_partition_give_the_same_stats(
        (specs, order, mut cuts, merge_order) in cohort(),
        grouping in grouping(),
    ) {
        let learners: Vec<LearnerRecord> =
            specs.iter().enumerate().map(|(i, s)| record(s, i)).collect();
        let reports: Vec<Report<'_>> = learners.iter().map(report).collect();
        let in_order: Vec<(&LearnerRecord, &Report<'_>)> = learners.iter().zip(&reports).collect();
        let expected = counted(&in_order, grouping);

        let shuffled: Vec<_> = order.iter().map(|&i| in_order[i]).collect();
        prop_assert_eq!(&counted(&shuffled, grouping), &expected);

        cuts.push(0);
        cuts.push(shuffled.len());
        cuts.sort_unstable();
        let parts: Vec<Stats> = cuts
            .windows(2)
            .map(|w| counted(&shuffled[w[0]..w[1]], grouping))
            .collect();
        // Merge the parts in a shuffled order (positions beyond the parts are skipped).
        let mut merged = Stats::new(grouping);
        for &i in merge_order.iter().filter(|&&i| i < parts.len()) {
            merged.merge(&parts[i]);
        }
        prop_assert_eq!(&merged, &expected);

        let facts = rulesets().facts();
        prop_assert_eq!(Summary::new(&merged, &facts), Summary::new(&expected, &facts));
    }

    #[test]
    fn floored_distributions_merge_to_the_same_counts(
        (values, order, mut cuts) in prop::collection::vec(0i64..100_000, 1..300)
            .prop_flat_map(|values| {
                let n = values.len();
                (
                    Just(values),
                    Just((0..n).collect::<Vec<_>>()).prop_shuffle(),
                    prop::collection::vec(0..=n, 0..6),
                )
            }),
        limit in 16usize..64,
    ) {
        // Values with two decimals and a small limit, so that merges meet different steps.
        let values: Vec<Decimal> = values.iter().map(|&v| Decimal::new(v, 2)).collect();
        let mut expected = ValueCounts::with_limit(limit);
        for &v in &values {
            expected.add(v);
        }
        cuts.push(0);
        cuts.push(values.len());
        cuts.sort_unstable();
        let shuffled: Vec<Decimal> = order.iter().map(|&i| values[i]).collect();
        let mut merged = ValueCounts::with_limit(limit);
        for w in cuts.windows(2).rev() {
            let mut part = ValueCounts::with_limit(limit);
            for &v in &shuffled[w[0]..w[1]] {
                part.add(v);
            }
            merged.merge(&part);
        }
        prop_assert_eq!(&merged, &expected);
        prop_assert!(merged.values().count() <= limit);
        prop_assert_eq!(merged.count(), values.len() as u64);
    }
}
