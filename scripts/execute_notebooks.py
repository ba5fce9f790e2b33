"""Execute the book's notebooks in place so they are committed with the outputs review and nbval need.

Usage: .venv/bin/python scripts/execute_notebooks.py [book/02_theory.ipynb ...]
Prints the execution time of each notebook, whether its file changed, and its size.

What is committed is what a reviewer reads and what the tests compare, not what the site shows (the build
executes every notebook itself, see scripts/build-book.sh):
* tables, printed text and glued values stay as they are (nbval compares the tagged ones; the key-number
  record and the classroom kit read the glued ones);
* a chart's output (HTML with its whole Vega-Lite spec and data, up to a megabyte) becomes one line: its
  description, which states what the chart shows in words and numbers, and the sha256 of the HTML in the
  output's metadata, so a diff still shows which chart changed and how its description moved;
* ipywidgets views and their saved state are dropped: they only live in a running kernel.
A notebook whose outputs did not change is left byte-identical (execution timings are dropped too).
"""

from __future__ import annotations

import hashlib
import html
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
VIEW = "application/vnd.jupyter.widget-view+json"


CHART_NOTE = "交互式图表（运行本笔记本，或在本书网页上查看）"
CAPTION = re.compile(r'<figcaption id="[^"]*-name"[^>]*>(.*?)</figcaption>', re.DOTALL)


def _chart_stub(output, page: str):
    """The committed form of a chart's output: its description in words, the digest of its HTML."""
    chart_html = "".join(output["data"]["text/html"])
    caption = CAPTION.search(chart_html)
    if not caption:
        raise ValueError(f"{page}: a chart output without its description (figcaption); "
                         "render charts through pairing_assistance.charts")
    description = html.unescape(re.sub(r"<[^>]+>", "", caption.group(1))).strip()
    return nbformat.from_dict({
        "output_type": output["output_type"], **({"execution_count": output.get("execution_count")}
                                                   if output["output_type"] == "execute_result" else {}),
        "data": {"text/plain": f"{CHART_NOTE}{description}"},
        "metadata": {"pairing_chart": {"sha256": hashlib.sha256(chart_html.encode("utf-8")).hexdigest(),
                                       "html_bytes": len(chart_html.encode("utf-8"))}},
    })


def compact_outputs(notebook, page: str) -> None:
    """Charts to one-line stubs, widget views and state dropped; every other output kept verbatim."""
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if VIEW in data:
                continue
            if "vegaEmbed" in "".join(data.get("text/html", "")):
                output = _chart_stub(output, page)
            kept.append(output)
        cell.outputs = kept
    notebook.metadata.pop("widgets", None)


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
    compact_outputs(notebook, path.name)
    nbformat.write(notebook, path)
    return elapsed, path.read_bytes() != before


def main(paths: list[str]) -> None:
    targets = [Path(p) for p in paths] or sorted((ROOT / "book").glob("*.ipynb"))
    for path in targets:
        elapsed, changed = execute(path)
        print(f"{path.name:28s} {elapsed:6.2f} s  {'changed' if changed else 'unchanged':9s} "
              f"{path.stat().st_size / 1000:7.0f} KB", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
