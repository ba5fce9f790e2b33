#!/usr/bin/env bash
# Every test: unit, data, environment and prose tests; nbval on every notebook; a warning-free build of every
# page; then the browser tests against the built site with all non-local requests blocked.
# Needs what scripts/build-book.sh needs, plus Chromium and CJK fonts for the browser tests: installed here
# with apt when run as root or with sudo, otherwise it stops at once with the command to install them.
# Tests that read material outside the repository (../shared, or $PAIRING_SHARED_DIR) skip with the reason.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
export PYTHONHASHSEED=0
echo "== unit, data, environment and prose tests"
.venv/bin/python -m pytest tests -m "not site" -q -rs
echo "== nbval (lax for all cells, strict on # NBVAL_CHECK_OUTPUT cells)"
.venv/bin/python -m pytest --nbval-lax --nbval-sanitize-with tests/nbval_sanitize.cfg book -q
echo "== build of every page with warnings as errors"
bash scripts/build-book.sh
echo "== site tests in headless Chromium (network blocked)"
.venv/bin/python -m pytest tests -m site -q -rs
