#!/usr/bin/env bash
# Installs what the tests need and runs all of them: formatting, lints, unit, property,
# end-to-end and snapshot tests. The README's second Quick start command; .ci/run calls it.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
export CARGO_INCREMENTAL=0
export CARGO_PROFILE_DEV_DEBUG="${CARGO_PROFILE_DEV_DEBUG:-line-tables-only}"
# insta: never write snapshots in a test run; a changed output fails.
export INSTA_UPDATE=no

step() { printf '\n==> [%dm%02ds] %s\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*"; }

step "toolchain"
rustup component add rustfmt clippy >/dev/null 2>&1 || true
cargo --version

step "PostgreSQL (installed from Debian's packages if missing)"
OSPO_TEST_POSTGRES="$(./scripts/postgres.sh)"
export OSPO_TEST_POSTGRES
echo "test server: ${OSPO_TEST_POSTGRES%%\?*}" | sed 's/:[^:@]*@/:***@/'
# Each test creates its own database (ospo_t_PID_N, ospo_e2e_PID_N) and leaves it for a look
# after a failure; drop those of earlier runs, so that a reused machine does not pile them up.
# Best effort: a database that autovacuum is working on cannot be dropped by the test role at
# that moment, and is left for the next run rather than failing this one.
psql "$OSPO_TEST_POSTGRES" -qtAc "SELECT datname FROM pg_database WHERE datname ~ '^ospo_(t|e2e)_[0-9]+_[0-9]+$'" |
  while read -r db; do
    psql "$OSPO_TEST_POSTGRES" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" 2>/dev/null ||
      echo "left $db (in use by another role), for the next run to drop"
  done

step "Chromium and playwright-core for the browser tests"
if ! command -v chromium >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi
chromium --version
npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error

step "WebAssembly: the engine for the in-browser licence checker (scripts/wasm.sh)"
./scripts/wasm.sh
cargo clippy --locked -p ospo-wasm --target wasm32-unknown-unknown -- -D warnings

step "format"
cargo fmt --all -- --check

step "lints"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "build binaries for the end-to-end tests"
cargo build --workspace --bins --locked

step "tests"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
cargo test --workspace --locked --no-fail-fast --lib --bins --tests 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
step "browser tests (headless Chromium) and the engine in WebAssembly against the native one"
OSPO_BIN="$PWD/target/debug/ospo" node --test tests/browser/ crates/ospo-wasm/tests/ 2>&1 | tee -a "$log"
browser=${PIPESTATUS[0]}
step "Python: the wheel in a fresh venv, pytest and mypy.stubtest (scripts/python.sh)"
OSPO_WHEEL_PROFILE=dev OSPO_BIN="$PWD/target/debug/ospo" ./scripts/python.sh 2>&1 | tee -a "$log"
python=${PIPESTATUS[0]}
step "SPDX and CycloneDX outputs of ospo scan, validated by their reference tools (scripts/sbom-check.sh)"
OSPO_BIN="$PWD/target/debug/ospo" ./scripts/sbom-check.sh 2>&1 | tee -a "$log"
sbom=${PIPESTATUS[0]}
step "the JSON API against its OpenAPI document (schemathesis)"
./scripts/api-check.sh
api=$?
set -e
# One closing line for the whole run: the sum over every cargo test binary, node's runner and pytest.
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     /^# pass / { p += $3 } /^# fail / { f += $3 }
     /^(=+ )?[0-9]+ (passed|failed|errors?)(,.*)? in [0-9.]+s/ { for (i = 2; i <= NF; i++) { if ($i ~ /^passed/) p += $(i-1); if ($i ~ /^(failed|errors?)/) f += $(i-1) } }
     END { printf "\ntests: %d passed, %d failed\n", p, f }' "$log"
echo "time: $((SECONDS / 60)) min $((SECONDS % 60)) s"
[ "$status" -eq 0 ] && [ "$browser" -eq 0 ] && [ "$python" -eq 0 ] && [ "$api" -eq 0 ] && [ "$sbom" -eq 0 ]
