"""Fold every code cell on the website and move nbval's comment markers into cell tags.

Readers must see prose, charts and tables, not code or test markers. This gives
every code cell of the chapter notebooks the ``hide-input`` tag (the site shows a
folded "显示代码" toggle; Jupyter still shows the code), and turns a comment line
``# NBVAL_CHECK_OUTPUT`` (or IGNORE_OUTPUT, SKIP, RAISES_EXCEPTION) into nbval's
equivalent cell tag (``nbval-check-output`` ...), which nbval 0.11 reads from
``metadata.tags`` (also under ``--nbval-lax``). Outputs are kept as they are.

    .venv/bin/python scripts/normalise_notebooks.py book/03_evolution.ipynb   # rewrite these
    .venv/bin/python scripts/normalise_notebooks.py --check                   # all of book/; exit 1 if any would change
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
HIDE = "hide-input"
# tags that already keep the code off the page
HIDDEN_ALREADY = {"hide-input", "remove-input", "remove-cell", "hide-cell"}
MARKERS = ("NBVAL_CHECK_OUTPUT", "NBVAL_IGNORE_OUTPUT", "NBVAL_SKIP", "NBVAL_RAISES_EXCEPTION")
MARKER_LINE = re.compile(r"^\s*#\s*(" + "|".join(MARKERS) + r")\s*$")


def marker_tag(marker: str) -> str:
    """nbval's tag for a comment marker (the same mapping nbval.plugin.metadata_tags uses)."""
    return marker.lower().replace("_", "-")


def normalise_cell(cell) -> bool:
    """Hide the code of one code cell and turn its marker comments into tags; True if it changed."""
    if cell.cell_type != "code":
        return False
    tags = list(cell.metadata.get("tags", []))
    lines = cell.source.split("\n")
    kept = [line for line in lines if not MARKER_LINE.match(line)]
    for line in lines:
        found = MARKER_LINE.match(line)
        if found and marker_tag(found.group(1)) not in tags:
            tags.append(marker_tag(found.group(1)))
    if not HIDDEN_ALREADY & set(tags):
        tags.append(HIDE)
    changed = kept != lines or tags != list(cell.metadata.get("tags", []))
    if changed:
        cell.source = "\n".join(kept)
        cell.metadata["tags"] = tags
    return changed


def normalise(path: Path, write: bool = True) -> int:
    """Normalise one notebook; returns the number of cells that changed (written only if ``write``)."""
    notebook = nbformat.read(path, as_version=4)
    changed = sum(normalise_cell(cell) for cell in notebook.cells)
    if changed and write:
        nbformat.write(notebook, path)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every book/*.ipynb")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a notebook would change")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "book").glob("*.ipynb"))
    pending = 0
    for path in paths:
        changed = normalise(path, write=not args.check)
        if changed:
            pending += 1
            print(f"{path}: {changed} cell(s) {'need normalising' if args.check else 'normalised'}")
    return 1 if args.check and pending else 0


if __name__ == "__main__":
    sys.exit(main())
