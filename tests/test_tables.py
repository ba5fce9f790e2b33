"""Reader tables: Chinese headers with units, formatted values, no pandas artefacts, clear errors."""

import re

import pandas as pd
import pytest

from pairing_assistance import data, i18n, summaries, tables
from pairing_assistance.models import equalisation
from conftest import ROOT

ARTEFACTS = re.compile(r"NaN|<NA>|dtype|Name: |None|nan\b")


def test_every_registered_column_has_labels_in_both_languages():
    for name, column in tables.COLUMNS.items():
        for lang in i18n.LANGUAGES:
            assert column.header(lang), name
            if column.unit:
                assert i18n.t(column.unit, lang), name


def test_model_summary_reads_in_chinese_with_units():
    provinces = equalisation.regions_from_table(data.load_table("fiscal_2019"))
    frame = equalisation.summarise(equalisation.simulate(0.3, 0.2, 0.1, provinces))
    table = tables.reader_table(frame)
    assert table.headers[0] == "方案" and "损耗占总财力（%）" in table.headers
    assert [row[0] for row in table.rows] == [i18n.t(f"scenario.{s}") for s in frame["scenario"]]
    assert table.rows[0][1] == f"{frame['gini'].iloc[0]:.3f}"
    text, page = repr(table), table._repr_html_()
    for column in frame.columns:
        assert column not in text and f">{column}<" not in page
    assert '<th scope="col"' in page and "dataframe" not in page


def test_missing_values_named_index_and_scaling():
    frame = pd.DataFrame({"year": pd.array([2000, None], dtype="Int64"), "p_value": [0.1234, float("nan")],
                          "share_p_le_010": [0.25, 0.5]}).set_index("year")
    table = tables.reader_table(frame)
    assert table.headers == ("年份", "安慰剂 p 值", "p ≤ 0.10 的设定占比（%）")
    assert table.rows == (("2000", "0.123", "25"), ("—", "—", "50"))
    assert not ARTEFACTS.search(repr(table) + table._repr_html_())


def test_negative_zero_is_shown_without_a_sign():
    assert tables.reader_table(pd.DataFrame({"att": [-0.0001, -0.25]})).rows == (("0.000",), ("-0.250",))


def test_unknown_columns_and_several_header_rows_are_refused():
    with pytest.raises(KeyError, match="rel_gdp_gap"):
        tables.reader_table(pd.DataFrame({"year": [1], "rel_gdp_gap": [0.1]}))
    wide = pd.DataFrame([[1.0, 2.0]], columns=pd.MultiIndex.from_tuples([("did", 5), ("synth", 5)]))
    with pytest.raises(ValueError, match="several levels"):
        tables.reader_table(wide)


def test_override_columns_and_html_escaping():
    frame = pd.DataFrame({"label": ["<b>文件</b>"]})
    table = tables.reader_table(frame, columns={"label": tables.Column("event")}, caption="表 1")
    assert table.headers == ("事件或文件",)
    page = table._repr_html_()
    assert "&lt;b&gt;文件&lt;/b&gt;" in page and "<caption>表 1</caption>" in page
    assert page == tables.reader_table(frame, columns={"label": tables.Column("event")}, caption="表 1")._repr_html_()


def test_events_per_stage_table_matches_the_data():
    timeline = data.load_table("timeline")
    table = summaries.events_per_stage_table(timeline)
    in_table1 = timeline[timeline["in_review_table1"]]
    assert table.headers == ("阶段", "数量（个）", "最早年份", "最晚年份")
    assert sum(int(row[1]) for row in table.rows) == len(in_table1)
    assert table.rows[0][2] == str(in_table1["year"].min())


def test_labelled_table_keeps_chinese_headers_and_formats_values():
    frame = pd.DataFrame({"项目": ["甲", "乙"], "结对数": [3, 4], "比例": [0.12345, None]}).set_index("项目")
    table = tables.labelled_table(frame)
    assert table.headers == ("项目", "结对数", "比例") and table.rows == (("甲", "3", "0.123"), ("乙", "4", "—"))
    with pytest.raises(KeyError, match="valid_to"):
        tables.labelled_table(pd.DataFrame({"valid_to": [1]}))


def test_pairing_columns_read_as_words():
    frame = pd.DataFrame({"role": ["donor"], "valid_to": pd.array([None], dtype="Int64"), "confidence": ["high"]})
    assert tables.reader_table(frame).rows == (("支援方", "至今", "高"),)


def test_partners_table_says_ongoing_for_open_end_years():
    pairings, regions, programmes = (data.load_table(n) for n in ("pairings", "regions", "programmes"))
    table = tables.labelled_table(summaries.partners_table(pairings, regions, programmes, "上海市"))
    end = table.headers.index("截止年份")
    assert any(row[end] == "至今" for row in table.rows) and not ARTEFACTS.search(repr(table))


def test_data_check_messages_become_a_table_with_chinese_column_names():
    messages = ["data/aid_figures.csv 第 37 行，“period_start”列：A036 缺少起始年份，无法换算为年均数"]
    table = summaries.data_problems_table(messages, "aid_figures")
    assert table.headers == ("文件", "行号", "列", "问题")
    assert table.rows == (("data/aid_figures.csv", "37", "起始年份", "A036 缺少起始年份，无法换算为年均数"),)
    with pytest.raises(ValueError, match="not in the form"):
        summaries.data_problems_table(["没有位置的消息"], "aid_figures")
    with pytest.raises(KeyError):
        summaries.data_problems_table(["data/x.csv 第 2 行，“mystery”列：问题"], "aid_figures")


def test_donor_groups_read_as_words():
    assert summaries.party_label("19 provinces") == "19 个省市"
    assert summaries.party_label("all donors") == "全部支援方" and summaries.party_label("上海市") == "上海市"


def test_international_table_is_generated_from_the_data():
    international = data.load_table("international")
    table = summaries.international_table(international)
    assert table.headers[:5] == ("国家或地区", "安排", "期间", "资金方向", "指定结对") and len(table.rows) == len(international)
    first = international.iloc[0]
    assert table.rows[0][1] == f"{first['name_zh']}（{first['name_original']}）"
    assert table.rows[0][2] == f"{first['start_year']}—{int(first['end_year'])}"
    open_ended = international["end_year"].isna().to_numpy()
    assert all(row[2].endswith("（未见结束年份）") == bool(o) for row, o in zip(table.rows, open_ended))
    # each source reads publisher：title，date; several sources in one row are paired up, one after another
    assert all(row[-1].startswith(p.split('；')[0]) for row, p in zip(table.rows, international["publisher"]))
    two = table.rows[0][-1]  # I01: two publishers, two titles, two dates
    assert two.index("2017-09-13") < two.index("Deutscher Bundestag") < two.index("2021-05-27")
    assert "n.d." not in "".join(row[-1] for row in table.rows)


def test_a_cell_holding_a_sentence_keeps_a_readable_column():
    """Cells longer than LONG_CELL are marked, so pairing.css keeps their column wide and the box scrolls."""
    from pairing_assistance import tables

    long_text = "按法定公式计算，财力强的州向财力弱的州直接付款，不指定结对，二〇二〇年起改由联邦在分配增值税时调整"
    html = tables.labelled_table(pd.DataFrame({"规则": [long_text], "年份": [1952]}))._repr_html_()
    assert f'<td class="pairing-long">{long_text}</td>' in html
    assert '<td class="pairing-num" style="text-align:right">1952</td>' in html
    assert (ROOT / "_static" / "pairing.css").read_text(encoding="utf-8").count("td.pairing-long") >= 2
