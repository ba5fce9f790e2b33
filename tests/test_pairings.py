"""The pairing database: coverage, integrity rules, honest confidence, and the questions it answers."""

import json
import subprocess
import sys

import pytest

from pairing_assistance import data
from pairing_assistance.pairings import active_in, partners_of, programme_summary, province_of
from conftest import ROOT
from test_data import _rewrite, _set

PROGRAMMES = {"tibet_1994", "xinjiang_2010", "wenchuan_2008_may", "wenchuan_2008_june", "covid_hubei_2020",
              "east_west_1996", "three_gorges_1992", "qinghai_2010", "northeast_east_2017", "wanbei_2021",
              "revolutionary_base_2022", "moe_universities_2001"}


@pytest.fixture(scope="module")
def tables():
    return {name: data.load_table(name) for name in ("regions", "programmes", "pairings", "aid_figures", "timeline")}


def test_every_programme_has_pairs(tables):
    assert set(tables["programmes"]["programme_id"]) == PROGRAMMES
    summary = programme_summary(tables["pairings"], tables["programmes"])
    assert (summary["pairs"] > 0).all(), summary[summary["pairs"] == 0]


def test_all_34_province_level_units_and_the_four_regions(tables):
    regions = tables["regions"]
    provinces = regions[regions["level"] == "province"]
    assert len(provinces) == 34
    groups = provinces.groupby("region_group").size().to_dict()
    assert groups == {"east": 10, "central": 6, "west": 12, "northeast": 3, "other": 3}


def test_every_code_resolves_to_a_province(tables):
    regions, pairings = tables["regions"], tables["pairings"]
    for side in ("donor", "recipient"):
        coded = pairings[pairings[f"{side}_code"] != ""]
        provinces = province_of(coded[f"{side}_code"], regions)
        assert provinces.notna().all()
        assert set(provinces) <= set(regions.loc[regions["level"] == "province", "code"])


def test_known_conflicts_are_kept_as_dated_rows(tables):
    pairings = tables["pairings"]
    fujian = pairings[(pairings["programme_id"] == "tibet_1994") & (pairings["donor_name"].str.contains("福建"))]
    assert len(fujian) >= 2, "Fujian's move from Nyingchi to Chamdo must be two dated rows"
    assert fujian["valid_to"].notna().any()
    assert {"wenchuan_2008_may", "wenchuan_2008_june"} <= set(pairings["programme_id"])
    hubei = pairings[pairings["programme_id"] == "covid_hubei_2020"]
    official = hubei[hubei["status"] == "ended"]
    assert (hubei.loc[hubei["status"] == "superseded", "confidence"] == "low").all()
    assert official["donor_name"].nunique() == 19 and official["recipient_name"].nunique() == 16


def test_every_row_is_sourced_and_links_only_to_vetted_hosts(tables):
    hosts = tuple(data.load_table("source_hosts")["host"])
    for name in ("pairings", "aid_figures", "programmes"):
        frame = tables[name]
        assert frame["source_title"].str.len().gt(0).all(), name
        linked = frame.loc[frame["source_url"] != "", "source_url"]
        assert len(linked) > 0 and all(data.host_is_vetted(url, hosts) for url in linked), name
        assert "retrieved_via" not in frame.columns


def test_rows_read_only_on_a_repost_are_at_most_medium(tables):
    sources = data.load_table("sources").set_index("source_id")
    repost_only = sources.index[sources["note"].str.startswith("Official page not found")]
    for name in ("pairings", "aid_figures"):
        frame = tables[name]
        cited = frame["source_ids"].str.split(";")
        only_reposts = cited.map(lambda ids: all(i in repost_only for i in ids))
        assert not (only_reposts & (frame["confidence"] == "high")).any(), name
        assert only_reposts.any(), name  # the rule is exercised by real rows


def test_status_agrees_with_valid_to_and_successors_start_on_time(tables):
    pairings = tables["pairings"].set_index("pairing_id")
    assert set(pairings["status"]) == {"in_force", "ended", "superseded", "unknown"}
    open_rows = pairings["valid_to"].isna()
    assert (pairings.loc[open_rows, "status"].isin(["in_force", "unknown"])).all()
    assert (pairings.loc[~open_rows, "status"].isin(["ended", "superseded"])).all()
    linked = pairings[pairings["superseded_by"] != ""]
    assert len(linked) > 20 and (linked["status"] == "superseded").all()
    successors = pairings.loc[linked["superseded_by"]]
    assert (successors["valid_from"].to_numpy() >= linked["valid_to"].to_numpy()).all()


def test_east_west_2016_pairs_are_closed_by_the_2021_round(tables):
    pairings = tables["pairings"]
    round_2016 = pairings[(pairings["programme_id"] == "east_west_1996") & (pairings["valid_from"] == 2016)]
    replaced = round_2016[round_2016["status"] == "superseded"]
    assert len(replaced) >= 25 and (replaced["valid_to"] == 2020).all()
    # Only Guangzhou's city pairs, reported in 2025, stay in force.
    assert set(round_2016.loc[round_2016["status"] == "in_force", "donor_name"]) == {"广州市"}
    tianjin = replaced[(replaced["donor_name"] == "天津市") & (replaced["recipient_name"] == "甘肃省")].iloc[0]
    successor = pairings.set_index("pairing_id").loc[tianjin["superseded_by"]]
    assert (successor["valid_from"], successor["donor_name"], successor["recipient_name"]) == (2021, "天津市", "甘肃省")


def test_chongqing_pairs_with_chamdo_as_a_city_of_sichuan_before_1997(tables):
    pairings = tables["pairings"]
    rows = pairings[(pairings["donor_code"] == "500000") & (pairings["programme_id"] == "tibet_1994")]
    rows = rows.sort_values("valid_from")
    assert list(rows["donor_level"]) == ["prefecture", "province"]
    assert list(rows["valid_from"]) == [1994, 1997] and rows["valid_to"].iloc[0] == 1996
    assert rows["superseded_by"].iloc[0] == rows["pairing_id"].iloc[1]
    assert not (pairings["donor_name"] == "四川省").loc[pairings["programme_id"] == "tibet_1994"].any()


def test_pairs_show_the_name_in_use_when_they_began(tables):
    pairings = tables["pairings"]
    shigatse = pairings[pairings["recipient_code"] == "540200"]
    assert set(shigatse["recipient_name"]) == {"日喀则地区"}  # every Shigatse pair began before 2014
    fujian = pairings[(pairings["donor_name"] == "福建省") & (pairings["programme_id"] == "tibet_1994")]
    assert set(fujian["recipient_name"]) == {"林芝地区", "昌都市"}
    regions = tables["regions"].set_index("code")
    assert regions.loc["500000", "valid_from"] == 1997 and regions.loc["460000", "valid_from"] == 1988


def test_timeline_has_at_least_40_sourced_events(tables):
    timeline = tables["timeline"]
    assert len(timeline) >= 40 and timeline["source"].str.len().gt(0).all()
    assert timeline["in_review_table1"].sum() == 20


def test_shanghai_partners_answer_the_instructors_question(tables):
    answer = partners_of(tables["pairings"], tables["regions"], "上海市")
    assert len(answer) > 0 and set(answer["role"]) <= {"donor", "recipient"}
    assert "xinjiang_2010" in set(answer["programme_id"]) or "tibet_1994" in set(answer["programme_id"])
    assert answer["valid_from"].is_monotonic_increasing


def test_active_in_respects_windows(tables):
    pairings = tables["pairings"]
    assert active_in(pairings, 1950).empty
    in_2012 = active_in(pairings, 2012)
    assert (in_2012["valid_from"] <= 2012).all() and (in_2012["valid_to"].fillna(9999) >= 2012).all()


def test_geometry_matches_regions():
    topology = data.load_geometry()
    assert len(topology["objects"]["provinces"]["geometries"]) == 34


def _set_by_id(rows, pairing_id, column, value):
    line = next(number for number, row in enumerate(rows, start=1) if row[0] == pairing_id)
    _set(rows, line, column, value)
    return line


UNLISTED = "http" + "://mirror.example.invalid/page"  # built from parts: this file passes the URL scan
PAIRING_MUTATIONS = {
    "unknown region code": (lambda r: _set(r, 2, "recipient_code", "999999"), r"pairings\.csv, line 2.*recipient_code"),
    "overlapping windows": (None, r"overlaps an earlier window"),
    "window ends before it starts": (lambda r: (_set(r, 3, "valid_from", "2015"), _set(r, 3, "valid_to", "2010")),
                                     r"pairings\.csv, line 3, column 'valid_to': ends before it starts"),
    "row without source title": (lambda r: _set(r, 4, "source_title", ""), r"pairings\.csv, line 4, column 'source_title'"),
    "link to an unlisted host": (lambda r: _set(r, 5, "source_url", UNLISTED),
                                 r"pairings\.csv, line 5, column 'source_url': host mirror\.example\.invalid is not "
                                 r"in data/source_hosts\.csv"),
    "level that did not exist": (lambda r: _set(r, 2, "donor_level", "county"),
                                 r"pairings\.csv, line 2, column 'donor_code': 110000 did not exist as a county in 1994"),
    "unknown programme": (lambda r: _set(r, 6, "programme_id", "mars_2050"), r"pairings\.csv, line 6.*programme_id"),
    "in force but closed": (lambda r: _set_by_id(r, "tibet_1994-110000-540100-1994", "valid_to", "2010"),
                            r"pairings\.csv, line 2, column 'status': status 'in_force' contradicts valid_to '2010'"),
    "superseded but open": (lambda r: _set_by_id(r, "tibet_1994-350000-540400-1994", "valid_to", ""),
                            r"pairings\.csv, line 10, column 'status': status 'superseded' contradicts valid_to ''"),
    "unknown status": (lambda r: _set(r, 3, "status", "paused"), r"pairings\.csv, line 3, column 'status'"),
    "province before it existed": (lambda r: _set_by_id(r, "tibet_1994-500000-540300-1997", "valid_from", "1994"),
                                   r"pairings\.csv, line 20, column 'donor_code': 500000 did not exist as a "
                                   r"province in 1994 \(it was a prefecture then\)"),
    "Hainan before 1988": (lambda r: [_set(r, n, "valid_from", "1985") for n, row in enumerate(r, start=1)
                                      if row[r[0].index("donor_code")] == "460000"],
                           r"column 'donor_code': 460000 did not exist as a province in 1985"),
    "name not yet in use": (lambda r: _set_by_id(r, "tibet_1994-310000-540200-1994", "recipient_name", "日喀则市"),
                            r"pairings\.csv, line 4, column 'recipient_code': 540200 was named 日喀则地区 in 1994, "
                            r"not 日喀则市"),
    "successor that does not exist": (lambda r: _set_by_id(r, "tibet_1994-350000-540400-1994", "superseded_by", "tibet_1994-350000-540300-2099"),
                                      r"pairings\.csv, line 10.*superseded_by"),
    "successor of an open row": (lambda r: _set_by_id(r, "tibet_1994-110000-540100-1994", "superseded_by", "tibet_1994-350000-540300-2016"),
                                 r"pairings\.csv, line 2, column 'superseded_by': only a superseded row"),
    "unknown source id": (lambda r: _set(r, 7, "source_ids", "s00000000"),
                          r"pairings\.csv, line 7, column 'source_ids': source 's00000000'"),
}


def _duplicate_second_row(rows):
    rows.append(list(rows[1]))
    rows[-1][rows[0].index("pairing_id")] = rows[1][0].rsplit("-", 1)[0] + "-2029"


@pytest.mark.parametrize("case", sorted(PAIRING_MUTATIONS))
def test_corrupted_pairings_fail_naming_file_line_and_column(data_copy, case):
    edit, expected = PAIRING_MUTATIONS[case]
    _rewrite(data_copy / "pairings.csv", edit or _duplicate_second_row)
    with pytest.raises(data.DataValidationError, match=expected):
        data.load_table("pairings")


def test_province_missing_from_the_map_is_reported(data_copy):
    path = data_copy / "geo" / "china_provinces.topo.json"
    topology = json.loads(path.read_text(encoding="utf-8"))
    topology["objects"]["provinces"]["geometries"].pop()
    path.write_text(json.dumps(topology), encoding="utf-8")
    with pytest.raises(data.DataValidationError, match="province codes differ"):
        data.load_geometry()


def test_source_table_link_to_an_unlisted_host_is_reported(data_copy):
    _rewrite(data_copy / "curation" / "sources.csv", lambda r: _set(r, 3, "url", UNLISTED))
    with pytest.raises(data.DataValidationError,
                       match=r"curation/sources\.csv, line 3, column 'url': host mirror\.example\.invalid"):
        data.load_table("pairings")


def test_host_table_rejects_an_unknown_kind(data_copy):
    _rewrite(data_copy / "source_hosts.csv", lambda r: _set(r, 2, "kind", "content_farm"))
    with pytest.raises(data.DataValidationError, match=r"source_hosts\.csv, line 2, column 'kind'"):
        data.load_table("pairings")


def test_build_reproduces_the_committed_tables(tmp_path):
    """The build reads only the repository (curation tables, sanitized inputs) and gives the committed files."""
    result = subprocess.run([sys.executable, "-m", "pairing_assistance.build", "--out", str(tmp_path)], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    for name in ("regions.csv", "places.csv", "pairings.csv", "aid_figures.csv"):
        assert (tmp_path / name).read_bytes() == (ROOT / "data" / name).read_bytes(), name


def test_source_shares_add_up_and_follow_the_rows(tables):
    from pairing_assistance.summaries import source_shares

    pairings = tables["pairings"]
    shares = source_shares(pairings)
    assert shares["rows"] == len(pairings) == shares["link"] + shares["title_only"]
    assert shares["conf_high"] + shares["conf_medium"] + shares["conf_low"] == shares["rows"]
    assert sum(shares[f"status_{s}"] for s in ("in_force", "ended", "superseded", "unknown")) == shares["rows"]
    assert abs(shares["link_share"] + shares["title_only_share"] - 1) < 1e-12
    fewer_links = pairings.assign(source_url="")
    assert source_shares(fewer_links)["link"] == 0 and source_shares(fewer_links)["title_only_share"] == 1
