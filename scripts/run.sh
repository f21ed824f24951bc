#!/usr/bin/env bash
# One command: install, create the SQLite database, load reference and demo data, print demo accounts,
# and serve the platform on http://127.0.0.1:8000 . Extra arguments go to load_demo (e.g. --synthetic 100000).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export DEBUG="${DEBUG:-0}"
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py createcachetable
.venv/bin/python manage.py load_demo "$@"
.venv/bin/python manage.py collectstatic --noinput -v0
echo
echo "==> 平台已启动：http://${BIND:-127.0.0.1:8000}  （Ctrl+C 停止）"
exec .venv/bin/gunicorn ipplatform.wsgi:application --bind "${BIND:-127.0.0.1:8000}" --workers "${WORKERS:-2}" --threads 4 --timeout 300 --limit-request-line 8190 --access-logfile -
