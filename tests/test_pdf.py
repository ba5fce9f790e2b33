"""The PDF edition (python -m pairing_assistance.pdf): the whole book, its chapter titles as text, every chart
as an image, CJK fonts in the file, searchable Chinese; and the site's link to it.

The tests of the built PDF are marked ``site``: they need ``_build/html`` and the PDF printed from it by
Chromium (scripts/test-all.sh builds both before the site tests). The others check the composition on small
inputs and run everywhere.
"""

import base64
import json
import re
import unicodedata

import pytest

from conftest import ROOT
from pairing_assistance import pdf

SITE = ROOT / "_build" / "html"
PDF = SITE / pdf.PDF_NAME
CJK = re.compile(r"[\u4e00-\u9fff]")
RADICAL = re.compile(r"[\u2e80-\u2fdf]")

_PNG_1x1 = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAIAAAADCAYAAAC56t6BAAAAEUlEQVR4nGNgYGD4z4AEMDgAEwABAP8vCAAAAABJRU5ErkJggg==")


def _page(charts: dict[str, dict], extra: str = "") -> str:
    scripts = "".join(
        f'<figure class="pairing-figure" aria-labelledby="{e}-name">\n<div id="{e}" class="pairing-chart"></div>\n'
        f'<figcaption id="{e}-name" class="pairing-chart-description">图 {e} 的说明</figcaption>\n</figure>\n'
        f'<script type="text/javascript">(function () {{\n  var spec = {json.dumps(s)};\n'
        f'  function draw() {{ window.vegaEmbed("#{e}", spec, {{}}); }}\n}})();</script>'
        for e, s in charts.items())
    return (f'<html><head><script>var spec = {{"not": "this"}};</script></head><body>'
            f'<article class="bd-article" role="main"><h1>第9章 试验<a class="headerlink" href="#x">#</a></h1>'
            f"<p>正文</p>{scripts}{extra}</article></body></html>")


def test_chapter_keeps_the_text_and_replaces_each_chart_by_its_image():
    page = _page({"vis-0123456789ab": {"mark": "bar"}, "vis-ba9876543210": {"mark": "line"}})
    drawn = []
    body, count = pdf.chapter_html("book/x", page, draw=lambda spec: drawn.append(spec) or _PNG_1x1)
    assert count == 2 and drawn == [{"mark": "bar"}, {"mark": "line"}]
    assert "<script" not in body and "vegaEmbed" not in body and "正文" in body
    images = re.findall(r'<img class="pdf-chart" id="(vis-[0-9a-f]{12})" alt="([^"]*)" style="width:1px"', body)
    assert images == [("vis-0123456789ab", "图 vis-0123456789ab 的说明"), ("vis-ba9876543210", "图 vis-ba9876543210 的说明")]
    assert pdf.page_title(page) == "第9章 试验"


def test_a_chart_vl_convert_cannot_draw_is_named():
    def fail(spec):
        raise ValueError("bad mark")

    with pytest.raises(ValueError, match=r"book/x: chart vis-0123456789ab could not be drawn by vl-convert: bad mark"):
        pdf.chapter_html("book/x", _page({"vis-0123456789ab": {"mark": "nonsense"}}), draw=fail)


def test_a_chart_drawn_by_vl_convert_is_a_png_of_its_size():
    png = pdf.chart_png({"data": {"values": [{"a": 1}]}, "mark": "bar", "encoding": {"y": {"field": "a", "type": "quantitative"}},
                         "width": 40, "height": 30})
    width, height = pdf.png_size(png)
    assert width >= 40 * pdf.CHART_SCALE and height >= 30 * pdf.CHART_SCALE


def test_the_reading_order_is_the_table_of_contents():
    names = pdf.toc_docnames()
    assert names[0] == "book/intro" and names.index("book/03_evolution") + 1 == names.index("book/03a_pairing_database")
    assert "book/appendix/bibliography" in names and len(names) == len(set(names))


def test_radicals_in_the_text_map_become_the_ideographs_of_the_same_glyph():
    mapping = pdf.radical_ideographs()
    assert mapping[0x2F1D] == ord("口") and mapping[0x2F40] == ord("支")
    cmap = ("/CIDInit /ProcSet findresource begin\n1 begincodespacerange\n<00> <FF>\nendcodespacerange\n"
            "2 beginbfchar\n<11> <2F1D>\n<12> <5BF9>\nendbfchar\n1 beginbfrange\n<20> <21> <2F40>\nendbfrange\nendcmap\n")
    fixed = pdf.fixed_to_unicode(cmap, mapping)
    assert "<11> <53E3>" in fixed and "<12> <5BF9>" in fixed and "<20> <652F>" in fixed and "2F1D" not in fixed
    assert pdf.fixed_to_unicode(cmap.replace("2F1D", "53E3").replace("2F40", "652F"), mapping) is None


# ---- the built PDF --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def book():
    pypdf = pytest.importorskip("pypdf")
    if not PDF.is_file():
        pytest.fail(f"no PDF edition at {PDF}; build the site, then: .venv/bin/python -m pairing_assistance.pdf",
                    pytrace=False)
    reader = pypdf.PdfReader(PDF)
    texts = [unicodedata.normalize("NFC", page.extract_text() or "") for page in reader.pages]
    return reader, texts


def _chapters():
    pages = [(name, (SITE / f"{name}.html").read_text(encoding="utf-8")) for name in pdf.toc_docnames()]
    return [(name, pdf.page_title(html), len(re.findall(r'class="pairing-chart"></div>', html))) for name, html in pages]


@pytest.mark.site
def test_every_chapter_is_a_bookmark_to_a_page_that_shows_its_title_as_text(book):
    reader, texts = book
    chapters = _chapters()
    assert len(reader.pages) >= len(chapters) + 2, "title page, contents and one page or more per chapter"
    marks = {item.title: reader.get_destination_page_number(item) for item in reader.outline if not isinstance(item, list)}
    pages = []
    for name, title, _ in chapters:
        assert title in marks, f"{name}: no bookmark {title!r} (bookmarks: {list(marks)[:8]} ...)"
        page = marks[title]
        assert re.sub(r"\s+", "", title) in re.sub(r"\s+", "", texts[page]), \
            f"{name}: its bookmark leads to page {page + 1}, which does not show {title!r} as text"
        pages.append(page)
    assert pages == sorted(pages) and len(set(pages)) == len(pages), "chapters in the order of the contents, each on its own page"


@pytest.mark.site
def test_every_chart_is_an_image_in_the_pdf(book):
    reader, _ = book
    charts = sum(count for _, _, count in _chapters())
    assert charts >= 10
    images = [image for page in reader.pages for image in page.images]
    # one image per chart, each whole on one page (a chart cut across two pages would count twice)
    assert len(images) == charts, f"{charts} charts on the site, {len(images)} chart images placed in the PDF"
    assert all(image.image.width >= 300 for image in images), "a chart image is too small to read"


@pytest.mark.site
def test_fonts_are_in_the_file_and_the_chinese_text_is_searchable(book):
    reader, texts = book
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            fonts[font.get("/BaseFont", font.get("/Name", id(font)))] = font
    for name, font in fonts.items():
        if font["/Subtype"] == "/Type3":  # glyphs drawn by procedures inside the file (Chromium's CJK fonts)
            assert "/CharProcs" in font, f"{name}: a Type3 font without its glyphs"
            continue
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = descendant["/FontDescriptor"].get_object()
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), f"font {name} is not embedded"
    text = "".join(texts)
    assert len(CJK.findall(text)) > 50_000
    assert not RADICAL.search(text), f"radicals instead of ideographs: {RADICAL.findall(text)[:10]}"
    for words in ("对口支援", "参考文献", "合成控制"):
        assert words in re.sub(r"\s+", "", text)


@pytest.mark.site
def test_tables_and_bibliography_are_printed(book):
    _, texts = book
    text = re.sub(r"\s+", "", "".join(texts))
    bibliography = (SITE / "book/appendix/bibliography.html").read_text(encoding="utf-8")
    entries = re.findall(r'<div class="citation" id="[^"]*" role="listitem">\s*(?:<span id="ref-[^"]*"></span>)?'
                         r'<span class="label">.*?</span>\s*<p>(.*?)</p>',
                         bibliography, flags=re.S)
    assert len(entries) >= 40
    for entry in entries[:: max(1, len(entries) // 10)]:
        start = re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", entry))[:12]
        assert start in text, f"bibliography entry not in the PDF: {start}"
    assert "表1-1" in text.replace(" ", ""), "the tables of chapter 1 are printed"


@pytest.mark.site
def test_the_cite_page_offers_the_pdf():
    html = (SITE / "book/cite.html").read_text(encoding="utf-8")
    link = re.search(r'<a href="([^"]*pairing-assistance\.pdf)" download>', html)
    assert link and (SITE / "book" / link[1]).resolve() == PDF.resolve()
    assert PDF.is_file(), f"the 如何引用 page links to {PDF}, which is not built"


@pytest.mark.site
def test_solutions_are_printed_at_the_end_and_each_exercise_points_to_its_answer(book):
    """Print cannot fold a solution: answers are gathered in 参考答案 after the last chapter, in book order."""
    reader, texts = book
    flat = [re.sub(r"\s+", "", t) for t in texts]
    marks = {item.title: reader.get_destination_page_number(item) for item in reader.outline if not isinstance(item, list)}
    assert "参考答案" in marks, f"no bookmark 参考答案 (bookmarks: {list(marks)[-6:]})"
    start = marks["参考答案"]
    last_chapter = max(marks[title] for _, title, _ in _chapters())
    assert start > last_chapter
    solutions = sum((SITE / f"{name}.html").read_text(encoding="utf-8").count('class="solution')
                    for name, _, _ in _chapters())
    before, after = "".join(flat[:start]), "".join(flat[start:])
    assert before.count("解答见书末“参考答案”") == solutions >= 20
    assert after.count("解答练习") == solutions  # each answer keeps its title, e.g. 解答 练习 17
    assert "解答练习" not in before
