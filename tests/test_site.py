"""The built website in headless Chromium with every non-local request blocked and recorded.

Needs ``_build/html`` (``bash scripts/build-book.sh``) and Debian's chromium (``bash scripts/setup.sh --browser``
installs it; ``CHROMIUM`` points to another binary). Every wait is on the thing a test checks (a chart drawn, a
count reached, a row shown), never on network idleness or a fixed delay.
"""

import functools
import http.server
import os
import posixpath
import re
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect, sync_playwright

from conftest import ROOT

pytestmark = pytest.mark.site
SITE = ROOT / "_build" / "html"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
expect.set_options(timeout=10_000)  # a busy 2-core machine can take seconds to redraw a large chart


def site_pages():
    if not (SITE / "index.html").exists():
        return []
    return sorted(p.relative_to(SITE).as_posix() for p in SITE.rglob("*.html")
                  if p.name not in {"genindex.html", "search.html"} and "_static" not in p.parts)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    if not (SITE / "index.html").exists():
        pytest.fail(f"no built site in {SITE}; build it first: bash scripts/build-book.sh", pytrace=False)
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).is_file():
        pytest.exit(f"the site tests need Chromium at {CHROMIUM}; install it with: bash scripts/setup.sh --browser "
                    "(or sudo apt-get install chromium fonts-noto-cjk), or set CHROMIUM=/path/to/chromium", returncode=4)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


# Every chart on the page has drawn marks and is fitted to its column (chart-theme.js sets data-chart-factor
# once a chart too wide for its column has been drawn again narrower); true at once on a page without charts.
ALL_CHARTS_DRAWN = ("() => [...document.querySelectorAll('.pairing-chart')]"
                    ".every(c => c.dataset.chartFactor && c.querySelector('svg .role-mark'))")


def wait_for_redraw(chart, before):
    """Wait until a chart's SVG differs from the markup it had before; fail if it never does."""
    chart.page.wait_for_function("([svg, before]) => svg.innerHTML !== before",
                                 arg=[chart.locator("svg.marks").element_handle(), before], timeout=5_000)


@pytest.fixture
def visit(server, browser):
    """Open a page; return it with the lists of blocked requests and console errors."""
    contexts = []

    def open_page(path):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        blocked, errors = [], []

        def route(route_):
            if urlparse(route_.request.url).hostname in LOCAL_HOSTS or route_.request.url.startswith("data:"):
                route_.continue_()
            else:
                blocked.append(route_.request.url)
                route_.abort()

        page.route("**/*", route)
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{server}/{path}", wait_until="load")
        page.wait_for_function(ALL_CHARTS_DRAWN)
        page.evaluate("document.fonts.ready.then(() => true)")
        return page, blocked, errors

    yield open_page
    for context in contexts:
        context.close()


def test_site_was_built():
    assert len(site_pages()) >= 14, "every chapter and appendix page must be built"


@pytest.mark.parametrize("path", site_pages())
def test_page_is_offline_error_free_and_draws_its_charts(visit, path):
    page, blocked, errors = visit(path)
    assert blocked == [], f"{path} requested outside the site: {blocked}"
    assert errors == [], f"{path} logged errors: {errors}"
    charts = page.locator(".pairing-chart")
    for index in range(charts.count()):
        chart = charts.nth(index)
        chart.locator("svg .mark-group, svg .role-mark").first.wait_for(timeout=10_000)
        assert chart.locator("svg [role=graphics-symbol], svg path, svg text").count() > 3, f"chart {index} on {path} is empty"
        column = page.locator("article.bd-article").bounding_box()["width"]
        drawn = chart.locator("svg.marks").bounding_box()["width"]
        assert drawn <= column, f"chart {index} on {path} is {drawn:.0f}px wide, wider than the text column ({column:.0f}px)"


def test_stage_control_changes_the_timeline(visit):
    from pairing_assistance import data

    stages = data.load_table("timeline")["stage"]
    everything, emergence, upgrading = len(stages), int((stages == "emergence").sum()), int((stages == "upgrading").sum())
    assert emergence != upgrading != everything
    page, blocked, errors = visit("book/03_evolution.html")
    symbols = page.locator(".pairing-chart").first.locator("g.mark-symbol.role-mark path")
    expect(symbols).to_have_count(everything)
    select = page.locator(".pairing-chart .vega-bindings select").first
    select.select_option("emergence")
    expect(symbols).to_have_count(emergence)
    select.select_option("upgrading")
    expect(symbols).to_have_count(upgrading)
    assert blocked == [] and errors == []


def test_search_finds_chinese_words(visit):
    page, blocked, errors = visit("search.html?q=%E6%A8%AA%E5%90%91%E8%BD%AC%E7%A7%BB%E6%94%AF%E4%BB%98")
    page.locator("#search-results li, .search li").first.wait_for(timeout=10_000)
    assert page.locator("#search-results li, .search li").count() >= 1
    assert blocked == []


# Move a control to another value; with an argument, put it back to that value. Returns the old value.
MOVE_CONTROL = """(input, back) => {
  if (input.classList && input.classList.contains('vega-bind-radio')) {
    const radios = [...input.querySelectorAll('input[type=radio]')];
    const old = radios.findIndex(r => r.checked);
    const next = back ?? (old + 1) % radios.length;
    radios[next].checked = true;
    radios[next].dispatchEvent(new Event('change', {bubbles: true}));
    return old;
  }
  const old = input.tagName === 'SELECT' ? input.selectedIndex : input.value;
  if (input.tagName === 'SELECT') {
    input.selectedIndex = back ?? (input.selectedIndex + 1) % input.options.length;
  } else {
    input.value = back ?? (input.value === input.min ? input.max : input.min);
  }
  input.dispatchEvent(new Event(input.tagName === 'SELECT' ? 'change' : 'input', {bubbles: true}));
  return old;
}"""
CHART_PAGES = ["book/02_theory.html", "book/03_evolution.html", "book/03a_pairing_database.html", "book/04_instruments.html",
               "book/05a_growth.html", "book/05b_coordination.html", "book/05c_governance.html",
               "book/06_problems.html"]


@pytest.mark.parametrize("path", CHART_PAGES)
def test_every_control_changes_its_chart(visit, path):
    page, blocked, errors = visit(path)
    charts = page.locator(".pairing-chart")
    assert charts.count() >= 1, f"{path} has no chart"
    moved = 0
    for index in range(charts.count()):
        chart = charts.nth(index)
        chart.locator("svg .role-mark").first.wait_for(state="attached", timeout=10_000)
        controls = chart.locator(".vega-bindings select, .vega-bindings input[type=range], .vega-bindings .vega-bind-radio")
        for number in range(controls.count()):
            before = chart.locator("svg.marks").inner_html()
            old = controls.nth(number).evaluate(MOVE_CONTROL)
            try:
                wait_for_redraw(chart, before)
            except PlaywrightTimeout:
                pytest.fail(f"control {number} of chart {index} on {path} is dead (no redraw within 5 s)")
            moved_to = chart.locator("svg.marks").inner_html()
            controls.nth(number).evaluate(MOVE_CONTROL, old)
            wait_for_redraw(chart, moved_to)
            moved += 1
    assert moved >= 1 and blocked == [] and errors == []


def _coloured_provinces(page):
    """Paths in the map's second geoshape layer (the provinces coloured as donor or recipient)."""
    layers = page.locator(".pairing-chart").first.locator("g.mark-shape.role-mark")
    return layers.nth(1).locator("path")


def test_programme_and_year_controls_redraw_the_map(visit):
    from pairing_assistance import data
    from pairing_assistance.pairings import active_in, with_provinces

    pairings, regions = data.load_table("pairings"), data.load_table("regions")

    def expected(programme, year):
        active = with_provinces(active_in(pairings[pairings["programme_id"] == programme], year), regions)
        return len(set(active["donor_province"].dropna()) | set(active["recipient_province"].dropna()))

    assert expected("wanbei_2021", 2012) == 0 and expected("wanbei_2021", 2022) >= 3
    page, blocked, errors = visit("book/03a_pairing_database.html")
    chart = page.locator(".pairing-chart").first
    expect(_coloured_provinces(page)).to_have_count(expected("xinjiang_2010", 2012))
    chart.locator(".vega-bindings select").first.select_option("wanbei_2021")
    expect(_coloured_provinces(page)).to_have_count(expected("wanbei_2021", 2012))
    chart.locator(".vega-bindings input[type=range]").first.evaluate(
        "e => { e.value = 2022; e.dispatchEvent(new Event('input', {bubbles: true})); }")
    expect(_coloured_provinces(page)).to_have_count(expected("wanbei_2021", 2022))
    assert blocked == [] and errors == []


def test_pairing_search_filters_the_list(visit):
    page, blocked, errors = visit("book/03a_pairing_database.html")
    table = page.locator(".pairing-chart").nth(1)
    table.locator("svg .role-mark").first.wait_for(state="attached", timeout=10_000)
    search = table.locator(".vega-bindings input").first
    search.fill("都江堰")
    search.dispatch_event("input")
    # Shanghai → Dujiangyan, in the May list and in the June plan
    expect(table.locator("svg text").first).to_have_text(re.compile(r"/ 2$"))
    assert blocked == [] and errors == []


# ---- the built HTML itself (no browser needed, but the built site is)

def repository_url():
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    return config["sphinx"]["config"]["html_theme_options"]["repository_url"]


def footer_links(path):
    html = (SITE / path).read_text(encoding="utf-8")
    footer = re.search(r'<div class="extra_footer">(.*?)</div>', html, flags=re.S)
    assert footer, f"{path} has no footer"
    return footer[1], dict((text, href) for href, text in re.findall(r'<a href="([^"]*)">([^<]*)</a>', footer[1]))


def content_pages():
    """Built pages except the redirect that index.html is."""
    return [p for p in site_pages() if 'http-equiv="Refresh"' not in (SITE / p).read_text(encoding="utf-8")]


@pytest.mark.parametrize("path", content_pages())
def test_every_footer_gives_the_repository_and_how_to_cite(path):
    footer, links = footer_links(path)
    assert "{" not in footer, f"{path}: unfilled placeholder in the footer: {footer}"
    assert links.get(repository_url()) == repository_url(), f"{path}: footer lacks the repository address"
    target, _, fragment = links["如何引用"].partition("#")
    page = posixpath.normpath(posixpath.join(posixpath.dirname(path), target)) if target else path
    html = (SITE / page).read_text(encoding="utf-8")
    heading = (re.search(rf'<section id="{re.escape(fragment)}">\s*<h[1-6]>([^<]*)', html) if fragment
               else re.search(r'<h1>([^<]*)', html))
    assert heading and heading[1] == "如何引用", f"{path}: the citation link does not reach the 如何引用 page or section"


def test_no_page_carries_thebe_or_its_binder_example():
    pages = [p for p in SITE.rglob("*.html") if "_static" not in p.parts]
    assert len(pages) >= 14
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for trace in ("binder-examples", "text/x-thebe-config", "THEBE_JS_URL", "sphinx-thebe", "unpkg.com"):
            assert trace not in html, f"{page.relative_to(SITE)} still carries {trace}"
    assert not list(SITE.glob("_static/sphinx-thebe*")), "sphinx-thebe's files are still copied into the site"


@pytest.mark.parametrize("path", ["book/05a_growth.html", "book/05b_coordination.html", "book/05c_governance.html"])
def test_evidence_map_numbers_open_their_own_bibliography_entry(path):
    """Each [n] in an evidence map's list links to the bibliography entry labelled n, not to the page's top."""
    html = (SITE / path).read_text(encoding="utf-8")
    links = set(re.findall(r'"bib_link":"([^"]+)"', html))
    assert links, f"{path}: no evidence-map bibliography links found"
    bibliography = (SITE / "book/appendix/bibliography.html").read_text(encoding="utf-8")
    for link in links:
        target, _, anchor = link.partition("#")
        assert target == "appendix/bibliography.html" and anchor.startswith("ref-"), f"{path}: {link}"
        number = anchor.removeprefix("ref-")
        entry = re.search(rf'<div class="citation" id="[^"]*" role="listitem">\s*<span id="{anchor}"></span>'
                          rf'\s*<span class="label"><span class="fn-bracket">\[</span>([^<]*)<', bibliography)
        assert entry, f"{path}: {link} has no entry with that anchor in the bibliography"
        assert entry[1] == number, f"{path}: {link} opens entry [{entry[1]}]"
