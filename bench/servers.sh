# What bench/serve.sh and bench/serve-instructions.sh share (sourced, not run): checking for
# the tools a script needs, and building the two servers they measure.

# needs SCRIPT HINT TOOL...: stops with exit 2, naming the script, the tool and HINT (how to
# install it), when a tool is missing.
needs() {
  local script=$1 hint=$2
  shift 2
  for tool in "$@"; do
    command -v "$tool" >/dev/null || {
      echo "$script needs $tool ($hint)" >&2
      exit 2
    }
  done
}

# servers WORK: builds the service and the bare handler (unless BIN_DIR names a build of them,
# such as target/pgo/release from bench/pgo.sh), sets `bin` and `bare` to their paths, and
# writes the bench learner as one JSON line to WORK/learner-60.json.
servers() {
  if [[ -z "${BIN_DIR:-}" ]]; then
    cargo build --release --quiet -p creditbank-cli
    cargo build --release --quiet -p creditbank-service --example bare
  fi
  bin="${BIN_DIR:-target/release}/creditbank"
  bare="${BIN_DIR:-target/release}/examples/bare"
  "$bare" --json engine/benches/learner-60.yaml >"$1/learner-60.json"
}
