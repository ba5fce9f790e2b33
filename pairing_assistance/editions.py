"""Editions of the book: the key numbers each one published, and what changed between them.

``data/key_numbers.csv`` stores, per edition (``CITATION.cff``'s version and date), every number a chapter
notebook glues into its prose (myst-nb ``glue``, read from the committed, executed notebooks) and, per data
table of ``data/datapackage.json``, its row count and a content hash. The changelog compares consecutive
editions from that file alone, so it can be regenerated at any time and never depends on a rebuild.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat
import yaml

COLUMNS = ["edition", "date", "kind", "page", "name", "value"]
ESTIMATE, DATA_ROWS, DATA_HASH = "estimate", "data_rows", "data_sha256"
_WRAPPED = re.compile(r"^np\.\w+\((.*)\)$")  # a glued numpy scalar shown by its repr


@dataclass(frozen=True)
class Edition:
    version: str
    date: str


def current_edition(root: Path) -> Edition:
    """Version and release date from ``CITATION.cff`` (the one place they are written)."""
    path = root / "CITATION.cff"
    cff = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key in ("version", "date-released"):
        if not cff.get(key):
            raise ValueError(f"{path}: no '{key}'")
    return Edition(str(cff["version"]), str(cff["date-released"]))


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version))


def glued(notebook) -> dict[str, str]:
    """{name: text} of every value stored by myst-nb ``glue`` in an executed notebook (Markdown if glued so)."""
    values = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            record = output.get("metadata", {}).get("scrapbook", {})
            prefix = record.get("mime_prefix", "")
            for mime in ("text/markdown", "text/plain"):
                if record.get("name") and prefix + mime in output.get("data", {}):
                    values[record["name"]] = output["data"][prefix + mime].strip()
                    break
    return values


def as_number(text: str) -> float | None:
    """The number a glued text shows (``−0.160``, ``12.5%``, ``1,234``, ``np.float64(0.2)``), else None."""
    value = text.strip().strip("'\"")
    if wrapped := _WRAPPED.match(value):
        value = wrapped[1]
    value = value.replace("\u2212", "-").replace(",", "").rstrip("%").strip()
    try:
        return float(value)
    except ValueError:
        return None


def _reader(root: Path, revision: str | None) -> Callable[[str], bytes | None]:
    """Read a repository file from the work tree or, with a revision, from git (None if absent)."""
    def read(relative: str) -> bytes | None:
        if revision is None:
            path = root / relative
            return path.read_bytes() if path.is_file() else None
        shown = subprocess.run(["git", "show", f"{revision}:{relative}"], cwd=root, capture_output=True)
        return shown.stdout if shown.returncode == 0 else None
    return read


def _notebooks(root: Path, revision: str | None) -> list[str]:
    if revision is None:
        return sorted(p.relative_to(root).as_posix() for p in (root / "book").glob("*.ipynb"))
    listed = subprocess.run(["git", "ls-tree", "--name-only", revision, "book/"], cwd=root,
                            capture_output=True, text=True, check=True).stdout.split()
    return sorted(p for p in listed if p.endswith(".ipynb"))


def record(root: Path, edition: Edition, revision: str | None = None) -> list[dict[str, str]]:
    """The key-number rows of one edition, from the work tree or from a git revision."""
    read = _reader(root, revision)
    rows = []
    base = {"edition": edition.version, "date": edition.date}
    for path in _notebooks(root, revision):
        notebook = nbformat.reads(read(path).decode("utf-8"), as_version=4)
        for name, value in sorted(glued(notebook).items()):
            rows.append({**base, "kind": ESTIMATE, "page": path, "name": name, "value": value})
    package = json.loads(read("data/datapackage.json"))
    for resource in package["resources"]:
        content = read(f"data/{resource['path']}")
        if content is None:
            raise FileNotFoundError(f"data/datapackage.json lists {resource['path']} but it is missing")
        if resource["path"].endswith(".csv"):
            count = max(len(list(csv.reader(io.StringIO(content.decode("utf-8"))))) - 1, 0)
            rows.append({**base, "kind": DATA_ROWS, "page": f"data/{resource['path']}", "name": "rows",
                         "value": str(count)})
        rows.append({**base, "kind": DATA_HASH, "page": f"data/{resource['path']}", "name": "sha256",
                     "value": hashlib.sha256(content).hexdigest()[:16]})
    return rows


def read_rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != COLUMNS:
            raise ValueError(f"{path}: columns {reader.fieldnames}, expected {COLUMNS}")
        return list(reader)


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    ordered = sorted(rows, key=lambda r: (version_key(r["edition"]), r["kind"], r["page"], r["name"]))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(ordered)


def replace_edition(rows: list[dict[str, str]], new: list[dict[str, str]]) -> list[dict[str, str]]:
    """All rows with those of the new rows' edition replaced by the new rows."""
    editions = {r["edition"] for r in new}
    return [r for r in rows if r["edition"] not in editions] + new


@dataclass(frozen=True)
class Change:
    kind: str
    page: str
    name: str
    before: str | None
    after: str | None

    @property
    def difference(self) -> float | None:
        old, new = (as_number(v) if v is not None else None for v in (self.before, self.after))
        return None if old is None or new is None else new - old


def changes(rows: list[dict[str, str]], old: str, new: str) -> list[Change]:
    """Every key number or data table that differs between two editions (added and removed included)."""
    def values(edition):
        return {(r["kind"], r["page"], r["name"]): r["value"] for r in rows if r["edition"] == edition}
    before, after = values(old), values(new)
    found = []
    for key in sorted(before.keys() | after.keys()):
        if before.get(key) != after.get(key):
            found.append(Change(*key, before.get(key), after.get(key)))
    return found


def editions(rows: list[dict[str, str]]) -> list[Edition]:
    seen = {(r["edition"], r["date"]) for r in rows}
    return sorted((Edition(*pair) for pair in seen), key=lambda e: version_key(e.version), reverse=True)


def _format_change(change: Change) -> str:
    difference = change.difference
    if change.before is None:
        how = "新增"
    elif change.after is None:
        how = "删除"
    elif difference is not None:
        how = f"{difference:+.4g}"
    else:
        how = "改动"
    return f"| {change.page} | {change.name} | {change.before or '—'} | {change.after or '—'} | {how} |"


def changelog(rows: list[dict[str, str]]) -> str:
    """Markdown: per edition, newest first, which estimates and data tables changed and by how much."""
    lines = ["# 各版估计值与数据的变化", "",
             "由 `data/key_numbers.csv` 生成（`python scripts/record_key_numbers.py`），请勿手改。", ""]
    found = editions(rows)
    for newer, older in zip(found, found[1:] + [None]):
        lines += [f"## 第 {newer.version} 版（{newer.date}）", ""]
        count = sum(1 for r in rows if r["edition"] == newer.version and r["kind"] == ESTIMATE)
        if older is None:
            lines += [f"首个记录的版本：{count} 个正文数值，"
                      f"{sum(1 for r in rows if r['edition'] == newer.version and r['kind'] == DATA_HASH)} 个数据表。", ""]
            continue
        diff = changes(rows, older.version, newer.version)
        estimates = [c for c in diff if c.kind == ESTIMATE]
        data_rows = {c.page: c for c in diff if c.kind == DATA_ROWS}
        data_changed = sorted({c.page for c in diff if c.kind in (DATA_ROWS, DATA_HASH)})
        lines += [f"与第 {older.version} 版（{older.date}）相比：{count} 个正文数值中 "
                  f"{sum(1 for c in estimates if c.before is not None and c.after is not None)} 个有变化，"
                  f"{sum(1 for c in estimates if c.before is None)} 个新增，"
                  f"{sum(1 for c in estimates if c.after is None)} 个删除；"
                  f"{len(data_changed)} 个数据表有变化。", ""]
        if data_changed:
            lines += ["| 数据表 | 行数（旧 → 新） | 内容 |", "| --- | --- | --- |"]
            for page in data_changed:
                rows_change = data_rows.get(page)
                counted = (f"{rows_change.before or '—'} → {rows_change.after or '—'}" if rows_change
                           else "不变")
                content = {c.page: c for c in diff if c.kind == DATA_HASH}.get(page)
                state = ("新增" if content and content.before is None else "删除" if content and content.after is None
                         else "已改动" if content else "不变")
                lines.append(f"| {page} | {counted} | {state} |")
            lines.append("")
        if estimates:
            lines += ["| 页面 | 数值名 | 旧值 | 新值 | 变化 |", "| --- | --- | --- | --- | --- |"]
            lines += [_format_change(c) for c in estimates]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def summary(rows: list[dict[str, str]]) -> list[dict[str, str | int]]:
    """Per edition and page, how many glued numbers it has and how many changed since the previous edition
    (for the site, which shows counts, not the notebooks' internal names)."""
    found = editions(rows)
    result = []
    for newer, older in zip(found, found[1:] + [None]):
        diff = changes(rows, older.version, newer.version) if older else []
        pages = sorted({r["page"] for r in rows if r["edition"] == newer.version and r["kind"] == ESTIMATE}
                       | {c.page for c in diff if c.kind == ESTIMATE})
        for page in pages:
            mine = [c for c in diff if c.kind == ESTIMATE and c.page == page]
            result.append({
                "edition": newer.version, "date": newer.date, "previous": older.version if older else "",
                "page": page,
                "numbers": sum(1 for r in rows if r["edition"] == newer.version and r["kind"] == ESTIMATE
                               and r["page"] == page),
                "changed": sum(1 for c in mine if c.before is not None and c.after is not None),
                "added": sum(1 for c in mine if c.before is None),
                "removed": sum(1 for c in mine if c.after is None),
            })
        if older:
            tables = sorted({c.page for c in diff if c.kind in (DATA_ROWS, DATA_HASH)})
            result.append({"edition": newer.version, "date": newer.date, "previous": older.version,
                           "page": "data", "numbers": 0, "changed": len(tables), "added": 0, "removed": 0,
                           "tables": tables})
    return result
