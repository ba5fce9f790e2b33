"""Record the key numbers of an edition in data/key_numbers.csv and regenerate CHANGELOG-estimates.md.

    .venv/bin/python scripts/record_key_numbers.py                 # the current edition (CITATION.cff), work tree
    .venv/bin/python scripts/record_key_numbers.py --edition 0.1.0 --date 2026-11-29 --revision d40790c

Run it after the chapter notebooks are executed and committed for a release (bump version and
date-released in CITATION.cff first). Rows of the same edition are replaced; other editions are kept.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pairing_assistance import editions

ROOT = Path(__file__).resolve().parent.parent
KEY_NUMBERS = ROOT / "data" / "key_numbers.csv"
CHANGELOG = ROOT / "CHANGELOG-estimates.md"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edition", help="version (default: CITATION.cff's)")
    parser.add_argument("--date", help="release date YYYY-MM-DD (default: CITATION.cff's)")
    parser.add_argument("--revision", help="read notebooks and data from this git revision instead of the work tree")
    args = parser.parse_args()
    current = editions.current_edition(ROOT)
    edition = editions.Edition(args.edition or current.version, args.date or current.date)
    rows = editions.replace_edition(editions.read_rows(KEY_NUMBERS), editions.record(ROOT, edition, args.revision))
    editions.write_rows(KEY_NUMBERS, rows)
    CHANGELOG.write_text(editions.changelog(rows), encoding="utf-8")
    print(f"{KEY_NUMBERS.relative_to(ROOT)}: edition {edition.version} ({edition.date}) recorded; "
          f"{CHANGELOG.relative_to(ROOT)} regenerated")


if __name__ == "__main__":
    main()
