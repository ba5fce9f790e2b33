"""Horizontal versus vertical fiscal equalisation among regions (chapter 2).

Regions have population ``P_i``, fiscal capacity per head ``r_i`` and a
spending-need index ``n_i`` (1 = the national average cost of standard public
services per head). Equalisation aims at equal resources per unit of need:
the national benchmark is ``m = sum(r_i P_i) / sum(n_i P_i)``. A pool ``H`` is
moved from regions above the benchmark to regions below it, shared in
proportion to their shortfall ``max(m n_i - r_i, 0) P_i``; the surplus of a
region is ``max(r_i - m n_i, 0) P_i``. With all ``n_i = 1`` this is plain
equalisation of resources per head.

* Horizontal (pairing) rule: regions above the mean give ``rate`` times their
  surplus ``max(r_i - m, 0) P_i``, so ``H = rate * total surplus``; a share
  ``cost_horizontal`` of the pool is lost to coordination and bargaining.
* Vertical rule: the centre raises the same ``H`` with a tax proportional to
  every region's capacity; raising one yuan costs ``1 + cost_vertical`` yuan
  (deadweight loss), and the whole ``H`` reaches the recipients.
* Progressive vertical rule (``progressivity`` = theta in [0, 1]): each region's
  share of the central levy is proportional to ``(1 - theta) r_i P_i + theta U_i``.
  theta = 0 is the flat levy above; theta = 1 levies only the surpluses, exactly
  like the horizontal rule, so the two rules then differ only by their losses
  (and coincide when both losses are zero). Chapter 2 uses this to show that
  the horizontal rule's advantage comes from who pays, not from pairing itself.

Numbers are per head, in yuan. ``DEFAULT_REGIONS`` are illustrative; the book
calibrates the model with ``regions_from_table`` on real provincial data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .inequality import coefficient_of_variation, gini, theil


@dataclass(frozen=True)
class Regions:
    names: tuple[str, ...]
    population: tuple[float, ...]  # people (any common unit)
    capacity: tuple[float, ...]  # fiscal capacity per head, yuan
    need: tuple[float, ...] | None = None  # spending-need index per head (None: all 1)

    def need_index(self) -> np.ndarray:
        return np.ones(len(self.names)) if self.need is None else np.asarray(self.need, dtype=float)


def regions_from_table(table: pd.DataFrame, capacity: str = "tax_per_capita", population: str = "population_10k",
                       name: str = "province", need: str | None = None) -> Regions:
    """Model regions from a table with one row per region (e.g. ``data.load_table("fiscal_2019")``)."""
    return Regions(names=tuple(table[name]), population=tuple(table[population].astype(float)),
                   capacity=tuple(table[capacity].astype(float)),
                   need=None if need is None else tuple(table[need].astype(float)))


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
             regions: Regions = DEFAULT_REGIONS, progressivity: float = 0.0) -> pd.DataFrame:
    """Per-head resources of each region under each scenario.

    ``rate`` in [0, 1]: share of the donors' surplus moved; costs are per yuan moved.
    Returns columns region, population, scenario, resources.
    """
    if not 0 <= rate <= 1 or cost_vertical < 0 or cost_horizontal < 0 or not 0 <= progressivity <= 1:
        raise ValueError("rate and progressivity must be in [0, 1] and costs non-negative")
    pop = np.asarray(regions.population, dtype=float)
    cap = np.asarray(regions.capacity, dtype=float)
    need = regions.need_index()
    benchmark = float(cap @ pop / (need @ pop))
    surplus = np.clip(cap - benchmark * need, 0, None) * pop
    shortfall = np.clip(benchmark * need - cap, 0, None) * pop
    pool = rate * surplus.sum()
    receive_share = shortfall / shortfall.sum() if shortfall.sum() > 0 else np.zeros_like(pop)

    horizontal = cap - rate * surplus / pop + pool * (1 - cost_horizontal) * receive_share / pop
    base = (1 - progressivity) * cap * pop + progressivity * surplus
    tax = pool * (1 + cost_vertical) * base / base.sum() if pool > 0 else np.zeros_like(pop)
    vertical = cap - tax / pop + pool * receive_share / pop
    frames = [
        pd.DataFrame({"region": regions.names, "population": pop, "need": need, "scenario": name,
                      "resources": values, "donor": surplus > 0})
        for name, values in zip(SCENARIOS, (cap, horizontal, vertical))
    ]
    return pd.concat(frames, ignore_index=True)


def summarise(result: pd.DataFrame) -> pd.DataFrame:
    """Per scenario: inequality of resources per unit of need (Gini, CV, Theil), the loss (% of all
    resources before transfers) and the donors' burden (% of the donors' own resources they give up)."""
    before = result[result["scenario"] == "before"]
    before_total = _total(before)
    donors_before = _total(before[before["donor"]])
    rows = []
    for scenario, part in result.groupby("scenario", sort=False):
        adjusted = part["resources"] / part["need"]
        donors = part[part["donor"]]
        rows.append({
            "scenario": scenario,
            "gini": gini(adjusted, part["population"]),
            "cv": coefficient_of_variation(adjusted, part["population"]),
            "theil": theil(adjusted, part["population"]),
            "loss_pct": 100 * (before_total - _total(part)) / before_total,
            "donor_burden_pct": 100 * (donors_before - _total(donors)) / donors_before if donors_before else 0.0,
        })
    return pd.DataFrame(rows)


def break_even_cost(rate: float, cost_vertical: float, regions: Regions = DEFAULT_REGIONS) -> float | None:
    """Coordination cost of horizontal transfers at which both rules reach the same Gini.

    Below it the horizontal (pairing) rule equalises more; ``None`` if it does so for every cost up to 1.
    """
    def gap(cost_horizontal: float) -> float:
        summary = summarise(simulate(rate, cost_vertical, cost_horizontal, regions)).set_index("scenario")
        return summary.gini["horizontal"] - summary.gini["vertical"]

    low, high = 0.0, 1.0
    if rate == 0 or gap(low) > 0:
        return 0.0 if rate else None
    if gap(high) < 0:
        return None
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (middle, high) if gap(middle) < 0 else (low, middle)
    return (low + high) / 2


def _total(part: pd.DataFrame) -> float:
    return float((part["resources"] * part["population"]).sum())


def grid(rates_pct=range(0, 55, 5), costs_pct=(0, 10, 20, 30),
         regions: Regions = DEFAULT_REGIONS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Precomputed runs for the website's sliders (integer percentages as keys)."""
    bars, summaries = [], []
    for rate in rates_pct:
        for cv in costs_pct:
            for ch in costs_pct:
                result = simulate(rate / 100, cv / 100, ch / 100, regions)
                keys = {"rate_pct": rate, "cv_pct": cv, "ch_pct": ch}
                bars.append(result.assign(**keys))
                summaries.append(summarise(result).assign(**keys))
    return pd.concat(bars, ignore_index=True), pd.concat(summaries, ignore_index=True)


def progressivity_threshold(rate: float, cost_vertical: float, cost_horizontal: float,
                            regions: Regions = DEFAULT_REGIONS) -> float | None:
    """Smallest progressivity of the central levy at which the vertical rule's Gini is no higher than the
    horizontal rule's. 0 if the flat levy already equalises as much; None if even theta = 1 does not (the
    vertical loss is then too large). The vertical Gini falls as theta rises (tested), so bisection applies.
    """
    def gap(theta: float) -> float:
        summary = summarise(simulate(rate, cost_vertical, cost_horizontal, regions, theta)).set_index("scenario")
        return summary.gini["vertical"] - summary.gini["horizontal"]

    if rate == 0 or gap(0.0) <= 0:
        return 0.0
    if gap(1.0) > 0:
        return None
    low, high = 0.0, 1.0
    for _ in range(50):
        middle = (low + high) / 2
        low, high = (middle, high) if gap(middle) > 0 else (low, middle)
    return high


def fair_grid(rate: float = 0.3, cost_vertical: float = 0.2, costs_h_pct=(0, 10, 20, 30),
              thetas_pct=range(0, 101, 10), regions: Regions = DEFAULT_REGIONS) -> pd.DataFrame:
    """Gini of both rules over the levy's progressivity, for each horizontal coordination cost (chart data)."""
    rows = []
    for ch in costs_h_pct:
        for theta in thetas_pct:
            summary = summarise(simulate(rate, cost_vertical, ch / 100, regions, theta / 100)).set_index("scenario")
            rows += [{"ch_pct": ch, "theta_pct": theta, "scenario": s, "gini": summary.gini[s]}
                     for s in ("horizontal", "vertical")]
    return pd.DataFrame(rows)
