"""The whole book as one Chinese PDF, printed by Chromium from the built website.

    .venv/bin/python -m pairing_assistance.pdf      # after bash scripts/build-book.sh; needs Debian's chromium

Every page of ``_toc.yml``, in its order, is taken from ``_build/html`` (the article only: no sidebars, menus or
scripts) into one document; each interactive chart becomes a static PNG drawn by vl-convert from the chart's own
Vega-Lite spec (its default state), its data table stays on the website. Headless Chromium lays the document out
with the site's own stylesheets and print rules (``_static/print.css``), typesets the formulas with the site's
MathJax and prints it to A4 with page numbers, bookmarks from the headings and the CJK fonts embedded (Noto CJK
from Debian's fonts-noto-cjk); pypdf then writes the title, author and language into the file. The PDF is written
into the site itself (``_build/html/pairing-assistance.pdf``), where the 如何引用 page links to it.

Separate from the site build on purpose: building the website needs no browser, this command does. No request
leaves the local server it starts.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import functools
import html
import http.server
import io
import json
import logging
import os
import re
import sys
import threading
from pathlib import Path

import yaml

from .editions import current_edition
from .toc import toc_docnames  # noqa: F401 (the PDF follows the table of contents; tests call it here)

ROOT = Path(__file__).resolve().parent.parent
PDF_NAME = "pairing-assistance.pdf"  # at the site's root; book/cite.md links to it
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
CHART_SCALE = 2  # PNG pixels per CSS pixel: sharp at print resolution, ~0.1-0.6 MB a chart
# A4 with the margins of PDF_STYLE, in CSS pixels (96 per inch): the text width, and the height a chart may take
# with its caption on the same page
PAGE_WIDTH_PX = (210 - 32) / 25.4 * 96
PAGE_HEIGHT_PX = 215 / 25.4 * 96
COMPOSED = "__pdf_edition__.html"  # served only to the printing browser, never written to disk

_ARTICLE = re.compile(r'<article class="bd-article"[^>]*>(.*?)</article>', re.S)
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S | re.I)
_CHART_DIV = re.compile(r'<div id="(vis-[0-9a-f]{12})" class="pairing-chart"></div>')
_CHART_SCRIPT = re.compile(r'var spec = (\{.*?\});\n.*?window\.vegaEmbed\("#(vis-[0-9a-f]{12})"', re.S)
_CAPTION = re.compile(r'<figcaption id="(vis-[0-9a-f]{12})-name"[^>]*>(.*?)</figcaption>', re.S)
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.S)
_TAG = re.compile(r"<[^>]+>")


def page_title(page_html: str) -> str:
    """The text of the article's first heading (the page's title as the reader sees it)."""
    article = _ARTICLE.search(page_html)
    heading = _H1.search(article[1] if article else page_html)
    if not heading:
        raise ValueError("the page has no <h1> title")
    title = re.sub(r'<a class="headerlink".*?</a>', "", heading[1], flags=re.S)
    return html.unescape(_TAG.sub("", title)).strip()


def chart_specs(page_html: str) -> dict[str, dict]:
    """Each chart's Vega-Lite spec, by element id, as written into the page by ``charts/render.py``."""
    return {element: json.loads(spec) for spec, element in _CHART_SCRIPT.findall(page_html)}


def chart_png(spec: dict) -> bytes:
    """The chart in its default state as a PNG (vl-convert, the Vega-Lite version Altair writes)."""
    import altair as alt
    import vl_convert

    major, minor = alt.SCHEMA_VERSION.lstrip("v").split(".")[:2]
    return vl_convert.vegalite_to_png(spec, vl_version=f"{major}.{minor}", scale=CHART_SCALE)


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels, from the PNG header."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def chapter_html(docname: str, page_html: str, draw=chart_png) -> tuple[str, int]:
    """The article of one built page, ready to print: scripts removed, each chart replaced by its static image
    (named by the chart's caption). Returns the HTML and the number of charts replaced.

    Raises ``ValueError`` naming the page and the chart when a chart has no spec or vl-convert cannot draw it.
    """
    article = _ARTICLE.search(page_html)
    if not article:
        raise ValueError(f"{docname}: no <article class=\"bd-article\"> in the built page")
    specs = chart_specs(article[1])  # not the head: a notebook's widget state can quote a chart's script
    captions = {element: html.unescape(_TAG.sub("", text)).strip() for element, text in _CAPTION.findall(article[1])}
    replaced = 0

    def image(match: re.Match) -> str:
        nonlocal replaced
        element = match[1]
        if element not in specs:
            raise ValueError(f"{docname}: chart {element} has no spec in the page")
        try:
            png = draw(specs[element])
        except Exception as error:  # vl-convert reports spec errors as ValueError or its own types
            raise ValueError(f"{docname}: chart {element} could not be drawn by vl-convert: {error}") from error
        width, height = png_size(png)
        replaced += 1
        # drawn no larger than it is on the site, and whole on one page (a tall chart is scaled down, not cut)
        shown = min(width / CHART_SCALE, PAGE_WIDTH_PX, PAGE_HEIGHT_PX * width / height)
        alt_text = html.escape(captions.get(element, ""), quote=True)
        return (f'<img class="pdf-chart" id="{element}" alt="{alt_text}" style="width:{shown:.0f}px" '
                f'src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}">')

    body = _CHART_DIV.sub(image, _SCRIPT.sub("", article[1]))
    missing = set(specs) - set(_CHART_DIV.findall(article[1]))
    if missing:
        raise ValueError(f"{docname}: chart script(s) {sorted(missing)} without their element in the article")
    return body, replaced


# Page layout of the printed book; the site's print.css already hides controls and lets tables wrap.
PDF_STYLE = """
@page { size: A4; margin: 18mm 16mm 20mm 16mm; }
html { font-size: 14px; }
body { background: #fff; }
.bd-main .bd-content, .bd-main .bd-content .bd-article-container { display: block; max-width: none; margin: 0; }
.bd-main .bd-content .bd-article-container .bd-article { padding: 0; }
.pdf-chapter { break-before: page; }
/* the theme hides each page's first h1 in print (its print header repeats it); here it is the chapter title */
.bd-main .bd-content .bd-article.pdf-chapter h1:first-of-type { display: block !important; }
.pdf-chapter h1 { font-size: 1.9rem; margin: 0 0 1rem; }
img.pdf-chart { display: block; max-width: 100%; height: auto; margin: 0.5rem 0; break-inside: avoid; }
details.pairing-chart-data, .headerlink, .toggle-button, .pdf-hidden { display: none !important; }
.pdf-title { height: 230mm; display: flex; flex-direction: column; justify-content: center; text-align: center; }
.pdf-title .pdf-book { font-size: 2.6rem; font-weight: 700; margin-bottom: 1.5rem; }
.pdf-title p { margin: 0.3rem 0; }
.pdf-contents { break-before: page; }
.pdf-contents ol { list-style: none; padding-left: 0; font-size: 1.05rem; line-height: 2; }
a { text-decoration: none; }
.pdf-answer-ref { font-size: 0.9rem; margin: -0.5rem 0 1rem; }
#pdf-answers div.solution { break-inside: avoid; }
"""

# Run in the printing page: build each chapter from its <template>, keep links inside the PDF, wait for the
# images, the fonts and the formulas.
ASSEMBLE = """async (chapters) => {
  const main = document.querySelector('.bd-article-container');
  const keyOf = (doc) => 'pdf-' + doc.replace(/[^A-Za-z0-9_-]/g, '-');
  const pages = new Map(chapters.map(c => [new URL(c.doc + '.html', location.origin + '/').pathname, keyOf(c.doc)]));
  const rename = (key, id) => key + '--' + id;
  for (const template of document.querySelectorAll('template[data-doc]')) {
    const doc = template.dataset.doc, key = keyOf(doc), base = location.origin + '/' + doc + '.html';
    const article = document.createElement('article');
    article.className = 'bd-article pdf-chapter';
    article.id = key;
    article.appendChild(template.content.cloneNode(true));
    for (const el of article.querySelectorAll('[id]')) el.id = rename(key, el.id);
    for (const attribute of ['aria-labelledby', 'aria-describedby', 'for']) {
      for (const el of article.querySelectorAll('[' + attribute + ']')) {
        el.setAttribute(attribute, el.getAttribute(attribute).split(/\\s+/).map(id => rename(key, id)).join(' '));
      }
    }
    for (const link of article.querySelectorAll('a[href]')) {
      const href = link.getAttribute('href');
      if (/^(https?:|mailto:)/.test(href)) continue;  // an address outside the site stays as written
      const url = new URL(href, base);
      const target = url.origin === location.origin ? pages.get(url.pathname) : undefined;
      if (target) { link.setAttribute('href', '#' + (url.hash ? rename(target, url.hash.slice(1)) : target)); }
      else { link.removeAttribute('href'); link.removeAttribute('download'); }  // a file of the site: not in the PDF
    }
    for (const img of article.querySelectorAll('img[src]:not(.pdf-chart)')) img.src = new URL(img.getAttribute('src'), base).href;
    main.appendChild(article);
    template.remove();
  }
  // Solutions go to a 参考答案 section at the end (on the site they are folded; print cannot fold them, and
  // a reader working an exercise should not see its answer below it); each exercise keeps a link to its answer.
  const solutions = [...main.querySelectorAll('article.pdf-chapter div.solution')];
  if (solutions.length) {
    const titles = new Map(chapters.map(c => [keyOf(c.doc), c.title]));
    const answers = document.createElement('article');
    answers.className = 'bd-article pdf-chapter';
    answers.id = 'pdf-answers';
    const heading = document.createElement('h1');
    heading.textContent = '参考答案';
    answers.appendChild(heading);
    let current = null;
    for (const solution of solutions) {
      const chapter = solution.closest('article.pdf-chapter');
      if (chapter !== current) {
        current = chapter;
        const title = document.createElement('h2');
        title.textContent = titles.get(chapter.id) || '';
        answers.appendChild(title);
      }
      const pointer = document.createElement('p');
      pointer.className = 'pdf-answer-ref';
      const link = document.createElement('a');
      link.href = '#' + solution.id;
      link.textContent = '解答见书末“参考答案”';
      pointer.appendChild(link);
      solution.replaceWith(pointer);
      answers.appendChild(solution);
    }
    main.appendChild(answers);
  }
  await Promise.all([...document.images].map(img => img.decode().catch(() => { throw new Error('image not loaded: ' + img.src.slice(0, 80)); })));
  if (window.MathJax && window.MathJax.startup) { await window.MathJax.startup.promise; }
  await document.fonts.ready;
  return document.querySelectorAll('img.pdf-chart').length;
}"""


def _stylesheets(page_html: str, docname: str) -> list[str]:
    """The site's stylesheets a built page links, as paths from the site root."""
    depth = docname.count("/")
    links = re.findall(r'<link[^>]*rel="stylesheet"[^>]*>', page_html)
    hrefs = [re.search(r'href="([^"]+)"', link)[1] for link in links]
    return [re.sub(r"^(\.\./){%d}" % depth, "", href) for href in hrefs]


def compose(site: Path, root: Path = ROOT, draw=chart_png) -> tuple[str, list[dict], int]:
    """The document Chromium prints: title page, contents, then one <template> per page of the book.

    Returns the HTML, the chapters (docname and title) and the number of charts drawn as images.
    """
    edition = current_edition(root)
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    chapters, templates, charts, styles, maths = [], [], 0, None, ""
    for docname in toc_docnames(root):
        path = site / f"{docname}.html"
        if not path.is_file():
            raise FileNotFoundError(f"{path} is missing: build the site first (bash scripts/build-book.sh)")
        page = path.read_text(encoding="utf-8")
        styles = styles or _stylesheets(page, docname)
        if not maths and "mathjax/tex-chtml.js" in page:
            config_script = re.search(r"<script>(window\.MathJax = .*?)</script>", page)
            maths = (f"<script>{config_script[1]}</script>" if config_script else "") + \
                '<script defer src="_static/mathjax/tex-chtml.js"></script>'
        body, drawn = chapter_html(docname, page, draw)
        charts += drawn
        chapters.append({"doc": docname, "title": page_title(page)})
        templates.append(f'<template data-doc="{html.escape(docname)}">{body}</template>')
    title = html.escape(config["title"])
    contents = "".join(f'<li><a href="#pdf-{re.sub(r"[^A-Za-z0-9_-]", "-", c["doc"])}">{html.escape(c["title"])}</a></li>'
                       for c in chapters)
    if any('class="solution' in template for template in templates):  # ASSEMBLE gathers them at the end
        contents += '<li><a href="#pdf-answers">参考答案</a></li>'

    head = "".join(f'<link rel="stylesheet" href="{href}">' for href in styles)
    document = f"""<!DOCTYPE html>
<html lang="zh-CN" data-theme="light" data-mode="light"><head><meta charset="utf-8"><title>{title}</title>
{head}<style>{PDF_STYLE}</style>{maths}</head>
<body><div class="bd-container"><div class="bd-container__inner bd-page-width"><main class="bd-main">
<div class="bd-content"><div class="bd-article-container">
<section class="pdf-title"><p class="pdf-book">{title}</p>
<p>{html.escape(config["author"])}</p>
<p>第 {html.escape(edition.version)} 版　{html.escape(edition.date)}</p>
<p>本 PDF 由本书网站版生成：交互图表在此为默认选项下的静态图像，图表数据可在网站版各图下方查看和下载。</p></section>
<nav class="pdf-contents"><h2>目录</h2><ol>{contents}</ol></nav>
</div></div></main></div></div>
{"".join(templates)}
</body></html>"""
    return document, chapters, charts


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def _served(site: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def print_pdf(document: str, chapters: list[dict], site: Path) -> tuple[bytes, int]:
    """Chromium's A4 print of the composed document (served beside the site); the images it placed."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).is_file():
        raise SystemExit(f"pdf: no Chromium at {CHROMIUM}; install it with: bash scripts/setup.sh --browser "
                         "(or set CHROMIUM=/path/to/chromium)")
    with _served(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page()
            blocked: list[str] = []

            def route(request_route):
                url = request_route.request.url
                if url == f"{base}/{COMPOSED}":
                    request_route.fulfill(body=document, content_type="text/html; charset=utf-8")
                elif url.startswith(base + "/"):
                    request_route.continue_()
                else:
                    blocked.append(url)
                    request_route.abort()

            page.route("**/*", route)
            page.goto(f"{base}/{COMPOSED}", wait_until="load")
            images = page.evaluate(ASSEMBLE, chapters)
            if blocked:
                raise RuntimeError(f"pdf: the document asked for addresses outside the site: {blocked[:5]}")
            footer = ('<div style="width:100%;font-size:8px;color:#555;text-align:center;'
                      'font-family:\'Noto Sans CJK SC\',sans-serif">— <span class="pageNumber"></span> —</div>')
            data = page.pdf(format="A4", print_background=True, prefer_css_page_size=True, outline=True, tagged=True,
                            display_header_footer=True, header_template="<span></span>", footer_template=footer)
        finally:
            browser.close()
    return data, images


# Noto CJK draws some ideographs with the glyph of a radical (口 and the Kangxi radical ⼝ are one glyph), and
# Chromium's PDF writer maps each glyph back to its lowest code point: the radical. Text copied or searched in
# the PDF would then read 对⼝⽀援, not 对口支援. The fonts' own character maps tell which ideograph shares the glyph.
RADICALS = range(0x2E80, 0x2FE0)  # CJK Radicals Supplement and Kangxi Radicals
IDEOGRAPHS = (range(0x3400, 0x4DC0), range(0x4E00, 0xA000))
FONT_DIRS = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts"]


def radical_ideographs(font_files: list[Path] | None = None) -> dict[int, int]:
    """Radical code point -> the unified ideograph drawn with the same glyph in the Noto CJK SC fonts
    (Kangxi radicals without such a twin fall back to their Unicode compatibility ideograph)."""
    import unicodedata

    from fontTools.ttLib import TTCollection

    mapping: dict[int, int] = {}
    for code in RADICALS:
        normal = unicodedata.normalize("NFKC", chr(code))
        if normal != chr(code) and len(normal) == 1:
            mapping[code] = ord(normal)
    if font_files is None:
        font_files = sorted(f for d in FONT_DIRS if d.is_dir() for f in d.rglob("Noto*CJK*.ttc"))
    for path in font_files:
        for font in TTCollection(str(path), lazy=True).fonts:
            if "CJK SC" not in font["name"].getDebugName(1):
                continue
            glyphs: dict[str, list[int]] = {}
            for code, glyph in font.getBestCmap().items():
                glyphs.setdefault(glyph, []).append(code)
            for codes in glyphs.values():
                twins = [c for c in codes if any(c in block for block in IDEOGRAPHS)]
                for code in codes:
                    if code in RADICALS and twins:
                        mapping[code] = min(twins)
    return mapping


_BFCHAR = re.compile(r"beginbfchar\s*(.*?)\s*endbfchar", re.S)
_BFRANGE = re.compile(r"beginbfrange\s*(.*?)\s*endbfrange", re.S)
_HEX = re.compile(r"<([0-9A-Fa-f]+)>")


def _utf16(hex_text: str) -> str:
    return bytes.fromhex(hex_text).decode("utf-16-be")


def fixed_to_unicode(cmap: str, mapping: dict[int, int]) -> str | None:
    """A ToUnicode CMap with radicals mapped to their ideographs, or None when it holds none."""
    entries: dict[str, str] = {}
    for block in _BFCHAR.findall(cmap):
        codes = _HEX.findall(block)
        for source, target in zip(codes[::2], codes[1::2]):
            entries[source] = _utf16(target)
    for block in _BFRANGE.findall(cmap):
        for line in block.splitlines():
            codes = _HEX.findall(line)
            if len(codes) != 3:  # a range mapped to an array of strings: left as Chromium wrote it
                return None
            first, last, target = int(codes[0], 16), int(codes[1], 16), _utf16(codes[2])
            for offset in range(last - first + 1):
                entries[f"{first + offset:0{len(codes[0])}X}"] = target[:-1] + chr(ord(target[-1]) + offset)
    if not any(ord(ch) in mapping for text in entries.values() for ch in text):
        return None
    lines = [f"<{source}> <{''.join(chr(mapping.get(ord(ch), ord(ch))) for ch in text).encode('utf-16-be').hex().upper()}>"
             for source, text in entries.items()]
    chunks = "".join(f"{len(lines[i:i + 100])} beginbfchar\n" + "\n".join(lines[i:i + 100]) + "\nendbfchar\n"
                     for i in range(0, len(lines), 100))
    head = cmap[: cmap.index("endcodespacerange") + len("endcodespacerange")]
    return f"{head}\n{chunks}endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"


def fix_radicals(writer, mapping: dict[int, int]) -> int:
    """Rewrite every font's ToUnicode map in the PDF; return how many maps changed."""
    from pypdf.generic import NameObject, StreamObject

    changed, seen = 0, set()
    for page in writer.pages:
        fonts = page.get("/Resources", {}).get_object().get("/Font", {})
        for reference in fonts.get_object().values():
            font = reference.get_object()
            if "/ToUnicode" not in font or id(font) in seen:
                continue
            seen.add(id(font))
            fixed = fixed_to_unicode(font["/ToUnicode"].get_object().get_data().decode("latin-1"), mapping)
            if fixed is not None:
                stream = StreamObject()
                stream.set_data(fixed.encode("latin-1"))
                font[NameObject("/ToUnicode")] = writer._add_object(stream)
                changed += 1
    return changed


def with_metadata(data: bytes, title: str, author: str, edition) -> bytes:
    """The PDF with its document information (title, author, subject), its language and searchable text."""
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    # Chromium's cross-reference table is one entry short of its objects; pypdf says so and reads it all the same
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    writer = PdfWriter(clone_from=io.BytesIO(data))
    fix_radicals(writer, radical_ideographs())
    writer.add_metadata({"/Title": title, "/Author": author,
                         "/Subject": f"第 {edition.version} 版（{edition.date}）", "/Creator": "pairing_assistance.pdf"})
    writer._root_object[NameObject("/Lang")] = TextStringObject("zh-CN")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def build(site: Path, root: Path = ROOT) -> Path:
    """Write ``site/pairing-assistance.pdf``; return its path."""
    document, chapters, charts = compose(site, root)
    data, images = print_pdf(document, chapters, site)
    if images != charts:
        raise RuntimeError(f"pdf: {charts} charts drawn but {images} images placed in the document")
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    out = site / PDF_NAME
    out.write_bytes(with_metadata(data, config["title"], config["author"], current_edition(root)))
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Print the built book to one PDF (needs Chromium).")
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html", help="the built website")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        sys.exit(f"pdf: no built site in {args.site}; build it first: bash scripts/build-book.sh")
    out = build(args.site)
    from pypdf import PdfReader

    pages = len(PdfReader(out).pages)  # the file pypdf wrote: no warning
    print(f"pdf: {out} ({pages} pages, {out.stat().st_size / 2**20:.1f} MB)")


if __name__ == "__main__":
    main()
