"""Names and levels of places by period, from the one place crosswalk ``data/places.csv``.

Each row of the crosswalk is one form of a unit: its code (today's GB/T 2260 code, or an XPCC project
code), name, level and parent, in force from ``valid_from`` to ``valid_to`` (the year of a change
belongs to both forms; empty: open). A unit whose only form is today's is taken to have existed under
that name and level throughout the period the tables cover (1949 onwards). Pure Python, so that the
loader and the data build share it; province names and codes are looked up here, never typed elsewhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Endings of province names that sources drop ("内蒙古" for 内蒙古自治区).
_PROVINCE_ENDING = re.compile(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$")


@dataclass(frozen=True)
class Form:
    """One name and level of a unit, in force from ``start`` to ``end`` (None: open)."""

    name: str
    level: str
    start: int | None
    end: int | None

    def covers(self, year: int) -> bool:
        return (self.start is None or self.start <= year) and (self.end is None or year <= self.end)


def short_name(name: str) -> str:
    """A province's name without its ending: 北京市 -> 北京, 广西壮族自治区 -> 广西."""
    return _PROVINCE_ENDING.sub("", name)


class Places:
    """Forms of every unit by code, from the rows of the crosswalk."""

    def __init__(self, rows: list[dict]):
        self.forms: dict[str, list[Form]] = {}
        self.history: set[str] = set()
        self.current: dict[str, dict] = {}
        for row in rows:
            end = _year(row.get("valid_to"))
            self.forms.setdefault(row["code"], []).append(
                Form(row["name_zh"], row["level"], _year(row.get("valid_from")), end))
            if end is None:
                self.current[row["code"]] = row
            else:
                self.history.add(row["code"])
        self.province_names = [r["name_zh"] for r in self.current.values() if r["level"] == "province"]

    def current_since(self, code: str) -> int | None:
        """Year today's form took effect: the last change recorded (None if none)."""
        ends = [f.end for f in self.forms.get(code, []) if f.end is not None]
        return max(ends) if ends else None

    def forms_in(self, code: str, year: int) -> list[Form]:
        return [f for f in self.forms.get(code, []) if f.covers(year)]

    def province_code(self, name: str) -> str:
        """Code of a province named in full, short (北京) or English form; KeyError if none matches."""
        for code, row in self.current.items():
            if row["level"] == "province" and name in (row["name_zh"], short_name(row["name_zh"]),
                                                       row.get("name_en")):
                return code
        raise KeyError(f"{name!r} names no province of data/places.csv")

    def strip_province(self, name: str) -> str:
        for province in self.province_names:
            if name.startswith(province) and len(name) > len(province):
                return name[len(province):]
        return name

    def name_then(self, code: str, shown: str, year: int) -> str:
        """The name in use in ``year`` for a unit shown as ``shown`` (keeping a province prefix)."""
        forms = self.forms_in(code, year)
        if code not in self.history or not forms:
            return shown
        bare = self.strip_province(shown)
        prefix = shown[: len(shown) - len(bare)]
        return prefix + forms[0].name

    def problem(self, code: str, shown: str, level: str, year: int) -> str:
        """Why a unit cannot appear in a pair that began in ``year`` ('' if it can)."""
        if not code or level == "university":
            return ""
        forms = self.forms_in(code, year)
        if not forms:
            starts = [f.start for f in self.forms.get(code, []) if f.start is not None]
            since = f" (exists from {min(starts)})" if starts else ""
            return f"{code} did not exist in {year}{since}"
        if not any(f.level == level for f in forms):
            return f"{code} did not exist as a {level} in {year} (it was a {'/'.join(f.level for f in forms)} then)"
        if code in self.history and self.strip_province(shown) not in {f.name for f in forms if f.level == level}:
            names = "/".join(f.name for f in forms)
            return f"{code} was named {names} in {year}, not {shown}"
        return ""


def _year(value) -> int | None:
    if value is None or value == "" or value != value:  # empty cell or NaN
        return None
    return int(value)
