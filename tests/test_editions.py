"""Editions: the stored key numbers match the notebooks and data of the current edition, the changelog is
generated from them, and the citation formats carry CITATION.cff's version and date."""

import sys

import pytest

from conftest import ROOT
from pairing_assistance import editions

sys.path.insert(0, str(ROOT / "book" / "_ext"))
import edition_stamp  # noqa: E402

KEY_NUMBERS = ROOT / "data" / "key_numbers.csv"


@pytest.mark.parametrize("text, number", [("−0.160", -0.16), ("12.5%", 12.5), ("1,234", 1234.0),
                                          ("np.float64(0.25)", 0.25), ("'7'", 7.0), ("约三成", None), ("", None)])
def test_glued_texts_read_as_numbers(text, number):
    assert editions.as_number(text) == number


def test_changes_between_editions_say_what_and_by_how_much():
    def row(edition, name, value, kind=editions.ESTIMATE):
        return {"edition": edition, "date": f"2026-0{edition[2]}-01", "kind": kind, "page": "book/x.ipynb",
                "name": name, "value": value}
    rows = [row("0.1.0", "a", "1.50"), row("0.1.0", "b", "3"), row("0.1.0", "gone", "1"),
            row("0.2.0", "a", "1.25"), row("0.2.0", "b", "3"), row("0.2.0", "new", "9")]
    found = {c.name: c for c in editions.changes(rows, "0.1.0", "0.2.0")}
    assert set(found) == {"a", "gone", "new"}
    assert found["a"].difference == pytest.approx(-0.25)
    assert found["gone"].after is None and found["new"].before is None
    log = editions.changelog(rows)
    assert log.index("第 0.2.0 版") < log.index("第 0.1.0 版")
    assert "| book/x.ipynb | a | 1.50 | 1.25 | -0.25 |" in log
    assert "| book/x.ipynb | new | — | 9 | 新增 |" in log and "| book/x.ipynb | gone | 1 | — | 删除 |" in log
    pages = [(p["edition"], p["numbers"], p["changed"], p["added"], p["removed"])
             for p in editions.summary(rows) if p["page"] == "book/x.ipynb"]
    assert pages == [("0.2.0", 3, 1, 1, 1), ("0.1.0", 3, 0, 0, 0)]

def test_the_current_edition_is_recorded_as_the_notebooks_and_data_now_are():
    edition = editions.current_edition(ROOT)
    stored = [r for r in editions.read_rows(KEY_NUMBERS) if r["edition"] == edition.version]
    assert stored, f"data/key_numbers.csv has no rows for edition {edition.version}: run scripts/record_key_numbers.py"
    assert {r["date"] for r in stored} == {edition.date}
    now = editions.record(ROOT, edition)
    key = lambda r: (r["kind"], r["page"], r["name"])  # noqa: E731
    differ = sorted(set(map(tuple, (sorted(r.items()) for r in now))) ^ set(map(tuple, (sorted(r.items()) for r in stored))))
    assert not differ, (f"the notebooks or data changed since edition {edition.version} was recorded "
                        f"(first: {sorted({key(dict(d)) for d in differ})[:5]}); "
                        "run .venv/bin/python scripts/record_key_numbers.py")


def test_changelog_file_is_generated_from_the_stored_numbers():
    rows = editions.read_rows(KEY_NUMBERS)
    assert len(editions.editions(rows)) >= 2
    assert (ROOT / "CHANGELOG-estimates.md").read_text(encoding="utf-8") == editions.changelog(rows)


def test_citation_formats_carry_the_edition():
    facts = {"title": "对口支援：理论、实践与升级", "author": "对口支援互动读本编写组", "version": "0.2.0",
             "date": "2026-12-03", "url": "https://github.com/pairing-assistance-book/pairing-assistance-book"}
    assert edition_stamp.gbt7714(facts) == ("对口支援互动读本编写组. 对口支援：理论、实践与升级[EB/OL]. 0.2.0 版. "
                                           "(2026-12-03)[引用日期]. https://github.com/pairing-assistance-book/pairing-assistance-book.")
    assert "[DS/OL]" in edition_stamp.gbt7714(facts, "DS")
    entry = edition_stamp.bibtex(facts)
    assert entry.startswith("@misc{duikouzhiyuan2026v020,") and "{{对口支援互动读本编写组}}" in entry
    assert "版本 0.2.0，2026-12-03 发布" in entry and "\\url{https://github.com/pairing-assistance-book/pairing-assistance-book}" in entry
