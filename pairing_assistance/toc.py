"""The book's pages in reading order, read from ``_toc.yml`` (used by the PDF and the classroom kit)."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def toc_docnames(root: Path = ROOT) -> list[str]:
    """The book's pages in reading order: the root page, then every file of ``_toc.yml`` depth-first."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    names = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                names.append(entry["file"])
            walk(entry.get("sections"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return names
