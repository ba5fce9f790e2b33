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
from pairing_assistance.data_roles import DATA_ROLES, row_count

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
    for role, compute in DATA_ROLES.items():
        if role != "data-rows":
            app.add_role(role, _count_role(compute))
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
