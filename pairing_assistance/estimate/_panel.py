"""Shared helpers: reshape a long province × year panel into the matrices the estimators need."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

UNIT = "code"
TIME = "year"


def tidy(panel: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """Keep ``code``, ``year`` and ``columns``; codes as ``str``, years as ``int``, values as ``float``.

    Raises ``ValueError`` if a column is missing or a province-year appears twice.
    """
    columns = list(dict.fromkeys(columns))
    missing = [c for c in [UNIT, TIME, *columns] if c not in panel.columns]
    if missing:
        raise ValueError(f"panel lacks column(s) {missing}")
    frame = panel[[UNIT, TIME, *columns]].copy()
    frame[UNIT] = frame[UNIT].astype(str)
    frame[TIME] = frame[TIME].astype(int)
    for column in columns:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    duplicated = frame.duplicated([UNIT, TIME])
    if duplicated.any():
        first = frame.loc[duplicated].iloc[0]
        raise ValueError(f"panel has duplicated province-year {first[UNIT]} {first[TIME]}")
    return frame


def outcome_matrix(panel: pd.DataFrame, outcome: str, codes: Iterable, first_year: int,
                   last_year: int) -> pd.DataFrame:
    """Years ``first_year``..``last_year`` (rows) × ``codes`` (columns) of ``outcome``.

    Raises ``ValueError`` naming the first province and year without a value: the estimators
    need a balanced panel and never impute.
    """
    codes = [str(c) for c in codes]
    frame = tidy(panel, [outcome])
    frame = frame[frame[TIME].between(first_year, last_year) & frame[UNIT].isin(codes)]
    wide = frame.pivot(index=TIME, columns=UNIT, values=outcome)
    wide = wide.reindex(index=range(first_year, last_year + 1), columns=codes)
    if wide.isna().to_numpy().any():
        year, code = wide.isna().stack().loc[lambda s: s].index[0]
        raise ValueError(f"no {outcome} for province {code} in {year} (needed {first_year}–{last_year})")
    wide.columns.name = UNIT
    return wide


def last_common_year(panel: pd.DataFrame, outcome: str, codes: Iterable) -> int:
    """The latest year for which every unit in ``codes`` has ``outcome`` (min over units of their last year)."""
    codes = [str(c) for c in codes]
    frame = tidy(panel, [outcome]).dropna(subset=[outcome])
    frame = frame[frame[UNIT].isin(codes)]
    if set(frame[UNIT]) != set(codes):
        raise ValueError(f"no {outcome} at all for {sorted(set(codes) - set(frame[UNIT]))}")
    return int(frame.groupby(UNIT)[TIME].max().min())
