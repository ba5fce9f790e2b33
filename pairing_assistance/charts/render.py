"""An offline Altair renderer and the book's chart theme.

The renderer emits ``text/html`` (a div plus a ``vegaEmbed`` call) instead of
Altair's default that loads Vega from a CDN. The Vega bundle itself is served
by the site (``book/_ext/offline_assets.py``). The div id is derived from the
spec, so re-executing a notebook gives identical outputs (stable for nbval).
"""

from __future__ import annotations

import hashlib
import json

import altair as alt

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
alt.theme.register(THEME, enable=False)(_theme)


def setup() -> None:
    """Use the offline renderer and the book's theme (call once per notebook)."""
    alt.renderers.enable(RENDERER)
    alt.theme.enable(THEME)
