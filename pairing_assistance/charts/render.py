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
data, else its title); the chart's action menu speaks Chinese; the emitted spec
carries no ``$schema`` URL (no off-site address in a page) and is written
without whitespace.
"""

from __future__ import annotations

import hashlib
import html
import json
import os

import altair as alt
import vl_convert

RENDERER = "pairing_offline"
THEME = "pairing_book"
FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", sans-serif'
STAGE_COLOURS = ["#8c6d31", "#3182bd", "#31a354", "#d6616b"]
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
    """The spec as emitted into a page: without the ``$schema`` URL, with its description set for Vega's SVG label."""
    emitted = {key: value for key, value in spec.items() if key != "$schema"}
    emitted["description"] = chart_name(spec)
    return emitted


def chart_html(spec: dict) -> str:
    """A figure that draws ``spec`` with the site's own vegaEmbed, named by the chart's Chinese description.

    A description written from the data by the chart builder is shown under the chart (``figcaption``);
    a chart with only a title keeps its name for screen readers (the title is drawn in the chart already).
    """
    element = chart_id(spec)
    emitted = page_spec(spec)
    payload = json.dumps(emitted, sort_keys=True, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    options = json.dumps(_EMBED_OPTIONS, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    # hidden the same way on the site and in Jupyter (no stylesheet needed): visible to screen readers only
    hidden = "" if spec.get("description") else f' style="{_SCREEN_READER_ONLY}"'
    return (
        f'<figure class="pairing-figure" aria-labelledby="{element}-name">\n'
        f'<div id="{element}" class="pairing-chart"></div>\n'
        f'<figcaption id="{element}-name" class="pairing-chart-description"{hidden}>{html.escape(emitted["description"])}</figcaption>\n'
        "</figure>\n"
        '<script type="text/javascript">(function () {\n'
        f"  var spec = {payload};\n"
        f'  function draw() {{ window.vegaEmbed("#{element}", spec, {options}).catch(console.error); }}\n'
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
