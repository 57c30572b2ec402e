#!/usr/bin/env bash
# Server benchmark: wrk from a second process on loopback against the search API, a project
# page and a licence check, with a catalogue of 10,000 projects, on SQLite and on PostgreSQL.
#
# Environment: OSPO_BIN (default target/release/ospo), OSPO_TEST_POSTGRES (a server URL, as
# scripts/postgres.sh prints; PostgreSQL is skipped without it), DURATION (default 10s),
# CONNECTIONS (default 32), SHARED (default ../shared/data).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OSPO_BIN="${OSPO_BIN:-$ROOT/target/release/ospo}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-32}"
SHARED="${SHARED:-$ROOT/../shared/data}"
OUT="$ROOT/target/bench/server"
mkdir -p "$OUT"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
[[ -x "$OSPO_BIN" ]] || cargo build --release --locked --bin ospo

# 10,000 projects: the seed (213), DOE's code.json (5,824) and variants of its entries.
python3 - "$SHARED/catalogue/code-gov-doe.json" "$OUT/variants.json" <<'PY'
import json, sys
entries = json.load(open(sys.argv[1]))
variants = []
for i in range(10_000 - 213 - 5_824):
    e = dict(entries[i % len(entries)])
    e["name"] = f"v{i} {e.get('name', 'project')}"
    e["repositoryURL"] = f"https://example.org/variants/{i}"
    variants.append(e)
json.dump(variants, open(sys.argv[2], "w"))
PY

# 1,000 distinct faceted searches (a word of a project's name, a kind, a licence family):
# more than the server remembers, so most are computed afresh.
python3 - "$SHARED/catalogue/code-gov-doe.json" "$OUT/queries.txt" <<'PY'
import json, re, sys, urllib.parse
entries = json.load(open(sys.argv[1]))
words = sorted({w.lower() for e in entries for w in re.findall(r"[A-Za-z]{4,}", e.get("name", ""))})
families = ["permissive", "weak-copyleft", "strong-copyleft"]
kinds = ["software", "hardware"]
paths = []
for i, w in enumerate(words[:1000]):
    q = urllib.parse.urlencode([("q", w), ("facet", f"licence-family:{families[i % 3]}"), ("facet", f"kind:{kinds[i % 2]}")])
    paths.append(f"/api/projects?{q}")
open(sys.argv[2], "w").write("\n".join(paths) + "\n")
PY
cat >"$OUT/rotate.lua" <<LUA
local paths = {}
for line in io.lines("$OUT/queries.txt") do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
LUA

populate() {
  "$OSPO_BIN" catalogue --database "$1" seed >/dev/null
  "$OSPO_BIN" catalogue --database "$1" import "$SHARED/catalogue/code-gov-doe.json" --as code-json >/dev/null 2>&1
  "$OSPO_BIN" catalogue --database "$1" import "$OUT/variants.json" --as code-json >/dev/null 2>&1
  "$OSPO_BIN" catalogue --database "$1" stats --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["projects"])'
}

run_backend() {
  local label="$1" db="$2"
  local n; n=$(populate "$db")
  "$OSPO_BIN" serve --database "$db" --listen 127.0.0.1:0 >"$OUT/serve.out" 2>/dev/null &
  local pid=$!
  for _ in $(seq 1 50); do grep -q http "$OUT/serve.out" 2>/dev/null && break; sleep 0.1; done
  local base; base=$(grep -o 'http://[0-9.:]*' "$OUT/serve.out")
  for target in \
    "faceted search API, one query repeated|/api/projects?q=data&facet=licence-family:permissive&facet=kind:software" \
    "faceted search API, 1,000 distinct queries|/api/projects?q=data&facet=licence-family:permissive&facet=kind:software|rotate" \
    "project page (HTML)|/projects/root" \
    "licence check API|/api/licences/check?inbound=LGPL-2.1-or-later&inbound=MIT&outbound=Apache-2.0&use=dynamic-link"; do
    local name="${target%%|*}" rest="${target#*|}"
    local path="${rest%%|*}" script=()
    [[ "$rest" == *"|rotate" ]] && script=(-s "$OUT/rotate.lua")
    curl -sf "$base$path" >/dev/null || { echo "$name: $base$path failed" >&2; kill $pid; exit 1; }
    wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "${script[@]}" "$base$path" >"$OUT/wrk.txt"
    local rps p99
    rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/wrk.txt")
    p99=$(awk '$1 == "99%" {print $2}' "$OUT/wrk.txt")
    printf '| %s | %s | %s | %s | %s |\n' "$label" "$n" "$name" "$rps" "$p99"
  done
  kill $pid; wait $pid 2>/dev/null || true
}

echo "| backend | projects | endpoint | requests/s | p99 |"
echo "|---|---:|---|---:|---:|"
rm -f "$OUT/bench.db"*
run_backend "SQLite" "$OUT/bench.db"
if [[ -n "${OSPO_TEST_POSTGRES:-}" ]]; then
  psql "$OSPO_TEST_POSTGRES" -qc "DROP DATABASE IF EXISTS ospo_bench_server" -qc "CREATE DATABASE ospo_bench_server"
  prefix="${OSPO_TEST_POSTGRES%%\?*}"
  run_backend "PostgreSQL" "${prefix%/*}/ospo_bench_server?${OSPO_TEST_POSTGRES#*\?}"
fi
