"""Maintainers: refresh the sanitized raw inputs from the research notes and cpca's code list.

    python -m pairing_assistance.build.import_notes --facts ../shared/reference/facts [--adcodes FILE]

The research notes are not part of the repository and hold repost/mirror URLs, which must never enter
it. This command copies into ``data/curation/`` only what the build reads: the pair rows and aid rows
with their source as a row id of ``sources.csv`` (found through ``facts_key``, the first 16 hex digits of
the sha256 of the URL or title the notes recorded), their note only if it names no unvetted host, and the
notes' own wording brought to the official forms listed in ``data/style/notes_wording.csv`` (kept beside
the term list, which the wording check does not read as prose; each row must apply);
and the rows of cpca 0.5.5's ``adcodes.csv`` that the build reads. It records origin and sha256 of
each in ``inputs.csv``, which the build checks. Then run ``python -m pairing_assistance.build``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import importlib.util
import sys
import tempfile
from pathlib import Path

from pairing_assistance.build import __main__ as run
from pairing_assistance.build.codes import Codes
from pairing_assistance.build.pairs import NOTE_COLUMNS
from pairing_assistance.build.sources import Sources, unvetted_host
from pairing_assistance.build.tables import BuildError, check_unique, curation, data_dir, read_table, write_table

PAIR_FILES = ["tibet_1994.csv", "xinjiang_2010.csv", "wenchuan_2008.csv", "covid_hubei_2020.csv",
              "east_west_cooperation.csv", "three_gorges_1992.csv", "qinghai_yushu_2010.csv",
              "northeast_east_2017.csv", "wanbei_2021.csv", "revolutionary_base_2022.csv",
              "moe_universities_2001.csv"]
CPCA_CITE = "cpca 0.5.5 adcodes (GB/T 2260)"


def facts_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def installed_adcodes() -> Path:
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.origin:
        raise BuildError("optional dependency cpca is not installed (pip install -r requirements-maintainer.txt), "
                         "or pass --adcodes FILE")
    return Path(spec.origin).parent / "resources" / "adcodes.csv"


WORDING_COLUMNS = ["column", "avoided", "preferred", "reason"]


def reworded(pairs: list[dict]) -> list[dict]:
    """The notes' own labels and notes in official wording (data/style/notes_wording.csv: a phrase per row, and why)."""
    rows = read_table(data_dir() / "style" / "notes_wording.csv", WORDING_COLUMNS)
    check_unique(rows, ("column", "avoided"), "reworded phrase")
    for row in rows:
        if row["column"] not in NOTE_COLUMNS:
            row.fail("column", f"{row['column']!r} is not a column of notes_pairs.csv")
        if not row["reason"] or not row["preferred"]:
            row.fail("reason" if not row["reason"] else "preferred", "every rewording says what and why")
        if not any(row["avoided"] in str(pair[row["column"]]) for pair in pairs):
            row.fail("avoided", "matches no text of the notes (remove the row, or the notes changed)")
    for pair in pairs:
        for row in rows:
            pair[row["column"]] = str(pair[row["column"]]).replace(row["avoided"], row["preferred"])
    return pairs


def sanitize(facts: Path, sources: Sources) -> tuple[list[dict], list[dict]]:
    by_key = {s["facts_key"]: s["source_id"] for s in sources.rows if s["facts_key"]}

    def source_id(key: str) -> str:
        return key if key in sources.by_id else by_key.get(facts_key(key), "")

    pairs = []
    for name in PAIR_FILES:
        for line, fact in enumerate(read(facts / name), start=2):
            pairs.append({**{c: fact.get(c, "") for c in NOTE_COLUMNS}, "note_file": name, "note_line": line,
                          "programme_label": fact["programme"],
                          "source_id": source_id(fact["source_url_or_repo_path"] or fact["source_title"]),
                          "note": "" if unvetted_host(fact["note"], sources.hosts) else fact["note"]})
    pairs = reworded(pairs)
    aid = [{"note_line": line, "figure": fact["figure"], "source_id": source_id(fact["source_url"] or "the_review"),
            "confidence": fact["confidence"]} for line, fact in enumerate(read(facts / "aid_figures.csv"), start=2)]
    return pairs, aid


def used_adcodes(full: Path) -> list[dict]:
    """Rows of the full code list that a build reading it touches (names looked up keep all namesakes)."""
    with tempfile.TemporaryDirectory() as folder:
        run.build(Path(folder), adcodes=full)
    touched = run.build.codes.touched
    return [row for row in read(full) if row["adcode"][:6] in touched and not row["adcode"][6:].strip("0")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--facts", type=Path, required=True, help="folder of the research notes")
    parser.add_argument("--adcodes", type=Path, help="cpca 0.5.5 adcodes.csv (default: the installed cpca)")
    args = parser.parse_args(argv)
    try:
        adcodes = args.adcodes or installed_adcodes()
        if not args.facts.is_dir() or not adcodes.exists():
            raise BuildError(f"{args.facts if not args.facts.is_dir() else adcodes}: not found")
        pairs, aid = sanitize(args.facts, Sources())
        write_table(curation("notes_pairs.csv"), NOTE_COLUMNS, pairs)
        write_table(curation("notes_aid.csv"), ["note_line", "figure", "source_id", "confidence"], aid)
        Codes(adcodes)  # fails early on a malformed file
        write_table(curation("cpca_adcodes.csv"), ["adcode", "name", "longitude", "latitude"], used_adcodes(adcodes))
    except BuildError as error:
        print(f"import_notes: {error}", file=sys.stderr)
        return 1
    notes = sorted(args.facts.glob("*.csv"))
    upstream_notes = hashlib.sha256(b"".join(digest(p).encode() for p in notes if p.name in PAIR_FILES)).hexdigest()
    rows = [
        {"file": "notes_pairs.csv", "origin": "research notes, pair files (" + ", ".join(PAIR_FILES) + ")",
         "licence": "project's own notes", "upstream_sha256": upstream_notes, "made_by": "import_notes",
         "cite_as": "research notes (sanitized)"},
        {"file": "notes_aid.csv", "origin": "research notes, aid_figures.csv", "licence": "project's own notes",
         "upstream_sha256": digest(args.facts / "aid_figures.csv"), "made_by": "import_notes",
         "cite_as": "research notes (sanitized)"},
        {"file": "cpca_adcodes.csv", "origin": "PyPI cpca==0.5.5, cpca/resources/adcodes.csv (rows the build reads)",
         "licence": "MIT", "upstream_sha256": digest(adcodes), "made_by": "import_notes", "cite_as": CPCA_CITE},
    ]
    for row in rows:
        path = curation(row["file"])
        row["sha256"] = digest(path)
        row["rows"] = sum(1 for _ in path.open(encoding="utf-8")) - 1
    write_table(curation("inputs.csv"), run.INPUT_COLUMNS, rows)
    print("wrote " + ", ".join(f"{r['file']} ({r['rows']} rows)" for r in rows) + " and inputs.csv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
