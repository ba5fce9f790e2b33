"""An offline Altair renderer and the book's chart theme.

The renderer emits ``text/html`` (a div plus a ``vegaEmbed`` call) instead of
Altair's default that loads Vega from a CDN. On the website the Vega bundle is
served by the site (``book/_ext/offline_assets.py``). In a live Jupyter session
(an instructor's classroom, perhaps without internet) the first chart of the
kernel also carries the bundle itself, so charts draw with no network at all.
The div id is derived from the spec, so re-executing a notebook gives
identical outputs (stable for nbval).

Each chart is a ``<figure>`` whose accessible name is its Chinese description
(the spec's Vega-Lite ``description`` when a chart builder writes one from its
data, else its title); the drawn SVG is one image (``role="img"``) named by it.
Under the chart a ``<details>`` opens the chart's data as a table, with its
source and a CSV download (a ``data:`` address, so nothing leaves the site).
The table is the one a builder attaches (``attach_table``), else it is read
from the spec: every field an encoding gives a title. The chart's action menu
speaks Chinese; the emitted spec carries no ``$schema`` URL (no off-site
address in a page) and is written without whitespace.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import math
import os
import re
from urllib.parse import quote

import altair as alt
import pandas as pd
import vl_convert

from ..i18n import t

RENDERER = "pairing_offline"
THEME = "pairing_book"
FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", sans-serif'
STAGE_COLOURS = ["#8c6d31", "#3182bd", "#31a354", "#d6616b"]
# Rules and neutral symbols in a grey that reads on the light and the dark page (text takes the theme's text
# colour); "#555" and black vanished on the dark background.
NEUTRAL = "#8c8c8c"
PLAIN_TEXT = "交互式图表（请在本书网页或 Jupyter 中查看）"

FALLBACK_NAME = "交互式图表"
# vega-embed's menu texts (its ``i18n`` option); the editor/source entries are switched off but named all the same.
MENU_ZH = {
    "CLICK_TO_VIEW_ACTIONS": "图表操作",
    "PNG_ACTION": "保存为 PNG",
    "SVG_ACTION": "保存为 SVG",
    "SOURCE_ACTION": "查看源代码",
    "COMPILED_ACTION": "查看编译后的 Vega",
    "EDITOR_ACTION": "在 Vega 编辑器中打开",
}
# mode is given because the emitted spec no longer names its schema (vega-embed guesses the mode from $schema).
_EMBED_OPTIONS = {"renderer": "svg", "mode": "vega-lite", "downloadFileName": "对口支援图表", "i18n": MENU_ZH,
                  "actions": {"export": True, "source": False, "compiled": False, "editor": False}}


def code_labels_expr(value: str, labels: dict[str, str]) -> str:
    """A Vega expression that shows ``labels[code]`` for the code in ``value`` (e.g. ``datum.label`` in a
    legend's ``labelExpr``), so a legend or tooltip over coded data reads in Chinese; unknown codes stay as they are.
    """
    expression = value
    for code, label in reversed(list(labels.items())):
        expression = f"{value} === {json.dumps(code)} ? {json.dumps(label, ensure_ascii=False)} : ({expression})"
    return expression


def template_expr(template: str, **given: str) -> str:
    """A Vega expression for a translated template: ``{name}`` becomes ``given[name]`` (an expression), else
    ``datum.name``; the text around the names stays literal."""
    parts = re.split(r"\{(\w+)\}", template)
    return " + ".join(json.dumps(part, ensure_ascii=False) if n % 2 == 0 else given.get(part, f"datum.{part}")
                      for n, part in enumerate(parts) if part or n % 2)


def text_lines(color: str | None = None, font_size: int = 13, line_break: str = "\n") -> dict:
    """``mark_text`` settings for status text written as lines from its view's top-left corner (one long line
    would widen the chart and shrink it on the page); give the view a height of lines × (font_size + 4).
    Without ``color`` the text takes the theme's text colour (dark mode included); a fixed dark grey did not."""
    colour = {} if color is None else {"color": color}
    return {"align": "left", "baseline": "top", "fontSize": font_size, "lineHeight": font_size + 4,
            "lineBreak": line_break, "x": 0, "y": 0} | colour


def chart_id(spec: dict) -> str:
    """Deterministic element id for a chart spec."""
    digest = hashlib.sha1(json.dumps(spec, sort_keys=True).encode("utf-8")).hexdigest()
    return f"vis-{digest[:12]}"


_SCREEN_READER_ONLY = ("position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;"
                       "clip:rect(0,0,0,0);white-space:nowrap;border:0")


def _title_text(title) -> str:
    """A title's words; a title computed in the browser (an ``{"expr": ...}``) has none to give here."""
    if isinstance(title, dict):
        title = title.get("text", "")
    if isinstance(title, list):
        return "".join(part for part in title if isinstance(part, str))
    return title if isinstance(title, str) else ""


def chart_name(spec: dict) -> str:
    """The chart's Chinese accessible name: its description, else the first title found, else a generic name."""
    if spec.get("description"):
        return str(spec["description"])
    pending = [spec]
    while pending:
        part = pending.pop(0)
        if _title_text(part.get("title")):
            return _title_text(part["title"])
        for key in ("vconcat", "hconcat", "concat", "layer"):
            pending.extend(part.get(key, []))
        if isinstance(part.get("spec"), dict):
            pending.append(part["spec"])
    return FALLBACK_NAME


def page_spec(spec: dict) -> dict:
    """The spec as emitted into a page: without the ``$schema`` URL and the attached reader table (it is
    written once, as HTML), with its description set for Vega's SVG label."""
    emitted = {key: value for key, value in spec.items() if key != "$schema"}
    emitted["description"] = chart_name(spec)
    usermeta = {key: value for key, value in emitted.pop("usermeta", {}).items() if key != TABLE_KEY}
    if usermeta:
        emitted["usermeta"] = usermeta
    return emitted


# ---- the chart's data as a table --------------------------------------------------------------------------

TABLE_KEY = "pairing_table"
TABLE_ROWS_SHOWN = 200
_CJK = re.compile(r"[\u3400-\u9fff]")


def attach_table(chart: alt.TopLevelMixin, frame: pd.DataFrame, source: str, note: str = "") -> alt.TopLevelMixin:
    """Give ``chart`` the table readers can open under it: ``frame`` with Chinese headers (e.g.
    ``tables.reader_table(...).frame`` or a frame from a builder), ``source`` (who published the data),
    ``note`` (a line on what the rows are). Returns the chart, so builders can end with it.

    Raises ``ValueError`` if a header is not Chinese (a field name must not reach the page).
    """
    bad = [str(c) for c in frame.columns if not _CJK.search(str(c))]
    if bad:
        raise ValueError(f"attach_table: header(s) {bad} are not Chinese labels")
    numeric = [bool(pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c]))
               for c in frame.columns]
    rows = [[_cell(value) for value in record] for record in frame.itertuples(index=False, name=None)]
    table = {"headers": [str(c) for c in frame.columns], "rows": rows, "numeric": numeric,
             "source": source, "note": note}
    usermeta = {} if chart.usermeta is alt.Undefined else dict(chart.usermeta)
    usermeta[TABLE_KEY] = table
    chart.usermeta = usermeta
    return chart


def _cell(value) -> str:
    """A value as a reader reads it: no NaN or None, booleans as 是/否, floats without trailing noise."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return t("table.missing")
    if isinstance(value, bool):
        return t("chart.yes") if value else t("chart.no")
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.4f}".rstrip("0").rstrip(".")
    if hasattr(value, "item"):  # numpy scalars
        return _cell(value.item())
    return str(value)


def _field_titles(spec: dict) -> dict[str, dict[str, str]]:
    """For each named dataset, the fields that an encoding of a view reading it shows, with their titles."""
    found: dict[str, dict[str, str]] = {}

    def definitions(encoding: dict):
        for definition in encoding.values():
            for item in definition if isinstance(definition, list) else [definition]:
                if isinstance(item, dict):
                    yield item

    def walk(part: dict, data_name: str | None) -> None:
        if isinstance(part.get("data"), dict) and "name" in part["data"]:
            data_name = part["data"]["name"]
        if data_name and isinstance(part.get("encoding"), dict):
            titles = found.setdefault(data_name, {})
            for item in definitions(part["encoding"]):
                field, title = item.get("field"), item.get("title")
                if isinstance(field, str) and isinstance(title, str) and _CJK.search(title):
                    titles.setdefault(field, title)
        for key in ("vconcat", "hconcat", "concat", "layer"):
            for child in part.get(key, []):
                walk(child, data_name)
        if isinstance(part.get("spec"), dict):
            walk(part["spec"], data_name)

    walk(spec, None)
    return found


def chart_table(spec: dict) -> dict | None:
    """The table under a chart: the attached one, else the dataset whose fields the chart titles most, with
    those fields as columns (headers are the Chinese axis, legend and tooltip titles). None if there is none."""
    attached = (spec.get("usermeta") or {}).get(TABLE_KEY)
    if attached:
        return attached
    datasets = {name: rows for name, rows in spec.get("datasets", {}).items()
                if isinstance(rows, list) and rows and isinstance(rows[0], dict)}
    best = None
    for name, titles in _field_titles(spec).items():
        if name not in datasets:
            continue
        present = {f: title for f, title in titles.items() if f in datasets[name][0]}
        # one header per column: the first field that carries a title wins
        columns, seen = [], set()
        for field, title in present.items():
            if title not in seen:
                columns.append((field, title))
                seen.add(title)
        if columns and (best is None or (len(columns), len(datasets[name])) > (len(best[1]), len(datasets[best[0]]))):
            best = (name, columns)
    if best is None:
        return None
    name, columns = best
    rows = [[_cell(record.get(field)) for field, _ in columns] for record in datasets[name]]
    numeric = [all(isinstance(r.get(f), (int, float)) and not isinstance(r.get(f), bool)
                   for r in datasets[name] if r.get(f) is not None) for f, _ in columns]
    return {"headers": [title for _, title in columns], "rows": rows, "numeric": numeric,
            "source": t("chart.source_default"), "note": ""}


def table_csv(table: dict) -> str:
    """The table as CSV text (headers, rows, then the source line), as a reader downloads it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table["headers"])
    writer.writerows(table["rows"])
    writer.writerow([])
    writer.writerow([t("chart.source_line").format(source=table["source"])])
    return out.getvalue()


def _csv_href(table: dict) -> str:
    # a byte-order mark so spreadsheet programs read the Chinese as UTF-8
    return "data:text/csv;charset=utf-8," + quote("\ufeff" + table_csv(table), safe=",.:;()/-_ ")


def table_html(table: dict, element: str, name: str) -> str:
    """A closed ``<details>`` with the chart's data: a table (first rows), the source and a CSV download."""
    headers, rows, numeric = table["headers"], table["rows"], table["numeric"]
    shown = rows[:TABLE_ROWS_SHOWN]

    def cell(tag: str, text: str, right: bool, extra: str = "") -> str:
        align = ' class="pairing-num" style="text-align:right"' if right else ""
        return f"<{tag}{extra}{align}>{html.escape(text)}</{tag}>"

    head = "".join(cell("th", h, n, ' scope="col"') for h, n in zip(headers, numeric))
    body = "".join("<tr>" + "".join(cell("td", v, n) for v, n in zip(row, numeric)) + "</tr>" for row in shown)
    lines = [table["note"]] if table.get("note") else []
    if len(rows) > len(shown):
        lines.append(t("chart.rows_shown").format(shown=len(shown), rows=len(rows)))
    note = "".join(f'<p class="pairing-chart-note">{html.escape(line)}</p>' for line in lines)
    label = html.escape(t("chart.data_of").format(name=name), quote=True)
    filename = html.escape(f"{t('chart.csv_name')}-{element[4:]}.csv", quote=True)
    return (
        f'<details class="pairing-chart-data">'
        f'<summary>{html.escape(t("chart.data_summary").format(rows=len(rows)))}</summary>{note}'
        f'<div class="pairing-table-wrap" role="region" aria-label="{label}" tabindex="0" style="overflow-x:auto">'
        f'<table class="pairing-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'
        f'<p class="pairing-chart-source">{html.escape(t("chart.source_line").format(source=table["source"]))}'
        f' <a class="pairing-chart-csv" download="{filename}" href="{_csv_href(table)}">'
        f'{html.escape(t("chart.download_csv"))}</a></p></details>'
    )


def chart_html(spec: dict) -> str:
    """A figure that draws ``spec`` with the site's own vegaEmbed, named by the chart's Chinese description.

    A description written from the data by the chart builder is shown under the chart (``figcaption``);
    a chart with only a title keeps its name for screen readers (the title is drawn in the chart already).
    """
    element = chart_id(spec)
    emitted = page_spec(spec)
    name = emitted["description"]
    payload = json.dumps(emitted, sort_keys=True, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    options = json.dumps(_EMBED_OPTIONS, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    # hidden the same way on the site and in Jupyter (no stylesheet needed): visible to screen readers only
    hidden = "" if spec.get("description") else f' style="{_SCREEN_READER_ONLY}"'
    table = chart_table(spec)
    data = table_html(table, element, name) + "\n" if table else ""
    # the drawn SVG is one image named by the caption; the menu button gets a name screen readers announce
    label = json.dumps(name, ensure_ascii=False).replace("</", "<\\/")
    menu = json.dumps(MENU_ZH["CLICK_TO_VIEW_ACTIONS"], ensure_ascii=False)
    return (
        f'<figure class="pairing-figure" aria-labelledby="{element}-name">\n'
        f'<div id="{element}" class="pairing-chart"></div>\n'
        f"{data}"
        f'<figcaption id="{element}-name" class="pairing-chart-description"{hidden}>{html.escape(name)}</figcaption>\n'
        "</figure>\n"
        '<script type="text/javascript">(function () {\n'
        f"  var spec = {payload};\n"
        "  function label(result) {\n"
        "    var svg = result.view.container().querySelector(\"svg\");\n"
        f'    if (svg) {{ svg.setAttribute("role", "img"); svg.setAttribute("aria-label", {label}); svg.removeAttribute("aria-roledescription"); }}\n'
        f'    var summary = document.querySelector("#{element} > details > summary");\n'
        f'    if (summary) {{ summary.setAttribute("aria-label", {menu}); }}\n'
        "  }\n"
        f'  function draw() {{ window.vegaEmbed("#{element}", spec, {options}).then(label).catch(console.error); }}\n'
        '  if (window.vegaEmbed) { draw(); } else { window.addEventListener("load", draw); }\n'
        "})();</script>"
    )


def _render(spec: dict, **_ignored) -> dict:
    return {"text/html": chart_html(spec), "text/plain": PLAIN_TEXT}


class _JupyterRenderer:
    """Like ``_render``, but the first chart of the kernel defines ``window.vegaEmbed`` itself."""

    def __init__(self) -> None:
        self.bundle_sent = False

    def __call__(self, spec: dict, **_ignored) -> dict:
        html = chart_html(spec)
        if not self.bundle_sent:
            major, minor = alt.SCHEMA_VERSION.lstrip("v").split(".")[:2]
            bundle = vl_convert.javascript_bundle(vl_version=f"{major}.{minor}").replace("</script", "<\\/script")
            html = f'<script type="text/javascript">if (!window.vegaEmbed) {{ (function () {{\n{bundle}\n}})(); }}</script>\n' + html
            self.bundle_sent = True
        return {"text/html": html, "text/plain": PLAIN_TEXT}


JUPYTER_RENDERER = RENDERER + "_jupyter"


def _theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": FONT,
            "title": {"font": FONT, "fontSize": 15, "anchor": "start"},
            "axis": {"labelFont": FONT, "titleFont": FONT, "labelFontSize": 12, "titleFontSize": 12},
            "legend": {"labelFont": FONT, "titleFont": FONT, "labelFontSize": 12, "titleFontSize": 12},
            "header": {"labelFont": FONT, "titleFont": FONT},
            "text": {"font": FONT},
            "view": {"stroke": None},
            # the drawing follows its content when a control filters it: without resize the SVG kept the size of
            # its first drawing (choosing one stage left ~900 px of blank below figure 3-1's shortened list)
            "autosize": {"type": "pad", "resize": True},
            # marks and guides stay out of the accessibility tree: the SVG is one image named by the caption
            # (Vega's own mark descriptions would read field names and English to a screen reader)
            "aria": False,
        }
    }


alt.renderers.register(RENDERER, _render)
alt.renderers.register(JUPYTER_RENDERER, _JupyterRenderer())
alt.theme.register(THEME, enable=False)(_theme)


def in_live_jupyter() -> bool:
    """True in a Jupyter server's kernel (JupyterLab, Notebook, Voila), false under nbclient (book build, nbval)."""
    return bool(os.environ.get("JPY_SESSION_NAME"))


def setup(live: bool | None = None) -> None:
    """Use the offline renderer and the book's theme (call once per notebook).

    ``live`` (default: detected) makes the first chart carry the Vega bundle, for Jupyter without internet.
    """
    alt.renderers.enable(JUPYTER_RENDERER if (in_live_jupyter() if live is None else live) else RENDERER)
    alt.theme.enable(THEME)
