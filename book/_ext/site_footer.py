"""Fill the page footer's placeholders: where the source repository is and how to cite the book.

The theme option `extra_footer` (`sphinx.config.html_theme_options` in _config.yml) may contain
`{repository_url}` (the theme option `repository_url` beside it, the one place that address is written) and
`{citation_url}` (the "如何引用" page, or a section of that title, as a link relative to each page). A missing
repository address or citation section is a build warning.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)
CITATION_PAGE = "book/cite"  # the 如何引用 page (GB/T 7714 and BibTeX entries, CITATION.cff)
CITATION_TITLE = "如何引用"


def _citation_anchor(app) -> str:
    if not hasattr(app, "site_footer_anchor"):
        anchor = ""
        if CITATION_PAGE in app.env.found_docs:
            sections = list(app.env.get_doctree(CITATION_PAGE).findall(nodes.section))
            for index, section in enumerate(sections):
                if section.next_node(nodes.title).astext() == CITATION_TITLE and section["ids"]:
                    anchor = "top" if index == 0 else section["ids"][0]  # the page's own title: no fragment
                    break
        if not anchor:
            logger.warning(f"site_footer: no section titled {CITATION_TITLE} in {CITATION_PAGE}; the footer links to the page")
        app.site_footer_anchor = anchor
    return app.site_footer_anchor


def fill_footer(app, pagename, templatename, context, doctree):
    footer = context.get("theme_extra_footer") or ""
    if "{" not in footer:
        return
    repository = app.config.html_theme_options.get("repository_url", "")
    if not repository:
        logger.warning("site_footer: _config.yml has no repository.url for the footer")
    anchor = _citation_anchor(app)
    page = "" if pagename == CITATION_PAGE else context["pathto"](CITATION_PAGE)  # pathto gives "#" for itself
    citation = page + (f"#{anchor}" if anchor not in ("", "top") else "") or "#"
    context["theme_extra_footer"] = footer.replace("{repository_url}", repository).replace("{citation_url}", citation)


def setup(app):
    app.connect("html-page-context", fill_footer)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
