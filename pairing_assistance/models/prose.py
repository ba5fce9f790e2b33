"""Numbers that chapter 2 (and the appendix's model sections) write in their prose, computed from the models.

``theory_numbers`` returns plain Python floats and ints keyed by name; the notebook glues each one
(``glue(key, value, display=False)``) and the prose formats it (``{glue:text}`ch2_gini_before:.3f```), so a
number in the text is always the number the model gives. Shares are fractions (format them with ``%``),
amounts are in yuan per head or in 100 million yuan (亿元) as named.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from . import equalisation, growth

# the settings the chapter's prose describes (the web chart's default position)
RATE, COST_V, COST_H = 0.3, 0.2, 0.1
TRANSFER, GAIN, YEARS = 0.10, 0.20, 10


def _scenario(rate: float, cost_v: float, cost_h: float, regions: equalisation.Regions) -> pd.DataFrame:
    return equalisation.summarise(equalisation.simulate(rate, cost_v, cost_h, regions)).set_index("scenario")


def equalisation_numbers(fiscal: pd.DataFrame) -> dict[str, float | int]:
    """The calibration and the default comparison of horizontal and vertical rules (figure 2-1, its table)."""
    regions = equalisation.regions_from_table(fiscal)
    people, per_head = np.asarray(regions.population), np.asarray(regions.capacity)
    benchmark = float((people * per_head).sum() / people.sum())
    donors = per_head > benchmark
    pool = RATE * float(((per_head - benchmark).clip(min=0) * people).sum())  # yuan x 10k people
    base = _scenario(RATE, COST_V, COST_H, regions)
    far = _scenario(RATE, COST_V, 0.3, regions)
    numbers: dict[str, float | int] = {
        "ch2_n_regions": len(regions.names), "ch2_n_west": int((fiscal["region_group"] == "west").sum()),
        "ch2_mean_tax": benchmark, "ch2_min_tax": float(per_head.min()), "ch2_max_tax": float(per_head.max()),
        "ch2_max_min_ratio": float(per_head.max() / per_head.min()), "ch2_n_donors": int(donors.sum()),
        "ch2_donor_pop_share": float(people[donors].sum() / people.sum()),
        "ch2_pool_100m": pool / 1e4, "ch2_pool_share": pool / float((people * per_head).sum()),
        "ch2_gini_h_far": float(far.gini["horizontal"]), "ch2_loss_h_far": float(far.loss_pct["horizontal"]),
    }
    for scenario, short in (("before", "before"), ("horizontal", "h"), ("vertical", "v")):
        for measure in ("gini", "cv", "theil", "loss_pct", "donor_burden_pct"):
            numbers[f"ch2_{measure}_{short}"] = float(base.loc[scenario, measure])
    for short in ("h", "v"):
        numbers[f"ch2_gini_cut_{short}"] = 1 - numbers[f"ch2_gini_{short}"] / numbers["ch2_gini_before"]
    return numbers


def growth_numbers() -> dict[str, float | int]:
    """The two-region growth model's default path (figure 2-2, its key-number table) and its variants."""
    p = growth.DEFAULT
    path = growth.simulate(TRANSFER, GAIN, YEARS).set_index("year")
    ratio = path["recipient"] / path["donor"]

    def year_40(transfer: float, gain: float, persistence: float = p.persistence) -> float:
        kept = dataclasses.replace(p, persistence=persistence)
        return float(growth.simulate(transfer, gain, YEARS, p=kept)["recipient"].iloc[-1])

    capital_only = growth.simulate(TRANSFER, 0.0, YEARS).set_index("year")["recipient"]
    gain_only = growth.simulate(0.0, GAIN, YEARS).set_index("year")["recipient"]
    exponent = 1 / (1 - p.alpha)
    return {
        "ch2_phase_in": growth.PHASE_IN,
        "ch2_tfp10_output_gain": 1.1 ** exponent - 1,
        "ch2_new_steady": (1 + p.persistence * GAIN) ** exponent,
        "ch2_gap_shrink": (1 - p.alpha) * p.delta, "ch2_half_life": growth.convergence_half_life(),
        "ch2_ratio_start": float(ratio[0]), "ch2_donor_start": float(path.loc[0, "donor"]),
        "ch2_rec_10": float(path.loc[YEARS, "recipient"]), "ch2_ratio_10": float(ratio[YEARS]),
        "ch2_donor_10": float(path.loc[YEARS, "donor"]),
        "ch2_donor_drop": float(1 - path.loc[YEARS, "donor"] / path.loc[0, "donor"]),
        "ch2_rec_20": float(path.loc[20, "recipient"]), "ch2_rec_40": float(path.loc[40, "recipient"]),
        "ch2_donor_40": float(path.loc[40, "donor"]), "ch2_ratio_40": float(ratio[40]),
        "ch2_capital_only_10": float(capital_only[YEARS]), "ch2_capital_only_40": float(capital_only[40]),
        "ch2_rec_40_keep0": year_40(TRANSFER, GAIN, 0.0), "ch2_rec_40_keep1": year_40(TRANSFER, GAIN, 1.0),
        "ch2_mpk": p.alpha * p.delta / p.saving,
        "ch2_gain_only_10": float(gain_only[YEARS]), "ch2_gain_only_40": float(gain_only[40]),
        "ch2_half_life_slow": growth.convergence_half_life(dataclasses.replace(p, delta=0.05)),
        "ch2_gain_half_life": float(np.log(0.5) / np.log(1 - p.decay)), "ch2_horizon": int(path.index.max()),
        "ch2_growth_runs": int(len(growth.grid().drop_duplicates(["transfer_pct", "gain_pct", "support_years"]))),
    }


def exercise_numbers(fiscal: pd.DataFrame) -> dict[str, float | int]:
    """The real-data answers of chapter 2's exercises 2-5 and 9 (the toy exercises are worked by hand)."""
    regions = equalisation.regions_from_table(fiscal)
    tax = fiscal.set_index("province")["tax_per_capita"]
    cost_50 = equalisation.break_even_cost(0.5, COST_V, regions)
    at_50 = _scenario(0.5, COST_V, cost_50, regions)
    free = _scenario(RATE, COST_V, 0.0, regions)
    v_free, v_far = _scenario(RATE, 0.0, COST_H, regions), _scenario(RATE, 0.3, COST_H, regions)
    h_far = _scenario(RATE, COST_V, 0.3, regions)
    west = fiscal["region_group"] == "west"
    need = tuple(np.where(west, 1.3, 1.0))
    needy = dataclasses.replace(regions, need=need)
    people = np.asarray(regions.population)
    needy_result = equalisation.simulate(RATE, COST_V, COST_H, needy)
    needy_summary = equalisation.summarise(needy_result).set_index("scenario")
    runs = growth.grid()
    donors = runs[runs["economy"] == "donor"]
    lowest = donors.loc[donors["output"].idxmin()]
    return {
        "ch2_ex2_gini_v_free": float(v_free.gini["vertical"]), "ch2_ex2_gini_v_far": float(v_far.gini["vertical"]),
        "ch2_ex2_loss_far": float(v_far.loss_pct["vertical"]),
        "ch2_ex2_burden_v_free": float(v_free.donor_burden_pct["vertical"]),
        "ch2_ex2_burden_v_far": float(v_far.donor_burden_pct["vertical"]),
        "ch2_ex2_gini_h_free": float(free.gini["horizontal"]), "ch2_ex2_gini_h_far": float(h_far.gini["horizontal"]),
        "ch2_ex2_loss_h_far": float(h_far.loss_pct["horizontal"]),
        "ch2_ex2_burden_h": float(free.donor_burden_pct["horizontal"]),
        "ch2_ex3_gini_ratio": float(free.gini["horizontal"] / free.gini["before"]),
        "ch2_ex3_theil_ratio": float(free.theil["horizontal"] / free.theil["before"]),
        "ch2_ex3_square": (1 - RATE) ** 2,
        "ch2_ex4_cost": cost_50, "ch2_ex4_gini": float(at_50.gini["horizontal"]),
        "ch2_ex4_loss_h": float(at_50.loss_pct["horizontal"]), "ch2_ex4_loss_v": float(at_50.loss_pct["vertical"]),
        "ch2_ex4_cv_h": float(at_50.cv["horizontal"]), "ch2_ex4_cv_v": float(at_50.cv["vertical"]),
        "ch2_ex4_theil_h": float(at_50.theil["horizontal"]), "ch2_ex4_theil_v": float(at_50.theil["vertical"]),
        "ch2_ex5_west_pop_share": float(people[west.to_numpy()].sum() / people.sum()),
        "ch2_ex5_benchmark": float((people * np.asarray(regions.capacity)).sum() / (people * np.asarray(need)).sum()),
        "ch2_ex5_tax_nmg": float(tax["内蒙古自治区"]), "ch2_ex5_tax_sx": float(tax["山西省"]),
        "ch2_ex5_tax_fj": float(tax["福建省"]),
        "ch2_ex5_n_donors": int(needy_result.query("scenario == 'before' and donor").shape[0]),
        "ch2_ex5_gini_before": float(needy_summary.gini["before"]),
        "ch2_ex5_gini_h": float(needy_summary.gini["horizontal"]), "ch2_ex5_gini_v": float(needy_summary.gini["vertical"]),
        "ch2_ex5_cut_h": float(1 - needy_summary.gini["horizontal"] / needy_summary.gini["before"]),
        "ch2_ex5_cut_v": float(1 - needy_summary.gini["vertical"] / needy_summary.gini["before"]),
        "ch2_ex9_runs": int(len(donors[["transfer_pct", "gain_pct", "support_years"]].drop_duplicates())),
        "ch2_ex9_donor_min": float(lowest["output"]), "ch2_ex9_min_transfer": float(lowest["transfer_pct"]) / 100,
        "ch2_ex9_min_gain": float(lowest["gain_pct"]) / 100, "ch2_ex9_min_years": int(lowest["support_years"]),
        "ch2_ex9_min_year": int(lowest["year"]),
    }


def theory_numbers(fiscal: pd.DataFrame) -> dict[str, float | int]:
    """Every computed number of chapter 2's prose, running text and real-data exercise answers."""
    runs = equalisation.grid(regions=equalisation.regions_from_table(fiscal))[1]
    grid = {"ch2_eq_runs": int(len(runs.drop_duplicates(["rate_pct", "cv_pct", "ch_pct"])))}
    return {**equalisation_numbers(fiscal), **growth_numbers(), **exercise_numbers(fiscal), **grid}
