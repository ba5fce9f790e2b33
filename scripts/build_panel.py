#!/usr/bin/env python3
"""Build the provincial panel data/panel/provinces.csv and data/panel/vintage_agreement.csv.

Specification: issue 5 (brief PANEL5). 31 mainland provinces x 1978-2020, one row per province-year:
nominal GDP (亿元), year-end population (万人), GDP per capita, its ratio to the 31-province aggregate,
general public budget expenditure (亿元, 2010-2020), with the source file and vintage of every value.

Raw files are read in place from --raw (../shared/data-raw; see its PROVENANCE.md) and never copied:

GDP (亿元)
  nbs_v2021             nbs-gdp-1992-2020-v2021/Chinas_GDP_in_Province_Zh.csv   1992-2020, post-2018-census
                        revision. THE REFERENCE SERIES. The English twin file must hold identical values.
  compendium_1975_2009  compendium-1975-2009/GDP_raw.csv   used for 1978-2009 only: its 2010-2018 columns
                        are broken (Tibet 2010 = 694.08). 1978 values are rounded in the source.
  nbs_v2018             nbs-gdp-1993-2017-v2018/...csv     pre-2018-revision yearbook values (comparison only)
  nbs_v2024             nbs-gdp-2004-2023-v2024/AnnualbyProvince.xls   comparison only, read only if xlrd is
                        installed (otherwise skipped, and the report says so)
  nbs_v2025             nbs-2005-2024-v2025/fsnd_gdp_2006_2024_vintage2025.csv   comparison only
Population (万人)
  compendium            compendium-1975-2009/China_Compendium_of_Statistics.csv   1975-2008
  compendium_yearbook   compendium-1975-2009/China_Statistics_Yearbook_population.csv   2000-2019 (comparison
                        only; Heilongjiang 2013 = 3535 is a typo for 3835 and is corrected, see FIXES)
  nbs_pop_v2021         nbs-population/pop_yearend_2000_2020_vintage2021_yinthan.csv   2000-2020
  nbs_pop_v2025         nbs-population/pop_resident_2015_2024_vintage2025_1lmq.csv    2015-2024 (comparison)
Expenditure (亿元)
  budget_2010_2023      budget-expenditure-2010-2023/PublicBudget_2010_2023_long.csv   合计 rows, 2010-2023

Splice rule (GDP). The reference is nbs_v2021 for 1992-2020, taken unchanged. For each province, the years
before the earliest year that both nbs_v2021 and the compendium cover (1992 for every province) come from the
compendium multiplied by ratio = nbs_v2021[y0] / compendium[y0]; such rows have gdp_spliced = true and the
note gives the raw value, the ratio and both anchor values. A ratio outside SPLICE_RATIO_RANGE stops the build.

Population rule. nbs_pop_v2021 wherever it has the year (2000-2020), the compendium before (1978-1999). The
population is NOT spliced: the gap between the two in 2000 is mostly definitional (the compendium counts
registered 户籍 residents for Shanghai and Tianjin, resident 常住 population after the 2000 census elsewhere),
so a constant ratio would be wrong; the note of the pre-2000 rows gives the 2000 gap where it is 1 % or more.

The 2021+ years are left out: no single GDP vintage chain covers every province after 2020 with the readable
files (v2024 needs xlrd; v2025 is a different revision).

Province names (Chinese full and short, English) are mapped to GB/T 2260 codes by the place crosswalk,
which is checked against data/regions.csv before anything is read.

The build FAILS (exit 1, message naming file, province and year) on duplicated province-years, missing
provinces or years, non-numeric values, unit jumps (year-on-year ratio of GDP or expenditure outside [0.7, 1.6],
of population outside [0.9, 1.1], except the DOCUMENTED_JUMPS), unknown province names, or raw values that do
not reproduce the published spot checks of PROVENANCE.md.

Usage (from the repository root):
    .venv/bin/python scripts/build_panel.py --raw ../shared/data-raw [--regions data/regions.csv]
                                            [--out-dir data/panel]
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import math
import re
import sys
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
DEFAULT_RAW = REPO.parent / "shared" / "data-raw"
FIRST_YEAR, LAST_YEAR = 1978, 2020
PANEL_FILE = "data/panel/provinces.csv"

GDP_BAND = (0.7, 1.6)  # year-on-year ratio of nominal GDP (and expenditure) outside this: a unit jump
POP_BAND = (0.9, 1.1)  # year-on-year ratio of population outside this: a unit jump
SPLICE_RATIO_RANGE = (0.8, 1.25)  # a splice ratio outside this means the two series measure different things

# GDP sources: id -> (file under --raw, gdp_vintage label, years to read). Listed oldest vintage first; in the
# agreement report the newer vintage of a pair is the denominator.
GDP_SOURCES = {
    "compendium_1975_2009": ("compendium-1975-2009/GDP_raw.csv", "compendium", (1978, 2009)),
    "nbs_v2018": ("nbs-gdp-1993-2017-v2018/gdp_1993_2017_vintage2018_Tobby-star.csv", "2018", (1993, 2017)),
    "nbs_v2021": ("nbs-gdp-1992-2020-v2021/Chinas_GDP_in_Province_Zh.csv", "2021", (1992, 2020)),
    "nbs_v2024": ("nbs-gdp-2004-2023-v2024/AnnualbyProvince.xls", "2024", (2004, 2023)),
    "nbs_v2025": ("nbs-2005-2024-v2025/fsnd_gdp_2006_2024_vintage2025.csv", "2025", (2006, 2024)),
}
GDP_V2021_ENGLISH = "nbs-gdp-1992-2020-v2021/Chinas_GDP_in_Province_En.csv"
REFERENCE, COMPENDIUM_GDP = "nbs_v2021", "compendium_1975_2009"

POP_SOURCES = {  # id -> (file under --raw, years to read); oldest first
    "compendium": ("compendium-1975-2009/China_Compendium_of_Statistics.csv", (1978, 2008)),
    "compendium_yearbook": ("compendium-1975-2009/China_Statistics_Yearbook_population.csv", (2000, 2019)),
    "nbs_pop_v2021": ("nbs-population/pop_yearend_2000_2020_vintage2021_yinthan.csv", (2000, 2020)),
    "nbs_pop_v2025": ("nbs-population/pop_resident_2015_2024_vintage2025_1lmq.csv", (2015, 2024)),
}
POP_PANEL_SOURCES = ("nbs_pop_v2021", "compendium")  # preference order for the panel

BUDGET_SOURCE = "budget_2010_2023"
BUDGET_FILE = "budget-expenditure-2010-2023/PublicBudget_2010_2023_long.csv"
BUDGET_VARIABLE, BUDGET_BLOCK, BUDGET_UNIT = "v6_cz_yszc_hj", "合计", "亿元"
BUDGET_YEARS = (2010, 2023)

# Province names in the raw files (full, short, English) resolve through the one place crosswalk
# (data/places.csv, pairing_assistance.places); spellings it lacks are rows of data/curation/place_aliases.csv.
PLACES_CSV = REPO / "data" / "places.csv"
ALIASES_CSV = REPO / "data" / "curation" / "place_aliases.csv"
AGGREGATE_ROWS = {"National Total", "全国"}  # national totals: skipped, they are not provinces
FOOTER_PREFIXES = ("注", "数据来源")  # notes below the table of an NBS export

# Known defects corrected while reading: (source, code, year) -> (raw value, corrected value, how).
# A raw value that no longer matches stops the build (the defect list is stale).
FIXES = {
    ("compendium_yearbook", "230000", 2013): (
        3535.0, 3835.0, "population corrected 3535 -> 3835: one-digit transcription typo in the compendium "
        "yearbook file (2012: 3834, 2014: 3833; PROVENANCE.md)"),
}

# Year-on-year steps outside the bands that are real (definitional breaks), (code, year, variable) -> why.
DOCUMENTED_JUMPS = {
    ("110000", 1995, "population_10k"): "coverage break inside the compendium series of Beijing (1125 in 1994 "
                                        "-> 1251.1 in 1995, +11.2 %), not a unit error",
    ("310000", 2000, "population_10k"): "population source changes from the compendium (registered 户籍 "
                                        "population, 1313.12 in 1999) to nbs_pop_v2021 (resident population, "
                                        "1609 in 2000)",
}

# Published values (PROVENANCE.md) that the readers must reproduce: (source, code, year, value).
SPOT_CHECKS = [
    ("nbs_v2018", "540000", 2010, 507.46), ("nbs_v2018", "650000", 2010, 5437.47),
    ("nbs_v2018", "520000", 2000, 1029.92), ("compendium_1975_2009", "520000", 2000, 1029.92),
    ("nbs_v2021", "540000", 2010, 512.9), ("nbs_v2025", "540000", 2010, 521.4),
]

PANEL_COLUMNS = ["code", "province", "region_group", "year", "gdp_100m", "gdp_source", "gdp_vintage",
                 "gdp_spliced", "population_10k", "population_source", "population_fixed", "gdp_per_capita",
                 "rel_gdp_per_capita", "log_gdp_per_capita", "expenditure_100m", "expenditure_source", "note"]
AGREEMENT_COLUMNS = ["variable", "vintage_a", "vintage_b", "scope", "year", "first_year", "last_year", "n_compared",
                     "median_abs_rel_diff", "max_abs_rel_diff", "max_code", "max_province", "max_year", "note"]
MAX_MESSAGES = 10
NUMBER = re.compile(r"^-?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$")  # plain or thousands-separated decimal


class BuildError(RuntimeError):
    """Raw data or a panel that cannot be accepted; the message names file, province and year."""


# ---------------------------------------------------------------- provinces and names


def province_table(regions_csv: Path) -> pd.DataFrame:
    """The 31 mainland provinces (code, name_zh, region_group) of regions.csv."""
    regions = pd.read_csv(regions_csv, dtype=str, keep_default_na=False)
    mainland = regions[(regions["level"] == "province") & (regions["region_group"] != "other")]
    if len(mainland) != 31:
        raise BuildError(f"{regions_csv}: {len(mainland)} mainland provinces, expected 31")
    return mainland[["code", "name_zh", "region_group"]].sort_values("code").reset_index(drop=True)


_LOOKUP: dict[str, str] = {}


def name_lookup() -> dict[str, str]:
    """Every raw spelling (full, short, English from the crosswalk; aliases) -> code of a mainland province."""
    if not _LOOKUP:
        sys.path.insert(0, str(REPO))
        from pairing_assistance.places import Places, short_name

        with PLACES_CSV.open(encoding="utf-8", newline="") as handle:
            places = Places(list(csv.DictReader(handle)))
        for code, row in places.current.items():
            if row["level"] == "province":
                for name in (row["name_zh"], short_name(row["name_zh"]), row.get("name_en")):
                    if name:
                        _LOOKUP[name] = code
        with ALIASES_CSV.open(encoding="utf-8", newline="") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                if row["code"] not in places.current:
                    raise BuildError(f"{ALIASES_CSV}, line {line}, column 'code': unknown code {row['code']!r}")
                _LOOKUP[row["alias"]] = row["code"]
    return _LOOKUP


def mainland_codes() -> list[str]:
    """Codes of the 31 mainland provinces, from regions.csv."""
    return province_table(REPO / "data" / "regions.csv")["code"].tolist()


def code_of(name: str, where: str) -> str:
    """Code of a raw province name; an unknown name stops the build."""
    code = name_lookup().get(name.strip())
    if code is None:
        raise BuildError(f"{where}: province name {name!r} is neither in data/places.csv nor in "
                         "data/curation/place_aliases.csv")
    return code


def label(code: str) -> str:
    """'西藏自治区 (540000)' for messages."""
    names = {c: n for n, c in name_lookup().items() if n.endswith(("省", "市", "自治区"))}
    return f"{names.get(code, '?')} ({code})"


# ---------------------------------------------------------------- reading raw files


def parse_number(text: str | None, where: str) -> float:
    """A decimal number (thousands commas allowed); empty or non-numeric text stops the build."""
    cell = (text or "").strip()
    if not cell:
        raise BuildError(f"{where}: value missing")
    if not NUMBER.match(cell):
        raise BuildError(f"{where}: value {text!r} is not numeric")
    return float(cell.replace(",", ""))


def csv_rows(raw: Path, relative: str) -> list[list[str]]:
    """All rows of a raw CSV file, '#' comment lines dropped."""
    path = raw / relative
    if not path.exists():
        raise BuildError(f"{relative}: file not found under {raw}")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [row for row in csv.reader(handle) if row and not row[0].startswith("#")]


def year_of(header: str, where: str) -> int:
    """Year of a column header such as '2017', '2017年'."""
    match = re.fullmatch(r"\s*(\d{4})年?\s*", header)
    if not match:
        raise BuildError(f"{where}: column header {header!r} is not a year")
    return int(match.group(1))


def long_from_region_rows(rows: list[list[str]], relative: str, years: tuple[int, int]) -> pd.DataFrame:
    """Rows 'province, v_year1, v_year2, ...' under a header of years -> long (code, year, value).

    Only the years in the inclusive range `years` are parsed; national total rows are skipped."""
    header, body = rows[0], rows[1:]
    columns = [(i, year_of(h, f"{relative}, header")) for i, h in enumerate(header) if i > 0]
    records = []
    for row in body:
        if row[0].strip() in AGGREGATE_ROWS:
            continue
        code = code_of(row[0], relative)
        for index, year in columns:
            if years[0] <= year <= years[1]:
                cell = row[index] if index < len(row) else None
                where = f"{relative}: {label(code)} {year}"
                records.append((code, year, parse_number(cell, where)))
    return pd.DataFrame(records, columns=["code", "year", "value"])


def long_from_year_rows(rows: list[list[str]], relative: str, years: tuple[int, int]) -> pd.DataFrame:
    """Rows 'year, v_province1, ...' under a header of province names -> long (code, year, value)."""
    header, body = rows[0], rows[1:]
    codes = [(i, code_of(h, f"{relative}, header")) for i, h in enumerate(header) if i > 0]
    records = []
    for row in body:
        year = year_of(row[0], f"{relative}, first column")
        if not years[0] <= year <= years[1]:
            continue
        for index, code in codes:
            cell = row[index] if index < len(row) else None
            records.append((code, year, parse_number(cell, f"{relative}: {label(code)} {year}")))
    return pd.DataFrame(records, columns=["code", "year", "value"])


def nbs_export_table(rows: list[list[str]], relative: str) -> list[list[str]]:
    """The table of an NBS 分省年度数据 export: from the '地区' header row to the notes below."""
    starts = [i for i, row in enumerate(rows) if row and row[0].strip() == "地区"]
    if len(starts) != 1:
        raise BuildError(f"{relative}: expected one header row starting with '地区', found {len(starts)}")
    table = [rows[starts[0]]]
    for row in rows[starts[0] + 1:]:
        if not row or not row[0].strip() or row[0].strip().startswith(FOOTER_PREFIXES):
            break
        table.append(row)
    return table


def xls_rows(raw: Path, relative: str) -> list[list[str]] | None:
    """Rows of an .xls file as text, or None when xlrd (needed by pandas for .xls) is not installed."""
    if importlib.util.find_spec("xlrd") is None:
        return None
    path = raw / relative
    if not path.exists():
        raise BuildError(f"{relative}: file not found under {raw}")
    sheet = pd.read_excel(path, header=None, dtype=str, engine="xlrd").fillna("")
    return [[str(cell).strip() for cell in row] for row in sheet.itertuples(index=False)]


def read_gdp(raw: Path, source: str) -> pd.DataFrame | None:
    """Long GDP series (code, year, value in 亿元) of one source; None if the file cannot be read here."""
    relative, _, years = GDP_SOURCES[source]
    if source == "compendium_1975_2009":
        return long_from_region_rows(csv_rows(raw, relative), relative, years)
    if source == "nbs_v2021":
        return read_gdp_v2021(raw, relative, years)
    rows = xls_rows(raw, relative) if relative.endswith(".xls") else csv_rows(raw, relative)
    if rows is None:
        return None
    return long_from_region_rows(nbs_export_table(rows, relative), relative, years)


def read_gdp_v2021(raw: Path, relative: str, years: tuple[int, int]) -> pd.DataFrame:
    """The reference series from the Chinese file; the English twin must hold exactly the same values."""
    chinese = long_from_year_rows(csv_rows(raw, relative), relative, years)
    english = long_from_year_rows(csv_rows(raw, GDP_V2021_ENGLISH), GDP_V2021_ENGLISH, years)
    both = chinese.merge(english, on=["code", "year"], how="outer", suffixes=("", "_en"))
    differ = both[both["value"].ne(both["value_en"])]
    if len(differ):
        row = differ.iloc[0]
        raise BuildError(f"{relative} vs {GDP_V2021_ENGLISH}: {label(row.code)} {row.year}: "
                         f"{row.value} vs {row.value_en}")
    return chinese


def read_population(raw: Path, source: str) -> pd.DataFrame:
    """Long population series (code, year, value in 万人) of one source, known defects corrected."""
    relative, years = POP_SOURCES[source]
    rows = csv_rows(raw, relative)
    if source == "nbs_pop_v2025":
        rows = nbs_export_table(rows, relative)
    return apply_fixes(long_from_region_rows(rows, relative, years), source, relative)


def apply_fixes(frame: pd.DataFrame, source: str, relative: str) -> pd.DataFrame:
    """Replace the known defects of FIXES; stop if the raw value is not the documented one."""
    frame = frame.copy()
    for (fix_source, code, year), (raw_value, fixed, _) in FIXES.items():
        if fix_source != source:
            continue
        hit = (frame["code"] == code) & (frame["year"] == year)
        if hit.sum() != 1 or frame.loc[hit, "value"].iloc[0] != raw_value:
            found = frame.loc[hit, "value"].tolist()
            raise BuildError(f"{relative}: {label(code)} {year}: documented defect {raw_value} not found "
                             f"(value {found}); update FIXES")
        frame.loc[hit, "value"] = fixed
    return frame


def read_budget(raw: Path) -> pd.DataFrame:
    """Long general public budget expenditure (code, year, value in 亿元), 合计 rows, national row skipped."""
    rows = csv_rows(raw, BUDGET_FILE)
    header, body = rows[0], rows[1:]
    expected = ["province", "year", "chn_block4", "value", "units", "variables"]
    if header != expected:
        raise BuildError(f"{BUDGET_FILE}: header {header}, expected {expected}")
    records = []
    for row in (dict(zip(header, r)) for r in body):
        if row["variables"] != BUDGET_VARIABLE or row["province"] in AGGREGATE_ROWS:
            continue
        code, year = code_of(row["province"], BUDGET_FILE), year_of(row["year"], BUDGET_FILE)
        where = f"{BUDGET_FILE}: {label(code)} {year}"
        if row["units"] != BUDGET_UNIT or row["chn_block4"] != BUDGET_BLOCK:
            raise BuildError(f"{where}: unit {row['units']!r} / block {row['chn_block4']!r}, expected "
                             f"{BUDGET_UNIT} / {BUDGET_BLOCK}")
        if BUDGET_YEARS[0] <= year <= BUDGET_YEARS[1]:
            records.append((code, year, parse_number(row["value"], where)))
    return pd.DataFrame(records, columns=["code", "year", "value"])


# ---------------------------------------------------------------- checks (shared by raw series and panel)


def fail(where: str, problems: list[str]) -> None:
    """Raise one BuildError listing up to MAX_MESSAGES problems."""
    if problems:
        more = f"\n  ... and {len(problems) - MAX_MESSAGES} more" if len(problems) > MAX_MESSAGES else ""
        raise BuildError(f"{where}:\n  " + "\n  ".join(problems[:MAX_MESSAGES]) + more)


def check_keys(frame: pd.DataFrame, where: str, codes: list[str], years: range) -> None:
    """Exactly one row per province-year of codes x years: no duplicates, none missing, none unknown."""
    problems = [f"duplicated province-year {label(r.code)} {r.year}"
                for r in frame[frame.duplicated(["code", "year"])].itertuples()]
    problems += [f"unknown province-year {label(r.code)} {r.year}"
                 for r in frame[~frame["code"].isin(codes) | ~frame["year"].isin(years)].itertuples()]
    present = set(zip(frame["code"], frame["year"]))
    for code in codes:
        missing = [y for y in years if (code, y) not in present]
        if len(missing) == len(years):
            problems.append(f"province {label(code)} missing (all years {years[0]}-{years[-1]})")
        elif missing:
            problems.append(f"{label(code)}: year(s) missing: {', '.join(map(str, missing))}")
    fail(where, problems)


def as_float(cell) -> float:
    """float(cell), or NaN if the cell is empty or not a number."""
    try:
        return float(cell)
    except (TypeError, ValueError):
        return math.nan


def check_numbers(frame: pd.DataFrame, column: str, where: str, optional: bool = False) -> pd.Series:
    """The column as floats; missing (unless optional), non-numeric, infinite or non-positive values stop."""
    cells = frame[column]
    blank = pd.Series([pd.isna(c) or (isinstance(c, str) and not c.strip()) for c in cells], index=frame.index)
    values = pd.Series([as_float(c) for c in cells], index=frame.index, dtype=float)
    bad = (values.isna() & ~(blank & optional)) | (values <= 0) | np.isinf(values)
    fail(where, [f"{label(code)} {year}: {column} {cell!r} is not a positive number"
                 for code, year, cell in zip(frame["code"][bad], frame["year"][bad], cells[bad])])
    return values


def check_steps(frame: pd.DataFrame, variable: str, band: tuple[float, float], where: str) -> None:
    """Year-on-year ratios of consecutive years inside band, except the DOCUMENTED_JUMPS."""
    ordered = frame[["code", "year", "value"]].dropna().sort_values(["code", "year"])
    previous = ordered.groupby("code")[["year", "value"]].shift()
    ratio = ordered["value"] / previous["value"]
    step = (ordered["year"] - previous["year"]) == 1
    outside = step & ((ratio < band[0]) | (ratio > band[1]))
    problems = [f"{label(r.code)} {r.year}: {variable} year-on-year ratio {ratio[i]:.4g} outside "
                f"[{band[0]}, {band[1]}] (unit jump?)"
                for i, r in ordered[outside].iterrows() if (r.code, r.year, variable) not in DOCUMENTED_JUMPS]
    fail(where, problems)


def check_series(frame: pd.DataFrame, where: str, variable: str, years: tuple[int, int]) -> None:
    """Keys, values and steps of one raw long series."""
    check_keys(frame, where, mainland_codes(), range(years[0], years[1] + 1))
    check_numbers(frame, "value", where)
    check_steps(frame, variable, POP_BAND if variable == "population_10k" else GDP_BAND, where)


def validate_panel(panel: pd.DataFrame, where: str = PANEL_FILE,
                   years: range = range(FIRST_YEAR, LAST_YEAR + 1)) -> None:
    """Stop with a message naming file, province and year unless the panel is complete and plausible.

    31 provinces x `years`, one row each; GDP and population positive numbers, expenditure a positive number
    or empty; no unit jumps in GDP, population or expenditure."""
    absent = [c for c in PANEL_COLUMNS if c not in panel.columns]
    fail(where, [f"column {c!r} missing" for c in absent])
    frame = panel.copy()
    frame["year"] = pd.to_numeric(frame["year"], errors="coerce")
    fail(where, [f"{label(r.code)}: year {r.year!r} is not an integer" for r in frame[frame["year"].isna()].itertuples()])
    frame["year"] = frame["year"].astype(int)
    check_keys(frame, where, mainland_codes(), years)
    for column, band, optional in (("gdp_100m", GDP_BAND, False), ("population_10k", POP_BAND, False),
                                   ("expenditure_100m", GDP_BAND, True)):
        values = check_numbers(frame, column, where, optional)
        check_steps(frame.assign(value=values), column, band, where)


# ---------------------------------------------------------------- panel


def spot_check(series: dict[str, pd.DataFrame]) -> None:
    """The readers must reproduce the published values of PROVENANCE.md (guards against shifted columns)."""
    for source, code, year, expected in SPOT_CHECKS:
        if series.get(source) is None:
            continue
        found = series[source].query("code == @code and year == @year")["value"].tolist()
        if found != [expected]:
            raise BuildError(f"{GDP_SOURCES[source][0]}: {label(code)} {year}: expected the published "
                             f"{expected}, read {found}")


def splice_gdp(reference: pd.DataFrame, compendium: pd.DataFrame) -> pd.DataFrame:
    """Reference vintage as is; earlier years from the compendium times the ratio at the first common year."""
    parts = []
    for code, ref in reference.groupby("code"):
        old = compendium[compendium["code"] == code].set_index("year")["value"]
        new = ref.set_index("year")["value"]
        anchor = min(set(old.index) & set(new.index))
        ratio = new[anchor] / old[anchor]
        if not SPLICE_RATIO_RANGE[0] <= ratio <= SPLICE_RATIO_RANGE[1]:
            raise BuildError(f"{GDP_SOURCES[COMPENDIUM_GDP][0]}: {label(code)} {anchor}: splice ratio {ratio:.4f} "
                             f"outside {SPLICE_RATIO_RANGE}")
        early = old[(old.index >= FIRST_YEAR) & (old.index < anchor)]
        note = (f"GDP spliced: compendium {{raw}} x {ratio:.6f} (= nbs_v2021 {anchor} {number_text(new[anchor], 6)} "
                f"/ compendium {anchor} {number_text(old[anchor], 6)})")
        parts.append(pd.DataFrame({
            "code": code, "year": early.index, "gdp_100m": (early.values * ratio).round(4),
            "gdp_source": COMPENDIUM_GDP, "gdp_vintage": GDP_SOURCES[COMPENDIUM_GDP][1], "gdp_spliced": True,
            "gdp_note": [note.format(raw=number_text(v, 6)) + ("; 1978 value rounded in the source" if y == 1978 else "")
                         for y, v in early.items()],
            "splice_ratio": ratio}))
        kept = new[(new.index >= FIRST_YEAR) & (new.index <= LAST_YEAR)]
        parts.append(pd.DataFrame({
            "code": code, "year": kept.index, "gdp_100m": kept.values, "gdp_source": REFERENCE,
            "gdp_vintage": GDP_SOURCES[REFERENCE][1], "gdp_spliced": False, "gdp_note": "", "splice_ratio": ratio}))
    return pd.concat(parts, ignore_index=True)


def chain_population(series: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Population per province-year from the first source of POP_PANEL_SOURCES that has it (no splice)."""
    taken, parts = set(), []
    for source in POP_PANEL_SOURCES:
        frame = series[source]
        frame = frame[(frame["year"] >= FIRST_YEAR) & (frame["year"] <= LAST_YEAR)]
        frame = frame[[(c, y) not in taken for c, y in zip(frame["code"], frame["year"])]]
        taken |= set(zip(frame["code"], frame["year"]))
        fixed = [(source, c, y) in FIXES for c, y in zip(frame["code"], frame["year"])]
        notes = [FIXES[(source, c, y)][2] if (source, c, y) in FIXES else ""
                 for c, y in zip(frame["code"], frame["year"])]
        parts.append(frame.rename(columns={"value": "population_10k"}).assign(
            population_source=source, population_fixed=fixed, pop_note=notes))
    chained = pd.concat(parts, ignore_index=True)
    chained["pop_note"] = chained["pop_note"] + population_gap_notes(chained, series)
    return chained


def population_gap_notes(chained: pd.DataFrame, series: dict[str, pd.DataFrame]) -> pd.Series:
    """Note on compendium rows: level gap to nbs_pop_v2021 in 2000 where it is 1 % or more."""
    old = series["compendium"].query("year == 2000").set_index("code")["value"]
    new = series["nbs_pop_v2021"].query("year == 2000").set_index("code")["value"]
    notes = []
    for row in chained.itertuples():
        gap = new[row.code] / old[row.code] - 1
        notes.append(f"population from the compendium (not spliced): level break in 2000, nbs_pop_v2021 "
                     f"{number_text(new[row.code], 6)} / compendium {number_text(old[row.code], 6)} = {gap + 1:.4f}"
                     if row.population_source == "compendium" and abs(gap) >= 0.01 else "")
    return pd.Series(notes, index=chained.index)


def add_per_capita(panel: pd.DataFrame) -> pd.DataFrame:
    """GDP per capita (元), its ratio to the 31-province aggregate of the year, and its natural log."""
    panel = panel.copy()
    panel["gdp_per_capita"] = panel["gdp_100m"] * 1e8 / (panel["population_10k"] * 1e4)
    totals = panel.groupby("year")[["gdp_100m", "population_10k"]].transform("sum")
    aggregate = totals["gdp_100m"] * 1e8 / (totals["population_10k"] * 1e4)
    panel["rel_gdp_per_capita"] = panel["gdp_per_capita"] / aggregate
    panel["log_gdp_per_capita"] = np.log(panel["gdp_per_capita"])
    return panel


def jump_notes(panel: pd.DataFrame) -> pd.Series:
    """The reason of a documented jump, on the row of the year it happens."""
    return pd.Series([
        "; ".join(f"{v} jump documented: {why}" for (c, y, v), why in DOCUMENTED_JUMPS.items()
                  if c == row.code and y == row.year) for row in panel.itertuples()], index=panel.index)


def assemble(provinces: pd.DataFrame, gdp: dict, population: dict, budget: pd.DataFrame) -> pd.DataFrame:
    """Join spliced GDP, chained population and expenditure; derive per-capita columns and notes."""
    spliced = splice_gdp(gdp[REFERENCE], gdp[COMPENDIUM_GDP])
    panel = spliced.merge(chain_population(population), on=["code", "year"], how="outer", validate="1:1")
    spending = budget.rename(columns={"value": "expenditure_100m"}).assign(expenditure_source=BUDGET_SOURCE)
    panel = panel.merge(spending, on=["code", "year"], how="left", validate="1:1")
    panel = provinces.rename(columns={"name_zh": "province"}).merge(panel, on="code", how="right")
    panel = add_per_capita(panel.sort_values(["code", "year"]).reset_index(drop=True))
    panel["expenditure_source"] = panel["expenditure_source"].fillna("")
    pieces = pd.concat([panel["gdp_note"], panel["pop_note"], jump_notes(panel)], axis=1)
    panel["note"] = ["; ".join(p for p in row if p) for row in pieces.itertuples(index=False)]
    return panel


# ---------------------------------------------------------------- vintage agreement


def compare(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """Common province-years of two series with d = |a / b - 1| (b: the newer vintage)."""
    both = a.merge(b, on=["code", "year"], suffixes=("_a", "_b"))
    return both.assign(diff=(both["value_a"] / both["value_b"] - 1).abs())


def summary_row(variable: str, a: str, b: str, scope: str, part: pd.DataFrame) -> dict:
    """n, median and max of the absolute relative differences of one pair, for one year or overall."""
    worst = part.sort_values(["diff", "code", "year"], ascending=[False, True, True]).iloc[0]
    keys = set(zip(part["code"], part["year"]))
    first, last = int(part["year"].min()), int(part["year"].max())
    return {"variable": variable, "vintage_a": a, "vintage_b": b, "scope": scope,
            "year": first if scope == "year" else "", "first_year": first, "last_year": last,
            "n_compared": len(part), "median_abs_rel_diff": float(part["diff"].median()),
            "max_abs_rel_diff": float(worst["diff"]), "max_code": worst["code"],
            "max_province": label(worst["code"]).split(" ")[0], "max_year": int(worst["year"]),
            "note": "; ".join(f"{label(c)} {y}: {why}" for (s, c, y), (_, _, why) in FIXES.items()
                              if s in (a, b) and (c, y) in keys)}


def agreement(series: dict[str, pd.DataFrame | None], variable: str) -> list[dict]:
    """Per pair of overlapping vintages (older first): one row per common year and one for all years."""
    rows = []
    available = [s for s, frame in series.items() if frame is not None]
    for a, b in combinations(available, 2):
        both = compare(series[a], series[b])
        if both.empty:
            continue
        rows += [summary_row(variable, a, b, "year", part) for _, part in both.groupby("year")]
        rows.append(summary_row(variable, a, b, "overall", both))
    return rows


def print_agreement(rows: list[dict], skipped: list[str]) -> None:
    """The all-years line of every pair, and the worst year of the pair."""
    print("Agreement of overlapping vintages (|a/b - 1|, b = newer vintage):")
    for row in (r for r in rows if r["scope"] == "overall"):
        pair = [r for r in rows if r["scope"] == "year" and (r["variable"], r["vintage_a"], r["vintage_b"]) ==
                (row["variable"], row["vintage_a"], row["vintage_b"])]
        worst_year = max(pair, key=lambda r: (r["median_abs_rel_diff"], -r["year"]))
        print(f"  {row['variable']:<15} {row['vintage_a']:>20} vs {row['vintage_b']:<20} "
              f"{row['first_year']}-{row['last_year']}  n={row['n_compared']:>4}  "
              f"median {row['median_abs_rel_diff']:7.2%}  max {row['max_abs_rel_diff']:7.2%} "
              f"({row['max_province']} {row['max_year']}); worst median {worst_year['median_abs_rel_diff']:.2%} "
              f"in {worst_year['year']}")
    for message in skipped:
        print(f"  SKIPPED {message}")


# ---------------------------------------------------------------- writing


def number_text(value, decimals: int) -> str:
    """Fixed-precision text without trailing zeros; empty for missing values."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = f"{value:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def cell_text(column: str, value) -> str:
    """Deterministic text of one cell."""
    decimals = {"gdp_100m": 4, "population_10k": 4, "gdp_per_capita": 2, "rel_gdp_per_capita": 12,
                "log_gdp_per_capita": 12, "expenditure_100m": 4, "median_abs_rel_diff": 8,
                "max_abs_rel_diff": 8}
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if column in decimals:
        return number_text(value, decimals[column])
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    """UTF-8, comma-separated, '\\n' line ends, fixed column order and number formats."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([cell_text(c, row[c]) for c in columns])


# ---------------------------------------------------------------- main


def read_all(raw: Path) -> tuple[dict, dict, pd.DataFrame, list[str]]:
    """Every raw series, each checked; the list says which sources could not be read here."""
    gdp, population, skipped = {}, {}, []
    for source, (relative, _, years) in GDP_SOURCES.items():
        gdp[source] = read_gdp(raw, source)
        if gdp[source] is None:
            skipped.append(f"{source} ({relative}): xlrd is not installed, .xls not read; no {source} rows")
            continue
        check_series(gdp[source], relative, "gdp_100m", years)
    spot_check(gdp)
    for source, (relative, years) in POP_SOURCES.items():
        population[source] = read_population(raw, source)
        check_series(population[source], relative, "population_10k", years)
    budget = read_budget(raw)
    check_series(budget, BUDGET_FILE, "expenditure_100m", BUDGET_YEARS)
    return gdp, population, budget, skipped


def print_summary(panel: pd.DataFrame) -> None:
    """Rows, years and the splice ratios of the panel."""
    print(f"{PANEL_FILE}: {len(panel)} rows, {panel['code'].nunique()} provinces, "
          f"{panel['year'].min()}-{panel['year'].max()}; GDP {REFERENCE} from 1992, compendium spliced before")
    ratios = panel.groupby("code")["splice_ratio"].first()
    off = ratios[(ratios - 1).abs() >= 0.001].sort_values()
    print(f"Splice ratios nbs_v2021/compendium in 1992: median {ratios.median():.4f}, range "
          f"{ratios.min():.4f}-{ratios.max():.4f}; off 1 by 0.1 % or more: "
          + ", ".join(f"{label(c).split(' ')[0]} {r:.4f}" for c, r in off.items()))


def build(raw: Path, regions_csv: Path, out_dir: Path) -> None:
    """Read, check, splice, validate, write and report."""
    if not raw.is_dir():
        raise BuildError(f"{raw}: raw data folder not found")
    provinces = province_table(regions_csv)
    gdp, population, budget, skipped = read_all(raw)
    panel = assemble(provinces, gdp, population, budget)
    validate_panel(panel[PANEL_COLUMNS])
    weighted = (panel["rel_gdp_per_capita"] * panel["population_10k"]).groupby(panel["year"]).sum() / \
        panel.groupby("year")["population_10k"].sum()
    if (weighted - 1).abs().max() > 1e-9:
        raise BuildError(f"{PANEL_FILE}: population-weighted mean of rel_gdp_per_capita is not 1")
    rows = agreement(gdp, "gdp_100m") + agreement(population, "population_10k")
    write_csv(out_dir / "provinces.csv", PANEL_COLUMNS, panel[PANEL_COLUMNS].to_dict("records"))
    write_csv(out_dir / "vintage_agreement.csv", AGREEMENT_COLUMNS, rows)
    print_summary(panel)
    print_agreement(rows, skipped)
    print(f"wrote {out_dir / 'provinces.csv'} and {out_dir / 'vintage_agreement.csv'}")
    build_extras(raw, panel, out_dir)


# ---------------------------------------------------------------- real GDP and public-service indicators (issue 12)

MERGED_FILE = "nbs-2005-2024-v2025/fsnd_merged_panel.csv"
MERGED_SOURCE = "nbs_merged_v2025"
INDEX_COLUMN = "GDP指数_上年=100"
REAL_FILE, SERVICES_FILE = "real_gdp.csv", "public_services.csv"
REAL_COLUMNS = ["code", "province", "year", "gdp_index_prev100", "real_gdp_100m_2005", "real_gdp_per_capita_2005",
                "log_real_gdp_per_capita", "deflator_growth", "source", "note"]
SERVICES_COLUMNS = ["code", "province", "year", "indicator", "value", "unit", "source"]
INDEX_BAND = (95.0, 125.0)  # a real growth index (previous year = 100) outside this is a transcription error
# indicator -> (raw column or budget function, unit, divide by population?, source id)
SERVICE_INDICATORS = {
    "expenditure_pc": ("合计", "元/人", True, "budget_2010_2023"),
    "education_pc": ("教育", "元/人", True, "budget_2010_2023"),
    "science_pc": ("科学技术", "元/人", True, "budget_2010_2023"),
    "agriculture_pc": ("农林水", "元/人", True, "budget_2010_2023"),
    "urbanisation": ("城镇化率_%", "%", False, MERGED_SOURCE),
    "professionals_per_10k": ("公有单位专业技术人员_人", "人/万人", True, MERGED_SOURCE),
}


def read_merged(raw: Path) -> pd.DataFrame:
    """The NBS merged panel 2005-2020 with province codes; fails naming file, row and column on bad cells."""
    path = raw / MERGED_FILE
    if not path.is_file():
        raise BuildError(f"{path}: not found")
    frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    frame = frame[frame["年份"].astype(int).between(2005, LAST_YEAR)].copy()
    frame["code"] = [code_of(n, f"{MERGED_FILE}, row {i + 2}, column 地区") for i, n in zip(frame.index, frame["地区"])]
    frame["year"] = frame["年份"].astype(int)
    for column in [INDEX_COLUMN, "GDP_当年价_亿元", "城镇化率_%", "公有单位专业技术人员_人"]:
        frame[column] = [parse_number(v, f"{MERGED_FILE}, row {i + 2}, column {column}") if v != "" else math.nan
                         for i, v in zip(frame.index, frame[column])]
    bad = frame[frame[INDEX_COLUMN].notna() & ~frame[INDEX_COLUMN].between(*INDEX_BAND)]
    if len(bad):
        row = bad.iloc[0]
        raise BuildError(f"{MERGED_FILE}, row {bad.index[0] + 2}, column {INDEX_COLUMN}: {row[INDEX_COLUMN]} "
                         f"outside {INDEX_BAND} for {row['地区']} {row['year']}")
    return frame


def real_gdp(panel: pd.DataFrame, merged: pd.DataFrame) -> pd.DataFrame:
    """Real GDP at 2005 prices: the panel's 2005 GDP chained with the NBS index (previous year = 100).

    A province whose index is missing in a year gets no real value from that year on (the chain breaks;
    nothing is interpolated). deflator_growth is the implicit GDP deflator growth of the merged file
    (Δ ln nominal − ln(index/100)), both from the same file, so that vintages are not mixed within it.
    """
    rows = []
    base = panel[panel["year"] == 2005].set_index("code")
    pop = panel.set_index(["code", "year"])["population_10k"]
    for code, part in merged.sort_values("year").groupby("code"):
        level, broken, previous = float(base.loc[code, "gdp_100m"]), False, None
        for year, index, nominal in zip(part["year"], part[INDEX_COLUMN], part["GDP_当年价_亿元"]):
            note = ""
            if year > 2005:
                if math.isnan(index) or broken:
                    broken, level = True, math.nan
                    note = f"no {INDEX_COLUMN} for {year} or an earlier year: chain broken, no real value"
                else:
                    level *= index / 100
            deflator = (math.log(nominal / previous) - math.log(index / 100)
                        if previous and not math.isnan(index) and year > 2005 else math.nan)
            previous = nominal
            per_capita = level * 1e8 / (pop[(code, year)] * 1e4)
            rows.append({"code": code, "province": base.loc[code, "province"], "year": year,
                         "gdp_index_prev100": index, "real_gdp_100m_2005": level,
                         "real_gdp_per_capita_2005": per_capita, "log_real_gdp_per_capita": math.log(per_capita)
                         if per_capita == per_capita else math.nan, "deflator_growth": deflator,
                         "source": f"{MERGED_SOURCE} index x {REFERENCE} 2005 level; population as in provinces.csv",
                         "note": note})
    return pd.DataFrame(rows, columns=REAL_COLUMNS)


def services(panel: pd.DataFrame, merged: pd.DataFrame, raw: Path) -> pd.DataFrame:
    """Long table of public-service and fiscal indicators per province-year (see SERVICE_INDICATORS)."""
    budget = pd.read_csv(raw / BUDGET_FILE, dtype={"value": float})
    budget = budget[(budget["province"] != "全国") & budget["year"].between(2010, LAST_YEAR)].copy()
    budget["code"] = [code_of(n, f"{BUDGET_FILE}, row {i + 2}, column province") for i, n in zip(budget.index, budget["province"])]
    pop = panel.set_index(["code", "year"])["population_10k"]
    names = panel.drop_duplicates("code").set_index("code")["province"]
    rows = []
    for indicator, (column, unit, per_person, source) in SERVICE_INDICATORS.items():
        if source == "budget_2010_2023":
            part = budget[budget["chn_block4"] == column][["code", "year", "value"]].copy()
            part["value"] = part["value"] * 1e8  # 亿元 -> 元
        else:
            part = merged[["code", "year", column]].rename(columns={column: "value"}).dropna()
        for r in part.itertuples():
            value = r.value / (pop[(r.code, r.year)] * (1e4 if unit == "元/人" else 1.0)) if per_person else r.value
            rows.append({"code": r.code, "province": names[r.code], "year": int(r.year), "indicator": indicator,
                         "value": round(float(value), 4), "unit": unit, "source": source})
    frame = pd.DataFrame(rows, columns=SERVICES_COLUMNS).sort_values(["indicator", "code", "year"])
    duplicated = frame.duplicated(["code", "year", "indicator"])
    if duplicated.any():
        raise BuildError(f"{SERVICES_FILE}: duplicated province-year-indicator {frame[duplicated].iloc[0].tolist()}")
    return frame


def build_extras(raw: Path, panel: pd.DataFrame, out_dir: Path) -> None:
    """Write real_gdp.csv and public_services.csv next to provinces.csv."""
    merged = read_merged(raw)
    real = real_gdp(panel, merged)
    frame = services(panel, merged, raw)
    for name, columns, table in [(REAL_FILE, REAL_COLUMNS, real), (SERVICES_FILE, SERVICES_COLUMNS, frame)]:
        path = out_dir / name
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(columns)
            for row in table.itertuples(index=False):
                writer.writerow(["" if isinstance(v, float) and math.isnan(v) else
                                 (f"{v:.10g}" if isinstance(v, float) else str(v)) for v in row])
        print(f"wrote {path}: {len(table)} rows")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--raw", type=Path, default=DEFAULT_RAW, help="raw data folder (read only)")
    parser.add_argument("--regions", type=Path, default=REPO / "data" / "regions.csv")
    parser.add_argument("--out-dir", type=Path, default=REPO / "data" / "panel")
    args = parser.parse_args(argv)
    try:
        build(args.raw, args.regions, args.out_dir)
    except BuildError as error:
        print(f"build_panel: FAILED: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
