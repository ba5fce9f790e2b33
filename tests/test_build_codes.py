"""Units newer than the code list (data/curation/code_additions.csv) and the notes' own wording
(data/style/notes_wording.csv): the pairs map to today's code with the name of their time, and bad rows stop."""

from __future__ import annotations

import csv

import pytest

from conftest import ROOT
from pairing_assistance.build import __main__ as run
from pairing_assistance.build.tables import BuildError


def _rows(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_nagqu_pairs_use_todays_code_and_the_name_of_their_time():
    pairs = [r for r in _rows(ROOT / "data" / "pairings.csv") if r["recipient_code"] in ("540600", "542400")]
    assert {r["recipient_code"] for r in pairs} == {"540600"} and len(pairs) >= 2
    assert all(r["recipient_name"] == "那曲地区" and int(r["valid_from"]) < 2017 for r in pairs)
    forms = {(r["name_zh"], r["valid_from"], r["valid_to"]) for r in _rows(ROOT / "data" / "places.csv")
             if r["code"] == "540600"}
    assert forms == {("那曲地区", "", "2017"), ("那曲市", "2017", "")}
    region = next(r for r in _rows(ROOT / "data" / "regions.csv") if r["code"] == "540600")
    assert "国函〔2017〕109号" in region["source"]
    assert "542400" not in {r["code"] for r in _rows(ROOT / "data" / "regions.csv")}


def test_an_added_code_already_in_the_code_list_stops_the_build(data_copy, tmp_path):
    path = data_copy / "curation" / "code_additions.csv"
    rows = _rows(path)
    rows[0]["code"] = "540100"  # 拉萨市, in the code list
    _write(path, rows)
    with pytest.raises(BuildError, match=r"data/curation/code_additions\.csv, line 2, column 'code': 540100 is "
                                         r"already in the code list as 拉萨市"):
        run.build(tmp_path / "out")


def test_an_added_code_whose_year_differs_from_the_recorded_change_stops_the_build(data_copy, tmp_path):
    path = data_copy / "curation" / "code_additions.csv"
    rows = _rows(path)
    rows[0]["valid_from"] = "2016"
    _write(path, rows)
    with pytest.raises(BuildError, match=r"code_additions\.csv, line 2, column 'valid_from': differs from the change"):
        run.build(tmp_path / "out")


def test_a_correction_to_a_replaced_code_stops_the_build(data_copy, tmp_path):
    path = data_copy / "curation" / "name_corrections.csv"
    rows = _rows(path)
    rows.append({**rows[0], "from_name": "那曲", "kind": "lookup", "to_name": "那曲地区", "to_code": "542400"})
    _write(path, rows)
    with pytest.raises(BuildError, match=rf"name_corrections\.csv, line {len(rows) + 1}, column 'to_code': 542400 "
                                         r"was replaced by 540600"):
        run.build(tmp_path / "out")


def test_a_rewording_that_matches_no_note_stops_the_import(data_copy):
    from pairing_assistance.build import import_notes

    path = data_copy / "style" / "notes_wording.csv"
    rows = _rows(path)
    rows[0]["avoided"] = "从未出现的说法"
    _write(path, rows)
    with pytest.raises(BuildError, match=r"notes_wording\.csv, line 2, column 'avoided': matches no text"):
        import_notes.reworded([{"programme_label": "2010 对口支援", "note": ""}])
    rows = _rows(ROOT / "data" / "curation" / "notes_pairs.csv")
    assert not any("Tibet" in r["note"] or "青海藏区" in r["programme_label"] for r in rows)
