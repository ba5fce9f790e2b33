"""Notebooks as readers meet them: code folded, no test markers, outputs free of identifiers and pandas artefacts.

The normaliser (scripts/normalise_notebooks.py) makes the first two hold; the third
needs reader tables (pairing_assistance.tables) instead of raw DataFrames and prints.
"""

import html
import importlib.util
import re

import nbformat
import pytest

from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "book").glob("*.ipynb"))
HIDDEN = {"hide-input", "remove-input", "remove-cell"}
OUTPUT_HIDDEN = {"remove-output", "remove-cell"}
MARKER = re.compile(r"^\s*#\s*NBVAL_[A-Z_]+\s*$", re.MULTILINE)
# what pandas prints, and names from code: snake_case ids (tibet_1994, rel_gdp_per_capita) and English words
ARTEFACT = re.compile(r'class="dataframe"|dtype:|\bName: |\bNaN\b|<NA>|\bNone\b')
IDENTIFIER = re.compile(r"\b[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+\b")
ASCII_WORD = re.compile(r"\b[A-Za-z]{2,}\b")
# Latin a reader may meet in a Chinese table: abbreviations the chapters define, and the export formats
ALLOWED_WORDS = {"GDP", "RMSPE", "CSV"}
# as in the site test: a file a reader can download is named by its file name, and a source column
# (出处, 来源) cites publishers and titles in their own language, like the bibliography
FILE_NAME = re.compile(r"[\w./-]+\.(?:csv|json|cff|bib|py|md|ipynb|zip)\b")
SOURCE_HEADER = re.compile(r"出处|来源")

_spec = importlib.util.spec_from_file_location("normalise_notebooks", ROOT / "scripts" / "normalise_notebooks.py")
normaliser = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(normaliser)


def _code_cells(path):
    return [(i, c) for i, c in enumerate(nbformat.read(path, as_version=4).cells) if c.cell_type == "code"]


def _shown_texts(cell):
    """Texts of the outputs a reader sees (HTML where there is HTML: that is what the site shows); charts are
    judged on the built site (their HTML holds the spec)."""
    if OUTPUT_HIDDEN & set(cell.metadata.get("tags", [])):
        return
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            yield output.get("text", "")
        data = output.get("data", {})
        if "vegaEmbed" in data.get("text/html", ""):
            continue
        shown = [key for key in ("text/html", "text/markdown") if key in data] or ["text/plain"] * ("text/plain" in data)
        yield from (data[key] for key in shown)


def _without_source_columns(text):
    """The HTML of reader tables without the cells of their source columns."""
    def table(match):
        html_table = match.group(0)
        headers = re.findall(r"<th\b[^>]*>(.*?)</th>", html_table, re.DOTALL)
        dropped = {i for i, h in enumerate(headers) if SOURCE_HEADER.search(h)}
        if not dropped:
            return html_table

        def row(row_match):
            cells = re.findall(r"<td\b[^>]*>.*?</td>", row_match.group(0), re.DOTALL)
            return "<tr>" + "".join(c for i, c in enumerate(cells) if i not in dropped) + "</tr>"
        return re.sub(r"<tr>(?:(?!</tr>).)*<td\b.*?</tr>", row, html_table, flags=re.DOTALL)
    return re.sub(r"<table\b.*?</table>", table, text, flags=re.DOTALL)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_code_cell_is_folded_and_unmarked(path):
    unfolded = [i for i, c in _code_cells(path) if not HIDDEN & set(c.metadata.get("tags", []))]
    marked = [i for i, c in _code_cells(path) if MARKER.search(c.source)]
    assert not unfolded and not marked, (
        f"{path.name}: code shown in cells {unfolded}, NBVAL comment markers in cells {marked}; "
        "run scripts/normalise_notebooks.py")


def _visible(text):
    """Text a reader sees: styles, scripts, tags and attributes are markup, not text."""
    text = re.sub(r"<(style|script)\b.*?</\1>", " ", _without_source_columns(text), flags=re.DOTALL | re.IGNORECASE)
    return FILE_NAME.sub(" ", html.unescape(re.sub(r"<[^>]+>", " ", text)))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_outputs_have_no_identifiers_or_pandas_artefacts(path):
    problems = []
    for index, cell in _code_cells(path):
        for text in _shown_texts(cell):
            visible = _visible(text)
            found = (ARTEFACT.findall(text) + IDENTIFIER.findall(visible)
                     + [w for w in ASCII_WORD.findall(visible) if w not in ALLOWED_WORDS])
            if found:
                problems.append(f"cell {index}: {sorted(set(found))[:6]}")
    assert not problems, f"{path.name}: " + "; ".join(problems) + " — show results with pairing_assistance.tables"


def _notebook(*sources, tags=()):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("# 标题")]
    notebook.cells += [nbformat.v4.new_code_cell(s, metadata={"tags": list(tags)}) for s in sources]
    return notebook


def test_normaliser_folds_code_and_turns_markers_into_nbval_tags(tmp_path):
    path = tmp_path / "n.ipynb"
    nbformat.write(_notebook("# NBVAL_CHECK_OUTPUT\nx = 1\nx", "#NBVAL_IGNORE_OUTPUT\nshow()", "y = 2"), path)
    assert normaliser.normalise(path) == 3
    cells = nbformat.read(path, as_version=4).cells
    assert [c.source for c in cells[1:]] == ["x = 1\nx", "show()", "y = 2"]
    assert [c.metadata["tags"] for c in cells[1:]] == [
        ["nbval-check-output", "hide-input"], ["nbval-ignore-output", "hide-input"], ["hide-input"]]
    assert cells[0].cell_type == "markdown" and "tags" not in cells[0].metadata
    assert normaliser.normalise(path) == 0  # idempotent
    assert normaliser.main(["--check", str(path)]) == 0


def test_normaliser_tags_are_the_ones_nbval_reads():
    from nbval.plugin import metadata_tags

    for marker in normaliser.MARKERS:
        assert normaliser.marker_tag(marker) in metadata_tags


def test_normaliser_check_mode_reports_without_writing(tmp_path):
    path = tmp_path / "n.ipynb"
    nbformat.write(_notebook("# NBVAL_CHECK_OUTPUT\n1"), path)
    before = path.read_bytes()
    assert normaliser.main(["--check", str(path)]) == 1
    assert path.read_bytes() == before


def test_cells_already_removed_keep_their_tags(tmp_path):
    path = tmp_path / "n.ipynb"
    nbformat.write(_notebook("1", tags=["remove-input"]), path)
    assert normaliser.normalise(path) == 0


def test_source_columns_and_file_names_are_the_only_latin_allowed():
    page = ('<table><thead><tr><th>项目</th><th>规定的出处</th></tr></thead><tbody>'
            '<tr><td>援疆</td><td>China Daily, 2010</td></tr><tr><td>all donors</td><td>—</td></tr></tbody></table>')
    assert _visible(page).split() == ["项目", "规定的出处", "援疆", "all", "donors"]
    assert "aid_figures" not in _visible("data/aid_figures.csv 第 37 行") and "valid_from" in _visible("valid_from 列")


def _toc_files() -> list:
    """The book's pages in reading order (_toc.yml), as paths of their sources."""
    import yaml

    def walk(entries):
        for entry in entries:
            yield entry["file"]
            yield from walk(entry.get("sections", []))

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]] + [f for part in toc["parts"] for f in walk(part["chapters"])]
    return [next(ROOT.glob(f"{f}.*")) for f in files]


def test_figures_are_numbered_in_reading_order_within_each_chapter():
    """Captions **图 c-n** run 1, 2, 3 … per chapter across its pages in reading order (chapter 5 had 5-0 first and
    its evidence maps numbered 5-1 to 5-3 across three pages, out of order)."""
    seen: dict[str, list[int]] = {}
    for path in _toc_files():
        text = ("\n".join(c.source for c in nbformat.read(path, 4).cells if c.cell_type == "markdown")
                if path.suffix == ".ipynb" else path.read_text(encoding="utf-8"))
        for chapter, number in re.findall(r"\*\*图 (\d+)-(\d+)\*\*", text):
            seen.setdefault(chapter, []).append(int(number))
    assert seen, "no figure captions found"
    for chapter, numbers in seen.items():
        assert numbers == list(range(1, len(numbers) + 1)), f"chapter {chapter}: figures numbered {numbers}"
