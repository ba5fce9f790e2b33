#!/usr/bin/env bash
# The book's environment: a .venv with every package pinned by requirements.lock. Needs only Python >= 3.11
# (with venv and pip) and, the first time, the package index; no root.
#
#   bash scripts/setup.sh              # build route: requirements.txt (build the HTML, run the non-browser tests)
#   bash scripts/setup.sh --jupyter    # teach route: also JupyterLab (requirements-jupyter.txt)
#   bash scripts/setup.sh --browser    # test route: also Chromium and CJK fonts for the browser tests (apt, root or sudo)
#
# Idempotent and quick when nothing changed: packages are installed only when the requirement files, the lock
# or pyproject.toml differ from the last successful install (a stamp in .venv keyed on their sha256).
# PYTHON=/path/to/python3.x chooses the interpreter for a new .venv.
set -euo pipefail
cd "$(dirname "$0")/.."
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1

jupyter=0 browser=0
for arg in "$@"; do
  case "$arg" in
    --jupyter) jupyter=1 ;;
    --browser) browser=1 ;;
    *) echo "setup: unknown option $arg (use --jupyter and/or --browser)" >&2; exit 2 ;;
  esac
done

supported() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; }

# 1. A Python the pins support (3.11 or newer), checked before anything is created.
if [ ! -x .venv/bin/python ]; then
  python=""
  for candidate in ${PYTHON:-python3.11 python3.12 python3.13 python3}; do
    if command -v "$candidate" >/dev/null 2>&1 && supported "$candidate"; then python=$candidate; break; fi
  done
  if [ -z "$python" ]; then
    found=$(python3 -c 'import sys; print(sys.version.split()[0])' 2>/dev/null || echo none)
    [ -n "${PYTHON:-}" ] && found="$("$PYTHON" -c 'import sys; print(sys.version.split()[0])' 2>/dev/null || echo none) at PYTHON=$PYTHON"
    echo "setup: Python 3.11 or newer is needed (found: $found); install it (Debian/Ubuntu: sudo apt-get install python3.11 python3.11-venv) or run with PYTHON=/path/to/python3.11" >&2
    exit 1
  fi
  if ! "$python" -c 'import venv, ensurepip' 2>/dev/null; then
    echo "setup: $python cannot create a virtual environment (no venv/ensurepip); install it (Debian/Ubuntu: sudo apt-get install python3-venv)" >&2
    exit 1
  fi
  "$python" -m venv .venv
elif ! supported .venv/bin/python; then
  echo "setup: .venv uses Python $(.venv/bin/python -c 'import sys; print(sys.version.split()[0])'), older than 3.11; remove it (rm -rf .venv) and run this again" >&2
  exit 1
fi

# 2. Pinned packages, once per change of the files that define them.
install() {  # install <requirements file>
  local requirements=$1 stamp key
  stamp=".venv/.installed-${requirements%.txt}"
  key=$(cat "$requirements" requirements.txt requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$key" ] && return 0
  .venv/bin/python -m pip install --quiet -c requirements.lock pip
  # setuptools announces every editable install of the package (`-e .`) with an information-only notice
  # ("Editable installation. ... folders with the same name as your package ..."): not a problem, only noise.
  PYTHONWARNINGS="ignore:Editable installation" \
    .venv/bin/python -m pip install --quiet -r "$requirements" -c requirements.lock
  local problems
  problems=$(.venv/bin/python -m pip check) || { echo "$problems" >&2; exit 1; }
  echo "$key" > "$stamp"
}
install requirements.txt
if [ "$jupyter" = 1 ]; then install requirements-jupyter.txt; fi
# Kernels started from this .venv drop ipykernel's transport notice (see the file for why).
if ! cmp -s scripts/ipython_kernel_config.py .venv/etc/ipython/ipython_kernel_config.py; then
  mkdir -p .venv/etc/ipython && cp scripts/ipython_kernel_config.py .venv/etc/ipython/ipython_kernel_config.py
fi

# 3. The browser tests alone need Chromium and CJK fonts (never needed to build the HTML).
if [ "$browser" = 1 ]; then
  missing=()
  [ -x "${CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium)
  # grep without -q reads all of fc-list's output: with pipefail, an early exit would fail the pipeline (SIGPIPE)
  fc-list : family 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null || missing+=(fonts-noto-cjk fontconfig)
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then sudo=""
    elif command -v apt-get >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo"
    else
      echo "setup: the browser tests need ${missing[*]}, which this user cannot install; run: sudo apt-get update && sudo apt-get install -y ${missing[*]} (or set CHROMIUM=/path/to/chromium)" >&2
      exit 1
    fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi
