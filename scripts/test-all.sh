#!/usr/bin/env bash
# Every test: unit, data, environment and prose tests; nbval on every notebook; a warning-free build of every
# page; then the browser tests against the built site with all non-local requests blocked.
# Needs what scripts/build-book.sh needs, plus Chromium and CJK fonts for the browser tests: installed here
# with apt when run as root or with sudo, otherwise it stops at once with the command to install them.
# Tests that read material outside the repository (../shared, or $PAIRING_SHARED_DIR) skip with the reason.
# Every step runs even when an earlier one failed (the browser tests only if the build succeeded), so one run
# reports everything; the exit status is non-zero if any step failed, and the failed steps are named last.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
export PYTHONHASHSEED=0
failed=()
step() {  # step <name> <command...>: run it, remember it if it fails, return its success
  local name=$1; shift
  echo "== $name"
  if "$@"; then return 0; fi
  failed+=("$name")
  return 1
}
step "lint (ruff; nbqa ruff for the notebooks; rules in pyproject.toml)" \
  bash -c ".venv/bin/ruff check pairing_assistance scripts tests benchmarks && .venv/bin/nbqa ruff book" || true
step "unit, data, environment and prose tests" .venv/bin/python -m pytest tests -m "not site" -q -rfEs || true
step "nbval (lax for all cells, strict where marked)" \
  .venv/bin/python -m pytest --nbval-lax --nbval-sanitize-with tests/nbval_sanitize.cfg book -q -rfE || true
if step "build of every page with warnings as errors" bash scripts/build-book.sh; then
  step "PDF edition printed from the built site (Chromium; tests/test_pdf.py checks it)" .venv/bin/python -m pairing_assistance.pdf || true
  step "site tests in headless Chromium (network blocked)" .venv/bin/python -m pytest tests -m site -q -rfEs
fi
if [ ${#failed[@]} -gt 0 ]; then
  printf 'test-all: FAILED: %s\n' "${failed[@]}" >&2
  exit 1
fi
echo "test-all: every step passed"
