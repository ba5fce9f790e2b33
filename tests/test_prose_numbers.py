"""Numbers glued into chapter 5's prose: computed from the tables shown, claims checked against the data."""

from __future__ import annotations

import pandas as pd
import pytest

from pairing_assistance.estimate import prose
from pairing_assistance.estimate.identification import Shown, Words


def test_year_lists_join_runs():
    assert repr(prose.year_list([1985, 1981, 1982])) == "1981—1982年和1985年"
    assert repr(prose.year_list([2003, 2004, 2005])) == "2003—2005年"
    assert repr(prose.year_list([1990])) == "1990年"
    assert repr(prose.year_list([1978, 1980, 1990, 1991])) == "1978年、1980年和1990—1991年"


def test_glued_values_paste_without_quotes_and_refuse_missing():
    assert repr(Shown(-0.1178)) == "−0.118" and repr(Shown(14, "d")) == "14"
    assert repr(Words("山西省 0.70")) == "山西省 0.70"
    with pytest.raises(ValueError, match="missing number"):
        Shown(float("nan"))


def _grid(estimates: list[float]) -> pd.DataFrame:
    rows = []
    values = iter(estimates)
    for case in ("tibet_1994", "xinjiang_2010"):
        for pool in ("non_donor", "west"):
            for pre_start in ((1978, 1985) if case == "tibet_1994" else (1992, 2000)):
                for post_years in (5, 10):
                    for estimator in ("synth", "did"):
                        rows.append({"case": case, "outcome": "rel_gdp_per_capita", "donor_pool": pool,
                                     "pre_start": pre_start, "post_years": post_years, "estimator": estimator,
                                     "estimate": next(values), "p_value": 0.05 if estimator == "did" else 0.5,
                                     "n_donors": 12 if pool == "non_donor" else 9})
    return pd.DataFrame(rows)


def test_grid_numbers_count_ranges_and_pairs():
    estimates = [-0.1 - 0.01 * i for i in range(32)]
    numbers = prose.grid_numbers(_grid(estimates))
    assert repr(numbers["g_grid_n"]) == "32" and repr(numbers["g_grid_negative"]) == "32"
    # in each (synth, did) pair the did estimate comes second, so it is 0.01 more negative
    assert repr(numbers["g_grid_pairs"]) == "16" and repr(numbers["g_grid_pairs_did_lower"]) == "16"
    assert repr(numbers["g_grid_xz_synth_max"]) == "−0.100"
    assert repr(numbers["g_grid_xz_did_share_p"]) == "100" and repr(numbers["g_grid_synth_n_sig"]) == "0"
    assert repr(numbers["g_pool_xz_west"]) == "9" and repr(numbers["g_pool_xz_west_pmin"]) == "0.100"


def test_a_claim_the_data_no_longer_support_stops_the_page():
    estimates = [-0.1] * 31 + [0.02]
    with pytest.raises(ValueError, match="all estimates of the specification grid are negative"):
        prose.grid_numbers(_grid(estimates))


def test_event_numbers_read_the_event_study():
    events = pd.DataFrame({"year": range(1990, 1998), "coef": [0.4, 0.3, 0.1, 0.0, -0.02, 0.01, 0.05, 0.2],
                           "placebo_min": [-0.1] * 8, "placebo_max": [0.2] * 8,
                           "p_value": [0.07, 0.2, 0.5, None, 0.6, 0.9, 0.4, 0.3]})
    numbers = prose.event_numbers(events, 1994, "xz", early_post=2)
    assert repr(numbers["g_ev_xz_pre_max"]) == "0.40" and repr(numbers["g_ev_xz_pmin_years"]) == "1990年"
    assert repr(numbers["g_ev_xz_outside"]) == "1990—1991年"
    assert repr(numbers["g_ev_xz_early_min"]) == "−0.020" and repr(numbers["g_ev_xz_post_top_year"]) == "1997"
    assert repr(numbers["g_ev_xz_post_pmin"]) == "0.30"
    events.loc[1, "coef"] = -0.3  # a negative pre-period coefficient breaks the prose's "all positive"
    with pytest.raises(ValueError, match="pre-period coefficient"):
        prose.event_numbers(events, 1994, "xz", early_post=2)


def test_pool_bounds_give_the_floor_of_the_placebo_p_value():
    numbers = prose.grid_numbers(_grid([-0.1] * 32))
    assert repr(numbers["g_pool_min"]) == "9" and repr(numbers["g_pool_max"]) == "12"
    assert repr(numbers["g_pool_floor_low"]) == "0.077" and repr(numbers["g_pool_floor_high"]) == "0.100"
    big = _grid([-0.1] * 32).assign(n_donors=19)  # 20 units: the floor 0.05 reaches the 5% level
    with pytest.raises(ValueError, match="below the usual 5% level"):
        prose.grid_numbers(big)


def test_settings_are_the_code_constants_and_the_grid_must_be_complete():
    from pairing_assistance.estimate import identification, report, specs

    full = pd.DataFrame({"case": ["x"] * 96})
    summary = pd.DataFrame({"treatment_year": [1994, 2010], "post_end": [2003, 2019]})
    numbers = prose.setting_numbers(full, summary)
    assert repr(numbers["s_alpha"]) == f"{identification.ALPHA:.2f}"
    assert repr(numbers["s_alpha_pct"]) == f"{100 * identification.ALPHA:.0f}"
    assert repr(numbers["s_post_short"]) == str(min(specs.POST_YEARS))
    assert repr(numbers["s_post_long"]) == str(max(specs.POST_YEARS))
    assert repr(numbers["s_fit_limit"]) == f"{report.PLACEBO_FIT_LIMIT:.0f}"
    assert repr(numbers["s_dim_pools"]) == str(len(specs.DONOR_POOLS)) and repr(numbers["s_grid_size"]) == "96"
    with pytest.raises(ValueError, match="specifications of the grid are feasible"):
        prose.setting_numbers(full.iloc[:72], summary)
    with pytest.raises(ValueError, match="years after"):
        prose.setting_numbers(full, summary.assign(post_end=[1998, 2014]))


def test_covid_numbers_count_the_current_list_not_the_superseded_one():
    rows = [("a", "x", "ended"), ("b", "x", "ended"), ("c", "y", "ended"), ("c", "z", "ended"), ("d", "w", "ended"),
            ("e", "v", "superseded"), ("f", "u", "superseded")]
    pairings = pd.DataFrame(rows, columns=["donor_code", "recipient_code", "status"]).assign(programme_id="covid_hubei_2020")
    numbers = prose.covid_numbers(pairings)
    assert {k: repr(v) for k, v in numbers.items()} == {"cv_donors": "4", "cv_places": "4", "cv_two_donors": "1",
                                                        "cv_multi_places": "2", "cv_alone": "1"}
    with pytest.raises(ValueError, match="no current rows"):
        prose.covid_numbers(pairings[pairings["status"] == "superseded"])


def test_exercise_speed_follows_from_beta_and_period_by_the_formula():
    import math

    from pairing_assistance import data
    from pairing_assistance.estimate import convergence

    panel = data.load_table("panel_provinces")
    sigma = convergence.sigma(panel)
    beta = convergence.beta_by_period(panel, [(1978, 1994), (1994, 2010), (2010, 2020)])
    numbers = prose.convergence_numbers(sigma, convergence.sigma(panel, weight="population_10k"), sigma, beta,
                                        convergence.theil(panel))
    T, one_bt = numbers["c_T_2010"].value, numbers["c_1bt_2010"].value
    assert T == 10 and one_bt == pytest.approx(1 + numbers["c_b_2010"].value * T)
    assert numbers["c_speed_2010"].value == pytest.approx(-math.log(one_bt) / T)
    assert numbers["c_hl_2010"].value == pytest.approx(math.log(2) / numbers["c_speed_2010"].value)
