"""Synthetic control (Abadie, Diamond and Hainmueller 2010), fitted on the outcome path alone.

The synthetic unit is a convex combination of donor provinces (weights >= 0, summing to 1)
chosen to minimise the root mean squared prediction error (RMSPE) of the treated province's
outcome over the pre-treatment years. Covariates are not used: with one outcome path as the
only predictor set, the predictor-importance matrix V of ADH is the identity and the problem is
a quadratic programme on the simplex, solved here without a nested V search.

Conventions: ``treatment_year`` is the first treated year; the pre-period is
``pre_start``..``treatment_year - 1`` and the post-period ``treatment_year``..``post_end``.
Gaps are in the outcome's own units (e.g. share of the national GDP per capita for
``rel_gdp_per_capita``, log points for ``log_gdp_per_capita``). The panel must be balanced over
the window used: a missing value raises ``ValueError``; nothing is imputed.

Inference is by in-space placebos: every donor is treated as if it had received the programme,
and the treated unit's post/pre RMSPE ratio is ranked among them (Abadie et al. 2010). With N
donors the smallest attainable p-value is 1/(N+1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import minimize, nnls

from ._panel import last_common_year, outcome_matrix

WEIGHT_TOLERANCE = 1e-6  # a donor with a weight above this counts as "in" the synthetic unit


@dataclass(frozen=True)
class SynthResult:
    """One synthetic-control fit.

    ``weights`` (index: donor code) are on the simplex; ``actual``, ``synthetic`` and ``gap``
    (actual minus synthetic) are indexed by year from ``pre_start`` to ``post_end``; RMSPEs are in
    the outcome's units; ``ratio`` = post_rmspe / pre_rmspe (inf for a perfect pre-period fit).
    """

    treated: str
    treatment_year: int
    outcome: str
    weights: pd.Series
    actual: pd.Series
    synthetic: pd.Series
    gap: pd.Series
    pre_rmspe: float
    post_rmspe: float
    ratio: float

    @property
    def att(self) -> float:
        """Average post-period gap (the effect estimate), in the outcome's units."""
        return float(self.gap[self.gap.index >= self.treatment_year].mean())


@dataclass(frozen=True)
class PlaceboResult:
    """In-space placebo test.

    ``table`` has one row per unit (the treated one first): code, treated (bool), pre_rmspe,
    post_rmspe, ratio, att. ``gaps`` holds every unit's gap path (years × codes).
    ``p_value`` is the share of all N+1 units whose ratio is at least the treated unit's.
    ``fit`` is the treated unit's own ``SynthResult``.
    """

    fit: SynthResult
    table: pd.DataFrame
    gaps: pd.DataFrame
    p_value: float


@dataclass(frozen=True)
class LeaveOneOutResult:
    """Refits that drop one donor with positive weight at a time (``fits`` keyed by the dropped code)."""

    full: SynthResult
    fits: dict[str, SynthResult]

    @property
    def summary(self) -> pd.DataFrame:
        """One row per dropped donor: its weight in the full fit, and the refit's att and RMSPEs."""
        rows = [{"dropped": code, "weight_in_full": float(self.full.weights[code]), "att": fit.att,
                 "pre_rmspe": fit.pre_rmspe, "post_rmspe": fit.post_rmspe} for code, fit in self.fits.items()]
        return pd.DataFrame(rows, columns=["dropped", "weight_in_full", "att", "pre_rmspe", "post_rmspe"])


def simplex_weights(donors_pre: np.ndarray, treated_pre: np.ndarray) -> np.ndarray:
    """Weights w >= 0, sum(w) = 1 minimising ||treated_pre - donors_pre @ w||².

    ``donors_pre`` is (years × donors), ``treated_pre`` (years,). A start from non-negative least
    squares with a heavily weighted adding-up row is polished by SLSQP with the exact gradient;
    the better of the two (after projecting onto the simplex) is returned. Deterministic.
    The solution is unique when the donor paths are linearly independent; otherwise any minimiser
    may be returned (the fitted path is unique either way).
    """
    X = np.asarray(donors_pre, dtype=float)
    y = np.asarray(treated_pre, dtype=float)
    n_donors = X.shape[1]
    if n_donors == 0:
        raise ValueError("synthetic control needs at least one donor")
    if n_donors == 1:
        return np.ones(1)
    scale = max(np.abs(X).max(), np.abs(y).max(), 1e-12)
    X, y = X / scale, y / scale

    def loss(w: np.ndarray) -> float:
        r = y - X @ w
        return float(r @ r)

    def project(w: np.ndarray) -> np.ndarray:
        w = np.clip(w, 0.0, None)
        return w / w.sum() if w.sum() > 0 else np.full(n_donors, 1.0 / n_donors)

    penalty = 1e3 * np.sqrt(len(y))
    start, _ = nnls(np.vstack([X, penalty * np.ones(n_donors)]), np.append(y, penalty), maxiter=50 * n_donors)
    start = project(start)
    result = minimize(
        loss, start, jac=lambda w: -2.0 * X.T @ (y - X @ w), method="SLSQP",
        bounds=[(0.0, 1.0)] * n_donors,
        constraints=[{"type": "eq", "fun": lambda w: w.sum() - 1.0, "jac": lambda w: np.ones(n_donors)}],
        options={"ftol": 1e-15, "maxiter": 1000},
    )
    polished = project(result.x)
    return polished if loss(polished) <= loss(start) else start


def _rmspe(values: pd.Series | np.ndarray) -> float:
    values = np.asarray(values, dtype=float)
    return float(np.sqrt(np.mean(values ** 2)))


def _ratio(post: float, pre: float) -> float:
    if pre > 0:
        return post / pre
    return float("inf") if post > 0 else float("nan")


def _check_window(treatment_year: int, pre_start: int, post_end: int) -> None:
    if not pre_start < treatment_year <= post_end:
        raise ValueError(f"need pre_start < treatment_year <= post_end, got {pre_start}, {treatment_year}, {post_end}")


def _fit_matrix(wide: pd.DataFrame, treated: str, donors: list[str], treatment_year: int,
                outcome: str) -> SynthResult:
    # Plain arrays: placebo tests call this hundreds of times on the same matrix.
    values = wide.to_numpy(dtype=float)
    position = {code: i for i, code in enumerate(wide.columns)}
    pre = wide.index.to_numpy() < treatment_year
    X, y = values[:, [position[d] for d in donors]], values[:, position[treated]]
    weights = simplex_weights(X[pre], y[pre])
    fitted = X @ weights
    residual = y - fitted
    pre_rmspe, post_rmspe = _rmspe(residual[pre]), _rmspe(residual[~pre])
    index = wide.index
    return SynthResult(treated=treated, treatment_year=treatment_year, outcome=outcome,
                       weights=pd.Series(weights, index=pd.Index(donors, name="code"), name="weight"),
                       actual=pd.Series(y, index=index, name="actual"),
                       synthetic=pd.Series(fitted, index=index, name="synthetic"),
                       gap=pd.Series(residual, index=index, name="gap"), pre_rmspe=pre_rmspe,
                       post_rmspe=post_rmspe, ratio=_ratio(post_rmspe, pre_rmspe))


def _window(panel: pd.DataFrame, treated, treatment_year: int, outcome: str, donors: Sequence,
            pre_start: int, post_end: int | None) -> tuple[pd.DataFrame, str, list[str]]:
    treated = str(treated)
    donors = [str(d) for d in donors if str(d) != treated]
    if not donors:
        raise ValueError("synthetic control needs at least one donor other than the treated unit")
    if len(set(donors)) != len(donors):
        raise ValueError("donors contain duplicates")
    if post_end is None:
        post_end = last_common_year(panel, outcome, [treated, *donors])
    _check_window(treatment_year, pre_start, post_end)
    return outcome_matrix(panel, outcome, [treated, *donors], pre_start, post_end), treated, donors


def fit(panel: pd.DataFrame, treated, treatment_year: int, outcome: str, donors: Sequence,
        pre_start: int, post_end: int | None = None) -> SynthResult:
    """Fit a synthetic control for ``treated`` from ``donors`` on the path of ``outcome``.

    Parameters: ``panel`` long (``code``, ``year``, outcome); ``treatment_year`` first treated
    year; pre-period ``pre_start``..``treatment_year - 1``; post-period up to ``post_end``
    (default: the last year every unit has data). Returns a ``SynthResult`` (weights, paths,
    gap = actual − synthetic, pre/post RMSPE and their ratio, ``att`` = mean post-period gap).

    Assumptions: the donors were not affected by the programme (no spillovers), the treated unit
    lies close to the convex hull of the donors before treatment (check ``pre_rmspe``), and no
    other shock hits the treated unit alone at the treatment year.
    """
    wide, treated, donors = _window(panel, treated, treatment_year, outcome, donors, pre_start, post_end)
    return _fit_matrix(wide, treated, donors, treatment_year, outcome)


def placebos(panel: pd.DataFrame, treated, treatment_year: int, outcome: str, donors: Sequence,
             pre_start: int, post_end: int | None = None) -> PlaceboResult:
    """In-space placebo test: refit with every donor as the pseudo-treated unit.

    Each placebo's donor pool is the other donors (the truly treated unit is never a donor). The
    permutation p-value is the share of the N+1 units (treated + N donors) whose post/pre RMSPE
    ratio is at least the treated unit's; it lies in [1/(N+1), 1]. The ratio, not the raw gap, is
    ranked so that units the method fits badly before treatment do not look "significant".
    """
    wide, treated, donors = _window(panel, treated, treatment_year, outcome, donors, pre_start, post_end)
    fits = [_fit_matrix(wide, treated, donors, treatment_year, outcome)]
    for donor in donors:
        others = [d for d in donors if d != donor]
        if others:
            fits.append(_fit_matrix(wide, donor, others, treatment_year, outcome))
    table = pd.DataFrame({
        "code": [f.treated for f in fits],
        "treated": [i == 0 for i in range(len(fits))],
        "pre_rmspe": [f.pre_rmspe for f in fits],
        "post_rmspe": [f.post_rmspe for f in fits],
        "ratio": [f.ratio for f in fits],
        "att": [f.att for f in fits],
    })
    gaps = pd.concat({f.treated: f.gap for f in fits}, axis=1)
    return PlaceboResult(fit=fits[0], table=table, gaps=gaps, p_value=permutation_p_value(table["ratio"].to_numpy()))


def permutation_p_value(statistics: np.ndarray) -> float:
    """Share of units whose statistic is >= the first one's (the treated unit, counted itself).

    NaN statistics (0/0 ratios) count as not exceeding. The result lies in [1/len, 1].
    """
    statistics = np.asarray(statistics, dtype=float)
    observed = statistics[0]
    if np.isnan(observed):
        return float("nan")
    exceed = 1 + int(np.sum(statistics[1:] >= observed))
    return exceed / len(statistics)


def leave_one_out(panel: pd.DataFrame, treated, treatment_year: int, outcome: str, donors: Sequence,
                  pre_start: int, post_end: int | None = None) -> LeaveOneOutResult:
    """Refit once per donor with a positive weight (> ``WEIGHT_TOLERANCE``), dropping that donor.

    Shows whether the estimate rests on a single donor province.
    """
    wide, treated, donors = _window(panel, treated, treatment_year, outcome, donors, pre_start, post_end)
    full = _fit_matrix(wide, treated, donors, treatment_year, outcome)
    fits = {}
    for donor in full.weights[full.weights > WEIGHT_TOLERANCE].index:
        others = [d for d in donors if d != donor]
        if others:
            fits[donor] = _fit_matrix(wide, treated, others, treatment_year, outcome)
    return LeaveOneOutResult(full=full, fits=fits)
