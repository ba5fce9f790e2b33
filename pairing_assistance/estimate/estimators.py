"""Four estimators side by side on one outcome matrix (years × provinces), one treated province.

- ``sc``: synthetic control on the outcome path (the project's solver, ``synth.simplex_weights``).
- ``sc_cv``: synthetic control on predictors (outcome averages over three sub-periods, mean log
  population, mean nominal GDP growth) with diagonal predictor weights V chosen by cross-validation
  as in Abadie, Diamond and Hainmueller (2015): V minimises the outcome MSPE over a validation
  period (the second half of the pre-period) of weights fitted on training-period predictors
  (the first half); the final weights use the same V on validation-period predictors.
- ``demeaned``: de-meaned (intercept-shifted) synthetic control (Ferman and Pinto 2021): the
  treated and donor paths are centred on their own pre-period means before the weights are fitted,
  so a constant level gap is not attributed to the treatment.
- ``sdid``: synthetic difference-in-differences (Arkhangelsky et al. 2021): unit weights with an
  intercept and a ridge penalty ζ² T_pre ||ω||², ζ = (T_post)^{1/4} σ (σ: SD of the donors'
  first differences before treatment), and time weights over the pre-period; the estimate is a
  weighted double difference. Tested against the published California Proposition 99 value.
- ``did``: the two-way fixed-effects DID (mean post gap minus mean pre gap to the donor mean).

Augmented SC (Ben-Michael, Feller and Rothstein 2021) comes from the maintained library pysyncon
(``augsynth.py``), not from here.

Every estimator returns the effect in the outcome's units (mean over post years). Inference for all
of them is the same in-space placebo: each donor in turn plays the treated unit with the other
donors as its pool; ``placebo_table`` returns the estimates, ``detectable_effect`` the smallest
|effect| that the placebo distribution would call significant at level α.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import minimize

from .synth import simplex_weights

# Estimators slow enough (0.2-0.3 s a fit) that their placebo refits go to worker processes: on the 2-core
# machine that takes a case's seven-estimator comparison with placebos from about 11 s to about 6 s.
PARALLEL = {"sc_cv", "augsynth"}
MIN_DONORS = 2  # fewer donors cannot form a placebo distribution or a convex combination worth the name


@dataclass(frozen=True)
class Fit:
    """One fit: ``estimate`` (mean post gap, outcome units), ``pre_rmspe`` (RMS of the pre gap),
    ``gap`` (actual − counterfactual by year) and the donor ``weights``."""

    estimate: float
    pre_rmspe: float
    gap: np.ndarray
    weights: np.ndarray


def _split(Y: np.ndarray, t0: int) -> tuple[np.ndarray, np.ndarray]:
    return Y[:t0], Y[t0:]


def _result(y: np.ndarray, counterfactual: np.ndarray, t0: int, weights: np.ndarray) -> Fit:
    gap = y - counterfactual
    return Fit(float(gap[t0:].mean()), float(np.sqrt(np.mean(gap[:t0] ** 2))), gap, weights)


def sc(y: np.ndarray, X: np.ndarray, t0: int, **_) -> Fit:
    """Outcome-path synthetic control: ``y`` (T,), donors ``X`` (T × J), first ``t0`` rows pre-period."""
    w = simplex_weights(X[:t0], y[:t0])
    return _result(y, X @ w, t0, w)


def demeaned(y: np.ndarray, X: np.ndarray, t0: int, **_) -> Fit:
    """De-meaned SC: weights fitted on pre-period deviations from each unit's pre-period mean."""
    ybar, Xbar = y[:t0].mean(), X[:t0].mean(axis=0)
    w = simplex_weights(X[:t0] - Xbar, y[:t0] - ybar)
    return _result(y, X @ w + (ybar - Xbar @ w), t0, w)


def did(y: np.ndarray, X: np.ndarray, t0: int, **_) -> Fit:
    """Two-way FE DID with one treated unit: equal donor weights, level shift from the pre-period."""
    w = np.full(X.shape[1], 1.0 / X.shape[1])
    control = X @ w
    return _result(y, control + (y[:t0] - control[:t0]).mean(), t0, w)


def _simplex_ridge(A: np.ndarray, b: np.ndarray, penalty: float) -> np.ndarray:
    """argmin over the simplex of ||(A − mean) w − (b − mean)||² + penalty ||w||² (intercept profiled out)."""
    A = A - A.mean(axis=0)
    b = b - b.mean()
    if penalty > 0:
        A = np.vstack([A, np.sqrt(penalty) * np.eye(A.shape[1])])
        b = np.concatenate([b, np.zeros(A.shape[1])])
    return simplex_weights(A, b)


def sdid(y: np.ndarray, X: np.ndarray, t0: int, **_) -> Fit:
    """Synthetic DID (Arkhangelsky et al. 2021, Algorithm 1, one treated unit).

    Unit weights ω: simplex, intercept, penalty ζ² T_pre with ζ = T_post^{1/4} σ; time weights λ:
    simplex over pre years, intercept, penalty (1e-6 σ)² J. ``gap`` is the treated path minus the
    ω-weighted donor path shifted by the λ-weighted pre-period difference.
    """
    pre_X, post_X = _split(X, t0)
    t_post, n_donors = len(y) - t0, X.shape[1]
    sigma = float(np.std(np.diff(pre_X, axis=0), ddof=1)) if t0 > 2 else 0.0
    zeta = t_post ** 0.25 * sigma
    omega = _simplex_ridge(pre_X, y[:t0], zeta ** 2 * t0)
    lam = _simplex_ridge(pre_X.T, post_X.mean(axis=0), (1e-6 * sigma) ** 2 * n_donors)
    control = X @ omega
    shift = lam @ (y[:t0] - control[:t0])
    fit = _result(y, control + shift, t0, omega)
    return Fit(fit.estimate, float(np.sqrt(np.mean((y[:t0] - control[:t0] - (y[:t0] - control[:t0]).mean()) ** 2))),
               fit.gap, omega)


def _predictors(Y: np.ndarray, extra: np.ndarray, rows: slice) -> np.ndarray:
    """Predictor matrix (k × units): outcome means over three blocks of ``rows`` plus ``extra`` rows' means."""
    block = Y[rows]
    thirds = np.array_split(np.arange(block.shape[0]), 3)
    parts = [block[idx].mean(axis=0) for idx in thirds if len(idx)]
    parts += [e[rows].mean(axis=0) for e in extra]
    return np.vstack(parts)


def _weights_given_v(P: np.ndarray, v: np.ndarray) -> np.ndarray:
    scale = P.std(axis=1, keepdims=True)
    scale[scale == 0] = 1.0
    S = (P / scale) * np.sqrt(v)[:, None]
    return simplex_weights(S[:, 1:], S[:, 0])


def sc_cv(y: np.ndarray, X: np.ndarray, t0: int, extra: Sequence[np.ndarray] = (), **_) -> Fit:
    """Synthetic control on predictors with V chosen by training/validation cross-validation (ADH 2015).

    ``extra``: covariate matrices shaped like ``np.column_stack([y, X])`` (e.g. log population,
    nominal growth); unit 0 is the treated one. Needs a pre-period of at least 6 years.
    """
    if t0 < 6:
        raise ValueError(f"sc_cv needs at least 6 pre-period years to split into training and validation, got {t0}")
    Y = np.column_stack([y, X])
    half = t0 // 2
    train = _predictors(Y, extra, slice(0, half))
    valid = _predictors(Y, extra, slice(half, t0))
    k = train.shape[0]

    def loss(theta: np.ndarray) -> float:
        v = np.exp(theta - theta.max())
        w = _weights_given_v(train, v / v.sum())
        return float(np.mean((y[half:t0] - X[half:t0] @ w) ** 2))

    starts = [np.zeros(k)] + [np.eye(k)[i] * 3 for i in range(k)]
    best = min((minimize(loss, s, method="Nelder-Mead", options={"xatol": 1e-3, "fatol": 1e-10, "maxiter": 400})
                for s in starts), key=lambda r: r.fun)
    v = np.exp(best.x - best.x.max())
    w = _weights_given_v(valid, v / v.sum())
    return _result(y, X @ w, t0, w)


ESTIMATORS: dict[str, Callable[..., Fit]] = {"sc": sc, "sc_cv": sc_cv, "demeaned": demeaned, "sdid": sdid, "did": did}


def placebo_table(wide: pd.DataFrame, treated: str, donors: Sequence[str], treatment_year: int, estimator: str,
                  extra: Sequence[pd.DataFrame] = ()) -> pd.DataFrame:
    """Fit ``estimator`` for the treated province and for each donor as a placebo (others as its pool).

    ``wide``: years × codes; ``extra``: covariate frames of the same shape (only ``sc_cv`` uses them).
    Returns one row per unit (treated first): code, treated, estimate, pre_rmspe, ratio (post/pre RMSPE).
    Raises ``ValueError`` when fewer than ``MIN_DONORS`` donors are given or a value is missing.
    """
    donors = [str(d) for d in donors if str(d) != str(treated)]
    if len(donors) < MIN_DONORS:
        raise ValueError(f"{estimator}: donor pool has {len(donors)} province(s); at least {MIN_DONORS} needed")
    codes = [str(treated), *donors]
    frame = wide[codes]
    if frame.isna().to_numpy().any():
        year, code = frame.isna().stack().loc[lambda s: s].index[0]
        raise ValueError(f"{estimator}: no value for province {code} in {year}")
    Y = frame.to_numpy(dtype=float)
    E = [e[codes].to_numpy(dtype=float) for e in extra]
    t0 = int(np.sum(frame.index.to_numpy() < treatment_year))
    jobs = [(estimator, Y, E, t0, i) for i in range(len(codes)) if i == 0 or len(codes) - 2 >= 1]
    workers = _workers() if estimator in PARALLEL else 1
    if workers > 1:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            fitted = list(pool.map(_fit_unit, jobs))
    else:
        fitted = [_fit_unit(job) for job in jobs]
    return pd.DataFrame([{"code": codes[i], "treated": i == 0, **row} for (*_, i), row in zip(jobs, fitted)])


def _workers() -> int:
    """Worker processes for placebo refits: ``$PAIRING_WORKERS``, else one per core (at most 4); 1 where
    forking is not safe: outside Linux (macOS, Windows), and in a process that runs other threads (a Jupyter
    kernel), where a forked child can inherit a held lock."""
    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        return 1
    return max(1, int(os.environ.get("PAIRING_WORKERS") or min(os.cpu_count() or 1, 4)))


def _fit_unit(job) -> dict:
    """Unit ``i`` of the matrix as the treated one, the other donors (never the real treated unit) as its pool."""
    estimator, Y, E, t0, i = job
    others = [j for j in range(Y.shape[1]) if j != i and j != 0]
    order = [i, *others]
    fit = ESTIMATORS[estimator](Y[:, i], Y[:, others], t0, extra=[e[:, order] for e in E])
    post = float(np.sqrt(np.mean(fit.gap[t0:] ** 2)))
    return {"estimate": fit.estimate, "pre_rmspe": fit.pre_rmspe,
            "ratio": post / fit.pre_rmspe if fit.pre_rmspe > 0 else float("inf")}


def p_value(table: pd.DataFrame, statistic: str = "abs") -> float:
    """Placebo p-value: share of units whose statistic is at least the treated one's (treated counted).

    ``statistic``: ``"abs"`` ranks |estimate|; ``"ratio"`` ranks post/pre RMSPE (Abadie et al. 2010).
    """
    values = table["estimate"].abs().to_numpy() if statistic == "abs" else table["ratio"].to_numpy()
    return float((1 + np.sum(values[1:] >= values[0])) / len(values))


def detectable_effect(table: pd.DataFrame, alpha: float = 0.10) -> float:
    """Smallest |effect| the placebo test would call significant at ``alpha`` (two-sided, |estimate|).

    With J placebos, p ≤ α needs at most m = floor(α (J + 1)) − 1 placebos with |estimate| at least
    the treated one's, so the threshold is the (m + 1)-th largest placebo |estimate|. NaN when
    α < 1/(J + 1): no effect, however large, can reach that level.
    """
    placebo = np.sort(table.loc[~table["treated"], "estimate"].abs().to_numpy())[::-1]
    m = int(np.floor(alpha * (len(placebo) + 1))) - 1
    return float(placebo[m]) if m >= 0 else float("nan")


def did_trend(y: np.ndarray, X: np.ndarray, t0: int, **_) -> Fit:
    """Trend-adjusted DID: the pre-period gap to the donor mean is extrapolated along its linear trend.

    Robust to a treated-specific linear trend (the failure the event studies show), at the price of
    assuming the trend would have continued unchanged after treatment. Needs at least 3 pre years.
    """
    if t0 < 3:
        raise ValueError(f"did_trend needs at least 3 pre-period years, got {t0}")
    w = np.full(X.shape[1], 1.0 / X.shape[1])
    control = X @ w
    time = np.arange(len(y), dtype=float)
    slope, intercept = np.polyfit(time[:t0], (y - control)[:t0], 1)
    return _result(y, control + intercept + slope * time, t0, w)


def augsynth(y: np.ndarray, X: np.ndarray, t0: int, **_) -> Fit:
    """Ridge-augmented SC (Ben-Michael, Feller and Rothstein 2021) from the maintained library pysyncon,
    with the ridge penalty chosen by pysyncon's own cross-validation over the pre-period."""
    from pysyncon import AugSynth, Dataprep

    T, J = X.shape
    long = pd.DataFrame({"unit": np.repeat(np.arange(J + 1), T), "time": np.tile(np.arange(T), J + 1),
                         "y": np.concatenate([y, X.T.ravel()])})
    prep = Dataprep(foo=long, predictors=[], predictors_op="mean", dependent="y", unit_variable="unit",
                    time_variable="time", treatment_identifier=0, controls_identifier=list(range(1, J + 1)),
                    time_predictors_prior=range(t0), time_optimize_ssr=range(t0))
    model = AugSynth()
    model.fit(dataprep=prep, use_covariates=False)
    w = np.asarray(model.W, dtype=float)
    return _result(y, X @ w, t0, w)


ESTIMATORS.update({"did_trend": did_trend, "augsynth": augsynth})
