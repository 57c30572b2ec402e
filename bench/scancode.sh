#!/usr/bin/env bash
# `ospo scan` against ScanCode toolkit (PyPI scancode-toolkit-mini 32.5 with pluggy<1.6) on the
# trees bench/scan.sh fetches: wall time, peak memory, and per-file licence agreement on the files
# where either tool finds a licence (bench/scancode_compare.py). provenant (a Rust port of
# ScanCode), when installed (PATH or .tools-bench/bin), is compared with ScanCode the same way.
#
#   bench/scancode.sh                     # reuse 6.2.0, invenio-rdm-records 36.0.0, indico 3.2.9
#   bench/scancode.sh PATH...             # other trees
#   SCANCODE_KEEP=DIR bench/scancode.sh   # keep the JSON outputs in DIR (reused when present)
#
# ScanCode is slow (minutes per tree on 2 cores, about 40 min of CPU for indico): it runs niced
# with one process (`-n 1`) and a long per-file timeout (`--timeout 1200`: with the default 120 s a
# loaded machine leaves files unscanned); on a shared machine its CPU time says more than its wall
# time.
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
provenant=$(command -v provenant || { [ -x "$repo/.tools-bench/bin/provenant" ] && echo "$repo/.tools-bench/bin/provenant"; } || true)

if [ $# -eq 0 ]; then
    # the trees are fetched by bench/scan.sh (pip download of the sdists)
    for t in reuse-6.2.0 invenio-rdm-records-36.0.0 indico-3.2.9; do
        [ -d "$trees/$t" ] || {
            echo "run bench/scan.sh first: it fetches the trees into $trees" >&2
            exit 2
        }
    done
    set -- "$trees/reuse-6.2.0" "$trees/invenio-rdm-records-36.0.0" "$trees/indico-3.2.9"
fi

# wall seconds, CPU seconds (user + system) and peak MiB from a /usr/bin/time file
report() { # label file
    local wall user sys kib
    read -r wall user sys kib < <(tail -n 1 "$2")
    if [ -z "$kib" ]; then # an older "%e %M" file
        kib=$user
        user=0 sys=0
    fi
    printf '  %-12s %8.2f s wall %8.2f s CPU %6d MiB\n' "$1" "$wall" \
        "$(echo "$user + $sys" | bc)" $((kib / 1024))
}

for tree in "$@"; do
    name=$(basename "$tree")
    echo "$name"
    sc=$keep/$name.scancode.json
    if [ ! -s "$sc" ]; then
        /usr/bin/time -f "%e %U %S %M" -o "$keep/$name.scancode.time" \
            nice -n 15 "$venv/bin/scancode" -l -c --json-pp "$sc" -n 1 --timeout 1200 --quiet \
            "$tree" || true
    fi
    report scancode "$keep/$name.scancode.time"
    /usr/bin/time -f "%e %U %S %M" -o "$keep/$name.ospo.time" \
        "$ospo" scan "$tree" -f json --no-ignore >"$keep/$name.ospo.json" 2>/dev/null || true
    report "ospo scan" "$keep/$name.ospo.time"
    python3 bench/scancode_compare.py "$sc" "$keep/$name.ospo.json" --list --judged bench/scancode-judged.tsv | sed 's/^/  /'
    if [ -n "$provenant" ]; then
        pv=$keep/$name.provenant.json
        # provenant 1.x, from the tree's parent: paths read ROOT/rest, as ScanCode's do
        (cd "$(dirname "$tree")" && /usr/bin/time -f "%e %U %S %M" -o "$keep/$name.provenant.time" \
            "$provenant" scan --json "$pv" -l -c -q "$(basename "$tree")" >/dev/null 2>&1 || true)
        report provenant "$keep/$name.provenant.time"
        python3 bench/scancode_compare.py "$sc" "$pv" | sed 's/^/  provenant: /'
    fi
done
