"""The bibliography as readers see it: GB/T 7714-2015 form, Chinese notes, no maintainers' English tags."""

import sys

import pytest
from pybtex.database import parse_file
from pybtex.plugin import register_plugin

from conftest import ROOT

sys.path.insert(0, str(ROOT / "book" / "_ext"))
import bibliography_style as style  # noqa: E402  (a Sphinx local extension, not a package)


@pytest.fixture(scope="module")
def entries():
    register_plugin("pybtex.style.labels", "review_number", style.ReviewNumberLabels)
    register_plugin("pybtex.style.sorting", "review_number", style.ReviewNumberSorting)
    bib = parse_file(str(ROOT / "book" / "references.bib"))
    formatted = style.PairingBibliographyStyle().format_entries(bib.entries.values())
    return {entry.key: (entry.label, entry.text.render_as("text")) for entry in formatted}


def test_journal_article_in_gbt_7714_form(entries):
    label, text = entries["wangjianying2023review"]
    assert label == "综述"
    assert text.startswith("王建英, 汪钰莹, 陈志钢. 对口支援理论、实践与升级：文献梳理及启示[J]. 西部论坛, 2023(5): 52-65. ")
    assert "pages" not in text


def test_no_english_tags_and_chinese_full_stops(entries):
    assert not [key for key, (_, text) in entries.items() if "unverified" in text.lower()]
    assert all(text.endswith("。") for _, text in entries.values())


def test_et_al_after_three_names_and_for_literal_groups():
    assert style.reader_note("综述参考文献[2]。未核实（unverified）：标题未经核实") == "综述参考文献[2]。未核实：标题未经核实。"
    assert str(style.gbt_pages("43–61")) == "43-61"


def test_literal_group_author_gets_gbt_et_al(entries):
    assert entries["huangjixin2022"][1].startswith("黄基鑫, 等. 2022. ")


def test_citation_style_builds():
    reference_style = style.ChineseAuthorYearStyle()
    assert hasattr(reference_style.person, "author_or_editor_or_title")
    assert reference_style.author_year_sep == "，"
