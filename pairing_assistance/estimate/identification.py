"""Identification checks for the two cases (issue 12): estimators side by side, alternative treatment
years, placebo-in-time, donor pools, a bound for province-specific price paths, and the scale of the aid.

Heavy runs (pysyncon's augmented SC and the cross-validated SC, each refitted for every placebo) are
precomputed by ``scripts/build_ch5_results.py`` into ``data/panel/ch5_results.csv``; this module holds
the logic, and tests recompute parts of that table.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ._panel import outcome_matrix

RATIO_STATISTIC = {"sc", "sc_cv", "demeaned", "augsynth"}  # SC-type: rank post/pre RMSPE (Abadie et al. 2010)
FAST = ("sc", "demeaned", "sdid", "did", "did_trend")
ALL = ("sc", "sc_cv", "demeaned", "augsynth", "sdid", "did", "did_trend")
ALPHA = 0.10
RESULT_COLUMNS = ["analysis", "case", "outcome", "donor_pool", "treatment_year", "pre_start", "post_end",
                  "estimator", "estimate", "pre_rmspe", "p_value", "p_value_min", "detectable", "n_donors", "drift"]


def covariates(panel: pd.DataFrame, codes: Sequence[str], first: int, last: int) -> list[pd.DataFrame]:
    """Covariate matrices for ``sc_cv``: log population and nominal GDP growth (Δ ln GDP), years × codes.

    The first year has no growth inside the window; it takes the second year's value (the panel starts
    in 1978, so nothing earlier can be read)."""
    logpop = np.log(outcome_matrix(panel, "population_10k", codes, first, last))
    gdp = outcome_matrix(panel, "gdp_100m", codes, first, last)
    growth = np.log(gdp).diff().bfill()
    return [logpop, growth]


def run(panel: pd.DataFrame, treated: str, donors: Sequence[str], treatment_year: int, outcome: str,
        pre_start: int, post_end: int, estimator: str, drift: float = 0.0) -> dict:
    """One estimator on one specification with its placebo p-value and detectable effect (α = 0.10).

    ``drift`` adds δ·(year − pre_start) to the treated province's outcome only: a relative price level
    drifting by δ log points a year (use with log outcomes) — the price-path bound.
    """
    from . import estimators as est  # imported here: the pages only read precomputed results (scipy costs ~1 s)

    codes = [str(treated), *[str(d) for d in donors if str(d) != str(treated)]]
    wide = outcome_matrix(panel, outcome, codes, pre_start, post_end)
    if drift:
        wide = wide.copy()
        wide[str(treated)] = wide[str(treated)] + drift * (wide.index.to_numpy() - pre_start)
    extra = covariates(panel, codes, pre_start, post_end) if estimator == "sc_cv" else ()
    table = est.placebo_table(wide, str(treated), codes[1:], treatment_year, estimator, extra)
    own = table.iloc[0]
    statistic = "ratio" if estimator in RATIO_STATISTIC else "abs"
    return {"treatment_year": treatment_year, "pre_start": pre_start, "post_end": post_end, "estimator": estimator,
            "outcome": outcome, "estimate": float(own["estimate"]), "pre_rmspe": float(own["pre_rmspe"]),
            "p_value": est.p_value(table, statistic), "p_value_min": 1 / len(table),
            "detectable": est.detectable_effect(table, ALPHA), "n_donors": len(codes) - 1, "drift": drift}


def relative_deflator_drift(real: pd.DataFrame) -> pd.Series:
    """Mean annual implicit-deflator growth of each province minus the all-province mean of the same year
    (log points a year), from ``real_gdp.csv``'s ``deflator_growth`` (2006-2020, where the index exists)."""
    frame = real.dropna(subset=["deflator_growth"]).copy()
    frame["relative"] = frame["deflator_growth"] - frame.groupby("year")["deflator_growth"].transform("mean")
    return frame.groupby(frame["code"].astype(str))["relative"].mean()


def aid_scale(panel: pd.DataFrame, aid: pd.DataFrame, figure_id: str, province: str) -> dict:
    """Aid funds of one figure (亿元) over its years beside the recipient province's GDP and budget
    expenditure over the same years (from the panel): per person per year (元) and shares.

    Raises ``ValueError`` naming the figure when it has no funds value or its years are outside the panel.
    """
    row = aid[aid["figure_id"] == figure_id]
    if row.empty or row.iloc[0]["measure"] != "funds" or row.iloc[0]["unit"] != "亿元":
        raise ValueError(f"aid_figures.csv: figure {figure_id} is not a funds figure in 亿元")
    row = row.iloc[0]
    first = int(row["period_start"]) if pd.notna(row["period_start"]) else None
    last = int(row["period_end"])
    if first is None:
        raise ValueError(f"aid_figures.csv: figure {figure_id} has no period_start")
    part = panel[(panel["code"].astype(str) == province) & panel["year"].between(first, last)]
    if len(part) != last - first + 1:
        raise ValueError(f"aid_figures.csv: figure {figure_id} covers {first}-{last}, beyond the panel for {province}")
    funds = float(row["value"])
    years = last - first + 1
    expenditure = part["expenditure_100m"].sum() if part["expenditure_100m"].notna().all() else float("nan")
    return {"figure_id": figure_id, "first": first, "last": last, "funds_100m": funds,
            "per_person_year": funds * 1e8 / (part["population_10k"].mean() * 1e4) / years,
            "share_gdp": funds / part["gdp_100m"].sum(), "share_expenditure": funds / expenditure}


class Shown:
    """A number glued into prose: its text/plain (what myst-nb pastes) is the formatted value, no quotes."""

    def __init__(self, value: float, spec: str = ".3f"):
        if value is None or not np.isfinite(value):
            raise ValueError(f"refusing to glue a missing number ({value!r})")
        self.value, self.spec = (int(value) if spec == "d" else float(value)), spec

    def __repr__(self) -> str:
        return format(self.value, self.spec).replace("-", "−")


class Words(str):
    """Text glued into prose (names, lists of years): its repr, what myst-nb pastes, carries no quotes."""

    def __repr__(self) -> str:
        return str(self)


def comparison_table(results: pd.DataFrame, analysis: str = "main", outcome: str = "log_gdp_per_capita",
                     lang: str = "zh") -> pd.DataFrame:
    """One row per case × estimator with Chinese headers (estimate, pre-fit, p-value, detectable effect)."""
    from ..i18n import t

    part = results[(results["analysis"] == analysis) & (results["outcome"] == outcome)]
    if part.empty:
        raise ValueError(f"ch5_results.csv has no rows for analysis {analysis!r} and outcome {outcome!r}")
    table = pd.DataFrame({
        t("col.case", lang): part["case"].map(lambda c: t(f"case.{c}", lang)),
        t("col.estimator", lang): part["estimator"].map(lambda e: t(f"estimator.{e}", lang)),
        t("est.estimate", lang): part["estimate"].round(3),
        t("est.pre_rmspe", lang): part["pre_rmspe"].round(3),
        t("est.p_value", lang): part["p_value"].round(3),
        t("est.detectable", lang): part["detectable"].round(3),
    })
    return table.set_index([t("col.case", lang), t("col.estimator", lang)])


def checks_table(results: pd.DataFrame, outcome: str = "log_gdp_per_capita", lang: str = "zh") -> pd.DataFrame:
    """Estimates (rows: check × case × pool; columns: estimator) for the identification checks, Chinese
    labels; a cell the method could not run on (too few donors) reads '对照省不足'."""
    from ..i18n import t

    part = results[(results["outcome"] == outcome) & results["estimator"].isin(FAST)].copy()
    pools = {"non_donor": t("est.pool.non_donor", lang), "west": t("est.pool.west", lang), "clean": t("est.pool_clean", lang)}
    part["check"] = part["analysis"].map(lambda a: t(f"analysis.{a}", lang)) + "（" + \
        part["treatment_year"].astype(str) + "年；" + part["donor_pool"].map(pools) + "，" + \
        part["n_donors"].astype(str) + "个对照省）"
    part["case_label"] = part["case"].map(lambda c: t(f"case.{c}", lang))
    part["estimator_label"] = part["estimator"].map(lambda e: t(f"estimator.{e}", lang))
    part["cell"] = part["estimate"].map(lambda v: "对照省不足" if pd.isna(v) else f"{v:.3f}") + \
        part["p_value"].map(lambda p: "" if pd.isna(p) else f"（p={p:.2f}）")
    order = [t(f"estimator.{e}", lang) for e in FAST]
    table = part.pivot_table(index=["case_label", "check"], columns="estimator_label", values="cell", aggfunc="first")
    table = table.reindex(columns=order)
    table.index.names = [t("col.case", lang), t("est.check", lang)]
    table.columns.name = None
    return table


def headline_numbers(results: pd.DataFrame, panel: pd.DataFrame, aid: pd.DataFrame) -> dict[str, Shown]:
    """The numbers the chapter's prose pastes (myst-nb glue), each computed here, none typed by hand."""
    def row(analysis, case, estimator, outcome="log_gdp_per_capita"):
        found = results[(results["analysis"] == analysis) & (results["case"] == case)
                        & (results["estimator"] == estimator) & (results["outcome"] == outcome)]
        if found.empty:
            raise ValueError(f"ch5_results.csv: no row {analysis}/{case}/{estimator}/{outcome}")
        return found.iloc[0]

    out: dict[str, Shown] = {}
    for case, key in (("tibet_1994", "xz"), ("xinjiang_2010", "xj")):
        for estimator in ALL:
            r = row("main", case, estimator)
            out[f"{key}_{estimator}_est"] = Shown(r["estimate"])
            out[f"{key}_{estimator}_pre"] = Shown(r["pre_rmspe"])
            out[f"{key}_{estimator}_p"] = Shown(r["p_value"], ".2f")
            out[f"{key}_{estimator}_mde"] = Shown(r["detectable"])
        low = results[(results["analysis"] == "price_low") & (results["case"] == case)].set_index("estimator")["estimate"]
        high = results[(results["analysis"] == "price_high") & (results["case"] == case)].set_index("estimator")["estimate"]
        out[f"{key}_price_low"] = Shown(min(low.min(), high.min()))
        out[f"{key}_price_high"] = Shown(max(low.max(), high.max()))
        out[f"{key}_alt_did_trend_est"] = Shown(row("alt_year", case, "did_trend")["estimate"])
        out[f"{key}_alt_sdid_est"] = Shown(row("alt_year", case, "sdid")["estimate"])
        out[f"{key}_alt_sdid_p"] = Shown(row("alt_year", case, "sdid")["p_value"], ".2f")
        out[f"{key}_ptime_did_p"] = Shown(row("placebo_time", case, "did")["p_value"], ".2f")
        out[f"{key}_ptime_did_est"] = Shown(row("placebo_time", case, "did")["estimate"])
        main = results[(results["analysis"] == "main") & (results["case"] == case)]
        out[f"{key}_n_main"] = Shown(len(main), "d")
        out[f"{key}_p_min_not_did"] = Shown(main.loc[main["estimator"] != "did", "p_value"].min(), ".2f")
    out["drift"] = Shown(abs(results.loc[results["analysis"] == "price_high", "drift"].iloc[0]), ".4f")
    for estimator in ("sc", "sdid", "did_trend"):
        r = row("real", "xinjiang_2010", estimator, "log_real_gdp_per_capita")
        out[f"xj_real_{estimator}_est"] = Shown(r["estimate"])
        out[f"xj_real_{estimator}_p"] = Shown(r["p_value"], ".2f")
        out[f"xj_real_{estimator}_mde"] = Shown(r["detectable"])
    xj = aid_scale(panel, aid, "A034", "650000")
    xz = aid_scale(panel, aid, "A004", "540000")
    out["xj_aid_gdp"] = Shown(100 * xj["share_gdp"], ".1f")
    out["xj_aid_exp"] = Shown(100 * xj["share_expenditure"], ".1f")
    out["xj_aid_pp"] = Shown(xj["per_person_year"], ".0f")
    out["xz_aid_gdp"] = Shown(100 * xz["share_gdp"], ".1f")
    out["xz_aid_pp"] = Shown(xz["per_person_year"], ".0f")
    return out
