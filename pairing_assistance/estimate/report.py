"""Assemble the chapter 5 results from the estimators: gap paths with placebos for both cases."""

from __future__ import annotations

import pandas as pd

from . import specs, synth
from ._panel import tidy

PLACEBO_FIT_LIMIT = 5.0  # placebos fitting more than 5x worse than the treated unit before treatment are not drawn


def gap_paths(panel: pd.DataFrame, pairings: pd.DataFrame, regions: pd.DataFrame, pool: str = "non_donor",
              post_years: int = 10) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Synthetic-control gaps of each case and outcome, with every in-space placebo.

    Returns ``(paths, summary)``: paths has case, outcome, code, year, gap, treated, shown (False for
    placebos whose pre-period RMSPE exceeds ``PLACEBO_FIT_LIMIT`` times the treated one's); summary
    has one row per case and outcome with att, pre_rmspe, p_value, n_donors and the top donor weights.
    """
    frame = tidy(panel, specs.OUTCOMES)
    names = dict(zip(regions["code"], regions["name_zh"]))
    paths, rows = [], []
    for case in specs.CASES:
        donors = specs.donor_pools(case, pairings, regions, frame["code"].unique())[pool]
        post_end = min(case.treatment_year + post_years - 1, int(frame["year"].max()))
        for outcome in specs.OUTCOMES:
            test = synth.placebos(frame, case.treated, case.treatment_year, outcome, donors,
                                  case.pre_starts[0], post_end)
            limit = PLACEBO_FIT_LIMIT * test.fit.pre_rmspe
            fit_of = dict(zip(test.table["code"], test.table["pre_rmspe"]))
            long = test.gaps.rename_axis("year").reset_index().melt(id_vars="year", var_name="code", value_name="gap")
            long = long.assign(case=case.name, outcome=outcome, treated=long["code"] == case.treated,
                               shown=long["code"].map(fit_of) <= max(limit, 1e-12))
            long.loc[long["treated"], "shown"] = True
            paths.append(long)
            top = test.fit.weights.sort_values(ascending=False)
            top = top[top > 0.01]
            rows.append({"case": case.name, "outcome": outcome, "treatment_year": case.treatment_year,
                         "pre_start": case.pre_starts[0], "post_end": post_end, "att": test.fit.att,
                         "pre_rmspe": test.fit.pre_rmspe, "p_value": test.p_value, "n_donors": len(donors),
                         "weights": "、".join(f"{names.get(c, c)} {w:.2f}" for c, w in top.items())})
    return pd.concat(paths, ignore_index=True), pd.DataFrame(rows)


def leave_one_out_table(panel: pd.DataFrame, pairings: pd.DataFrame, regions: pd.DataFrame, pool: str = "non_donor",
                        outcome: str = "rel_gdp_per_capita", post_years: int = 10) -> pd.DataFrame:
    """For each case, the full estimate and the estimate after dropping each donor with positive weight."""
    frame = tidy(panel, [outcome])
    names = dict(zip(regions["code"], regions["name_zh"]))
    rows = []
    for case in specs.CASES:
        donors = specs.donor_pools(case, pairings, regions, frame["code"].unique())[pool]
        post_end = min(case.treatment_year + post_years - 1, int(frame["year"].max()))
        result = synth.leave_one_out(frame, case.treated, case.treatment_year, outcome, donors, case.pre_starts[0], post_end)
        summary = result.summary.assign(case=case.name, full_att=result.full.att,
                                        dropped=lambda f: f["dropped"].map(names))
        rows.append(summary[["case", "full_att", "dropped", "weight_in_full", "att", "pre_rmspe"]])
    return pd.concat(rows, ignore_index=True)


def pools_table(pairings: pd.DataFrame, regions: pd.DataFrame, units, lang: str = "zh"):
    """The donor pools of both cases as readers see them: case, pool, number of provinces, their names."""
    from ..i18n import t
    from ..tables import labelled_table

    names = dict(zip(regions["code"], regions["name_zh"]))
    rows = [{t("col.case", lang): t(f"est.case.{case.name}", lang), t("col.donor_pool", lang): t(f"est.pool.{pool}", lang),
             t("col.n_donors", lang): len(codes), t("col.donor_list", lang): "、".join(names[c] for c in codes)}
            for case in specs.CASES for pool, codes in specs.donor_pools(case, pairings, regions, units).items()]
    return labelled_table(pd.DataFrame(rows))


def grid_table(grid: pd.DataFrame, outcome: str = "rel_gdp_per_capita", lang: str = "zh"):
    """Estimates of one outcome's specifications: rows case × pool × pre-period start, columns method × post years."""
    from ..i18n import t
    from ..tables import labelled_table

    part = grid[grid["outcome"] == outcome].assign(
        column=lambda g: g["estimator"].map(lambda e: t(f"est.{e}", lang)) + "，" + g["post_years"].astype(str) + "年")
    table = part.pivot_table(index=["case", "donor_pool", "pre_start"], columns="column", values="estimate", sort=False)
    table = table.reset_index()
    table["case"] = table["case"].map(lambda c: t(f"est.case.{c}", lang))
    table["donor_pool"] = table["donor_pool"].map(lambda p: t(f"est.pool.{p}", lang))
    table = table.rename(columns={"case": t("col.case", lang), "donor_pool": t("col.donor_pool", lang),
                                  "pre_start": t("col.pre_start", lang)})
    table.columns.name = None
    return labelled_table(table)
