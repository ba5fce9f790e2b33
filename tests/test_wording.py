"""Official wording: no avoided form in own prose or on the site; verbatim titles and quoted documents untouched.

The term list is data/style/terms.csv; the checker is pairing_assistance.wording.
Mutation tests plant an avoided form (it must be reported with file and line,
or row and column) and a verbatim historical title (it must pass).
"""

import json
import shutil

import pytest

from conftest import ROOT
from pairing_assistance import wording

HISTORICAL_TITLE = "中共中央、国务院关于加快四川云南甘肃青海省藏区经济社会发展的意见"
SITE = ROOT / "_build" / "html"


@pytest.fixture(scope="module")
def terms():
    return wording.load_terms()


def flagged(text, terms, verbatim=()):
    return [(term.term_id, found) for _, _, term, found in wording.find_avoided(text, terms, verbatim)]


# --- the term list -------------------------------------------------------------------------------------

AVOIDED = {
    "青海藏区的对口支援": "zangqu",
    "四省藏区": "zangqu",
    "以新时代中国特色社会主义思想为指导": "xi_thought_short",
    "巩固中华民族共同体意识": "zhulao_gonggu",
    "筑牢中华民族共同体意识": "zhulao_gonggu",
    "中国和台湾的企业": "taiwan_as_country_pair",
    "台湾与中国之间": "taiwan_as_country_pair",
    "日本、台湾等国家": "taiwan_as_country_list",
    "台湾政府": "taiwan_as_country_list",
    "中国与香港": "hkmo_with_china",
    "大陆和香港": "mainland_with_hkmo",
    "内地与台湾": "inland_with_taiwan",
    "对口援西藏": "policy_name_aid",
    "对口援助新疆": "policy_name_aid",
    "Pairing assistance to Tibet": "tibet_en",
    "the Tibet Autonomous Region": "tibet_en",
    "the Tibetan areas of Qinghai": "tibetan_areas_en",
    "China and Taiwan": "china_and_taiwan_en",
    "Macau": "macao_en",
    "Xinjiang Uyghur Autonomous Region": "uygur_en",
}

PREFERRED = ["涉藏地区", "四省涉藏州县", "西藏和四省涉藏州县", "青海涉藏州县", "习近平新时代中国特色社会主义思想",
             "新时代中国特色社会主义事业", "铸牢中华民族共同体意识", "大陆和台湾", "内地和香港", "内地与港澳",
             "日本、韩国等国家和台湾地区", "对口援藏", "对口援疆", "对口援青", "对口支援西藏", "西藏区县", "冷藏区",
             "Xizang", "Xizang Autonomous Region", "Xizang-related areas", "Garze Tibetan Autonomous Prefecture",
             "the mainland and Taiwan", "Macao", "Xinjiang Uygur Autonomous Region", "tibet_1994"]


@pytest.mark.parametrize("text,term_id", AVOIDED.items())
def test_each_required_avoided_form_is_in_the_term_list(terms, text, term_id):
    assert (term_id, ) == tuple({t for t, _ in flagged(text, terms)}), f"{text!r} should be flagged as {term_id}"


@pytest.mark.parametrize("text", PREFERRED)
def test_preferred_forms_and_lookalikes_pass(terms, text):
    assert flagged(text, terms) == []


def test_term_list_names_preferred_form_note_and_basis(terms):
    ids = {t.term_id for t in terms}
    assert set(AVOIDED.values()) <= ids
    for term in terms:
        assert term.preferred and term.note


def test_a_malformed_term_list_names_line_and_column(tmp_path):
    rows = wording.TERMS_PATH.read_text(encoding="utf-8").splitlines()
    rows.insert(3, "broken,zh,藏区(,涉藏地区,note,basis,high")
    bad = tmp_path / "terms.csv"
    bad.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(wording.WordingError, match=r"terms\.csv, line 4, column 'avoided'"):
        wording.load_terms(bad)
    rows[3] = "broken,fr,藏区,涉藏地区,note,basis,high"
    bad.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(wording.WordingError, match=r"terms\.csv, line 4, column 'lang'"):
        wording.load_terms(bad)


# --- exemptions ------------------------------------------------------------------------------------------

def test_titles_in_guillemets_stay_verbatim(terms):
    assert flagged(f"2010年的《{HISTORICAL_TITLE}》把青海纳入对口支援。", terms) == []
    assert flagged("英文报道《Aid to Tibet continues》。", terms) == []


def test_a_quotation_is_verbatim_only_where_its_document_is_named(terms):
    attributed = "《中共中央关于西藏工作的决定》写道：“对口支援藏区”。"
    assert flagged(attributed, terms) == []
    unattributed = "文件写道：“对口支援藏区”。"
    assert flagged(unattributed, terms) == [("zangqu", "藏区")]


def test_a_known_title_shown_without_guillemets_is_verbatim(terms):
    assert flagged(f"2010  {HISTORICAL_TITLE}", terms, verbatim=[HISTORICAL_TITLE]) == []
    assert flagged(f"2010  {HISTORICAL_TITLE}", terms) == [("zangqu", "藏区")]


def test_code_in_markdown_is_not_prose(terms):
    text = "正文 `Tibet` 与 {term}`共同富裕`\n```python\nx = 'Tibet'\n```\n```{note}\n青海藏区\n```\n"
    prose = wording.markdown_prose(text)
    assert "Tibet" not in prose and "共同富裕" in prose
    assert flagged(prose, terms) == [("zangqu", "藏区")]  # a {note} directive is prose


# --- mutation tests on a small repository built from real files ---------------------------------------

def _notebook(markdown, html):
    return {"cells": [
        {"cell_type": "markdown", "metadata": {}, "source": markdown},
        {"cell_type": "code", "metadata": {}, "source": "chart", "execution_count": 1,
         "outputs": [{"output_type": "display_data", "metadata": {}, "data": {"text/html": html, "text/plain": "x"}}]},
    ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


@pytest.fixture
def repo(tmp_path):
    """A clean repository with the real term list, a real chapter and real-shaped tables and modules."""
    (tmp_path / "book" / "appendix").mkdir(parents=True)
    (tmp_path / "pairing_assistance").mkdir()
    (tmp_path / "data" / "style").mkdir(parents=True)
    shutil.copy(wording.TERMS_PATH, tmp_path / "data" / "style" / "terms.csv")
    (tmp_path / "book" / "07_outlook.md").write_text("# 展望\n\n对口援藏、对口援疆和对口援青是正式名称。\n",
                                                      encoding="utf-8")
    (tmp_path / "book" / "ch.ipynb").write_text(json.dumps(_notebook("## 标题\n\n涉藏地区", "<p>西藏</p>")),
                                                encoding="utf-8")
    (tmp_path / "pairing_assistance" / "i18n.py").write_text(
        'LABELS = {"programme.tibet": {"zh": "对口援藏", "en": "Xizang"}}\n', encoding="utf-8")
    (tmp_path / "data" / "programmes.csv").write_text(
        "programme_id,name_zh,name_en,document_title,note\n"
        f"qinghai_2010,对口援青,Pairing assistance to Qinghai,{HISTORICAL_TITLE},2010年起\n", encoding="utf-8")
    (tmp_path / "README.md").write_text("# Book\n\nEstimates for Xizang (1994).\n", encoding="utf-8")
    (tmp_path / "CITATION.cff").write_text("title: 对口支援\n", encoding="utf-8")
    assert wording.scan_repository(tmp_path) == []
    return tmp_path


def _where(findings):
    return sorted(f.where for f in findings)


def test_planted_form_in_a_chapter_is_reported_with_line(repo):
    path = repo / "book" / "07_outlook.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n以新时代中国特色社会主义思想为指导。\n", encoding="utf-8")
    findings = wording.scan_repository(repo)
    assert _where(findings) == ["book/07_outlook.md, line 5, column 2"]
    assert findings[0].term_id == "xi_thought_short" and "习近平" in str(findings[0])


def test_planted_form_in_appendix_and_readme_and_citation(repo):
    (repo / "book" / "appendix" / "data.md").write_text("# 数据\n\n四省藏区\n", encoding="utf-8")
    (repo / "README.md").write_text("# Book\n\nEstimates for Tibet (1994).\n", encoding="utf-8")
    (repo / "CITATION.cff").write_text("title: 对口支援\nabstract: China and Taiwan\n", encoding="utf-8")
    assert _where(wording.scan_repository(repo)) == [
        "CITATION.cff, line 2, column 11", "README.md, line 3, column 15", "book/appendix/data.md, line 3, column 3"]


def test_planted_form_in_notebook_markdown_output_and_chart(repo):
    spec = json.dumps({"title": "Pairing assistance to Tibet", "data": {"values": [{"name": "对口支援青海藏区"}]}},
                      ensure_ascii=False)
    html = f'<table><tr><td>巩固中华民族共同体意识</td></tr></table><script>(function () {{\n  var spec = {spec};\n}})();</script>'
    (repo / "book" / "ch.ipynb").write_text(json.dumps(_notebook("## 标题\n\n大陆和香港", html)), encoding="utf-8")
    findings = {(f.where, f.found) for f in wording.scan_repository(repo)}
    assert findings == {
        ("book/ch.ipynb, cell 1 (markdown), line 3, column 1", "大陆和香港"),
        ("book/ch.ipynb, cell 2 (output 1), line 1, column 1", "巩固中华民族共同体意识"),
        ("book/ch.ipynb, cell 2 (output 1), chart, line 1, column 23", "Tibet"),
        ("book/ch.ipynb, cell 2 (output 1), chart, line 1, column 7", "藏区"),
    }


def test_planted_form_in_a_package_string_and_a_data_note(repo):
    (repo / "pairing_assistance" / "i18n.py").write_text(
        '# comments are code, not prose: Tibet\nLABELS = {"programme.tibet": {"zh": "对口援藏", "en": "Tibet"}}\n',
        encoding="utf-8")
    path = repo / "data" / "programmes.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("2010年起", "青海藏区2010年起"), encoding="utf-8")
    assert _where(wording.scan_repository(repo)) == [
        "data/programmes.csv, line 2, column 'note'", "pairing_assistance/i18n.py, line 2, column 1"]


def test_planted_verbatim_title_passes_everywhere(repo):
    chapter = repo / "book" / "07_outlook.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + f"\n2010年，《{HISTORICAL_TITLE}》发布。\n",
                       encoding="utf-8")
    table = f"<table><tr><td>2010</td><td>{HISTORICAL_TITLE}</td></tr></table>"  # a title column shown as a table
    (repo / "book" / "ch.ipynb").write_text(json.dumps(_notebook(f"见《{HISTORICAL_TITLE}》。", table)),
                                            encoding="utf-8")
    (repo / "pairing_assistance" / "doc.py").write_text(f'"""Follows 《{HISTORICAL_TITLE}》."""\n', encoding="utf-8")
    assert wording.scan_repository(repo) == []


# --- the repository itself --------------------------------------------------------------------------------

def test_own_prose_uses_the_official_wording():
    findings = wording.scan_repository()
    report = "\n".join(str(f) for f in findings)
    assert not findings, f"{len(findings)} avoided form(s) in own prose:\n{report}"


# --- the built site ------------------------------------------------------------------------------------

def test_site_checker_reads_visible_text_and_charts_but_not_code(terms):
    page = ('<html><head><title>对口支援</title><script>var x = "Tibet";</script></head><body>'
            '<div class="cell_input"><pre>label = "Tibet"</pre></div>'
            '<p>西藏和四省涉藏州县</p><p>见《' + HISTORICAL_TITLE + '》</p>'
            '<div class="cell_output"><script>(function () {\n  var spec = {"title": "中国和台湾"};\n})();</script></div>'
            '<p>青海藏区</p></body></html>')
    text, charts = wording.html_texts(page, skip_classes={"cell_input", "literal", "code"})
    assert "label" not in text and "Tibet" not in text and charts == ["中国和台湾"]
    assert flagged(text, terms) == [("zangqu", "藏区")]
    assert flagged(charts[0], terms) == [("taiwan_as_country_pair", "中国和台湾")]


@pytest.mark.site
def test_every_page_of_the_site_uses_the_official_wording(terms):
    assert (SITE / "index.html").exists(), "build the book first: bash scripts/build-book.sh"
    pages = list(wording.site_texts(SITE))
    assert len({place.split(",")[0] for place, _, _ in pages}) >= 10, "too few pages read from the site"
    findings = wording.scan(pages, terms, wording.verbatim_texts(ROOT / "data", terms))
    report = "\n".join(str(f) for f in findings[:80])
    assert not findings, f"{len(findings)} avoided form(s) on the site:\n{report}"


def test_official_formulations_are_the_long_fixed_preferred_forms(terms):
    forms = wording.official_formulations(terms)
    assert "习近平新时代中国特色社会主义思想" in forms and "铸牢中华民族共同体意识" in forms
    assert all(not flagged(form, terms) for form in forms)


@pytest.mark.site
def test_site_check_fails_on_a_planted_form_and_passes_a_verbatim_title(terms, tmp_path):
    page = SITE / "book" / "07_outlook.html"
    assert page.exists(), "build the book first: bash scripts/build-book.sh"
    original = page.read_text(encoding="utf-8")
    (tmp_path / "book").mkdir()

    def findings(html):
        (tmp_path / "book" / "07_outlook.html").write_text(html, encoding="utf-8")
        return {(f.where.split(",")[0], f.found) for f in wording.scan(wording.site_texts(tmp_path), terms)}

    before = findings(original)
    title = original.replace("</body>", f"<p>2010年的《{HISTORICAL_TITLE}》</p></body>", 1)
    assert findings(title) == before
    planted = original.replace("</body>", "<p>四省藏区的对口支援</p></body>", 1)
    assert findings(planted) - before == {("book/07_outlook.html", "藏区")}
