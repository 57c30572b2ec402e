#!/usr/bin/env bash
# Seeds the scan_file corpus with real files: every file of up to 64 KiB under the trees given
# (by default the ones bench/scan.sh fetches), its first byte picking the name the fuzz target
# gives it (fuzz_targets/scan_file.rs), as the file's own name would.
#
#   fuzz/seed-scan.sh [TREE...]
set -euo pipefail
cd "$(dirname "$0")"
target=${CARGO_TARGET_DIR:-../target}
[ $# -gt 0 ] || set -- "$target"/bench-trees/*
mkdir -p corpus/scan_file
python3 - "$@" <<'PY'
import hashlib, os, sys
names = ["main.py", "bundle.js", "bundle.js.map", "font.ttf", "font.otf", "Cargo.toml",
         "package.json", "pyproject.toml", "setup.cfg", "setup.py", "DESCRIPTION",
         "demo.gemspec", "pom.xml", "LICENSE", "COPYING", "README.md"]
def pick(name):
    n = name.lower()
    for i, want in enumerate(names):
        if n == want.lower() or (want.startswith(("bundle", "font", "demo")) and n.endswith(want.split(".", 1)[1])):
            return i
    if n.startswith("license") or n.startswith("licence"): return 13
    if n.startswith("readme"): return 15
    return 0
count = 0
for tree in sys.argv[1:]:
    for root, _, files in os.walk(tree):
        for f in files:
            p = os.path.join(root, f)
            if os.path.islink(p) or os.path.getsize(p) > 65536:
                continue
            data = bytes([pick(f)]) + open(p, "rb").read()
            out = "corpus/scan_file/" + hashlib.sha1(data).hexdigest()
            if not os.path.exists(out):
                open(out, "wb").write(data); count += 1
print(f"{count} seeds in corpus/scan_file")
PY
