#!/usr/bin/env bash
# Every test: unit, data and prose tests; nbval on every notebook; a clean warning-free build;
# then the browser tests against the built site with all non-local requests blocked.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PYTHONHASHSEED=0
echo "== unit, data and prose tests"
.venv/bin/python -m pytest tests -m "not site" -q
echo "== nbval (lax for all cells, strict on # NBVAL_CHECK_OUTPUT cells)"
.venv/bin/python -m pytest --nbval-lax --nbval-sanitize-with tests/nbval_sanitize.cfg book -q
echo "== clean build with warnings as errors"
rm -rf _build
.venv/bin/jupyter-book build . --all -W -n --keep-going
echo "== site tests in headless Chromium (network blocked)"
.venv/bin/python -m pytest tests -m site -q
