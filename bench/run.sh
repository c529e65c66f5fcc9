#!/usr/bin/env bash
# Runs the criterion benches and prints their figures as a table.
# Usage: bench/run.sh [criterion filter]
set -euo pipefail
cd "$(dirname "$0")/.."
filter="${1:-}"
mkdir -p target
cargo bench -p creditbank-dsl --bench check -- ${filter:+"$filter"} 2>&1 | tee target/bench-check.log >/dev/null
cargo bench -p creditbank-engine --bench evaluate -- ${filter:+"$filter"} 2>&1 | tee target/bench-evaluate.log >/dev/null
echo
# Criterion's own estimates (target/criterion/GROUP/BENCH/new/estimates.json) for the benches
# this run measured: the median of the samples' times per iteration, the mean, and the slope
# (the estimate criterion prints as "time:", which a noisy host pulls up more than the median).
names=$(sed -n 's/^Benchmarking \([^:]*\): Analyzing$/\1/p' target/bench-check.log target/bench-evaluate.log)
python3 - $names <<'PY'
import json, sys

def fmt(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3f} {unit}"
    return f"{ns:.1f} ns"

print(f"{'bench':<34} {'median':>12} {'(95% interval)':>26} {'mean':>12} {'slope':>12}")
for name in sys.argv[1:]:
    with open(f"target/criterion/{name}/new/estimates.json") as f:
        e = json.load(f)
    m = e["median"]
    ci = m["confidence_interval"]
    interval = f"{fmt(ci['lower_bound'])} - {fmt(ci['upper_bound'])}"
    slope = fmt(e["slope"]["point_estimate"]) if e.get("slope") else "-"
    print(f"{name:<34} {fmt(m['point_estimate']):>12} {interval:>26} "
          f"{fmt(e['mean']['point_estimate']):>12} {slope:>12}")
PY
grep -m1 "bench ruleset:" target/bench-check.log || true
grep -m1 "bench learner:" target/bench-evaluate.log || true
