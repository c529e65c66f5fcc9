//! The generator against the bundled rulesets: deterministic, prefix-stable, every learner a
//! valid record that evaluates, every warning level reached.

use std::collections::{BTreeMap, BTreeSet};

use creditbank_dsl::ast::{Date, Item};
use creditbank_engine::evaluate::{evaluate, Plan};
use creditbank_engine::library::Library;
use creditbank_engine::record::LearnerRecord;
use creditbank_engine::report::Explain;

use super::*;
use crate::input::{learners, write_all};
use crate::testing::library;

const UNDERGRADUATE: &str = "demo-university/undergraduate";
const OPEN: &str = "demo-open-university/lifelong-learning";

fn generator(library: &Library, program: Option<&str>, seed: u64) -> CohortGenerator {
    let options = GenerateOptions {
        seed,
        ..GenerateOptions::default()
    };
    CohortGenerator::new(library, program, options).unwrap()
}

fn bytes(g: &CohortGenerator, n: u64, format: InputFormat) -> Vec<u8> {
    g.write(n, format, Vec::new()).unwrap()
}

/// What a cohort's reports show.
#[derive(Default)]
struct Evaluated {
    /// The warning levels reached, by warning.
    levels: BTreeSet<(String, String)>,
    /// Learners in their last term who meet the graduation requirements, and who do not.
    graduating: (usize, usize),
}

/// Evaluates every learner under the version their record selects, as `creditbank eval`
/// does.
fn evaluate_all(library: &Library, records: &[LearnerRecord]) -> Evaluated {
    let mut plans: BTreeMap<(String, String), Plan> = BTreeMap::new();
    let mut seen = Evaluated::default();
    for record in records {
        let (version, _) = library
            .select_for(record)
            .unwrap_or_else(|e| panic!("{}: {e}", record.learner));
        let plan = plans
            .entry((version.id.clone(), version.version.clone()))
            .or_insert_with(|| Plan::compile(version).unwrap());
        let report = evaluate(plan, record, None, Explain::None, "in force at enrolment")
            .unwrap_or_else(|e| panic!("{}: {e}", record.learner));
        for w in &report.warnings {
            seen.levels
                .insert((w.warning.to_string(), w.level.to_string()));
        }
        if record.term == 8 {
            match report.graduation.as_ref().map(|g| g.met) {
                Some(true) => seen.graduating.0 += 1,
                _ => seen.graduating.1 += 1,
            }
        }
    }
    seen
}

#[test]
fn the_same_seed_gives_the_same_bytes_and_another_seed_others() {
    let library = library();
    let a = bytes(&generator(&library, None, 7), 120, InputFormat::Ndjson);
    let b = bytes(&generator(&library, None, 7), 120, InputFormat::Ndjson);
    assert_eq!(a, b);
    let c = bytes(&generator(&library, None, 8), 120, InputFormat::Ndjson);
    assert_ne!(a, c);
}

#[test]
fn a_smaller_cohort_is_a_prefix_of_a_larger_one() {
    let library = library();
    let g = generator(&library, Some(UNDERGRADUATE), 3);
    let small = bytes(&g, 40, InputFormat::Ndjson);
    let large = bytes(&g, 1000, InputFormat::Ndjson);
    assert!(large.starts_with(&small));
    assert_eq!(g.learner(39), g.learner(39));
}

#[test]
fn parallel_writing_joins_the_same_cohort_as_writing_one_by_one() {
    let library = library();
    let g = generator(&library, None, 11);
    // More than one batch of chunks, so that joining is tested.
    let n = 2_100;
    let records: Vec<LearnerRecord> = (0..n).map(|i| g.learner(i)).collect();
    for format in [InputFormat::Ndjson, InputFormat::Json, InputFormat::Csv] {
        let one_by_one = write_all(Vec::new(), format, &records).unwrap();
        assert!(bytes(&g, n, format) == one_by_one, "{format}");
    }
    let few = &records[..50];
    let one_by_one = write_all(Vec::new(), InputFormat::Yaml, few).unwrap();
    assert!(bytes(&g, 50, InputFormat::Yaml) == one_by_one);
    for format in InputFormat::ALL {
        let empty = bytes(&g, 0, format);
        assert_eq!(
            empty,
            write_all(Vec::new(), format, &[]).unwrap(),
            "{format}"
        );
    }
}

#[test]
fn every_format_reads_back_the_generated_records() {
    let library = library();
    let g = generator(&library, None, 5);
    let records: Vec<LearnerRecord> = (0..150).map(|i| g.learner(i)).collect();
    for format in InputFormat::ALL {
        let text = bytes(&g, 150, format);
        let back: Vec<LearnerRecord> = learners(&text[..], format)
            .map(|raw| {
                raw.unwrap()
                    .parse()
                    .unwrap_or_else(|e| panic!("{format}: {e}"))
            })
            .collect();
        assert!(
            back == records,
            "{format} does not read back the same records"
        );
    }
}

#[test]
fn every_generated_learner_evaluates_under_both_bundled_rulesets() {
    let library = library();
    for program in [UNDERGRADUATE, OPEN] {
        let g = generator(&library, Some(program), 21);
        let records: Vec<LearnerRecord> = (0..400).map(|i| g.learner(i)).collect();
        for r in &records {
            r.validate().unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(r.program, program);
        }
        evaluate_all(&library, &records);
        // Learners fall under every version.
        let versions: BTreeSet<String> = records
            .iter()
            .filter_map(|r| library.select(program, r.enrolled, None).ok())
            .map(|v| v.version.clone())
            .collect();
        assert_eq!(versions.len(), library.versions(program).len(), "{program}");
        let terms: BTreeSet<u32> = records.iter().map(|r| r.term).collect();
        assert_eq!(terms, (1..=8).collect(), "{program}");
    }
}

/// Every `(warning, level)` the versions of a ruleset declare.
fn declared_levels(library: &Library, program: &str) -> BTreeSet<(String, String)> {
    library
        .versions(program)
        .iter()
        .flat_map(|v| v.file.items.iter())
        .filter_map(|item| match &item.value {
            Item::Warning(w) => Some(w),
            _ => None,
        })
        .flat_map(|w| {
            w.levels
                .iter()
                .map(|l| (w.id.value.clone(), l.value.id.value.clone()))
        })
        .collect()
}

#[test]
fn a_cohort_of_a_thousand_reaches_every_warning_level() {
    let library = library();
    for program in [UNDERGRADUATE, OPEN] {
        let g = generator(&library, Some(program), 1);
        let records: Vec<LearnerRecord> = (0..1000).map(|i| g.learner(i)).collect();
        let seen = evaluate_all(&library, &records);
        let declared = declared_levels(&library, program);
        assert!(!declared.is_empty());
        let missing: Vec<_> = declared.difference(&seen.levels).collect();
        assert!(missing.is_empty(), "{program}: never reached {missing:?}");
        // In their last term, many graduate and some do not.
        let (met, unmet) = seen.graduating;
        assert!(
            met > unmet / 2 && unmet > 0,
            "{program}: {met} graduate, {unmet} do not"
        );
    }
}

#[test]
fn learners_have_sixty_items_on_average_and_a_realistic_mix() {
    let library = library();
    let g = generator(&library, Some(UNDERGRADUATE), 2);
    let records: Vec<LearnerRecord> = (0..1000).map(|i| g.learner(i)).collect();
    let items: usize = records
        .iter()
        .map(|r| r.courses.len() + r.outcomes.len())
        .sum();
    let mean = items / records.len();
    assert!((54..=66).contains(&mean), "{mean} items on average");

    let count = |f: &dyn Fn(&LearnerRecord) -> bool| records.iter().filter(|r| f(r)).count();
    use creditbank_engine::record::Mark;
    let has_mark = |r: &LearnerRecord, f: fn(&Mark) -> bool| r.courses.iter().any(|c| f(&c.mark));
    assert!(count(&|r| has_mark(r, |m| matches!(m, Mark::Withdrawn))) > 50);
    assert!(count(&|r| has_mark(r, |m| matches!(m, Mark::Grade(_)))) > 500);
    assert!(count(&|r| r.courses.iter().any(|c| c.credits.is_some())) > 10);
    assert!(count(&|r| !r.exceptions.is_empty()) > 10);
    let kinds: BTreeSet<&str> = records
        .iter()
        .flat_map(|r| r.outcomes.iter().map(|o| o.kind.as_str()))
        .collect();
    assert_eq!(kinds.len(), 8, "{kinds:?}");
    // Outcomes gather term after term.
    let outcomes_in = |term: u32| {
        let of_term: Vec<&LearnerRecord> = records.iter().filter(|r| r.term == term).collect();
        of_term.iter().map(|r| r.outcomes.len()).sum::<usize>() / of_term.len().max(1)
    };
    assert!(
        outcomes_in(8) > 3 * outcomes_in(2),
        "{} vs {}",
        outcomes_in(8),
        outcomes_in(2)
    );
    let retakes = count(&|r| {
        let mut seen = BTreeSet::new();
        r.courses.iter().any(|c| !seen.insert(c.course.as_str()))
    });
    assert!(retakes > 100, "{retakes} learners retook a course");
}

#[test]
fn a_common_evaluation_date_places_every_learner_before_it() {
    let library = library();
    let as_of = Date {
        year: 2027,
        month: 7,
        day: 1,
    };
    let options = GenerateOptions {
        as_of: Some(as_of),
        ..GenerateOptions::default()
    };
    let g = CohortGenerator::new(&library, Some(UNDERGRADUATE), options).unwrap();
    let records: Vec<LearnerRecord> = (0..300).map(|i| g.learner(i)).collect();
    for r in &records {
        assert_eq!(r.as_of, Some(as_of));
        assert!(r.enrolled <= as_of && r.term <= 8);
        assert!(r.outcomes.iter().all(|o| o.date <= as_of));
    }
    evaluate_all(&library, &records);
    let terms: BTreeSet<u32> = records.iter().map(|r| r.term).collect();
    assert_eq!(terms, [2, 4].into_iter().collect());

    let too_early = GenerateOptions {
        as_of: Some(Date {
            year: 2020,
            month: 1,
            day: 1,
        }),
        ..GenerateOptions::default()
    };
    let e = CohortGenerator::new(&library, Some(UNDERGRADUATE), too_early).unwrap_err();
    assert_eq!(
        e.to_string(),
        "no version of `demo-university/undergraduate` is in force on 2020-01-01: the earliest \
         takes effect on 2025-09-01"
    );
}

#[test]
fn an_unknown_program_lists_the_known_ones() {
    let library = library();
    let e =
        CohortGenerator::new(&library, Some("no/such"), GenerateOptions::default()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "no ruleset `no/such`; known rulesets: demo-open-university/lifelong-learning, \
         demo-university/undergraduate"
    );
}

#[test]
fn generated_json_is_what_serde_writes() {
    let library = library();
    let g = generator(&library, None, 9);
    for i in 0..500 {
        let record = g.learner(i);
        let fast = write_all(Vec::new(), InputFormat::Ndjson, [&record]).unwrap();
        let mut serde = serde_json::to_vec(&record).unwrap();
        serde.push(b'\n');
        assert!(fast == serde, "learner {i}");
    }
}
