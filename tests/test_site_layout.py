"""The built site as read on a phone (390×844), in print and in the dark theme; what every page carries
(version and date) and what it no longer loads (the icon script and font, maths without formulas, the search
index outside the search page). Needs ``_build/html`` and Chromium; waits only for what it checks."""

import re

import pytest
import yaml

from conftest import ROOT
from test_site import ALL_CHARTS_DRAWN, SITE, browser, server, site_pages  # noqa: F401  (fixtures)

pytestmark = pytest.mark.site
PHONE = {"width": 390, "height": 844}
A4_AT_96_DPI = {"width": 794, "height": 1123}
def content_pages():
    """Built pages except the redirect that index.html is."""
    return [p for p in site_pages() if 'http-equiv="Refresh"' not in (SITE / p).read_text(encoding="utf-8")]


CHART_PAGES = [p for p in site_pages() if "vegaEmbed" in (SITE / p).read_text(encoding="utf-8")]


def open_page(browser, server, path, **options):  # noqa: F811
    context = browser.new_context(**options)
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(server) else route.abort())
    page.goto(f"{server}/{path}", wait_until="load")
    page.wait_for_function(ALL_CHARTS_DRAWN)
    return context, page, requests


# Widths of the page and of everything a reader must see whole (charts, their controls, the map).
WIDTHS = """() => {
  const article = document.querySelector('article.bd-article').getBoundingClientRect();
  const charts = [...document.querySelectorAll('.pairing-chart svg.marks')].map(svg => {
    const box = svg.getBoundingClientRect();
    return {left: box.left, right: box.right, width: box.width};
  });
  return {page: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth,
          article: {left: article.left, right: article.right}, charts};
}"""


@pytest.mark.parametrize("path", content_pages())
def test_phone_no_sideways_scroll_and_charts_fit(browser, server, path):  # noqa: F811
    context, page, _ = open_page(browser, server, path, viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        widths = page.evaluate(WIDTHS)
    finally:
        context.close()
    assert widths["page"] <= widths["viewport"], \
        f"{path} scrolls sideways at 390 px: content {widths['page']} px wide in a {widths['viewport']} px viewport"
    for number, chart in enumerate(widths["charts"]):
        assert chart["left"] >= widths["article"]["left"] - 1 and chart["right"] <= widths["article"]["right"] + 1, \
            f"chart {number} on {path} runs out of the text column at 390 px: {chart} vs {widths['article']}"


# Per chart: the width Vega drew it at (SVG width), the width it is shown at, its fit factor and a slider's value.
DRAWN = """() => [...document.querySelectorAll('.pairing-chart')].map(c => {
  const svg = c.querySelector('svg.marks'), slider = c.querySelector('.vega-bindings input[type=range]');
  return {drawn: parseFloat(svg.getAttribute('width')), shown: svg.getBoundingClientRect().width,
          factor: parseFloat(c.dataset.chartFactor), slider: slider ? slider.value : null};
})"""


def test_phone_charts_are_drawn_narrower_not_only_scaled_down(browser, server):  # noqa: F811
    """At 390 px a chart with plot areas is drawn again narrower (its text keeps its size), instead of being shown
    as a picture of the desktop drawing at under half size; a slider moved on the desktop keeps its value when the
    window narrows, and the chart returns to its desktop width when the window widens again."""
    context, page, _ = open_page(browser, server, "book/02_theory.html", viewport={"width": 1280, "height": 900})
    try:
        desktop = page.evaluate(DRAWN)
        slider = page.locator(".pairing-chart").first.locator(".vega-bindings input[type=range]").first
        slider.fill(str(int(slider.get_attribute("max")) // 2 + 5))
        moved = slider.input_value()
        page.set_viewport_size(PHONE)
        page.wait_for_function("f => document.querySelector('.pairing-chart').dataset.chartFactor < f - 0.1",
                               arg=desktop[0]["factor"])
        page.wait_for_function(ALL_CHARTS_DRAWN)
        phone = page.evaluate(DRAWN)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.wait_for_function("f => parseFloat(document.querySelector('.pairing-chart').dataset.chartFactor) === f",
                               arg=desktop[0]["factor"])
        page.wait_for_function(ALL_CHARTS_DRAWN)
        again = page.evaluate(DRAWN)
    finally:
        context.close()
    assert all(chart["factor"] > 0.8 for chart in desktop), f"charts much narrowed on a 1280 px desktop: {desktop}"
    for number, (wide, narrow) in enumerate(zip(desktop, phone)):
        assert narrow["drawn"] < 0.8 * wide["drawn"], f"chart {number} of 02_theory not drawn narrower at 390 px: {narrow}"
        # shown at a larger scale than the desktop drawing squeezed into the phone's column would be
        assert narrow["shown"] / narrow["drawn"] > 1.2 * narrow["shown"] / wide["drawn"], (number, wide, narrow)
    assert phone[0]["slider"] == moved, f"the slider's value was lost when the chart was drawn again: {phone[0]}"
    assert [c["drawn"] for c in again] == [c["drawn"] for c in desktop], f"not back to the desktop width: {again}"


def test_phone_map_shows_the_whole_country(browser, server):  # noqa: F811
    """The map's own width (all of China, to the east coast) is inside the viewport, not clipped by a scroller."""
    context, page, _ = open_page(browser, server, "book/03a_pairing_database.html", viewport=PHONE, is_mobile=True)
    try:
        box = page.locator(".pairing-chart").first.locator("g.mark-shape.role-mark").first.bounding_box()
        scroller = page.locator(".pairing-chart").first.evaluate("e => e.scrollWidth <= e.clientWidth")
    finally:
        context.close()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], f"the map is cut at 390 px: {box}"
    assert scroller, "the map's container still scrolls sideways"


@pytest.mark.parametrize("path", content_pages())
def test_print_has_no_controls_and_keeps_tables_and_charts_whole(browser, server, path):  # noqa: F811
    context, page, _ = open_page(browser, server, path, viewport=A4_AT_96_DPI)
    try:
        page.emulate_media(media="print")
        shown_controls = page.evaluate("""() => [...document.querySelectorAll(
            '.vega-bindings, .vega-embed > details, .theme-switch-button, .search-button, .toggle-secondary-sidebar')]
            .filter(e => e.checkVisibility()).length""")
        cut_tables = page.evaluate("""() => [...document.querySelectorAll('article table')]
            .filter(t => t.checkVisibility() && t.getBoundingClientRect().right >
                         document.querySelector('article.bd-article').getBoundingClientRect().right + 1)
            .map(t => (t.querySelector('caption, th') || t).textContent.trim().slice(0, 40))""")
        widths = page.evaluate(WIDTHS)
    finally:
        context.close()
    assert shown_controls == 0, f"{path}: {shown_controls} controls or menus would print"
    assert cut_tables == [], f"{path}: tables wider than the printed page: {cut_tables}"
    for number, chart in enumerate(widths["charts"]):
        assert chart["right"] <= widths["article"]["right"] + 1, f"chart {number} on {path} is cut in print: {chart}"


# the fill of the charts' axis and legend labels, and the svg's own background
CHART_COLOURS = """() => [...document.querySelectorAll('.pairing-chart')].map(c => ({
  theme: c.dataset.chartTheme,
  background: getComputedStyle(c.querySelector('svg.marks')).backgroundColor,
  labels: [...c.querySelectorAll('.role-axis-label text, .role-legend-label text, .role-title-text text')]
          .slice(0, 5).map(t => getComputedStyle(t).fill)}))"""


def luminance(colour):
    red, green, blue = (int(v) / 255 for v in re.findall(r"\d+", colour)[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


@pytest.mark.parametrize("path", CHART_PAGES)
def test_dark_mode_follows_the_browser_and_charts_follow_the_theme(browser, server, path):  # noqa: F811
    context, page, _ = open_page(browser, server, path, viewport={"width": 1280, "height": 900}, color_scheme="dark")
    try:
        page.wait_for_function("() => document.documentElement.dataset.theme === 'dark'")
        page.wait_for_function("() => [...document.querySelectorAll('.pairing-chart')].every(c => c.dataset.chartTheme === 'dark')")
        dark = page.evaluate(CHART_COLOURS)
        # the reader picks the light theme with the theme's switch: the charts are redrawn light
        page.evaluate("() => { document.documentElement.dataset.mode = 'light'; document.documentElement.dataset.theme = 'light'; }")
        page.wait_for_function("() => [...document.querySelectorAll('.pairing-chart')].every(c => c.dataset.chartTheme === 'light' && c.querySelector('svg .role-mark'))")
        light = page.evaluate(CHART_COLOURS)
    finally:
        context.close()
    for number, chart in enumerate(dark):
        assert chart["background"] in ("rgba(0, 0, 0, 0)", "transparent"), f"chart {number} on {path} keeps a background: {chart}"
        assert chart["labels"] and all(luminance(fill) > 0.55 for fill in chart["labels"]), \
            f"chart {number} on {path} has dark labels on the dark page: {chart['labels']}"
    for number, chart in enumerate(light):
        assert chart["labels"] and all(luminance(fill) < 0.45 for fill in chart["labels"]), \
            f"chart {number} on {path} has light labels on the light page: {chart['labels']}"


def test_pages_load_no_icon_script_or_font(browser, server):  # noqa: F811
    context, page, requests = open_page(browser, server, "book/03a_pairing_database.html", viewport={"width": 1280, "height": 900})
    try:
        page.wait_for_function("() => getComputedStyle(document.querySelector('.fa-bars, .fa-magnifying-glass'), '::before').maskImage.startsWith('url')")
    finally:
        context.close()
    heavy = [url for url in requests if "fontawesome" in url or url.endswith((".woff2", ".ttf")) and "fa-" in url]
    assert heavy == [], f"icon script or font still loaded: {heavy}"


# ---- the built HTML (no browser)

def test_every_page_shows_the_version_and_date_of_citation_cff():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    stamp = f"第 {cff['version']} 版（发布日期 {cff['date-released']}）"
    for path in content_pages():
        html = (SITE / path).read_text(encoding="utf-8")
        footer = re.search(r'<footer class="bd-footer-content.*?</footer>', html, flags=re.S)
        assert footer and stamp in footer[0], f"{path}: no “{stamp}” in the footer"
        assert f'<meta name="citation_version" content="{cff["version"]}"' in html, f"{path}: no citation_version meta tag"


def test_maths_icons_and_search_index_load_only_where_used():
    for path in content_pages() + ["search.html"]:
        html = (SITE / path).read_text(encoding="utf-8")
        assert "fontawesome.js" not in html, f"{path} still loads the Font Awesome script"
        has_formula = 'class="math' in html
        assert ("tex-chtml" in html) == has_formula, f"{path}: MathJax loaded {'without' if not has_formula else 'missing with'} formulas"
        assert ("searchindex.js" in html) == (path == "search.html"), f"{path}: search index where it is not used"
    icons = (SITE / "_static" / "icons-subset.css").read_text(encoding="utf-8")
    assert len(icons.encode()) < 20_000, "the icon subset should stay small"
    used = set()
    for path in content_pages():
        used |= set(re.findall(r'class="[^"]*\bfa-solid fa-([a-z-]+)', (SITE / path).read_text(encoding="utf-8")))
    missing = sorted(name for name in used if f".fa-{name}{{" not in icons)
    assert used and not missing, f"icons used but not in icons-subset.css: {missing}"
