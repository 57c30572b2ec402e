#!/usr/bin/env bash
# Parsing speed and acceptance of ospo's inventory readers against the Python SBOM libraries
# (spdx-tools 0.8.5, cyclonedx-python-lib 11.12.0, from PyPI into .venv-bench-inventory), on the
# same files in the same run:
#   1. the shared SBOM corpus ($OSPO_SHARED_DATA/sboms, default ../shared/data/sboms);
#   2. that corpus plus the lockfile fixtures (crates/ospo-catalogue/tests/fixtures/lockfiles),
#      which only ospo reads.
#
#   bench/inventory-parse.sh            # ROUNDS=5 rounds of ospo (best and median reported)
#   SKIP_TAG_VALUE_OVER=0 bench/inventory-parse.sh   # offer the big tag-value files too (slow)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
sboms=${OSPO_SHARED_DATA:-$repo/../shared/data}/sboms
[ -d "$sboms" ] || sboms=$repo/../../shared/data/sboms
fixtures=$repo/crates/ospo-catalogue/tests/fixtures/lockfiles
venv=$repo/.venv-bench-inventory
rounds=${ROUNDS:-5}

cargo build --release -q -p ospo-catalogue --example inventory_parse
target=${CARGO_TARGET_DIR:-$repo/target}
ospo=$target/release/examples/inventory_parse
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "spdx-tools==0.8.5" "cyclonedx-python-lib==11.12.0"
fi

echo "ospo, SBOM corpus ($sboms):"
"$ospo" "$sboms" --rounds "$rounds" | tee /tmp/ospo-inventory-sboms.json
echo "ospo, SBOM corpus + lockfile fixtures:"
"$ospo" "$sboms" "$fixtures" --rounds "$rounds" | tee /tmp/ospo-inventory-all.json
echo "spdx-tools + cyclonedx-python-lib, SBOM corpus:"
# spdx-tools' tag-value parser takes many minutes on files over a megabyte: leave out
# tag-value files over SKIP_TAG_VALUE_OVER bytes (200 kB unless set; 0 offers every file).
SKIP_TAG_VALUE_OVER=${SKIP_TAG_VALUE_OVER:-200000} PROGRESS=/tmp/python-inventory-files.jsonl \
    "$venv/bin/python" bench/inventory_parse.py "$sboms" | tee /tmp/python-inventory-sboms.json

# ospo on exactly the files the Python libraries were offered.
same=$(mktemp -d)
python3 -c "
import json, os, sys
for i, line in enumerate(open('/tmp/python-inventory-files.jsonl')):
    f = json.loads(line)['file']
    os.symlink(f, os.path.join(sys.argv[1], '%03d-%s' % (i, os.path.basename(f))))
" "$same"
echo "ospo, the files offered to the Python libraries:"
/usr/bin/time -f "%U s user CPU" "$ospo" "$same" --rounds "$rounds" | tee /tmp/ospo-inventory-same.json
rm -rf "$same"

python3 - <<'PY'
import json, statistics
o = json.load(open("/tmp/ospo-inventory-sboms.json"))
a = json.load(open("/tmp/ospo-inventory-all.json"))
p = json.load(open("/tmp/python-inventory-sboms.json"))
best, median = min(o["seconds"]), statistics.median(o["seconds"])
print()
print("| tool | files | accepted | components | parse s (best / median) | ratio |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
acc = o["accepted"] + o["accepted_with_warnings"]
print(f"| ospo, SBOM corpus | {o['files']} | {acc} ({o['accepted_with_warnings']} with warnings) | {o['components']:,} | {best:.3f} / {median:.3f} | - |")
acc_a = a["accepted"] + a["accepted_with_warnings"]
print(f"| ospo, corpus + lockfiles | {a['files']} | {acc_a} | {a['components']:,} | {min(a['seconds']):.3f} / {statistics.median(a['seconds']):.3f} | - |")
offered = sum(p["offered"].values()); accepted = sum(p["accepted"].values())
print(f"(the Python libraries were not offered {len(p['skipped'])} large tag-value files)")
m = json.load(open("/tmp/ospo-inventory-same.json"))
print(f"| ospo, the same files as Python | {m['files']} | {m['accepted'] + m['accepted_with_warnings']} | {m['components']:,} | {min(m['seconds']):.3f} / {statistics.median(m['seconds']):.3f} | 1 |")
median = statistics.median(m["seconds"])
print(f"| spdx-tools + cyclonedx-python-lib, SBOM corpus | {offered} offered | {accepted} | {p['components']:,} | {p['seconds']:.3f} | {p['seconds'] / median:.0f}x slower |")
print("ospo refused:", o["refused"])
print("python offered/accepted by kind:", p["offered"], p["accepted"])
PY
