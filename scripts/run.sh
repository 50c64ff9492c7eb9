#!/usr/bin/env bash
# Start Schoolzorg for a first look: SQLite, demo data, web server, worker and scheduler.
# Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
# The demo: built-in key, plain HTTP, the printed code; production's Dutch error pages (DEBUG off).
export SCHOOLZORG_DEMO="${SCHOOLZORG_DEMO:-1}"
export SCHOOLZORG_DEBUG="${SCHOOLZORG_DEBUG:-0}"
export SCHOOLZORG_DEMO_OTP_CODE="${SCHOOLZORG_DEMO_OTP_CODE:-123456}"
PORT="${PORT:-8000}"
# Links in e-mails and the passkey origin follow the port (passkeys need the name "localhost").
export SCHOOLZORG_BASE_URL="${SCHOOLZORG_BASE_URL:-http://localhost:${PORT}}"
export SCHOOLZORG_WEBAUTHN_ORIGINS="${SCHOOLZORG_WEBAUTHN_ORIGINS:-http://localhost:${PORT}}"
BIN=.venv/bin

$BIN/python manage.py collectstatic --noinput -v0
$BIN/python manage.py migrate --noinput -v0
$BIN/schoolzorg seed --scale demo

pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "Schoolzorg is gestopt."
}
trap cleanup INT TERM EXIT

$BIN/schoolzorg worker --no-reload --verbosity 0 &
pids+=($!)
$BIN/schoolzorg scheduler &
pids+=($!)
$BIN/gunicorn config.wsgi --bind "127.0.0.1:${PORT}" --workers "${WEB_CONCURRENCY:-2}" \
  --access-logfile - --log-level warning &
pids+=($!)

sleep 1
echo
echo "Schoolzorg draait op http://localhost:${PORT}/"
$BIN/schoolzorg demo-logins
echo "Stoppen: Ctrl-C"
wait -n "${pids[@]}"
