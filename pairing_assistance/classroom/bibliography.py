"""Citations as plain text for the classroom kit, where no Sphinx resolves ``{cite}``.

In-text forms follow the website (``book/_ext/bibliography_style.py``): 王磊（2021a） and
（王磊，2021a；谷成 等，2017）; one or two names are written out, three or more become "甲 等".
Reference lists give the review's reference number, names, title, journal and the reader's note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pybtex.database import parse_file

REVIEW_NUMBER = re.compile(r"综述参考文献\[(\d+)\]")
MAINTAINER_TAG = re.compile(r"\s*[（(]\s*unverified\s*[)）]", re.IGNORECASE)
BRACES = re.compile(r"[{}]")


@dataclass(frozen=True)
class Reference:
    key: str
    names: tuple[str, ...]
    surnames: tuple[str, ...]
    year: str
    title: str
    venue: str
    note: str

    @property
    def number(self) -> int:
        found = REVIEW_NUMBER.search(self.note)
        return int(found.group(1)) if found else 0

    @property
    def author(self) -> str:
        if len(self.surnames) > 2:
            return f"{self.surnames[0]} 等"
        return "、".join(self.surnames)

    def entry(self) -> str:
        """One line of a reference list: ``[n] 名字. 题名. 刊名, 年(期): 页. 注。``"""
        label = str(self.number) if self.number else "综述"
        parts = [", ".join(self.names[:3]) + (", 等" if len(self.names) > 3 else "")]
        parts += [p for p in (self.title, self.venue or self.year) if p]
        note = MAINTAINER_TAG.sub("", self.note).strip().rstrip("。.")
        text = ". ".join(parts) + "."
        return f"[{label}] {text} {note}。" if note else f"[{label}] {text}"


def _text(fields, name: str) -> str:
    return BRACES.sub("", fields.get(name, "")).replace("--", "-").strip()


def load_references(bib_path: Path) -> dict[str, Reference]:
    """Every entry of a BibTeX file, keyed by citation key."""
    database = parse_file(str(bib_path), bib_format="bibtex")
    references = {}
    for key, entry in database.entries.items():
        persons = [p for p in entry.persons.get("author", []) if str(p) != "others"]
        names = tuple(BRACES.sub("", str(p)) for p in persons)
        surnames = tuple(BRACES.sub("", " ".join(p.last_names)) for p in persons)
        fields = entry.fields
        issue = _text(fields, "year") + (f"({_text(fields, 'number')})" if fields.get("number") else "")
        issue += f": {_text(fields, 'pages')}" if fields.get("pages") else ""
        venue = f"{_text(fields, 'journal')}, {issue}" if fields.get("journal") else _text(fields, "howpublished")
        references[key] = Reference(key, names, surnames, _text(fields, "year"), _text(fields, "title"), venue,
                                    _text(fields, "note"))
    return references


def cite(keys: list[str], references: dict[str, Reference], parenthetical: bool) -> str:
    """``{cite:p}`` and ``{cite:t}`` as the website renders them; an unknown key is an error."""
    missing = [k for k in keys if k not in references]
    if missing:
        raise KeyError(f"citation key(s) not in references.bib: {', '.join(missing)}")
    found = [references[k] for k in keys]
    if parenthetical:
        return "（" + "；".join(f"{r.author}，{r.year}" for r in found) + "）"
    return "、".join(f"{r.author}（{r.year}）" for r in found)


def reference_list(keys: list[str], references: dict[str, Reference]) -> str:
    """A Markdown list of the given works, ordered by the review's reference numbers."""
    chosen = sorted({references[k] for k in keys if k in references}, key=lambda r: (r.number, r.key))
    return "\n".join(f"- {r.entry()}" for r in chosen)
