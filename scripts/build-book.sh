#!/usr/bin/env bash
# Build the website into _build/html: every page rebuilt, zero warnings allowed. Needs only Python and pip
# (scripts/setup.sh makes the .venv); no root, no browser.
#
# Notebook outputs come from jupyter-book's execution cache (_build/.jupyter_cache) when they can. That cache
# keys each notebook on its code cells only, so it would serve stale outputs after a change in the package,
# the data, the pinned environment or the book's configuration: this script drops it whenever any of those
# changed since the last build (a sha256 of them in _build/.execution-inputs), and keeps it otherwise. The key is
# taken before the build: what the cache gains during it was executed with those inputs, even if the build then
# fails on a warning (a notebook that raises is never cached).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

inputs_key() {
  {
    find pairing_assistance data book/_ext -type f ! -path '*/__pycache__/*' ! -name '*.pyc' -print0 | sort -z \
      | xargs -0 sha256sum
    sha256sum requirements.lock _config.yml _toc.yml
  } | sha256sum | cut -d' ' -f1
}

key=$(inputs_key)
stamp=_build/.execution-inputs
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$key" ]; then
  rm -rf _build/.jupyter_cache _build/jupyter_execute
fi
mkdir -p _build && echo "$key" > "$stamp"
.venv/bin/jupyter-book build . --all -W -n --keep-going
echo "Built: $(pwd)/_build/html/index.html"
