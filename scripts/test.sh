#!/usr/bin/env bash
# make test: everything the suite needs, then lint, type-check, the migrations check and pytest.
# PostgreSQL: DATABASE_URL when set (CI points it at 127.0.0.1:5432), else the embedded server.
# Redis: REDIS_URL (default redis://127.0.0.1:6379/0), started here when installed but stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}

redis_host_port() {
  local rest=${REDIS_URL#redis://}; rest=${rest#*@}; rest=${rest%%/*}
  echo "${rest%%:*} ${rest##*:}"
}
read -r REDIS_HOST REDIS_PORT < <(redis_host_port)
[ "$REDIS_PORT" = "$REDIS_HOST" ] && REDIS_PORT=6379
redis_up() { $BIN/python -c "import redis,sys; redis.Redis.from_url('$REDIS_URL').ping()" 2>/dev/null; }
if ! redis_up; then
  if command -v redis-server >/dev/null; then
    echo "Starting redis-server on $REDIS_HOST:$REDIS_PORT"
    redis-server --daemonize yes --bind "$REDIS_HOST" --port "$REDIS_PORT" --save "" --appendonly no >/dev/null
    for _ in $(seq 20); do redis_up && break; sleep 0.25; done
  fi
  if ! redis_up; then
    echo "Redis is not reachable at $REDIS_URL and redis-server is not installed." >&2
    echo "Install it with: sudo apt-get install -y redis-server   (or set REDIS_URL)" >&2
    exit 1
  fi
fi

if [ -z "${DATABASE_URL:-}" ]; then
  echo "DATABASE_URL is not set: using the embedded PostgreSQL in var/pgdata"
  DATABASE_URL=$($BIN/python -m labour_office.embedded start)
  export DATABASE_URL
fi

echo "== ruff"; $BIN/ruff check . && $BIN/ruff format --check .
echo "== djlint"; $BIN/djlint templates --lint --quiet
echo "== mypy"; $BIN/mypy .
# The installed dependencies (pip freeze: without pip, setuptools and the project itself) against
# PyPI's vulnerability data. A known vulnerability fails the run. --strict turns a package the
# service cannot answer for into an error instead of a silent "No known vulnerabilities found":
# offline, or behind a PyPI proxy that serves no per-release JSON (the project's machines and
# CI), the audit is reported as NOT DONE, and fails only with PIP_AUDIT_REQUIRED=true.
echo "== pip-audit"
if audit=$($BIN/pip-audit --strict --disable-pip --no-deps --progress-spinner off \
    -r <($BIN/pip freeze --exclude-editable) 2>&1); then
  echo "$audit" | grep -v "^WARNING:pip_audit" || true
elif grep -q "^Found [0-9]* known vulnerabilit" <<<"$audit"; then
  echo "$audit"; exit 1
else
  echo "$audit" | grep -v "^WARNING:pip_audit" | tail -n 3 || true
  echo "pip-audit: NOT DONE, its vulnerability service did not answer for every dependency." >&2
  if [ "${PIP_AUDIT_REQUIRED:-false}" = true ]; then exit 1; fi
fi
echo "== migrations"; DJANGO_SETTINGS_MODULE=tests.settings $BIN/python manage.py makemigrations --check --dry-run
echo "== pytest"
$BIN/pytest "$@"
