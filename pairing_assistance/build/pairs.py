"""Step: rows of the research notes (sanitized) and rows added by the curator -> pairing rows.

Inputs in ``data/curation/``: ``notes_pairs.csv`` (the notes' pair rows, sanitized: source as an id, no
mirror link), ``added_pairs.csv`` (pairs the curator added from a source read), ``rounds.csv`` (which
notes rows form which programme round, and the round's defaults), ``pair_rules.csv`` (one row per
decision about one pair: window, status, confidence change and why, sources, note) and
``end_kinds.csv`` (what an open window means). Each row keeps its origin (table and line) for errors.
"""

from __future__ import annotations

from pairing_assistance.build.codes import Names
from pairing_assistance.build.sources import Sources
from pairing_assistance.build.tables import Row, check_unique, curation, integer, join_notes, read_table

NOTE_COLUMNS = ["note_file", "note_line", "programme_label", "year_start", "donor", "donor_level", "recipient",
                "recipient_level", "recipient_province", "source_id", "confidence", "note"]
ADDED_COLUMNS = ["round", "year_start", "donor", "donor_level", "recipient", "recipient_level",
                 "recipient_province", "source_id", "confidence", "note", "reason"]
ROUND_COLUMNS = ["note_file", "label_contains", "round", "programme_id", "valid_from", "valid_to", "end",
                 "status_when_closed", "start_basis", "confidence", "confidence_reason", "note", "reason"]
RULE_COLUMNS = ["round", "donor", "recipient", "skip", "valid_from", "valid_to", "end", "split_at",
                "status_when_closed", "start_basis", "confidence", "confidence_reason", "sources",
                "repost_evidence", "note", "note_add", "window_note"]
LEVEL_RANK = {"low": 0, "medium": 1, "high": 2}
REPOST_DOWNGRADE = "the source was read only on a repost or mirror; the original publisher's page was not found"
UPGRADE_NEEDS = "read by the curator"  # an upgrade must say that a source was read


def confidence_change(old: str, new: str, reason: str, row: Row, column: str) -> tuple[str, str]:
    """(level, note) after a change; an upgrade needs a source read by the curator."""
    if not new or new == old:
        return old, ""
    if new not in LEVEL_RANK:
        row.fail(column, f"confidence {new!r} is not low, medium or high")
    if LEVEL_RANK[new] > LEVEL_RANK[old] and UPGRADE_NEEDS not in reason:
        row.fail(column, f"upgrade from {old} without a source {UPGRADE_NEEDS}")
    verb = "Upgraded" if LEVEL_RANK[new] > LEVEL_RANK[old] else "Downgraded"
    return new, f"{verb} from {old}: {reason}"


def cap_for_repost(confidence: str, src: dict) -> tuple[str, str]:
    """A row whose only evidence is a repost keeps its citation but is at most medium."""
    if src["_repost_only"] and confidence == "high":
        return "medium", f"Downgraded from high: {REPOST_DOWNGRADE}"
    return confidence, ""


class Pairs:
    def __init__(self, names: Names, sources: Sources, programmes: list[str]):
        self.names, self.sources = names, sources
        self.rounds = read_table(curation("rounds.csv"), ROUND_COLUMNS)
        self.round_by_tag = {k[0]: r for k, r in check_unique(self.rounds, ("round",), "round").items()}
        for row in self.rounds:
            if row["programme_id"] and row["programme_id"] not in programmes:
                row.fail("programme_id", f"unknown programme {row['programme_id']!r} (data/programmes.csv)")
        self.rules = read_table(curation("pair_rules.csv"), RULE_COLUMNS)
        self.rule_by_key = check_unique(self.rules, ("round", "donor", "recipient"), "rule for the pair")
        for row in self.rules:
            if row["round"] not in self.round_by_tag:
                row.fail("round", f"unknown round {row['round']!r} (data/curation/rounds.csv)")
        ends = read_table(curation("end_kinds.csv"), ["end", "status", "note"])
        self.ends = {k[0]: r for k, r in check_unique(ends, ("end",), "end kind").items()}
        self.used_rules: set[int] = set()
        self.not_converted: list[str] = []

    def round_of(self, fact: Row) -> Row:
        for row in self.rounds:
            if row["note_file"] == fact["note_file"] and row["label_contains"] in fact["programme_label"]:
                return row
        fact.fail("programme_label", "matches no row of data/curation/rounds.csv")

    def build(self) -> list[dict]:
        rows = []
        for fact in read_table(curation("notes_pairs.csv"), NOTE_COLUMNS):
            rows += self.convert(fact, self.round_of(fact), from_notes=True)
        for fact in read_table(curation("added_pairs.csv"), ADDED_COLUMNS):
            if fact["round"] not in self.round_by_tag:
                fact.fail("round", f"unknown round {fact['round']!r}")
            if not fact["reason"]:
                fact.fail("reason", "an added pair says why")
            rows += self.convert(fact, self.round_by_tag[fact["round"]], from_notes=False)
        for rule in self.rules:
            if id(rule) not in self.used_rules:
                rule.fail("recipient", "matches no row of the notes (remove the rule, or the notes changed)")
        return rows

    def convert(self, fact: Row, round_: Row, from_notes: bool) -> list[dict]:
        tag = round_["round"]
        rule = self.rule_by_key.get((tag, fact["donor"], fact["recipient"]))
        if rule is not None:
            self.used_rules.add(id(rule))
        pick = (lambda column: rule.get(column)) if rule is not None else (lambda column: "")
        if not round_["programme_id"] or pick("skip"):
            self.not_converted.append(f"{fact.where()}: {fact['donor']}→{fact['recipient']} "
                                      f"({pick('skip') or round_['reason']})")
            return []
        province = self.names.province_prefix(fact["recipient_province"], fact, "recipient_province")
        university = fact["donor_level"] == "university"
        donors = self.names.parties(fact["donor"], "donor", None, university, fact)
        recipients = self.names.parties(fact["recipient"], "recipient", province, university, fact)
        origin = rule if rule is not None else fact

        valid_from = (integer(rule, "valid_from") if pick("valid_from") else None) \
            or integer(round_, "valid_from") or integer(fact, "year_start")
        valid_to = integer(rule, "valid_to") if pick("valid_to") else integer(round_, "valid_to")
        end = pick("end") or round_["end"]
        if valid_from is None:
            fact.fail("year_start", "no start year in the notes and no rule giving one")
        if valid_to is None and end not in self.ends:
            origin.fail("end", f"open window: say in_force or unknown (data/curation/end_kinds.csv), not {end!r}")

        change_row = rule if pick("confidence") else round_
        confidence, conf_note = confidence_change(fact["confidence"], change_row["confidence"],
                                                  change_row["confidence_reason"], change_row, "confidence")
        src = self.sources.cite(pick("sources") or fact["source_id"], origin if pick("sources") else fact,
                                "sources" if pick("sources") else "source_id")
        if pick("repost_evidence") == "true":  # the linked source does not name the pair; the repost does
            src = {**src, "_repost_only": True}
        confidence, repost_note = cap_for_repost(confidence, src)

        base = pick("note") or (round_["note"] if from_notes else "") or fact["note"]
        several = fact["donor"] if len(donors) > 1 else fact["recipient"]
        split_note = f"Split from '{several}' in the notes." if len(donors) > 1 or len(recipients) > 1 else ""
        end_note = self.ends[end]["note"] if valid_to is None else ""
        note = join_notes(base, pick("note_add"), pick("window_note"), split_note, conf_note, repost_note, end_note)

        if valid_to is None:
            status = self.ends[end]["status"]
        else:
            status = pick("status_when_closed") or round_["status_when_closed"]
        basis = pick("start_basis") or round_["start_basis"]
        windows = [(valid_from, valid_to, status, basis, None)]
        if pick("split_at"):  # the donor changed level during the pairing: one row per form of the unit
            year = integer(rule, "split_at")
            windows = [(valid_from, year - 1, "superseded", basis, "prefecture"),
                       (year, valid_to, status, "inferred", None)]
        out = []
        for start, stop, state, how, donor_level_then in windows:
            for dname, dcode, dlevel in donors:
                for rname, rcode, rlevel in recipients:
                    out.append({
                        "programme_id": round_["programme_id"], "donor_code": dcode, "donor_name": dname,
                        "donor_level": donor_level_then or dlevel, "recipient_code": rcode,
                        "recipient_name": rname, "recipient_level": rlevel, "valid_from": start,
                        "valid_to": stop, "status": state, "start_basis": how, "superseded_by": "", **src,
                        "confidence": confidence, "note": note, "_origin": fact,
                    })
        return out
