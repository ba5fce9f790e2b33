"""Rebuild the pairing database from the repository: ``python -m pairing_assistance.build [--check]``."""

from __future__ import annotations

import argparse
import csv
import filecmp
import hashlib
import sys
import tempfile
import time
from pathlib import Path

from pairing_assistance.build.aid import COLUMNS as AID_COLUMNS
from pairing_assistance.build.aid import build_aid
from pairing_assistance.build.codes import Codes, Names
from pairing_assistance.build.finish import assign_ids, check, link_successors, names_at_time
from pairing_assistance.build.pairs import Pairs
from pairing_assistance.build.places import PLACE_COLUMNS, REGION_COLUMNS, build_places, build_regions
from pairing_assistance.build.sources import Sources
from pairing_assistance.build.tables import BuildError, curation, data_dir, read_table, write_table
from pairing_assistance.places import Places

PAIR_COLUMNS = ["pairing_id", "programme_id", "donor_code", "donor_name", "donor_level", "recipient_code",
                "recipient_name", "recipient_level", "valid_from", "valid_to", "status", "start_basis",
                "superseded_by", "source_title", "source_url", "source_ids", "confidence", "note"]
INPUT_COLUMNS = ["file", "origin", "licence", "upstream_sha256", "sha256", "rows", "made_by", "cite_as"]
OUTPUTS = ("regions.csv", "places.csv", "pairings.csv", "aid_figures.csv")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_inputs() -> dict[str, str]:
    """Raw inputs are the files listed in inputs.csv, unchanged since import (sha256); returns cite_as."""
    cite = {}
    for row in read_table(curation("inputs.csv"), INPUT_COLUMNS):
        path = curation(row["file"])
        if not path.exists():
            row.fail("file", f"{row['file']} is missing from data/curation/")
        if sha256(path) != row["sha256"]:
            row.fail("sha256", f"{row['file']} differs from the imported file (refresh it with "
                               "python -m pairing_assistance.build.import_notes, not by hand)")
        cite[row["file"]] = row["cite_as"]
    return cite


def programme_order() -> list[str]:
    with (data_dir() / "programmes.csv").open(encoding="utf-8", newline="") as handle:
        return [row["programme_id"] for row in csv.DictReader(handle)]


def build(out: Path, adcodes: Path | None = None) -> dict[str, int]:
    """Run every step and write the four tables into ``out``; returns row counts."""
    cite = check_inputs() if adcodes is None else {"cpca_adcodes.csv": "cpca 0.5.5 adcodes (GB/T 2260)"}
    programmes = programme_order()
    sources = Sources()
    codes = Codes(adcodes) if adcodes else Codes()
    names = Names(codes)
    names.check_ili_counties()
    pairs = Pairs(names, sources, programmes)
    pairings = pairs.build()
    pairings.sort(key=lambda r: programmes.index(r["programme_id"]))  # stable: notes order within one
    assign_ids(pairings)
    aid = build_aid(sources, programmes)
    regions = build_regions(pairings, codes, cite["cpca_adcodes.csv"])
    forms = build_places(regions)
    places = Places(forms)
    names_at_time(pairings, places, names)
    link_successors(pairings)
    sources.check_all_used()
    names.check_all_used()
    check(regions, pairings, aid, sources.hosts, places)
    out.mkdir(parents=True, exist_ok=True)
    write_table(out / "regions.csv", REGION_COLUMNS, regions)
    write_table(out / "places.csv", PLACE_COLUMNS, forms)
    write_table(out / "pairings.csv", PAIR_COLUMNS, pairings)
    write_table(out / "aid_figures.csv", AID_COLUMNS, aid)
    build.codes, build.not_converted = codes, pairs.not_converted  # for import_notes and the report
    return {"regions": len(regions), "places": len(forms), "pairings": len(pairings), "aid_figures": len(aid)}


def differing(folder: Path) -> list[str]:
    return [name for name in OUTPUTS if not filecmp.cmp(folder / name, data_dir() / name, shallow=False)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="rebuild into a temporary folder and compare with data/")
    parser.add_argument("--out", type=Path, help="folder to write (default: the data folder)")
    parser.add_argument("--verbose", action="store_true", help="list the notes rows that are not converted")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        if args.check:
            with tempfile.TemporaryDirectory() as folder:
                counts = build(Path(folder))
                changed = differing(Path(folder))
        else:
            counts = build(args.out or data_dir())
            changed = []
    except BuildError as error:
        print(f"pairing_assistance.build: {error}", file=sys.stderr)
        return 1
    print(", ".join(f"{name}: {n} rows" for name, n in counts.items())
          + f"; {time.perf_counter() - started:.2f} s")
    if args.verbose:
        for line in build.not_converted:
            print(f"not converted: {line}")
    if changed:
        print(f"differs from the committed data/: {', '.join(changed)} (run python -m pairing_assistance.build "
              "and commit the result)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
