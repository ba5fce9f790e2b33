"""Numbers in prose come from computation: no digit run typed by hand unless it is exempt or reviewed.

The check is ``pairing_assistance.prose_numbers``; the reviewed exceptions are ``data/style/typed_numbers.csv``.
"""

from __future__ import annotations

import json
import shutil

import pytest

from pairing_assistance import prose_numbers as pn


def _page_text(tmp_path, name, text):
    book = tmp_path / "book"
    book.mkdir(exist_ok=True)
    (book / name).write_text(text, encoding="utf-8")
    return book


def _allow(tmp_path, rows=()):
    path = tmp_path / "typed_numbers.csv"
    lines = ["page,phrase,why,source"] + [",".join(row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _numbers(tmp_path, text, rows=()):
    found, stale = pn.scan(_page_text(tmp_path, "p.md", text), _allow(tmp_path, rows))
    return [f.number for f in found], stale


@pytest.mark.parametrize("page", [p.relative_to(pn.BOOK).as_posix() for p in pn.prose_pages()])
def test_no_number_is_typed_by_hand(page):
    found, _ = pn.scan_page(pn.BOOK / page, pn.load_allow_list())
    assert not found, (f"{page}: {len(found)} numbers typed in prose; glue them from the computation "
                       "(or, if quoted from a cited source, add a reviewed row to data/style/typed_numbers.csv):\n"
                       + "\n".join(str(f) for f in found))


def test_every_allow_list_row_still_exempts_a_number():
    _, stale = pn.scan()
    assert not stale, "stale rows of data/style/typed_numbers.csv (phrase gone or nothing left to exempt): " + \
        "; ".join(f"row {a.row} {a.page} {a.phrase!r}" for a in stale)


def test_allow_list_rows_name_pages_of_the_book():
    pages = {p.relative_to(pn.BOOK).as_posix() for p in pn.prose_pages()}
    for row in pn.load_allow_list():
        assert row.page in pages, f"typed_numbers.csv row {row.row}: unknown page {row.page}"


def test_a_planted_typed_number_fails_naming_page_and_line(tmp_path):
    book = tmp_path / "book"
    shutil.copytree(pn.BOOK, book, ignore=shutil.ignore_patterns("_build"))
    notebook = book / "02_theory.ipynb"
    before, _ = pn.scan_page(notebook, pn.load_allow_list(), book)
    cells = json.loads(notebook.read_text(encoding="utf-8"))
    cells["cells"].insert(3, {"cell_type": "markdown", "metadata": {}, "id": "planted",
                              "source": ["第一行。\n", "受援方第 10 年的产出升到 1.364。\n"]})
    notebook.write_text(json.dumps(cells, ensure_ascii=False), encoding="utf-8")
    after, _ = pn.scan_page(notebook, pn.load_allow_list(), book)
    planted = [f for f in after if f.where.startswith("cell 3 ")]
    assert [(f.where, f.number) for f in planted] == [("cell 3 line 2", "1.364")]
    assert len(after) == len(before) + 1 and "02_theory.ipynb cell 3 line 2" in str(planted[0])


def test_glued_years_titles_documents_and_references_are_not_typed(tmp_path):
    text = "\n".join([
        "# 第2章 理论",
        "基尼系数为 {glue:text}`ch2_gini:.3f`，见图 2-1、表 3-2、[5.1 节](05a_growth.ipynb)和{numref}`练习 %s <ch2-ex4>`。",
        "1994年7月20日，《国务院办公厅关于印发汶川地震灾后恢复重建对口支援方案的通知》（国办发〔2008〕53号）。",
        "第5章、第 2 问、$\\alpha = 0.4$、`scripts/build_2.py`、{cite:p}`wangjianying2023review`、ch2-ex1。",
        "$$",
        "y = 0.55^{1/0.6}",
        "$$",
        "```python",
        "x = 12",
        "```",
    ])
    assert _numbers(tmp_path, text) == ([], [])


def test_a_proper_name_with_a_number_is_not_typed_but_a_count_beside_it_is(tmp_path):
    # the number of California's Proposition 99 names the law; a count after the name is still a count
    assert _numbers(tmp_path, "加州烟草税（Proposition 99）这一公开案例。\n") == ([], [])
    assert _numbers(tmp_path, "Proposition 99 之后的 12 个州。\n")[0] == ["12"]
    assert _numbers(tmp_path, "共 99 个提案。\n")[0] == ["99"]


def test_typed_counts_and_decimals_are_found(tmp_path):
    numbers, _ = _numbers(tmp_path, "收录了 12 个项目、5,467 元，约 0.308；2019 年。\n")
    assert numbers == ["12", "5,467", "0.308"]
    # a four-digit count is not mistaken for a year when a unit follows it
    assert _numbers(tmp_path, "共 2010 个结对。\n")[0] == ["2010"]


def test_an_allow_list_row_exempts_its_phrase_and_goes_stale_when_it_no_longer_matches(tmp_path):
    text = "第三次西藏工作座谈会确定由15个省（市）与西藏结对，其余 7 个。\n"
    row = ("p.md", "由15个省（市）与西藏结对", "quoted", "source")
    assert _numbers(tmp_path, text, [row]) == (["7"], [])
    gone = ("p.md", "由16个省（市）与西藏结对", "quoted", "source")
    numbers, stale = _numbers(tmp_path, text, [gone])
    assert numbers == ["15", "7"] and [a.phrase for a in stale] == [gone[1]]


def test_a_malformed_allow_list_names_row_and_column(tmp_path):
    path = _allow(tmp_path, [("p.md", "共 7 个", "", "source")])
    with pytest.raises(pn.AllowListError, match=r"row 2 column why"):
        pn.load_allow_list(path)
    path = _allow(tmp_path, [("p.md", "没有数字", "why", "source")])
    with pytest.raises(pn.AllowListError, match=r"row 2 column phrase"):
        pn.load_allow_list(path)


def test_chapter_2_numbers_agree_with_the_model_tables_by_another_route():
    from pairing_assistance import data
    from pairing_assistance.models import equalisation, prose
    fiscal = data.load_table("fiscal_2019")
    numbers = prose.theory_numbers(fiscal)
    result = equalisation.simulate(prose.RATE, prose.COST_V, prose.COST_H, equalisation.regions_from_table(fiscal))
    before = result[result.scenario == "before"]
    donors = before[before.donor]
    total = float((before.resources * before.population).sum())
    # the pool is what the donors give: their burden times their own resources
    given = numbers["ch2_donor_burden_pct_h"] / 100 * float((donors.resources * donors.population).sum())
    assert numbers["ch2_n_donors"] == len(donors) > 0
    assert numbers["ch2_pool_share"] == pytest.approx(given / total, rel=1e-9)
    assert numbers["ch2_pool_100m"] == pytest.approx(given / 1e4, rel=1e-9)
    assert 0 < numbers["ch2_gini_h"] < numbers["ch2_gini_v"] < numbers["ch2_gini_before"]
    assert numbers["ch2_ratio_start"] == pytest.approx(0.55 ** (1 / 0.6), rel=1e-6)
