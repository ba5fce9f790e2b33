"""Name or fix the theme's and docutils' elements that axe-core reports as critical or serious.

Checked on every page by tests/test_site_a11y.py (light and dark). Applied to the written HTML because the
markup comes from templates and writers this book does not own:

* the sidebar's expand/collapse toggles (pydata-sphinx-theme) are ``<summary>`` elements holding only an icon:
  they get a Chinese name (axe ``summary-name``);
* a bibliography rendered as ``<div role="list">`` has ``role="doc-backlink"`` links inside its items, which a
  list may not own, and items with the deprecated ``doc-biblioentry`` role that axe does not count as list items
  (axe ``aria-required-children``, critical): the links lose the role, the items become ``listitem``.

* the theme's names and tooltips that stay English in a Chinese book ("Link to this heading", "Toggle primary
  sidebar", "Search...", and the zh_CN catalogue's Taiwan term 列印) are replaced by the Chinese of the book's
  translation table (``theme.*`` in ``pairing_assistance/i18n.py``), in names, titles and placeholders only.

The chart menu's ``<summary>`` is drawn in the browser by vega-embed; ``static/chart-theme.js`` names it.
"""

from __future__ import annotations

import re
from pathlib import Path

from pairing_assistance.i18n import LABELS

TOC_TOGGLE = '<summary><span class="toctree-toggle" role="presentation">'
TOC_TOGGLE_NAMED = '<summary aria-label="展开或收起本章各节"><span class="toctree-toggle" role="presentation">'


THEME_TEXT = {label["en"]: label["zh"] for key, label in LABELS.items() if key.startswith("theme.")}
LABELLING = re.compile(r'\b(aria-label|title|placeholder|data-bs-title|data-bs-original-title)="([^"]*)"')


def _in_chinese(match: re.Match) -> str:
    return f'{match[1]}="{THEME_TEXT.get(match[2], match[2])}"'


def fix(html: str) -> str:
    html = html.replace(TOC_TOGGLE, TOC_TOGGLE_NAMED)
    html = LABELLING.sub(_in_chinese, html)
    if 'class="citation-list"' in html:
        html = html.replace('<a role="doc-backlink" ', "<a ")
        # axe 4.12 treats the deprecated doc-biblioentry as no list item, so the list had none
        html = re.sub(r'(<div class="citation" id="[^"]*") role="doc-biblioentry"', r'\1 role="listitem"', html)
    return html


# sphinx-togglebutton writes this name on every toggle from its script, so the script is fixed, not the pages
TOGGLE_SCRIPT = "_static/togglebutton.js"


def _build_finished(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    script = Path(app.outdir) / TOGGLE_SCRIPT
    if script.exists():
        code = script.read_text(encoding="utf-8")
        script.write_text(LABELLING.sub(_in_chinese, code), encoding="utf-8")
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
