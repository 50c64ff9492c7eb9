#!/usr/bin/env bash
# `make bench`: Schoolzorg under load on PostgreSQL with the national data set, production
# settings, gunicorn sync workers and wrk on loopback. Results: stdout and docs/benchmarks.md.
#
#   scripts/bench.sh            PostgreSQL, national data (reuses database sz_bench if present)
#   scripts/bench.sh --sqlite   the embedded default: SQLite with the demo data, 4 connections
#   scripts/bench.sh --quick    short passes (3 s per page) while developing
#   scripts/bench.sh --readlog  also measure read-log inserts with ~50 million rows (slow, once)
#
# Environment: BENCH_PG (default postgres://postgres@127.0.0.1:5432), BENCH_DB (sz_bench),
# BENCH_TEMPLATE (sz_national: copied when sz_bench is missing), BENCH_FRESH=1 (drop sz_bench
# first), BENCH_DURATION / BENCH_CONNECTIONS / BENCH_WORKERS to override the defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

MODE=pg
QUICK=0
READLOG=0
for arg in "$@"; do
  case "$arg" in
    --sqlite) MODE=sqlite ;;
    --quick) QUICK=1 ;;
    --readlog) READLOG=1 ;;
    *) echo "onbekende optie: $arg" >&2; exit 2 ;;
  esac
done

# The load generator: wrk (with LuaJIT). Installed here, never by hand.
if ! command -v wrk >/dev/null 2>&1; then
  echo "[bench] wrk installeren"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq wrk
fi

PG="${BENCH_PG:-postgres://postgres@127.0.0.1:5432}"
DB="${BENCH_DB:-sz_bench}"
TEMPLATE="${BENCH_TEMPLATE:-sz_national}"
DURATION="${BENCH_DURATION:-10}"
WARMUP=3
if [ "$QUICK" = 1 ]; then DURATION=3; WARMUP=1; fi

# Deployed code runs from compiled bytecode; without it every fresh worker spends seconds
# compiling modules on its first request (this environment sets PYTHONDONTWRITEBYTECODE).
unset PYTHONDONTWRITEBYTECODE
$BIN/python -m compileall -q -j 2 schoolzorg config .venv/lib/python3*/site-packages >/dev/null 2>&1 || true

# Production settings for every command below (the driver passes them on to gunicorn).
export SCHOOLZORG_DEBUG=0 SCHOOLZORG_HTTPS=0
export SCHOOLZORG_SECRET_KEY="${SCHOOLZORG_SECRET_KEY:-bench-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
mkdir -p var/bench
if [ ! -s var/bench/field.key ]; then
  $BIN/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())' > var/bench/field.key
fi
export SCHOOLZORG_FIELD_KEYS="${SCHOOLZORG_FIELD_KEYS:-$(cat var/bench/field.key)}"
export SCHOOLZORG_DATA_DIR="$PWD/var/bench"
export SCHOOLZORG_LOG_LEVEL=ERROR
# The crawl after the load runs opens the PDFs with the sessions made before them: the run is
# longer than the five minutes a confirmation of password and code counts for in production.
export SCHOOLZORG_REAUTH_SECONDS=86400

psql_admin() { psql "$PG/postgres" -v ON_ERROR_STOP=1 -qAt "$@"; }

if [ "$MODE" = sqlite ]; then
  export SCHOOLZORG_DATA_DIR="$PWD/var/bench-sqlite"
  mkdir -p "$SCHOOLZORG_DATA_DIR"
  # A fresh database each run: the runs write thousands of referrals and read-log entries, and
  # measuring on what earlier runs left behind would not be the demo data.
  rm -f "$SCHOOLZORG_DATA_DIR"/schoolzorg.sqlite3*
  unset DATABASE_URL
  $BIN/python manage.py migrate --noinput -v0
  $BIN/schoolzorg seed --scale demo --meetdatabase
  $BIN/python manage.py collectstatic --noinput -v0
  exec $BIN/python scripts/bench.py --sqlite "$SCHOOLZORG_DATA_DIR" \
    --connections "${BENCH_CONNECTIONS:-4}" --workers "${BENCH_WORKERS:-2}" \
    --duration "$DURATION" --warmup "$WARMUP" --drafts 3000 --warm-writes 40
fi

command -v psql >/dev/null || { echo "psql ontbreekt (apt-get install postgresql-client)" >&2; exit 1; }
if [ "${BENCH_FRESH:-0}" = 1 ]; then psql_admin -c "DROP DATABASE IF EXISTS $DB"; fi
if [ -z "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" ]; then
  if [ -n "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$TEMPLATE'")" ] &&
     [ "$(psql "$PG/$TEMPLATE" -qAt -c 'SELECT count(*) FROM pupils_pupil' 2>/dev/null || echo 0)" -gt 100000 ]; then
    echo "[bench] $DB kopiëren van het geseede $TEMPLATE"
    psql_admin -c "CREATE DATABASE $DB TEMPLATE $TEMPLATE"
  else
    echo "[bench] $DB aanmaken en landelijk seeden (duurt lang, één keer)"
    psql_admin -c "CREATE DATABASE $DB"
    DATABASE_URL="$PG/$DB" $BIN/python manage.py migrate --noinput -v0
    DATABASE_URL="$PG/$DB" $BIN/schoolzorg seed --scale national --meetdatabase
  fi
fi
export DATABASE_URL="$PG/$DB"
export SCHOOLZORG_CONN_MAX_AGE="${SCHOOLZORG_CONN_MAX_AGE:-600}"
$BIN/python manage.py migrate --noinput -v0
$BIN/python manage.py collectstatic --noinput -v0

if [ "$READLOG" = 1 ]; then
  $BIN/python scripts/bench_readlog.py --database "$DB" --pg "$PG"
fi

$BIN/python scripts/bench.py --database-url "$DATABASE_URL" \
  --connections "${BENCH_CONNECTIONS:-16}" --workers "${BENCH_WORKERS:-4}" \
  --duration "$DURATION" --warmup "$WARMUP" --drafts 3000
# Then every page a user of each role reaches, once each, on the same data (about 15 s).
exec $BIN/python scripts/bench_crawl.py --write-doc
