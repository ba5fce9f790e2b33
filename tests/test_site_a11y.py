"""axe-core on every built page, in the light and the dark theme: no critical and no serious violation.

axe-core comes inside the pinned axe-playwright-python wheel and is injected into the page (nothing fetched).
Each page is checked after its charts are drawn in the theme under test (the charts' Vega config follows it),
so colour contrast is judged on what a reader sees. Needs ``_build/html`` and Chromium.
"""

import posixpath
import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from test_site import ALL_CHARTS_DRAWN, LOCAL_HOSTS, SITE, browser, server, site_pages  # noqa: F401  (fixtures)

pytestmark = pytest.mark.site
AXE = Axe()
BLOCKING = {"critical", "serious"}
REDIRECT = re.compile(r'<meta http-equiv="Refresh" content="0; url=([^"]+)"')
# the theme has resolved the reader's setting and every chart is drawn in it
THEME_READY = """(scheme) => document.documentElement.dataset.theme === scheme &&
  [...document.querySelectorAll('.pairing-chart')].every(c => c.dataset.chartTheme === scheme && c.querySelector('svg .role-mark'))"""
# the theme's colour transitions (0.15 s on buttons such as the search field) have ended after the switch to the
# reader's scheme: axe judging a colour half-way through one failed CI once (search button, dark, 03_evolution)
TRANSITIONS_DONE = "() => document.getAnimations().filter(a => a instanceof CSSTransition).every(a => a.playState === 'finished')"


def open_in(browser, server, path, scheme):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(server) else route.abort())
    page.goto(f"{server}/{path}", wait_until="load")
    redirect = REDIRECT.search((SITE / path).read_text(encoding="utf-8")) if (SITE / path).is_file() else None
    if redirect:  # index.html: axe must judge the page it leads to once loaded, not one whose styles are loading
        page.wait_for_url(f"{server}/{posixpath.normpath(posixpath.join(posixpath.dirname(path), redirect[1]))}")
    page.wait_for_function(ALL_CHARTS_DRAWN)
    page.wait_for_function(THEME_READY, arg=scheme)
    page.wait_for_function(TRANSITIONS_DONE)
    return context, page


def describe(violations):
    lines = []
    for violation in violations:
        targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
        lines.append(f"{violation['id']} ({violation['impact']}, {len(violation['nodes'])}×): {targets}")
    return "\n  ".join(lines)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", site_pages() + ["search.html"])
def test_no_critical_or_serious_axe_violation(browser, server, path, scheme):  # noqa: F811
    context, page = open_in(browser, server, path, scheme)
    try:
        violations = AXE.run(page).response["violations"]
    finally:
        context.close()
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, f"{path} ({scheme}):\n  {describe(blocking)}"
