"""Print the book's performance figures (not a test; targets are in the README and the issue notes).

    .venv/bin/python benchmarks/run.py            # everything (does a clean build: ~1-2 min)
    .venv/bin/python benchmarks/run.py --no-build # measure the existing _build/html only

Figures: clean build time with execution, cached rebuild time, nbval time, execution time per
notebook, HTML weight per page, total site size, cold page weight (all requests, gzip) and time
until the first chart is drawn in headless Chromium with the network blocked.
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
import threading
import time
from pathlib import Path

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


# Every chart on the page has drawn marks (true at once on a page without charts).
ALL_CHARTS_DRAWN = "() => [...document.querySelectorAll('.pairing-chart')].every(c => c.querySelector('svg .role-mark'))"
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


@contextlib.contextmanager
def served_site():
    """Serve _build/html on a free localhost port; yield its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(SITE)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


CONTROLS = ".vega-bindings input[type=range], .vega-bindings select, .vega-bindings .vega-bind-radio"


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


def browser_figures() -> None:
    print("cold load in headless Chromium, network blocked (all requests, gzip; first chart after navigation start):")
    with served_site() as base, chromium() as browser:
        for path in ["book/01_introduction.html", "book/02_theory.html", "book/03_evolution.html",
                     "book/04_instruments.html", "book/05a_growth.html", "book/06_problems.html"]:
            context = browser.new_context()
            page = context.new_page()
            fetched, blocked = [], []
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base)
                       else (blocked.append(r.request.url), r.abort()))
            page.on("response", lambda response: fetched.append(response))
            page.add_init_script(WATCH_FIRST_CHART)
            page.goto(f"{base}/{path}", wait_until="load")
            page.wait_for_function(ALL_CHARTS_DRAWN)  # the charts' data is inline: drawn means fetched
            page.evaluate("document.fonts.ready.then(() => true)")
            total = sum(gz(r.body()) for r in fetched if r.ok)
            first = page.evaluate("window.__firstChart")
            chart = f"{first:7.0f} ms" if first is not None else "   (no chart)"
            print(f"  {path:30s} {len(fetched):3d} requests {total / 2**20:6.2f} MB gzip  first chart {chart}"
                  f"  blocked {len(blocked)}")
            context.close()


def own_weight(path: str) -> float:
    """gzip KB of a page's HTML plus the files only it loads (the chart data is inline in the HTML)."""
    return gz((SITE / path).read_bytes()) / 1024


# Move one control of one chart to another value and time until the chart's SVG has changed and painted.
SLIDE = """async ([chartIndex, controlIndex]) => {
  const chart = document.querySelectorAll('.pairing-chart')[chartIndex];
  const control = chart.querySelectorAll('""" + CONTROLS + """')[controlIndex];
  const svg = chart.querySelector('svg.marks');
  const changed = new Promise(resolve => new MutationObserver((_, o) => { o.disconnect(); resolve(); })
    .observe(svg, {subtree: true, childList: true, attributes: true}));
  const started = performance.now();
  if (control.classList.contains('vega-bind-radio')) {
    const radios = [...control.querySelectorAll('input[type=radio]')];
    const next = (radios.findIndex(r => r.checked) + 1) % radios.length;
    radios[next].checked = true;
    radios[next].dispatchEvent(new Event('change', {bubbles: true}));
  } else if (control.tagName === 'SELECT') {
    control.selectedIndex = (control.selectedIndex + 1) % control.options.length;
    control.dispatchEvent(new Event('change', {bubbles: true}));
  } else {
    control.value = control.value === control.min ? control.max : control.min;
    control.dispatchEvent(new Event('input', {bubbles: true}));
  }
  await changed;
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


def _report(label: str, times: list[float], target: int) -> None:
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-build", action="store_true", help="skip the build and nbval timings")
    args = parser.parse_args()
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


if __name__ == "__main__":
    main()
