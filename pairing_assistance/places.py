"""Names and levels of places by period: which unit existed, under which name, in a given year.

Codes in the tables are today's GB/T 2260 codes. ``data/place_names.csv`` lists the earlier names and
levels of a code's unit (``valid_to`` is the year of the change, in which both forms occur);
``data/regions.csv`` holds today's form and, in ``valid_from``, the year it took effect. A code with no
earlier form is taken to have existed under today's name and level throughout the period the tables
cover (1949 onwards). Pure Python, so that the loader and the maintainers' build script share it.
"""

from __future__ import annotations

from dataclasses import dataclass

# Province names that sources put before a lower unit ("北京市通县"); stripped before a name is compared.
_PROVINCE_SUFFIXES = ("省", "市", "自治区", "特别行政区")


@dataclass(frozen=True)
class Form:
    """One name and level of a unit, in force from ``start`` to ``end`` (None: open)."""

    name: str
    level: str
    start: int | None
    end: int | None

    def covers(self, year: int) -> bool:
        return (self.start is None or self.start <= year) and (self.end is None or year <= self.end)


class Places:
    """Forms of every unit by code: today's (from regions) and earlier ones (from place_names)."""

    def __init__(self, regions: list[dict], place_names: list[dict], province_names: list[str] | None = None):
        self.forms: dict[str, list[Form]] = {}
        self.history: set[str] = set()
        for row in place_names:
            self.history.add(row["code"])
            self.forms.setdefault(row["code"], []).append(
                Form(row["name_zh"], row["level"], _year(row.get("valid_from")), _year(row.get("valid_to"))))
        for row in regions:
            since = _year(row.get("valid_from"))
            if since is None and row["code"] in self.history:
                since = max(f.end for f in self.forms[row["code"]] if f.end is not None)
            self.forms.setdefault(row["code"], []).append(Form(row["name_zh"], row["level"], since, None))
        self.province_names = province_names or [r["name_zh"] for r in regions if r["level"] == "province"]

    def current_since(self, code: str) -> int | None:
        """Year today's form took effect: the last change recorded in place_names (None if none)."""
        ends = [f.end for f in self.forms.get(code, []) if f.end is not None]
        return max(ends) if ends else None

    def forms_in(self, code: str, year: int) -> list[Form]:
        return [f for f in self.forms.get(code, []) if f.covers(year)]

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
