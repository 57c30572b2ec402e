#!/usr/bin/env bash
# Seeds the inventory fuzz targets' corpora (fuzz/corpus/inventory_*, not committed) with the
# real files: the shared SBOM corpus and the lockfile fixtures. Targets that pick the reader by
# the first byte get the file behind the byte that picks its reader.
set -euo pipefail
cd "$(dirname "$0")"
sboms=${OSPO_SHARED_DATA:-../../shared/data}/sboms
[ -d "$sboms" ] || sboms=../../../shared/data/sboms
fixtures=../crates/ospo-catalogue/tests/fixtures/lockfiles
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
while IFS= read -r -d '' f; do
    case "$f" in
    *.json) seed inventory_json "" "$f" ;;
    *.xml) seed inventory_xml 00 "$f" ;;
    *.spdx) seed inventory_tagvalue "" "$f" ;;
    *.yaml | *.yml) seed inventory_yaml 00 "$f" ;;
    esac
done < <(find "$sboms" -type f -print0)
seed inventory_json "" "$fixtures/pipenv/Pipfile.lock"
seed inventory_xml 01 "$fixtures/maven/pom.xml"
seed inventory_yaml 01 "$fixtures/yarn-berry/yarn.lock"
seed inventory_yaml 02 "$fixtures/conda/environment.yml"
seed inventory_toml 00 ../Cargo.lock
seed inventory_toml 01 "$fixtures/poetry/poetry.lock"
seed inventory_toml 02 "$fixtures/uv/uv.lock"
seed inventory_lines 01 "$fixtures/yarn-classic/yarn.lock"
seed inventory_lines 02 "$fixtures/go/go.sum"
seed inventory_lines 03 "$fixtures/go/go.mod"
seed inventory_lines 04 "$fixtures/conda/conda-linux-64.lock"
printf '\x00Flask==3.1.0 \\\n    --hash=sha256:abc\nrequests[socks]==2.32.3 ; python_version >= "3.8"\n' >corpus/inventory_lines/requirements
for d in corpus/inventory_*; do echo "$d: $(ls "$d" | wc -l) seeds"; done
