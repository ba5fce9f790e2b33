"""scripts/execute_notebooks.py: re-executing a notebook whose outputs did not change leaves its file
byte-identical, widget ids included, and the rewritten ids still tie each view to its saved state."""

import importlib.util
import json
import re

import nbformat
import pytest

from conftest import ROOT


def _script():
    spec = importlib.util.spec_from_file_location("execute_notebooks", ROOT / "scripts" / "execute_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


execute_notebooks = _script()
# A small explorer like the book's: a box of controls around an Output widget, displayed once.
CELLS = [
    "import ipywidgets as widgets",
    "year = widgets.IntSlider(value=2012, min=1992, max=2025, description='年份')\n"
    "output = widgets.Output()\n"
    "widgets.VBox([widgets.HBox([year, widgets.Dropdown(options=['甲', '乙'])]), output])",
    "print(21 * 2)",
]


@pytest.fixture
def notebook_path(tmp_path):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code) for code in CELLS])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "explorer.ipynb"
    nbformat.write(notebook, path)
    return path


def test_second_execution_leaves_the_notebook_byte_identical(notebook_path):
    _, changed_first = execute_notebooks.execute(notebook_path)
    first = notebook_path.read_bytes()
    _, changed_second = execute_notebooks.execute(notebook_path)
    assert changed_first and not changed_second
    assert notebook_path.read_bytes() == first


def test_widget_ids_are_derived_and_every_reference_resolves(notebook_path):
    execute_notebooks.execute(notebook_path)
    notebook = json.loads(notebook_path.read_text(encoding="utf-8"))
    state = notebook["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    views = [o["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]
             for c in notebook["cells"] for o in c.get("outputs", [])
             if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(views) == 1 and views[0] in state
    assert len(state) >= 8  # VBox, HBox, slider, dropdown, output and their layouts and styles
    expected = {execute_notebooks.hashlib.sha256(f"explorer:{i}".encode()).hexdigest()[:32] for i in range(len(state))}
    assert set(state) == expected
    references = set(re.findall(r"IPY_MODEL_([0-9a-f]{32})", json.dumps(state)))
    assert references and references <= set(state)
    assert "".join(notebook["cells"][2]["outputs"][0]["text"]) == "42\n"
