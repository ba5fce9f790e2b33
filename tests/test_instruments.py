"""Chapter 4 and 6 measures and the new data tables (funding rules, policy basis, international cases)."""

import pandas as pd
import pytest

from pairing_assistance import data, instruments, problems_measured as pm


@pytest.fixture(scope="module")
def tables():
    names = ["aid_figures", "pairings", "regions", "panel_provinces", "fiscal_2019", "programmes", "funding_rules",
             "policy_basis", "international"]
    return {n: data.load_table(n) for n in names}


def test_new_tables_have_sources_and_no_links_outside_official_hosts(tables):
    for name in ("funding_rules", "policy_basis", "international"):
        table = tables[name]
        assert (table["source_title"].str.len() > 0).all(), name
        if "source_url" in table:
            assert (table["source_url"] == "").all(), f"{name}: only official hosts may be linked; none is here"


def test_funding_rules_match_the_figures_table(tables):
    rule = tables["funding_rules"].set_index("programme_id").loc["wenchuan_2008_june"]
    figure = tables["aid_figures"].set_index("figure_id").loc["A073"]
    assert rule["share_min_pct"] == figure["value"] == 1.0
    assert rule["years"] == 3


def test_scaling_by_hand_for_one_figure(tables):
    scaled = instruments.scaled_figures(tables["aid_figures"], tables["pairings"], tables["regions"],
                                        tables["panel_provinces"], tables["fiscal_2019"]).set_index("figure_id")
    row = tables["aid_figures"].set_index("figure_id").loc["A095"]  # 福建 -> 宁夏, cumulative 1996-2011
    annual = row["value"] / (row["period_end"] - row["period_start"] + 1)
    revenue = tables["fiscal_2019"].set_index("province").loc["福建省", "tax_revenue_100m"]
    assert scaled.loc["A095", "annual"] == pytest.approx(annual)
    assert scaled.loc["A095", "donor_revenue"] == pytest.approx(100 * annual / revenue)
    panel = tables["panel_provinces"]
    gdp = panel[(panel["province"] == "宁夏回族自治区") & panel["year"].between(1996, 2011)]["gdp_100m"].mean()
    assert scaled.loc["A095", "recipient_gdp"] == pytest.approx(100 * annual / gdp)
    # a prefecture recipient gets no per-capita yardstick, with a reason
    assert pd.isna(scaled.loc["A008", "per_capita"]) and "地市" in scaled.loc["A008", "per_capita_why"]


def test_figure_without_year_or_unit_gets_a_message_naming_file_line_and_column(tables):
    aid = tables["aid_figures"].copy()
    aid.loc[3, "period_start"] = pd.NA
    aid.loc[5, "unit"] = ""
    messages = instruments.figure_problems(aid)
    assert any("data/aid_figures.csv 第 5 行" in m and "period_start" in m for m in messages)
    assert any("data/aid_figures.csv 第 7 行" in m and "unit" in m for m in messages)
    scaled = instruments.scaled_figures(aid, tables["pairings"], tables["regions"], tables["panel_provinces"],
                                        tables["fiscal_2019"])
    assert scaled.set_index("figure_id").loc[aid.loc[3, "figure_id"], "why"] != ""


def test_readable_tables_have_chinese_headers_and_no_missing_cells(tables):
    shown = [instruments.funding_rules_table(tables["programmes"], tables["funding_rules"]),
             instruments.instrument_matrix(tables["programmes"], tables["aid_figures"], tables["funding_rules"]),
             pm.stability_table(pm.stability(tables["pairings"], tables["programmes"]))]
    for table in shown:
        assert not table.isna().any().any()
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in str(column)) for column in table.columns)


def test_stability_counts_add_up_and_catch_the_fujian_move(tables):
    table = pm.stability(tables["pairings"], tables["programmes"])
    assert (table["kept"] + table["changed"] + table["dropped"] == table["pairs_before"]).all()
    tibet_2016 = table[(table["programme_id"] == "tibet_1994") & (table["adjustment"] == "2016")].iloc[0]
    assert tibet_2016["changed"] >= 1  # 福建: 林芝 -> 昌都


def test_compare_lists_on_a_toy_example():
    before = pd.DataFrame({"donor_name": ["A", "B", "C"], "recipient_name": ["x", "y", "z"]})
    after = pd.DataFrame({"donor_name": ["A", "D", "E"], "recipient_name": ["x", "y", "w"]})
    assert pm.compare_lists(before, after) == {"pairs_before": 3, "kept": 1, "changed": 1, "dropped": 1, "added": 1}


def test_burden_and_overlap_are_counted_from_active_pairs(tables):
    per_donor = pm.burden(tables["pairings"], tables["regions"], tables["fiscal_2019"], 2020)
    assert (per_donor["recipients"] >= per_donor["programmes"]).all()
    assert -1 <= pm.burden_correlation(per_donor) <= 1
    overlap = pm.overlap(tables["pairings"], tables["regions"], 2020)
    assert overlap["programmes"].max() >= 2


def test_every_yardstick_of_figure_4_2_draws_a_visible_bar_per_figure(tables):
    """The bars sit on a log axis: each figure of each yardstick is drawn with a positive length (a stacked
    bar starts at zero, which a log scale cannot place, and every bar was drawn empty)."""
    import re

    vl_convert = pytest.importorskip("vl_convert")
    from pairing_assistance.charts.instruments import scaled_aid_chart
    from pairing_assistance.i18n import t

    scaled = instruments.scaled_figures(tables["aid_figures"], tables["pairings"], tables["regions"],
                                        tables["panel_provinces"], tables["fiscal_2019"])
    long = instruments.long_scaled(scaled, tables["programmes"])
    spec = scaled_aid_chart(long).to_dict()
    spec.setdefault("config", {})["aria"] = True
    for scale in long["scale"].unique():
        for param in spec["params"]:
            if param["name"] == "scale_pick":
                param["value"] = t(f"ins.scale.{scale}")
        svg = vl_convert.vegalite_to_svg(spec)
        widths = [float(w) for w in re.findall(r'<path aria-label="[^"]*"[^>]*d="M[0-9.\-]+,[0-9.\-]+h([0-9.\-]+)', svg)]
        assert len(widths) == (long["scale"] == scale).sum() and min(widths) > 0, scale
