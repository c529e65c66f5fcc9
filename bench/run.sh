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
printf '%-40s %14s %14s %14s\n' "bench" "low" "median" "high"
# criterion prints: "<name>\n  time:   [low unit median unit high unit]" (or on one line).
awk '
  /^[A-Za-z0-9_.\/-]+ *$/ { name=$1 }
  /^[A-Za-z0-9_.\/-]+ +time:/ { name=$1 }
  /time:/ {
    sub(/.*\[/, ""); sub(/\].*/, "");
    printf "%-40s %11s %-2s %11s %-2s %11s %-2s\n", name, $1, $2, $3, $4, $5, $6
  }
' target/bench-check.log target/bench-evaluate.log
grep -m1 "bench ruleset:" target/bench-check.log || true
grep -m1 "bench learner:" target/bench-evaluate.log || true
