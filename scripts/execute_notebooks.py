"""Execute the book's notebooks in place so they are committed with their outputs (nbval compares them).

Usage: .venv/bin/python scripts/execute_notebooks.py [book/02_theory.ipynb ...]
Prints the execution time of each notebook.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def execute(path: Path) -> float:
    notebook = nbformat.read(path, as_version=4)
    started = time.perf_counter()
    NotebookClient(notebook, timeout=120, kernel_name="python3", record_timing=False,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    elapsed = time.perf_counter() - started
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(notebook, path)
    return elapsed


def main(paths: list[str]) -> None:
    targets = [Path(p) for p in paths] or sorted((ROOT / "book").glob("*.ipynb"))
    for path in targets:
        print(f"{path.name:28s} {execute(path):6.2f} s", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
