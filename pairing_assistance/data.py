"""Load the book's tables through one validating loader.

Every table in ``data/`` is described in ``data/datapackage.json`` (Frictionless).
``load_table`` validates the whole package (schema, primary and foreign keys,
enums) plus the cross-field rules Frictionless cannot express, and raises
``DataValidationError`` naming file, line and column on the first problems found.
Nothing malformed reaches a chart: the build stops instead.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import frictionless
import pandas as pd

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# Stage boundaries of the review's four-stage periodisation (section 3).
STAGE_YEARS = {
    "emergence": (1949, 1978),
    "exploration": (1979, 2009),
    "improvement": (2010, 2021),
    "upgrading": (2022, 2100),
}
MAX_REPORTED_ERRORS = 10


class DataValidationError(ValueError):
    """A data file breaks its schema or a cross-table rule."""


def data_dir() -> Path:
    """The data folder: ``$PAIRING_DATA_DIR`` if set (tests use corrupted copies), else ``data/``."""
    return Path(os.environ.get("PAIRING_DATA_DIR", DATA_DIR))


def _where(path: str, line: int | None, column: str | None) -> str:
    parts = [f"data/{path}"]
    if line is not None:
        parts.append(f"line {line}")
    if column:
        parts.append(f"column '{column}'")
    return ", ".join(parts)


def _frictionless_errors(package: frictionless.Package) -> list[str]:
    report = package.validate()
    messages = []
    for task in report.tasks:
        for error in task.errors:
            line = getattr(error, "row_number", None)
            column = getattr(error, "field_name", None)
            cell = getattr(error, "cell", None)
            value = f" (value {cell!r})" if cell not in (None, "") else ""
            where = _where(Path(task.place).name if task.place else task.name, line, column)
            messages.append(f"{where}: {error.title.lower()}{value}: {error.note or error.message}")
    return messages


def _cross_field_errors(tables: dict[str, pd.DataFrame], package: frictionless.Package) -> list[str]:
    """Rules the schema cannot state: stage matches year; refs lists resolve."""
    messages = []
    timeline = tables["timeline"]
    for index, row in timeline.iterrows():
        first, last = STAGE_YEARS[row["stage"]]
        if not first <= row["year"] <= last:
            messages.append(
                f"{_where('timeline.csv', index + 2, 'year')}: year {row['year']} lies outside stage "
                f"'{row['stage']}' ({first}–{last})"
            )
    known_refs = set(tables["studies"]["ref"])
    for index, row in tables["problems"].iterrows():
        refs = row["refs"] if isinstance(row["refs"], str) else ""
        for ref in filter(None, refs.split(";")):
            if int(ref) not in known_refs:
                messages.append(
                    f"{_where('problems.csv', index + 2, 'refs')}: reference {ref} is not in data/studies.csv"
                )
    return messages


def _read_csv(path: Path, resource: frictionless.Resource) -> pd.DataFrame:
    dtypes = {"integer": "int64", "boolean": "bool", "number": "float64"}
    frame = pd.read_csv(path, dtype="string", keep_default_na=False, encoding="utf-8")
    for field in resource.schema.fields:
        if field.type == "boolean":
            frame[field.name] = frame[field.name].str.lower().eq("true")
        elif field.type in dtypes:
            frame[field.name] = frame[field.name].astype(dtypes[field.type])
        else:
            frame[field.name] = frame[field.name].astype(object)
    return frame


@functools.lru_cache(maxsize=4)
def _load_package(folder: str) -> dict[str, pd.DataFrame]:
    descriptor = Path(folder) / "datapackage.json"
    if not descriptor.exists():
        raise DataValidationError(f"{descriptor}: data package descriptor not found")
    package = frictionless.Package(str(descriptor))
    errors = _frictionless_errors(package)
    if errors:
        raise DataValidationError(_summary(errors))
    tables = {
        resource.name: _read_csv(Path(folder) / resource.path, resource) for resource in package.resources
    }
    errors = _cross_field_errors(tables, package)
    if errors:
        raise DataValidationError(_summary(errors))
    return tables


def _summary(errors: list[str]) -> str:
    shown = errors[:MAX_REPORTED_ERRORS]
    more = len(errors) - len(shown)
    tail = f"\n… and {more} more" if more else ""
    return "invalid data:\n" + "\n".join(shown) + tail


def table_names() -> list[str]:
    """Names of the tables described in the data package."""
    return list(_load_package(str(data_dir())))


def load_table(name: str) -> pd.DataFrame:
    """Return a validated copy of table ``name`` (see ``data/datapackage.json``)."""
    tables = _load_package(str(data_dir()))
    if name not in tables:
        raise KeyError(f"no table '{name}' in data/datapackage.json; known: {', '.join(tables)}")
    return tables[name].copy()
