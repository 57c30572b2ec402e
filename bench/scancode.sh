#!/usr/bin/env bash
# `ospo scan` against ScanCode toolkit (PyPI scancode-toolkit-mini 32.5 with pluggy<1.6) on the
# trees bench/scan.sh fetches: wall time, peak memory, and per-file licence agreement on the files
# where either tool finds a licence (bench/scancode_compare.py).
#
#   bench/scancode.sh                     # reuse 6.2.0 and invenio-rdm-records 36.0.0 sdists
#   bench/scancode.sh PATH...             # other trees
#   SCANCODE_KEEP=DIR bench/scancode.sh   # keep the JSON outputs in DIR (reused when present)
#
# ScanCode is slow (minutes per tree on 2 cores): it runs niced with one process (`-n 1`).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
target=${CARGO_TARGET_DIR:-$repo/target}
venv=$repo/.venv-scancode
trees=$target/bench-trees
keep=${SCANCODE_KEEP:-$target/scancode-out}
mkdir -p "$keep"

if [ ! -x "$venv/bin/scancode" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "scancode-toolkit-mini==32.5.*" "pluggy<1.6"
fi
cargo build --release -q -p ospo-cli
ospo=$target/release/ospo

if [ $# -eq 0 ]; then
    # the trees are fetched by bench/scan.sh (pip download of the sdists)
    [ -d "$trees/reuse-6.2.0" ] && [ -d "$trees/invenio-rdm-records-36.0.0" ] || {
        echo "run bench/scan.sh first: it fetches the trees into $trees" >&2
        exit 2
    }
    set -- "$trees/reuse-6.2.0" "$trees/invenio-rdm-records-36.0.0"
fi

for tree in "$@"; do
    name=$(basename "$tree")
    echo "$name"
    sc=$keep/$name.scancode.json
    if [ ! -s "$sc" ]; then
        /usr/bin/time -f "%e %M" -o "$keep/$name.scancode.time" \
            nice -n 19 "$venv/bin/scancode" -l -c --json-pp "$sc" -n 1 --quiet "$tree" || true
    fi
    read -r secs kib < <(tail -n 1 "$keep/$name.scancode.time")
    printf '  %-12s %8.2f s %6d MiB\n' "scancode" "$secs" $((kib / 1024))
    /usr/bin/time -f "%e %M" -o "$keep/$name.ospo.time" \
        "$ospo" scan "$tree" -f json --no-ignore >"$keep/$name.ospo.json" 2>/dev/null || true
    read -r secs kib < <(tail -n 1 "$keep/$name.ospo.time")
    printf '  %-12s %8.2f s %6d MiB\n' "ospo scan" "$secs" $((kib / 1024))
    python3 bench/scancode_compare.py "$sc" "$keep/$name.ospo.json" | sed 's/^/  /'
done
