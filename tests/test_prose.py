"""The chapters: written in our own words, citing only known studies, following the chapter template."""

import json
import re
import unicodedata

import pytest

from pairing_assistance.wording import official_formulations
from conftest import ROOT, shared_path

REVIEW_FILE = "reference/review.txt"  # in ../shared, never in the repository
BOOK = ROOT / "book"
WINDOW = 15  # characters in a row shared with the review that count as copying
CHAPTERS = ["01_introduction.md", "02_theory.ipynb", "03_evolution.ipynb", "03a_pairing_database.ipynb",
            "04_instruments.ipynb",
            "05_effects.md", "05a_growth.ipynb", "05b_coordination.ipynb", "05c_governance.ipynb",
            "06_problems.ipynb", "07_outlook.md"]
NOTEBOOKS = [c for c in CHAPTERS if c.endswith(".ipynb")]


def page_text(path):
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return path.read_text(encoding="utf-8")


def pages():
    return sorted(p for p in BOOK.rglob("*") if p.suffix in {".md", ".ipynb"} and "_build" not in p.parts)


def normalise(text):
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN")


def without_titles(text):
    """Titles in 《》 and fixed official formulations (written identically by everyone) are not copying."""
    text = re.sub(r"《[^》]*》", "", text)
    for formulation in official_formulations():
        text = text.replace(formulation, "")
    return text


@pytest.mark.needs_shared(REVIEW_FILE)
@pytest.mark.parametrize("page", [p.relative_to(BOOK).as_posix() for p in pages()])
def test_no_run_of_the_review_is_copied(page):
    review = normalise(without_titles(shared_path(REVIEW_FILE).read_text(encoding="utf-8")))
    grams = {review[i:i + WINDOW] for i in range(len(review) - WINDOW + 1)}
    text = normalise(without_titles(page_text(BOOK / page)))
    copied = sorted({text[i:i + WINDOW] for i in range(len(text) - WINDOW + 1)} & grams)
    assert not copied, f"{page} repeats the review verbatim: {copied[:5]}"


def bib_keys():
    return set(re.findall(r"@\w+\{(\w+),", (BOOK / "references.bib").read_text(encoding="utf-8")))


def cited_keys(text):
    keys = set()
    for group in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", text):
        keys |= {k.strip() for k in group.split(",")}
    return keys


def test_bibliography_has_the_review_and_its_53_studies():
    assert len(bib_keys()) == 54


def test_every_citation_resolves_and_every_study_is_cited():
    cited = set()
    for page in pages():
        keys = cited_keys(page_text(page))
        assert keys <= bib_keys(), f"{page.name} cites unknown keys {sorted(keys - bib_keys())}"
        cited |= keys
    assert bib_keys() - cited == set(), "studies never cited in the chapters"


def test_every_glossary_term_used_is_defined():
    glossary = (BOOK / "appendix" / "glossary.md").read_text(encoding="utf-8")
    block = glossary.split("```{glossary}")[1].split("```")[0]
    defined = {line.strip() for line in block.splitlines() if line and not line[0].isspace()}
    assert len(defined) >= 25
    for page in pages():
        used = set(re.findall(r"\{term\}`([^`<]+)`", page_text(page)))
        assert used <= defined, f"{page.name} uses undefined terms {sorted(used - defined)}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_follows_the_template(chapter):
    text = page_text(BOOK / chapter)
    assert len(re.findall(r"^# ", text, flags=re.M)) == 1, "exactly one page title"
    assert "本章导读" in text or "本节导读" in text, f"{chapter} lacks its reading guide"
    for part in ("## 小结", "## 参考文献", "{bibliography}"):
        assert part in text, f"{chapter} lacks {part}"
    assert cited_keys(text), f"{chapter} cites nothing"


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_notebooks_are_committed_executed_with_short_cells(notebook):
    cells = json.loads((BOOK / notebook).read_text(encoding="utf-8"))["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    assert code, f"{notebook} has no code"
    for cell in code:
        assert cell["execution_count"] is not None, f"{notebook} is not committed executed"
        assert len("".join(cell["source"]).splitlines()) <= 12, f"{notebook}: a code cell is longer than 12 lines"
    # the marker is a comment in older notebooks and a cell tag once scripts/normalise_notebooks.py ran
    assert any("NBVAL_CHECK_OUTPUT" in "".join(c["source"]) or "nbval-check-output" in c["metadata"].get("tags", [])
               for c in code), f"{notebook} checks no key number"
    assert any("charts." in "".join(c["source"]) for c in code), f"{notebook} draws no chart"
