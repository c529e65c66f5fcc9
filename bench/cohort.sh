#!/usr/bin/env bash
# Cohort throughput: generates cohorts of synthetic 60-outcome learners and times `batch`
# (NDJSON in and out), `dry-run` (the bundled 2025.1 -> 2026.1) and `stats` on each, with the
# peak memory of each run, and prints a table.
#
# Usage: bench/cohort.sh [SIZES...]      (default: 10000 100000 1000000; ROUNDS=1; BIN_DIR)
# With ROUNDS=N the three verbs run in turns N times on each cohort, and each row is the run
# of median time (with the fastest and slowest beside it): the host's speed moves by a fifth
# or more from minute to minute on a shared machine.
# Needs GNU time (/usr/bin/time, Debian package `time`) for peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-10000 100000 1000000}")
# shellcheck disable=SC2206
sizes=(${sizes[*]})
work="target/bench-cohort"
mkdir -p "$work"
# BIN_DIR=target/pgo/release measures the profile-guided build of bench/pgo.sh instead.
if [[ -z "${BIN_DIR:-}" ]]; then
  cargo build --release --quiet -p creditbank-cli
fi
bin="${BIN_DIR:-target/release}/creditbank"
ruleset="rulesets/demo-university/undergraduate"
if [[ ! -x /usr/bin/time ]]; then
  echo "bench/cohort.sh needs /usr/bin/time (apt-get install -y time)" >&2
  exit 2
fi

# Runs a command, prints "elapsed_seconds peak_kib".
measure() {
  local log="$work/time.log"
  /usr/bin/time -v "$@" >/dev/null 2>"$log" || {
    # batch and dry-run exit 1 when a learner fails; that is reported, not fatal here.
    true
  }
  local wall peak
  wall=$(grep "Elapsed (wall clock)" "$log" | awk '{print $NF}')
  peak=$(grep "Maximum resident set size" "$log" | awk '{print $NF}')
  # h:mm:ss or m:ss.cc to seconds.
  awk -v t="$wall" -v p="$peak" 'BEGIN {
    n = split(t, a, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + a[i];
    printf "%.2f %d\n", s, p }'
}

rounds=${ROUNDS:-1}
printf '%-10s %10s %12s %14s %12s %16s\n' "verb" "learners" "elapsed s" "learners/s" "peak MiB" "range s"
for n in "${sizes[@]}"; do
  cohort="$work/cohort-$n.ndjson"
  if [[ ! -s "$cohort" ]]; then
    "$bin" gen-cohort --ruleset "$ruleset" --learners "$n" --seed 7 --out "$cohort"
  fi
  : >"$work/times.txt"
  for _ in $(seq "$rounds"); do
    for verb in batch dry-run stats; do
      case "$verb" in
        batch) cmd=("$bin" batch --cohort "$cohort" --ruleset "$ruleset" --out "$work/out-$n.ndjson" --errors "$work/errors.txt") ;;
        dry-run) cmd=("$bin" dry-run --from "$ruleset/2025.1.cbr" --to "$ruleset/2026.1.cbr" --cohort "$cohort" --only status-changes --out "$work/dry-$n.txt" --errors "$work/errors.txt") ;;
        stats) cmd=("$bin" stats --cohort "$cohort" --ruleset "$ruleset" --format json --out "$work/stats-$n.json" --errors "$work/errors.txt") ;;
      esac
      # A previous run's output is removed first: truncating a 5 GB file is not the verb's work.
      rm -f "$work/out-$n.ndjson" "$work/dry-$n.txt" "$work/stats-$n.json"
      read -r secs kib < <(measure "${cmd[@]}")
      # Nor is keeping it: the batch output, as large as the cohort, would push the cohort out
      # of the page cache and make the next verb read it from disk.
      rm -f "$work/out-$n.ndjson"
      echo "$verb $secs $kib" >>"$work/times.txt"
    done
  done
  for verb in batch dry-run stats; do
    # The run of median time (the lower middle one for an even count), and the range.
    grep "^$verb " "$work/times.txt" | sort -k2,2g | awk -v n="$n" '
      { s[NR] = $2; k[NR] = $3; v = $1 }
      END {
        m = int((NR + 1) / 2)
        printf "%-10s %10d %12.2f %14.0f %12.1f %7.2f-%-8.2f\n", v, n, s[m],
          (s[m] > 0 ? n / s[m] : 0), k[m] / 1024, s[1], s[NR] }'
  done
done
echo "cohort: $(nproc) cores; files in $work"
