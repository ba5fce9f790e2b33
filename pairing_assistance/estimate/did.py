"""Difference-in-differences and event study for one treated province, with placebo inference.

Both are two-way fixed-effects regressions written as visible statsmodels formulas::

    outcome ~ treated_post + C(code) + C(year)                                   # DID
    outcome ~ C(event_time, Treatment(reference=-1)) + C(code) + C(year)         # event study

``treated_post`` is 1 for the treated province from ``treatment_year`` on. In the event study
``event_time`` is year − treatment_year for the treated province; control provinces carry the
reference value (−1), so they enter only through the fixed effects. On a balanced panel the DID
coefficient equals the average post-period gap between the treated province and the mean of the
controls, after removing their average pre-period gap; it is in the outcome's units.

Why not clustered standard errors: with a single treated province the coefficient is identified
from one cluster. Cluster-robust variance estimators are justified as the number of *treated*
clusters grows; with one, the treated cluster's residuals in the treated years are almost zero by
construction (the province effect and ``treated_post`` absorb them), so the clustered standard
error is far too small and tests over-reject badly (Conley and Taber 2011; MacKinnon and Webb
2017). We therefore judge the estimate against a placebo-in-space distribution: re-estimate with
each control province as the fake treated one (the truly treated province dropped) and report the
share of estimates at least as large in absolute value. That test assumes the treated province is
exchangeable with the controls under no effect; with N controls its p-value cannot fall below
1/(N+1). The clustered SE is still returned, for comparison only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._panel import last_common_year, outcome_matrix
from .synth import permutation_p_value

FORMULA = "{outcome} ~ treated_post + C(code) + C(year)"
EVENT_FORMULA = "{outcome} ~ C(event_time, Treatment(reference={reference})) + C(code) + C(year)"
_EVENT_TERM = re.compile(r"\[T\.(-?\d+)\]$")


@dataclass(frozen=True)
class DidResult:
    """One DID fit. ``coef`` is the effect in outcome units; ``gap`` (by year) is the treated
    province minus the control mean, net of their average pre-period difference, so that
    ``coef`` = mean post-period ``gap`` and ``pre_rmspe`` = RMS of the pre-period ``gap`` (how well
    the parallel-trends counterfactual fits before treatment). ``se_clustered`` (by province) is
    reported for comparison only; it is not a valid basis for inference with one treated unit."""

    treated: str
    treatment_year: int
    outcome: str
    coef: float
    se_clustered: float
    n_obs: int
    n_controls: int
    gap: pd.Series
    pre_rmspe: float


@dataclass(frozen=True)
class DidPlaceboResult:
    """``table``: one row per unit (treated first): code, treated, coef. ``p_value``: share of the
    N+1 units whose |coef| is at least the treated one's (two-sided), in [1/(N+1), 1].
    ``fit``: the treated province's own ``DidResult``."""

    fit: DidResult
    table: pd.DataFrame
    p_value: float


def _setup(panel: pd.DataFrame, treated, outcome: str, controls: Sequence, treatment_year: int,
           pre_start: int, post_end: int | None) -> tuple[pd.DataFrame, str, list[str]]:
    treated = str(treated)
    controls = [str(c) for c in controls if str(c) != treated]
    if not controls:
        raise ValueError("difference-in-differences needs at least one control province")
    if post_end is None:
        post_end = last_common_year(panel, outcome, [treated, *controls])
    if not pre_start < treatment_year <= post_end:
        raise ValueError(f"need pre_start < treatment_year <= post_end, got {pre_start}, {treatment_year}, {post_end}")
    wide = outcome_matrix(panel, outcome, [treated, *controls], pre_start, post_end)
    return wide, treated, controls


def _long(wide: pd.DataFrame, outcome: str) -> pd.DataFrame:
    return wide.stack().rename(outcome).reset_index()  # columns: year, code, outcome


def _did_on(wide: pd.DataFrame, treated: str, controls: list[str], treatment_year: int,
            outcome: str, formula: bool = True) -> DidResult:
    """``formula=False`` skips statsmodels (no clustered SE): the same coefficient in closed form, for grids."""
    if formula:
        frame = _long(wide[[treated, *controls]], outcome)
        frame["treated_post"] = ((frame["code"] == treated) & (frame["year"] >= treatment_year)).astype(float)
        groups = pd.factorize(frame["code"])[0]
        import statsmodels.formula.api as smf  # see _event_coefs

        result = smf.ols(FORMULA.format(outcome=outcome), data=frame).fit(
            method="qr", cov_type="cluster", cov_kwds={"groups": groups})
        coef, se, n_obs = float(result.params["treated_post"]), float(result.bse["treated_post"]), int(result.nobs)
    else:
        coef = float(placebo_coefficients(wide[[treated, *controls]], treatment_year)[treated])
        se, n_obs = float("nan"), wide.shape[0] * (1 + len(controls))
    raw_gap = wide[treated] - wide[controls].mean(axis=1)
    pre = wide.index < treatment_year
    gap = (raw_gap - raw_gap[pre].mean()).rename("gap")
    return DidResult(treated=treated, treatment_year=treatment_year, outcome=outcome,
                     coef=coef, se_clustered=se, n_obs=n_obs, n_controls=len(controls), gap=gap,
                     pre_rmspe=float(np.sqrt(np.mean(gap[pre] ** 2))))


def fit(panel: pd.DataFrame, treated, treatment_year: int, outcome: str, controls: Sequence,
        pre_start: int, post_end: int | None = None) -> DidResult:
    """Two-way fixed-effects DID of ``outcome`` for ``treated`` against ``controls``.

    Sample: years ``pre_start``..``post_end`` (default: last year all units have data), balanced;
    ``treatment_year`` is the first treated year. Assumption: parallel trends — without the
    programme the treated province would have moved like the control average. See the module
    docstring on inference.
    """
    wide, treated, controls = _setup(panel, treated, outcome, controls, treatment_year, pre_start, post_end)
    return _did_on(wide, treated, controls, treatment_year, outcome)


def _two_way_demean(values: np.ndarray) -> np.ndarray:
    """Residuals of a balanced (years × units) array on unit and year fixed effects."""
    return values - values.mean(axis=0) - values.mean(axis=1, keepdims=True) + values.mean()


def placebo_coefficients(wide: pd.DataFrame, treatment_year: int) -> pd.Series:
    """DID coefficient for each column of ``wide`` (years × units) as the fake treated unit, the
    other columns as its controls.

    Same regression as ``FORMULA`` on the same sample, computed by Frisch–Waugh–Lovell: on a
    balanced panel, partialling out unit and year fixed effects is two-way demeaning, so each
    coefficient is Σ D̃·ỹ / Σ D̃² with D = treated_post. Exact, and fast enough for a grid.
    """
    y = _two_way_demean(wide.to_numpy(dtype=float))
    post = (wide.index.to_numpy() >= treatment_year).astype(float)
    coefs = {}
    for j, code in enumerate(wide.columns):
        d = np.zeros(wide.shape)
        d[:, j] = post
        d = _two_way_demean(d)
        coefs[code] = float((d * y).sum() / (d * d).sum())
    return pd.Series(coefs, name="coef")


def placebos(panel: pd.DataFrame, treated, treatment_year: int, outcome: str, controls: Sequence,
             pre_start: int, post_end: int | None = None, formula: bool = True) -> DidPlaceboResult:
    """Placebo-in-space inference: the DID re-estimated with each control as the fake treated unit
    (the other controls as its controls, the truly treated province left out). The treated fit runs
    ``FORMULA`` through statsmodels; the placebo fits use ``placebo_coefficients``, the same
    regression solved in closed form. Returns the table of coefficients and the two-sided
    permutation p-value (see ``DidPlaceboResult``)."""
    wide, treated, controls = _setup(panel, treated, outcome, controls, treatment_year, pre_start, post_end)
    own = _did_on(wide, treated, controls, treatment_year, outcome, formula)
    fake = placebo_coefficients(wide[controls], treatment_year) if len(controls) > 1 else pd.Series(dtype=float)
    codes = [treated, *fake.index]
    table = pd.DataFrame({"code": codes, "treated": [c == treated for c in codes], "coef": [own.coef, *fake]})
    return DidPlaceboResult(fit=own, table=table, p_value=permutation_p_value(np.abs(table["coef"].to_numpy())))


def _event_coefs(wide: pd.DataFrame, treated: str, controls: list[str], treatment_year: int,
                 outcome: str, reference: int) -> pd.Series:
    frame = _long(wide[[treated, *controls]], outcome)
    frame["event_time"] = np.where(frame["code"] == treated, frame["year"] - treatment_year, reference)
    formula = EVENT_FORMULA.format(outcome=outcome, reference=reference)
    import statsmodels.formula.api as smf  # imported here: pages that use the closed forms skip ~1 s of import

    params = smf.ols(formula, data=frame).fit(method="qr").params
    coefs = {int(m.group(1)): float(value) for name, value in params.items()
             if name.startswith("C(event_time") and (m := _EVENT_TERM.search(name))}
    coefs[reference] = 0.0
    return pd.Series(coefs, name="coef").sort_index()


def _event_coefs_closed(wide: pd.DataFrame, treated: str, controls: list[str], treatment_year: int,
                        reference: int) -> pd.Series:
    """The event-study regression solved in closed form (one treated unit, balanced panel): the
    treated-minus-control-mean gap of each year minus the gap in the reference year."""
    gap = wide[treated] - wide[controls].mean(axis=1)
    event_time = wide.index.to_numpy() - treatment_year
    base = gap.to_numpy()[event_time == reference][0]
    return pd.Series(gap.to_numpy() - base, index=event_time, name="coef").sort_index()


def event_study(panel: pd.DataFrame, treated, treatment_year: int, outcome: str, controls: Sequence,
                pre_start: int, post_end: int | None = None, reference: int = -1,
                placebo: bool = True, formula: bool = True) -> pd.DataFrame:
    """Event study: one coefficient per year relative to ``treatment_year`` (leads < 0, lags >= 0),
    normalised to 0 in the ``reference`` year (default −1, the last pre-treatment year).

    With one treated unit each coefficient equals the treated-minus-control-mean gap in that year
    minus the same gap in the reference year (outcome units). Leads far from 0 warn that parallel
    trends fail. With ``placebo=True`` every control is run as a fake treated unit and the table
    adds, per event time, the placebo range (``placebo_min``, ``placebo_max``) and the two-sided
    permutation p-value (``p_value``; NaN for the reference year).
    ``formula=False`` solves every regression in closed form (same coefficients, no statsmodels).
    Columns: event_time, year, coef[, placebo_min, placebo_max, p_value].
    """
    wide, treated, controls = _setup(panel, treated, outcome, controls, treatment_year, pre_start, post_end)

    def solve(unit, others):
        if formula:
            return _event_coefs(wide, unit, others, treatment_year, outcome, reference)
        return _event_coefs_closed(wide, unit, others, treatment_year, reference)

    coefs = solve(treated, controls)
    table = pd.DataFrame({"event_time": coefs.index, "year": coefs.index + treatment_year, "coef": coefs.to_numpy()})
    if placebo and len(controls) > 1:
        fakes = pd.concat(
            [solve(c, [o for o in controls if o != c]) for c in controls], axis=1).to_numpy()
        table["placebo_min"] = fakes.min(axis=1)
        table["placebo_max"] = fakes.max(axis=1)
        stats = np.abs(np.column_stack([coefs.to_numpy(), fakes]))
        table["p_value"] = [permutation_p_value(row) if t != reference else np.nan
                            for row, t in zip(stats, coefs.index)]
    return table
