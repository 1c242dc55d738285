#!/usr/bin/env bash
# Starts Debian's PostgreSQL on 127.0.0.1 and creates a database for the storage conformance suite.
# Prints the connection URL on stdout. Needs root and the `postgresql` package.
set -euo pipefail
ver=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$ver main$"; then
  pg_createcluster "$ver" main >&2
fi
pg_ctlcluster "$ver" main start >&2 2>/dev/null || true
for _ in $(seq 1 30); do
  pg_isready -h 127.0.0.1 -q && break
  sleep 1
done
pg_isready -h 127.0.0.1 >&2
su postgres -c "psql -q -v ON_ERROR_STOP=1" >&2 <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'vigil') THEN
    CREATE ROLE vigil LOGIN PASSWORD 'vigil';
  END IF;
END $$;
SQL
if ! su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname = 'vigil_test'\"" | grep -q 1; then
  su postgres -c "createdb -O vigil vigil_test" >&2
fi
echo "postgres://vigil:vigil@127.0.0.1:5432/vigil_test"
