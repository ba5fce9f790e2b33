"""The data tables: content checks, cross-table rules, and mutation tests of the validating loader."""

import csv
import re

import pytest

from pairing_assistance import data
from conftest import ROOT


def test_every_described_table_loads():
    assert {"timeline", "studies", "findings", "problems", "regions", "programmes", "pairings", "aid_figures",
            "places", "source_hosts", "sources", "fiscal_2019", "panel_provinces",
            "panel_vintage_agreement"} <= set(data.table_names())
    for name in data.table_names():
        assert len(data.load_table(name)) > 0


def test_timeline_reproduces_table1_of_the_review():
    timeline = data.load_table("timeline")
    table1 = timeline[timeline["in_review_table1"]]
    # The review's Table 1 has 20 rows, 1955–2023; the other rows are milestones named in its text.
    assert len(table1) == 20
    assert (table1["year"].min(), table1["year"].max()) == (1955, 2023)
    assert table1.groupby("stage").size().to_dict() == {"emergence": 2, "exploration": 9, "improvement": 5, "upgrading": 4}
    assert timeline["source"].str.len().gt(0).all()
    assert "国办发〔1996〕26号" in set(timeline["document_number"])


def test_studies_cover_the_53_references_and_match_the_bibliography():
    studies = data.load_table("studies")
    assert sorted(studies["ref"]) == list(range(1, 54))
    bib = (ROOT / "book" / "references.bib").read_text(encoding="utf-8")
    entries = dict(re.findall(r"@\w+\{(\w+),.*?year = \{(\d{4})[ab]?\}", bib, flags=re.S))
    for row in studies.itertuples():
        assert entries.get(row.bib_key) == str(row.year), row.bib_key
    assert "wangjianying2023review" in entries


def test_findings_cover_every_effect_page_and_direction_used():
    findings = data.load_table("findings")
    assert set(findings["page"]) == {"05a_growth", "05b_coordination", "05c_governance"}
    assert {"positive", "negative"} <= set(findings["direction"])
    # The review reports Bulte et al. (ref 8) as finding a negative effect on manufacturing.
    bulte = findings[findings["ref"] == 8]
    assert (bulte["direction"] == "negative").all() and len(bulte) >= 1


def test_problems_cover_three_dimensions_and_resolve_their_references():
    problems = data.load_table("problems")
    assert set(problems["dimension"]) == {"government_role", "incentives", "efficiency"}
    refs = {int(r) for cell in problems["refs"] for r in str(cell).split(";") if r}
    assert refs <= set(range(1, 54)) and {34, 45, 49, 53} <= refs


def _rewrite(path, edit):
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    edit(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def _set(rows, line, column, value):
    rows[line - 1][rows[0].index(column)] = value


MUTATIONS = {
    "bad year": ("timeline.csv", lambda r: _set(r, 4, "year", "19x9"), r"timeline\.csv, line 4, column 'year'"),
    "year out of range": ("timeline.csv", lambda r: _set(r, 3, "year", "1850"), r"timeline\.csv, line 3, column 'year'.*minimum"),
    "unknown stage": ("timeline.csv", lambda r: _set(r, 5, "stage", "golden_age"), r"timeline\.csv, line 5, column 'stage'.*enum"),
    "year outside its stage": ("timeline.csv", lambda r: _set(r, 2, "year", "1990"), r"timeline\.csv, line 2, column 'year'.*outside stage 'emergence'"),
    "duplicate key": ("timeline.csv", lambda r: _set(r, 6, "event_id", "T01"), r"timeline\.csv, line 6: primarykey"),
    "missing column": ("timeline.csv", lambda r: [row.pop(r[0].index("content_zh")) for row in r[::-1]], r"timeline\.csv.*content_zh"),
    "unknown reference": ("findings.csv", lambda r: _set(r, 3, "ref", "52x"), r"findings\.csv, line 3, column 'ref'"),
    "reference to no study": ("findings.csv", lambda r: _set(r, 2, "ref", "54"), r"findings\.csv, line 2, column 'ref'.*maximum"),
    "bad enum in findings": ("findings.csv", lambda r: _set(r, 4, "direction", "up"), r"findings\.csv, line 4, column 'direction'"),
    "dangling problem ref": ("problems.csv", lambda r: _set(r, 2, "refs", "34;99"), r"problems\.csv, line 2, column 'refs': reference 99"),
    "empty required cell": ("studies.csv", lambda r: _set(r, 7, "authors_zh", ""), r"studies\.csv, line 7, column 'authors_zh'"),
}


@pytest.mark.parametrize("case", sorted(MUTATIONS))
def test_corrupted_copy_fails_naming_file_line_and_column(data_copy, case):
    filename, edit, expected = MUTATIONS[case]
    _rewrite(data_copy / filename, edit)
    with pytest.raises(data.DataValidationError, match=expected):
        data.load_table("timeline")


def test_missing_file_is_reported(data_copy):
    (data_copy / "problems.csv").unlink()
    with pytest.raises(data.DataValidationError, match="problems.csv"):
        data.load_table("studies")


def _forbid_frictionless(monkeypatch):
    import frictionless

    def refuse(*args, **kwargs):
        raise AssertionError("Frictionless validated again")
    monkeypatch.setattr(frictionless, "Package", refuse)


def test_a_validated_package_is_not_validated_again_but_a_changed_one_is(data_copy, monkeypatch):
    data.load_table("studies")  # validates and leaves a stamp named by the digest of every byte
    stamps = list((data_copy.parent / "cache").rglob("*"))
    assert [p.name for p in stamps if p.is_file()] and all(len(p.name) == 64 for p in stamps if p.is_file())
    data._load_package.cache_clear()
    _forbid_frictionless(monkeypatch)
    assert len(data.load_table("studies")) > 0  # same bytes: the stamp stands in for Frictionless
    data._load_package.cache_clear()
    path = data_copy / "regions.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("province", "provinz", 1), encoding="utf-8")
    with pytest.raises(AssertionError, match="Frictionless validated again"):
        data.load_table("studies")  # one changed word: a new digest, so validation runs again


def test_a_schema_error_is_caught_although_the_valid_package_was_stamped(data_copy):
    data.load_table("studies")
    data._load_package.cache_clear()
    path = data_copy / "studies.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = "not-a-number" + lines[1][lines[1].index(","):]
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(data.DataValidationError, match="studies.csv, line 2"):
        data.load_table("studies")


def test_an_unwritable_cache_only_costs_time(data_copy, monkeypatch):
    blocker = data_copy.parent / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("PAIRING_CACHE_DIR", str(blocker))
    assert len(data.load_table("studies")) > 0


def test_unknown_table_name():
    with pytest.raises(KeyError, match="no table 'counties'"):
        data.load_table("counties")
