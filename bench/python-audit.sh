#!/usr/bin/env bash
# Python environment licence audit: ospo (`python -m ospo audit`) against pip-licenses and
# liccheck on the environment of `pip install uproot awkward iminuit matplotlib`: wall time, and
# where each tool's answer differs from ospo's and who is right. Figures: docs/python.md.
#
# Environment:
#   WHEEL     the ospo wheel to install (default: the newest in $CARGO_TARGET_DIR/wheels or
#             target/wheels; build one with scripts/python.sh)
#   RUNS      runs per tool, the median is reported (default 5)
#   OUTBOUND  the outbound licence (default Apache-2.0)
#   USE       the use (default dynamic-link)
#   OUT_DIR   where outputs and the report go (default target/bench/python-audit)
#   PYTHON    interpreter for the audited venv (default python3)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PYTHON="${PYTHON:-python3}"
RUNS="${RUNS:-5}"
OUTBOUND="${OUTBOUND:-Apache-2.0}"
USE="${USE:-dynamic-link}"
OUT_DIR="${OUT_DIR:-$ROOT/target/bench/python-audit}"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
WHEEL="${WHEEL:-$(ls -t "$TARGET"/wheels/ospo-*.whl 2>/dev/null | head -1)}"
[ -n "$WHEEL" ] && [ -f "$WHEEL" ] || { echo "no ospo wheel: run scripts/python.sh or set WHEEL" >&2; exit 2; }

# The audited environment: the four packages of the issue plus scipy, pinned to the versions
# recorded in ../shared/data/python-env/ (their dependencies resolve to the same versions there).
ENV="$ROOT/.venv-bench/audit-env"
PACKAGES=("uproot==5.7.7" "awkward==2.14.0" "iminuit==2.33.0" "matplotlib==3.11.2" "scipy==1.17.1")
TOOLS=("pip-licenses==5.5.5" "liccheck==0.9.2")
mkdir -p "$OUT_DIR"
[ -x "$ENV/bin/python" ] || "$PYTHON" -m venv "$ENV"
"$ENV/bin/pip" install -q --disable-pip-version-check "${PACKAGES[@]}"
# What the audit covers: the environment before the tools are added.
"$ENV/bin/pip" freeze --all --exclude-editable | grep -v -i -E '^(ospo|pip-licenses|liccheck|prettytable|wcwidth|semantic.version|toml)( @|==)' \
  >"$OUT_DIR/requirements.txt"
"$ENV/bin/pip" install -q --disable-pip-version-check "${TOOLS[@]}"
"$ENV/bin/pip" install -q --disable-pip-version-check --force-reinstall --no-deps "$WHEEL"

"$ENV/bin/python" "$ROOT/bench/python_audit.py" --requirements "$OUT_DIR/requirements.txt" \
  --outbound "$OUTBOUND" --use "$USE" --runs "$RUNS" --out "$OUT_DIR"
