"""Step: the place crosswalk (data/places.csv) and today's units (data/regions.csv).

Inputs in ``data/curation/``: the code list (``cpca_adcodes.csv``), ``place_labels.csv`` (English name,
pinyin, NBS region group of provinces, note), ``xpcc_divisions.csv`` (XPCC divisions, which have no GB/T
2260 code of their own) and ``place_changes.csv`` (earlier names and levels of a code's unit, by period,
with the act that changed them). ``places.csv`` holds every form of every unit the tables use (one row
per code and form, with valid_from/valid_to); ``regions.csv`` is its view of today's forms, one row per
code, which the other tables reference.
"""

from __future__ import annotations

from pairing_assistance.build.codes import Codes, level_of
from pairing_assistance.build.tables import check_unique, curation, integer, join_notes, read_table

REGION_COLUMNS = ["code", "code_system", "name_zh", "name_en", "name_pinyin", "level", "parent_code",
                  "region_group", "valid_from", "source", "note"]
PLACE_COLUMNS = ["code", "code_system", "name_zh", "level", "parent_code", "valid_from", "valid_to", "name_en",
                 "name_pinyin", "region_group", "source", "note"]
CHANGE_COLUMNS = ["code", "name_zh", "level", "parent_code", "valid_from", "valid_to", "source", "note"]
GROUP_COUNTS = {"east": 10, "central": 6, "west": 12, "northeast": 3, "other": 3}
PARENT_NOTE = "Included as the parent of units used in pairings"


def read_changes() -> list:
    rows = read_table(curation("place_changes.csv"), CHANGE_COLUMNS)
    check_unique(rows, ("code", "name_zh", "level"), "earlier form")
    for row in rows:
        if integer(row, "valid_to") is None:
            row.fail("valid_to", "an earlier form ends in the year of the change")
        if not row["source"]:
            row.fail("source", "every change names the act that made it")
        if row["level"] not in ("province", "prefecture", "county"):
            row.fail("level", f"unknown level {row['level']!r}")
    return rows


def build_regions(pairings: list[dict], codes: Codes, source: str) -> list[dict]:
    labels = read_table(curation("place_labels.csv"), ["code", "name_en", "name_pinyin", "region_group", "note"])
    label = {k[0]: r for k, r in check_unique(labels, ("code",), "label").items()}
    xpcc_rows = read_table(curation("xpcc_divisions.csv"),
                           ["code", "name_zh", "former_name", "name_en", "name_pinyin", "seat", "source"])
    xpcc = {k[0]: r for k, r in check_unique(xpcc_rows, ("code",), "division").items()}
    changes = read_changes()
    since: dict[str, int] = {}
    for row in changes:
        since[row["code"]] = max(since.get(row["code"], 0), integer(row, "valid_to"))
    provinces = [c for c, r in label.items() if r["region_group"]]
    used = {r[f"{side}_code"] for r in pairings for side in ("donor", "recipient") if r[f"{side}_code"]}
    needed = set(provinces) | used
    for code in list(needed):  # parents (the parent_code foreign key must resolve)
        parent = codes.parent(code)
        while parent:
            needed.add(parent)
            parent = codes.parent(parent)
    added = {row["code"]: row for row in codes.additions}  # units newer than the code list cite their act
    rows = []
    for code in sorted(needed, key=lambda c: (c.startswith("XPCC"), c)):
        if code.startswith("XPCC"):
            if code not in xpcc:
                raise_missing(code, "data/curation/xpcc_divisions.csv")
            division = xpcc[code]
            seat_codes = codes.lookup(division["seat"]) if division["seat"] else []
            former = f"Called {division['former_name']} in 2010 sources."
            note = (f"Seat as named in the notes: {division['seat']}"
                    + (f" (GB/T 2260 {seat_codes[0]})" if seat_codes else "") + ". " + former) \
                if division["seat"] else former
            rows.append({"code": code, "code_system": "xpcc", "name_zh": division["name_zh"],
                         "name_en": division["name_en"], "name_pinyin": division["name_pinyin"],
                         "level": "xpcc_division", "parent_code": "650000", "region_group": "west",
                         "source": division["source"], "note": note})
            continue
        if codes.name_of(code) is None:
            raise_missing(code, "data/curation/cpca_adcodes.csv")
        if code not in label:
            raise_missing(code, "data/curation/place_labels.csv (English name and pinyin)")
        note = label[code]["note"]
        if code not in used and code not in provinces:
            note = join_notes(note, PARENT_NOTE)
        rows.append({"code": code, "code_system": "gbt2260", "name_zh": codes.name_of(code),
                     "name_en": label[code]["name_en"], "name_pinyin": label[code]["name_pinyin"],
                     "level": level_of(code), "parent_code": codes.parent(code),
                     "region_group": label[code[:2] + "0000"]["region_group"], "valid_from": since.get(code),
                     "source": added[code]["source"] if code in added else source, "note": note})
    made = {r["code"] for r in rows}
    for added in codes.additions:  # a unit added to the code list says when it took today's form
        if added["code"] in made and since.get(added["code"]) != integer(added, "valid_from"):
            added.fail("valid_from", f"differs from the change recorded in data/curation/place_changes.csv "
                                     f"({since.get(added['code'])})")
    for row in labels:
        if row["code"] not in made:
            row.fail("code", "no unit of the tables needs this label (remove it)")
    for row in changes:
        if row["code"] not in made:
            row.fail("code", "unknown code: not a unit of data/regions.csv")
    groups: dict[str, int] = {}
    for row in rows:
        if row["level"] == "province":
            groups[row["region_group"]] = groups.get(row["region_group"], 0) + 1
    if groups != GROUP_COUNTS:
        labels[0].fail("region_group", f"province groups {groups} differ from {GROUP_COUNTS}")
    return rows


def raise_missing(code: str, where: str) -> None:
    from pairing_assistance.build.tables import BuildError
    raise BuildError(f"{where}: no row for code {code}, which the pairings use")


def build_places(regions: list[dict]) -> list[dict]:
    """Every form of every unit: today's (from regions) and the earlier ones (place_changes)."""
    forms = [{**r, "valid_to": None} for r in regions]
    current = {r["code"]: r for r in regions}
    for row in read_changes():
        today = current[row["code"]]
        forms.append({"code": row["code"], "code_system": today["code_system"], "name_zh": row["name_zh"],
                      "level": row["level"], "parent_code": row["parent_code"], "valid_from": row["valid_from"],
                      "valid_to": row["valid_to"], "name_en": "", "name_pinyin": "",
                      "region_group": today["region_group"], "source": row["source"], "note": row["note"]})
    return sorted(forms, key=lambda r: (r["code"].startswith("XPCC"), r["code"], r["valid_to"] is None,
                                        int(r["valid_to"] or 0)))
