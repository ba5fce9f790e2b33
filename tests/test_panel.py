"""The provincial panel (data/panel/provinces.csv) and the vintage agreement report, built by
scripts/build_panel.py: shape, published spot values, derived columns, and mutation tests of the build's
validation function."""

import importlib.util
import re

import numpy as np
import pandas as pd
import pytest

from pairing_assistance import data
from conftest import ROOT, shared_path

RAW = "data-raw"  # raw NBS files in ../shared (PROVENANCE.md there), never in the repository
YEARS = list(range(1978, 2021))


def _build_module():
    spec = importlib.util.spec_from_file_location("build_panel", ROOT / "scripts" / "build_panel.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _build_module()


@pytest.fixture(scope="module")
def panel():
    return data.load_table("panel_provinces")


@pytest.fixture(scope="module")
def agreement():
    return data.load_table("panel_vintage_agreement")


def _row(panel, code, year):
    rows = panel[(panel["code"] == code) & (panel["year"] == year)]
    assert len(rows) == 1
    return rows.iloc[0]


# ---------------------------------------------------------------- shape


def test_31_provinces_every_year(panel):
    regions = data.load_table("regions")
    mainland = set(regions.loc[(regions["level"] == "province") & (regions["region_group"] != "other"), "code"])
    assert len(mainland) == 31
    assert sorted(panel["year"].unique()) == YEARS
    for year, group in panel.groupby("year"):
        assert set(group["code"]) == mainland, year
    names = dict(zip(regions["code"], regions["name_zh"]))
    assert (panel["province"] == panel["code"].map(names)).all()


def test_no_duplicated_province_years(panel):
    assert not panel.duplicated(["code", "year"]).any()
    assert len(panel) == 31 * len(YEARS)


# ---------------------------------------------------------------- sources, splice, published values


def test_reference_vintage_from_1992_and_ratio_splice_before(panel):
    early, late = panel[panel["year"] < 1992], panel[panel["year"] >= 1992]
    assert early["gdp_spliced"].all() and (early["gdp_source"] == "compendium_1975_2009").all()
    assert (early["gdp_vintage"] == "compendium").all()
    assert not late["gdp_spliced"].any() and (late["gdp_source"] == "nbs_v2021").all()
    assert (late["gdp_vintage"] == "2021").all()
    # The note of every spliced row reproduces its value: raw compendium value x nbs_v2021[1992] / compendium[1992].
    pattern = r"compendium ([\d.]+) x ([\d.]+) \(= nbs_v2021 1992 ([\d.]+) / compendium 1992 ([\d.]+)\)"
    for row in early.itertuples():
        raw, ratio, new, old = map(float, re.search(pattern, row.note).groups())
        assert ratio == pytest.approx(new / old, abs=5e-7)
        assert row.gdp_100m == pytest.approx(raw * new / old, abs=5e-5), (row.code, row.year)
    # One ratio per province, anchored at 1992: nbs_v2021[1992] / compendium[1992].
    ratios = early.groupby("code")["note"].agg(lambda n: {re.search(r" x ([\d.]+) \(", t).group(1) for t in n})
    assert ratios.map(len).eq(1).all()
    heilongjiang = float(next(iter(ratios["230000"])))
    assert heilongjiang == pytest.approx(857.4 / 964, abs=1e-6)  # the largest revision, about -11 %


def test_tibet_2010_is_the_revised_value_and_the_agreement_reports_the_difference(panel, agreement):
    # PROVENANCE: Tibet 2010 = 507.46 in the 2011 yearbook (v2018 export), 512.9 after the 2018 revision.
    tibet = _row(panel, "540000", 2010)
    assert tibet["gdp_100m"] == 512.9 and tibet["gdp_source"] == "nbs_v2021" and not tibet["gdp_spliced"]
    gap = abs(507.46 / 512.9 - 1)  # about 1.06 %
    row = agreement[(agreement["variable"] == "gdp_100m") & (agreement["vintage_a"] == "nbs_v2018")
                    & (agreement["vintage_b"] == "nbs_v2021") & (agreement["year"] == 2010)]
    assert len(row) == 1 and row.iloc[0]["n_compared"] == 31
    assert row.iloc[0]["max_abs_rel_diff"] >= gap > 0
    # Xinjiang 2010: 5437.47 in the v2018 export; the reference holds the revised 5360.2.
    assert _row(panel, "650000", 2010)["gdp_100m"] == 5360.2
    assert row.iloc[0]["max_abs_rel_diff"] >= abs(5437.47 / 5360.2 - 1)


def test_guizhou_2000_matches_the_published_value(panel):
    # PROVENANCE: Guizhou 2000 = 1029.92 in the v2018 export and the compendium; v2021 has one decimal.
    guizhou = _row(panel, "520000", 2000)
    assert guizhou["gdp_100m"] == 1029.9 and guizhou["gdp_100m"] == pytest.approx(1029.92, abs=0.05)


def test_1978_provincial_total_is_in_the_range_of_the_national_figure(panel):
    # National GDP 1978 = 3645.2 (compendium). The spliced provincial sum is not the national figure (provincial
    # accounts do not add up to it, and Heilongjiang is scaled by 0.889), but a unit error would show here.
    total = panel.loc[panel["year"] == 1978, "gdp_100m"].sum()
    assert 0.9 < total / 3645.2 < 1.1


def test_population_sources_and_heilongjiang_2013(panel, agreement):
    assert (panel.loc[panel["year"] < 2000, "population_source"] == "compendium").all()
    assert (panel.loc[panel["year"] >= 2000, "population_source"] == "nbs_pop_v2021").all()
    # The 3535 typo is in the compendium yearbook file; the panel takes 2013 from nbs_pop_v2021 (no defect),
    # the agreement report uses the corrected 3835 and says so.
    heilongjiang = panel[panel["code"] == "230000"].set_index("year")["population_10k"]
    assert heilongjiang[2013] == 3666 and heilongjiang[2014] < heilongjiang[2013] < heilongjiang[2012]
    assert not panel["population_fixed"].any()
    notes = agreement.loc[(agreement["vintage_a"] == "compendium_yearbook") & (agreement["year"] == 2013), "note"]
    assert len(notes) and notes.str.contains("3535 -> 3835").all()


def test_expenditure_only_2010_to_2020(panel):
    has = panel["expenditure_100m"].notna()
    assert (panel.loc[has, "year"] >= 2010).all() and has.sum() == 31 * 11
    assert (panel.loc[has, "expenditure_source"] == "budget_2010_2023").all()
    assert (panel.loc[~has, "expenditure_source"] == "").all()


# ---------------------------------------------------------------- derived columns


def _aggregate_per_capita(panel):
    sums = panel.groupby("year")[["gdp_100m", "population_10k"]].sum()
    return sums["gdp_100m"] * 1e8 / (sums["population_10k"] * 1e4)


def test_national_aggregate_gdp_per_capita_rises_over_the_long_run(panel):
    aggregate = _aggregate_per_capita(panel)
    five_year_steps = aggregate.loc[1978::5]
    assert five_year_steps.is_monotonic_increasing and len(five_year_steps) == 9
    assert aggregate[2020] > 50 * aggregate[1978]
    assert 300 < aggregate[1978] < 500  # 元 per person: national 1978 ≈ 381


def test_rel_gdp_per_capita_population_weighted_mean_is_one(panel):
    weighted = (panel["rel_gdp_per_capita"] * panel["population_10k"]).groupby(panel["year"]).sum()
    mean = weighted / panel.groupby("year")["population_10k"].sum()
    assert (mean - 1).abs().max() < 1e-9


def test_per_capita_columns_follow_their_definitions(panel):
    per_capita = panel["gdp_100m"] * 1e8 / (panel["population_10k"] * 1e4)
    assert np.allclose(panel["gdp_per_capita"], per_capita, rtol=0, atol=0.0051)
    assert np.allclose(panel["log_gdp_per_capita"], np.log(per_capita), rtol=0, atol=1e-9)
    relative = per_capita / panel["year"].map(_aggregate_per_capita(panel))
    assert np.allclose(panel["rel_gdp_per_capita"], relative, rtol=0, atol=1e-11)


def test_agreement_covers_every_pair_per_year_and_overall(agreement):
    pairs = agreement.groupby(["variable", "vintage_a", "vintage_b"])
    for (variable, a, b), group in pairs:
        overall = group[group["scope"] == "overall"]
        years = group[group["scope"] == "year"]
        assert len(overall) == 1, (a, b)
        assert overall.iloc[0]["n_compared"] == years["n_compared"].sum()
        assert overall.iloc[0]["max_abs_rel_diff"] == pytest.approx(years["max_abs_rel_diff"].max())
        assert (years["median_abs_rel_diff"] <= years["max_abs_rel_diff"]).all()
    gdp = {(a, b) for (v, a, b) in pairs.groups if v == "gdp_100m"}
    assert {("compendium_1975_2009", "nbs_v2021"), ("nbs_v2018", "nbs_v2021"), ("nbs_v2021", "nbs_v2025")} <= gdp
    # The compendium GDP is broken after 2009 (Tibet 2010 = 694.08) and must not be compared there.
    assert agreement.loc[agreement["vintage_a"] == "compendium_1975_2009", "last_year"].max() == 2009


# ---------------------------------------------------------------- validation function (mutation tests)


@pytest.fixture
def raw_panel():
    return pd.read_csv(ROOT / "data" / "panel" / "provinces.csv", dtype={"code": str})


def test_the_committed_panel_passes_validation(raw_panel):
    build.validate_panel(raw_panel)


def _index(frame, code, year):
    return frame.index[(frame["code"] == code) & (frame["year"] == year)][0]


def test_duplicated_province_year_is_named(raw_panel):
    copy = pd.concat([raw_panel, raw_panel.loc[[_index(raw_panel, "540000", 2010)]]], ignore_index=True)
    with pytest.raises(build.BuildError, match=r"provinces\.csv(.|\n)*duplicated province-year 西藏自治区 \(540000\) 2010"):
        build.validate_panel(copy)


@pytest.mark.parametrize("column, code, name, year", [
    ("gdp_100m", "540000", "西藏自治区", 2010),
    ("gdp_100m", "110000", "北京市", 1985),
    ("population_10k", "230000", "黑龙江省", 2013),
    ("expenditure_100m", "440000", "广东省", 2015),
])
def test_unit_jump_of_10000_is_named(raw_panel, column, code, name, year):
    copy = raw_panel.copy()
    index = _index(copy, code, year)
    copy.loc[index, column] = float(copy.loc[index, column]) * 10000
    with pytest.raises(build.BuildError, match=rf"{name} \({code}\) {year}: {column} year-on-year ratio"):
        build.validate_panel(copy)


def test_missing_province_year_and_missing_province_are_named(raw_panel):
    with pytest.raises(build.BuildError, match=r"青海省 \(630000\): year\(s\) missing: 1985"):
        build.validate_panel(raw_panel.drop(index=_index(raw_panel, "630000", 1985)))
    with pytest.raises(build.BuildError, match=r"province 宁夏回族自治区 \(640000\) missing"):
        build.validate_panel(raw_panel[raw_panel["code"] != "640000"])


def test_non_numeric_value_is_named(raw_panel):
    copy = raw_panel.astype({"gdp_100m": object})
    copy.loc[_index(copy, "420000", 2003), "gdp_100m"] = "4757.5亿"
    with pytest.raises(build.BuildError, match=r"湖北省 \(420000\) 2003: gdp_100m '4757.5亿' is not a positive number"):
        build.validate_panel(copy)


def test_documented_jump_is_accepted_only_where_documented(raw_panel):
    # Shanghai's population step in 2000 (registered -> resident) is documented; the same step elsewhere is not.
    assert ("310000", 2000, "population_10k") in build.DOCUMENTED_JUMPS
    copy = raw_panel.copy()
    index = _index(copy, "320000", 2000)  # Jiangsu
    copy.loc[index:index + 20, "population_10k"] = copy.loc[index:index + 20, "population_10k"] * 1.2
    with pytest.raises(build.BuildError, match=r"江苏省 \(320000\) 2000: population_10k"):
        build.validate_panel(copy)


def test_raw_reader_names_file_province_and_year():
    rows = [["Region", "2000", "2001"], ["Tibet", "258", "264"], ["Tibet", "258", "264"]]
    frame = build.long_from_region_rows(rows, "some-folder/file.csv", (2000, 2001))
    with pytest.raises(build.BuildError, match=r"some-folder/file\.csv(.|\n)*duplicated province-year 西藏自治区 \(540000\) 2000"):
        build.check_keys(frame, "some-folder/file.csv", ["540000"], range(2000, 2002))
    with pytest.raises(build.BuildError, match=r"file\.csv: 西藏自治区 \(540000\) 2001: value '2 64' is not numeric"):
        build.long_from_region_rows([["Region", "2001"], ["Tibet", "2 64"]], "file.csv", (2000, 2001))
    with pytest.raises(build.BuildError, match=r"file\.csv.*'Xizang Province'.*neither in data/places\.csv nor in"):
        build.long_from_region_rows([["Region", "2001"], ["Xizang Province", "264"]], "file.csv", (2000, 2001))
    assert build.code_of("Xizang", "x") == build.code_of("Tibet", "x") == build.code_of("西藏", "x") == "540000"


def test_build_fails_loudly_without_raw_folder(tmp_path, capsys):
    assert build.main(["--raw", str(tmp_path / "absent"), "--out-dir", str(tmp_path / "out")]) == 1
    assert "FAILED" in capsys.readouterr().err and not (tmp_path / "out").exists()


@pytest.mark.needs_shared(RAW)
def test_build_reproduces_the_committed_files(tmp_path):
    assert build.main(["--raw", str(shared_path(RAW)), "--out-dir", str(tmp_path)]) == 0
    for name in ("provinces.csv", "vintage_agreement.csv"):
        assert (tmp_path / name).read_bytes() == (ROOT / "data" / "panel" / name).read_bytes(), name
