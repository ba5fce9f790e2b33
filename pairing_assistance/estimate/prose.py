"""Numbers and short phrases that the prose of 5.1 pastes (myst-nb glue), computed from the tables the
page shows, so that no number in the text is typed by hand.

Where the prose makes a qualitative claim on top of a number ("all 96 estimates are negative", "every
pre-period coefficient is positive"), ``check`` raises ``ValueError`` naming the claim if the data no
longer support it: the page then fails to build instead of stating something false.
"""

from __future__ import annotations

import pandas as pd

from . import specs
from .identification import ALPHA, Shown, Words

CASE_KEYS = {"tibet_1994": "xz", "xinjiang_2010": "xj"}


def check(condition: bool, claim: str) -> None:
    """Raise ``ValueError`` when a claim the prose makes no longer holds for the data."""
    if not condition:
        raise ValueError(f"5.1 prose claim no longer holds: {claim}")


def year_list(years) -> Words:
    """'1981年、1982年和1985年'; consecutive runs written as '2003—2008年'."""
    years = sorted(int(y) for y in years)
    if not years:
        return Words("无")
    runs, start = [], years[0]
    for previous, current in zip(years, years[1:] + [None]):
        if current != previous + 1:
            runs.append(f"{start}年" if start == previous else f"{start}—{previous}年")
            start = current
    return Words(runs[0] if len(runs) == 1 else "、".join(runs[:-1]) + "和" + runs[-1])


def vintage_numbers(agreement: pd.DataFrame) -> dict:
    """Largest median revision against the 2021 vintage and the two largest single gaps (in %)."""
    gdp = agreement[(agreement["scope"] == "overall") & (agreement["variable"] == "gdp_100m")]
    gdp = gdp[gdp[["vintage_a", "vintage_b"]].eq("nbs_v2021").any(axis=1)]
    out = {"g_vint_median_max": Shown(100 * gdp["median_abs_rel_diff"].max(), ".1f")}
    for key, other in (("v2018", "nbs_v2018"), ("comp", "compendium_1975_2009")):
        row = gdp[gdp[["vintage_a", "vintage_b"]].eq(other).any(axis=1)].iloc[0]
        out[f"g_vint_{key}_province"] = Words(row["max_province"])
        out[f"g_vint_{key}_year"] = Shown(row["max_year"], "d")
        out[f"g_vint_{key}_pct"] = Shown(100 * row["max_abs_rel_diff"], ".0f")
    return out


def synth_numbers(summary: pd.DataFrame, loo: pd.DataFrame) -> dict:
    """Average gaps, pre-fit, placebo p-values and ranks, weights, and the leave-one-out range."""
    out: dict = {}
    check((summary["att"] < 0).all(), "all four synthetic-control average gaps are negative")
    out["g_sc_p_min"] = Shown(summary["p_value"].min(), ".2f")
    out["g_sc_p_max"] = Shown(summary["p_value"].max(), ".2f")
    for case, key in CASE_KEYS.items():
        part = summary[summary["case"] == case].set_index("outcome")
        for outcome, short in (("rel_gdp_per_capita", "rel"), ("log_gdp_per_capita", "log")):
            row = part.loc[outcome]
            out[f"g_{key}_{short}_att"] = Shown(row["att"])
            out[f"g_{key}_{short}_pre"] = Shown(row["pre_rmspe"])
            out[f"g_{key}_{short}_weights"] = Words(row["weights"])
            units = int(row["n_donors"]) + 1
            out[f"g_{key}_{short}_rank"] = Shown(round(row["p_value"] * units), "d")
        donors = int(part.loc["rel_gdp_per_capita", "n_donors"])
        out[f"g_{key}_units"] = Shown(donors + 1, "d")
        out[f"g_{key}_units_donors"] = Shown(donors, "d")
        out[f"g_{key}_pmin"] = Shown(1 / (donors + 1))
        out[f"g_{key}_rel_pct"] = Shown(100 * abs(part.loc["rel_gdp_per_capita", "att"]), ".0f")
        drops = loo[loo["case"] == case]
        out[f"g_loo_{key}_min"] = Shown(drops["att"].min())
        out[f"g_loo_{key}_max"] = Shown(drops["att"].max())
        check(bool((drops["att"] < 0).all()), f"every leave-one-out gap of {case} stays negative")
        top = drops.loc[drops["weight_in_full"].idxmax()]
        out[f"g_loo_{key}_top"] = Words(top["dropped"])
        out[f"g_loo_{key}_top_w"] = Shown(top["weight_in_full"], ".2f")
        out[f"g_loo_{key}_top_att"] = Shown(top["att"])
        out[f"g_loo_{key}_top_pre"] = Shown(top["pre_rmspe"])
    return out


def hull_numbers(actual: pd.Series, synthetic: pd.Series, donors: pd.DataFrame, shown_years, treatment_year: int) -> dict:
    """Xizang against the convex hull of its donors before treatment (relative GDP per capita)."""
    actual = actual[actual.index < treatment_year]
    top = donors.max(axis=1).reindex(actual.index)
    peak_year = int(actual.idxmax())
    above = actual[actual > top].index
    over = [y for y in shown_years if y < treatment_year and synthetic[y] > actual[y]]
    check(len(above) > 0, "Xizang lies above every donor in some pre-period year")
    return {"g_hull_peak_year": Shown(peak_year, "d"), "g_hull_peak": Shown(actual[peak_year]),
            "g_hull_above": year_list(above), "g_hull_last_year": Shown(treatment_year - 1, "d"),
            "g_hull_last": Shown(actual[treatment_year - 1]), "g_hull_synth_over": year_list(over),
            "g_hull_first_year": Shown(int(actual.index.min()), "d")}


def event_numbers(events: pd.DataFrame, treatment_year: int, key: str, early_post: int = 4) -> dict:
    """Pre-period coefficients (range, years at the smallest p-value), post-period range and smallest p."""
    pre = events[(events["year"] < treatment_year - 1)]
    post = events[events["year"] >= treatment_year]
    smallest = pre["p_value"].min()
    out = {f"g_ev_{key}_pre_min": Shown(pre["coef"].min(), ".2f"), f"g_ev_{key}_pre_max": Shown(pre["coef"].max(), ".2f"),
           f"g_ev_{key}_pmin": Shown(smallest), f"g_ev_{key}_pmin_years": year_list(pre.loc[pre["p_value"] == smallest, "year"]),
           f"g_ev_{key}_first_year": Shown(events["year"].min(), "d"),
           f"g_ev_{key}_first_coef": Shown(events.loc[events["year"].idxmin(), "coef"]),
           f"g_ev_{key}_post_min": Shown(post["coef"].min()), f"g_ev_{key}_post_max": Shown(post["coef"].max()),
           f"g_ev_{key}_post_pmin": Shown(post["p_value"].min(), ".2f"),
           f"g_ev_{key}_base": Shown(treatment_year - 1, "d"), f"g_ev_{key}_last_pre": Shown(treatment_year - 2, "d")}
    outside = pre[(pre["coef"] > pre["placebo_max"]) | (pre["coef"] < pre["placebo_min"])]
    out[f"g_ev_{key}_outside"] = year_list(outside["year"])
    early = post.nsmallest(early_post, "year")
    out[f"g_ev_{key}_early_first"] = Shown(early["year"].min(), "d")
    out[f"g_ev_{key}_early_last"] = Shown(early["year"].max(), "d")
    out[f"g_ev_{key}_early_min"] = Shown(early["coef"].min())
    out[f"g_ev_{key}_early_max"] = Shown(early["coef"].max())
    out[f"g_ev_{key}_early_abs"] = Shown(early["coef"].abs().max(), ".3f")
    before = events[events["year"] < treatment_year]  # with the reference year (coefficient 0)
    out[f"g_ev_{key}_pre_n"] = Shown(len(before), "d")
    out[f"g_ev_{key}_pre_sum"] = Shown(before["coef"].sum(), ".2f")
    out[f"g_ev_{key}_pre_mean"] = Shown(before["coef"].mean())
    out[f"g_ev_{key}_post_n"] = Shown(len(post), "d")
    out[f"g_ev_{key}_post_sum"] = Shown(post["coef"].sum(), ".3f")
    out[f"g_ev_{key}_post_mean"] = Shown(post["coef"].mean())
    out[f"g_ev_{key}_did"] = Shown(post["coef"].mean() - before["coef"].mean())
    top = post.loc[post["coef"].idxmax()]
    out[f"g_ev_{key}_post_top_year"] = Shown(top["year"], "d")
    if key == "xz":
        check((pre["coef"] > 0).all(), "every pre-period coefficient of Xizang's event study is positive")
    return out


def grid_numbers(grid: pd.DataFrame) -> dict:
    """The specification grid: counts, ranges by case and method, the choices that move it, significance."""
    out: dict = {"g_grid_n": Shown(len(grid), "d"), "g_grid_negative": Shown(int((grid["estimate"] < 0).sum()), "d")}
    check(bool((grid["estimate"] < 0).all()), "all estimates of the specification grid are negative")
    per_panel = grid.groupby(["case", "outcome"]).size()
    out["g_grid_per_panel"] = Shown(int(per_panel.iloc[0]), "d")
    relative = grid[grid["outcome"] == "rel_gdp_per_capita"]
    out["g_grid_rel_n"] = Shown(len(relative), "d")
    for case, key in CASE_KEYS.items():
        for method in ("synth", "did"):
            part = grid[(grid["case"] == case) & (grid["estimator"] == method)]
            out[f"g_grid_{key}_{method}_min"] = Shown(part["estimate"].min())
            out[f"g_grid_{key}_{method}_max"] = Shown(part["estimate"].max())
            out[f"g_grid_{key}_{method}_share_p"] = Shown(100 * (part["p_value"] <= 0.10).mean(), ".0f")
            out[f"g_grid_{key}_{method}_min_p"] = Shown(part["p_value"].min())
    for (case, pool), n in grid.groupby(["case", "donor_pool"])["n_donors"].max().items():
        out[f"g_pool_{CASE_KEYS[case]}_{pool}"] = Shown(int(n), "d")
        out[f"g_pool_{CASE_KEYS[case]}_{pool}_units"] = Shown(int(n) + 1, "d")
        out[f"g_pool_{CASE_KEYS[case]}_{pool}_pmin"] = Shown(1 / (int(n) + 1))
    pools = grid.groupby(["case", "donor_pool"])["n_donors"].max()
    out["g_pool_min"], out["g_pool_max"] = Shown(int(pools.min()), "d"), Shown(int(pools.max()), "d")
    # the floor of the placebo p-value, 1/(J+1), at the largest and the smallest pool
    out["g_pool_floor_low"], out["g_pool_floor_high"] = Shown(1 / (pools.max() + 1)), Shown(1 / (pools.min() + 1))
    check(1 / (pools.max() + 1) > 0.05, "no specification can reach a placebo p-value below the usual 5% level")
    out["g_grid_synth_n_sig"] = Shown(int(((grid["estimator"] == "synth") & (grid["p_value"] <= 0.10)).sum()), "d")
    check(out["g_grid_synth_n_sig"].value == 0, "no synthetic-control specification of the grid reaches p <= 0.10")
    out["g_grid_synth_n"] = Shown(int((grid["estimator"] == "synth").sum()), "d")

    def pick(case, outcome, pool, pre_start, post_years, method):
        row = grid[(grid["case"] == case) & (grid["outcome"] == outcome) & (grid["donor_pool"] == pool)
                   & (grid["pre_start"] == pre_start) & (grid["post_years"] == post_years) & (grid["estimator"] == method)]
        return float(row["estimate"].iloc[0])

    rel, long = "rel_gdp_per_capita", max(specs.POST_YEARS)
    out["g_grid_xz_did_1978"] = Shown(pick("tibet_1994", rel, "non_donor", 1978, long, "did"))
    out["g_grid_xz_did_1985"] = Shown(pick("tibet_1994", rel, "non_donor", 1985, long, "did"))
    out["g_grid_xz_sc_west_1985"] = Shown(pick("tibet_1994", rel, "west", 1985, long, "synth"))
    for pool in ("non_donor", "west"):
        part = relative[(relative["case"] == "xinjiang_2010") & (relative["donor_pool"] == pool)
                        & (relative["estimator"] == "synth")]
        out[f"g_grid_xj_sc_{pool}_hi"] = Shown(part["estimate"].max())
        out[f"g_grid_xj_sc_{pool}_lo"] = Shown(part["estimate"].min())
    keys = ["case", "donor_pool", "pre_start", "post_years"]
    paired = relative.pivot_table(index=keys, columns="estimator", values="estimate")
    more_negative = paired["did"] < paired["synth"]
    out["g_grid_pairs"] = Shown(len(paired), "d")
    out["g_grid_pairs_did_lower"] = Shown(int(more_negative.sum()), "d")
    return out


def setting_numbers(grid: pd.DataFrame, summary: pd.DataFrame) -> dict:
    """The settings of the estimation code as the prose states them: the significance level of the placebo
    test (``identification.ALPHA``), the post-period windows (``specs.POST_YEARS``), the placebo-drawing
    limit of the gap chart (``report.PLACEBO_FIT_LIMIT``) and the dimensions of the specification grid.
    ``grid`` and ``summary`` (``report.gap_paths``) are checked against them, so the prose's "all
    specifications are feasible" and "ten years after" stay true or stop the page."""
    from .report import PLACEBO_FIT_LIMIT  # here, not at the top: 5.3 imports this module without the solvers

    short, long = min(specs.POST_YEARS), max(specs.POST_YEARS)
    starts = {len(case.pre_starts) for case in specs.CASES}
    check(len(starts) == 1, "every case has the same number of pre-period starts")
    dims = {"cases": len(specs.CASES), "outcomes": len(specs.OUTCOMES), "pools": len(specs.DONOR_POOLS),
            "starts": starts.pop(), "windows": len(specs.POST_YEARS), "methods": len(specs.ESTIMATORS)}
    size = 1
    for n in dims.values():
        size *= n
    check(len(grid) == size, f"all {size} specifications of the grid are feasible")
    windows = summary["post_end"] - summary["treatment_year"] + 1
    check(bool((windows == long).all()), f"the synthetic-control summary looks {long} years after")
    out = {"s_alpha": Shown(ALPHA, ".2f"), "s_alpha_pct": Shown(100 * ALPHA, ".0f"),
           "s_post_short": Shown(short, "d"), "s_post_long": Shown(long, "d"),
           "s_fit_limit": Shown(PLACEBO_FIT_LIMIT, ".0f"), "s_grid_size": Shown(size, "d")}
    out.update({f"s_dim_{name}": Shown(n, "d") for name, n in dims.items()})
    return out


def covid_numbers(pairings: pd.DataFrame, programme: str = "covid_hubei_2020") -> dict:
    """5.3's reading of the official pairing list of 2020 (the programme's rows that are not superseded):
    donor provinces, recipient places, places with two donors, the donor with several places, and the places
    with one donor of their own."""
    rows = pairings[(pairings["programme_id"] == programme) & (pairings["status"] != "superseded")]
    if rows.empty:
        raise ValueError(f"pairings.csv: no current rows of programme {programme}")
    per_place = rows.groupby("recipient_code")["donor_code"].nunique()
    per_donor = rows.groupby("donor_code")["recipient_code"].nunique()
    alone = rows[rows["recipient_code"].map(per_place).eq(1) & rows["donor_code"].map(per_donor).eq(1)]
    return {"cv_donors": Shown(rows["donor_code"].nunique(), "d"),
            "cv_places": Shown(rows["recipient_code"].nunique(), "d"),
            "cv_two_donors": Shown(int((per_place == 2).sum()), "d"),
            "cv_multi_places": Shown(int(per_donor.max()), "d"),
            "cv_alone": Shown(alone["recipient_code"].nunique(), "d")}


def growth_numbers(agreement, summary, loo, hull_parts, events_xz, events_xj, grid) -> dict:
    """Everything 5.1's prose pastes after its headline section (see the functions above)."""
    actual, synthetic, donors, shown_years = hull_parts
    return {**vintage_numbers(agreement), **synth_numbers(summary, loo),
            **hull_numbers(actual, synthetic, donors, shown_years, 1994),
            **event_numbers(events_xz, 1994, "xz"), **event_numbers(events_xj, 2010, "xj"), **grid_numbers(grid)}


def convergence_numbers(sigma: pd.DataFrame, sigma_weighted: pd.DataFrame, sigma_without_three: pd.DataFrame,
                        beta: pd.DataFrame, theil: pd.DataFrame) -> dict:
    """Numbers of 5.2's reading of the convergence measures (``convergence.sigma``/``beta_by_period``/``theil``
    outputs): σ in selected years (equal and population weights, without the three municipalities),
    β per period with standard error, half-life and R², Theil total, between, within and between share."""
    s, w, o = (f.set_index("year")["sigma"] for f in (sigma, sigma_weighted, sigma_without_three))
    out: dict = {}
    for year in (1978, 1990, 1994, 1999, 2003, 2004, 2010, 2020):
        out[f"c_s_{year}"] = Shown(s[year])
        out[f"c_w_{year}"] = Shown(w[year])
        out[f"c_o_{year}"] = Shown(o[year])
    out["c_w_max_2000s"] = Shown(w.loc[2000:2010].max())
    out["c_w_max_2000s_year"] = Shown(int(w.loc[2000:2010].idxmax()), "d")
    out["c_o_mid_level"] = Shown(o.loc[1994:2004].mean(), ".2f")
    check(bool((w < s).all()), "population-weighted sigma is below the unweighted one in every year")
    check(bool((beta["beta"] < 0).all()), "beta is negative in all three periods")
    for _, row in beta.iterrows():
        key = f"{int(row['start'])}"
        out[f"c_b_{key}"] = Shown(row["beta"], ".4f")
        out[f"c_se_{key}"] = Shown(row["se"], ".4f")
        out[f"c_hl_{key}"] = Shown(row["half_life"], ".0f")
        out[f"c_r2_{key}"] = Shown(row["r_squared"], ".2f")
    out["c_b_2010_pp"] = Shown(-100 * beta.set_index("start").loc[2010, "beta"], ".1f")
    # exercise ch5b-ex3 recomputes the 2010—2020 speed and half-life from β and the period length
    last = beta.set_index("start").loc[2010]
    out["c_T_2010"] = Shown(int(last["end"] - 2010), "d")
    out["c_1bt_2010"] = Shown(1 + last["beta"] * (last["end"] - 2010))
    out["c_speed_2010"] = Shown(last["speed"], ".4f")
    t = theil.set_index("year")
    for year in (1978, 1994, 2010, 2020):
        out[f"c_t_{year}"] = Shown(t.loc[year, "total"])
        out[f"c_tb_{year}"] = Shown(t.loc[year, "between"])
        out[f"c_tw_{year}"] = Shown(t.loc[year, "within"])
        out[f"c_ts_{year}"] = Shown(100 * t.loc[year, "between_share"], ".0f")
    return out


def panel_numbers(panel: pd.DataFrame) -> dict:
    """Coverage of the provincial panel: number of provinces and first and last year."""
    return {"p_n": Shown(panel["code"].nunique(), "d"), "p_first": Shown(int(panel["year"].min()), "d"),
            "p_last": Shown(int(panel["year"].max()), "d")}
