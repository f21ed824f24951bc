#!/usr/bin/env bash
# One command: install, create the SQLite database, load reference and demo data, print demo accounts,
# and serve the platform on http://127.0.0.1:8000 with a job worker (huey: queued jobs and the periodic ones)
# beside the web server. Extra arguments go to load_demo (e.g. --synthetic 100000).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export DEBUG="${DEBUG:-0}"
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py createcachetable
.venv/bin/python manage.py load_demo "$@"
# hashed, compressed copies (gzip/brotli) that whitenoise serves with far-future cache headers
STATICFILES_STORAGE=whitenoise.storage.CompressedManifestStaticFilesStorage .venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/python manage.py run_huey --workers "${JOB_WORKERS:-2}" --worker-type thread --flush-locks &
worker=$!
# Semantic vectors for records that have none (the shipped ones are loaded by load_demo): resumable, at low priority;
# progress on /search/semantic/status/, log in var/embed_patents.log.
mkdir -p "${DATA_DIR:-var}"
nice -n 10 .venv/bin/python manage.py embed_patents -v0 > "${DATA_DIR:-var}/embed_patents.log" 2>&1 &
embedder=$!
trap 'kill "$worker" "$embedder" 2>/dev/null; wait "$worker" "$embedder" 2>/dev/null' EXIT INT TERM
echo
echo "==> 平台已启动：http://${BIND:-127.0.0.1:8000}  （后台任务进程 $worker；Ctrl+C 停止）"
.venv/bin/gunicorn ipplatform.wsgi:application -c scripts/gunicorn.conf.py
