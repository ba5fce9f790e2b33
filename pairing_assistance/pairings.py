"""Questions asked of the pairing database: who was paired with whom, where and when.

Pure functions over the validated tables (``data.load_table``); used by the charts, the
Jupyter explorer and the chapter's key-number cells.
"""

from __future__ import annotations

import pandas as pd

OPEN_END = 9999  # stands for "still in force or end unknown" in year comparisons


def province_of(codes: pd.Series, regions: pd.DataFrame) -> pd.Series:
    """Province-level code of each region code (walking up parent codes); NA where there is no code."""
    parent = dict(zip(regions["code"], regions["parent_code"]))

    def climb(code):
        if not isinstance(code, str) or not code:
            return pd.NA
        while parent.get(code):
            code = parent[code]
        return code

    return codes.map(climb)


def active_in(pairings: pd.DataFrame, year: int) -> pd.DataFrame:
    """Pairs whose validity window contains ``year``."""
    ends = pairings["valid_to"].fillna(OPEN_END)
    return pairings[(pairings["valid_from"] <= year) & (ends >= year)]


def with_provinces(pairings: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """Pairings plus donor_province and recipient_province codes and names."""
    names = dict(zip(regions["code"], regions["name_zh"]))
    out = pairings.copy()
    for side in ("donor", "recipient"):
        out[f"{side}_province"] = province_of(out[f"{side}_code"], regions)
        out[f"{side}_province_name"] = out[f"{side}_province"].map(names)
    return out


def partners_of(pairings: pd.DataFrame, regions: pd.DataFrame, place: str) -> pd.DataFrame:
    """Every pair in which ``place`` (a code or Chinese name of a region, or of any of its lower units) took part.

    Returns programme, role, the place's own unit, the partner, the years and the confidence,
    sorted by start year.
    """
    by_name = dict(zip(regions["name_zh"], regions["code"]))
    code = place if place in set(regions["code"]) else by_name.get(place)
    table = with_provinces(pairings, regions)
    rows = []
    for side, other in (("donor", "recipient"), ("recipient", "donor")):
        if code is None:
            hit = table[f"{side}_name"] == place
        else:
            hit = (table[f"{side}_code"] == code) | (table[f"{side}_province"] == code)
        part = table[hit]
        rows.append(pd.DataFrame({
            "programme_id": part["programme_id"], "role": side, "unit": part[f"{side}_name"],
            "partner": part[f"{other}_name"], "partner_province": part[f"{other}_province_name"],
            "valid_from": part["valid_from"], "valid_to": part["valid_to"], "confidence": part["confidence"],
        }))
    result = pd.concat(rows, ignore_index=True)
    if result.empty and code is None:
        raise KeyError(f"{place!r} is neither a region code or name in data/regions.csv nor a party in data/pairings.csv")
    return result.sort_values(["valid_from", "programme_id", "unit", "partner"]).reset_index(drop=True)


def programme_summary(pairings: pd.DataFrame, programmes: pd.DataFrame) -> pd.DataFrame:
    """Pairs, distinct donors and recipients, and confidence mix per programme."""
    grouped = pairings.groupby("programme_id")
    summary = pd.DataFrame({
        "pairs": grouped.size(),
        "donors": grouped["donor_name"].nunique(),
        "recipients": grouped["recipient_name"].nunique(),
        "high": grouped["confidence"].apply(lambda c: int((c == "high").sum())),
    })
    order = programmes.sort_values("start_year")["programme_id"]
    return summary.reindex(order).fillna(0).astype(int)
