#!/usr/bin/env bash
# The JSON API against its own OpenAPI document: the document is valid OpenAPI 3.1
# (openapi-spec-validator), and schemathesis sends generated requests, with an OSPO member's
# token so writes are exercised too, and checks every answer: no server error, only documented
# status codes and content types, bodies that match their schemas. Run by scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${OSPO_BIN:-$PWD/target/debug/ospo}"
venv=.venv-api
if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "4.32.5"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r tests/api/requirements.txt
fi
work="$(mktemp -d)"
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
db="$work/api.db"
"$bin" access --database "$db" account curator --name "API check" --role ospo-member >/dev/null
token="$("$bin" access --database "$db" issue curator | grep -o 'ospo_[0-9a-f]*')"
"$bin" serve --database "$db" --listen 127.0.0.1:0 >"$work/out" 2>"$work/log" &
server=$!
for _ in $(seq 100); do grep -q http "$work/out" 2>/dev/null && break; sleep 0.1; done
base="$(grep -o 'http://[0-9.:]*' "$work/out")"
curl -sf "$base/api/openapi.json" -o "$work/openapi.json"
"$venv/bin/python" -c "import json, sys; from openapi_spec_validator import validate; validate(json.load(open(sys.argv[1]))); print('openapi.json: valid OpenAPI 3.1')" "$work/openapi.json"
"$venv/bin/schemathesis" run "$base/api/openapi.json" \
  --header "Authorization: Bearer $token" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --max-examples 25 --seed 20261125 --no-color 2>&1 | tee "$work/report" | tail -${OSPO_API_CHECK_LINES:-25}
if grep -q "$token" "$work/log"; then
  echo "the server logged the API token" >&2
  exit 1
fi
