"""Reading and writing the build's tables; every error names table, line and column.

The data build reads only files inside the repository: curation tables in ``data/curation/`` (one row
per decision, with its reason) and the sanitized raw inputs listed in ``data/curation/inputs.csv``.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"


def data_dir() -> Path:
    """The data folder: ``$PAIRING_DATA_DIR`` if set (tests build from corrupted copies), else ``data/``."""
    return Path(os.environ.get("PAIRING_DATA_DIR", DATA))


def curation(name: str) -> Path:
    return data_dir() / "curation" / name


class BuildError(RuntimeError):
    """Anything the build must not paper over; the message names table, line and column."""


@dataclass
class Row:
    """One row of an input table, with the place it came from."""

    values: dict[str, str]
    table: str
    line: int
    extra: dict = field(default_factory=dict)

    def __getitem__(self, column: str) -> str:
        return self.values[column]

    def get(self, column: str, default: str = "") -> str:
        return self.values.get(column) or default

    def where(self, column: str | None = None) -> str:
        text = f"{self.table}, line {self.line}"
        return f"{text}, column '{column}'" if column else text

    def fail(self, column: str, message: str) -> None:
        raise BuildError(f"{self.where(column)}: {message}")


def relative(path: Path) -> str:
    """'data/...' for a file of the data folder (or of a copy of it), else the path as given."""
    try:
        return "data/" + path.resolve().relative_to(data_dir().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def read_table(path: Path, columns: list[str]) -> list[Row]:
    """Rows of a CSV whose header must be exactly ``columns``."""
    name = relative(path)
    if not path.exists():
        raise BuildError(f"{name}: table not found")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        if header != columns:
            missing = [c for c in columns if c not in header]
            unknown = [c for c in header if c not in columns]
            raise BuildError(f"{name}, line 1: header must be {columns} (missing {missing}, unknown {unknown})")
        return [Row(dict(values), name, line) for line, values in enumerate(reader, start=2)]


def integer(row: Row, column: str) -> int | None:
    text = row.get(column)
    if not text:
        return None
    if not text.isdigit():
        row.fail(column, f"{text!r} is not a year or whole number")
    return int(text)


def check_unique(rows: list[Row], key: tuple[str, ...], what: str) -> dict[tuple, Row]:
    seen: dict[tuple, Row] = {}
    for row in rows:
        value = tuple(row[c] for c in key)
        if value in seen:
            row.fail(key[-1], f"duplicate {what} {value} (also at line {seen[value].line})")
        seen[value] = row
    return seen


def write_table(path: Path, columns: list[str], rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else row[c] for c in columns])


def join_notes(*parts: str) -> str:
    """Sentences joined with a space, each ending in a full stop."""
    out = []
    for part in parts:
        part = (part or "").strip()
        if part:
            out.append(part if part.endswith((".", "。")) else part + ".")
    return " ".join(out)
