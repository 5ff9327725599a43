#!/usr/bin/env bash
# Starts Debian's PostgreSQL cluster (creating one when the package made none) and a
# `tidings` superuser for the test suites. Test-only credentials on loopback; idempotent.
set -euo pipefail
version="$(ls /usr/lib/postgresql | sort -V | tail -1)"
if ! pg_lsclusters -h | grep -q .; then
  pg_createcluster "$version" main >/dev/null
fi
cluster="$(pg_lsclusters -h | head -1 | awk '{print $1" "$2}')"
if ! pg_lsclusters -h | head -1 | grep -q online; then
  pg_ctlcluster $cluster start
fi
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done
su postgres -c "psql -q -tAc \"SELECT 1 FROM pg_roles WHERE rolname = 'tidings'\"" | grep -q 1 ||
  su postgres -c "psql -q -c \"CREATE ROLE tidings LOGIN SUPERUSER PASSWORD 'tidings'\""
