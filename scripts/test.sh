#!/usr/bin/env bash
# Run the whole suite on SQLite, then on PostgreSQL; browser tests in Debian's Chromium.
# SCHOOLZORG_STRICT=1 (CI) turns every skip for a missing PostgreSQL or Chromium into a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export SCHOOLZORG_DEBUG=1
export DJANGO_ALLOW_ASYNC_UNSAFE=true
mkdir -p test-results
PG_URL="${SCHOOLZORG_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/schoolzorg}"
strict="${SCHOOLZORG_STRICT:-0}"
status=0

if [ -x "${SCHOOLZORG_CHROMIUM:-/usr/bin/chromium}" ]; then
  export SCHOOLZORG_CHROMIUM="${SCHOOLZORG_CHROMIUM:-/usr/bin/chromium}"
else
  echo "OVERGESLAGEN: browsertests — geen Chromium gevonden (installeer het Debian-pakket 'chromium')."
  [ "$strict" = 1 ] && { echo "FOUT: SCHOOLZORG_STRICT=1 staat geen overgeslagen browsertests toe." >&2; status=1; }
fi

echo "== Testsuite op SQLite"
env -u DATABASE_URL $BIN/pytest -p no:cacheprovider --junitxml=test-results/sqlite.xml "$@" || status=1

if $BIN/python -c "import psycopg,sys; psycopg.connect('${PG_URL}'.rsplit('/',1)[0]+'/postgres', connect_timeout=3).close()" 2>/dev/null; then
  echo "== Testsuite op PostgreSQL"
  DATABASE_URL="$PG_URL" $BIN/pytest -p no:cacheprovider --junitxml=test-results/postgresql.xml "$@" || status=1
else
  echo "OVERGESLAGEN: PostgreSQL-run — geen server op ${PG_URL%/*}."
  [ "$strict" = 1 ] && { echo "FOUT: SCHOOLZORG_STRICT=1 staat geen overgeslagen PostgreSQL-run toe." >&2; status=1; }
  rm -f test-results/postgresql.xml
fi

$BIN/python scripts/test_summary.py test-results/*.xml || status=1
exit $status
