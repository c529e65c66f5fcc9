//! Evaluates the bench learner in a loop, for profilers and instruction counters
//! (`perf stat -e instructions:u`, `perf record`), and prints the time and the heap
//! allocations per evaluation.
//!
//! `cargo run --release -p creditbank-engine --example profile_evaluate -- [none|rules|reasons|full|parse|parse-serde|serialize|serialize-reasons] [N]`
//!
//! `parse` times reading the learner from JSON instead, and `serialize` writing its report
//! (explanations off) as JSON through the direct writer: the other two parts of a batch;
//! `serialize-reasons` writes the report with reasons, as the service answers by default.
//! `serialize-serde` and `serialize-reasons-serde` write them through the engine's serde
//! writer (`json::to_vec`) instead. `parse-serde` reads the learner
//! through the record's serde implementation (serde_json) instead of the direct reader, as an
//! axum `Json` extractor does: the baseline `bench/serve.sh` holds the service to.

use creditbank_allocator::Allocator as System;
use creditbank_dsl::SourceFile;
use creditbank_engine::evaluate::{evaluate, Plan};
use creditbank_engine::library::Library;
use creditbank_engine::record::from_yaml;
use creditbank_engine::report::Explain;
use std::alloc::{GlobalAlloc, Layout};
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

const RULESET: &str = "rulesets/demo-university/undergraduate/2026.1.cbr";
const LEARNER: &str = include_str!("../benches/learner-60.yaml");

/// Counts allocations, so that a change that adds one per rule shows.
struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

// SAFETY: every call is forwarded unchanged to the allocator the binary and the bench run with.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's contract is the allocator's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract is the allocator's.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's contract is the allocator's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_default();
    let explain = match mode.as_str() {
        "reasons" => Explain::Reasons,
        "rules" => Explain::Rules,
        "full" => Explain::Full,
        _ => Explain::None,
    };
    let n: u64 = args.next().and_then(|n| n.parse().ok()).unwrap_or(100_000);
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(RULESET);
    let text = std::fs::read_to_string(&path).expect("the demo ruleset is readable");
    let sources = vec![SourceFile::new(RULESET, text)];
    let library = Library::build(&sources, creditbank_dsl::check_set(&sources))
        .expect("the demo ruleset checks");
    let plan = Plan::compile(&library.versions("demo-university/undergraduate")[0])
        .expect("the demo ruleset compiles");
    let record = from_yaml(LEARNER).expect("the bench learner is a valid record");
    let json = serde_json::to_string(&record).expect("a record serialises");
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    let start = Instant::now();
    match mode.as_str() {
        "parse" => {
            for _ in 0..n {
                let parsed = creditbank_engine::record::from_json(black_box(&json));
                black_box(parsed).expect("the bench learner reads back");
            }
        }
        "parse-serde" => {
            for _ in 0..n {
                let parsed: Result<creditbank_engine::record::LearnerRecord, _> =
                    serde_json::from_str(black_box(&json));
                black_box(parsed).expect("the bench learner reads back");
            }
        }
        "transcript" => {
            for _ in 0..n {
                let t = creditbank_engine::transcript::Transcript::grade(
                    &plan.catalog,
                    plan.grading.as_ref(),
                    black_box(&record.courses),
                );
                black_box(t).expect("grades");
            }
        }
        "outcomes" => {
            let as_of = record.as_of.expect("the bench learner has as_of");
            for _ in 0..n {
                let c = plan.outcomes.convert_after_courses(
                    black_box(&record.outcomes),
                    record.enrolled,
                    as_of,
                    &[],
                );
                black_box(c);
            }
        }
        "serialize" | "serialize-reasons" | "serialize-serde" | "serialize-reasons-serde" => {
            let explain = if mode.starts_with("serialize-reasons") {
                Explain::Reasons
            } else {
                Explain::None
            };
            let report = evaluate(&plan, &record, None, explain, "in force")
                .expect("the bench learner evaluates");
            let mut line = Vec::with_capacity(32768);
            let serde = mode.ends_with("-serde");
            for _ in 0..n {
                line.clear();
                if serde {
                    creditbank_engine::json::to_vec(black_box(&report), &mut line)
                        .expect("a report serialises");
                } else {
                    creditbank_engine::json::report::write(black_box(&report), &mut line);
                }
                black_box(&line);
            }
        }
        _ => {
            for _ in 0..n {
                let report = evaluate(&plan, black_box(&record), None, explain, "in force");
                black_box(report).expect("the bench learner evaluates");
            }
        }
    }
    let elapsed = start.elapsed();
    let allocations = ALLOCATIONS.load(Ordering::Relaxed) - before;
    println!(
        "{n} runs ({mode}): {:.2} µs each, {} allocations each",
        elapsed.as_secs_f64() * 1e6 / n as f64,
        allocations / n
    );
}
