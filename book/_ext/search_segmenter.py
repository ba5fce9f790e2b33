"""Chinese search that finds compound words: jieba on the index, the index's own words on the query.

Sphinx's Chinese search (``html_search_language: zh``) cuts the text of every page with jieba when building
``searchindex.js``, but sends a reader's query to the index unsegmented, so 对口支援 or 横向转移支付 (not words
of jieba's dictionary, indexed as 对口 + 支援, 横向 + 转移 + 支付) find nothing. ``static/search-segmenter.js``,
added to the search page only, cuts a query into the fewest words of that same index and adds up the words'
scores. Chosen over Pagefind because it needs no second index or WebAssembly module and keeps Sphinx's search
page, results list and highlighting (figures in the issue-11 report).
"""

from __future__ import annotations

from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
SCRIPT = "search-segmenter.js"


def _config_inited(app, config) -> None:
    if str(STATIC) not in config.html_static_path:
        config.html_static_path.append(str(STATIC))
    try:
        import jieba  # noqa: F401  (Sphinx's zh index drops every Chinese word without it)
    except ImportError:
        logger.warning("search_segmenter: jieba is not installed; the search index will hold no Chinese words")


def _page_context(app, pagename, templatename, context, doctree) -> None:
    if pagename == "search":
        app.add_js_file(SCRIPT)


def setup(app):
    app.connect("config-inited", _config_inited)
    app.connect("html-page-context", _page_context)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
