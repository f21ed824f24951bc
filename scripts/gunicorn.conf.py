"""gunicorn settings, one place for scripts/run.sh, the systemd unit in docs/deployment.md and bench/web_load.py
(so the benchmark measures the server that runs). Environment variables override the defaults."""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WORKERS", "2"))
threads = int(os.environ.get("THREADS", "4"))
timeout = 300  # long exports and Word reports; queue jobs do the longer work
limit_request_line = 8190  # long query-language searches in the address
# A worker takes a connection only while one of its threads is idle, and closes it after the response, so every
# request waits in the one accept queue the workers share and goes to the first free thread (ipplatform/core/server.py:
# with gunicorn's own worker and kept-alive connections, 50 connections split 43/7 between the two workers).
worker_class = "ipplatform.core.server.FairThreadWorker"
keepalive = 0
# A database connection kept per worker thread for a minute (Django's CONN_MAX_AGE): SQLite keeps its page cache
# between requests (mean CPU per request over bench/page_cost.py's mix 9.9 -> 9.1 ms), PostgreSQL saves a connect.
# Set here, in the master before the workers fork, so the web server has it and management commands are unchanged.
os.environ.setdefault("DB_CONN_MAX_AGE", "60")
