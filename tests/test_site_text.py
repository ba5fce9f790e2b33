"""What a reader sees on every built page: no identifiers from code, no English chart labels, no pandas artefacts.

Needs ``_build/html`` (``bash scripts/build-book.sh``) and Debian's chromium. The text checked is what the
browser shows (closed code toggles and hidden elements excluded), the text drawn inside charts, and the
items of each chart's action menu. Latin text is allowed only where it belongs, listed in ``ALLOWED_REGIONS``.
"""

import functools
import http.server
import re
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

# Where Latin text is legitimate: the intro's English summary, formulas, bibliography entries (English titles
# and names), and a chart's data table or code that the reader opens on purpose.
ALLOWED_REGIONS = ", ".join([
    "#english-summary",
    ".math", "mjx-container", ".MathJax",
    ".bibliography", ".citation", "[role='doc-biblioentry']",
    "script", "style", "noscript",
])
# Appendices A and B are the codebook and methods reference for researchers: there the names of columns, codes
# and settings a reader must type are the point, shown as code (inline code, code blocks, the data dictionary).
REFERENCE_PAGES = {"book/appendix/data.html", "book/appendix/methods.html"}
REFERENCE_REGIONS = ", ".join([ALLOWED_REGIONS, "code", "pre", ".highlight", ".data-dictionary"])
FORBIDDEN = {
    "identifier from code": re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b"),
    "English label": re.compile(r"\b(?:high|medium|low|before|horizontal|vertical|donor|recipient|synth)\b"),
    "pandas artefact": re.compile(r"\bNaN\b|<NA>|\bdtype\b|\bName: |\bNone\b"),
    "English theme or menu text": re.compile(r"© Copyright|Save as|View Source|Open in Vega Editor|Click to view"),
}

VISIBLE_TEXT = """(allowed) => {
  const texts = [];
  const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!element || !node.textContent.trim() || element.closest(allowed)) continue;
    if (!element.checkVisibility({visibilityProperty: true})) continue;
    texts.push(node.textContent);
  }
  // the chart menus are closed until a reader opens them, but their words must be Chinese too
  document.querySelectorAll('.vega-actions a, .vega-embed summary').forEach(a => texts.push(a.textContent));
  return texts.join('\\n');
}"""
CHARTS_DRAWN = ("() => [...document.querySelectorAll('.pairing-chart')]"
                ".every(c => c.dataset.chartFactor && c.querySelector('svg'))")  # drawn and fitted to the column

# Names, tooltips and placeholders of everything a reader can reach (screen readers announce them; tooltips
# show on hover): those written in Latin letters only, outside the regions where Latin text belongs.
ENGLISH_NAMES = """(allowed) => [...document.querySelectorAll('[aria-label], [title], [placeholder], [data-bs-title]')]
  .filter(e => !e.closest(allowed) && !e.closest('[aria-hidden="true"]'))
  .flatMap(e => ['aria-label', 'title', 'placeholder', 'data-bs-title'].map(a => e.getAttribute(a) || ''))
  .filter(v => /[A-Za-z]{3,}/.test(v) && !/[\u4e00-\u9fff]/.test(v))"""


def site_pages():
    if not (SITE / "index.html").exists():
        return []
    return sorted(p.relative_to(SITE).as_posix() for p in SITE.rglob("*.html")
                  if p.name not in {"genindex.html", "search.html"} and "_static" not in p.parts)


# File names a reader can download or open (data/timeline.csv, CITATION.cff) are names, not code;
# an English equivalent given in full-width brackets after a term (glossary: （donor, or supporting party）) is a gloss.
FILE_NAME = re.compile(r"[\w./-]+\.(?:csv|json|cff|bib|py|md|ipynb|zip)\b")
ENGLISH_GLOSS = re.compile(r"（[A-Za-z][A-Za-z ,;'’.()-]*）")


def offences(text: str) -> list[str]:
    """Each forbidden match with 30 characters of context on either side."""
    text = ENGLISH_GLOSS.sub("（·）", FILE_NAME.sub(lambda m: "·" * len(m.group(0)), text))
    found = []
    for kind, pattern in FORBIDDEN.items():
        for match in pattern.finditer(text):
            snippet = text[max(0, match.start() - 30): match.end() + 30].replace("\n", " ⏎ ")
            found.append(f"{kind} {match.group(0)!r} in “…{snippet}…”")
    return found


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def page():
    assert (SITE / "index.html").exists(), "build the book first: bash scripts/build-book.sh"
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                            functools.partial(_QuietHandler, directory=str(SITE)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        tab = browser.new_page(viewport={"width": 1366, "height": 900})
        tab.route("**/*", lambda route: route.continue_()
                  if urlparse(route.request.url).hostname in {"127.0.0.1", "localhost"} else route.abort())
        tab.base = f"http://127.0.0.1:{httpd.server_address[1]}"
        yield tab
        browser.close()
    httpd.shutdown()


@pytest.mark.parametrize("path", site_pages())
def test_visible_text_is_free_of_code_and_artefacts(page, path):
    page.goto(f"{page.base}/{path}", wait_until="load")
    page.wait_for_function(CHARTS_DRAWN, timeout=20_000)
    problems = offences(page.evaluate(VISIBLE_TEXT, REFERENCE_REGIONS if path in REFERENCE_PAGES else ALLOWED_REGIONS))
    assert not problems, f"{path}:\n  " + "\n  ".join(problems[:25])


@pytest.mark.parametrize("path", site_pages())
def test_names_and_tooltips_are_chinese(page, path):
    """The theme's "Link to this heading", "Toggle primary sidebar", "Color mode", "Search..." were English."""
    page.goto(f"{page.base}/{path}", wait_until="load")
    page.wait_for_function(CHARTS_DRAWN, timeout=20_000)
    english = sorted(set(page.evaluate(ENGLISH_NAMES, REFERENCE_REGIONS if path in REFERENCE_PAGES else ALLOWED_REGIONS)))
    assert not english, f"{path}: names or tooltips in English: {english}"
    assert "列印" not in page.content(), f"{path}: the Taiwan term 列印 (use 打印)"


def test_the_rules_catch_what_the_issue_found():
    samples = ["tibet_1994", "rel_gdp_per_capita", "转移前 before", "high", "NaN", "<NA>", "Name: sigma, dtype: float64",
               "© Copyright 2026.", "Save as SVG"]
    assert all(offences(sample) for sample in samples)
    assert not offences("西藏（1994年起） 人均GDP 高 中 低 2023(5): 52-65 p ≤ 0.10 RMSPE CSV 下载 timeline.csv")
    assert not offences("名单见 data/source_hosts.csv 与 data/place_names.csv")
    assert offences("数据表 fiscal_2019 的列 valid_from") and offences("转移前（before） horizontal")
    assert not offences("支援方（donor, or supporting party）")
