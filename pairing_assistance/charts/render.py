"""An offline Altair renderer and the book's chart theme.

The renderer emits ``text/html`` (a div plus a ``vegaEmbed`` call) instead of
Altair's default that loads Vega from a CDN. On the website the Vega bundle is
served by the site (``book/_ext/offline_assets.py``). In a live Jupyter session
(an instructor's classroom, perhaps without internet) the first chart of the
kernel also carries the bundle itself, so charts draw with no network at all.
The div id is derived from the spec, so re-executing a notebook gives
identical outputs (stable for nbval).
"""

from __future__ import annotations

import hashlib
import json
import os

import altair as alt
import vl_convert

RENDERER = "pairing_offline"
THEME = "pairing_book"
FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", sans-serif'
STAGE_COLOURS = ["#8c6d31", "#3182bd", "#31a354", "#d6616b"]
PLAIN_TEXT = "交互式图表（请在本书网页或 Jupyter 中查看）"

_EMBED_OPTIONS = {"renderer": "svg", "actions": {"export": True, "source": False, "compiled": False, "editor": False}}


def chart_id(spec: dict) -> str:
    """Deterministic element id for a chart spec."""
    digest = hashlib.sha1(json.dumps(spec, sort_keys=True).encode("utf-8")).hexdigest()
    return f"vis-{digest[:12]}"


def chart_html(spec: dict) -> str:
    """HTML that draws ``spec`` with the site's own vegaEmbed."""
    element = chart_id(spec)
    payload = json.dumps(spec, sort_keys=True, ensure_ascii=False).replace("</", "<\\/")
    options = json.dumps(_EMBED_OPTIONS, sort_keys=True)
    return (
        f'<div id="{element}" class="pairing-chart"></div>\n'
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
