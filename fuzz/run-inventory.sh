#!/usr/bin/env bash
# Runs every inventory fuzz target (read_detect and one per reader) for SECONDS each, one after
# the other, on corpora seeded by seed-inventory.sh, and prints a Markdown table: executions,
# coverage (edges), corpus size after, crashes. A crash stops nothing: its input is kept in
# fuzz/artifacts/TARGET/ and counted.
#
#   fuzz/run-inventory.sh [SECONDS] [TARGET...]     (default 60 s, every target)
#
# cargo-fuzz on the stable toolchain (RUSTC_BOOTSTRAP=1: it needs -Z flags).
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(sed -n 's/^name = "\(read_[a-z0-9_]*\)"$/\1/p' Cargo.toml)
fi
[ -d corpus/read_detect ] || ./seed-inventory.sh
export RUSTC_BOOTSTRAP=1
logs=$(mktemp -d)
echo "| target | seconds | executions | coverage (edges) | corpus after | crashes |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t" "artifacts/$t"
    status=0
    cargo fuzz run -O "$t" "corpus/$t" -- -max_total_time="$seconds" -max_len=131072 \
        -timeout=20 -rss_limit_mb=4096 -print_final_stats=1 \
        -artifact_prefix="artifacts/$t/" >"$logs/$t.log" 2>&1 || status=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$logs/$t.log" | tail -n 1)
    cov=$(grep -o 'cov: [0-9]*' "$logs/$t.log" | tail -n 1 | cut -d' ' -f2)
    corp=$(find "corpus/$t" -type f | wc -l)
    crashes=$(find "artifacts/$t" -type f | wc -l)
    echo "| \`$t\` | $seconds | ${execs:-?} | ${cov:-?} | $corp | $crashes |"
    if [ "$status" -ne 0 ] && [ "$crashes" -eq 0 ]; then
        echo "$t: cargo fuzz failed (exit $status), see its log:" >&2
        tail -n 20 "$logs/$t.log" >&2
    fi
done
rm -rf "$logs"
