"""Known-effect, analytic and cross-implementation checks of pairing_assistance.estimate."""

import math

import numpy as np
import pandas as pd
import pytest

from pairing_assistance import data
from pairing_assistance.estimate import convergence, did, specs, synth
from pairing_assistance.models.inequality import theil as theil_index

YEARS = list(range(1978, 2004))
TREATMENT_YEAR = 1994
TRUE_WEIGHTS = {"d0": 0.5, "d1": 0.3, "d2": 0.2}
EFFECT = 0.3

# The provinces of the statistical panel (the 31 of the NBS series) with their region groups from the one place
# table (data/places.csv), for synthetic panels.
_PLACES = data.load_table("places")
_PANEL_CODES = set(data.load_table("panel_provinces")["code"].astype(str))
PROVINCES = dict(_PLACES.loc[(_PLACES["level"] == "province") & _PLACES["code"].isin(_PANEL_CODES),
                             ["code", "region_group"]].itertuples(index=False))


def long_panel(paths: dict[str, np.ndarray], years=YEARS, column: str = "y") -> pd.DataFrame:
    return pd.DataFrame([(code, year, value) for code, path in paths.items() for year, value in zip(years, path)],
                        columns=["code", "year", column])


def convex_panel(noise: float = 0.0, seed: int = 1, n_donors: int = 10, effect: float = EFFECT) -> pd.DataFrame:
    """Donors are random walks; the treated unit is 0.5·d0 + 0.3·d1 + 0.2·d2 (+ noise) + effect from 1994."""
    rng = np.random.default_rng(seed)
    donors = {f"d{j}": np.cumsum(rng.normal(0.05, 0.1, len(YEARS))) + rng.normal(0, 1) for j in range(n_donors)}
    treated = sum(w * donors[c] for c, w in TRUE_WEIGHTS.items()) + rng.normal(0, noise, len(YEARS))
    treated = treated + np.where(np.array(YEARS) >= TREATMENT_YEAR, effect, 0.0)
    return long_panel({**donors, "T": treated})


def donors_of(panel: pd.DataFrame) -> list[str]:
    return sorted(c for c in panel["code"].unique() if c != "T")


def province_panel(seed: int = 0, first: int = 1978, last: int = 2020) -> pd.DataFrame:
    """A synthetic 31-province panel with the columns of data/panel/provinces.csv used here."""
    rng = np.random.default_rng(seed)
    years = np.arange(first, last + 1)
    frames = []
    for code, group in PROVINCES.items():
        log_gdp_pc = rng.normal(6, 0.4) + rng.normal(0.11, 0.015) * (years - first) + np.cumsum(
            rng.normal(0, 0.03, len(years)))
        population = rng.uniform(200, 9000) * 1.01 ** (years - first)
        frames.append(pd.DataFrame({"code": code, "region_group": group, "year": years,
                                    "gdp_per_capita": np.exp(log_gdp_pc), "population_10k": population}))
    panel = pd.concat(frames, ignore_index=True)
    panel["gdp_100m"] = panel["gdp_per_capita"] * panel["population_10k"] * 1e4 / 1e8
    totals = panel.groupby("year")[["gdp_100m", "population_10k"]].sum()
    national = totals["gdp_100m"] * 1e8 / (totals["population_10k"] * 1e4)
    panel["rel_gdp_per_capita"] = panel["gdp_per_capita"] / panel["year"].map(national)
    panel["log_gdp_per_capita"] = np.log(panel["gdp_per_capita"])
    return panel


def toy_tables(all_non_west_donate: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Regions and pairings small enough to state the donor pools by hand; optionally every
    non-western province is a donor to both programmes (pools of real size, 10–11 provinces)."""
    regions = pd.DataFrame({"code": list(PROVINCES), "level": "province", "region_group": list(PROVINCES.values())})
    rows = [("tibet_1994", "110000", "province", "540100", "prefecture"),
            ("tibet_1994", "510000", "province", "540200", "prefecture"),
            ("tibet_1994", "", "university", "", "university"),
            ("xinjiang_2010", "310000", "province", "650100", "prefecture"),
            ("xinjiang_2010", "440300", "prefecture", "653100", "county"),
            ("xinjiang_2010", "320000", "province", "", "xpcc_division")]
    if all_non_west_donate:
        rows += [(programme, code, "province", recipient, "prefecture") for code, group in PROVINCES.items()
                 if group != "west" for programme, recipient in (("tibet_1994", "540100"), ("xinjiang_2010", "650100"))]
    pairings = pd.DataFrame(rows, columns=["programme_id", "donor_code", "donor_level", "recipient_code",
                                           "recipient_level"])
    return regions, pairings


# --- synthetic control -------------------------------------------------------------------------

def test_simplex_weights_recover_an_exact_convex_combination():
    rng = np.random.default_rng(3)
    donors = rng.normal(size=(20, 6))
    truth = np.array([0.1, 0.0, 0.6, 0.0, 0.3, 0.0])
    weights = synth.simplex_weights(donors, donors @ truth)
    assert np.allclose(weights, truth, atol=1e-6)


def test_simplex_weights_stay_on_the_simplex_when_the_treated_unit_is_outside_the_hull():
    rng = np.random.default_rng(4)
    donors = rng.normal(size=(15, 8))
    weights = synth.simplex_weights(donors, donors.max(axis=1) + 1.0)  # above every donor
    assert weights.min() >= 0 and weights.sum() == pytest.approx(1.0, abs=1e-12)


def test_synth_recovers_planted_weights_and_effect():
    panel = convex_panel()
    result = synth.fit(panel, "T", TREATMENT_YEAR, "y", donors_of(panel), pre_start=1978)
    expected = pd.Series(TRUE_WEIGHTS).reindex(result.weights.index, fill_value=0.0)
    assert np.allclose(result.weights, expected, atol=1e-6)
    assert result.pre_rmspe < 1e-8
    post = result.gap[result.gap.index >= TREATMENT_YEAR]
    assert np.allclose(post, EFFECT, atol=1e-6)
    assert result.att == pytest.approx(EFFECT, abs=1e-6)
    assert result.post_rmspe == pytest.approx(EFFECT, abs=1e-6)
    assert list(result.gap.index) == YEARS


def test_synth_is_deterministic():
    panel = convex_panel(noise=0.05)
    first = synth.fit(panel, "T", TREATMENT_YEAR, "y", donors_of(panel), 1978)
    second = synth.fit(panel.sample(frac=1.0, random_state=7), "T", TREATMENT_YEAR, "y", donors_of(panel), 1978)
    pd.testing.assert_series_equal(first.weights, second.weights)
    pd.testing.assert_series_equal(first.gap, second.gap)


def test_synth_refuses_missing_values():
    panel = convex_panel()
    panel = panel[~((panel["code"] == "d3") & (panel["year"] == 1990))]
    with pytest.raises(ValueError, match="d3 in 1990"):
        synth.fit(panel, "T", TREATMENT_YEAR, "y", donors_of(panel), 1978)


def test_placebo_p_value_is_minimal_for_a_large_effect_and_bounded_for_none():
    strong = convex_panel(noise=0.02)
    test = synth.placebos(strong, "T", TREATMENT_YEAR, "y", donors_of(strong), 1978, post_end=2003)
    n_units = len(donors_of(strong)) + 1
    assert len(test.table) == n_units and test.table["treated"].sum() == 1
    assert test.p_value == pytest.approx(1 / n_units)
    assert test.fit.att == pytest.approx(test.table["att"].iloc[0])
    for seed in range(3):
        null = convex_panel(noise=0.05, seed=seed, effect=0.0)
        p = synth.placebos(null, "T", TREATMENT_YEAR, "y", donors_of(null), 1978).p_value
        assert 1 / n_units <= p <= 1


def test_permutation_p_value_counts_the_treated_unit_and_ties():
    assert synth.permutation_p_value(np.array([5.0, 1.0, 2.0, 3.0])) == pytest.approx(0.25)
    assert synth.permutation_p_value(np.array([1.0, 1.0, 2.0, 0.5])) == pytest.approx(0.75)
    assert synth.permutation_p_value(np.array([np.inf, np.inf, 1.0])) == pytest.approx(2 / 3)


def test_leave_one_out_drops_only_donors_with_weight():
    panel = convex_panel(noise=0.02)
    result = synth.leave_one_out(panel, "T", TREATMENT_YEAR, "y", donors_of(panel), 1978)
    positive = set(result.full.weights[result.full.weights > synth.WEIGHT_TOLERANCE].index)
    assert set(result.fits) == positive and {"d0", "d1", "d2"} <= positive
    for dropped, fit in result.fits.items():
        assert dropped not in fit.weights.index
        assert fit.pre_rmspe >= result.full.pre_rmspe - 1e-12  # fewer donors never fit better
    assert list(result.summary.columns) == ["dropped", "weight_in_full", "att", "pre_rmspe", "post_rmspe"]


def _pysyncon_problem(panel: pd.DataFrame):
    from pysyncon import Dataprep

    pre = range(1978, TREATMENT_YEAR)
    return Dataprep(foo=panel, predictors=[], predictors_op="mean", dependent="y", unit_variable="code",
                    time_variable="year", treatment_identifier="T", controls_identifier=donors_of(panel),
                    time_predictors_prior=pre, time_optimize_ssr=pre,
                    special_predictors=[("y", [year], "mean") for year in pre])


def _pysyncon_gap(model, dataprep) -> pd.Series:
    z0, z1 = dataprep.make_outcome_mats(time_period=YEARS)
    return z1 - z0.to_numpy() @ model.W


def test_weights_and_gaps_agree_with_pysyncon():
    from pysyncon import Synth

    panel = convex_panel(noise=0.05)
    ours = synth.fit(panel, "T", TREATMENT_YEAR, "y", donors_of(panel), 1978)
    dataprep = _pysyncon_problem(panel)
    # The same problem: pysyncon rescales each predictor by its SD; V = SD² undoes that, so it
    # minimises the unweighted pre-period squared error as we do.
    x0, x1 = dataprep.make_covariate_mats()
    variances = (pd.concat([x0, x1], axis=1).std(axis=1) ** 2).to_numpy()
    same = Synth()
    same.fit(dataprep, custom_V=variances)
    gap = _pysyncon_gap(same, dataprep)
    their_rmspe = float(np.sqrt(np.mean(gap[gap.index < TREATMENT_YEAR] ** 2)))
    assert np.allclose(ours.weights.to_numpy(), same.W, atol=0.01)
    assert ours.pre_rmspe <= their_rmspe * (1 + 1e-9)  # our optimiser is at least as good
    assert ours.pre_rmspe == pytest.approx(their_rmspe, rel=0.02)
    assert np.corrcoef(ours.gap.to_numpy(), gap.to_numpy())[0, 1] > 0.99
    # pysyncon's default: predictor weights V found by its nested Nelder-Mead search.
    nested = Synth()
    nested.fit(dataprep)
    gap = _pysyncon_gap(nested, dataprep)
    assert float(np.sqrt(np.mean(gap[gap.index < TREATMENT_YEAR] ** 2))) == pytest.approx(ours.pre_rmspe, rel=0.02)
    assert np.corrcoef(ours.gap.to_numpy(), gap.to_numpy())[0, 1] > 0.99


# --- difference-in-differences ------------------------------------------------------------------

def twfe_panel(effect: float = 0.25, noise: float = 0.01, seed: int = 0, n_controls: int = 9,
               dynamic: bool = False) -> pd.DataFrame:
    """y = unit effect + year effect + effect·treated_post (or effect·(1 + k) at lag k) + noise."""
    rng = np.random.default_rng(seed)
    year_effect = np.cumsum(rng.normal(0.1, 0.05, len(YEARS)))
    codes = ["T"] + [f"c{j}" for j in range(n_controls)]
    paths = {}
    for code in codes:
        path = rng.normal(0, 1) + year_effect + rng.normal(0, noise, len(YEARS))
        if code == "T":
            lag = np.array(YEARS) - TREATMENT_YEAR
            path = path + np.where(lag >= 0, effect * (1 + lag) if dynamic else effect, 0.0)
        paths[code] = path
    return long_panel(paths)


def test_did_recovers_a_known_effect():
    panel = twfe_panel()
    controls = donors_of(panel)
    result = did.fit(panel, "T", TREATMENT_YEAR, "y", controls, 1978)
    assert result.coef == pytest.approx(0.25, abs=0.02)
    assert result.n_obs == len(YEARS) * (len(controls) + 1) and result.n_controls == len(controls)
    # On a balanced panel the TWFE coefficient is the mean post-period parallel-trends gap.
    assert result.coef == pytest.approx(result.gap[result.gap.index >= TREATMENT_YEAR].mean(), abs=1e-10)
    assert result.pre_rmspe < 0.02 and result.se_clustered > 0
    exact = did.fit(twfe_panel(noise=0.0), "T", TREATMENT_YEAR, "y", controls, 1978)
    assert exact.coef == pytest.approx(0.25, abs=1e-10)


def test_did_placebo_p_value_bounds_and_determinism():
    panel = twfe_panel()
    controls = donors_of(panel)
    test = did.placebos(panel, "T", TREATMENT_YEAR, "y", controls, 1978, post_end=2003)
    assert test.p_value == pytest.approx(1 / (len(controls) + 1))
    assert test.fit.coef == pytest.approx(test.table["coef"].iloc[0])
    again = did.placebos(panel, "T", TREATMENT_YEAR, "y", controls, 1978, post_end=2003)
    pd.testing.assert_frame_equal(test.table, again.table)
    for seed in range(3):
        p = did.placebos(twfe_panel(effect=0.0, noise=0.1, seed=seed), "T", TREATMENT_YEAR, "y", controls,
                         1978).p_value
        assert 1 / (len(controls) + 1) <= p <= 1


def test_event_study_recovers_dynamic_effects_with_flat_leads():
    panel = twfe_panel(effect=0.1, noise=0.0, dynamic=True)
    table = did.event_study(panel, "T", TREATMENT_YEAR, "y", donors_of(panel), 1978, post_end=2003)
    table = table.set_index("event_time")
    assert list(table.index) == list(range(1978 - TREATMENT_YEAR, 2004 - TREATMENT_YEAR))
    assert table.loc[-1, "coef"] == 0.0 and math.isnan(table.loc[-1, "p_value"])
    assert np.allclose(table.loc[:-2, "coef"], 0.0, atol=1e-10)
    lags = table.loc[0:]
    assert np.allclose(lags["coef"], 0.1 * (1 + lags.index.to_numpy()), atol=1e-10)
    assert (lags["p_value"] >= 1 / (len(donors_of(panel)) + 1)).all() and (table["year"] == table.index + 1994).all()
    assert (table["placebo_min"] <= table["placebo_max"]).all()


# --- convergence -------------------------------------------------------------------------------

def test_theil_decomposition_adds_up_and_matches_the_model_index():
    panel = province_panel(seed=2, first=2000, last=2004)
    table = convergence.theil(panel)
    assert np.allclose(table["between"] + table["within"], table["total"], rtol=1e-12, atol=1e-15)
    assert (table[["between", "within"]] >= 0).all().all()
    one_year = panel[panel["year"] == 2002]
    assert table.set_index("year").loc[2002, "total"] == pytest.approx(
        theil_index(one_year["gdp_per_capita"], one_year["population_10k"]), rel=1e-12)


def test_theil_is_zero_for_equal_values_and_between_only_when_groups_are_uniform():
    panel = province_panel(first=2000, last=2001)
    equal = panel.assign(gdp_per_capita=5000.0)
    assert np.allclose(convergence.theil(equal)[["total", "between", "within"]], 0.0, atol=1e-15)
    by_group = panel.assign(gdp_per_capita=panel["region_group"].map(
        {"east": 9000.0, "central": 5000.0, "west": 4000.0, "northeast": 6000.0}))
    table = convergence.theil(by_group)
    assert np.allclose(table["within"], 0.0, atol=1e-15)
    assert np.allclose(table["between_share"], 1.0)


def test_sigma_matches_the_population_formula_and_weights():
    panel = pd.DataFrame({"code": ["a", "b", "a", "b"], "year": [2000, 2000, 2001, 2001],
                          "gdp_per_capita": [1.0, math.e ** 2, 1.0, 1.0], "population_10k": [3.0, 1.0, 1.0, 1.0]})
    unweighted = convergence.sigma(panel).set_index("year")["sigma"]
    assert unweighted[2000] == pytest.approx(1.0) and unweighted[2001] == pytest.approx(0.0)
    weighted = convergence.sigma(panel, weight="population_10k").set_index("year")["sigma"]
    assert weighted[2000] == pytest.approx(math.sqrt(0.75 * 0.25) * 2)  # logs 0 and 2 with weights 3:1


def test_beta_convergence_recovers_a_planted_beta():
    rng = np.random.default_rng(5)
    codes = [f"p{i}" for i in range(31)]
    start, end, planted = 1990, 2010, -0.03
    log_initial = rng.normal(7.5, 0.5, len(codes))
    growth = 0.3 + planted * log_initial + rng.normal(0, 0.001, len(codes))
    log_final = log_initial + growth * (end - start)
    panel = pd.DataFrame({"code": codes * 2, "year": [start] * 31 + [end] * 31,
                          "gdp_per_capita": np.exp(np.concatenate([log_initial, log_final]))})
    result = convergence.beta(panel, start, end)
    assert result.beta == pytest.approx(planted, abs=0.002) and result.se < 0.002 and result.n == 31
    speed = -math.log(1 + result.beta * 20) / 20
    assert result.speed == pytest.approx(speed) and result.half_life == pytest.approx(math.log(2) / speed)
    table = convergence.beta_by_period(panel, [(start, end)])
    assert table.loc[0, "beta"] == pytest.approx(result.beta)


def test_beta_without_convergence_has_no_half_life():
    panel = pd.DataFrame({"code": list("abcd") * 2, "year": [2000] * 4 + [2010] * 4,
                          "gdp_per_capita": [1.0, 2.0, 3.0, 4.0, 1.0, 4.0, 9.0, 16.0]})
    result = convergence.beta(panel, 2000, 2010)
    assert result.beta > 0 and math.isnan(result.half_life)


# --- specification grid ------------------------------------------------------------------------

def test_donor_pools_follow_the_pairings_passed_in():
    regions, pairings = toy_tables()
    units = list(PROVINCES)
    tibet, xinjiang = specs.CASES
    pools = specs.donor_pools(tibet, pairings, regions, units)
    assert "110000" not in pools["non_donor"] and "510000" not in pools["non_donor"]
    assert "540000" not in pools["non_donor"] and "650000" in pools["non_donor"]
    assert len(pools["non_donor"]) == 31 - 3
    assert pools["west"] == [c for c in pools["non_donor"] if PROVINCES[c] == "west"]
    assert pools["no_recipients"] == [c for c in pools["non_donor"] if c != "650000"]
    pools = specs.donor_pools(xinjiang, pairings, regions, units)
    assert {"310000", "440000", "650000"}.isdisjoint(pools["non_donor"])  # Shenzhen counts for Guangdong
    assert "320000" not in pools["non_donor"]  # a donor to XPCC divisions is still a donor province
    assert "540000" in pools["non_donor"] and "540000" not in pools["no_recipients"]


def test_grid_covers_every_feasible_specification():
    regions, pairings = toy_tables(all_non_west_donate=True)
    grid = specs.run_grid(province_panel(last=2015), pairings, regions)
    assert list(grid.columns) == specs.COLUMNS
    # Xinjiang's 10-year window (2010–2019) does not fit a panel ending in 2015: 96 − 24 specifications.
    assert len(grid) == 72
    assert not ((grid["case"] == "xinjiang_2010") & (grid["post_years"] == 10)).any()
    assert not grid.duplicated(["case", "outcome", "donor_pool", "pre_start", "post_years", "estimator"]).any()
    assert ((grid["p_value"] >= 1 / (grid["n_donors"] + 1) - 1e-12) & (grid["p_value"] <= 1)).all()
    assert np.allclose(grid["p_value_min"], 1 / (grid["n_donors"] + 1))
    assert grid[["estimate", "pre_rmspe", "post_rmspe"]].notna().all().all()
    n_donors = grid.groupby(["case", "donor_pool"])["n_donors"].unique().map(list).to_dict()
    assert n_donors == {("tibet_1994", "non_donor"): [10], ("tibet_1994", "west"): [10],
                        ("tibet_1994", "no_recipients"): [9], ("xinjiang_2010", "non_donor"): [11],
                        ("xinjiang_2010", "west"): [11], ("xinjiang_2010", "no_recipients"): [10]}


def test_grid_is_deterministic_and_uses_the_real_pairings():
    from pairing_assistance import data

    regions, pairings = data.load_table("regions"), data.load_table("pairings")
    panel = province_panel(seed=3)
    options = dict(outcomes=["log_gdp_per_capita"], post_years=[10])
    first = specs.run_grid(panel, pairings, regions, **options)
    pd.testing.assert_frame_equal(first, specs.run_grid(panel, pairings, regions, **options))
    assert len(first) == 2 * 3 * 2 * 2
    tibet = specs.donor_pools(specs.CASES[0], pairings, regions, list(PROVINCES))
    assert "650000" in tibet["non_donor"] and "650000" not in tibet["no_recipients"]


def test_precomputed_grid_is_what_run_grid_gives_on_the_panel():
    """5.1 reads data/panel/ch5_spec_grid.csv instead of refitting; it must be today's run_grid output."""
    from pairing_assistance import data

    panel, pairings, regions = (data.load_table(n) for n in ("panel_provinces", "pairings", "regions"))
    stored = data.load_table("panel_ch5_spec_grid")
    fresh = specs.run_grid(panel, pairings, regions)
    assert list(stored.columns) == list(fresh.columns) and len(stored) == len(fresh)
    for column in ("estimate", "pre_rmspe", "post_rmspe", "p_value", "p_value_min"):
        assert np.allclose(stored[column].to_numpy(float), fresh[column].to_numpy(float), atol=1e-8), column
    for column in ("case", "outcome", "donor_pool", "estimator", "pre_start", "post_years", "n_donors"):
        assert stored[column].astype(str).tolist() == fresh[column].astype(str).tolist(), column


def test_closed_form_event_study_equals_the_formula_regression():
    from pairing_assistance import data

    panel, pairings, regions = (data.load_table(n) for n in ("panel_provinces", "pairings", "regions"))
    controls = specs.donor_pools(specs.CASES[1], pairings, regions, panel["code"].unique())["non_donor"]
    args = (panel, "650000", 2010, "rel_gdp_per_capita", controls, 1992, 2019)
    regression, closed = did.event_study(*args), did.event_study(*args, formula=False)
    assert np.allclose(regression["coef"], closed["coef"], atol=1e-10)
    assert np.allclose(regression[["placebo_min", "placebo_max"]], closed[["placebo_min", "placebo_max"]], atol=1e-10)
    pd.testing.assert_series_equal(regression["p_value"], closed["p_value"])


def test_fast_placebo_coefficients_equal_the_formula_regression():
    panel = twfe_panel(noise=0.1)
    controls = donors_of(panel)
    test = did.placebos(panel, "T", TREATMENT_YEAR, "y", controls, 1978)
    for fake in controls[:3]:
        others = [c for c in controls if c != fake]
        by_formula = did.fit(panel[panel["code"] != "T"], fake, TREATMENT_YEAR, "y", others, 1978).coef
        assert test.table.set_index("code").loc[fake, "coef"] == pytest.approx(by_formula, abs=1e-10)


def test_gap_paths_report_both_cases_with_placebos():
    from pairing_assistance import data
    from pairing_assistance.estimate import report

    paths, summary = report.gap_paths(data.load_table("panel_provinces"), data.load_table("pairings"),
                                      data.load_table("regions"))
    assert set(summary["case"]) == {"tibet_1994", "xinjiang_2010"} and len(summary) == 4
    assert summary["p_value"].between(1 / 13, 1).all()
    treated = paths[paths["treated"]]
    assert treated.groupby(["case", "outcome"]).size().min() >= 20 and treated["shown"].all()


def test_leave_one_out_table_drops_each_weighted_donor():
    from pairing_assistance import data
    from pairing_assistance.estimate import report

    table = report.leave_one_out_table(data.load_table("panel_provinces"), data.load_table("pairings"),
                                       data.load_table("regions"))
    assert set(table["case"]) == {"tibet_1994", "xinjiang_2010"}
    assert (table["weight_in_full"] > 0).all()
    assert table.groupby("case")["weight_in_full"].sum().between(0.99, 1.0001).all()


def test_closed_form_did_matches_the_statsmodels_formula_on_the_panel():
    from pairing_assistance import data
    from pairing_assistance.estimate import did, specs

    panel, pairings, regions = (data.load_table(n) for n in ("panel_provinces", "pairings", "regions"))
    controls = specs.donor_pools(specs.CASES[0], pairings, regions, panel["code"].unique())["non_donor"]
    args = (panel, "540000", 1994, "rel_gdp_per_capita", controls, 1978, 2003)
    assert did.placebos(*args, formula=False).fit.coef == pytest.approx(did.placebos(*args).fit.coef, rel=1e-9)
