"""The ``data-dictionary`` directive: a table's columns, rendered from ``data/datapackage.json`` at build time.

    ```{data-dictionary} pairings
    ```

gives one row per column of the resource (with ``:title:``, a heading line first: the file and the
resource's Chinese title): column, Chinese title, description, unit, type and allowed
values (key, reference, required, range, enumeration), all read by ``pairing_assistance.metadata``. The
appendix therefore never repeats the descriptor by hand; a field without its Chinese title or
description stops the build (the error names resource and field). The page is re-read whenever the
descriptor changes.

Roles put the tables' own numbers into the prose at build time, so no count is typed by hand:
``{data-rows}`pairings``` (rows), ``{data-count}`pairings:programme_id=tibet_1994&confidence=low```
(rows meeting conditions: ``=``, ``!=``, ``^=`` prefix, ``*=`` contains, ``<=``, ``>=``, joined by ``&``),
``{data-value}`fiscal_2019:tax_per_capita:province=上海市#,.1f``` (the one cell the conditions pick),
``{data-min}``, ``{data-max}``, ``{data-sum}``, ``{data-median}``, ``{data-mean}`` (``column@weight``) and
``{data-distinct}`` over a column, and ``{data-change}`resource:column:conditions_a/conditions_b``` (sum over A /
sum over B − 1). ``column~regex`` reads the number a build script wrote into a note; ``#format`` is a Python
format spec (``#Δ+.1%`` shows a ratio as its change). A bad column, a regex without a match or a value
condition that picks no single row stops the build, naming the resource and column.
"""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import Directive, directives

from pairing_assistance import metadata

HEADERS = ("列", "名称", "说明", "单位", "类型", "取值")
WIDTHS = (14, 10, 40, 8, 8, 20)


def _cell(text: str, literal: bool = False) -> nodes.entry:
    entry = nodes.entry()
    paragraph = nodes.paragraph()
    paragraph += nodes.literal(text, text) if literal else nodes.Text(text or "—")
    entry += paragraph
    return entry


def dictionary_table(name: str) -> nodes.table:
    """A docutils table of the resource's dictionary (metadata.MetadataError if a field lacks its text)."""
    entries = metadata.dictionary(name)
    table = nodes.table(classes=["data-dictionary"])
    group = nodes.tgroup(cols=len(HEADERS))
    table += group
    for width in WIDTHS:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    row = nodes.row()
    for header in HEADERS:
        row += _cell(header)
    head += row
    group += head
    body = nodes.tbody()
    for entry in entries:
        row = nodes.row()
        row += _cell(entry.column, literal=True)
        for text in (entry.title, entry.description, entry.unit, entry.kind, entry.values):
            row += _cell(text)
        body += row
    group += body
    return table


class DataDictionary(Directive):
    required_arguments = 1
    has_content = False
    option_spec = {"title": directives.flag}

    def run(self):
        name = self.arguments[0]
        env = getattr(self.state.document.settings, "env", None)
        if env is not None:  # rebuild the page when the descriptor changes
            env.note_dependency(str(metadata.data_dir() / "datapackage.json"))
        try:
            table = dictionary_table(name)
            item = metadata.resource(name)
        except (KeyError, metadata.MetadataError) as error:
            raise self.error(f"data-dictionary {name}: {error}") from error
        if "title" not in self.options:
            return [table]
        heading = nodes.rubric()
        heading += nodes.literal(item["path"], item["path"])
        heading += nodes.Text(f"：{item.get('title', '')}")
        return [heading, table]


def row_count(name: str) -> int:
    """Data rows of a CSV resource (header excluded), counted at build time so prose never types them."""
    import csv

    path = metadata.data_dir() / metadata.resource(name)["path"]
    with path.open(encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def data_rows_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{data-rows}`pairings``` -> the number of rows of that resource, e.g. 309."""
    try:
        count = row_count(text.strip())
    except (KeyError, OSError) as error:
        message = inliner.reporter.error(f"data-rows {text}: {error}", line=lineno)
        return [inliner.problematic(rawtext, rawtext, message)], [message]
    env = getattr(inliner.document.settings, "env", None)
    if env is not None:
        env.note_dependency(str(metadata.data_dir() / metadata.resource(text.strip())["path"]))
    return [nodes.Text(str(count))], []


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


def _count_role(counter):
    def role(name, rawtext, text, lineno, inliner, options=None, content=None):
        try:
            count = counter(text.strip())
        except (KeyError, OSError, ValueError) as error:
            message = inliner.reporter.error(f"{name} {text}: {error}", line=lineno)
            return [inliner.problematic(rawtext, rawtext, message)], [message]
        return [nodes.Text(str(count))], []
    return role


def setup(app):
    app.add_directive("data-dictionary", DataDictionary)
    app.add_role("data-rows", data_rows_role)
    app.add_role("data-count", _count_role(value_count))
    app.add_role("data-value", _count_role(cell_value))
    app.add_role("data-change", _count_role(change))
    for how in ("min", "max", "sum", "median", "mean", "distinct"):
        app.add_role(f"data-{how}", _count_role(_aggregate(how)))
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
