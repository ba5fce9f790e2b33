"""One metadata truth: every field of data/datapackage.json has a Chinese title and description (and a unit where
the quantity has one); the appendix's data dictionary is rendered from it at build time."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import frictionless
import pytest

from conftest import ROOT
from pairing_assistance import metadata

APPENDIX = ROOT / "book" / "appendix" / "data.md"
# Units a column name promises: a money column in 亿元, a population in 万人, a year in 年.
UNIT_BY_NAME = [(re.compile(r"_100m(_|$)"), "亿元"), (re.compile(r"_10k$"), "万人"),
                (re.compile(r"(^|_)(year|from|to)$|^valid_(from|to)$|^period_(start|end)$|^split_at$"), "年")]


@pytest.fixture(scope="module")
def package():
    return metadata.descriptor(ROOT / "data")


def tabular(package):
    return [r for r in package["resources"] if r.get("schema", {}).get("fields")]


def test_every_field_has_a_chinese_title_and_description(package):
    assert metadata.missing(package) == []
    for resource in tabular(package):  # the dictionary covers every column of the file, in file order
        with (ROOT / "data" / resource["path"]).open(encoding="utf-8") as handle:
            header = handle.readline().strip().split(",")
        assert [f["name"] for f in resource["schema"]["fields"]] == header, resource["name"]


def test_a_field_without_its_description_or_title_is_reported_by_resource_and_field(package, tmp_path):
    """Mutation on a copy of the descriptor: a removed description, an English title, an empty unit."""
    copy = json.loads(json.dumps(package))
    pairings = next(r for r in copy["resources"] if r["name"] == "pairings")
    del next(f for f in pairings["schema"]["fields"] if f["name"] == "valid_to")["description"]
    sources = next(r for r in copy["resources"] if r["name"] == "curation_splits")
    next(f for f in sources["schema"]["fields"] if f["name"] == "reason")["title"] = "Reason"
    fiscal = next(r for r in copy["resources"] if r["name"] == "fiscal_2019")
    next(f for f in fiscal["schema"]["fields"] if f["name"] == "tax_per_capita")["unit"] = " "
    (tmp_path / "datapackage.json").write_text(json.dumps(copy, ensure_ascii=False), encoding="utf-8")
    reread = metadata.descriptor(tmp_path)
    assert metadata.missing(reread) == ["pairings.valid_to: no Chinese description",
                                        "fiscal_2019.tax_per_capita: empty unit",
                                        "curation_splits.reason: no Chinese title"]
    with pytest.raises(metadata.MetadataError, match=r"pairings\.valid_to: no Chinese description"):
        metadata.check(reread)
    with pytest.raises(metadata.MetadataError, match=r"pairings\.valid_to"):
        metadata.dictionary("pairings", reread)


@pytest.mark.parametrize("pattern,unit", UNIT_BY_NAME, ids=["100m", "10k", "year"])
def test_quantities_carry_the_unit_their_name_promises(package, pattern, unit):
    checked = 0
    for resource in tabular(package):
        for field in resource["schema"]["fields"]:
            if pattern.search(field["name"]) and field["type"] in ("integer", "number"):
                assert field.get("unit", "").startswith(unit), f"{resource['name']}.{field['name']}"
                checked += 1
    assert checked, f"no quantity matched {pattern.pattern}"


def test_the_descriptor_with_its_unit_property_is_valid_frictionless():
    """`unit` is a custom property: Frictionless 5.21 keeps it and the package stays valid."""
    report = frictionless.validate(str(ROOT / "data" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type"])[:10]
    package = frictionless.Package(str(ROOT / "data" / "datapackage.json"))
    fields = {f.name: f for f in package.get_resource("fiscal_2019").schema.fields}
    assert fields["tax_per_capita"].to_descriptor()["unit"] == "元"


def test_every_curation_table_is_a_resource(package):
    paths = {r["path"] for r in package["resources"]}
    tables = {f"curation/{p.name}" for p in (ROOT / "data" / "curation").glob("*.csv")}
    assert tables - paths == set()


def test_dictionary_rows_come_from_the_descriptor(package):
    entries = {e.column: e for e in metadata.dictionary("pairings", package)}
    field = next(f for f in next(r for r in package["resources"] if r["name"] == "pairings")["schema"]["fields"]
                 if f["name"] == "status")
    assert entries["status"].description == field["description"]
    assert "取值 in_force、ended、superseded、unknown" in entries["status"].values
    assert entries["pairing_id"].values.startswith("主键")
    assert entries["valid_from"].unit == "年" and entries["donor_code"].values.startswith("指向 regions.csv 的 code")


def test_column_notes_for_a_download_use_the_reader_header_and_the_descriptor_text(package):
    notes = metadata.column_notes({"人均税收（元）": ("fiscal_2019", "tax_per_capita"),
                                   "省份": ("fiscal_2019", "province")}, package)
    unit = next(f for f in next(r for r in package["resources"] if r["name"] == "fiscal_2019")["schema"]["fields"]
                if f["name"] == "tax_per_capita")["unit"]
    assert notes[0].startswith("人均税收（元）：") and notes[0].endswith(f"单位：{unit}。")
    assert "tax_per_capita" not in "".join(notes) and "单位：" not in notes[1]
    with pytest.raises(KeyError, match="no column 'nope'"):
        metadata.column_notes({"某列": ("fiscal_2019", "nope")}, package)


def test_the_appendix_renders_every_table_from_the_descriptor_and_types_no_field_table(package):
    text = APPENDIX.read_text(encoding="utf-8")
    named = set(re.findall(r"^```\{data-dictionary\} (\S+)", text, re.M))
    assert {r["name"] for r in tabular(package)} - named == set(), "a resource without its dictionary in appendix A"
    assert named <= {r["name"] for r in package["resources"]}
    assert not re.search(r"^\| 列 \| 含义", text, re.M), "a hand-typed field table is back in appendix A"


def test_the_directive_builds_the_dictionary_in_a_small_sphinx_project(tmp_path):
    """The extension as Sphinx runs it (MyST page, the directive, HTML out); a bad resource name fails."""
    (tmp_path / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT / 'book' / '_ext')!r})\n"
        "extensions = ['myst_parser', 'data_dictionary']\nlanguage = 'zh_CN'\n", encoding="utf-8")
    (tmp_path / "index.md").write_text("# 数据\n\n```{data-dictionary} fiscal_2019\n:title:\n```\n", encoding="utf-8")
    build = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", str(tmp_path), str(tmp_path / "out")]
    result = subprocess.run(build, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    for entry in metadata.dictionary("fiscal_2019"):
        assert f"<code class=\"docutils literal notranslate\">{entry.column}</code>" in page or entry.column in page
        assert entry.title in page
    assert "fiscal_2019.csv" in page and "人均税收" in page and "<th" in page
    (tmp_path / "index.md").write_text("# 数据\n\n```{data-dictionary} no_such_table\n```\n", encoding="utf-8")
    result = subprocess.run(build, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode != 0 and "no resource 'no_such_table'" in result.stderr


def test_counts_in_the_appendix_prose_are_computed_at_build_time(tmp_path):
    """{data-rows} and {data-count} give the table's own counts; an unknown column stops the build."""
    import csv

    (tmp_path / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT / 'book' / '_ext')!r})\n"
        "extensions = ['myst_parser', 'data_dictionary']\nlanguage = 'zh_CN'\n", encoding="utf-8")
    (tmp_path / "index.md").write_text(
        "# 数据\n\n结对 {data-rows}`pairings` 行，高可信度 {data-count}`pairings:confidence=high` 行。\n",
        encoding="utf-8")
    build = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", str(tmp_path), str(tmp_path / "out")]
    result = subprocess.run(build, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    with (ROOT / "data" / "pairings.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    high = sum(row["confidence"] == "high" for row in rows)
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert f"结对 {len(rows)} 行，高可信度 {high} 行" in page
    (tmp_path / "index.md").write_text("# 数据\n\n{data-count}`pairings:no_such_column=x`\n", encoding="utf-8")
    result = subprocess.run(build, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode != 0 and "no_such_column" in result.stderr


def test_values_sums_extremes_and_two_condition_counts_are_computed_at_build_time(tmp_path):
    """{data-value}, {data-sum}, {data-max}, {data-mean}, {data-distinct} and a count with two conditions read the
    CSV at build time; a condition that picks more than one row for {data-value} stops the build."""
    import csv

    (tmp_path / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT / 'book' / '_ext')!r})\n"
        "extensions = ['myst_parser', 'data_dictionary']\nlanguage = 'zh_CN'\n", encoding="utf-8")
    (tmp_path / "index.md").write_text(
        "# 数据\n\n上海 {data-value}`fiscal_2019:tax_per_capita:province=上海市#,.1f` 元；"
        "合计 {data-sum}`fiscal_2019:tax_revenue_100m#,.2f` 亿元；最高 {data-max}`fiscal_2019:tax_per_capita#,.1f` 元；"
        "东部 {data-mean}`fiscal_2019:tax_per_capita@population_10k:region_group=east#,.0f` 元；"
        "{data-distinct}`panel_provinces:year` 年；东部省级 {data-count}`regions:level=province&region_group=east` 个；"
        "非东部省级 {data-count}`regions:level=province&region_group!=east` 个。\n", encoding="utf-8")
    build = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", str(tmp_path), str(tmp_path / "out")]
    result = subprocess.run(build, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    with (ROOT / "data" / "fiscal_2019.csv").open(encoding="utf-8", newline="") as handle:
        fiscal = list(csv.DictReader(handle))
    with (ROOT / "data" / "regions.csv").open(encoding="utf-8", newline="") as handle:
        regions = list(csv.DictReader(handle))
    with (ROOT / "data" / "panel" / "provinces.csv").open(encoding="utf-8", newline="") as handle:
        years = {row["year"] for row in csv.DictReader(handle)}
    shanghai = next(float(r["tax_per_capita"]) for r in fiscal if r["province"] == "上海市")
    total = sum(float(r["tax_revenue_100m"]) for r in fiscal)
    highest = max(float(r["tax_per_capita"]) for r in fiscal)
    east = [r for r in fiscal if r["region_group"] == "east"]
    east_mean = (sum(float(r["tax_per_capita"]) * float(r["population_10k"]) for r in east)
                 / sum(float(r["population_10k"]) for r in east))
    provinces = [r for r in regions if r["level"] == "province"]
    in_east = sum(r["region_group"] == "east" for r in provinces)
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert (f"上海 {shanghai:,.1f} 元；合计 {total:,.2f} 亿元；最高 {highest:,.1f} 元；东部 {east_mean:,.0f} 元；"
            f"{len(years)} 年；东部省级 {in_east} 个；非东部省级 {len(provinces) - in_east} 个。") in page
    assert 0 < in_east < len(provinces)
    (tmp_path / "index.md").write_text("# 数据\n\n{data-value}`fiscal_2019:province:region_group=east`\n",
                                       encoding="utf-8")
    result = subprocess.run(build, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode != 0 and f"picks {len(east)} rows" in result.stderr


def test_numbers_read_out_of_notes_changes_and_range_conditions_at_build_time(tmp_path):
    """``column~regex`` reads a number a build script wrote into a note, ``#Δ`` shows a ratio as a change,
    {data-median} and {data-change} aggregate, ``^=``, ``*=`` and ``<=`` filter; a regex that does not match
    stops the build naming resource and column."""
    import csv
    import re
    import statistics

    (tmp_path / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT / 'book' / '_ext')!r})\n"
        "extensions = ['myst_parser', 'data_dictionary']\nlanguage = 'zh_CN'\n", encoding="utf-8")
    (tmp_path / "index.md").write_text(
        "# 数据\n\n| 甲 | 乙 |\n|---|---|\n"
        "| {data-value}`panel_provinces:note~ x ([0-9.]+) :code=230000&year=1978#.4f` "
        "| {data-median}`panel_provinces:note~ x ([0-9.]+) :year=1978#.4f` |\n\n"
        "上海 {data-value}`panel_provinces:note~= ([0-9.]+)$:code=310000&year=1999#Δ+.1%`；"
        "人口 {data-change}`panel_provinces:population_10k:year=2000/year=1999#.2%`；"
        "{data-count}`timeline:source^=王建英等（2023）表1` 行；{data-count}`pairings:note*=Downgraded from` 行；"
        "{data-count}`panel_provinces:year<=1980&code=110000` 行。\n", encoding="utf-8")
    build = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", str(tmp_path), str(tmp_path / "out")]
    result = subprocess.run(build, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr

    def rows(path):
        with (ROOT / "data" / path).open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    panel, timeline, pairings = rows("panel/provinces.csv"), rows("timeline.csv"), rows("pairings.csv")
    ratios = {r["code"]: float(re.search(r" x ([0-9.]+) ", r["note"]).group(1)) for r in panel if r["year"] == "1978"}
    gap = float(next(r["note"] for r in panel if r["code"] == "310000" and r["year"] == "1999").rsplit("= ", 1)[1]) - 1
    people = {y: sum(float(r["population_10k"]) for r in panel if r["year"] == y) for y in ("1999", "2000")}
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert f"{ratios['230000']:.4f}" in page and f"{statistics.median(ratios.values()):.4f}" in page
    assert abs(ratios["230000"] - 1) > 0.05, "the Heilongjiang ratio should differ from 1 (else the check is empty)"
    table1 = sum(r["source"].startswith("王建英等（2023）表1") for r in timeline)
    lowered = sum("Downgraded from" in r["note"] for r in pairings)
    early = sum(r["code"] == "110000" and int(r["year"]) <= 1980 for r in panel)
    assert (f"上海 {gap:+.1%}；人口 {people['2000'] / people['1999'] - 1:.2%}；{table1} 行；{lowered} 行；"
            f"{early} 行。") in page
    assert 0 < table1 < len(timeline) and 0 < lowered < len(pairings) and early == 3
    (tmp_path / "index.md").write_text("# 数据\n\n{data-value}`panel_provinces:note~NO MATCH ([0-9]+):code=110000&year=1978`\n",
                                       encoding="utf-8")
    result = subprocess.run(build, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode != 0 and "resource 'panel_provinces' column 'note': no match" in result.stderr
