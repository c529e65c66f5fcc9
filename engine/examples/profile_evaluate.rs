//! Evaluates the bench learner in a loop, for profilers and instruction counters
//! (`perf stat -e instructions:u`, `perf record`), and prints the time and the heap
//! allocations per evaluation.
//!
//! `cargo run --release -p creditbank-engine --example profile_evaluate -- [none|reasons|full] [N]`

use creditbank_dsl::SourceFile;
use creditbank_engine::evaluate::{evaluate, Plan};
use creditbank_engine::library::Library;
use creditbank_engine::record::from_yaml;
use creditbank_engine::report::Explain;
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

const RULESET: &str = "rulesets/demo-university/undergraduate/2026.1.cbr";
const LEARNER: &str = include_str!("../benches/learner-60.yaml");

/// Counts allocations, so that a change that adds one per rule shows.
struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's contract is the system allocator's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract is the system allocator's.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's contract is the system allocator's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn main() {
    let mut args = std::env::args().skip(1);
    let explain = match args.next().as_deref() {
        Some("reasons") => Explain::Reasons,
        Some("full") => Explain::Full,
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
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    let start = Instant::now();
    for _ in 0..n {
        let report = evaluate(&plan, black_box(&record), None, explain, "in force");
        black_box(report).expect("the bench learner evaluates");
    }
    let elapsed = start.elapsed();
    let allocations = ALLOCATIONS.load(Ordering::Relaxed) - before;
    println!(
        "{n} evaluations ({explain:?}): {:.2} µs each, {} allocations each",
        elapsed.as_secs_f64() * 1e6 / n as f64,
        allocations / n
    );
}
