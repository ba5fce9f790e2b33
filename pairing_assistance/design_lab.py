"""A pairing design lab: a stated rule proposes who supports whom, to compare with the actual pairs.

A *case* is one programme in one year at province level (lower units rolled up to their province). For every
recipient province ``j`` and donor province ``i`` the rule scores the pair with five criteria, each scaled to
[0, 1] across the case:

* ``capacity``  donor fiscal capacity (2019 tax revenue, the only revenue year in the book);
* ``need``      recipient need matched to donor capacity: need_j x capacity_i, where need is population times the
                shortfall of GDP per head below the national level (1 - relative GDP per head, floored at 0);
* ``distance``  closeness: 1 - distance between province centroids (computed from the book's map file);
* ``gap``       the difference in log GDP per head (a rough proxy for economic complementarity: the book has
                no sectoral data, so "complementarity" here only means "different levels of development");
* ``ties``      1 if the two provinces were already paired in the database before the case's year.

The rule maximises the weighted sum of scores subject to: every recipient gets exactly one donor, and no donor
gets more than ``cap`` recipients (a capacity-constrained assignment, solved exactly with
``scipy.optimize.linear_sum_assignment`` on donor "slots"). Weights are the reader's choice; they are not
estimated from anything.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from .i18n import t
from .models.inequality import gini
from .pairings import active_in, with_provinces

CRITERIA = ("capacity", "need", "distance", "gap", "ties")
CASES = (("east_west_1996", 1996), ("east_west_1996", 2021), ("northeast_east_2017", 2017))
EARTH_RADIUS_KM = 6371.0


class LabError(ValueError):
    """A rule that cannot run; the message is Chinese and meant for the reader."""


@dataclass(frozen=True)
class Case:
    programme_id: str
    year: int
    donors: tuple[str, ...]  # province codes
    recipients: tuple[str, ...]
    names: dict
    scores: dict  # criterion -> array (recipients x donors) in [0, 1]
    distance_km: np.ndarray  # recipients x donors
    need: np.ndarray  # per recipient
    capacity: np.ndarray  # per donor, 100 million yuan
    actual: tuple[tuple[str, str], ...]  # (donor, recipient) province pairs in force


def centroids(topology: dict) -> dict[str, tuple[float, float]]:
    """Mean (lon, lat) of the boundary points of each province in a quantised TopoJSON (object ``provinces``)."""
    scale, shift = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        points = np.cumsum(np.asarray(arc, dtype=float), axis=0)
        arcs.append(points * scale + shift)
    out = {}
    for geometry in topology["objects"]["provinces"]["geometries"]:
        rings = geometry["arcs"] if geometry["type"] == "Polygon" else [r for p in geometry["arcs"] for r in p]
        points = np.vstack([arcs[i if i >= 0 else ~i] for ring in rings for i in ring])
        out[geometry["properties"]["code"]] = (float(points[:, 0].mean()), float(points[:, 1].mean()))
    return out


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def _unit(values: np.ndarray) -> np.ndarray:
    span = values.max() - values.min()
    return (values - values.min()) / span if span > 0 else np.zeros_like(values, dtype=float)


def province_pairs(pairings: pd.DataFrame, regions: pd.DataFrame, programme_id: str, year: int) -> set[tuple[str, str]]:
    """(donor province, recipient province) pairs of a programme in force in ``year`` (same-province pairs dropped)."""
    rows = with_provinces(active_in(pairings[pairings["programme_id"] == programme_id], year), regions)
    rows = rows.dropna(subset=["donor_province", "recipient_province"])
    return {(d, r) for d, r in zip(rows["donor_province"], rows["recipient_province"]) if d != r}


def build_case(programme_id: str, year: int, pairings: pd.DataFrame, regions: pd.DataFrame, panel: pd.DataFrame,
               fiscal: pd.DataFrame, topology: dict) -> Case:
    """Donors, recipients, criteria scores and the actual pairs of one programme in one year."""
    actual = province_pairs(pairings, regions, programme_id, year)
    if not actual:
        raise LabError(f"{programme_id} 在 {year} 年没有省级可用的结对记录")
    donors = tuple(sorted({d for d, _ in actual}))
    recipients = tuple(sorted({r for _, r in actual}))
    at = panel[panel["year"] == min(year, int(panel["year"].max()))].set_index("code")
    capacity = fiscal.set_index("code").loc[list(donors), "tax_revenue_100m"].to_numpy(float)
    rel = at.loc[list(recipients), "rel_gdp_per_capita"].to_numpy(float)
    need = at.loc[list(recipients), "population_10k"].to_numpy(float) * np.clip(1 - rel, 0, None)
    log_d = at.loc[list(donors), "log_gdp_per_capita"].to_numpy(float)
    log_r = at.loc[list(recipients), "log_gdp_per_capita"].to_numpy(float)
    where = centroids(topology)
    distance = np.array([[haversine_km(where[r], where[d]) for d in donors] for r in recipients])
    earlier = pairings[pairings["valid_from"] < year]
    tied = set(_all_province_pairs(earlier, regions))
    ties = np.array([[1.0 if (d, r) in tied else 0.0 for d in donors] for r in recipients])
    cap_unit = _unit(capacity)
    scores = {
        "capacity": np.tile(cap_unit, (len(recipients), 1)),
        "need": np.outer(_unit(need), cap_unit),
        "distance": 1 - _unit(distance),
        "gap": _unit(np.abs(log_r[:, None] - log_d[None, :])),
        "ties": ties,
    }
    names = dict(zip(regions["code"], regions["name_zh"]))
    return Case(programme_id, year, donors, recipients, {c: names[c] for c in donors + recipients}, scores,
                distance, need, capacity, tuple(sorted(actual)))


def _all_province_pairs(rows: pd.DataFrame, regions: pd.DataFrame) -> list[tuple[str, str]]:
    rows = with_provinces(rows, regions).dropna(subset=["donor_province", "recipient_province"])
    return [(d, r) for d, r in zip(rows["donor_province"], rows["recipient_province"]) if d != r]


def score_matrix(case: Case, weights: dict[str, float]) -> np.ndarray:
    """Weighted sum of the criteria (recipients x donors); raises LabError if all weights are zero."""
    unknown = set(weights) - set(CRITERIA)
    if unknown:
        raise KeyError(f"unknown criteria {sorted(unknown)}; expected {CRITERIA}")
    if any(w < 0 for w in weights.values()):
        raise LabError("权重不能为负数")
    if not any(w > 0 for w in weights.values()):
        raise LabError(t("lab.zero"))
    return sum(weights.get(c, 0.0) * case.scores[c] for c in CRITERIA)


def solve(case: Case, weights: dict[str, float], cap: int) -> np.ndarray:
    """Donor index for each recipient maximising the total score; each donor takes at most ``cap`` recipients."""
    n_r, n_d = len(case.recipients), len(case.donors)
    if cap < 1 or n_d * cap < n_r:
        raise LabError(t("lab.too_few").format(donors=n_d, cap=cap, recipients=n_r))
    score = score_matrix(case, weights)
    slots = np.repeat(np.arange(n_d), cap)
    rows, columns = linear_sum_assignment(score[:, slots], maximize=True)
    donor_of = np.empty(n_r, dtype=int)
    donor_of[rows] = slots[columns]
    return donor_of


def objective(case: Case, weights: dict[str, float], donor_of: np.ndarray) -> float:
    """Total score of an assignment (donor index per recipient)."""
    return float(score_matrix(case, weights)[np.arange(len(donor_of)), donor_of].sum())


def random_assignment(case: Case, cap: int, rng: np.random.Generator) -> np.ndarray:
    """A uniformly shuffled feasible assignment (each donor at most ``cap`` recipients)."""
    slots = rng.permutation(np.repeat(np.arange(len(case.donors)), cap))
    return slots[: len(case.recipients)]


def _burden_gini(case: Case, donor_share: np.ndarray) -> float:
    """Gini (unweighted, across the case's donors) of need taken on per unit of revenue."""
    burden = donor_share / case.capacity
    return float(gini(burden, np.ones_like(burden))) if burden.sum() > 0 else 0.0


def evaluate(case: Case, donor_of: np.ndarray) -> dict[str, float]:
    """Overlap with the actual pairs, mean distance and burden Gini of a proposed assignment."""
    index = {c: k for k, c in enumerate(case.donors)}
    actual_donors = {r: {index[d] for d, rr in case.actual if rr == r} for r in case.recipients}
    hits = [donor_of[j] in actual_donors[r] for j, r in enumerate(case.recipients)]
    share = np.zeros(len(case.donors))
    np.add.at(share, donor_of, case.need)
    return {"overlap": float(np.mean(hits)),
            "distance": float(case.distance_km[np.arange(len(donor_of)), donor_of].mean()),
            "gini": _burden_gini(case, share)}


def evaluate_actual(case: Case) -> dict[str, float]:
    """The same measures for the actual pairs; a recipient with k donors splits its need equally among them."""
    index = {c: k for k, c in enumerate(case.donors)}
    rec = {c: k for k, c in enumerate(case.recipients)}
    share = np.zeros(len(case.donors))
    distances = []
    for r in case.recipients:
        donors = [index[d] for d, rr in case.actual if rr == r]
        for d in donors:
            share[d] += case.need[rec[r]] / len(donors)
            distances.append(case.distance_km[rec[r], d])
    return {"overlap": 1.0, "distance": float(np.mean(distances)), "gini": _burden_gini(case, share)}


# The website's precomputed grid: every criterion's weight on these levels, every cap on these values.
WEIGHT_LEVELS = (0, 1, 2)
CAPS = (1, 2, 3)


def weight_grid(levels=WEIGHT_LEVELS) -> list[dict[str, float]]:
    """All weight combinations on ``levels``; the index k = sum(w_c * 3**(4 - position)) for levels 0..2."""
    combos = np.array(np.meshgrid(*[levels] * len(CRITERIA), indexing="ij")).reshape(len(CRITERIA), -1).T
    return [dict(zip(CRITERIA, map(float, row))) for row in combos]


@functools.lru_cache(maxsize=2)
def _cached_cases(key) -> tuple[Case, ...]:
    from . import data

    tables = {n: data.load_table(n) for n in ("pairings", "regions", "panel_provinces", "fiscal_2019")}
    topology = data.load_geometry()
    return tuple(build_case(p, y, tables["pairings"], tables["regions"], tables["panel_provinces"],
                            tables["fiscal_2019"], topology) for p, y in key)


def load_cases(cases=CASES) -> tuple[Case, ...]:
    """The lab's cases built from the validated tables (cached)."""
    return _cached_cases(tuple(cases))


def grid_size(levels=WEIGHT_LEVELS, caps=CAPS) -> int:
    """Number of rules the website precomputes per case: weight combinations times caps."""
    return len(weight_grid(levels)) * len(caps)


def precompute(cases: tuple[Case, ...], caps=CAPS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every weight combination on {0, 1, 2} and every cap for the website: pairs and measures.

    Returns (pairs, measures). ``pairs``: case, cap, w (grid index), recipient, donor (province codes) plus the
    actual pairs with w = -1. ``measures``: one row per case, cap and w with overlap, distance, gini or a
    Chinese message when the rule cannot run; actual pairs with w = -1.
    """
    grid = weight_grid()
    pairs, measures = [], []
    for c, case in enumerate(cases):
        for d, r in case.actual:
            pairs.append((c, 0, -1, r, d))
        measures.append({"case": c, "cap": 0, "w": -1, **evaluate_actual(case), "message": ""})
        for cap in caps:
            for w, weights in enumerate(grid):
                try:
                    donor_of = solve(case, weights, cap)
                except LabError as error:
                    measures.append({"case": c, "cap": cap, "w": w, "overlap": np.nan, "distance": np.nan,
                                     "gini": np.nan, "message": str(error)})
                    continue
                pairs += [(c, cap, w, r, case.donors[i]) for r, i in zip(case.recipients, donor_of)]
                measures.append({"case": c, "cap": cap, "w": w, **evaluate(case, donor_of), "message": ""})
    return (pd.DataFrame(pairs, columns=["case", "cap", "w", "recipient", "donor"]), pd.DataFrame(measures))


def case_label(case: Case, programmes: pd.DataFrame) -> str:
    names = programmes.set_index("programme_id")["name_zh"]
    # year first: programme names carry their own brackets ("（2021年起称东西部协作）"), a second pair read badly
    return f"{case.year}年{names[case.programme_id]}"


def comparison_table(proposed: dict[str, float], actual: dict[str, float], lang: str = "zh") -> pd.DataFrame:
    """The three measures of a proposal and of the actual pairs, with Chinese labels."""
    labels = {"overlap": "lab.overlap", "distance": "lab.distance", "gini": "lab.equity"}
    # formatted as the chart and the prose show them (40%, 1,334 km, 0.572), not as raw decimals
    shown = {"overlap": "{:.0%}", "distance": "{:,.0f}", "gini": "{:.3f}"}
    table = pd.DataFrame({t("lab.proposed", lang): {k: shown[k].format(v) for k, v in proposed.items() if k in shown},
                          t("lab.actual", lang): {k: shown[k].format(v) for k, v in actual.items() if k in shown}})
    table.index = [t(labels[k], lang) for k in table.index]
    table.index.name = t("lab.metric", lang)
    return table
