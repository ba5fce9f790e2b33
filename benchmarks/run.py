"""Print the book's performance figures (not a test; targets are in the README and the issue notes).

    .venv/bin/python benchmarks/run.py            # everything (does a clean build: ~1-2 min)
    .venv/bin/python benchmarks/run.py --no-build # measure the existing _build/html only

Figures: clean build time with execution, cached rebuild time, nbval time, execution time per
notebook, HTML weight per page, total site size, cold page weight (all requests, gzip), time
until the first chart is drawn and time until search results are listed in headless Chromium with
the network blocked. The browser figures are printed beside the same figures of a plain one-page
Jupyter Book (one markdown page, default configuration) built in the same run, and as a ratio to them.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import os
import http.server
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "html"
BIN = ROOT / ".venv" / "bin"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
WATCH_FIRST_CHART = """
window.__firstChart = null;
new MutationObserver((_, observer) => {
  if (document.querySelector('.pairing-chart svg .role-mark')) {
    window.__firstChart = performance.now(); observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""


# Every chart on the page has drawn marks and is fitted to its column (chart-theme.js sets data-chart-factor
# once a chart too wide for its column has been drawn again narrower); true at once on a page without charts.
ALL_CHARTS_DRAWN = ("() => [...document.querySelectorAll('.pairing-chart')]"
                    ".every(c => c.dataset.chartFactor && c.querySelector('svg .role-mark'))")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def builds() -> None:
    shutil.rmtree(ROOT / "_build", ignore_errors=True)
    build = [str(BIN / "jupyter-book"), "build", ".", "-W", "-n", "--keep-going"]
    print(f"clean build with execution      {timed(build + ['--all']):7.1f} s   (target <= 120 s)")
    print(f"cached rebuild                  {timed(build):7.1f} s")
    nbval = [str(BIN / "python"), "-m", "pytest", "-q", "--nbval-lax", "--nbval-sanitize-with",
             "tests/nbval_sanitize.cfg", "book"]
    print(f"nbval on all notebooks          {timed(nbval):7.1f} s")


def notebook_times() -> None:
    import nbformat
    from nbclient import NotebookClient

    print("execution time per notebook (target <= 5 s each):")
    for path in sorted((ROOT / "book").glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        started = time.perf_counter()
        NotebookClient(notebook, timeout=120, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        print(f"  {path.name:28s} {time.perf_counter() - started:6.2f} s")


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 6))


def page_weights() -> None:
    pages = sorted(p for p in SITE.rglob("*.html") if "_static" not in p.parts)
    print("HTML weight per page (raw / gzip):")
    for page in pages:
        data = page.read_bytes()
        print(f"  {page.relative_to(SITE).as_posix():36s} {len(data) / 1024:8.1f} KB {gz(data) / 1024:8.1f} KB")
    files = [p for p in SITE.rglob("*") if p.is_file()]
    print(f"total site size                 {sum(p.stat().st_size for p in files) / 2**20:7.1f} MB in {len(files)} files")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):  # a closed browser context drops its pending requests
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def served_site(site: Path = SITE):
    """Serve a built site (default _build/html) on a free localhost port; yield its base URL."""
    server = _QuietServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


CONTROLS = (".vega-bindings input[type=range], .vega-bindings select, .vega-bindings .vega-bind-radio, "
            ".vega-bindings input[type=checkbox]")


@contextlib.contextmanager
def chromium():
    """Headless Debian chromium via Playwright, with the flags this machine's closed network needs."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).is_file():
        sys.exit(f"benchmarks: no Chromium at {CHROMIUM}; install it with: bash scripts/setup.sh --browser "
                 "(or set CHROMIUM=/path/to/chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


# The plain book: what `jupyter-book create` would give, cut to one markdown page (no notebook, no execution).
PLAIN_CONFIG = "title: Plain book\nauthor: Benchmark\nexecute:\n  execute_notebooks: 'off'\n"
PLAIN_TOC = "format: jb-book\nroot: intro\n"
PLAIN_PAGE = "# A plain page\n\nOne markdown page of a default Jupyter Book, the yardstick for the book's pages.\n"
PLAIN_QUERY = "yardstick"  # a word of the plain page
BOOK_QUERY = "对口支援"  # a compound the book's search cuts into its index words
REPEATS = 3  # timings are the median of this many cold loads
# performance.now() when the search page has listed its results (Sphinx writes the summary last)
WATCH_SEARCH = """
window.__searchDone = null;
new MutationObserver((_, observer) => {
  const summary = document.querySelector('#search-results .search-summary');
  if (summary && summary.innerText.trim()) { window.__searchDone = performance.now(); observer.disconnect(); }
}).observe(document, {childList: true, subtree: true, characterData: true});
"""
LOAD_EVENT = "performance.getEntriesByType('navigation')[0].loadEventEnd"


@contextlib.contextmanager
def plain_book():
    """Build the plain one-page Jupyter Book in a temporary folder; yield its _build/html."""
    with tempfile.TemporaryDirectory(prefix="plain-book-") as folder:
        root = Path(folder)
        (root / "_config.yml").write_text(PLAIN_CONFIG, encoding="utf-8")
        (root / "_toc.yml").write_text(PLAIN_TOC, encoding="utf-8")
        (root / "intro.md").write_text(PLAIN_PAGE, encoding="utf-8")
        subprocess.run([str(BIN / "jupyter-book"), "build", str(root)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        yield root / "_build" / "html"


def cold_load(browser, base: str, path: str, init_script: str, ready: str) -> tuple[float, float | None, float, int]:
    """Open a page in a fresh context (empty cache): gzip MB of every response, the time the init script
    recorded (ms after navigation start; None if never), the load event time (ms) and the blocked requests."""
    context = browser.new_context()
    page = context.new_page()
    fetched, blocked = [], []
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base)
               else (blocked.append(r.request.url), r.abort()))
    page.on("response", lambda response: fetched.append(response))
    page.add_init_script(init_script)
    page.goto(f"{base}/{path}", wait_until="load")
    page.wait_for_function(ready)
    page.evaluate("document.fonts.ready.then(() => true)")
    total = sum(gz(r.body()) for r in fetched if r.ok)
    marked = page.evaluate("window.__firstChart === undefined ? window.__searchDone : window.__firstChart")
    loaded = page.evaluate(LOAD_EVENT)
    context.close()
    return total / 2**20, marked, loaded, len(blocked)


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def _ratio(value: float | None, plain: float) -> str:
    return f"{value / plain:5.2f}x" if value is not None and plain else "    -"


def browser_figures() -> None:
    """Each page of the book beside the plain one-page Jupyter Book: gzip weight, first chart, search."""
    pages = sorted(p.relative_to(SITE).as_posix() for p in SITE.rglob("*.html")
                   if "_static" not in p.parts and p.name not in {"index.html", "genindex.html", "search.html"})
    search_done = "() => window.__searchDone !== null"
    with plain_book() as plain_site, served_site(plain_site) as plain, served_site() as base, chromium() as browser:
        plain_mb, _, _, _ = cold_load(browser, plain, "intro.html", WATCH_FIRST_CHART, "() => true")
        plain_load = _median([cold_load(browser, plain, "intro.html", WATCH_FIRST_CHART, "() => true")[2]
                              for _ in range(REPEATS)])
        plain_search = _median([cold_load(browser, plain, f"search.html?q={PLAIN_QUERY}", WATCH_SEARCH, search_done)[1]
                                for _ in range(REPEATS)])
        print("cold load in headless Chromium, network blocked; beside each figure the plain one-page Jupyter Book's")
        print(f"(median of {REPEATS} loads for times; first chart = its SVG marks drawn, after navigation start;")
        print(" the plain page has no chart: its figure is its load event)")
        print(f"  {'page':34s} {'gzip MB':>8s} {'plain':>6s} {'ratio':>6s}   {'1st chart':>9s} {'plain':>7s} {'ratio':>6s}  blocked")
        for path in pages:
            megabytes, _, _, blocked = cold_load(browser, base, path, WATCH_FIRST_CHART, ALL_CHARTS_DRAWN)
            firsts = [cold_load(browser, base, path, WATCH_FIRST_CHART, ALL_CHARTS_DRAWN)[1] for _ in range(REPEATS)]
            first = None if None in firsts else _median(firsts)
            chart = f"{first:6.0f} ms" if first is not None else "       -"
            print(f"  {path:34s} {megabytes:8.2f} {plain_mb:6.2f} {_ratio(megabytes, plain_mb)}   {chart} "
                  f"{plain_load:4.0f} ms {_ratio(first, plain_load)}  {blocked}")
        searches = [cold_load(browser, base, f"search.html?q={quote(BOOK_QUERY)}", WATCH_SEARCH, search_done)[1]
                    for _ in range(REPEATS)]
        book_search = _median(searches)
        print(f"  search results ({BOOK_QUERY} / plain: {PLAIN_QUERY}), ms after navigation start: "
              f"{book_search:.0f} ms, plain {plain_search:.0f} ms, ratio {_ratio(book_search, plain_search).strip()}"
              "   (target <= 200 ms)")


def own_weight(path: str) -> float:
    """gzip KB of a page's HTML plus the files only it loads (the chart data is inline in the HTML)."""
    return gz((SITE / path).read_bytes()) / 1024


# Move one control of one chart to another value and time until the chart's SVG has changed and painted.
SLIDE = """async ([chartIndex, controlIndex]) => {
  const chart = document.querySelectorAll('.pairing-chart')[chartIndex];
  const control = chart.querySelectorAll('""" + CONTROLS + """')[controlIndex];
  const svg = chart.querySelector('svg.marks');
  let observer;
  const changed = new Promise(resolve => (observer = new MutationObserver(() => { observer.disconnect(); resolve(true); }))
    .observe(svg, {subtree: true, childList: true, attributes: true}));
  const quiet = new Promise(resolve => setTimeout(() => { observer.disconnect(); resolve(false); }, 3000));
  const started = performance.now();
  if (control.classList.contains('vega-bind-radio')) {
    const radios = [...control.querySelectorAll('input[type=radio]')];
    const next = (radios.findIndex(r => r.checked) + 1) % radios.length;
    radios[next].checked = true;
    radios[next].dispatchEvent(new Event('change', {bubbles: true}));
  } else if (control.type === 'checkbox') {
    control.checked = !control.checked;
    control.dispatchEvent(new Event('change', {bubbles: true}));
  } else if (control.tagName === 'SELECT') {
    control.selectedIndex = (control.selectedIndex + 1) % control.options.length;
    control.dispatchEvent(new Event('change', {bubbles: true}));
  } else {
    control.value = control.value === control.min ? control.max : control.min;
    control.dispatchEvent(new Event('input', {bubbles: true}));
  }
  if (!(await Promise.race([changed, quiet]))) { return null; }  // the drawing did not change within 3 s
  await new Promise(requestAnimationFrame);
  return performance.now() - started;
}"""


def redraw_times(path: str, charts: list[int] | None = None, controls: list[int] | None = None,
                 repeats: int = 3) -> dict[int, list[float]]:
    """Milliseconds to redraw after moving each control (or the listed ones) of each chart on a page."""
    with served_site() as base, chromium() as browser:
        page = browser.new_page()
        page.goto(f"{base}/{path}", wait_until="load")
        page.locator(".pairing-chart svg .role-mark").first.wait_for()
        found = page.locator(".pairing-chart")
        result = {}
        for chart in charts if charts is not None else range(found.count()):
            count = found.nth(chart).locator(CONTROLS).count()
            chosen = controls if controls is not None else range(count)
            result[chart] = [page.evaluate(SLIDE, [chart, control]) for control in chosen for _ in range(repeats)]
        return result


def _report(label: str, times: list[float | None], target: int) -> None:
    quiet = sum(t is None for t in times)
    times = [t for t in times if t is not None]
    if quiet:
        print(f"{label}: {quiet} move(s) left the drawing unchanged for 3 s")
    if not times:
        return
    print(f"{label}: redraw median {sorted(times)[len(times) // 2]:.0f} ms, max {max(times):.0f} ms   (target <= {target} ms)")


def model_figures() -> None:
    from pairing_assistance import data
    from pairing_assistance.models import equalisation, growth

    started = time.perf_counter()
    equalisation.grid(regions=equalisation.regions_from_table(data.load_table("fiscal_2019")))
    growth.grid()
    print(f"chapter 2 precomputed grids (31-province equalisation + growth) {time.perf_counter() - started:5.2f} s"
          "   (target <= 5 s)")
    print(f"chapter 2 page own weight (HTML with inline chart data, gzip): {own_weight('book/02_theory.html'):.0f} KB"
          "   (target <= 1 MB)")
    for chart, times in redraw_times("book/02_theory.html").items():
        _report(f"chapter 2 chart {chart + 1}", times, 100)


def estimate_figures() -> None:
    from pairing_assistance import data
    from pairing_assistance.estimate import specs

    panel, pairings, regions = (data.load_table(n) for n in ("panel_provinces", "pairings", "regions"))
    started = time.perf_counter()
    grid = specs.run_grid(panel, pairings, regions)
    print(f"specification grid: {len(grid)} specifications in {time.perf_counter() - started:5.2f} s   (target <= 60 s)")
    from pairing_assistance.estimate import identification as ident

    results = data.load_table("panel_ch5_results")
    for case in specs.CASES:  # each case's main window, as scripts/build_ch5_results.py estimated it
        first, last = results.loc[(results["analysis"] == "main") & (results["case"] == case.name),
                                  ["pre_start", "post_end"]].iloc[0]
        donors = specs.donor_pools(case, pairings, regions, panel["code"].unique())["non_donor"]
        started = time.perf_counter()
        for estimator in ident.ALL:
            ident.run(panel, case.treated, donors, case.treatment_year, "log_gdp_per_capita", int(first), int(last),
                      estimator)
        print(f"{case.name}: all {len(ident.ALL)} estimators with in-space placebos "
              f"{time.perf_counter() - started:5.2f} s   (target <= 10 s)")
    for path in ("book/05a_growth.html", "book/05b_coordination.html", "book/05c_governance.html"):
        print(f"{path} own weight (HTML with inline chart data, gzip): {own_weight(path):.0f} KB   (target <= 1.5 MB)")
    charts = len((SITE / "book/05a_growth.html").read_text(encoding="utf-8").split('class="pairing-chart"')) - 1
    times = redraw_times("book/05a_growth.html", charts=[charts - 1])  # the specification curve is the last chart
    _report("specification explorer (all its controls)", times[charts - 1], 200)


def redraw_figures() -> None:
    page_path = "book/03a_pairing_database.html"
    print(f"pairing map page own weight (HTML with inline chart data and geometry, gzip): {own_weight(page_path):.0f} KB"
          "   (target <= 1.5 MB)")
    times = redraw_times(page_path, charts=[0], controls=[0], repeats=10)  # control 0: the programme dropdown
    _report("map + lines after changing the programme", times[0], 200)


# Every page with live controls: each control of each chart moved three times (target <= 100 ms per redraw).
CONTROL_PAGES = ("book/02_theory.html", "book/03a_pairing_database.html", "book/04_instruments.html",
                 "book/05a_growth.html", "book/05b_coordination.html", "book/05c_governance.html",
                 "book/06_problems.html")


def all_control_figures() -> None:
    print("redraw after moving a control, every page (median and max over each control of each chart, 3 moves):")
    for path in CONTROL_PAGES:
        times = [t for chart_times in redraw_times(path).values() for t in chart_times]
        if times:
            _report(f"  {path}", times, 100)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-build", action="store_true", help="skip the build and nbval timings")
    parser.add_argument("--controls", action="store_true", help="only the redraw figures of every page's controls")
    args = parser.parse_args()
    if args.controls:
        all_control_figures()
        return
    data_build = [str(BIN / "python"), "-m", "pairing_assistance.build", "--check"]
    print(f"rebuild of the pairing database from the repository {timed(data_build):6.2f} s   (target <= 60 s)")
    if not args.no_build:
        builds()
        notebook_times()
    if not (SITE / "index.html").exists():
        sys.exit("no _build/html: run bash scripts/build-book.sh first")
    page_weights()
    browser_figures()
    redraw_figures()
    model_figures()
    estimate_figures()
    all_control_figures()


if __name__ == "__main__":
    main()
