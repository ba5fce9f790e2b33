"""Step: the aid figures of the research notes -> data/aid_figures.csv, one figure per number.

Inputs in ``data/curation/``: ``notes_aid.csv`` (the notes' rows, sanitized: source as an id),
``aid_rows.csv`` (per notes row: programme, donor and recipient as the table shows them, and any
change of source or confidence with its reason) and ``aid_conversions.csv`` (one row per published
figure: measure, value as the source gives it, unit, period, note).
"""

from __future__ import annotations

from pairing_assistance.build.pairs import cap_for_repost, confidence_change
from pairing_assistance.build.sources import Sources
from pairing_assistance.build.tables import check_unique, curation, join_notes, read_table

COLUMNS = ["figure_id", "programme_id", "measure", "value", "unit", "period_start", "period_end", "cumulative",
           "donor", "recipient", "source_title", "source_url", "source_ids", "confidence", "note"]


def build_aid(sources: Sources, programmes: list[str]) -> list[dict]:
    notes = read_table(curation("notes_aid.csv"), ["note_line", "figure", "source_id", "confidence"])
    by_line = {k[0]: r for k, r in check_unique(notes, ("note_line",), "notes line").items()}
    decisions = read_table(curation("aid_rows.csv"), ["note_line", "programme_id", "donor", "recipient", "sources",
                                                      "confidence", "confidence_reason"])
    decided = check_unique(decisions, ("note_line",), "decision for the notes line")
    figures = read_table(curation("aid_conversions.csv"), ["note_line", "measure", "value", "unit", "period_start",
                                                           "period_end", "cumulative", "note"])
    for row in notes:
        if (row["note_line"],) not in decided:
            row.fail("note_line", "no row of data/curation/aid_rows.csv converts this figure of the notes")
    converted = set()
    cited = {}
    for row in decisions:
        fact = by_line.get(row["note_line"])
        if fact is None:
            row.fail("note_line", "no such line in data/curation/notes_aid.csv")
        if row["programme_id"] and row["programme_id"] not in programmes:
            row.fail("programme_id", f"unknown programme {row['programme_id']!r}")
        src = sources.cite(row["sources"], row, "sources") if row["sources"] else \
            sources.cite(fact["source_id"], fact, "source_id")
        src["_repost_only"] = src["_repost_only"] and not src["source_url"]
        confidence, conf_note = confidence_change(fact["confidence"], row["confidence"], row["confidence_reason"],
                                                  row, "confidence")
        confidence, repost_note = cap_for_repost(confidence, src)
        cited[row["note_line"]] = (row, src, confidence, join_notes(conf_note, repost_note))
    out = []
    for figure in figures:
        if figure["note_line"] not in cited:
            figure.fail("note_line", "no row of data/curation/aid_rows.csv for this notes line")
        if figure["cumulative"] not in ("true", "false"):
            figure.fail("cumulative", "true or false")
        converted.add(figure["note_line"])
        row, src, confidence, conf_note = cited[figure["note_line"]]
        out.append({
            "figure_id": f"A{len(out) + 1:03d}", "programme_id": row["programme_id"], "measure": figure["measure"],
            "value": figure["value"], "unit": figure["unit"], "period_start": figure["period_start"],
            "period_end": figure["period_end"], "cumulative": figure["cumulative"], "donor": row["donor"],
            "recipient": row["recipient"], **src, "confidence": confidence,
            "note": join_notes(figure["note"], conf_note), "_origin": figure,
        })
    for row in decisions:
        if row["note_line"] not in converted:
            row.fail("note_line", "no figure in data/curation/aid_conversions.csv for this notes line")
    return out
