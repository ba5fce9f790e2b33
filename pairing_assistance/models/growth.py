"""Two regions with pairing support: a Solow model with Cobb–Douglas production (chapters 2 and 4).

Output per worker ``y = A k**alpha``; capital per worker evolves as
``k' = k + s*y - delta*k``. Both regions start in their own steady state
``k* = (s A / delta) ** (1 / (1 - alpha))``, so without support nothing moves.
While support lasts (years 0 to ``support_years``):

* economic support (investment scale): the donor moves ``capital_transfer``
  times the recipient's output into the recipient's capital; the donor, with
  ``donor_size`` times as many workers, loses that amount spread over its workers;
* intellectual support (investment efficiency): the recipient's productivity
  rises towards ``A_r (1 + productivity_gain)`` over ``PHASE_IN`` years.

When support stops, transferred capital depreciates away and the productivity
gain decays towards the share ``persistence`` that stays (skills and
institutions that remain). Outputs are scaled so the recipient's initial
output per worker is 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class GrowthParameters:
    alpha: float = 0.4  # capital share
    saving: float = 0.25  # investment rate
    delta: float = 0.08  # depreciation
    tfp_donor: float = 1.0
    tfp_recipient: float = 0.55
    donor_size: float = 2.0  # donor workers per recipient worker
    persistence: float = 0.5  # share of the productivity gain kept after support ends
    decay: float = 0.15  # yearly decay of the rest of the gain after support ends


PHASE_IN = 5  # years for intellectual support to reach its full effect
DEFAULT = GrowthParameters()


def steady_state_capital(tfp: float, p: GrowthParameters = DEFAULT) -> float:
    """k* = (s A / delta) ** (1 / (1 - alpha))."""
    return (p.saving * tfp / p.delta) ** (1 / (1 - p.alpha))


def convergence_half_life(p: GrowthParameters = DEFAULT) -> float:
    """Years for a small capital gap to the steady state to halve.

    Linearising k' = k + s A k**alpha - delta k around k* gives k'-k* = (1 - (1-alpha) delta)(k-k*), the same
    factor for every A; output gaps shrink at the same rate. Half-life = ln 0.5 / ln(1 - (1-alpha) delta).
    """
    return float(np.log(0.5) / np.log(1 - (1 - p.alpha) * p.delta))


class DonorExhausted(ValueError):
    """A transfer so large for so long that the donor's capital stock would fall to zero or below."""

    def __init__(self, year: int, capital_transfer: float, support_years: int):
        self.year = year
        super().__init__(f"capital transfer of {capital_transfer:.0%} of the recipient's output for {support_years} "
                         f"years exhausts the donor's capital in year {year}; choose a smaller transfer or fewer years")


def simulate(capital_transfer: float, productivity_gain: float, support_years: int,
             horizon: int = 40, p: GrowthParameters = DEFAULT) -> pd.DataFrame:
    """Yearly output per worker of donor and recipient, years 0..horizon.

    Returns columns year, donor, recipient (recipient's year-0 output = 1). Raises ``DonorExhausted`` when the
    transfers would drive the donor's capital to zero (the model has no meaning beyond that point).
    """
    if capital_transfer < 0 or productivity_gain < 0 or support_years < 0 or horizon < 1:
        raise ValueError("support parameters must be non-negative and the horizon positive")
    k_d, k_r = steady_state_capital(p.tfp_donor, p), steady_state_capital(p.tfp_recipient, p)
    scale = p.tfp_recipient * k_r**p.alpha
    gain = 0.0
    rows = []
    for year in range(horizon + 1):
        supporting = year < support_years
        if supporting:
            gain = productivity_gain * min(1.0, year / PHASE_IN)
        else:
            kept = productivity_gain * p.persistence if support_years > 0 else 0.0
            gain = kept + (gain - kept) * (1 - p.decay)
        y_d = p.tfp_donor * k_d**p.alpha
        y_r = p.tfp_recipient * (1 + gain) * k_r**p.alpha
        rows.append((year, y_d / scale, y_r / scale))
        transfer = capital_transfer * y_r if supporting else 0.0
        k_d = k_d + p.saving * y_d - p.delta * k_d - transfer / p.donor_size
        k_r = k_r + p.saving * y_r - p.delta * k_r + transfer
        if k_d <= 0:
            # past this point output would be a complex number (a negative stock to a fractional power)
            raise DonorExhausted(year + 1, capital_transfer, support_years)
    return pd.DataFrame(rows, columns=["year", "donor", "recipient"])


def grid(transfers_pct=(0, 5, 10, 15, 20), gains_pct=(0, 10, 20, 30), years=(5, 10, 20, 40),
         horizon: int = 40) -> pd.DataFrame:
    """Precomputed runs for the website's sliders, long format (economy, output)."""
    runs = []
    for tr in transfers_pct:
        for g in gains_pct:
            for n in years:
                run = simulate(tr / 100, g / 100, n, horizon)
                long = run.melt(id_vars="year", var_name="economy", value_name="output")
                runs.append(long.assign(transfer_pct=tr, gain_pct=g, support_years=n))
    out = pd.concat(runs, ignore_index=True)
    out["output"] = out["output"].round(4)
    return out
