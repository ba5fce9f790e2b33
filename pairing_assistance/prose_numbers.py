"""Digit runs typed by hand in the book's prose: the check behind "numbers in prose come from computation".

A number that comes from data or an estimate is pasted into the prose by myst-nb (``{glue:text}`` or a
build-time role such as ``{data-count}``), so it cannot drift from its computation. This module lists the
digit runs of the prose that are still typed and are none of the following, so a test can keep that list
empty:

* not prose at all: code (fenced code, inline code), maths (``$…$``, ``$$…$$``, ``{math}``), roles and
  their content (``{glue:text}``, ``{cite}``, ``{numref}``…), link targets, URLs, HTML, labels, directive
  options, ordered-list markers, identifiers (``ch2-ex1``, ``H1``);
* a year (1800–2099 not followed by a unit), a month or day of a date, an ISO date;
* part of a title in 《》, of a document number (``国办发〔2008〕53号``) or of a proper name whose number
  is part of the name (``Proposition 99``, California's tobacco-tax ballot measure);
* a chapter, section, figure, table, exercise or question number (``第5章``, ``5.1 节``, ``图 2-1``,
  ``练习 3``, ``第 2 问``);
* a phrase of the reviewed allow-list ``data/style/typed_numbers.csv`` (page, exact phrase, why it is not
  computed, source): numbers quoted from a cited source, and givens that the text itself sets.

Masking keeps every character's line and column, so a finding names page and line, and an allow-list
phrase is matched against the original line.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
ALLOW_PATH = ROOT / "data" / "style" / "typed_numbers.csv"
ALLOW_COLUMNS = ("page", "phrase", "why", "source")

# fenced blocks whose body is code or maths, not prose
_CODE_FENCES = {"", "python", "python3", "ipython", "ipython3", "bash", "sh", "text", "json", "yaml", "csv",
                "{code-cell}", "{code-block}", "{code}", "{math}", "{glue}", "{glue:figure}", "{glue:math}",
                "{bibliography}", "{data-dictionary}", "{raw}", "{eval-rst}", "mermaid", "{tableofcontents}"}
_FENCE = re.compile(r"^\s*(`{3,}|~{3,}|:{3,})\s*(\{[^}]*\}|[\w+-]*)")
_MASKS = [
    re.compile(r"<!--.*?-->", re.S),                      # HTML comments
    re.compile(r"\$\$.*?\$\$", re.S),                     # display maths
    re.compile(r"(?<![\\$])\$(?!\s)[^$\n]+?(?<!\s)\$"),   # inline maths
    re.compile(r"\{[\w:+-]+\}`[^`]*`"),                   # roles: glue, cite, numref, math, term, data-count…
    re.compile(r"`+[^`\n]*`+"),                           # inline code
    re.compile(r"\]\([^)\n]*\)"),                         # link targets
    re.compile(r"https?://[^\s)>\]]+"),                   # bare URLs
    re.compile(r"<[^>\n]+>"),                             # HTML tags
    re.compile(r"^\s*\([\w:.-]+\)=\s*$", re.M),           # MyST labels
    re.compile(r"^\s*:[\w-]+:.*$", re.M),                 # directive options
    re.compile(r"^\s*%.*$", re.M),                        # MyST comments
    re.compile(r"^\s*\d+\.(?=\s)", re.M),                 # ordered-list markers
]
_RUN = re.compile(r"(?<![\d.,])\d+(?:[,，]\d{3})*(?:\.\d+)?")
_UNIT_AFTER = re.compile(r"\s*[元个条人项万亿名份户所家次倍篇%‰岁天座套台辆吨米公]")
_EXEMPT_SPANS = [
    re.compile(r"《[^《》\n]*》"),                                    # titles stay verbatim
    re.compile(r"〔\d{4}〕\s*\d+\s*号"),                               # document numbers
    re.compile(r"\d{4}-\d{2}(?:-\d{2})?"),                             # ISO dates
    re.compile(r"第\s*\d+(?:\s*[、和至—–-]\s*\d+)*\s*[章节篇部题问小项号期年]"),  # 第1、3章, 第 2 问, 第 4 期, 第 10 年
    re.compile(r"\d+\s*号"),                                           # item and document numbers (14号)
    re.compile(r"(?<![\d.])\d\.\d(?:\s*(?:[、—–-]|和|and)\s*\d\.\d)*\s*(?:两节|三节|三个子页|节)"),  # 5.1、5.2 两节
    re.compile(r"(?:[Ss]ections?|Table|Figure|Exercise|no\.)\s*\d+(?:\.\d+)?(?:\s*and\s*\d+(?:\.\d+)?)?"),
    re.compile(r"(?<=\[)\d\.\d(?=\s)"),                                # [5.1 经济增长效应](...)
    re.compile(r"阅读时间[^\n]*?分钟(?:[^\n]*?分钟)?"),                  # the editor's reading-time estimate
    re.compile(r"\d{2}\s*世纪(?:\s*\d{2}\s*年代)?"),                      # 20世纪60年代
    re.compile(r"\d{1,2}·\d{1,2}"),                                     # named events (7·5)
    re.compile(r"(?:GB/T|CC BY|署名|Python)\s*\d+(?:\.\d+)*"),           # standards, licences, versions
    re.compile(r"\bProposition\s+\d+\b"),                             # proper names: California's Proposition 99
    re.compile(r"(?<![\d.])\d+\.\d+\.\d+(?:\.\w+)?"),                  # package versions (0.5.5)
    re.compile(r"\[\d+(?:\.\d+)*(?:\s*[节章])?\]"),                    # [5.1] link texts
    re.compile(r"[图表]\s*\d+(?:[.-]\d+)*[a-z]?"),                     # 图 2-1, 表 3-2, 图 2-1b
    re.compile(r"练习\s*\d+"),
    re.compile(r"附录\s*\d+"),
    re.compile(r"(?:年|^|[^\d])\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?"),       # months and days of dates
    re.compile(r"^#+\s*\d+(?:\.\d+)*", re.M),                          # heading numbers
]


class AllowListError(ValueError):
    """The allow-list is malformed; the message names file, row and column."""


@dataclass(frozen=True)
class Allowed:
    page: str
    phrase: str
    why: str
    source: str
    row: int


@dataclass(frozen=True)
class TypedNumber:
    page: str
    where: str          # "line 12" (text page) or "cell 8 line 3" (notebook)
    number: str
    context: str

    def __str__(self) -> str:
        return f"{self.page} {self.where}: {self.number!r} in …{self.context}…"


@dataclass(frozen=True)
class _Block:
    where: str          # "" for a text page, "cell N " for a notebook cell
    first_line: int
    text: str


def prose_pages(book: Path = BOOK) -> list[Path]:
    """Every page of the book: MyST text pages and notebooks, outside the build folder."""
    return sorted(p for p in book.rglob("*") if p.suffix in {".md", ".ipynb"} and "_build" not in p.parts)


def _blocks(path: Path) -> list[_Block]:
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        return [_Block(f"cell {i} ", 1, "".join(c["source"])) for i, c in enumerate(cells)
                if c["cell_type"] == "markdown"]
    return [_Block("", 1, path.read_text(encoding="utf-8"))]


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


def mask(text: str) -> str:
    """The prose of a MyST text with everything that is not prose blanked, line and column kept."""
    lines = text.split("\n")
    out, fence, code = [], None, False
    if lines and lines[0].strip() == "---":  # front matter
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)
        for i in range(end + 1):
            lines[i] = ""
    for line in lines:
        opened = _FENCE.match(line)
        if fence is not None and line.strip() == fence:
            fence, code = None, False
            out.append("")
        elif fence is None and opened:
            fence, code = opened.group(1), opened.group(2).lower() in _CODE_FENCES
            out.append("")
        elif opened and not code:  # a nested directive's fence line
            out.append("")
        else:
            out.append("" if code else line)
    masked = "\n".join(out)
    for pattern in _MASKS:
        for found in list(pattern.finditer(masked)):
            masked = _blank(masked, found.start(), found.end())
    return masked


def _is_year(line: str, start: int, end: int) -> bool:
    run = line[start:end]
    return (len(run) == 4 and run.isdigit() and 1800 <= int(run) <= 2099
            and not _UNIT_AFTER.match(line, end))


def _is_identifier(line: str, start: int, end: int) -> bool:
    before = line[max(0, start - 2):start]
    after = line[end:end + 1]
    # ch2, H1, UTF-8, 2SLS: digits glued to Latin letters name something, they count nothing
    return bool(re.search(r"[A-Za-z_]-?$", before) or re.match(r"[A-Za-z_]", after))


def _covered(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in spans)


def _phrase_spans(line: str, phrase: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(re.escape(phrase), line)]


def load_allow_list(path: Path = ALLOW_PATH) -> list[Allowed]:
    """The reviewed allow-list; a missing column or an empty cell is an error naming file, row and column."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != ALLOW_COLUMNS:
            raise AllowListError(f"{path}: header must be {','.join(ALLOW_COLUMNS)}, not {reader.fieldnames}")
        rows = []
        for number, row in enumerate(reader, start=2):
            for column in ALLOW_COLUMNS:
                if not (row[column] or "").strip():
                    raise AllowListError(f"{path} row {number} column {column}: empty")
            if not _RUN.search(row["phrase"]):
                raise AllowListError(f"{path} row {number} column phrase: holds no digit, nothing to allow")
            rows.append(Allowed(row["page"], row["phrase"], row["why"], row["source"], number))
    return rows


def scan_page(path: Path, allowed: list[Allowed], book: Path = BOOK) -> tuple[list[TypedNumber], set[int]]:
    """Typed digit runs of one page, and the allow-list rows (by CSV row) that exempted at least one run."""
    page = path.relative_to(book).as_posix()
    mine = [a for a in allowed if a.page == page]
    found, used = [], set()
    for block in _blocks(path):
        original = block.text.split("\n")
        for index, line in enumerate(mask(block.text).split("\n")):
            spans = [(m.start(), m.end()) for rule in _EXEMPT_SPANS for m in rule.finditer(line)]
            for run in _RUN.finditer(line):
                start, end = run.span()
                if _is_year(line, start, end) or _is_identifier(line, start, end) or _covered(spans, start, end):
                    continue
                rows = [a.row for a in mine if _covered(_phrase_spans(original[index], a.phrase), start, end)]
                if rows:
                    used.update(rows)
                    continue
                context = original[index][max(0, start - 12):end + 12].strip()
                found.append(TypedNumber(page, f"{block.where}line {block.first_line + index}", run.group(),
                                         context))
    return found, used


def scan(book: Path = BOOK, allow_path: Path = ALLOW_PATH) -> tuple[list[TypedNumber], list[Allowed]]:
    """Typed digit runs of every page, and the allow-list rows that no longer exempt anything (stale)."""
    allowed = load_allow_list(allow_path)
    found, used = [], set()
    for path in prose_pages(book):
        page_found, page_used = scan_page(path, allowed, book)
        found += page_found
        used |= page_used
    return found, [a for a in allowed if a.row not in used]


def main() -> None:
    """Print the typed numbers per page (``python -m pairing_assistance.prose_numbers [-v]``)."""
    import sys
    from collections import Counter
    found, stale = scan()
    if "-v" in sys.argv:
        for item in found:
            print(item)
    for page, count in sorted(Counter(f.page for f in found).items()):
        print(f"{count:5d}  {page}")
    print(f"{len(found):5d}  total typed; {len(stale)} stale allow-list rows")
    for row in stale:
        print(f"stale: {ALLOW_PATH.name} row {row.row}: {row.page} {row.phrase!r}")


if __name__ == "__main__":
    main()
