"""The built website in headless Chromium with every non-local request blocked and recorded.

Needs ``_build/html`` (``bash scripts/build-book.sh``) and Debian's chromium.
"""

import functools
import http.server
import threading
from urllib.parse import urlparse

import pytest
from playwright.sync_api import sync_playwright

from conftest import ROOT

pytestmark = pytest.mark.site
SITE = ROOT / "_build" / "html"
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


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
    assert (SITE / "index.html").exists(), "build the book first: bash scripts/build-book.sh"
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


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
        page.wait_for_load_state("networkidle")
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


def _drawn_symbols(page):
    return page.locator(".pairing-chart").first.locator("g.mark-symbol.role-mark path").count()


def test_stage_control_changes_the_timeline(visit):
    page, blocked, errors = visit("book/03_evolution.html")
    page.locator(".pairing-chart").first.locator("g.mark-symbol.role-mark path").first.wait_for(timeout=10_000)
    everything = _drawn_symbols(page)
    select = page.locator(".pairing-chart .vega-bindings select").first
    select.select_option("emergence")
    page.wait_for_timeout(300)
    emergence = _drawn_symbols(page)
    select.select_option("upgrading")
    page.wait_for_timeout(300)
    upgrading = _drawn_symbols(page)
    from pairing_assistance import data

    stages = data.load_table("timeline")["stage"]
    assert (everything, emergence, upgrading) == (len(stages), (stages == "emergence").sum(), (stages == "upgrading").sum())
    assert emergence != upgrading != everything
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
        chart.locator("svg .role-mark").first.wait_for(timeout=10_000)
        controls = chart.locator(".vega-bindings select, .vega-bindings input[type=range], .vega-bindings .vega-bind-radio")
        for number in range(controls.count()):
            before = chart.locator("svg.marks").inner_html()
            old = controls.nth(number).evaluate(MOVE_CONTROL)
            page.wait_for_timeout(150)
            assert chart.locator("svg.marks").inner_html() != before, f"control {number} of chart {index} on {path} is dead"
            controls.nth(number).evaluate(MOVE_CONTROL, old)
            page.wait_for_timeout(150)
            moved += 1
    assert moved >= 1 and blocked == [] and errors == []


def _coloured_provinces(page):
    """Paths in the map's second geoshape layer (the provinces coloured as donor or recipient)."""
    layers = page.locator(".pairing-chart").first.locator("g.mark-shape.role-mark")
    return layers.nth(1).locator("path").count()


def test_programme_and_year_controls_redraw_the_map(visit):
    from pairing_assistance import data
    from pairing_assistance.pairings import active_in, with_provinces

    pairings, regions = data.load_table("pairings"), data.load_table("regions")

    def expected(programme, year):
        active = with_provinces(active_in(pairings[pairings["programme_id"] == programme], year), regions)
        return len(set(active["donor_province"].dropna()) | set(active["recipient_province"].dropna()))

    page, blocked, errors = visit("book/03a_pairing_database.html")
    page.locator(".pairing-chart").first.locator("g.mark-shape.role-mark path").first.wait_for(timeout=10_000)
    chart = page.locator(".pairing-chart").first
    assert _coloured_provinces(page) == expected("xinjiang_2010", 2012)
    chart.locator(".vega-bindings select").first.select_option("wanbei_2021")
    page.wait_for_timeout(200)
    assert _coloured_provinces(page) == expected("wanbei_2021", 2012) == 0
    chart.locator(".vega-bindings input[type=range]").first.evaluate(
        "e => { e.value = 2022; e.dispatchEvent(new Event('input', {bubbles: true})); }")
    page.wait_for_timeout(200)
    assert _coloured_provinces(page) == expected("wanbei_2021", 2022) >= 3
    assert blocked == [] and errors == []


def test_pairing_search_filters_the_list(visit):
    page, blocked, errors = visit("book/03a_pairing_database.html")
    table = page.locator(".pairing-chart").nth(1)
    table.locator("svg .role-mark").first.wait_for(timeout=10_000)
    search = table.locator(".vega-bindings input").first
    search.fill("都江堰")
    search.dispatch_event("input")
    page.wait_for_timeout(300)
    status = table.locator("svg text").first.text_content()
    assert status.endswith("/ 2"), status  # Shanghai → Dujiangyan, in the May list and in the June plan
    assert blocked == [] and errors == []
