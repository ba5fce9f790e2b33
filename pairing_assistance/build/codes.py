"""Step: the code list, name corrections and splits; a party string of the notes becomes units with codes.

Inputs: ``cpca_adcodes.csv`` (the rows of cpca 0.5.5's GB/T 2260 list that the build reads; see
``inputs.csv``), ``code_additions.csv`` (units created after that list was made, each with the act that
created it; a code already in the list stops the build), ``name_corrections.csv`` (how a source names a unit -> the unit's code, with reason and
source) and ``splits.csv`` (a cell naming several units, or a decorated name -> one unit per row).
A name that does not resolve to exactly one code stops the build.
"""

from __future__ import annotations

import re
from collections import defaultdict

from pairing_assistance.build.tables import BuildError, Row, check_unique, curation, integer, read_table

CORRECTION_KINDS = ("short_form", "lookup", "later_name")
# Placeholder prefectures of the code list: a county under one belongs directly to the province.
PLACEHOLDERS = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")
PROVINCE_SUFFIX = re.compile(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$")


def level_of(code: str) -> str:
    if code.startswith("XPCC"):
        return "xpcc_division"
    if code.endswith("0000"):
        return "province"
    return "prefecture" if code.endswith("00") else "county"


ADDITION_COLUMNS = ["code", "name", "level", "valid_from", "replaces", "source", "reason"]


class Codes:
    """Six-digit codes and names of the code list; ``touched`` records every code the build read."""

    def __init__(self, path=None):
        self.name: dict[str, str] = {}
        for row in read_table(path or curation("cpca_adcodes.csv"), ["adcode", "name", "longitude", "latitude"]):
            if row["adcode"][6:].strip("0"):
                continue  # below county level
            self.name.setdefault(row["adcode"][:6], row["name"])
        self.touched: set[str] = set()
        self.additions = read_table(curation("code_additions.csv"), ADDITION_COLUMNS)
        check_unique(self.additions, ("code",), "added code")
        for row in self.additions:
            if not re.fullmatch(r"[1-8][0-9]{5}", row["code"]):
                row.fail("code", f"{row['code']!r} is not a six-digit GB/T 2260 code")
            if row["code"] in self.name:
                row.fail("code", f"{row['code']} is already in the code list as {self.name[row['code']]}")
            if row["level"] != level_of(row["code"]):
                row.fail("level", f"{row['code']} is a {level_of(row['code'])} code, not a {row['level']}")
            for column in ("source", "reason"):
                if not row[column]:
                    row.fail(column, "every added code says why and on what act")
            integer(row, "valid_from")
            if row["replaces"] not in self.name:
                row.fail("replaces", f"{row['replaces']!r} is not in the code list")
            self.touched.add(row["replaces"])  # the subset keeps the old code, so the check holds on it
            self.name[row["code"]] = row["name"]
        self.replaced = {row["replaces"]: row for row in self.additions}
        self.by_name: dict[str, list[str]] = defaultdict(list)
        for code, name in sorted(self.name.items()):
            self.by_name[name].append(code)

    def name_of(self, code: str) -> str | None:
        self.touched.add(code)
        return self.name.get(code)

    def lookup(self, name: str) -> list[str]:
        found = [c for c in self.by_name.get(name, []) if c not in self.replaced]  # an old code is never assigned
        self.touched.update(found)
        return list(found)

    def parent(self, code: str) -> str:
        """Province of a prefecture; prefecture of a county unless that is a placeholder (then the province)."""
        if code.startswith("XPCC"):
            return "650000"
        level = level_of(code)
        if level == "province":
            return ""
        province = code[:2] + "0000"
        if level == "prefecture":
            return province
        prefecture = code[:4] + "00"
        return province if self.name_of(prefecture) in (None, *PLACEHOLDERS) else prefecture

    def provinces(self) -> dict[str, str]:
        return {code: self.name_of(code) for code in sorted(self.name) if code.endswith("0000")}


class Names:
    """Resolution of names in the notes to codes, through the corrections and splits tables."""

    def __init__(self, codes: Codes):
        self.codes = codes
        self.corrections = read_table(curation("name_corrections.csv"),
                                      ["from_name", "kind", "to_name", "to_code", "reason", "source"])
        check_unique(self.corrections, ("from_name", "kind"), "correction")
        self.fixed: dict[str, dict[str, Row]] = defaultdict(dict)
        for row in self.corrections:
            if row["kind"] not in CORRECTION_KINDS:
                row.fail("kind", f"{row['kind']!r} is not one of {CORRECTION_KINDS}")
            for column in ("reason", "source"):
                if not row[column]:
                    row.fail(column, "every correction says why and on what source")
            if codes.name_of(row["to_code"]) is None:
                row.fail("to_code", f"unknown code {row['to_code']!r} (not in data/curation/cpca_adcodes.csv)")
            if row["to_code"] in codes.replaced:
                added = codes.replaced[row["to_code"]]
                row.fail("to_code", f"{row['to_code']} was replaced by {added['code']} ({added.where()})")
            if row["kind"] != "later_name" and codes.name_of(row["to_code"]) != row["to_name"]:
                row.fail("to_name", f"{row['to_name']!r} is not the code list's name of {row['to_code']} "
                                    f"({codes.name_of(row['to_code'])})")
            self.fixed[row["kind"]][row["from_name"]] = row
        self.used: set[int] = set()
        self.splits: dict[str, list[Row]] = defaultdict(list)
        rows = read_table(curation("splits.csv"), ["party", "position", "name", "lookup_name", "xpcc_division", "reason"])
        check_unique(rows, ("party", "position"), "split position")
        for row in rows:
            if not row["reason"]:
                row.fail("reason", "every split says why")
            self.splits[row["party"]].append(row)
        self.province_names = codes.provinces()

    def later_name(self, shown: str) -> Row | None:
        return self.fixed["later_name"].get(shown)

    def short_form(self, name: str) -> str:
        row = self.fixed["short_form"].get(name)
        if row:
            self.used.add(id(row))
        return row["to_name"] if row else name

    def resolve(self, name: str, province: str | None, row: Row, column: str) -> str:
        """The one code of ``name`` (within ``province``, a two-digit prefix, if given)."""
        fix = self.fixed["lookup"].get(name) or self.fixed["short_form"].get(name)
        if fix:
            self.used.add(id(fix))
            code = fix["to_code"]
            if province and not code.startswith(province):
                fix.fail("to_code", f"{code} is not in province {province}0000 named by {row.where(column)}")
            return code
        candidates = [c for c in self.codes.lookup(name) if not province or c.startswith(province)]
        if len(candidates) != 1:
            row.fail(column, f"name {name!r} (province {province or 'any'}) resolves to {candidates or 'no code'} "
                             "in the code list; add a row to data/curation/name_corrections.csv or splits.csv")
        return candidates[0]

    def province_prefix(self, text: str, row: Row, column: str) -> str | None:
        """Two-digit prefix of a province named in full or short form (e.g. '西藏', '内蒙古自治区')."""
        text = text.strip()
        if not text:
            return None
        for code, full in self.province_names.items():
            short = PROVINCE_SUFFIX.sub("", full)
            if text in (full, short) or text.startswith(short):
                return code[:2]
        row.fail(column, f"{text!r} names no province")

    def donor_province(self, raw: str) -> str | None:
        """A donor below the province written with its province first ('北京市朝阳区') is looked up there."""
        for code, full in self.province_names.items():
            if raw.startswith(full) and raw != full:
                return code[:2]
        return None

    def parties(self, raw: str, side: str, province: str | None, university: bool, row: Row) -> list[tuple]:
        """One (shown name, code, level) per unit in a party string of the notes."""
        column = side
        items = self.splits.get(raw)
        if items:
            for item in items:
                self.used.add(id(item))
        if university:
            return [(item["name"], "", "university") for item in items] if items else [(raw, "", "university")]
        out = []
        for item in items or [None]:
            if item is not None and item["xpcc_division"]:
                number = integer(item, "xpcc_division")
                out.append((item["name"], f"XPCC{number:02d}", "xpcc_division"))
                continue
            name = item["name"] if item is not None else raw
            lookup = (item.get("lookup_name") or name) if item is not None else raw
            name, lookup = self.short_form(name), self.short_form(lookup)
            hint = self.donor_province(raw) if side == "donor" else province
            code = self.resolve(lookup, hint, item or row, "lookup_name" if item is not None else column)
            out.append((name, code, level_of(code)))
        return out

    def check_all_used(self) -> None:
        for rows in (self.corrections, [r for rows in self.splits.values() for r in rows]):
            for row in rows:
                if id(row) not in self.used and row.get("kind") != "later_name":
                    column = "from_name" if "from_name" in row.values else "party"
                    row.fail(column, "matches no name in the notes (remove the row, or the notes changed)")

    def check_ili_counties(self) -> None:
        """The split of '伊犁州直属10县(市)': cpca's units directly under 伊犁州 (6540xx) less 霍尔果斯市."""
        items = self.splits.get("伊犁州直属10县(市)", [])
        direct = sorted(n for c, n in self.codes.name.items() if c.startswith("6540") and c != "654000")
        self.codes.touched.update(c for c in self.codes.name if c.startswith("6540"))
        expected = sorted(set(direct) - {"霍尔果斯市"})
        if sorted(i["name"] for i in items) != expected or len(expected) != 10:
            raise BuildError(f"data/curation/splits.csv: 伊犁州直属10县(市) must list {expected}")
