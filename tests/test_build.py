"""The data build (python -m pairing_assistance.build): it rebuilds data/ from the repository alone, fast, and stops
on bad curation input naming table, line and column."""

from __future__ import annotations

import csv
import hashlib
import subprocess
import sys
import time

import pytest

from conftest import ROOT
from pairing_assistance.build import __main__ as run
from pairing_assistance.build.tables import BuildError


def test_rebuild_from_the_repository_equals_the_committed_files_within_a_minute(tmp_path):
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "pairing_assistance.build", "--check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert time.perf_counter() - started < 60
    assert "pairings: " in result.stdout and " s\n" in result.stdout.splitlines()[-1] + "\n"


def test_check_reports_a_committed_file_that_differs(data_copy):
    path = data_copy / "pairings.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("in_force", "unknown", 1), encoding="utf-8")
    assert run.main(["--check"]) == 1


def _edit(path, change):
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    change(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def _set(rows, line, column, value):
    rows[line - 1][rows[0].index(column)] = value


def _refresh_manifest(data_copy, name):
    """An edited raw input with its manifest updated, as import_notes would leave it."""
    digest = hashlib.sha256((data_copy / "curation" / name).read_bytes()).hexdigest()
    _edit(data_copy / "curation" / "inputs.csv",
          lambda rows: [_set(rows, n, "sha256", digest) for n, r in enumerate(rows, start=1) if r[0] == name])


def _first_line(path, **match):
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            if all(row[k] == v for k, v in match.items()):
                return line
    raise AssertionError(f"no row {match} in {path}")


def _build_error(tmp_path):
    with pytest.raises(BuildError) as caught:
        run.build(tmp_path / "out")
    return str(caught.value)


def test_a_correction_naming_an_unknown_code_stops_the_build(data_copy, tmp_path):
    _edit(data_copy / "curation" / "name_corrections.csv", lambda rows: _set(rows, 3, "to_code", "999999"))
    assert "data/curation/name_corrections.csv, line 3, column 'to_code': unknown code '999999'" in _build_error(tmp_path)


def test_a_source_no_row_cites_stops_the_build(data_copy, tmp_path):
    path = data_copy / "curation" / "sources.csv"
    _edit(path, lambda rows: rows.append(["s_orphan", "news_report", "人民日报 某报道（2020-01-01）", "人民日报",
                                          "2020-01-01", "", "", "", "Cited by no row."]))
    lines = sum(1 for _ in path.open(encoding="utf-8"))
    message = _build_error(tmp_path)
    assert f"data/curation/sources.csv, line {lines}, column 'source_id': source 's_orphan' is cited by no row" in message


def test_a_notes_row_citing_an_unknown_source_stops_the_build(data_copy, tmp_path):
    path = data_copy / "curation" / "notes_pairs.csv"
    line = _first_line(path, donor="北京市", recipient="拉萨市")
    _edit(path, lambda rows: _set(rows, line, "source_id", "s_missing"))
    _refresh_manifest(data_copy, "notes_pairs.csv")
    message = _build_error(tmp_path)
    assert f"data/curation/notes_pairs.csv, line {line}, column 'source_id': source 's_missing' is not in" in message


def test_a_rule_citing_an_unknown_source_stops_the_build(data_copy, tmp_path):
    path = data_copy / "curation" / "pair_rules.csv"
    line = _first_line(path, round="qh", donor="山东省")
    _edit(path, lambda rows: _set(rows, line, "sources", "qilu_weekly_2017;s_missing"))
    assert f"data/curation/pair_rules.csv, line {line}, column 'sources': source 's_missing'" in _build_error(tmp_path)


def test_a_duplicate_pair_stops_the_build(data_copy, tmp_path):
    path = data_copy / "curation" / "notes_pairs.csv"
    line = _first_line(path, donor="北京市", recipient="拉萨市")
    _edit(path, lambda rows: rows.insert(line, list(rows[line - 1])))
    _refresh_manifest(data_copy, "notes_pairs.csv")
    message = _build_error(tmp_path)
    assert (f"data/curation/notes_pairs.csv, line {line + 1}, column 'recipient': duplicate pair "
            f"tibet_1994-110000-540100-1994") in message and message.endswith(f"line {line}")


def test_a_rule_matching_no_row_stops_the_build(data_copy, tmp_path):
    path = data_copy / "curation" / "pair_rules.csv"
    _edit(path, lambda rows: _set(rows, 2, "recipient", "火星市"))
    assert "data/curation/pair_rules.csv, line 2, column 'recipient': matches no row of the notes" in _build_error(tmp_path)


def test_a_raw_input_edited_by_hand_stops_the_build(data_copy, tmp_path):
    _edit(data_copy / "curation" / "cpca_adcodes.csv", lambda rows: _set(rows, 2, "name", "改名区"))
    assert "data/curation/inputs.csv, line 4, column 'sha256': cpca_adcodes.csv differs" in _build_error(tmp_path)


def test_an_upgrade_without_a_source_read_stops_the_build(data_copy, tmp_path):
    path = data_copy / "curation" / "rounds.csv"
    line = _first_line(path, round="covid_superseded")
    _edit(path, lambda rows: (_set(rows, line, "confidence", "high"), _set(rows, line, "confidence_reason", "trust")))
    message = _build_error(tmp_path)
    assert f"data/curation/rounds.csv, line {line}, column 'confidence': upgrade from" in message


def test_ids_depend_on_content_not_on_row_order(data_copy, tmp_path):
    """Moving a notes row to the end changes no pairing id."""
    path = data_copy / "curation" / "notes_pairs.csv"
    _edit(path, lambda rows: rows.append(rows.pop(1)))
    _refresh_manifest(data_copy, "notes_pairs.csv")
    run.build(tmp_path / "out")
    with (tmp_path / "out" / "pairings.csv").open(encoding="utf-8") as handle:
        rebuilt = {row["pairing_id"]: row for row in csv.DictReader(handle)}
    with (ROOT / "data" / "pairings.csv").open(encoding="utf-8") as handle:
        committed = {row["pairing_id"]: row for row in csv.DictReader(handle)}
    assert rebuilt == committed


def test_every_old_pairing_id_maps_to_a_current_one():
    with (ROOT / "data" / "curation" / "pairing_id_changes.csv").open(encoding="utf-8") as handle:
        changes = list(csv.DictReader(handle))
    with (ROOT / "data" / "pairings.csv").open(encoding="utf-8") as handle:
        current = {row["pairing_id"] for row in csv.DictReader(handle)}
    assert len(changes) == len(current) and {c["new_id"] for c in changes} == current
    assert len({c["old_id"] for c in changes}) == len(changes)


def test_the_build_reads_nothing_outside_the_repository():
    """No step opens the research notes or an installed package: the inputs are the files of data/curation."""
    source = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "pairing_assistance" / "build").glob("*.py")
                     if p.name != "import_notes.py")
    assert "shared" not in source and "find_spec" not in source and "urllib" not in source


def test_no_build_step_is_longer_than_300_lines():
    lengths = {p.name: len(p.read_text(encoding="utf-8").splitlines())
               for p in (ROOT / "pairing_assistance" / "build").glob("*.py")}
    assert max(lengths.values()) <= 300, lengths


def test_import_notes_names_the_missing_optional_dependency(monkeypatch, tmp_path, capsys):
    from pairing_assistance.build import import_notes

    monkeypatch.setattr(import_notes.importlib.util, "find_spec", lambda name: None)
    assert import_notes.main(["--facts", str(tmp_path)]) == 1
    assert "optional dependency cpca is not installed" in capsys.readouterr().err


@pytest.mark.needs_shared("reference/facts")
def test_import_notes_reproduces_the_committed_raw_inputs(data_copy):
    """From the research notes and cpca, the sanitized inputs and their manifest come out as committed."""
    import importlib.util

    from conftest import shared_path
    from pairing_assistance.build import import_notes

    if importlib.util.find_spec("cpca") is None:
        pytest.skip("needs cpca 0.5.5 (pip install -r requirements-maintainer.txt)")
    assert import_notes.main(["--facts", str(shared_path("reference/facts"))]) == 0
    for name in ("notes_pairs.csv", "notes_aid.csv", "cpca_adcodes.csv", "inputs.csv"):
        assert (data_copy / "curation" / name).read_bytes() == (ROOT / "data" / "curation" / name).read_bytes(), name
