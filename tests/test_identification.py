"""Issue 12: estimators side by side, identification checks, evidence types, real GDP."""

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pairing_assistance import data
from pairing_assistance.charts import estimates as est_charts
from pairing_assistance.charts import evidence
from pairing_assistance.estimate import estimators as E
from pairing_assistance.estimate import identification as ident
from pairing_assistance.estimate import specs
from pairing_assistance.i18n import t

from conftest import shared_path

ROOT = Path(__file__).resolve().parent.parent
# California Proposition 99 (Abadie, Diamond and Hainmueller 2010), copied from the synthdid R package
# (synth-inference/synthdid, data/california_prop99.csv, BSD-3-Clause), sha256 below.
PROP99 = ROOT / "tests" / "fixtures" / "california_prop99.csv"
PROP99_SHA256 = "550d24c2f743507d097692d181bdbbf36c6168a39a0b6fc831cc89d98082f7de"


@pytest.fixture(scope="module")
def prop99():
    import hashlib

    assert hashlib.sha256(PROP99.read_bytes()).hexdigest() == PROP99_SHA256
    frame = pd.read_csv(PROP99, sep=";").pivot(index="Year", columns="State", values="PacksPerCapita")
    donors = [c for c in frame.columns if c != "California"]
    return frame["California"].to_numpy(), frame[donors].to_numpy(), int((frame.index < 1989).sum())


def test_sdid_sc_did_reproduce_the_published_prop99_estimates(prop99):
    # Arkhangelsky, Athey, Hirshberg, Imbens and Wager (2021), Table 1: SDID -15.6, SC -19.6, DID -27.3
    y, X, t0 = prop99
    assert E.sdid(y, X, t0).estimate == pytest.approx(-15.6, abs=0.05)
    assert E.did(y, X, t0).estimate == pytest.approx(-27.3, abs=0.06)
    assert E.sc(y, X, t0).estimate == pytest.approx(-19.6, abs=0.15)  # their SC adds a tiny ridge penalty


def test_augsynth_comes_from_pysyncon_and_lies_between_sc_and_sdid_on_prop99(prop99):
    y, X, t0 = prop99
    fit = E.augsynth(y, X, t0)
    assert abs(fit.weights.sum() - 1) < 1e-6  # ridge adjustment keeps the adding-up constraint
    assert -20 < fit.estimate < -14


def test_demeaned_sc_ignores_a_constant_level_gap_and_sc_does_not(prop99):
    y, X, t0 = prop99
    shifted = y + 40.0
    assert E.demeaned(shifted, X, t0).estimate == pytest.approx(E.demeaned(y, X, t0).estimate, abs=1e-6)
    assert abs(E.sc(shifted, X, t0).estimate - E.sc(y, X, t0).estimate) > 1


def test_trend_adjusted_did_recovers_a_step_on_top_of_a_diverging_trend():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 6)).cumsum(axis=0)
    y = X.mean(axis=1) + 0.3 * np.arange(20) + np.where(np.arange(20) >= 12, 2.0, 0.0)
    assert E.did_trend(y, X, 12).estimate == pytest.approx(2.0, abs=1e-9)
    assert abs(E.did(y, X, 12).estimate - 2.0) > 1  # plain DID is biased by the trend


def test_detectable_effect_and_p_value_from_a_placebo_table():
    table = pd.DataFrame({"code": list("abcdefghij"), "treated": [True] + [False] * 9,
                          "estimate": [0.5, 0.9, -0.8, 0.1, 0.2, 0.3, -0.4, 0.05, 0.6, -0.7],
                          "pre_rmspe": 1.0, "ratio": 1.0})
    assert E.p_value(table, "abs") == pytest.approx(5 / 10)  # 0.9, 0.8, 0.7, 0.6 and itself
    assert E.detectable_effect(table, 0.10) == pytest.approx(0.9)  # 9 placebos: must beat all of them
    assert E.detectable_effect(table, 0.20) == pytest.approx(0.8)  # may tie or lose to one
    assert np.isnan(E.detectable_effect(table, 0.05))  # 1/10 > 0.05: unreachable at any size


def test_too_small_donor_pool_and_missing_values_raise_named_errors():
    wide = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [1.0, 2, 3, 5]}, index=[2000, 2001, 2002, 2003])
    with pytest.raises(ValueError, match="donor pool has 1 province"):
        E.placebo_table(wide, "a", ["b"], 2002, "sc")
    wide["c"] = [1.0, np.nan, 3, 4]
    with pytest.raises(ValueError, match="no value for province c in 2001"):
        E.placebo_table(wide, "a", ["b", "c"], 2002, "sc")


def test_placebo_refits_in_worker_processes_give_the_serial_table(monkeypatch):
    """sc_cv's placebo refits run in worker processes; the table is the same, row for row, as one process's."""
    panel, pairings, regions = (data.load_table(n) for n in ("panel_provinces", "pairings", "regions"))
    case = specs.CASES[1]
    donors = specs.donor_pools(case, pairings, regions, panel["code"].unique())["non_donor"][:8]
    codes = [case.treated, *donors]
    wide = panel.pivot(index="year", columns="code", values="log_gdp_per_capita").loc[1995:2015, codes]
    wide.columns = wide.columns.astype(str)
    monkeypatch.setenv("PAIRING_WORKERS", "1")
    serial = E.placebo_table(wide, str(case.treated), [str(d) for d in donors], 2010, "sc_cv")
    monkeypatch.setenv("PAIRING_WORKERS", "2")
    assert E._workers() == 2
    parallel = E.placebo_table(wide, str(case.treated), [str(d) for d in donors], 2010, "sc_cv")
    pd.testing.assert_frame_equal(serial, parallel, check_exact=True)
    assert len(parallel) == 9 and parallel["treated"].tolist() == [True] + [False] * 8


def test_precomputed_results_match_a_fresh_computation():
    results = data.load_table("panel_ch5_results")
    panel, pairings, regions = (data.load_table(n) for n in ("panel_provinces", "pairings", "regions"))
    donors = specs.donor_pools(specs.CASES[0], pairings, regions, panel["code"].unique())["non_donor"]
    for estimator in ("sc", "sdid", "did_trend"):
        fresh = ident.run(panel, "540000", donors, 1994, "log_gdp_per_capita", 1978, 2003, estimator)
        stored = results.query("analysis == 'main' and case == 'tibet_1994' and outcome == 'log_gdp_per_capita' "
                               "and estimator == @estimator").iloc[0]
        for column in ("estimate", "pre_rmspe", "p_value", "detectable"):
            assert stored[column] == pytest.approx(fresh[column], rel=1e-6, abs=1e-9), (estimator, column)


def test_every_estimator_and_analysis_has_a_chinese_label_and_the_chart_builds():
    results = data.load_table("panel_ch5_results")
    for code in set(results["estimator"]):
        assert t(f"estimator.{code}")
    for code in set(results["analysis"]):
        assert t(f"analysis.{code}")
    spec = est_charts.estimator_comparison_chart(results).to_dict()
    assert len(spec["layer"][2]["data"]["values"] if "values" in spec["layer"][2].get("data", {}) else spec["datasets"]) > 0
    table = ident.comparison_table(results)
    assert not table.isna().all(axis=None) and t("col.estimator") in table.index.names


def test_shown_refuses_missing_numbers_and_prints_a_true_minus():
    assert repr(ident.Shown(-0.1234)) == "−0.123"
    with pytest.raises(ValueError):
        ident.Shown(float("nan"))


def test_aid_scale_rejects_a_figure_that_is_not_funds():
    panel, aid = data.load_table("panel_provinces"), data.load_table("aid_figures")
    with pytest.raises(ValueError, match="A002"):
        ident.aid_scale(panel, aid, "A002", "540000")
    scale = ident.aid_scale(panel, aid, "A004", "540000")
    assert 0 < scale["share_gdp"] < 1


def test_findings_evidence_types_follow_the_recheck():
    findings = evidence.check_findings(data.load_table("findings"))
    by_id = findings.set_index("finding_id")
    for fid in ["F15", "F16", "F21", "F22", "F29", "F30"]:
        assert by_id.loc[fid, "evidence_type"] == "normative" and by_id.loc[fid, "direction"] == ""
    assert by_id.loc["F07", "evidence_type"] != "quantitative_empirical"
    assert by_id["recheck_note"].str.match("^(改|未改)：").all()
    for code in evidence.EVIDENCE_TYPES:
        assert t(f"evidence_type.{code}") and t(f"evidence_type.{code}", "en")


def test_direction_on_a_normative_statement_is_an_error():
    findings = data.load_table("findings").copy()
    findings.loc[findings["finding_id"] == "F15", "direction"] = "positive"
    with pytest.raises(ValueError, match="F15.*direction"):
        evidence.check_findings(findings)


def test_real_gdp_chains_the_index_and_stops_where_it_is_missing():
    real = data.load_table("panel_real_gdp")
    xinjiang = real[real["code"].astype(str) == "650000"].set_index("year")
    ratio = xinjiang.loc[2006, "real_gdp_100m_2005"] / xinjiang.loc[2005, "real_gdp_100m_2005"]
    assert ratio == pytest.approx(xinjiang.loc[2006, "gdp_index_prev100"] / 100, rel=1e-8)
    beijing = real[real["code"].astype(str) == "110000"].set_index("year")
    assert beijing.loc[2015:, "real_gdp_100m_2005"].isna().all() and beijing.loc[2015, "note"]


@pytest.mark.needs_shared("data-raw")
def test_build_panel_rewrites_real_gdp_and_services_exactly(tmp_path):
    spec = importlib.util.spec_from_file_location("build_panel", ROOT / "scripts" / "build_panel.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--raw", str(shared_path("data-raw")), "--out-dir", str(tmp_path)]) == 0
    for name in ("real_gdp.csv", "public_services.csv"):
        assert (tmp_path / name).read_bytes() == (ROOT / "data" / "panel" / name).read_bytes(), name
