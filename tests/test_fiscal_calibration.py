"""scripts/build_fiscal_calibration.py: province names through the one place crosswalk (and the aliases table),
and a rebuild from the raw NBS files equal to the committed data/fiscal_2019.csv."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from conftest import ROOT, shared_path

spec = importlib.util.spec_from_file_location("build_fiscal_calibration", ROOT / "scripts" / "build_fiscal_calibration.py")
fiscal = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fiscal)


@pytest.fixture(scope="module")
def names():
    provinces = fiscal.mainland_provinces(ROOT / "data" / "regions.csv")
    return provinces, fiscal.province_names(ROOT / "data" / "places.csv", fiscal.ALIASES, provinces)


def test_full_short_english_and_aliased_names_resolve_through_the_crosswalk(names):
    provinces, full_name = names
    assert {full_name(n) for n in provinces} == set(provinces)
    assert full_name("内蒙古") == full_name("Inner Mongolia") == "内蒙古自治区"
    assert full_name("广西") == "广西壮族自治区" and full_name("Xizang") == full_name("Tibet") == "西藏自治区"
    with pytest.raises(KeyError):
        full_name("台湾省")  # a province of the crosswalk, but not one of the 31 of the NBS tables


def test_an_unknown_or_missing_province_stops_naming_the_file(names):
    provinces, full_name = names
    rows = [(name, "1") for name in provinces]
    with pytest.raises(fiscal.BuildError, match=r"raw\.csv: tax: province 'Atlantis' is neither in data/places\.csv"):
        fiscal.collect(rows + [("Atlantis", "1")], full_name, provinces, Path("raw.csv"), "tax")
    with pytest.raises(fiscal.BuildError, match=r"raw\.csv: tax: province\(s\) missing: 上海市"):
        fiscal.collect([r for r in rows if r[0] != "上海市"], full_name, provinces, Path("raw.csv"), "tax")


def test_an_alias_without_a_province_code_stops(tmp_path, names):
    provinces, _ = names
    bad = tmp_path / "place_aliases.csv"
    bad.write_text("alias,code,used_in,reason\nTibet,999999,x.csv,why\n", encoding="utf-8")
    with pytest.raises(fiscal.BuildError, match=r"place_aliases\.csv, line 2: alias 'Tibet' needs the code"):
        fiscal.province_names(ROOT / "data" / "places.csv", bad, provinces)


@pytest.mark.needs_shared("data-raw/nbs-population")
def test_rebuild_from_the_raw_files_equals_the_committed_table(tmp_path):
    out = tmp_path / "fiscal_2019.csv"
    assert fiscal.main(["--raw", str(shared_path("data-raw")), "--out", str(out)]) == 0
    assert out.read_bytes() == (ROOT / "data" / "fiscal_2019.csv").read_bytes()
