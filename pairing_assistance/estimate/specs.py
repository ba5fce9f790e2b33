"""The specification grid: how much do the Xizang 1994 and Xinjiang 2010 estimates depend on choices?

Every combination of treated case × outcome × donor pool × pre-period start × post-window
length × estimator is run with the same code. One row per specification: the estimate (average
post-period gap, in the outcome's units), the pre-period fit, the placebo-in-space p-value and the
number of donor (control) provinces. Specifications the data cannot support (a post-window past
the last year of the panel, a treated province with missing values) are left out of the grid.

Donor pools (the treated province is never in its own pool):
- ``non_donor``: every mainland province that is not a donor of the case's programme (donors pay
  for the aid and send cadres, so they are not untreated);
- ``west``: the western (region_group ``west``) provinces of ``non_donor``;
- ``no_recipients``: ``non_donor`` without the provinces that receive aid under the recipient
  programmes (by default tibet_1994 and xinjiang_2010: each case loses the other's recipient).
Donor and recipient provinces come from the ``pairings`` table passed in (recipient prefectures
and counties count for their province; universities and XPCC divisions are ignored).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._panel import tidy

PROVINCE_LEVELS = ("province", "prefecture", "county")
MAINLAND_GROUPS = ("east", "central", "west", "northeast")


@dataclass(frozen=True)
class Case:
    """A treated province and its programme: ``treatment_year`` is the first treated year;
    ``pre_starts`` are the alternative first years of the pre-period."""

    name: str
    programme_id: str
    treated: str
    treatment_year: int
    pre_starts: tuple[int, ...]


CASES = (
    Case("tibet_1994", "tibet_1994", "540000", 1994, (1978, 1985)),
    Case("xinjiang_2010", "xinjiang_2010", "650000", 2010, (1992, 2000)),
)
OUTCOMES = ("rel_gdp_per_capita", "log_gdp_per_capita")
DONOR_POOLS = ("non_donor", "west", "no_recipients")
POST_YEARS = (5, 10)
ESTIMATORS = ("synth", "did")
RECIPIENT_PROGRAMMES = ("tibet_1994", "xinjiang_2010")
COLUMNS = ["case", "treated", "treatment_year", "outcome", "donor_pool", "pre_start", "post_years", "post_end",
           "estimator", "estimate", "pre_rmspe", "post_rmspe", "p_value", "p_value_min", "n_donors"]


def _province(code) -> str | None:
    code = "" if code is None or (isinstance(code, float) and np.isnan(code)) else str(code)
    return code[:2] + "0000" if len(code) == 6 and code.isdigit() else None


def programme_provinces(pairings: pd.DataFrame, programme_id: str) -> tuple[set[str], set[str]]:
    """(donor provinces, recipient provinces) of one programme in the pairings table, as province codes."""
    rows = pairings[pairings["programme_id"] == programme_id]
    if rows.empty:
        raise ValueError(f"no pairings for programme {programme_id}")

    def provinces(side: str) -> set[str]:
        part = rows[rows[f"{side}_level"].isin(PROVINCE_LEVELS)]
        return {p for p in map(_province, part[f"{side}_code"]) if p}

    return provinces("donor"), provinces("recipient")


def donor_pools(case: Case, pairings: pd.DataFrame, regions: pd.DataFrame, units: Sequence[str],
                recipient_programmes: Sequence[str] = RECIPIENT_PROGRAMMES) -> dict[str, list[str]]:
    """The three donor pools of ``case`` (see the module docstring), restricted to ``units``
    (the province codes present in the panel), sorted by code."""
    provinces = regions[(regions["level"] == "province") & regions["region_group"].isin(MAINLAND_GROUPS)]
    group_of = dict(zip(provinces["code"].astype(str), provinces["region_group"]))
    units = {str(u) for u in units} & set(group_of)
    programme_donors, _ = programme_provinces(pairings, case.programme_id)
    recipients = set().union(*(programme_provinces(pairings, p)[1] for p in recipient_programmes))
    non_donor = sorted(units - programme_donors - {case.treated})
    return {
        "non_donor": non_donor,
        "west": [c for c in non_donor if group_of[c] == "west"],
        "no_recipients": [c for c in non_donor if c not in recipients],
    }


def _complete(frame: pd.DataFrame, outcome: str, codes: Sequence[str], first: int, last: int) -> list[str]:
    window = frame[frame["year"].between(first, last) & frame["code"].isin(codes)].dropna(subset=[outcome])
    counts = window.groupby("code")["year"].nunique()
    return [c for c in codes if counts.get(c, 0) == last - first + 1]


def _run_one(frame: pd.DataFrame, case: Case, outcome: str, donors: list[str], pre_start: int, post_end: int,
             estimator: str) -> dict:
    from . import did, synth  # imported here: pages that only read pools or stored grids skip scipy

    args = (frame, case.treated, case.treatment_year, outcome, donors, pre_start, post_end)
    if estimator == "synth":
        test = synth.placebos(*args)
        own = test.table.iloc[0]
        estimate, pre_rmspe, post_rmspe = own["att"], own["pre_rmspe"], own["post_rmspe"]
    elif estimator == "did":
        test = did.placebos(*args, formula=False)  # closed form: same coefficient, no statsmodels per cell
        result = test.fit
        post = result.gap.index >= case.treatment_year
        estimate, pre_rmspe = result.coef, result.pre_rmspe
        post_rmspe = float(np.sqrt(np.mean(result.gap[post] ** 2)))
    else:
        raise ValueError(f"unknown estimator {estimator}")
    return {"estimate": float(estimate), "pre_rmspe": float(pre_rmspe), "post_rmspe": float(post_rmspe),
            "p_value": test.p_value, "p_value_min": 1 / len(test.table), "n_donors": len(donors)}


def run_grid(panel: pd.DataFrame, pairings: pd.DataFrame, regions: pd.DataFrame,
             cases: Sequence[Case] = CASES, outcomes: Sequence[str] = OUTCOMES,
             pools: Sequence[str] = DONOR_POOLS, post_years: Sequence[int] = POST_YEARS,
             estimators: Sequence[str] = ESTIMATORS,
             recipient_programmes: Sequence[str] = RECIPIENT_PROGRAMMES) -> pd.DataFrame:
    """Run every specification; return one tidy row per specification (columns ``COLUMNS``).

    ``estimate`` is the average gap over the post-window ``treatment_year``..``post_end`` (synth:
    actual − synthetic; did: the two-way FE coefficient, which is the same average for the
    parallel-trends counterfactual); ``pre_rmspe`` measures the pre-period fit in outcome units;
    ``p_value`` is the placebo-in-space permutation p-value (synth: post/pre RMSPE ratio; did:
    |coefficient|), never below ``p_value_min`` = 1/(n_donors + 1). Donors lacking a value in the
    window are dropped from that specification (``n_donors`` counts those used).
    """
    frame = tidy(panel, outcomes)
    last_year = int(frame["year"].max())
    rows = []
    for case in cases:
        pools_of = donor_pools(case, pairings, regions, frame["code"].unique(), recipient_programmes)
        for outcome in outcomes:
            for pool in pools:
                for pre_start in case.pre_starts:
                    for length in post_years:
                        post_end = case.treatment_year + length - 1
                        if post_end > last_year:
                            continue
                        if not _complete(frame, outcome, [case.treated], pre_start, post_end):
                            continue
                        donors = _complete(frame, outcome, pools_of[pool], pre_start, post_end)
                        if len(donors) < 2:
                            continue
                        for estimator in estimators:
                            spec = {"case": case.name, "treated": case.treated, "treatment_year": case.treatment_year,
                                    "outcome": outcome, "donor_pool": pool, "pre_start": pre_start,
                                    "post_years": length, "post_end": post_end, "estimator": estimator}
                            rows.append(spec | _run_one(frame, case, outcome, donors, pre_start, post_end, estimator))
    return pd.DataFrame(rows, columns=COLUMNS)
