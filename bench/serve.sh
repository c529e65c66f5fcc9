#!/usr/bin/env bash
# Service throughput: `POST /v1/evaluate` with the 60-outcome bench learner
# (engine/benches/learner-60.yaml as JSON), side by side in the same run with two bare axum
# handlers that only read the same body (service/examples/bare.rs):
# - "bare (serde)", the handler the issue's bar names: axum's `Json` extractor deserializing
#   the body into the engine's record type, and nothing else;
# - "bare (engine reader)": the body read as the service reads it (the engine's direct reader
#   and the record's validation), so that only the service's work beyond reading is between
#   the two.
# Then the evaluation again while the rulesets are reloaded every 200 ms, checking that no
# request fails. A third bare handler answers the service's own answer (its bytes, with no
# evaluation behind them): what carrying an answer of that size costs, apart from computing it.
# The runs take turns, in ROUNDS rounds of REQUESTS/ROUNDS requests each, so that a change in
# the host's speed (a fifth or more from minute to minute on a shared machine) falls on all of
# them alike; each round's ratios are taken against the bare handlers of that round.
# Prints, per run, the median over the rounds of requests/s, p50, p99 and the ratio to each
# bare handler, with the lowest and highest ratio to the serde one.
#
# Usage: bench/serve.sh          (REQUESTS=20000 ROUNDS=5 CONNECTIONS=16 TIME_LIMIT=60; BIN_DIR)
# Loopback only; each run is bounded by REQUESTS and by TIME_LIMIT seconds.
# Needs oha (`cargo install oha --locked`), curl and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
requests=${REQUESTS:-20000}
rounds=${ROUNDS:-5}
connections=${CONNECTIONS:-16}
limit=${TIME_LIMIT:-60}
# shellcheck source=bench/servers.sh
source bench/servers.sh
needs bench/serve.sh "oha: cargo install oha --locked" oha curl python3
work="target/bench-serve"
mkdir -p "$work"
# BIN_DIR=target/pgo/release measures the profile-guided builds of bench/pgo.sh instead (the
# service and the bare handler both).
servers "$work"

token="bench-$RANDOM$RANDOM"
# Per-request logs off: the run measures the service, not the terminal.
CREDITBANK_ADMIN_TOKEN="$token" RUST_LOG=warn "$bin" serve --addr 127.0.0.1:0 \
  >"$work/serve.out" 2>"$work/serve.log" &
serve_pid=$!
"$bare" >"$work/bare.out" 2>/dev/null &
bare_pid=$!
trap 'kill "$serve_pid" "$bare_pid" 2>/dev/null || true' EXIT

# The address each prints once bound.
address() {
  for _ in $(seq 100); do
    if grep -q "listening on" "$1"; then
      sed -n 's/^listening on //p' "$1" | head -1
      return
    fi
    sleep 0.1
  done
  echo "no address in $1" >&2
  exit 1
}
service=$(address "$work/serve.out")
baseline=$(address "$work/bare.out")

# The service's answer to the bench learner, for the bare handler that answers it.
curl -sf -X POST -H 'Content-Type: application/json' --data-binary "@$work/learner-60.json" \
  "$service/v1/evaluate" >"$work/answer.json"
"$bare" --answer "$work/answer.json" >"$work/bare-answer.out" 2>/dev/null &
bare_answer_pid=$!
trap 'kill "$serve_pid" "$bare_pid" "$bare_answer_pid" 2>/dev/null || true' EXIT
answering=$(address "$work/bare-answer.out")

# One oha run of N requests: writes its JSON summary to $work/NAME.json.
run() {
  local name=$1 url=$2 n=$3
  timeout "$limit" oha --no-tui --output-format json -n "$n" -c "$connections" \
    -m POST -T application/json -D "$work/learner-60.json" "$url" \
    >"$work/$name.json"
}

# Warm up both (connections, caches, the allocator).
oha --no-tui -n 2000 -c "$connections" -m POST -T application/json -D "$work/learner-60.json" \
  "$baseline/bare" >/dev/null
oha --no-tui -n 2000 -c "$connections" -m POST -T application/json -D "$work/learner-60.json" \
  "$baseline/bare-serde" >/dev/null
oha --no-tui -n 2000 -c "$connections" -m POST -T application/json -D "$work/learner-60.json" \
  "$answering/bare" >/dev/null
oha --no-tui -n 2000 -c "$connections" -m POST -T application/json -D "$work/learner-60.json" \
  "$service/v1/evaluate" >/dev/null

per_round=$((requests / rounds))
for round in $(seq "$rounds"); do
  run "bare-serde-$round" "$baseline/bare-serde" "$per_round"
  run "bare-$round" "$baseline/bare" "$per_round"
  run "bare-answer-$round" "$answering/bare" "$per_round"
  run "evaluate-$round" "$service/v1/evaluate" "$per_round"
  run "evaluate-none-$round" "$service/v1/evaluate?explain=none" "$per_round"
done

# Evaluation while the rulesets are reloaded every 200 ms.
: >"$work/reloads.txt"
(
  while true; do
    curl -s -o /dev/null -w '%{http_code}\n' -X POST -H "Authorization: Bearer $token" \
      "$service/v1/admin/reload" >>"$work/reloads.txt"
    sleep 0.2
  done
) &
reloader=$!
run evaluate-reloading "$service/v1/evaluate" "$requests"
kill "$reloader" 2>/dev/null || true
wait "$reloader" 2>/dev/null || true

python3 - "$work" "$rounds" <<'PY'
import json, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
def load(name):
    with open(f"{work}/{name}.json") as f:
        d = json.load(f)
    s = d["summary"]
    p = d["latencyPercentiles"]
    codes = d.get("statusCodeDistribution", {})
    errors = d.get("errorDistribution", {})
    ok = codes.get("200", 0)
    failed = sum(v for k, v in codes.items() if k != "200") + sum(errors.values())
    return s["requestsPerSec"], p["p50"] * 1000, p["p99"] * 1000, ok, failed
rows = [
    ("bare (serde): axum's Json extractor", "bare-serde"),
    ("bare (engine reader)", "bare"),
    ("bare, answering the answer's bytes", "bare-answer"),
    ("POST /v1/evaluate", "evaluate"),
    ("POST /v1/evaluate?explain=none", "evaluate-none"),
]
def rates(name):
    return [load(f"{name}-{r}")[0] for r in range(1, rounds + 1)]
serde, engine = rates("bare-serde"), rates("bare")
print(f"median of {rounds} rounds, the runs taking turns in each")
print(f"{'run':<38} {'requests/s':>10} {'p50 ms':>7} {'p99 ms':>7} {'of serde':>9} {'range':>10} {'of engine':>10} {'ok':>6} {'failed':>6}")
failed_any = False
for label, name in rows:
    runs = [load(f"{name}-{r}") for r in range(1, rounds + 1)]
    of_serde = [run[0] / b for run, b in zip(runs, serde)]
    of_engine = [run[0] / b for run, b in zip(runs, engine)]
    ok = sum(run[3] for run in runs)
    failed = sum(run[4] for run in runs)
    failed_any |= failed > 0
    median = lambda i: statistics.median(run[i] for run in runs)
    spread = f"{min(of_serde):.0%}-{max(of_serde):.0%}"
    print(f"{label:<38} {median(0):>10.0f} {median(1):>7.2f} {median(2):>7.2f} {statistics.median(of_serde):>8.0%} {spread:>10} {statistics.median(of_engine):>9.0%} {ok:>6} {failed:>6}")
rps, p50, p99, ok, failed = load("evaluate-reloading")
failed_any |= failed > 0
print(f"{'evaluate while reloading (one run)':<38} {rps:>10.0f} {p50:>7.2f} {p99:>7.2f} {'':>9} {'':>10} {'':>10} {ok:>6} {failed:>6}")
with open(f"{work}/reloads.txt") as f:
    codes = f.read().split()
bad = [c for c in codes if c != "200"]
print(f"reloads during the last run: {len(codes)}, not 200: {len(bad)}")
sys.exit(1 if failed_any or bad else 0)
PY
