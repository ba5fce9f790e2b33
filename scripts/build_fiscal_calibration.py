#!/usr/bin/env python3
"""Build data/fiscal_2019.csv: 2019 local tax revenue and resident population of the 31 mainland provinces.

Calibration table for the horizontal fiscal equalisation model. Maintainer tool: the committed CSV is the
validated output, this script documents how it was made. Following ../shared/data-raw/PROVENANCE.md, the
raw files are read in place (never copied) and every row carries its source and vintage. It reads

* nbs-2005-2024-v2025/fsnd_merged_panel.csv -- a mirror of NBS 分省年度数据 (vintage 2025); only the
  column 税收收入_亿元 (local tax revenue, 亿元) of 2019 is used. Provinces are named short (上海, 内蒙古);
* nbs-population/pop_resident_2015_2024_vintage2025_1lmq.csv -- NBS export of 年末常住人口 (万人,
  vintage 2025), with NBS header and footer lines; provinces named in full (北京市);
* nbs-population/pop_yearend_2000_2020_vintage2021_yinthan.csv -- year-end population (万人, vintage
  2021, English names), used only to cross-check the 2019 population (reported; fails above 5 %);
* data/regions.csv -- GB/T 2260 codes, full names and NBS region groups;
* data/places.csv and data/curation/place_aliases.csv -- the place crosswalk and the raw files' other spellings.

Short and English names are mapped to codes through the place crosswalk (``pairing_assistance.places``,
data/places.csv) and the aliases of data/curation/place_aliases.csv; each file must name every province once. The build stops with a non-zero exit and a message naming the file and province if a
province is missing, duplicated or unknown, a value is missing or non-numeric, a unit looks wrong
(per-capita tax outside 500-60,000 元; 2019 differs from 2018 by more than a factor 1.5), or the two
population vintages differ by more than 5 %.

Usage (from the repository root):
    .venv/bin/python scripts/build_fiscal_calibration.py [--raw DIR] [--regions FILE] [--out FILE]
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run as a script from the repository root

from pairing_assistance.places import Places  # noqa: E402
DEFAULT_RAW = REPO.parent / "shared" / "data-raw"
YEAR = "2019"
PREVIOUS_YEAR = "2018"
VINTAGE = "2025"

TAX_FILE = "nbs-2005-2024-v2025/fsnd_merged_panel.csv"
TAX_COLUMN = "税收收入_亿元"
POP_FILE = "nbs-population/pop_resident_2015_2024_vintage2025_1lmq.csv"
POP_INDICATOR = "年末常住人口(万人)"
CHECK_FILE = "nbs-population/pop_yearend_2000_2020_vintage2021_yinthan.csv"

SOURCE = (f"NBS 分省年度数据 (mirror fsnd_merged_panel.csv, vintage {VINTAGE}): 税收收入; "
          f"NBS 分省年度数据 年末常住人口 (export pop_resident_2015_2024_vintage2025_1lmq.csv, vintage {VINTAGE})")

PER_CAPITA_RANGE = (500.0, 60_000.0)  # 元 per person; outside it a unit is wrong
MAX_YEAR_ON_YEAR = 1.5  # 2019 / 2018 (or its inverse) above this is a unit jump, not a change
MAX_VINTAGE_GAP = 0.05  # relative difference between the two population vintages that stops the build

# Province names of the raw files (full, short such as 内蒙古, or English) are looked up in the one place
# crosswalk (pairing_assistance.places over data/places.csv); a spelling the crosswalk lacks is a row of
# data/curation/place_aliases.csv, with the file it comes from and why.
ALIASES = REPO / "data" / "curation" / "place_aliases.csv"

COLUMNS = ["code", "province", "population_10k", "tax_revenue_100m", "tax_per_capita", "region_group",
           "source", "vintage"]


class BuildError(RuntimeError):
    """Raw data that cannot be turned into a valid calibration table."""


def mainland_provinces(regions_csv: Path) -> dict[str, dict]:
    """Full name -> regions.csv row, for the 31 mainland provinces (region_group other excluded)."""
    with regions_csv.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["level"] == "province" and r["region_group"] != "other"]
    provinces: dict[str, dict] = {}
    for row in rows:
        if row["name_zh"] in provinces:
            raise BuildError(f"{regions_csv}: province {row['name_zh']} listed twice")
        provinces[row["name_zh"]] = row
    if len(provinces) != 31:
        raise BuildError(f"{regions_csv}: expected 31 mainland provinces, found {len(provinces)}")
    return provinces


def province_names(places_csv: Path, aliases_csv: Path, provinces: dict[str, dict]) -> Callable[[str], str]:
    """A function: a province's name in a raw file (full, short, English or an alias) -> its full name."""
    with places_csv.open(encoding="utf-8", newline="") as handle:
        places = Places(list(csv.DictReader(handle)))
    by_code = {row["code"]: full for full, row in provinces.items()}
    aliases: dict[str, str] = {}
    with aliases_csv.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            if row["code"] not in by_code or not row["reason"]:
                raise BuildError(f"{aliases_csv}, line {line}: alias {row['alias']!r} needs the code of a mainland "
                                 f"province (not {row['code']!r}) and a reason")
            aliases[row["alias"]] = row["code"]

    def full_name(name: str) -> str:
        try:
            code = places.province_code(name)
        except KeyError:
            code = aliases.get(name, "")
        if code not in by_code:
            raise KeyError(name)
        return by_code[code]

    return full_name


def number(text: str | None, where: str) -> float:
    if text is None or not text.strip():
        raise BuildError(f"{where}: value missing")
    try:
        value = float(text.strip())
    except ValueError:
        raise BuildError(f"{where}: value {text!r} is not numeric") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise BuildError(f"{where}: value {text!r} is not a finite number")
    return value


def collect(pairs: list[tuple[str, str | None]], full_name: Callable[[str], str], provinces: dict[str, dict],
            path: Path, what: str) -> dict[str, str | None]:
    """Raw name -> value list to full name -> value; unknown, duplicated and missing provinces stop the build."""
    found: dict[str, str | None] = {}
    for raw_name, value in pairs:
        name = raw_name.strip()
        try:
            full = full_name(name)
        except KeyError:
            raise BuildError(f"{path}: {what}: province {name!r} is neither in data/places.csv nor in "
                             f"data/curation/place_aliases.csv") from None
        if full in found:
            raise BuildError(f"{path}: {what}: province {name} ({full}) appears more than once")
        found[full] = value
    missing = sorted(set(provinces) - set(found))
    if missing:
        raise BuildError(f"{path}: {what}: province(s) missing: {', '.join(missing)}")
    return found


def read_tax(raw: Path, full_name: Callable[[str], str], provinces: dict) -> dict[str, dict[str, float]]:
    """Full name -> {year: 税收收入 in 亿元} for 2019 and 2018 from the merged panel."""
    path = raw / TAX_FILE
    if not path.exists():
        raise BuildError(f"{path}: file not found")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        absent = {"地区", "年份", TAX_COLUMN} - set(reader.fieldnames or [])
        if absent:
            raise BuildError(f"{path}: column(s) missing: {', '.join(sorted(absent))}")
        rows = list(reader)
    result: dict[str, dict[str, float]] = {}
    for year in (YEAR, PREVIOUS_YEAR):
        pairs = [(r["地区"], r[TAX_COLUMN]) for r in rows if r["年份"].strip() == year]
        for full, text in collect(pairs, full_name, provinces, path, f"{TAX_COLUMN} {year}").items():
            result.setdefault(full, {})[year] = number(text, f"{path}: province {full}, {year}, column {TAX_COLUMN}")
    return result


def read_nbs_export(path: Path, indicator: str) -> tuple[list[str], list[list[str]]]:
    """Header and data rows of an NBS 分省年度数据 export (metadata lines above, notes below)."""
    if not path.exists():
        raise BuildError(f"{path}: file not found")
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    meta = [line for line in lines if line.startswith("指标：")]
    if len(meta) != 1 or meta[0].removeprefix("指标：").strip() != indicator:
        raise BuildError(f"{path}: expected indicator line '指标：{indicator}', found {meta or 'none'}")
    starts = [i for i, line in enumerate(lines) if line.startswith("地区,")]
    if len(starts) != 1:
        raise BuildError(f"{path}: expected one header line starting with '地区,', found {len(starts)}")
    body = []
    for line in lines[starts[0] + 1:]:
        if not line.strip() or line.startswith(("注：", "数据来源")):
            break
        body.append(line)
    table = list(csv.reader(lines[starts[0]:starts[0] + 1] + body))
    return table[0], table[1:]


def read_population(raw: Path, full_name: Callable[[str], str], provinces: dict) -> dict[str, dict[str, float]]:
    """Full name -> {year: 年末常住人口 in 万人} for 2019 and 2018 from the NBS export (vintage 2025)."""
    path = raw / POP_FILE
    header, rows = read_nbs_export(path, POP_INDICATOR)
    result: dict[str, dict[str, float]] = {}
    for year in (YEAR, PREVIOUS_YEAR):
        column = f"{year}年"
        if header.count(column) != 1:
            raise BuildError(f"{path}: expected one column {column!r}, header is {header}")
        index = header.index(column)
        pairs = [(r[0], r[index] if len(r) > index else None) for r in rows]
        for full, text in collect(pairs, full_name, provinces, path, column).items():
            result.setdefault(full, {})[year] = number(text, f"{path}: province {full}, column {column}")
    return result


def read_check_population(raw: Path, full_name: Callable[[str], str], provinces: dict) -> dict[str, float]:
    """Full name -> 2019 year-end population (万人) of the vintage-2021 file (English names)."""
    path = raw / CHECK_FILE
    if not path.exists():
        raise BuildError(f"{path}: file not found")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if "Region" not in (reader.fieldnames or []) or YEAR not in (reader.fieldnames or []):
            raise BuildError(f"{path}: columns 'Region' and {YEAR!r} expected, header is {reader.fieldnames}")
        pairs = [(r["Region"], r[YEAR]) for r in reader]
    return {full: number(text, f"{path}: province {full}, column {YEAR}")
            for full, text in collect(pairs, full_name, provinces, path, YEAR).items()}


def check_year_on_year(series: dict[str, dict[str, float]], path: Path, what: str) -> None:
    for full, values in series.items():
        if values[PREVIOUS_YEAR] <= 0 or values[YEAR] <= 0:
            raise BuildError(f"{path}: province {full}: {what} not positive ({values})")
        ratio = values[YEAR] / values[PREVIOUS_YEAR]
        if not 1 / MAX_YEAR_ON_YEAR <= ratio <= MAX_YEAR_ON_YEAR:
            raise BuildError(f"{path}: province {full}: {what} {YEAR}/{PREVIOUS_YEAR} = {ratio:.3f}, "
                             "a unit jump?")


def build(raw: Path, regions_csv: Path, places_csv: Path | None = None,
          aliases_csv: Path = ALIASES) -> tuple[list[dict], dict]:
    provinces = mainland_provinces(regions_csv)
    full_name = province_names(places_csv or regions_csv.with_name("places.csv"), aliases_csv, provinces)
    tax = read_tax(raw, full_name, provinces)
    population = read_population(raw, full_name, provinces)
    check_year_on_year(tax, raw / TAX_FILE, TAX_COLUMN)
    check_year_on_year(population, raw / POP_FILE, POP_INDICATOR)

    rows = []
    for full, region in provinces.items():
        pop, revenue = population[full][YEAR], tax[full][YEAR]
        per_capita = round(revenue * 1e8 / (pop * 1e4), 1)
        low, high = PER_CAPITA_RANGE
        if not low <= per_capita <= high:
            raise BuildError(f"{raw / TAX_FILE} / {raw / POP_FILE}: province {full}: tax per capita "
                             f"{per_capita} 元 outside {low:,.0f}-{high:,.0f} 元 (unit error?)")
        rows.append({"code": region["code"], "province": full, "population_10k": pop, "tax_revenue_100m": revenue,
                     "tax_per_capita": per_capita, "region_group": region["region_group"], "source": SOURCE,
                     "vintage": VINTAGE})
    rows.sort(key=lambda r: r["code"])

    check = read_check_population(raw, full_name, provinces)
    gaps = {full: abs(population[full][YEAR] - check[full]) / check[full] for full in provinces}
    worst = max(sorted(gaps), key=gaps.get)
    report = {"worst": worst, "gap": gaps[worst], "differing": sorted(f for f, g in gaps.items() if g > 0),
              "vintage_2021": check[worst], "vintage_2025": population[worst][YEAR]}
    if gaps[worst] > MAX_VINTAGE_GAP:
        raise BuildError(f"{raw / CHECK_FILE} vs {raw / POP_FILE}: province {worst}: {YEAR} population differs by "
                         f"{gaps[worst]:.1%} between vintages (limit {MAX_VINTAGE_GAP:.0%})")
    return rows, report


def write(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([repr(float(row[c])) if isinstance(row[c], float) else row[c] for c in COLUMNS])


def summarise(rows: list[dict], report: dict) -> str:
    total_tax = sum(r["tax_revenue_100m"] for r in rows)
    total_pop = sum(r["population_10k"] for r in rows)
    low = min(rows, key=lambda r: r["tax_per_capita"])
    high = max(rows, key=lambda r: r["tax_per_capita"])
    if report["gap"] == 0:
        agreement = f"0.00% (the two vintages agree for all {len(rows)} provinces)"
    else:
        agreement = (f"{report['gap']:.2%} ({report['worst']}: {report['vintage_2025']:g} vs "
                     f"{report['vintage_2021']:g} 万人); {len(report['differing'])} province(s) differ")
    lines = [
        f"{len(rows)} provinces, {YEAR}: tax revenue {total_tax:,.2f} 亿元, resident population {total_pop:,.0f} 万人",
        f"national (31 provinces) tax per capita: {total_tax * 1e8 / (total_pop * 1e4):,.1f} 元",
        f"min: {low['province']} {low['tax_per_capita']:,.1f} 元; max: {high['province']} {high['tax_per_capita']:,.1f} 元 "
        f"(ratio {high['tax_per_capita'] / low['tax_per_capita']:.1f})",
        f"population cross-check vs vintage 2021 ({CHECK_FILE}): largest relative difference {agreement}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--raw", type=Path, default=DEFAULT_RAW, help="folder of the raw NBS files (read-only)")
    parser.add_argument("--regions", type=Path, default=REPO / "data" / "regions.csv")
    parser.add_argument("--out", type=Path, default=REPO / "data" / "fiscal_2019.csv")
    args = parser.parse_args(argv)
    try:
        rows, report = build(args.raw.resolve(), args.regions)
    except BuildError as error:
        print(f"build_fiscal_calibration: error: {error}", file=sys.stderr)
        return 1
    write(args.out, rows)
    print(f"wrote {args.out} ({len(rows)} rows)")
    print(summarise(rows, report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
