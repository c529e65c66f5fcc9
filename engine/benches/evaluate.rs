//! How long evaluating one learner takes once the plan is compiled: the hot path of a batch.
//!
//! The learner is realistic: 45 course attempts over 6 terms (retakes, failures, a withdrawal,
//! a transfer course, one unrecognised code) and 15 non-course outcomes (competitions,
//! certificates, MOOCs, papers, a patent, an internship, volunteering), evaluated against
//! `rulesets/demo-university/undergraduate/2026.1.cbr` at each level of explanation. Plan
//! compilation and record parsing happen once, outside the measured loop. The acceptance bar is
//! a median under 20 µs with explanations off.

use creditbank_dsl::SourceFile;
use creditbank_engine::evaluate::{evaluate, Plan};
use creditbank_engine::library::Library;
use creditbank_engine::record::{from_yaml, LearnerRecord};
use creditbank_engine::report::Explain;
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

// The allocator the `creditbank` binary runs with, so that the bench times what a batch does.
#[global_allocator]
static ALLOCATOR: creditbank_allocator::Allocator = creditbank_allocator::Allocator;

const RULESET: &str = "rulesets/demo-university/undergraduate/2026.1.cbr";

/// A third-year learner with 60 outcomes in all.
const LEARNER: &str = include_str!("learner-60.yaml");

fn plan() -> Plan {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(RULESET);
    let text = std::fs::read_to_string(&path).expect("the demo ruleset is readable");
    let sources = vec![SourceFile::new(RULESET, text)];
    let library = Library::build(&sources, creditbank_dsl::check_set(&sources))
        .expect("the demo ruleset checks");
    Plan::compile(&library.versions("demo-university/undergraduate")[0])
        .expect("the demo ruleset compiles")
}

fn learner() -> LearnerRecord {
    let record = from_yaml(LEARNER).expect("the bench learner is a valid record");
    assert_eq!(record.courses.len() + record.outcomes.len(), 60);
    record
}

fn bench_evaluate(c: &mut Criterion) {
    let plan = plan();
    let record = learner();
    // Fail loudly rather than time an error path.
    let report = evaluate(&plan, &record, None, Explain::Full, "in force at enrolment")
        .expect("the bench learner evaluates");
    eprintln!(
        "bench learner: {} course attempts, {} outcomes, {} course lines, {} outcome lines",
        record.courses.len(),
        record.outcomes.len(),
        report.courses.len(),
        report.outcomes.len()
    );
    let mut group = c.benchmark_group("evaluate");
    for (name, explain) in [
        ("none", Explain::None),
        ("reasons", Explain::Reasons),
        ("full", Explain::Full),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                evaluate(
                    black_box(&plan),
                    black_box(&record),
                    None,
                    explain,
                    "in force at enrolment",
                )
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_evaluate);
criterion_main!(benches);
