#!/usr/bin/env bash
# Installs PostgreSQL from Debian's packages if missing, starts a cluster, creates the test
# role and database, and prints the URL the tests use. Idempotent. Run as root (CI is).
set -euo pipefail

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "==> installing PostgreSQL from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | awk '{print $1, $2}' | grep -q "^$version main$"; then
  pg_createcluster "$version" main >&2
fi
if ! pg_lsclusters -h | awk '$1 == "'"$version"'" && $2 == "main" {print $4}' | grep -q online; then
  # After an unclean stop the server first syncs its data directory, which can take minutes on
  # a busy machine: wait for it longer than pg_ctl's default minute.
  pg_ctlcluster "$version" main start -- -t 600 >&2
fi
for _ in $(seq 1 30); do
  runuser -u postgres -- pg_isready -q && break
  sleep 1
done
port=$(pg_lsclusters -h | awk '$1 == "'"$version"'" && $2 == "main" {print $3}')
runuser -u postgres -- psql -p "$port" -qtAc "SELECT 1 FROM pg_roles WHERE rolname = 'ospo'" | grep -q 1 \
  || runuser -u postgres -- psql -p "$port" -qc "CREATE ROLE ospo LOGIN PASSWORD 'ospo' CREATEDB" >&2
runuser -u postgres -- psql -p "$port" -qtAc "SELECT 1 FROM pg_database WHERE datname = 'ospo_test'" | grep -q 1 \
  || runuser -u postgres -- createdb -p "$port" -O ospo ospo_test >&2
echo "postgres://ospo:ospo@127.0.0.1:$port/ospo_test?sslmode=disable"
