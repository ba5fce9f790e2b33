"""scripts/execute_notebooks.py: re-executing a notebook whose outputs did not change leaves its file
byte-identical; committed notebooks keep tables, prints and glued values, turn each chart into its description
and digest, and hold no widget views or state."""

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
    "from pairing_assistance import charts\n"
    "import altair as alt, pandas as pd\n"
    "charts.setup(live=False)\n"
    "alt.Chart(pd.DataFrame({'年份': [2010, 2011], '金额': [1.5, STEP]}), title='援助金额').mark_line().encode("
    "x='年份:O', y='金额:Q').properties(description='援助金额从 2010 年到 2011 年的变化。')",
]


@pytest.fixture
def notebook_path(tmp_path):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code.replace("STEP", "2.5"))
                                               for code in CELLS])
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


def test_widget_views_and_state_are_not_committed_but_printed_text_is(notebook_path):
    execute_notebooks.execute(notebook_path)
    notebook = json.loads(notebook_path.read_text(encoding="utf-8"))
    assert "widgets" not in notebook["metadata"]
    assert not [o for c in notebook["cells"] for o in c.get("outputs", [])
                if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert "".join(notebook["cells"][2]["outputs"][0]["text"]) == "42\n"


def _chart_output(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    (output,) = notebook["cells"][3]["outputs"]
    return output


def test_a_chart_is_committed_as_its_description_and_digest(notebook_path):
    execute_notebooks.execute(notebook_path)
    output = _chart_output(notebook_path)
    assert set(output["data"]) == {"text/plain"}
    text = "".join(output["data"]["text/plain"])
    assert text.startswith(execute_notebooks.CHART_NOTE) and "援助金额从 2010 年到 2011 年的变化。" in text
    digest = output["metadata"]["pairing_chart"]
    assert re.fullmatch(r"[0-9a-f]{64}", digest["sha256"]) and digest["html_bytes"] > 1000


def test_a_changed_chart_changes_its_digest(notebook_path):
    execute_notebooks.execute(notebook_path)
    before = _chart_output(notebook_path)["metadata"]["pairing_chart"]["sha256"]
    notebook = nbformat.read(notebook_path, as_version=4)
    notebook.cells[3].source = CELLS[3].replace("STEP", "2.6")
    nbformat.write(notebook, notebook_path)
    _, changed = execute_notebooks.execute(notebook_path)
    assert changed and _chart_output(notebook_path)["metadata"]["pairing_chart"]["sha256"] != before


def test_a_chart_without_description_stops_the_script(notebook_path):
    notebook = nbformat.read(notebook_path, as_version=4)
    notebook.cells[3].source = "from IPython.display import HTML\nHTML('<div></div><script>vegaEmbed()</script>')"
    nbformat.write(notebook, notebook_path)
    with pytest.raises(ValueError, match="explorer.ipynb: a chart output without its description"):
        execute_notebooks.execute(notebook_path)


def test_the_books_notebooks_are_committed_compact():
    for path in sorted((ROOT / "book").glob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        outputs = [o for c in notebook["cells"] for o in c.get("outputs", [])]
        assert "widgets" not in notebook["metadata"], path.name
        assert not [o for o in outputs if "vegaEmbed" in "".join(o.get("data", {}).get("text/html", ""))], (
            f"{path.name}: chart HTML committed; run scripts/execute_notebooks.py")
        assert path.stat().st_size < 400_000, f"{path.name}: {path.stat().st_size} bytes"
