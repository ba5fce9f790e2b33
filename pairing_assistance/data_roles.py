"""Counts and values of the data tables that prose quotes, computed from the CSV files when a page is built.

One implementation for the book's roles (``{data-rows}`pairings```, ``{data-count}`aid_figures:confidence=high```,
``{data-value}``, ``{data-min}`` … in book/_ext/data_dictionary.py) and the classroom kit's plain-Markdown
conversion, so a number a page shows is never typed. Pure Python (csv, re, statistics).
"""

from __future__ import annotations

from pairing_assistance import metadata


def row_count(name: str) -> int:
    """Data rows of a CSV resource (header excluded), counted at build time so prose never types them."""
    import csv

    path = metadata.data_dir() / metadata.resource(name)["path"]
    with path.open(encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def _rows(name: str) -> list[dict[str, str]]:
    import csv

    path = metadata.data_dir() / metadata.resource(name)["path"]
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _where(name: str, rows: list[dict[str, str]], conditions: str) -> list[dict[str, str]]:
    """Rows meeting every condition, joined by ``&``: ``column=value`` (an empty value is a blank cell),
    ``column!=value``, ``column^=prefix``, ``column*=part`` (the cell contains it), ``column<=n``, ``column>=n``."""
    tests = {"!=": lambda cell, value: cell != value, "^=": str.startswith, "*=": lambda cell, value: value in cell,
             "<=": lambda cell, value: cell != "" and float(cell) <= float(value),
             ">=": lambda cell, value: cell != "" and float(cell) >= float(value),
             "=": lambda cell, value: cell == value}
    kept = rows
    for condition in filter(None, conditions.split("&")):
        operator = next(op for op in tests if op in condition)
        column, _, value = condition.partition(operator)
        if rows and column not in rows[0]:
            raise KeyError(f"no column '{column}' in resource '{name}'")
        kept = [row for row in kept if tests[operator](row[column], value)]
    return kept


def _read(name: str, row: dict[str, str], column: str) -> str:
    """A cell, or with ``column~regex`` the regex's first group in it (a number a build script wrote into a note)."""
    import re

    column, _, pattern = column.partition("~")
    if column not in row:
        raise KeyError(f"no column '{column}' in resource '{name}'")
    if not pattern:
        return row[column]
    found = re.search(pattern, row[column])
    if not found:
        raise ValueError(f"resource '{name}' column '{column}': no match for '{pattern}' in '{row[column]}'")
    return found.group(1)


def _split(spec: str) -> tuple[str, str, str]:
    """``resource:rest#format`` -> (resource, rest, format); ``#``, not ``|``, so a role fits in a table cell."""
    spec, _, fmt = spec.partition("#")
    name, _, rest = spec.strip().partition(":")
    return name, rest, fmt


def _number(text: str, name: str, column: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"resource '{name}' column '{column}': '{text}' is not a number") from None


def _show(value, fmt: str) -> str:
    """A number as the prose shows it: the format spec if given (``,.1f``, ``.2%``; a leading ``Δ`` shows a ratio
    as its change, value − 1, so ``#Δ+.1%`` turns 1.2174 into +21.7%), else an integer when whole."""
    if isinstance(value, str) and not fmt:
        return value
    value = float(value)
    if fmt.startswith("Δ"):
        value, fmt = value - 1, fmt[1:]
    text = format(value, fmt) if fmt else str(int(value)) if value.is_integer() else repr(value)
    return text.replace("-", "−")  # the typographic minus of the book's prose


def value_count(spec: str) -> int:
    """Rows of a CSV resource meeting conditions: ``"aid_figures:confidence=high"``,
    ``"pairings:programme_id=tibet_1994&confidence=low"``, ``"pairings:valid_to="`` (blank cells)."""
    name, conditions, _ = _split(spec)
    return len(_where(name, _rows(name), conditions))


def cell_value(spec: str) -> str:
    """The one cell of ``resource:column:conditions[#format]`` whose conditions pick exactly one row."""
    name, rest, fmt = _split(spec)
    column, _, conditions = rest.partition(":")
    rows = _where(name, _rows(name), conditions)
    if len(rows) != 1:
        raise ValueError(f"'{spec}' picks {len(rows)} rows of resource '{name}', not one")
    return _show(_read(name, rows[0], column), fmt)


def _aggregate(how):
    """``resource:column[@weight][:conditions][#format]`` -> min, max, sum, median, weighted mean or distinct count
    (``column~regex`` reads the number out of a text cell, as in ``{data-value}``)."""
    def compute(spec: str) -> str:
        name, rest, fmt = _split(spec)
        column, _, conditions = rest.partition(":")
        column, _, weight = column.partition("@")
        rows = _where(name, _rows(name), conditions)
        if not rows:
            raise ValueError(f"'{spec}' picks no row of resource '{name}'")
        if weight and weight not in rows[0]:
            raise KeyError(f"no column '{weight}' in resource '{name}'")
        cells = [(_read(name, row, column), row) for row in rows]
        if how == "distinct":
            return str(len({cell for cell, _ in cells if cell != ""}))
        values = [_number(cell, name, column) for cell, _ in cells if cell != ""]
        if how == "mean":
            weights = [_number(row[weight], name, weight) if weight else 1.0 for cell, row in cells if cell != ""]
            return _show(sum(v * w for v, w in zip(values, weights)) / sum(weights), fmt)
        if how == "median":
            import statistics

            return _show(statistics.median(values), fmt)
        return _show({"min": min, "max": max, "sum": sum}[how](values), fmt)
    return compute


def change(spec: str) -> str:
    """``resource:column:conditions_a/conditions_b[#format]`` -> sum of the column over rows A / over rows B − 1,
    e.g. the growth of the 31 provinces' population from 1999 to 2000."""
    name, rest, fmt = _split(spec)
    column, _, conditions = rest.partition(":")
    after, _, before = conditions.partition("/")
    rows = _rows(name)
    sums = []
    for part in (after, before):
        picked = _where(name, rows, part)
        if not picked:
            raise ValueError(f"'{part}' picks no row of resource '{name}'")
        sums.append(sum(_number(_read(name, row, column), name, column) for row in picked))
    return _show(sums[0] / sums[1] - 1, fmt)


def _rows_as_text(name: str) -> str:
    return str(row_count(name.strip()))


# role name -> function of the role's text returning what the page shows
DATA_ROLES = {"data-rows": _rows_as_text, "data-count": lambda spec: str(value_count(spec)),
              "data-value": cell_value, "data-change": change,
              **{f"data-{how}": _aggregate(how) for how in ("min", "max", "sum", "median", "mean", "distinct")}}
