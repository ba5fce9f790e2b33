"""Charts that follow the page's light or dark theme.

The site follows the browser's light/dark setting (``html_context.default_mode: auto`` in _config.yml); the
page colours for dark mode, phones and print are in ``_static/dark.css``, ``_static/phone.css`` and
``_static/print.css`` (Jupyter Book links every ``_static`` stylesheet from every page). The charts are SVG
drawn by Vega with their own colours, so ``static/chart-theme.js`` gives them a dark Vega-Lite config when
the page is dark. It is added only to pages that draw a chart, after the Vega bundle
(``offline_assets.py``) and before the charts' own scripts, which call the ``vegaEmbed`` it wraps.
"""

from __future__ import annotations

from pathlib import Path

STATIC = Path(__file__).parent / "static"
SCRIPT = "chart-theme.js"


def _config_inited(app, config) -> None:
    if str(STATIC) not in config.html_static_path:
        config.html_static_path.append(str(STATIC))


def _page_context(app, pagename, templatename, context, doctree) -> None:
    if "vegaEmbed" in context.get("body", ""):
        app.add_js_file(SCRIPT, priority=510)  # the bundle is added at the default priority, 500


def setup(app):
    app.connect("config-inited", _config_inited)
    app.connect("html-page-context", _page_context, priority=600)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
