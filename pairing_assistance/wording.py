"""Official wording: find avoided forms in the project's own prose.

The term list is ``data/style/terms.csv``: one avoided form per row (a regular
expression), its preferred form, a note and the basis. A finding names the
file and line (or row and column) and the preferred form.

What is not own prose, and so is never flagged (``data/style/README.md``):

* text inside 《》: titles of documents, books and articles stay verbatim;
* the text of a known verbatim title where it stands without 《》 (a table
  cell or chart label showing a title): the cells of the verbatim columns of
  ``data/*.csv`` (``VERBATIM_COLUMNS``);
* a quotation in “…”, 「…」 or ‘…’ inside a sentence that names its document
  in 《》 (quotations of documents keep their wording);
* code: code cells, fenced code blocks, inline code, URLs, identifiers.
"""

from __future__ import annotations

import ast
import csv
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterable, Iterator

ROOT = Path(__file__).resolve().parent.parent
TERMS_PATH = ROOT / "data" / "style" / "terms.csv"
TERM_COLUMNS = ("term_id", "lang", "avoided", "preferred", "note", "basis", "confidence")
LANGUAGES = ("zh", "en")
CONFIDENCE = ("high", "medium", "low")
# Columns that hold other people's words (titles, publishers, URLs), kept as published.
VERBATIM_COLUMNS = frozenset({"source_title", "source_url", "retrieved_via", "document_title",
                              "document_number", "title", "source", "issuer",
                              "alias"})  # alias: a raw file's own spelling, matched as quoted
# BibTeX fields written by us; titles, authors and journals are the sources' own.
BIB_OWN_FIELDS = ("note", "annote", "addendum", "abstract")

_TITLE = re.compile(r"《[^《》\n]*》")
_QUOTE = re.compile(r"“[^“”\n]*”|「[^「」\n]*」|‘[^‘’\n]*’")
_SENTENCE = re.compile(r"[^。！？!?\n]+")
_URL = re.compile(r"https?://[^\s)\]>\"'，。]+")


class WordingError(ValueError):
    """The term list is malformed; the message names file, line and column."""


@dataclass(frozen=True)
class Term:
    term_id: str
    lang: str
    avoided: re.Pattern
    preferred: str
    note: str


@dataclass(frozen=True)
class Finding:
    where: str
    term_id: str
    found: str
    preferred: str

    def __str__(self) -> str:
        return f"{self.where}: '{self.found}' ({self.term_id}) -> use {self.preferred}"


def load_terms(path: Path = TERMS_PATH) -> tuple[Term, ...]:
    """Read and validate the term list; a bad cell raises WordingError naming line and column."""
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in TERM_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise WordingError(f"{path.name}, line 1: missing column(s) {missing}")
        terms, seen = [], set()
        for line, row in enumerate(reader, start=2):
            for column in TERM_COLUMNS:
                if not (row[column] or "").strip():
                    raise WordingError(f"{path.name}, line {line}, column '{column}': empty")
            if row["term_id"] in seen:
                raise WordingError(f"{path.name}, line {line}, column 'term_id': duplicate {row['term_id']!r}")
            seen.add(row["term_id"])
            if row["lang"] not in LANGUAGES:
                raise WordingError(f"{path.name}, line {line}, column 'lang': {row['lang']!r} not in {LANGUAGES}")
            if row["confidence"] not in CONFIDENCE:
                raise WordingError(f"{path.name}, line {line}, column 'confidence': "
                                   f"{row['confidence']!r} not in {CONFIDENCE}")
            try:
                pattern = re.compile(row["avoided"])
            except re.error as error:
                raise WordingError(f"{path.name}, line {line}, column 'avoided': bad pattern ({error})") from None
            if pattern.search(row["preferred"].split("（")[0]):
                raise WordingError(f"{path.name}, line {line}, column 'preferred': contains the avoided form")
            terms.append(Term(row["term_id"], row["lang"], pattern, row["preferred"], row["note"]))
    return tuple(terms)


def official_formulations(terms: Iterable[Term] | None = None, min_length: int = 8) -> tuple[str, ...]:
    """Fixed official formulations among the preferred forms (e.g. 习近平新时代中国特色社会主义思想).

    Everyone who writes them writes them identically, so a check for copied
    text must not count them as copying.
    """
    terms = load_terms() if terms is None else tuple(terms)
    forms = {part.split("（")[0].strip() for term in terms if term.lang == "zh" for part in term.preferred.split("；")}
    return tuple(sorted((f for f in forms if len(f) >= min_length), key=len, reverse=True))


def verbatim_texts(data_dir: Path, terms: Iterable[Term]) -> frozenset[str]:
    """Cells of verbatim columns (titles, publishers) that contain an avoided form.

    Such text may appear outside 《》 in a table or chart; where it does, it is
    a title shown as published, not our wording.
    """
    terms = tuple(terms)
    found = set()
    for path in sorted(data_dir.rglob("*.csv")):
        if "style" in path.relative_to(data_dir).parts:
            continue
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                for column, value in row.items():
                    if column in VERBATIM_COLUMNS and value and any(t.avoided.search(value) for t in terms):
                        found.add(value.strip())
                        found.update(m.group()[1:-1] for m in _TITLE.finditer(value))
    return frozenset(v for v in found if len(v) >= 4)


def exempt_spans(text: str, verbatim: Iterable[str] = ()) -> list[tuple[int, int]]:
    """Character spans that are titles, known verbatim titles or attributed quotations."""
    spans = [m.span() for m in _TITLE.finditer(text)]
    for value in verbatim:
        start = text.find(value)
        while start != -1:
            spans.append((start, start + len(value)))
            start = text.find(value, start + 1)
    for sentence in _SENTENCE.finditer(text):
        if _TITLE.search(sentence.group()):
            offset = sentence.start()
            spans.extend((offset + q.start(), offset + q.end()) for q in _QUOTE.finditer(sentence.group()))
    return spans


def find_avoided(text: str, terms: Iterable[Term], verbatim: Iterable[str] = ()) -> list[tuple[int, int, Term, str]]:
    """Avoided forms in ``text`` outside exempt spans, as (line, column, term, matched text)."""
    spans = exempt_spans(text, verbatim)
    hits = []
    for term in terms:
        for match in term.avoided.finditer(text):
            if any(start <= match.start() and match.end() <= end for start, end in spans):
                continue
            line = text.count("\n", 0, match.start()) + 1
            column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
            hits.append((line, column, term, match.group()))
    return sorted(hits, key=lambda hit: (hit[0], hit[1]))


def _blank(match: re.Match) -> str:
    """Replace a match by spaces, keeping its line breaks (so line numbers stay right)."""
    return re.sub(r"[^\n]", " ", match.group())


_FENCE = re.compile(r"^(`{3,}|~{3,})([^\n]*)\n.*?^\1[ \t]*$", re.M | re.S)
_CODE_DIRECTIVES = {"{code-cell}", "{code-block}", "{code}", "{sourcecode}", "{literalinclude}"}
_ROLE = re.compile(r"(\{[\w:.-]+\}(`+))(.+?)(\2)")
_INLINE_CODE = re.compile(r"(`+)[^`\n]+?\1")


def markdown_prose(text: str) -> str:
    """Markdown with code blanked out: code fences (not prose directives), inline code, URLs."""
    def fence(match: re.Match) -> str:
        info = match.group(2).strip().split()
        directive = info[0] if info else ""
        if directive.startswith("{") and directive not in _CODE_DIRECTIVES:
            return match.group()  # a MyST directive such as {note} or {glossary}: prose inside
        return _blank(match)
    text = _FENCE.sub(fence, text)
    # A role such as {term}`共同富裕` shows its content: keep it, blank only the markup.
    text = _ROLE.sub(lambda m: " " * len(m.group(1)) + m.group(3) + " " * len(m.group(4)), text)
    text = _INLINE_CODE.sub(_blank, text)
    return _URL.sub(_blank, text)


class _VisibleText(HTMLParser):
    """Text a reader sees: no script, style or template; optionally skip elements by class."""

    HIDDEN = {"script", "style", "template", "noscript"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, skip_classes: Iterable[str] = ()):
        super().__init__(convert_charrefs=True)
        self.skip_classes = set(skip_classes)
        self.stack: list[bool] = []  # per open element: does it hide its content?
        self.parts: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def _is_code(self, classes: set[str]) -> bool:
        # Sphinx code blocks carry highlight-<language>; cell outputs carry highlight-myst-ansi and stay.
        return "code" in self.skip_classes and any(
            c.startswith("highlight-") and c != "highlight-myst-ansi" for c in classes)

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        self.stack.append(tag in self.HIDDEN or bool(classes & self.skip_classes) or self._is_code(classes))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        if tag in self.VOID or not self.stack:
            return
        self.stack.pop()
        self._in_script = False
        self.parts.append("\n")

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)
        if not any(self.stack):
            self.parts.append(data)


_SPEC = re.compile(r"var spec = (?=\{)")


def chart_strings(script: str) -> list[str]:
    """Every string in the Vega-Lite specs of a script (titles, labels, data shown in tooltips)."""
    strings: list[str] = []

    def walk(node):
        if isinstance(node, str):
            strings.append(_URL.sub("", node))
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    decoder = json.JSONDecoder()
    for match in _SPEC.finditer(script):
        try:
            spec, _ = decoder.raw_decode(script, match.end())
        except json.JSONDecodeError:
            continue
        walk(spec)
    return strings


def html_texts(html: str, skip_classes: Iterable[str] = ()) -> tuple[str, list[str]]:
    """Visible text of an HTML fragment or page, and the strings of the charts it draws."""
    parser = _VisibleText(skip_classes)
    parser.feed(html)
    parser.close()
    text = re.sub(r"\n\s*\n+", "\n", "".join(parser.parts))
    charts = [s for script in parser.scripts for s in chart_strings(script)]
    return text, charts


def notebook_texts(path: Path) -> Iterator[tuple[str, str]]:
    """(where, text) for each markdown cell and each visible output of a notebook."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    for number, cell in enumerate(cells, start=1):
        source = "".join(cell.get("source", ""))
        if cell["cell_type"] == "markdown":
            yield f"cell {number} (markdown)", markdown_prose(source)
        for index, output in enumerate(cell.get("outputs", []), start=1):
            where = f"cell {number} (output {index})"
            if output.get("output_type") == "stream":
                yield where, "".join(output.get("text", ""))
                continue
            data = output.get("data", {})
            if "text/html" in data:
                text, charts = html_texts("".join(data["text/html"]))
                yield where, text
                for chart in charts:
                    yield f"{where}, chart", chart
            elif "text/markdown" in data:
                yield where, markdown_prose("".join(data["text/markdown"]))
            elif "text/plain" in data:
                yield where, "".join(data["text/plain"])


def python_strings(path: Path) -> Iterator[tuple[int, str]]:
    """(line, text) of every string literal in a module, docstrings included; comments are not strings."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def csv_texts(path: Path) -> Iterator[tuple[int, str, str]]:
    """(line, column, text) of own-text cells: every column except the verbatim ones."""
    with open(path, encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            for column, value in row.items():
                if column not in VERBATIM_COLUMNS and value:
                    yield line, column, _URL.sub("", value)


_BIB_ENTRY = re.compile(r"@\w+\{([^,]+),")
_BIB_FIELD = re.compile(r"^\s*(\w+)\s*=\s*[{\"](.*?)[}\"],?\s*$", re.M)


def bib_notes(path: Path) -> Iterator[tuple[int, str]]:
    """(line, text) of the fields of references.bib written by us (note, annote, ...)."""
    text = path.read_text(encoding="utf-8")
    for match in _BIB_FIELD.finditer(text):
        if match.group(1).lower() in BIB_OWN_FIELDS:
            yield text.count("\n", 0, match.start()) + 1, _URL.sub("", match.group(2))


def own_prose(root: Path = ROOT) -> Iterator[tuple[str, int, str]]:
    """(place, first line, text) for all own prose of the repository.

    ``place`` names the file (and cell, or row and column); lines inside
    ``text`` count from ``first line``.
    """
    book = root / "book"
    for path in sorted(book.glob("*.md")) + sorted((book / "appendix").glob("*.md")):
        yield path.relative_to(root).as_posix(), 1, markdown_prose(path.read_text(encoding="utf-8"))
    for path in sorted(book.glob("*.ipynb")):
        for where, text in notebook_texts(path):
            yield f"{path.relative_to(root).as_posix()}, {where}", 1, text
    if (book / "references.bib").exists():
        for line, text in bib_notes(book / "references.bib"):
            yield "book/references.bib", line, text
    for path in sorted((root / "pairing_assistance").rglob("*.py")):
        for line, text in python_strings(path):
            yield path.relative_to(root).as_posix(), line, text
    data = root / "data"
    for path in sorted(data.rglob("*.csv")):
        if "style" in path.relative_to(data).parts:
            continue
        for line, column, text in csv_texts(path):
            yield f"{path.relative_to(root).as_posix()}, line {line}, column '{column}'", 0, text
    for name in ("README.md", "CITATION.cff"):
        if (root / name).exists():
            text = (root / name).read_text(encoding="utf-8")
            yield name, 1, markdown_prose(text) if name.endswith(".md") else _URL.sub("", text)


def scan(texts: Iterable[tuple[str, int, str]], terms: Iterable[Term],
         verbatim: Iterable[str] = ()) -> list[Finding]:
    """Findings for (place, first line, text) triples; first line 0 means the place is already exact."""
    terms, verbatim = tuple(terms), tuple(verbatim)
    findings: dict[tuple[str, str], Finding] = {}
    for place, first, text in texts:
        for line, column, term, found in find_avoided(text, terms, verbatim):
            where = place if first == 0 else f"{place}, line {first + line - 1}, column {column}"
            findings.setdefault((where, found), Finding(where, term.term_id, found, term.preferred))
    return list(findings.values())


def scan_repository(root: Path = ROOT) -> list[Finding]:
    """Every avoided form in the repository's own prose."""
    terms = load_terms(root / "data" / "style" / "terms.csv")
    return scan(own_prose(root), terms, verbatim_texts(root / "data", terms))


def site_texts(site: Path) -> Iterator[tuple[str, int, str]]:
    """(page, 1, text) for the visible text and the chart strings of every page of a built site.

    Code is not prose: folded code cells (``cell_input``), code blocks and
    inline code (``literal``) are left out, as they are in the sources.
    """
    for path in sorted(site.rglob("*.html")):
        if "_static" in path.parts or "_sources" in path.parts:
            continue
        text, charts = html_texts(path.read_text(encoding="utf-8"), skip_classes={"cell_input", "literal", "code"})
        page = path.relative_to(site).as_posix()
        yield page, 1, text
        for number, chart in enumerate(charts, start=1):
            yield f"{page}, chart string {number}", 0, chart
