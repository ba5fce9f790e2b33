"""Name or fix the theme's and docutils' elements that axe-core reports as critical or serious.

Checked on every page by tests/test_site_a11y.py (light and dark). Applied to the written HTML because the
markup comes from templates and writers this book does not own:

* the sidebar's expand/collapse toggles (pydata-sphinx-theme) are ``<summary>`` elements holding only an icon:
  they get a Chinese name (axe ``summary-name``);
* a bibliography rendered as ``<div role="list">`` has ``role="doc-backlink"`` links inside its items, which a
  list may not own, and items with the deprecated ``doc-biblioentry`` role that axe does not count as list items
  (axe ``aria-required-children``, critical): the links lose the role, the items become ``listitem``.

The chart menu's ``<summary>`` is drawn in the browser by vega-embed; ``static/chart-theme.js`` names it.
"""

from __future__ import annotations

import re
from pathlib import Path

TOC_TOGGLE = '<summary><span class="toctree-toggle" role="presentation">'
TOC_TOGGLE_NAMED = '<summary aria-label="展开或收起本章各节"><span class="toctree-toggle" role="presentation">'


def fix(html: str) -> str:
    html = html.replace(TOC_TOGGLE, TOC_TOGGLE_NAMED)
    if 'class="citation-list"' in html:
        html = html.replace('<a role="doc-backlink" ', "<a ")
        # axe 4.12 treats the deprecated doc-biblioentry as no list item, so the list had none
        html = re.sub(r'(<div class="citation" id="[^"]*") role="doc-biblioentry"', r'\1 role="listitem"', html)
    return html


def _build_finished(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        if "_static" in page.parts:
            continue
        html = page.read_text(encoding="utf-8")
        fixed = fix(html)
        if fixed != html:
            page.write_text(fixed, encoding="utf-8")


def setup(app):
    app.connect("build-finished", _build_finished)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
