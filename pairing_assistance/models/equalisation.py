"""Horizontal versus vertical fiscal equalisation among regions (chapter 2).

Regions have population ``P_i`` and fiscal capacity per head ``r_i``; the
national mean is ``m = sum(r_i P_i) / sum(P_i)``. A pool ``H`` is moved from
regions above the mean to regions below it, shared in proportion to their
shortfall ``max(m - r_i, 0) P_i``.

* Horizontal (pairing) rule: regions above the mean give ``rate`` times their
  surplus ``max(r_i - m, 0) P_i``, so ``H = rate * total surplus``; a share
  ``cost_horizontal`` of the pool is lost to coordination and bargaining.
* Vertical rule: the centre raises the same ``H`` with a tax proportional to
  every region's capacity; raising one yuan costs ``1 + cost_vertical`` yuan
  (deadweight loss), and the whole ``H`` reaches the recipients.

Numbers are per head, in yuan. The default regions are illustrative, not data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .inequality import coefficient_of_variation, gini


@dataclass(frozen=True)
class Regions:
    names: tuple[str, ...]
    population: tuple[float, ...]  # people (any common unit)
    capacity: tuple[float, ...]  # fiscal capacity per head, yuan


# Illustrative six-region economy: per-head capacities span the range of
# provincial general-budget revenue per head in the 2010s (a few thousand to
# about thirty thousand yuan); populations in 100 million people.
DEFAULT_REGIONS = Regions(
    names=("东部甲", "东部乙", "东北", "中部", "西部甲", "西部乙"),
    population=(0.6, 2.4, 1.0, 3.6, 2.2, 1.4),
    capacity=(26000.0, 10500.0, 5200.0, 4600.0, 4000.0, 3300.0),
)
SCENARIOS = ("before", "horizontal", "vertical")


def simulate(rate: float, cost_vertical: float, cost_horizontal: float = 0.0,
             regions: Regions = DEFAULT_REGIONS) -> pd.DataFrame:
    """Per-head resources of each region under each scenario.

    ``rate`` in [0, 1]: share of the donors' surplus moved; costs are per yuan moved.
    Returns columns region, population, scenario, resources.
    """
    if not 0 <= rate <= 1 or cost_vertical < 0 or cost_horizontal < 0:
        raise ValueError("rate must be in [0, 1] and costs non-negative")
    pop = np.asarray(regions.population, dtype=float)
    cap = np.asarray(regions.capacity, dtype=float)
    mean = float(cap @ pop / pop.sum())
    surplus = np.clip(cap - mean, 0, None) * pop
    shortfall = np.clip(mean - cap, 0, None) * pop
    pool = rate * surplus.sum()
    receive_share = shortfall / shortfall.sum() if shortfall.sum() > 0 else np.zeros_like(pop)

    horizontal = cap - rate * surplus / pop + pool * (1 - cost_horizontal) * receive_share / pop
    tax = pool * (1 + cost_vertical) * (cap * pop) / (cap @ pop)
    vertical = cap - tax / pop + pool * receive_share / pop
    frames = [
        pd.DataFrame({"region": regions.names, "population": pop, "scenario": name, "resources": values})
        for name, values in zip(SCENARIOS, (cap, horizontal, vertical))
    ]
    return pd.concat(frames, ignore_index=True)


def summarise(result: pd.DataFrame) -> pd.DataFrame:
    """Gini, coefficient of variation and loss (% of total resources before) per scenario."""
    before_total = _total(result[result["scenario"] == "before"])
    rows = []
    for scenario, part in result.groupby("scenario", sort=False):
        rows.append({
            "scenario": scenario,
            "gini": gini(part["resources"], part["population"]),
            "cv": coefficient_of_variation(part["resources"], part["population"]),
            "loss_pct": 100 * (before_total - _total(part)) / before_total,
        })
    return pd.DataFrame(rows)


def _total(part: pd.DataFrame) -> float:
    return float((part["resources"] * part["population"]).sum())


def grid(rates_pct=range(0, 55, 5), costs_pct=(0, 10, 20, 30)) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Precomputed runs for the website's sliders (integer percentages as keys)."""
    bars, summaries = [], []
    for rate in rates_pct:
        for cv in costs_pct:
            for ch in costs_pct:
                result = simulate(rate / 100, cv / 100, ch / 100)
                keys = {"rate_pct": rate, "cv_pct": cv, "ch_pct": ch}
                bars.append(result.assign(**keys))
                summaries.append(summarise(result).assign(**keys))
    return pd.concat(bars, ignore_index=True), pd.concat(summaries, ignore_index=True)
