"""Step: names at the time, content-derived ids, successors, and the checks on the finished tables.

A pairing id is derived from its content (programme, donor, recipient, start year), so inserting or
removing a row changes no other id: ``<programme>-<donor>-<recipient>-<start>``, where a party is its
code, or for a university (no code) ``u`` and the first 8 hex digits of the sha256 of its name.
``data/curation/successions.csv`` says where the successor of a superseded row is looked for.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from pairing_assistance.build.codes import Names
from pairing_assistance.build.sources import check_published_text, host_of, on_allow_list
from pairing_assistance.build.tables import BuildError, check_unique, curation, join_notes, read_table
from pairing_assistance.places import Places



def party_key(code: str, name: str) -> str:
    return code or "u" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]


def assign_ids(pairings: list[dict]) -> None:
    """Content-derived ids; two rows with the same id are the same pair twice, which stops the build."""
    seen: dict[str, dict] = {}
    for r in pairings:
        r["pairing_id"] = (f"{r['programme_id']}-{party_key(r['donor_code'], r['donor_name'])}-"
                           f"{party_key(r['recipient_code'], r['recipient_name'])}-{r['valid_from']}")
        if r["pairing_id"] in seen:
            other = seen[r["pairing_id"]]["_origin"]
            r["_origin"].fail("recipient", f"duplicate pair {r['pairing_id']}: same programme, donor, recipient and "
                                           f"start as {other.where()}")
        seen[r["pairing_id"]] = r


def names_at_time(pairings: list[dict], places: Places, names: Names) -> None:
    """Each pair shows the name its units had in the year it began (mapped to today's code)."""
    for r in pairings:
        for side in ("donor", "recipient"):
            shown = r[f"{side}_name"]
            then = places.name_then(r[f"{side}_code"], shown, r["valid_from"])
            later = names.later_name(shown)
            if later is not None:
                names.used.add(id(later))
                then = later["to_name"]
                r["note"] = join_notes(r["note"], f"The notes say {shown}: {later['reason']}")
            elif then != shown:
                r["note"] = join_notes(r["note"], f"{then} in {r['valid_from']}; the notes give today's name {shown}")
            r[f"{side}_name"] = then


def link_successors(pairings: list[dict]) -> None:
    """superseded rows point to the row of the later list that replaced them, where the table has one."""
    rows = read_table(curation("successions.csv"), ["programme_id", "successor_programme_id", "match_donor_only",
                                                     "reason"])
    rules = {k[0]: r for k, r in check_unique(rows, ("programme_id",), "succession").items()}

    def province(code: str) -> str:
        return "65" if code.startswith("XPCC") else code[:2]

    for r in pairings:
        if r["status"] != "superseded":
            continue
        rule = rules.get(r["programme_id"])
        programme = rule["successor_programme_id"] if rule else r["programme_id"]
        later = [c for c in pairings if c["programme_id"] == programme and c is not r
                 and c["valid_from"] in (r["valid_to"], r["valid_to"] + 1)]
        tiers = [
            [c for c in later if (c["donor_code"], c["recipient_code"]) == (r["donor_code"], r["recipient_code"])],
            [c for c in later if c["donor_code"] == r["donor_code"]
             and province(c["recipient_code"]) == province(r["recipient_code"])],
            [c for c in later if province(c["donor_code"]) == province(r["donor_code"])
             and province(c["recipient_code"]) == province(r["recipient_code"])],
        ]
        if rule and rule["match_donor_only"] == "true":
            tiers.append([c for c in later if c["donor_code"] == r["donor_code"]])
        for number, tier in enumerate(tiers):
            if len(tier) == 1:
                r["superseded_by"] = tier[0]["pairing_id"]
                break
            if len(tier) > 1 and number < 2:  # several rows for the same donor: the rules must say which
                r["_origin"].fail("recipient", f"several possible successors {[c['pairing_id'] for c in tier]}")
            if len(tier) > 1:  # several new donors of the same province: no single successor
                break


def check(regions: list[dict], pairings: list[dict], aid: list[dict], hosts: tuple[str, ...],
          places: Places) -> None:
    level_of = {r["code"]: r["level"] for r in regions}
    for r in pairings:
        origin = r["_origin"]
        for side in ("donor", "recipient"):
            code, level = r[f"{side}_code"], r[f"{side}_level"]
            if (level == "university") == bool(code) or (code and code not in level_of):
                origin.fail(side, f"{side} code {code!r} unresolved for a {level}")
            problem = places.problem(code, r[f"{side}_name"], level, r["valid_from"])
            if problem:
                origin.fail(side, problem)
        if r["valid_to"] is not None and r["valid_to"] < r["valid_from"]:
            origin.fail("year_start", f"window {r['valid_from']}–{r['valid_to']} ends before it starts")
        if r["source_url"] and not on_allow_list(r["source_url"], hosts):
            origin.fail("source_id", f"source_url host {host_of(r['source_url'])} is not in data/source_hosts.csv")
        for field in ("source_title", "note", "donor_name", "recipient_name"):
            check_published_text(r[field], f"{origin.where()} ({r['pairing_id']}, {field})", hosts)
    # overlapping windows: same programme and pair, by codes (or names for universities) and by names
    for key_fields in (("donor_code", "donor_name", "recipient_code", "recipient_name"),
                       ("donor_name", "recipient_name")):
        spans = defaultdict(list)
        for r in pairings:
            spans[(r["programme_id"],) + tuple(r[f] for f in key_fields)].append(r)
        for group in spans.values():
            group = sorted(group, key=lambda r: r["valid_from"])
            for earlier, later in zip(group, group[1:]):
                end = earlier["valid_to"] if earlier["valid_to"] is not None else 9999
                if later["valid_from"] <= end:
                    later["_origin"].fail("year_start", f"window of {later['pairing_id']} overlaps "
                                                        f"{earlier['pairing_id']} ({earlier['_origin'].where()})")
    for r in aid:
        if r["confidence"] == "high" and not r["source_title"]:
            r["_origin"].fail("note_line", "high confidence without a source title")
        for field in ("source_title", "note"):
            check_published_text(r[field], f"{r['_origin'].where()} ({r['figure_id']}, {field})", hosts)
    if not pairings:
        raise BuildError("no pairing rows")
