"""Chinese search on the built site: compound queries find the pages that hold their words.

The index is cut by jieba (Sphinx's Chinese search); the query is cut into the index's own words by
book/_ext/static/search-segmenter.js. Each query below names the page a reader should get first: the glossary
when the book defines the term, else the chapter or section about it. Needs ``_build/html`` and Chromium.
"""

import json
import re
from urllib.parse import quote

import pytest

from test_site import SITE, browser, server, visit  # noqa: F401  (fixtures)

pytestmark = pytest.mark.site

# query -> (words the query is cut into, page that must come first)
QUERIES = {
    "援藏效果": (["援藏", "效果"], "book/05_effects.html"),
    "对口支援": (["对口", "支援"], "book/appendix/glossary.html"),
    "合成控制": (["合成", "控制"], "book/05a_growth.html"),
    "横向转移支付": (["横向", "转移", "支付"], "book/02_theory.html"),
    "东西部协作": (["东西部", "协作"], "book/appendix/glossary.html"),
    "泰尔指数": (["泰尔", "指数"], "book/05b_coordination.html"),
    "双重差分": (["双重", "差分"], "book/appendix/glossary.html"),
    "铸牢中华民族共同体意识": (["铸牢", "中华民族", "共同体", "意识"], "book/06_problems.html"),
    "兄弟互助": (["兄弟", "互助"], "book/02_theory.html"),
    "汶川地震": (["汶川", "地震"], "book/05a_growth.html"),
    "政策工具": (["政策", "工具"], "book/04_instruments.html"),
    "援疆": (["援疆"], "book/appendix/glossary.html"),
}
SEARCH_DONE = """() => { const s = document.querySelector('#search-results .search-summary');
                        return !!s && s.innerText.trim().length > 0; }"""


def search_index():
    text = (SITE / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1: text.rindex(")")])


def run_search(visit, query):  # noqa: F811
    page, blocked, errors = visit(f"search.html?q={quote(query)}")
    page.wait_for_function(SEARCH_DONE)  # Sphinx writes the summary once every result is listed
    hrefs = page.eval_on_selector_all("#search-results ul.search li > a", "els => els.map(e => e.getAttribute('href'))")
    return page, [href.split("#")[0] for href in hrefs], blocked, errors


def test_compound_queries_are_not_words_of_the_index():
    """Why the query must be cut: jieba indexed these compounds only as their parts."""
    terms = search_index()["terms"]
    for query in ("援藏效果", "对口支援", "合成控制", "横向转移支付", "东西部协作"):
        assert query not in terms, f"{query} is itself an index word; pick a compound the index splits"
        assert all(word in terms for word in QUERIES[query][0]), f"the parts of {query} must be in the index"


@pytest.mark.parametrize("query", QUERIES)
def test_query_is_cut_into_index_words_and_finds_its_page_first(visit, query):  # noqa: F811
    words, first = QUERIES[query]
    page, found, blocked, errors = run_search(visit, query)
    assert page.evaluate("PAIRING_SEARCH.words") == words, f"{query} was cut differently"
    assert found, f"{query} found nothing"
    assert found[0] == first, f"{query}: first result {found[0]}, expected {first} (all: {found[:5]})"
    index = search_index()
    for path in set(found) - {"book/appendix/glossary.html"}:  # glossary hits come from its term index
        doc = index["docnames"].index(path.removesuffix(".html"))
        for word in words:
            holders = [index["terms"].get(word, []), index["titleterms"].get(word, [])]
            assert any(doc == h or (isinstance(h, list) and doc in h) for h in holders), \
                f"{query}: {path} was listed but lacks the word {word}"
    assert blocked == [] and errors == []


def test_a_query_with_no_page_says_so(visit):  # noqa: F811
    page, found, blocked, errors = run_search(visit, "量子引力")
    assert found == []
    assert re.search(r"没有|未|0", page.locator("#search-results .search-summary").inner_text())
