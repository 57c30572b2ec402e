#!/usr/bin/env bash
# Builds the ospo wheel (maturin, release), installs it into a fresh virtual environment and runs
# the Python tests (pytest) and the stub check (mypy.stubtest) against it. Idempotent: the tools
# venv (.venv) is reused, the test venv is made anew each run. scripts/test.sh calls it.
#   PYTHON=python3.9 scripts/python.sh    # another interpreter (CPython >= 3.9)
#   OSPO_WHEEL_PROFILE=dev scripts/python.sh   # a debug wheel (target/wheels/dev): scripts/test.sh
#                                              # uses it to reuse the workspace's debug build
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
TOOLS=.venv
TESTENV=.venv/ospo-test
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
PROFILE="${OSPO_WHEEL_PROFILE:-release}"
WHEELS="$CARGO_TARGET_DIR/wheels"
[ "$PROFILE" = release ] || WHEELS="$WHEELS/$PROFILE"
REQUIREMENTS=("maturin>=1.9.4,<2" "pytest>=8" "mypy>=1.10")

step() { printf '\n==> %s\n' "$*"; }

step "Python tools in $TOOLS (maturin, pytest, mypy from PyPI)"
[ -x "$TOOLS/bin/python" ] || "$PYTHON" -m venv "$TOOLS"
stamp="$TOOLS/.ospo-tools"
if [ "$(cat "$stamp" 2>/dev/null)" != "${REQUIREMENTS[*]}" ]; then
  "$TOOLS/bin/python" -m pip install -q --disable-pip-version-check "${REQUIREMENTS[@]}"
  echo "${REQUIREMENTS[*]}" >"$stamp"
fi
"$TOOLS/bin/python" --version
"$TOOLS/bin/maturin" --version

step "wheel (maturin build --profile $PROFILE, target $CARGO_TARGET_DIR)"
rm -f "$WHEELS"/ospo-*.whl
"$TOOLS/bin/maturin" build --profile "$PROFILE" --locked --quiet \
  --manifest-path crates/ospo-py/Cargo.toml --interpreter "$TOOLS/bin/python" --out "$WHEELS"
wheel="$(ls "$WHEELS"/ospo-*.whl)"
echo "$wheel ($(du -h "$wheel" | cut -f1))"

step "fresh test venv $TESTENV with the wheel, pytest and mypy"
rm -rf "$TESTENV"
"$TOOLS/bin/python" -m venv "$TESTENV"
"$TESTENV/bin/python" -m pip install -q --disable-pip-version-check "$wheel" "pytest>=8" "mypy>=1.10"

# The tests compare verdicts with the ospo command and run `ospo serve`: build it when missing.
if [ -z "${OSPO_BIN:-}" ]; then
  export OSPO_BIN="$CARGO_TARGET_DIR/debug/ospo"
  [ -x "$OSPO_BIN" ] || cargo build --workspace --bins --locked
fi

step "pytest tests/python (against the installed wheel)"
set +e
# -p no:cacheprovider: no .pytest_cache in the tree; the tests import ospo from the venv only.
(cd tests/python && OSPO_REPO="$PWD/../.." "../../$TESTENV/bin/python" -m pytest -p no:cacheprovider -q .)
tests=$?

step "stubs (mypy.stubtest against the installed package)"
"$TESTENV/bin/python" -m mypy.stubtest ospo --allowlist tests/python/stubtest-allowlist.txt
stubs=$?
set -e
[ "$tests" -eq 0 ] && [ "$stubs" -eq 0 ]
