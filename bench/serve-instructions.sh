#!/usr/bin/env bash
# Instructions per request of `POST /v1/evaluate` (the 60-outcome bench learner) and of the
# two bare handlers of bench/serve.sh (axum's `Json` extractor; the engine's direct reader),
# counted by valgrind (callgrind) in each server's process:
# the user-space work of a request, which does not move with the host's load as requests/s do.
# The service's is split into reading the record, evaluating it, writing the answer, and the
# rest (HTTP, the layers, the handler's own work).
#
# Each server runs under callgrind; after REQUESTS/10 requests to warm it up, the counters are
# dumped and zeroed, then REQUESTS requests are sent and the counters dumped again: that
# second dump, divided by REQUESTS, is the figure. Kernel time (the sockets) and the load
# generator's work are not counted: bench/serve.sh measures the whole.
#
# Usage: bench/serve-instructions.sh     (REQUESTS=2000 EXPLAIN=reasons; BIN_DIR)
# Needs valgrind and oha; about a minute and a half per server.
set -euo pipefail
cd "$(dirname "$0")/.."
requests=${REQUESTS:-2000}
explain=${EXPLAIN:-reasons}
# shellcheck source=bench/servers.sh
source bench/servers.sh
needs bench/serve-instructions.sh "valgrind; oha: cargo install oha --locked" \
  valgrind callgrind_control callgrind_annotate oha
work="target/bench-serve-instructions"
rm -rf "$work"
mkdir -p "$work"
servers "$work"

pid=""
trap '[[ -n "$pid" ]] && kill -9 "$pid" 2>/dev/null || true' EXIT

# Runs one server under callgrind (`$1`: its name; the rest: its command line), sends the
# requests to the route `$route`, and leaves the counts of the measured requests in
# $work/$1.out.2.
measure() {
  local name=$1
  shift
  valgrind --tool=callgrind --callgrind-out-file="$work/$name.out" "$@" \
    >"$work/$name.addr" 2>"$work/$name.err" &
  pid=$!
  for _ in $(seq 600); do
    grep -q "listening on" "$work/$name.addr" 2>/dev/null && break
    sleep 0.2
  done
  local url
  url="$(sed -n 's/^listening on //p' "$work/$name.addr")$route"
  oha --no-tui -n "$((requests / 10))" -c 4 -m POST -T application/json \
    -D "$work/learner-60.json" "$url" >/dev/null
  callgrind_control -d "$pid" >/dev/null 2>&1
  oha --no-tui -n "$requests" -c 4 -m POST -T application/json \
    -D "$work/learner-60.json" "$url" >"$work/$name.oha"
  grep -q "Success rate:.*100.00%" "$work/$name.oha" || {
    echo "$name: not every request succeeded" >&2
    cat "$work/$name.oha" >&2
    exit 1
  }
  callgrind_control -d "$pid" >/dev/null 2>&1
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=""
}

route=/bare measure bare "$bare"
route=/bare-serde measure bare-serde "$bare"
route="/v1/evaluate?explain=$explain" CREDITBANK_ADMIN_TOKEN=bench RUST_LOG=warn \
  measure service "$bin" serve --addr 127.0.0.1:0

# Inclusive instructions of the function `$2` in a dump: its largest entry (the function
# whole; the others are the parts inlined from other files).
inclusive() {
  callgrind_annotate --inclusive=yes "$1" 2>/dev/null |
    grep -E ":$2( \[.*)?\$" | awk 'NR == 1 { gsub(",", "", $1); print $1 }'
}
total() { grep -m1 "^summary:" "$1" | awk '{ print $2 }'; }

bare_total=$(total "$work/bare.out.2")
serde_total=$(total "$work/bare-serde.out.2")
service_total=$(total "$work/service.out.2")
read_record=$(inclusive "$work/service.out.2" 'creditbank_engine::record::parse::from_json')
evaluated=$(inclusive "$work/service.out.2" 'creditbank_engine::evaluate::evaluate')
decided=$(inclusive "$work/service.out.2" 'creditbank_service::routes::evaluate::<impl creditbank_service::app::Shared>::decide')
per() { echo $(($1 / requests)); }
printf 'instructions per request (user space, %d requests, explain=%s)\n' "$requests" "$explain"
printf '%-44s %10d\n' "bare handler, axum's Json extractor (serde)" "$(per "$serde_total")"
printf '%-44s %10d\n' "bare handler, the engine's reader" "$(per "$bare_total")"
printf '%-44s %10d\n' "POST /v1/evaluate" "$(per "$service_total")"
printf '%-44s %10d\n' "  reading the record" "$(per "$read_record")"
printf '%-44s %10d\n' "  evaluating" "$(per "$evaluated")"
printf '%-44s %10d\n' "  writing the answer (and the decision id)" "$(per $((decided - evaluated)))"
printf '%-44s %10d\n' "  the rest (HTTP, layers, handler)" \
  "$(per $((service_total - read_record - decided)))"
printf '%-44s %10.2f\n' "service / bare (serde)" "$(echo "$service_total / $serde_total" | bc -l)"
printf '%-44s %10.2f\n' "service / bare (the engine's reader)" "$(echo "$service_total / $bare_total" | bc -l)"
