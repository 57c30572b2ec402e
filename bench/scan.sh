#!/usr/bin/env bash
# `ospo scan` against the tools people use to scan a source tree, on the same trees in the same
# run: `reuse lint` (PyPI reuse 6.2.0), askalono (`askalono crawl`, crates.io askalono-cli) and
# provenant (crates.io provenant-cli, a Rust port of ScanCode, ScanCode-like JSON). Wall time and
# peak memory of each from /usr/bin/time, and their ratios to `ospo scan`; reading every file
# with `cat` is the floor. Also the per-file agreement of the REUSE verdict with `reuse lint`
# (files without licence, files without copyright). ScanCode itself: bench/scancode.sh.
#
#   bench/scan.sh                 # this repository and three published trees
#   bench/scan.sh PATH...         # other trees
#
# The published trees come from PyPI with pip (sdists of reuse 6.2.0 and
# invenio-rdm-records 36.0.0, the indico 3.2.9 wheel unpacked: PyPI has no indico 3.2.9 sdist)
# into $CARGO_TARGET_DIR/bench-trees. Every tool reads every file (`--no-ignore`: reuse lint only
# honours .gitignore inside a git checkout, and these trees are not checkouts); this repository
# is scanned as a checkout.
#
# askalono and provenant are looked up on PATH, then in .tools-bench/bin (install them with
# `cargo install --locked askalono-cli provenant-cli --root .tools-bench`); a tool that is not
# installed is skipped with a note. BENCH_OUT=DIR keeps every tool's output in DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
target=${CARGO_TARGET_DIR:-$repo/target}
venv=$repo/.venv-bench

cargo build --release -q -p ospo-cli
ospo=$target/release/ospo
if [ ! -x "$venv/bin/reuse" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "reuse==6.2.0"
fi

trees=$target/bench-trees
mkdir -p "$trees"
fetch() { # name spec kind(sdist|wheel)
    local dir=$trees/$1
    [ -d "$dir" ] && return
    local tmp
    tmp=$(mktemp -d)
    if [ "$3" = sdist ]; then
        "$venv/bin/pip" download -q --no-deps --no-binary :all: -d "$tmp" "$2"
        mkdir -p "$dir" && tar -xzf "$tmp"/*.tar.gz -C "$dir" --strip-components=1
    else
        "$venv/bin/pip" download -q --no-deps --only-binary :all: -d "$tmp" "$2"
        mkdir -p "$dir" && python3 -m zipfile -e "$tmp"/*.whl "$dir"
    fi
    rm -rf "$tmp"
}

if [ $# -eq 0 ]; then
    fetch reuse-6.2.0 reuse==6.2.0 sdist
    fetch invenio-rdm-records-36.0.0 invenio-rdm-records==36.0.0 sdist
    fetch indico-3.2.9 indico==3.2.9 wheel
    set -- "$repo" "$trees/reuse-6.2.0" "$trees/invenio-rdm-records-36.0.0" "$trees/indico-3.2.9"
fi

tool() { # name: the path of an installed tool, or nothing
    command -v "$1" 2>/dev/null || { [ -x "$repo/.tools-bench/bin/$1" ] && echo "$repo/.tools-bench/bin/$1"; } || true
}
askalono=$(tool askalono)
provenant=$(tool provenant)
[ -n "$askalono" ] || echo "askalono not installed (cargo install --locked askalono-cli --root .tools-bench): skipped"
[ -n "$provenant" ] || echo "provenant not installed (cargo install --locked provenant-cli --root .tools-bench): skipped"

# seconds and peak KiB of a command, its output to $2; the seconds are kept in secs[label]
declare -A secs
measure() { # label outfile cmd...
    local label=$1 out=$2 s kib
    shift 2
    /usr/bin/time -f "%e %M" -o "$out.time" "$@" >"$out" 2>"$out.err" || true
    # (time puts "Command exited with non-zero status" first when there are findings)
    read -r s kib < <(tail -n 1 "$out.time")
    secs[$label]=$s
    printf '  %-14s %7.2f s %8d MiB\n' "$label" "$s" $((kib / 1024))
}
ratio() { # a b: a / b, one decimal
    awk -v a="${secs[$1]}" -v b="${secs[$2]}" 'BEGIN { if (b > 0) printf "%.1f", a / b; else printf "-" }'
}

out=${BENCH_OUT:-$(mktemp -d)}
mkdir -p "$out"
out=$(realpath "$out")
for tree in "$@"; do
    extra=(--no-ignore)
    [ "$tree" = "$repo" ] && extra=()
    files=$(find "$tree" -type f -not -path '*/.git/*' | wc -l)
    bytes=$(find "$tree" -type f -not -path '*/.git/*' -printf '%s\n' | awk '{s+=$1} END {print s}')
    echo "$(basename "$tree"): $files files, $((bytes / 1024 / 1024)) MiB"
    secs=()
    # warm the cache, then the floor
    find "$tree" -type f -not -path '*/.git/*' -print0 | xargs -0 cat >/dev/null
    measure "cat" "$out/cat" sh -c "find '$tree' -type f -not -path '*/.git/*' -print0 | xargs -0 cat"
    measure "ospo scan" "$out/ospo.json" "$ospo" scan "$tree" -f json "${extra[@]}"
    (cd "$tree" && measure "reuse lint" "$out/reuse.json" "$venv/bin/reuse" lint --json)
    secs["reuse lint"]=$(tail -n 1 "$out/reuse.json.time" | cut -d' ' -f1)
    # askalono reads every file (`--glob '**/*'`; by default only files named like licences)
    [ -n "$askalono" ] && measure "askalono crawl" "$out/askalono.txt" \
        "$askalono" crawl --glob '**/*' "$tree"
    # provenant (1.x): licences and copyrights, as `scancode -l -c`, all cores; run from the
    # tree's parent so that its paths read ROOT/rest, as ScanCode's do. Its first run builds a
    # licence index cache (about 40 s), kept for later runs: a warm-up run comes first.
    if [ -n "$provenant" ]; then
        (cd "$(dirname "$tree")" && "$provenant" scan --json /dev/null -l -c -q "$(basename "$tree")" >/dev/null 2>&1 || true)
        (cd "$(dirname "$tree")" && measure "provenant" "$out/provenant.log" \
            "$provenant" scan --json "$out/provenant.json" -l -c -q "$(basename "$tree")")
        secs["provenant"]=$(tail -n 1 "$out/provenant.log.time" | cut -d' ' -f1)
    fi
    line="  ratios to ospo scan: ospo/cat $(ratio "ospo scan" cat)x, reuse lint $(ratio "reuse lint" "ospo scan")x"
    [ -n "$askalono" ] && line+=", askalono $(ratio "askalono crawl" "ospo scan")x"
    [ -n "$provenant" ] && line+=", provenant $(ratio provenant "ospo scan")x"
    echo "$line"
    python3 - "$out/reuse.json" "$out/ospo.json" "$tree" <<'EOF'
import json, os, sys
r = json.load(open(sys.argv[1])); o = json.load(open(sys.argv[2]))
root = os.path.realpath(sys.argv[3]) + "/"
nc = r["non_compliant"]
rel = lambda p: p[len(root):] if p.startswith(root) else p
for label, theirs, ours in [
    ("without licence", nc.get("missing_licensing_info") or [], o["reuse"]["missing_licence"]),
    ("without copyright", nc.get("missing_copyright_info") or [], o["reuse"]["missing_copyright"]),
]:
    a, b = set(map(rel, theirs)), set(ours)
    print(f"  {label}: reuse {len(a)}, ospo {len(b)}, both {len(a & b)}"
          + (f"; only reuse: {sorted(a - b)[:3]}" if a - b else "")
          + (f"; only ospo: {sorted(b - a)[:3]}" if b - a else ""))
print(f"  compliant: reuse {r['summary']['compliant']}, ospo {o['reuse']['compliant']}")
EOF
done
[ -n "${BENCH_OUT:-}" ] || rm -rf "$out"
