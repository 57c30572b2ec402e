#!/usr/bin/env bash
# Validates the SPDX 2.3 and CycloneDX 1.6 documents of `ospo scan` with the reference tools:
# the SPDX validator of PyPI spdx-tools (`pyspdxtools -i`) and cyclonedx-python-lib's strict
# JSON validator, which carries the official CycloneDX 1.6 schema inside the package (no download
# at validation time: once the venv exists this runs offline).
#
#   scripts/sbom-check.sh                 # this repository and a tree made on the spot
#   scripts/sbom-check.sh PATH...         # other trees
#
# Prints one line per document and "N passed, N failed"; exits 1 if any document is invalid.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"
venv=$repo/.venv-sbom
REQUIREMENTS=("spdx-tools>=0.8,<0.9" "cyclonedx-python-lib[json-validation]>=8,<12")

[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
stamp=$venv/.ospo-sbom
if [ "$(cat "$stamp" 2>/dev/null)" != "${REQUIREMENTS[*]}" ]; then
    "$venv/bin/pip" install -q --disable-pip-version-check "${REQUIREMENTS[@]}"
    echo "${REQUIREMENTS[*]}" >"$stamp"
fi
ospo=${OSPO_BIN:-}
if [ -z "$ospo" ]; then
    cargo build -q -p ospo-cli
    ospo=$CARGO_TARGET_DIR/debug/ospo
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ $# -eq 0 ]; then
    # A small tree with what the documents must carry: a declared licence, a LicenseRef, a
    # dual licence with an exception, copyrights with non-ASCII holders, a binary.
    t=$work/tree
    mkdir -p "$t/src" "$t/LICENSES"
    printf '[project]\nname = "demo"\nlicense = "MIT"\n' >"$t/pyproject.toml"
    cp crates/ospo-licence/tests/texts/cycler-0.12.1.License.txt "$t/LICENSE" 2>/dev/null ||
        echo "MIT License" >"$t/LICENSE"
    printf '# SPDX-%s: 2024 Universität Hamburg\n# SPDX-%s: LicenseRef-Lab-1.0\nx = 1\n' \
        FileCopyrightText License-Identifier >"$t/src/a.py"
    printf '// SPDX-%s: GPL-2.0-or-later WITH Classpath-exception-2.0 OR MIT\n// Copyright (c) 2020 CESNET z.s.p.o.\n' \
        License-Identifier >"$t/src/b.java"
    printf '\000\001binary' >"$t/src/blob.bin"
    set -- "$repo" "$t"
fi

cat >"$work/cdx.py" <<'PY'
import sys
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(open(sys.argv[1]).read())
if error is not None:
    print(error)
    sys.exit(1)
PY

passed=0
failed=0
check() { # label cmd...
    local label=$1
    shift
    if out=$("$@" 2>&1); then
        echo "ok    $label"
        passed=$((passed + 1))
    else
        echo "FAIL  $label"
        echo "$out" | head -20 | sed 's/^/      /'
        failed=$((failed + 1))
    fi
}
for tree in "$@"; do
    name=$(basename "$tree")
    "$ospo" scan "$tree" -f spdx-json >"$work/$name.spdx.json" || [ $? -eq 1 ]
    "$ospo" scan "$tree" -f cyclonedx-json >"$work/$name.cdx.json" || [ $? -eq 1 ]
    check "SPDX 2.3 of $name (pyspdxtools)" "$venv/bin/pyspdxtools" -i "$work/$name.spdx.json"
    check "CycloneDX 1.6 of $name (cyclonedx-python-lib)" "$venv/bin/python" "$work/cdx.py" "$work/$name.cdx.json"
done
echo "sbom: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
