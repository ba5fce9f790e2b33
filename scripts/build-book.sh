#!/usr/bin/env bash
# Build the book from a clean state: every notebook executed, zero warnings allowed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
rm -rf _build
.venv/bin/jupyter-book build . --all -W -n --keep-going
echo "Built: $(pwd)/_build/html/index.html"
