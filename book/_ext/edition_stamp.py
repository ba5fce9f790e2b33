"""Citable editions: the version and date on every page, citation formats and the changes between editions.

The version and release date come from ``CITATION.cff`` (the one place they are written), the repository
address from the theme option ``repository_url`` (_config.yml). This extension

* adds to every page's footer a line "第 X 版（发布日期 D）" linking to the 如何引用 page, and Highwire
  ``citation_*`` meta tags that reference managers read;
* provides the directive ``edition-citation`` (the book in GB/T 7714-2015 and BibTeX, and the data set in
  GB/T 7714-2015) and ``edition-changes`` (per edition and page, how many key numbers changed, from
  ``data/key_numbers.csv``; the full list is CHANGELOG-estimates.md in the repository).
"""

from __future__ import annotations

import html
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

from pairing_assistance import editions

CITE_PAGE = "book/cite"
CHANGELOG_FILE = "CHANGELOG-estimates.md"


def _root(app) -> Path:
    return Path(app.confdir)


def _facts(app) -> dict[str, str]:
    edition = editions.current_edition(_root(app))
    return {"version": edition.version, "date": edition.date, "title": app.config.project,
            "author": app.config.author, "url": app.config.html_theme_options.get("repository_url", "")}


def gbt7714(facts: dict[str, str], kind: str = "EB") -> str:
    """GB/T 7714-2015 entry of the book (EB/OL: an online resource) or its data (DS/OL: a data set)."""
    title = facts["title"] + ("：数据集" if kind == "DS" else "")
    return (f"{facts['author']}. {title}[{kind}/OL]. {facts['version']} 版. ({facts['date']})[引用日期]. "
            f"{facts['url']}.")


def bibtex(facts: dict[str, str]) -> str:
    key = "duikouzhiyuan" + facts["date"][:4] + "v" + facts["version"].replace(".", "")
    return "\n".join([
        f"@misc{{{key},",
        f"  author       = {{{{{facts['author']}}}}},",
        f"  title        = {{{facts['title']}}},",
        f"  year         = {{{facts['date'][:4]}}},",
        f"  note         = {{版本 {facts['version']}，{facts['date']} 发布}},",
        f"  howpublished = {{\\url{{{facts['url']}}}}},",
        "  language     = {chinese},",
        "}",
    ])


class EditionCitation(SphinxDirective):
    """The citation formats of the current edition, as literal blocks a reader can copy."""

    def run(self):
        facts = _facts(self.env.app)
        self.env.note_dependency(str(_root(self.env.app) / "CITATION.cff"))
        result = []
        for label, text, language in [("GB/T 7714-2015（本书）", gbt7714(facts), "text"),
                                      ("GB/T 7714-2015（数据）", gbt7714(facts, "DS"), "text"),
                                      ("BibTeX", bibtex(facts), "bibtex")]:
            result.append(nodes.paragraph("", "", nodes.strong(text=label)))
            block = nodes.literal_block(text, text, language=language)
            block["classes"].append("edition-citation")
            result.append(block)
        return result


class EditionChanges(SphinxDirective):
    """Per edition, newest first: how many key numbers each page has and how many changed."""

    def run(self):
        root = _root(self.env.app)
        path = root / "data" / "key_numbers.csv"
        self.env.note_dependency(str(path))
        rows = editions.read_rows(path)
        titles = {name: self.env.titles[name].astext() for name in self.env.titles}
        lines = []
        for edition in editions.editions(rows):
            summary = [s for s in editions.summary(rows) if s["edition"] == edition.version]
            lines += [f"**第 {edition.version} 版（{edition.date}）**", ""]
            pages = [s for s in summary if s["page"] != "data"]
            if not pages:
                lines += ["本版正文中没有由计算嵌入的数值（当时的数值以代码输出显示）。", ""]
            else:
                previous = summary[0]["previous"]
                compared = f"与第 {previous} 版相比" if previous else "首个记录的版本"
                lines += [f"| 页面 | 正文数值 | {compared}：有变化 | 新增 | 删除 |", "| --- | --- | --- | --- | --- |"]
                for s in pages:
                    docname = s["page"].removesuffix(".ipynb")
                    name = f"{{doc}}`{titles[docname]} <{'/' + docname}>`" if docname in titles else s["page"]
                    lines.append(f"| {name} | {s['numbers']} | {s['changed']} | {s['added']} | {s['removed']} |")
                lines.append("")
            data = [s for s in summary if s["page"] == "data"]
            if data:
                tables = "、".join(Path(t).name for t in data[0]["tables"]) or "无"
                lines += [f"有变化的数据表：{tables}。", ""]
        node = nodes.container(classes=["edition-changes"])
        self.state.nested_parse(StringList(lines, source=str(path)), self.content_offset, node)
        return [node]


def _page_context(app, pagename, templatename, context, doctree) -> None:
    facts = _facts(app)
    cite = context["pathto"](CITE_PAGE) if CITE_PAGE in app.env.found_docs else ""
    stamp = f"第 {facts['version']} 版（发布日期 {facts['date']}）"
    linked = f'<a href="{cite}">{stamp}</a>' if cite and pagename != CITE_PAGE else stamp
    footer = context.get("theme_extra_footer") or ""
    context["theme_extra_footer"] = footer + f' <span class="edition-stamp">{linked}</span>'
    year, month, day = facts["date"].split("-")
    meta = [("citation_title", facts["title"]), ("citation_author", facts["author"]),
            ("citation_publication_date", f"{year}/{month}/{day}"), ("citation_language", "zh"),
            ("citation_version", facts["version"])]
    context["metatags"] = context.get("metatags", "") + "".join(
        f'\n<meta name="{name}" content="{html.escape(value)}" />' for name, value in meta)


def setup(app):
    app.add_directive("edition-citation", EditionCitation)
    app.add_directive("edition-changes", EditionChanges)
    app.connect("html-page-context", _page_context, priority=700)  # after site_footer fills the footer
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
