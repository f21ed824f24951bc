#!/usr/bin/env bash
# Installs everything the platform needs on Debian 12 / Python 3.11: system packages (Chromium for browser
# tests, CJK fonts for charts in Word reports), a virtual environment with the Python packages, and the
# npm assets (ECharts) served locally. Safe to run again. Usage: scripts/setup.sh [test]
set -euo pipefail
cd "$(dirname "$0")/.."
want_test="${1:-}"

need_pkgs=()
[ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || need_pkgs+=(fonts-noto-cjk)
if [ "$want_test" = "test" ]; then
  command -v chromium >/dev/null 2>&1 || need_pkgs+=(chromium)
fi
# Office document preview (LibreOffice headless, Debian 12: ~91 MB download, ~280 MB installed without recommends):
# the run mode only; the tests that convert for real are skipped where soffice is absent.
office_pkgs=()
if [ "$want_test" != "test" ] && ! command -v soffice >/dev/null 2>&1; then
  office_pkgs=(libreoffice-writer-nogui libreoffice-impress-nogui)
fi
if [ ${#office_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "==> apt-get install --no-install-recommends ${office_pkgs[*]}"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${office_pkgs[@]}" >/dev/null
  else
    echo "!! Office preview needs: sudo apt-get install --no-install-recommends ${office_pkgs[*]}" >&2
  fi
fi
if [ ${#need_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "==> apt-get install ${need_pkgs[*]}"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
  else
    echo "!! missing Debian packages: ${need_pkgs[*]} (run: sudo apt-get install ${need_pkgs[*]})" >&2
  fi
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv"
  "$PY" -m venv .venv
fi
# Pinned installs: requirements.lock (runtime) and requirements-test.lock (runtime + test extras) list every package
# with its exact version and hashes (pip-compile --generate-hashes from pyproject.toml; see docs/deployment.md), so
# these commands install the same versions on every machine. The project itself is then installed without deps.
lock="requirements.lock"
[ "$want_test" = "test" ] && lock="requirements-test.lock"
stamp=".venv/.installed-$(cat pyproject.toml "$lock" | sha1sum | cut -c1-12)-${want_test:-run}"
if [ ! -f "$stamp" ]; then
  echo "==> pip install -r $lock (pinned, hashes checked)"
  .venv/bin/pip install -q --upgrade pip >/dev/null 2>&1 || true
  .venv/bin/pip install -q --require-hashes -r "$lock" 2>&1 | { grep -v -E "^(WARNING: Location|  )" || true; }
  [ "${PIPESTATUS[0]}" = "0" ] || { echo "!! pip install -r $lock failed" >&2; exit 1; }
  .venv/bin/pip install -q --no-deps -e . 2>&1 | { grep -v -E "^(WARNING: Location|  )" || true; }
  [ "${PIPESTATUS[0]}" = "0" ] || { echo "!! pip install -e . failed" >&2; exit 1; }
  .venv/bin/python -c "import django, tantivy, opencc, docx, openpyxl, huey"
  touch "$stamp"
fi

if [ ! -f node_modules/echarts/dist/echarts.min.js ] || [ ! -f node_modules/echarts4/map/json/province/shandong.json ] \
   || [ ! -f node_modules/axe-core/axe.min.js ]; then
  echo "==> npm ci (ECharts served locally; axe-core for the accessibility tests)"
  npm ci --no-audit --no-fund --silent
fi
