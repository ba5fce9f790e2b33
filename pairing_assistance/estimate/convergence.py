"""Convergence across provinces: sigma- and beta-convergence and a Theil decomposition.

Inputs are nominal GDP per capita (元 per person). A deflator common to all provinces cancels
from the dispersion of logs, from the beta slope and from the Theil index, so nominal values
suffice for these statistics; province-specific price levels and price changes are ignored (a
limitation: richer provinces have higher price levels, so real gaps are smaller than nominal ones).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf

from ._panel import tidy



def sigma(panel: pd.DataFrame, value: str = "gdp_per_capita", weight: str | None = None) -> pd.DataFrame:
    """Sigma-convergence: the standard deviation of ln(``value``) across provinces, by year.

    Unweighted by default (each province counts once, as in Barro and Sala-i-Martin), with the
    population formula (divide by n, not n − 1). With ``weight`` (e.g. ``"population_10k"``) the
    SD is weighted by that column: it then describes dispersion across people, not provinces.
    Returns columns year, sigma (log points), n. Values must be positive.
    """
    columns = [value] + ([weight] if weight else [])
    frame = tidy(panel, columns).dropna(subset=columns)
    if (frame[value] <= 0).any():
        raise ValueError(f"sigma needs positive {value}")
    rows = []
    for year, group in frame.groupby("year", sort=True):
        logs = np.log(group[value].to_numpy())
        w = group[weight].to_numpy() if weight else np.ones(len(logs))
        mean = np.average(logs, weights=w)
        rows.append({"year": int(year), "sigma": float(np.sqrt(np.average((logs - mean) ** 2, weights=w))),
                     "n": len(logs)})
    return pd.DataFrame(rows, columns=["year", "sigma", "n"])


@dataclass(frozen=True)
class BetaResult:
    """Beta-convergence over ``start``..``end``.

    ``beta``: slope of average annual log growth (per year) on the initial log level; ``se``: its
    conventional OLS standard error; ``speed``: implied convergence rate λ = −ln(1 + β·T)/T per
    year; ``half_life`` = ln 2 / λ in years (NaN when β >= 0, i.e. no convergence, or 1 + β·T <= 0).
    """

    start: int
    end: int
    beta: float
    se: float
    speed: float
    half_life: float
    r_squared: float
    n: int


def implied_speed(beta: float, years: float) -> float:
    """λ = −ln(1 + β·T)/T, the speed that makes a log-linear approach match slope β over T years."""
    inside = 1.0 + beta * years
    return float(-np.log(inside) / years) if inside > 0 else float("nan")


def beta(panel: pd.DataFrame, start: int, end: int, value: str = "gdp_per_capita") -> BetaResult:
    """Unconditional beta-convergence: OLS of ``growth ~ log_initial`` across provinces, where
    growth = [ln y(end) − ln y(start)] / (end − start) and log_initial = ln y(start).

    Uses provinces with positive values in both years. The OLS SE assumes homoskedastic,
    independent errors across provinces (spatially correlated shocks make it optimistic).
    """
    if end <= start:
        raise ValueError("end must be after start")
    frame = tidy(panel, [value])
    wide = frame[frame["year"].isin([start, end])].pivot(index="code", columns="year", values=value)
    if start not in wide or end not in wide:
        raise ValueError(f"panel has no {value} for {start} or {end}")
    wide = wide.dropna()
    wide = wide[(wide[start] > 0) & (wide[end] > 0)]
    if len(wide) < 3:
        raise ValueError("beta-convergence needs at least three provinces")
    sample = pd.DataFrame({"log_initial": np.log(wide[start]),
                           "growth": (np.log(wide[end]) - np.log(wide[start])) / (end - start)})
    result = smf.ols("growth ~ log_initial", data=sample).fit()
    b = float(result.params["log_initial"])
    speed = implied_speed(b, end - start)
    half_life = float(np.log(2) / speed) if speed > 0 else float("nan")
    return BetaResult(start=start, end=end, beta=b, se=float(result.bse["log_initial"]), speed=speed,
                      half_life=half_life, r_squared=float(result.rsquared), n=int(result.nobs))


def beta_by_period(panel: pd.DataFrame, periods: Iterable[tuple[int, int]],
                   value: str = "gdp_per_capita") -> pd.DataFrame:
    """``beta`` for each (start, end) period; one row per period with the ``BetaResult`` fields."""
    return pd.DataFrame([vars(beta(panel, start, end, value)) for start, end in periods])


def theil(panel: pd.DataFrame, value: str = "gdp_per_capita", population: str = "population_10k",
          group: str = "region_group") -> pd.DataFrame:
    """Population-weighted Theil T index of ``value`` per person, by year, split by ``group``.

    With population shares p_i and income shares s_i = p_i·y_i / Σ p·y:
    total = Σ s_i ln(s_i / p_i); between = Σ_g s_g ln(s_g / p_g) (each group at its own mean);
    within = Σ_g s_g T_g, with T_g the Theil index inside group g. between + within = total
    exactly (up to rounding). Zero when every province has the same value. ``value`` > 0,
    ``population`` >= 0 (only shares matter, so units are free).
    Returns columns year, total, between, within, between_share, n.
    """
    frame = tidy(panel, [value, population])
    frame[group] = panel[group].to_numpy()
    frame = frame.dropna(subset=[value, population, group])
    if (frame[value] <= 0).any() or (frame[population] < 0).any():
        raise ValueError(f"theil needs positive {value} and non-negative {population}")
    rows = []
    for year, part in frame.groupby("year", sort=True):
        pop = part[population].to_numpy()
        income = pop * part[value].to_numpy()
        p, s = pop / pop.sum(), income / income.sum()
        keep = p > 0
        total = float(np.sum(s[keep] * np.log(s[keep] / p[keep])))
        between = within = 0.0
        for _, idx in part.groupby(group, sort=True).indices.items():
            pg, sg = p[idx].sum(), s[idx].sum()
            if pg == 0:
                continue
            between += sg * np.log(sg / pg)
            inner = p[idx] > 0
            within += sg * float(np.sum((s[idx][inner] / sg) * np.log((s[idx][inner] / sg) / (p[idx][inner] / pg))))
        rows.append({"year": int(year), "total": total, "between": float(between), "within": float(within),
                     "between_share": float(between / total) if total > 0 else float("nan"), "n": len(part)})
    return pd.DataFrame(rows, columns=["year", "total", "between", "within", "between_share", "n"])
