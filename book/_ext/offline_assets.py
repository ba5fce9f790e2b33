"""Keep every page self-contained: serve Vega locally and drop loaders of remote code.

Vega, Vega-Lite and Vega-Embed are served from the site itself (no CDN).

The bundle comes from ``vl_convert.javascript_bundle()`` at build time (it is
not committed), matched to Altair's Vega-Lite version, wrapped in an IIFE
because its top-level ``const`` names clash with Sphinx's scripts, and added
only to pages that hold a chart.
"""

from __future__ import annotations

from pathlib import Path

import altair as alt
import vl_convert

BUNDLE = "vendor/vega-bundle.js"


def _vega_lite_version() -> str:
    major, minor = alt.SCHEMA_VERSION.lstrip("v").split(".")[:2]
    return f"{major}.{minor}"


def write_bundle(outdir: str | Path) -> Path:
    target = Path(outdir) / "_static" / BUNDLE
    target.parent.mkdir(parents=True, exist_ok=True)
    code = vl_convert.javascript_bundle(vl_version=_vega_lite_version())
    target.write_text("(function () {\n" + code + "\n})();\n", encoding="utf-8")
    return target


def _builder_inited(app) -> None:
    if app.builder.format == "html":
        write_bundle(app.outdir)


def _is_thebe(asset) -> bool:
    text = f"{getattr(asset, 'filename', '')} {getattr(asset, 'attributes', {}).get('body', '')}"
    return "thebe" in text.lower()


def _page_context(app, pagename, templatename, context, doctree) -> None:
    # Jupyter Book always adds sphinx-thebe, which points at unpkg.com and declares its
    # globals twice (a console error). Live code is not offered on the site, so drop it.
    for key in ("script_files", "css_files"):
        if key in context:
            context[key][:] = [asset for asset in context[key] if not _is_thebe(asset)]
    if "vegaEmbed" in context.get("body", ""):
        app.add_js_file(BUNDLE)


def setup(app):
    app.connect("builder-inited", _builder_inited)
    app.connect("html-page-context", _page_context)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
