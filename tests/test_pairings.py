"""The pairing database: coverage, integrity rules, honest confidence, and the questions it answers."""

import json

import pytest

from pairing_assistance import data
from pairing_assistance.pairings import active_in, partners_of, programme_summary, province_of
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
    official = hubei[hubei["confidence"] == "high"]
    assert official["donor_name"].nunique() == 19 and official["recipient_name"].nunique() == 16


def test_high_confidence_rows_are_sourced_and_links_are_official(tables):
    for name in ("pairings", "aid_figures", "programmes"):
        frame = tables[name]
        high = frame[frame["confidence"] == "high"]
        assert high["source_title"].str.len().gt(0).all(), name
        assert not frame["source_url"].str.contains("nanfei|ty-gm|09993|anntest|bazhongshizx|103.249", regex=True).any()


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


PAIRING_MUTATIONS = {
    "unknown region code": (lambda r: _set(r, 2, "recipient_code", "999999"), r"pairings\.csv, line 2.*recipient_code"),
    "overlapping windows": (None, r"overlaps an earlier window"),
    "window ends before it starts": (lambda r: (_set(r, 3, "valid_from", "2015"), _set(r, 3, "valid_to", "2010")),
                                     r"pairings\.csv, line 3, column 'valid_to': ends before it starts"),
    "high row without source": (lambda r: (_set(r, 4, "confidence", "high"), _set(r, 4, "source_title", "")),
                                r"pairings\.csv, line 4, column 'source_title'"),
    "mirror link": (lambda r: _set(r, 5, "source_url", "http://mirror.example.com/page"),
                    r"pairings\.csv, line 5, column 'source_url': mirror\.example\.com"),
    "level does not match the region": (lambda r: _set(r, 2, "donor_level", "county"), r"pairings\.csv, line 2, column 'donor_level'"),
    "unknown programme": (lambda r: _set(r, 6, "programme_id", "mars_2050"), r"pairings\.csv, line 6.*programme_id"),
}


def _duplicate_second_row(rows):
    rows.append(list(rows[1]))
    rows[-1][rows[0].index("pairing_id")] = rows[1][0].rsplit("-", 1)[0] + "-999"


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
