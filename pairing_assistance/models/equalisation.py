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


def _run(rate: float, cost_vertical: float, cost_horizontal: float, regions: Regions,
         progressivity: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[np.ndarray, ...]]:
    """The model in arrays: population, need, donor mask and per-head resources in each of ``SCENARIOS``."""
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
    return pop, need, surplus > 0, (cap, horizontal, vertical)


def simulate(rate: float, cost_vertical: float, cost_horizontal: float = 0.0,
             regions: Regions = DEFAULT_REGIONS, progressivity: float = 0.0) -> pd.DataFrame:
    """Per-head resources of each region under each scenario.

    ``rate`` in [0, 1]: share of the donors' surplus moved; costs are per yuan moved.
    Returns columns region, population, need, scenario, resources, donor.
    """
    pop, need, donor, values = _run(rate, cost_vertical, cost_horizontal, regions, progressivity)
    size = len(pop)
    return pd.DataFrame({
        "region": list(regions.names) * len(SCENARIOS), "population": np.tile(pop, len(SCENARIOS)),
        "need": np.tile(need, len(SCENARIOS)), "scenario": np.repeat(SCENARIOS, size),
        "resources": np.concatenate(values), "donor": np.tile(donor, len(SCENARIOS)),
    })


def _measures(values: tuple[np.ndarray, ...], scenarios, pop: np.ndarray, need: np.ndarray,
              donor: np.ndarray) -> list[dict]:
    """The summary rows of ``summarise`` from arrays (the first scenario is the state before transfers)."""
    before_total = float(values[0] @ pop)
    donors_before = float(values[0][donor] @ pop[donor])
    rows = []
    for scenario, resources in zip(scenarios, values):
        adjusted = resources / need
        rows.append({
            "scenario": scenario,
            "gini": gini(adjusted, pop),
            "cv": coefficient_of_variation(adjusted, pop),
            "theil": theil(adjusted, pop),
            "loss_pct": 100 * (before_total - float(resources @ pop)) / before_total,
            "donor_burden_pct": (100 * (donors_before - float(resources[donor] @ pop[donor])) / donors_before
                                 if donors_before else 0.0),
        })
    return rows


def summarise(result: pd.DataFrame) -> pd.DataFrame:
    """Per scenario: inequality of resources per unit of need (Gini, CV, Theil), the loss (% of all
    resources before transfers) and the donors' burden (% of the donors' own resources they give up)."""
    scenarios = ["before", *(s for s in result["scenario"].unique() if s != "before")]
    parts = [result[result["scenario"] == s] for s in scenarios]
    before = parts[0]
    pop, need, donor = (before[c].to_numpy(dtype=dtype) for c, dtype in
                        (("population", float), ("need", float), ("donor", bool)))
    rows = _measures(tuple(p["resources"].to_numpy(dtype=float) for p in parts), scenarios, pop, need, donor)
    order = list(result["scenario"].unique())
    return pd.DataFrame(sorted(rows, key=lambda row: order.index(row["scenario"])))


def _gini_gap(rate: float, cost_vertical: float, cost_horizontal: float, regions: Regions,
              progressivity: float = 0.0) -> float:
    """Gini of the horizontal minus the vertical rule (resources per unit of need)."""
    pop, need, _, (_, horizontal, vertical) = _run(rate, cost_vertical, cost_horizontal, regions, progressivity)
    return gini(horizontal / need, pop) - gini(vertical / need, pop)


def break_even_cost(rate: float, cost_vertical: float, regions: Regions = DEFAULT_REGIONS) -> float | None:
    """Coordination cost of horizontal transfers at which both rules reach the same Gini.

    Below it the horizontal (pairing) rule equalises more; ``None`` if it does so for every cost up to 1.
    """
    def gap(cost_horizontal: float) -> float:
        return _gini_gap(rate, cost_vertical, cost_horizontal, regions)

    low, high = 0.0, 1.0
    if rate == 0 or gap(low) > 0:
        return 0.0 if rate else None
    if gap(high) < 0:
        return None
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (middle, high) if gap(middle) < 0 else (low, middle)
    return (low + high) / 2


def grid(rates_pct=range(0, 55, 5), costs_pct=(0, 10, 20, 30),
         regions: Regions = DEFAULT_REGIONS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Precomputed runs for the website's sliders (integer percentages as keys)."""
    bars, summaries = [], []
    for rate in rates_pct:
        for cv in costs_pct:
            for ch in costs_pct:
                pop, need, donor, values = _run(rate / 100, cv / 100, ch / 100, regions, 0.0)
                keys = {"rate_pct": rate, "cv_pct": cv, "ch_pct": ch}
                bars.append((keys, values))
                summaries += [{**row, **keys} for row in _measures(values, SCENARIOS, pop, need, donor)]
    size, runs = len(regions.names), len(bars)
    per_run = size * len(SCENARIOS)
    bar_frame = pd.DataFrame({
        "region": list(regions.names) * len(SCENARIOS) * runs,
        "population": np.tile(pop, len(SCENARIOS) * runs), "need": np.tile(need, len(SCENARIOS) * runs),
        "scenario": np.tile(np.repeat(SCENARIOS, size), runs),
        "resources": np.concatenate([np.concatenate(values) for _, values in bars]),
        "donor": np.tile(donor, len(SCENARIOS) * runs),
        **{key: np.repeat([keys[key] for keys, _ in bars], per_run) for key in ("rate_pct", "cv_pct", "ch_pct")},
    })
    return bar_frame, pd.DataFrame(summaries)


def progressivity_threshold(rate: float, cost_vertical: float, cost_horizontal: float,
                            regions: Regions = DEFAULT_REGIONS) -> float | None:
    """Smallest progressivity of the central levy at which the vertical rule's Gini is no higher than the
    horizontal rule's. 0 if the flat levy already equalises as much; None if even theta = 1 does not (the
    vertical loss is then too large). The vertical Gini falls as theta rises (tested), so bisection applies.
    """
    def gap(theta: float) -> float:
        return -_gini_gap(rate, cost_vertical, cost_horizontal, regions, theta)

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
            pop, need, _, (_, horizontal, vertical) = _run(rate, cost_vertical, ch / 100, regions, theta / 100)
            rows += [{"ch_pct": ch, "theta_pct": theta, "scenario": s, "gini": gini(values / need, pop)}
                     for s, values in (("horizontal", horizontal), ("vertical", vertical))]
    return pd.DataFrame(rows)
