"""Outcome index of section 5.3: standardisation, weighting, bad input, sensitivity, and the browser version."""

from __future__ import annotations

import re

import numpy as np
import pytest

from pairing_assistance import data, i18n
from pairing_assistance import outcome_index as oi
from pairing_assistance.charts import outcome_index as charts


@pytest.fixture(scope="module")
def services():
    return data.load_table("panel_public_services")


@pytest.fixture(scope="module")
def scores(services):
    return oi.standardise(services)


@pytest.fixture(scope="module")
def recipients():
    return oi.recipient_provinces(data.load_table("pairings"))


def test_recipients_are_the_whole_province_recipients(recipients):
    assert recipients == ["540000", "630000", "650000"]


def test_scores_are_standardised_within_year_and_indicator(scores, services):
    grouped = scores.groupby(["year", "indicator"])["score"]
    assert np.allclose(grouped.mean(), 0, atol=1e-12) and np.allclose(grouped.std(ddof=0), 1)
    # spending per person in logs, the urbanisation rate as it is
    edu = services[(services["year"] == 2015) & (services["indicator"] == "education_pc")]
    logs = np.log(edu["value"].to_numpy())
    expected = (logs - logs.mean()) / logs.std()
    got = scores[(scores["year"] == 2015) & (scores["indicator"] == "education_pc")]["score"].to_numpy()
    assert np.allclose(got, expected)


def test_bad_values_name_the_row(services):
    broken = services.copy()
    position = broken.index[(broken["indicator"] == "science_pc")][3]
    broken.loc[position, "value"] = 0.0
    with pytest.raises(ValueError, match=rf"row {position + 2}, column 'value'"):
        oi.standardise(broken)


def test_index_is_the_weighted_mean_of_scores_and_ignores_the_scale_of_weights(scores):
    weights = {"education_pc": 2.0, "urbanisation": 1.0}
    index = oi.build_index(scores, weights)
    one = scores[(scores["code"] == "540000") & (scores["year"] == 2016)].set_index("indicator")["score"]
    row = index[(index["code"] == "540000") & (index["year"] == 2016)].iloc[0]
    assert row["index"] == pytest.approx((2 * one["education_pc"] + one["urbanisation"]) / 3)
    doubled = oi.build_index(scores, {k: 2 * w for k, w in weights.items()})
    assert np.allclose(index["index"], doubled["index"]) and (index["rank"] == doubled["rank"]).all()
    assert index["index"].notna().all()
    assert sorted(index[index["year"] == 2016]["rank"]) == list(range(1, 32))


def test_all_zero_and_negative_weights_get_a_chinese_message(scores):
    with pytest.raises(oi.IndexInputError, match="权重全为零"):
        oi.build_index(scores, {k: 0.0 for k in oi.INDICATORS})
    with pytest.raises(oi.IndexInputError, match="权重不能为负数或缺失：城镇化率"):
        oi.build_index(scores, {"education_pc": 1.0, "urbanisation": -1.0})
    with pytest.raises(oi.IndexInputError, match="未知指标"):
        oi.build_index(scores, {"hospital_beds": 1.0})


def test_missing_indicator_names_indicator_and_years(scores):
    with pytest.raises(oi.IndexInputError, match="每万人公有单位专业技术人员.*2018—2020年缺少31个省份"):
        oi.build_index(scores, {"professionals_per_10k": 1.0, "urbanisation": 1.0})
    # inside the years the series covers, the same weights work
    fine = oi.build_index(scores, {"professionals_per_10k": 1.0, "urbanisation": 1.0}, years=range(2010, 2018))
    assert set(fine["year"]) == set(range(2010, 2018))
    # one province lacking one year is caught too
    holed = scores.drop(scores.index[(scores["code"] == "630000") & (scores["year"] == 2012)
                                     & (scores["indicator"] == "urbanisation")])
    with pytest.raises(oi.IndexInputError, match="城镇化率”在2012年缺少1个省份"):
        oi.build_index(holed, {"urbanisation": 1.0})


def test_sensitivity_brackets_and_single_indicator_case(scores, recipients):
    table = oi.sensitivity(scores, recipients, 2020)
    default = oi.build_index(scores, oi.DEFAULT_WEIGHTS, years=[2020]).set_index("code")["rank"]
    assert table["default"].tolist() == [int(default[c]) for c in recipients]
    assert (table["p05"] <= table["p95"]).all() and (table["single_best"] <= table["single_worst"]).all()
    ranks = table.drop(columns="province")
    assert ((ranks >= 1) & (ranks <= 31)).all().all()
    only = oi.sensitivity(scores, recipients, 2020, weights={"urbanisation": 1.0})
    urban = oi.build_index(scores, {"urbanisation": 1.0}, years=[2020]).set_index("code")["rank"]
    assert only["single_best"].tolist() == only["single_worst"].tolist() == [int(urban[c]) for c in recipients]


def test_group_paths_have_no_missing_values(services, recipients):
    paths = oi.group_paths(services, recipients)
    assert paths["value"].notna().all()
    others = services[(services["indicator"] == "urbanisation") & (services["year"] == 2012)
                      & ~services["code"].isin(recipients)]["value"]
    row = paths[(paths["indicator"] == "urbanisation") & (paths["year"] == 2012) & (paths["series"] == "others")]
    assert row["value"].iloc[0] == pytest.approx(others.median())
    assert not ((paths["indicator"] == "professionals_per_10k") & (paths["year"] > 2017)).any()


def _set_params(spec: dict, values: dict) -> dict:
    for param in spec["params"]:
        if param["name"] in values:
            param["value"] = values[param["name"]]
    return spec


def _rendered(spec: dict) -> tuple[list[str], list[str]]:
    vl_convert = pytest.importorskip("vl_convert")
    # the book's theme turns Vega's per-mark ARIA labels off (the page names the whole figure); the test
    # reads those labels to see what the browser computed, so it switches them back on
    spec.setdefault("config", {})["aria"] = True
    svg = vl_convert.vegalite_to_svg(spec)
    lines = []  # each drawn line of text: a multi-line text mark is drawn as one <tspan> per line
    for inner in re.findall(r"<text[^>]*>(.*?)</text>", svg, re.DOTALL):
        lines += re.findall(r"<tspan[^>]*>([^<]*)</tspan>", inner) or [inner]
    return re.findall(r'aria-label="([^"]*)"', svg), lines


def test_browser_index_matches_the_package(scores, recipients):
    """The Vega expressions of the chart give the same ranks as build_index (default weights)."""
    spec = charts.index_builder_chart(scores, recipients).to_dict()
    labels, texts = _rendered(spec)
    index = oi.build_index(scores, oi.DEFAULT_WEIGHTS)
    for code in recipients:
        for year in (2010, 2020):
            row = index[(index["code"] == code) & (index["year"] == year)].iloc[0]
            expected = f"年份: {year}; 排名（1为最高）: {row['rank']}; 受援省: {row['province']}"
            assert any(label.startswith(expected) for label in labels), expected
    assert any("人均教育支出 0.20" in text for text in texts)


def test_browser_index_reports_zero_weights_and_missing_years(scores, recipients):
    spec = charts.index_builder_chart(scores, recipients).to_dict()
    off = {p["name"]: False for p in spec["params"] if p["name"].startswith("oi_use_")}
    labels, texts = _rendered(_set_params(spec, off))
    assert any("权重全为零" in text for text in texts)
    assert not any(label.startswith("年份:") for label in labels)  # nothing ranked, nothing drawn
    staff = list(oi.INDICATORS).index("professionals_per_10k")
    spec = _set_params(charts.index_builder_chart(scores, recipients).to_dict(), {f"oi_use_{staff}": True})
    labels, texts = _rendered(spec)
    assert any("缺少数据" in text for text in texts)  # the message, then the indicator on its own line
    assert any(text.startswith(i18n.t("oi.ind.professionals_per_10k")) and "（2018—2020年，31个省份）" in text
               for text in texts), texts
    drawn = {int(m) for m in re.findall(r"年份: (\d{4}); 排名", " ".join(labels))}
    assert drawn == set(range(2010, 2018))


def test_rank_move_in_words():
    assert oi.rank_move(3, 3, 2010, 2020) == "在 2010 年和 2020 年均居第 3 名"
    assert oi.rank_move(8, 7, 2010, 2020) == "从 2010 年的第 8 名升至 2020 年的第 7 名"
    assert oi.rank_move(5, 9, 2010, 2020) == "从 2010 年的第 5 名降至 2020 年的第 9 名"


def test_browser_status_lists_each_indicator_on_its_own_line_also_when_nothing_is_ticked(scores, recipients):
    """Moving the weight of an unticked indicator changes what the reader sees, ticked or not (one line each)."""
    spec = charts.index_builder_chart(scores, recipients).to_dict()
    off = {p["name"]: False for p in spec["params"] if p["name"].startswith("oi_use_")}
    first = list(oi.INDICATORS)[0]
    _, texts = _rendered(_set_params(spec, {**off, "oi_w_0": 2.5}))
    label = i18n.t(f"oi.ind.{first}")
    assert any("权重全为零" in text for text in texts)
    assert any(text.startswith(label) and "2.5" in text for text in texts), texts
    _, again = _rendered(_set_params(spec, {**off, "oi_w_0": 0.5}))
    assert any(text.startswith(label) and "0.5" in text for text in again)
    _, ticked = _rendered(spec)
    # one text line per indicator plus the heading: nothing runs off the side of the chart
    assert sum(text.startswith(tuple(i18n.t(f"oi.ind.{k}") for k in oi.INDICATORS)) for text in ticked) == len(oi.INDICATORS)
