#!/usr/bin/env bash
# `ospo scan` against `reuse lint` (PyPI reuse 6.2.0) on real trees: wall time, peak memory, and
# per-file agreement of the REUSE verdict (files without licence, files without copyright).
# Reading every file with `cat` is the floor.
#
#   bench/scan.sh                 # this repository and three published trees
#   bench/scan.sh PATH...         # other trees
#
# The published trees come from PyPI with pip (sdists of reuse 6.2.0 and
# invenio-rdm-records 36.0.0, the indico 3.2.9 wheel unpacked) into $CARGO_TARGET_DIR/bench-trees.
# Both tools read every file (`--no-ignore`: reuse lint only honours .gitignore inside a git
# checkout, and these trees are not checkouts); this repository is scanned as a checkout.
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

# seconds and peak KiB of a command, its output to $2
measure() { # label outfile cmd...
    local label=$1 out=$2
    shift 2
    /usr/bin/time -f "%e %M" -o "$out.time" "$@" >"$out" 2>/dev/null || true
    # (time puts "Command exited with non-zero status" first when there are findings)
    read -r secs kib < <(tail -n 1 "$out.time")
    printf '  %-12s %7.2f s %8d MiB\n' "$label" "$secs" $((kib / 1024))
}

out=$(mktemp -d)
for tree in "$@"; do
    extra=(--no-ignore)
    [ "$tree" = "$repo" ] && extra=()
    files=$(find "$tree" -type f -not -path '*/.git/*' | wc -l)
    bytes=$(find "$tree" -type f -not -path '*/.git/*' -printf '%s\n' | awk '{s+=$1} END {print s}')
    echo "$(basename "$tree"): $files files, $((bytes / 1024 / 1024)) MiB"
    # warm the cache, then the floor
    find "$tree" -type f -not -path '*/.git/*' -print0 | xargs -0 cat >/dev/null
    measure "cat" "$out/cat" sh -c "find '$tree' -type f -not -path '*/.git/*' -print0 | xargs -0 cat"
    measure "ospo scan" "$out/ospo.json" "$ospo" scan "$tree" -f json "${extra[@]}"
    (cd "$tree" && measure "reuse lint" "$out/reuse.json" "$venv/bin/reuse" lint --json)
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
rm -rf "$out"
