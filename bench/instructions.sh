#!/usr/bin/env bash
# Instructions per operation on the bench learner, counted by valgrind (callgrind): a figure
# that does not move with the host's load, to compare two versions of the hot path where
# timings on a shared machine vary by a third.
#
# Usage: bench/instructions.sh [MODES...]   (default: none reasons parse serialize)
#   none, rules, reasons, full   evaluate the bench learner at that level of explanation
#   parse                 read the bench learner from JSON (and validate it)
#   parse-serde           read it through the record's serde implementation (serde_json), as
#                         an axum `Json` extractor does, without the validation
#   serialize             write its report (explanations off) as JSON (the direct writer)
#   serialize-reasons     write its report with reasons (the service's default) as JSON
#   serialize-serde, serialize-reasons-serde   the same through the serde writer
# Needs valgrind (Debian package `valgrind`).
set -euo pipefail
cd "$(dirname "$0")/.."
modes=("${@:-none reasons parse serialize}")
# shellcheck disable=SC2206
modes=(${modes[*]})
command -v valgrind >/dev/null || {
  echo "bench/instructions.sh needs valgrind (apt-get install -y valgrind)" >&2
  exit 2
}
cargo build --release --quiet -p creditbank-engine --example profile_evaluate
bin="target/release/examples/profile_evaluate"
work="target/bench-instructions"
mkdir -p "$work"

# Instructions of one run of N operations (setup included).
refs() {
  valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" "$bin" "$1" "$2" 2>&1 |
    awk '/refs:/ { gsub(",", "", $NF); print $NF }'
}

printf '%-10s %16s %14s\n' "mode" "instructions/op" "allocations/op"
for mode in "${modes[@]}"; do
  # Two runs that differ only in the number of operations: the difference is their cost.
  low=$(refs "$mode" 200)
  high=$(refs "$mode" 2200)
  allocations=$("$bin" "$mode" 2000 | sed -n 's/.*, \([0-9]*\) allocations each/\1/p')
  printf '%-10s %16d %14s\n' "$mode" $(((high - low) / 2000)) "$allocations"
done
