#!/usr/bin/env python3
"""Precompute chapter 5's identification checks into data/panel/ch5_results.csv (issue 12).

Reads only data/ (through the package loader). Runs every estimator of
pairing_assistance.estimate.estimators with in-space placebos on:
  main          each case (Xizang 1994, Xinjiang 2010), relative and log nominal GDP per capita
  real          Xinjiang 2010 on log real GDP per capita (NBS index, 2005 prices; the index starts in 2005)
  alt_year      Xizang 1984, Xinjiang 1997 as the first treated year
  placebo_time  a fake treatment year inside the pre-period (Xizang 1988, Xinjiang 2003)
  pool          the donor pool without recipients of programmes that started before the post window ended
  price_low / price_high   log outcome with the treated province's relative price level drifting by -/+ delta a year,
                delta = the largest |mean relative deflator drift| of any province in 2006-2020
It also writes data/panel/ch5_spec_grid.csv: the 96-specification grid of 5.1 (specs.run_grid), so that the page
reads it instead of refitting it (about 2 s of the 5 s budget).
The notebooks read the tables; tests recompute rows of them. Usage: .venv/bin/python scripts/build_ch5_results.py
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # multi-threaded BLAS made SLSQP ~40x slower here
os.environ.setdefault("OMP_NUM_THREADS", "1")

import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import pandas as pd  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pairing_assistance import data  # noqa: E402
from pairing_assistance.estimate import identification as ident  # noqa: E402
from pairing_assistance.estimate import specs  # noqa: E402

OUT = REPO / "data" / "panel" / "ch5_results.csv"
GRID = REPO / "data" / "panel" / "ch5_spec_grid.csv"
SETUPS = {  # case -> (pre_start, post_end, alternative year and its window, placebo year)
    "tibet_1994": {"pre_start": 1978, "post_end": 2003, "alt": (1984, 1978, 1993), "placebo": (1988, 1978, 1993)},
    "xinjiang_2010": {"pre_start": 1992, "post_end": 2019, "alt": (1997, 1985, 2006), "placebo": (2003, 1992, 2009)},
}


def clean_pool(case: specs.Case, pairings: pd.DataFrame, regions: pd.DataFrame, units, post_end: int) -> list[str]:
    """non_donor without recipients of any other programme that began by ``post_end``."""
    starts = pairings.groupby("programme_id")["valid_from"].min()
    active = [p for p, y in starts.items() if p != case.programme_id and pd.notna(y) and int(str(y)[:4]) <= post_end]
    return specs.donor_pools(case, pairings, regions, units, recipient_programmes=active)["no_recipients"]


def main() -> int:
    started = time.time()
    panel, pairings, regions = (data.load_table(n) for n in ("panel_provinces", "pairings", "regions"))
    real = data.load_table("panel_real_gdp")
    merged = panel.merge(real[["code", "year", "log_real_gdp_per_capita"]], on=["code", "year"], how="left")
    drift = float(ident.relative_deflator_drift(real).abs().max())
    rows = []

    def add(analysis, case, pool_name, donors, **kw):
        try:
            row = ident.run(merged, case.treated, donors, **kw)
        except ValueError as error:  # e.g. a pool too small for the method: recorded, not hidden
            row = {k: kw.get(k) for k in ("treatment_year", "pre_start", "post_end", "estimator", "outcome")}
            row |= {"estimate": float("nan"), "n_donors": len(donors), "drift": kw.get("drift", 0.0)}
            print(f"  {analysis} {case.name} {kw['estimator']}: {error}")
        rows.append({"analysis": analysis, "case": case.name, "donor_pool": pool_name} | row)

    for case in specs.CASES:
        setup = SETUPS[case.name]
        pools = specs.donor_pools(case, pairings, regions, panel["code"].unique())
        donors = pools["non_donor"]
        window = {"treatment_year": case.treatment_year, "pre_start": setup["pre_start"], "post_end": setup["post_end"]}
        for outcome in specs.OUTCOMES:
            for estimator in ident.ALL:
                add("main", case, "non_donor", donors, outcome=outcome, estimator=estimator, **window)
            year, first, last = setup["alt"]
            placebo, p_first, p_last = setup["placebo"]
            clean = clean_pool(case, pairings, regions, panel["code"].unique(), setup["post_end"])
            for estimator in ident.FAST:
                add("alt_year", case, "non_donor", donors, outcome=outcome, estimator=estimator,
                    treatment_year=year, pre_start=first, post_end=last)
                add("placebo_time", case, "non_donor", donors, outcome=outcome, estimator=estimator,
                    treatment_year=placebo, pre_start=p_first, post_end=p_last)
                add("pool", case, "clean", clean, outcome=outcome, estimator=estimator, **window)
                add("pool", case, "west", pools["west"], outcome=outcome, estimator=estimator, **window)
        for estimator in ident.ALL:
            for sign, name in ((-1, "price_low"), (1, "price_high")):
                add(name, case, "non_donor", donors, outcome="log_gdp_per_capita", estimator=estimator,
                    drift=sign * drift, **window)
    xinjiang = specs.CASES[1]
    donors = specs.donor_pools(xinjiang, pairings, regions, panel["code"].unique())["non_donor"]
    for estimator in ident.ALL:
        add("real", xinjiang, "non_donor", donors, outcome="log_real_gdp_per_capita", estimator=estimator,
            treatment_year=2010, pre_start=2005, post_end=2019)
    grid = specs.run_grid(panel, pairings, regions)
    grid.to_csv(GRID, index=False, float_format="%.10g", lineterminator="\n")
    frame = pd.DataFrame(rows).reindex(columns=ident.RESULT_COLUMNS)
    frame.to_csv(OUT, index=False, float_format="%.10g", lineterminator="\n")
    print(f"wrote {GRID}: {len(grid)} specifications")
    print(f"wrote {OUT}: {len(frame)} rows in {time.time() - started:.0f} s; price drift bound {drift:.4f}/year")
    return 0


if __name__ == "__main__":
    sys.exit(main())
