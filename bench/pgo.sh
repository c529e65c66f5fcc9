#!/usr/bin/env bash
# A profile-guided build of `creditbank` (and of the bare handler `bench/serve.sh` compares the
# service with): the compiler lays out and inlines the hot paths (reading records, evaluating,
# writing reports) after a run of the real work instead of guessing. Measured on the 2-core
# bench machine it takes about a fifth off the processor time per learner of `batch`.
#
# Usage: bench/pgo.sh            -> target/pgo/release/creditbank, target/pgo/release/examples/bare
# Then:  BIN_DIR=target/pgo/release bench/cohort.sh 100000   (and the same for bench/serve.sh)
#
# Three steps:
# 1. an instrumented build (target/pgo-generate) that counts every branch it takes;
# 2. a training run of it: for each bundled ruleset a cohort of TRAIN_LEARNERS (20,000)
#    generated learners with seed 11 (the benches use seed 7, so they measure learners the
#    training never saw) through batch (NDJSON and CSV), stats and dry-run; the service
#    answering TRAIN_REQUESTS (3,000) of those learners, from every cohort alike, at each
#    level of explanation; and the bare handlers (instrumented too) reading the same
#    learners, so that the baselines of bench/serve.sh are as well optimised as the service;
# 3. a build that uses the merged counts (target/pgo).
#
# Needs llvm-profdata of the LLVM major version rustc is built with: rustup's llvm-tools
# component, or Debian's `llvm-N` package (N from `rustc -vV`), and python3 for the service's
# training requests. Takes two release builds: 17 minutes in all on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
learners=${TRAIN_LEARNERS:-20000}
requests=${TRAIN_REQUESTS:-3000}

major=$(rustc -vV | sed -n 's/^LLVM version: \([0-9]*\).*/\1/p')
host=$(rustc -vV | sed -n 's/^host: //p')
profdata=""
for candidate in "$(rustc --print sysroot)/lib/rustlib/$host/bin/llvm-profdata" \
  "$(command -v "llvm-profdata-$major" || true)" "/usr/lib/llvm-$major/bin/llvm-profdata"; do
  if [[ -n "$candidate" && -x "$candidate" ]]; then
    profdata=$candidate
    break
  fi
done
if [[ -z "$profdata" ]]; then
  echo "bench/pgo.sh needs llvm-profdata for LLVM $major:" >&2
  echo "  rustup component add llvm-tools, or apt-get install -y llvm-$major" >&2
  exit 2
fi
command -v python3 >/dev/null || {
  echo "bench/pgo.sh needs python3 (the service's training requests)" >&2
  exit 2
}

work="$PWD/target/pgo-work"
rm -rf "$work"
mkdir -p "$work/profiles"

echo "== 1/3 instrumented build"
RUSTFLAGS="-Cprofile-generate=$work/profiles" CARGO_TARGET_DIR=target/pgo-generate \
  cargo build --release --locked --quiet -p creditbank-cli
RUSTFLAGS="-Cprofile-generate=$work/profiles" CARGO_TARGET_DIR=target/pgo-generate \
  cargo build --release --locked --quiet -p creditbank-service --example bare
bin="target/pgo-generate/release/creditbank"
bare="target/pgo-generate/release/examples/bare"

echo "== 2/3 training run"
for ruleset in rulesets/*/*/; do
  ruleset=${ruleset%/}
  name=$(basename "$ruleset")
  cohort="$work/$name.ndjson"
  "$bin" gen-cohort --ruleset "$ruleset" --learners "$learners" --seed 11 --out "$cohort"
  "$bin" batch --cohort "$cohort" --ruleset "$ruleset" --out "$work/out.ndjson" --errors "$work/errors.txt"
  "$bin" batch --cohort "$cohort" --ruleset "$ruleset" --format csv --out "$work/out.csv" --errors "$work/errors.txt"
  "$bin" stats --cohort "$cohort" --ruleset "$ruleset" --format json --out "$work/stats.json" --errors "$work/errors.txt"
  mapfile -t versions < <(find "$ruleset" -maxdepth 1 -name '*.cbr' | sort)
  if ((${#versions[@]} >= 2)); then
    "$bin" dry-run --from "${versions[0]}" --to "${versions[-1]}" --cohort "$cohort" \
      --out "$work/dry.txt" --errors "$work/errors.txt"
  fi
  rm -f "$work/out.ndjson" "$work/out.csv"
done

# train NAME PATHS...: sends the training learners to the server that printed its address
# in $work/NAME.out, on each of PATHS (the learners are the first of each cohort, as many
# from each).
train() {
  local name=$1
  shift
  for _ in $(seq 100); do
    grep -q "listening on" "$work/$name.out" && break
    sleep 0.1
  done
  local address
  address=$(sed -n 's/^listening on http:\/\///p' "$work/$name.out" | head -1)
  python3 - "$address" "$requests" "$*" "$work"/*.ndjson <<'PY'
import http.client, itertools, sys
address, requests, paths, cohorts = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(), sys.argv[4:]
host, port = address.rsplit(":", 1)
connection = http.client.HTTPConnection(host, int(port))
# The first learners of each cohort, as many from each.
learners = []
for cohort in cohorts:
    with open(cohort, "rb") as f:
        learners += itertools.islice(f, requests // len(cohorts))
for path in paths:
    for body in learners:
        connection.request("POST", path, body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            sys.exit(f"{path} answered {response.status}")
PY
}

# SIGTERM: each server stops gracefully, and its counts are written as the process exits.
RUST_LOG=warn "$bin" serve --addr 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.log" &
serve_pid=$!
trap 'kill "$serve_pid" 2>/dev/null || true' EXIT
train serve /v1/evaluate "/v1/evaluate?explain=none" "/v1/evaluate?explain=full"
kill -TERM "$serve_pid"
wait "$serve_pid" || true
"$bare" >"$work/bare.out" 2>"$work/bare.log" &
bare_pid=$!
trap 'kill "$bare_pid" 2>/dev/null || true' EXIT
train bare /bare /bare-serde
kill -TERM "$bare_pid"
wait "$bare_pid" || true
trap - EXIT

"$profdata" merge -o "$work/merged.profdata" "$work/profiles"
# Cargo rebuilds a crate when RUSTFLAGS change, not when the file they name does: the counts
# are named by their hash, so that every crate is rebuilt with the new counts.
hash=$(sha256sum "$work/merged.profdata" | cut -c1-16)
counts="$work/merged-$hash.profdata"
mv "$work/merged.profdata" "$counts"

echo "== 3/3 optimised build"
RUSTFLAGS="-Cprofile-use=$counts" CARGO_TARGET_DIR=target/pgo \
  cargo build --release --locked --quiet -p creditbank-cli
RUSTFLAGS="-Cprofile-use=$counts" CARGO_TARGET_DIR=target/pgo \
  cargo build --release --locked --quiet -p creditbank-service --example bare
echo "built target/pgo/release/creditbank and target/pgo/release/examples/bare"
