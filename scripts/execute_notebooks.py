"""Execute the book's notebooks in place so they are committed with their outputs (nbval compares them).

Usage: .venv/bin/python scripts/execute_notebooks.py [book/02_theory.ipynb ...]
Prints the execution time of each notebook and whether its file changed.

A notebook whose outputs did not change is left byte-identical: execution timings are dropped, and the
ids of ipywidgets models (random uuids, about a thousand lines of widget state per run otherwise) are
replaced by ids derived from the notebook's name and each widget's place in the widget tree.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
STATE = "application/vnd.jupyter.widget-state+json"
VIEW = "application/vnd.jupyter.widget-view+json"
REFERENCE = re.compile(r"IPY_MODEL_([0-9a-f]{32})")


def _widget_order(notebook) -> list[str]:
    """Model ids in a stable order: from each displayed widget down its references, then any others."""
    state = notebook.metadata.get("widgets", {}).get(STATE, {}).get("state", {})
    order: list[str] = []

    def visit(model_id: str) -> None:
        if model_id in order:
            return
        order.append(model_id)
        for child in REFERENCE.findall(json.dumps(state.get(model_id, {}), sort_keys=True)):
            visit(child)

    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(VIEW)
            if view:
                visit(view["model_id"])
    # Models no displayed widget refers to (rare): order them by their content without ids.
    rest = sorted((m for m in state if m not in order),
                  key=lambda m: REFERENCE.sub("", json.dumps(state[m], sort_keys=True)))
    for model_id in rest:
        visit(model_id)
    return order


def stabilise_widget_ids(notebook, name: str) -> None:
    """Replace every widget model id (in outputs and in the saved widget state) by a deterministic one."""
    order = _widget_order(notebook)
    if not order:
        return
    new_ids = {old: hashlib.sha256(f"{name}:{index}".encode()).hexdigest()[:32] for index, old in enumerate(order)}
    pattern = re.compile("|".join(order))
    # The ids are 32 random hex digits: replacing them in the serialised cells and state cannot hit other text.
    cells = json.loads(pattern.sub(lambda m: new_ids[m.group(0)], json.dumps(notebook.cells)))
    widgets = notebook.metadata["widgets"][STATE]
    state = json.loads(pattern.sub(lambda m: new_ids[m.group(0)], json.dumps(widgets["state"])))
    notebook.cells = nbformat.from_dict(cells)
    widgets["state"] = {model_id: state[model_id] for model_id in sorted(state)}


def execute(path: Path) -> tuple[float, bool]:
    """Run a notebook in its folder and write it back; return the time taken and whether the file changed."""
    before = path.read_bytes()
    notebook = nbformat.read(path, as_version=4)
    started = time.perf_counter()
    NotebookClient(notebook, timeout=120, kernel_name="python3", record_timing=False,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    elapsed = time.perf_counter() - started
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
    stabilise_widget_ids(notebook, path.stem)
    nbformat.write(notebook, path)
    return elapsed, path.read_bytes() != before


def main(paths: list[str]) -> None:
    targets = [Path(p) for p in paths] or sorted((ROOT / "book").glob("*.ipynb"))
    for path in targets:
        elapsed, changed = execute(path)
        print(f"{path.name:28s} {elapsed:6.2f} s  {'changed' if changed else 'unchanged'}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
