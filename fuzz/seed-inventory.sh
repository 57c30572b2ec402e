#!/usr/bin/env bash
# Seeds the inventory fuzz targets' corpora (fuzz/corpus/read_*, not committed) with real files:
# the shared SBOM corpus, the lockfile fixtures and this workspace's own lockfiles. Each file goes to
# the target of the reader `ospo inventory read` picks for it, and to read_detect behind the byte
# that picks that reader's file name there (the order of NAMES in read_detect.rs).
#
#   cargo build --bins && fuzz/seed-inventory.sh
set -euo pipefail
cd "$(dirname "$0")"
ospo=${OSPO_BIN:-${CARGO_TARGET_DIR:-../target}/debug/ospo}
sboms=${OSPO_SHARED_DATA:-../../shared/data}/sboms
[ -d "$sboms" ] || sboms=../../../shared/data/sboms
fixtures=../crates/ospo-catalogue/tests/fixtures/lockfiles
# The readers in read_detect's NAMES order, as `ospo inventory read -f json` names them.
readers=(cyclone-dx-json cyclone-dx-xml spdx-json spdx-yaml spdx-tag-value spdx3-json-ld cargo-lock
    package-lock requirements yarn-lock poetry-lock uv-lock pipfile-lock go-sum go-mod pom-xml
    conda-environment conda-explicit)
seed() { # target selector-byte-or-empty file
    local dir=corpus/$1
    mkdir -p "$dir"
    local out
    out=$dir/$(basename "$3" | tr -c 'A-Za-z0-9._-' _)-$(cksum <"$3" | cut -d' ' -f1)
    if [ -n "$2" ]; then
        { printf "\\x$2"; cat "$3"; } >"$out"
    else
        cp "$3" "$out"
    fi
}
n=0
while IFS= read -r -d '' f; do
    format=$("$ospo" inventory read -f json "$f" 2>/dev/null | jq -r '.format // empty' || true)
    [ -n "$format" ] || continue
    target=read_$(echo "$format" | tr - _ | sed 's/cyclone_dx/cyclonedx/; s/spdx3_json_ld/spdx3_jsonld/; s/spdx_tag_value/spdx_tagvalue/')
    seed "$target" "" "$f"
    for i in "${!readers[@]}"; do
        [ "${readers[$i]}" = "$format" ] && seed read_detect "$(printf %02x "$i")" "$f"
    done
    n=$((n + 1))
done < <(find "$sboms" "$fixtures" ../Cargo.lock ../tests/browser/package-lock.json -type f ! -name '*.md' ! -name SOURCE -print0)
mkdir -p corpus/read_requirements
printf 'Flask==3.1.0 \\\n    --hash=sha256:abc\nrequests[socks]==2.32.3 ; python_version >= "3.8"\n' >corpus/read_requirements/requirements
echo "seeded $n files into $(ls -d corpus/read_* | wc -l) corpora" >&2
