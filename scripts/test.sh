#!/usr/bin/env bash
# One command: install test dependencies (Python packages, Chromium, fonts, npm assets) and run the whole
# suite. Uses SQLite unless DATABASE_URL points elsewhere. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
exec .venv/bin/python -m pytest -q "$@"
