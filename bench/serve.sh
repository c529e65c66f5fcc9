#!/usr/bin/env bash
# Service throughput: `POST /v1/evaluate` with the 60-outcome bench learner
# (engine/benches/learner-60.yaml as JSON), side by side in the same run with a bare axum
# handler that only reads the same body (service/examples/bare.rs), then the evaluation
# again while the rulesets are reloaded every 200 ms, checking that no request fails.
# A second bare handler answers the service's own answer (its bytes, with no evaluation
# behind them): what carrying an answer of that size costs, apart from computing it.
# Prints requests/s, p50 and p99 for each run and the ratio to the bare handler.
#
# Usage: bench/serve.sh                   (REQUESTS=20000 CONNECTIONS=16 TIME_LIMIT=60)
# Loopback only; each run is bounded by REQUESTS and by TIME_LIMIT seconds.
# Needs oha (`cargo install oha --locked`), curl and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
requests=${REQUESTS:-20000}
connections=${CONNECTIONS:-16}
limit=${TIME_LIMIT:-60}
for tool in oha curl python3; do
  command -v "$tool" >/dev/null || {
    echo "bench/serve.sh needs $tool (oha: cargo install oha --locked)" >&2
    exit 2
  }
done
work="target/bench-serve"
mkdir -p "$work"
cargo build --release --quiet -p creditbank-cli
cargo build --release --quiet -p creditbank-service --example bare
bin="target/release/creditbank"
bare="target/release/examples/bare"
"$bare" --json engine/benches/learner-60.yaml >"$work/learner-60.json"

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

# One oha run: writes its JSON summary to $work/NAME.json.
run() {
  local name=$1 url=$2
  timeout "$limit" oha --no-tui --output-format json -n "$requests" -c "$connections" \
    -m POST -T application/json -D "$work/learner-60.json" "$url" \
    >"$work/$name.json"
}

# Warm up both (connections, caches, the allocator).
oha --no-tui -n 2000 -c "$connections" -m POST -T application/json -D "$work/learner-60.json" \
  "$baseline/bare" >/dev/null
oha --no-tui -n 2000 -c "$connections" -m POST -T application/json -D "$work/learner-60.json" \
  "$answering/bare" >/dev/null
oha --no-tui -n 2000 -c "$connections" -m POST -T application/json -D "$work/learner-60.json" \
  "$service/v1/evaluate" >/dev/null

run bare "$baseline/bare"
run bare-answer "$answering/bare"
run evaluate "$service/v1/evaluate"
run evaluate-none "$service/v1/evaluate?explain=none"

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
run evaluate-reloading "$service/v1/evaluate"
kill "$reloader" 2>/dev/null || true
wait "$reloader" 2>/dev/null || true

python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
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
    ("bare handler (parse only)", "bare"),
    ("bare, answering the answer's bytes", "bare-answer"),
    ("POST /v1/evaluate", "evaluate"),
    ("POST /v1/evaluate?explain=none", "evaluate-none"),
    ("evaluate while reloading", "evaluate-reloading"),
]
bare_rps = load("bare")[0]
print(f"{'run':<34} {'requests/s':>11} {'p50 ms':>8} {'p99 ms':>8} {'of bare':>8} {'ok':>7} {'failed':>7}")
failed_any = False
for label, name in rows:
    rps, p50, p99, ok, failed = load(name)
    failed_any |= failed > 0
    print(f"{label:<34} {rps:>11.0f} {p50:>8.2f} {p99:>8.2f} {rps / bare_rps:>7.0%} {ok:>7} {failed:>7}")
with open(f"{work}/reloads.txt") as f:
    codes = f.read().split()
bad = [c for c in codes if c != "200"]
print(f"reloads during the last run: {len(codes)}, not 200: {len(bad)}")
sys.exit(1 if failed_any or bad else 0)
PY
