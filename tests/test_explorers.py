"""The Jupyter explorers filter the same validated tables the website shows."""

from pairing_assistance import data
from pairing_assistance.explorers import filter_timeline, timeline_explorer


def test_filter_timeline_by_stage_years_and_keyword():
    timeline = data.load_table("timeline")
    assert len(filter_timeline(timeline)) == len(timeline)
    assert set(filter_timeline(timeline, stages=["upgrading"])["year"]) == {2022, 2023}
    assert filter_timeline(timeline, years=(1990, 1999))["year"].between(1990, 1999).all()
    gorges = filter_timeline(timeline, text="三峡")
    assert {"T06", "T17"} <= set(gorges["event_id"])
    assert (gorges["title"] + gorges["content_zh"] + gorges["issuer"]).str.contains("三峡").all()


def test_explorer_widget_builds_with_its_controls():
    box = timeline_explorer(data.load_table("timeline"))
    assert len(box.children) == 3


def test_filter_pairings_by_programme_place_and_year():
    from pairing_assistance.explorers import filter_pairings, pairing_explorer

    pairings, regions = data.load_table("pairings"), data.load_table("regions")
    tibet = filter_pairings(pairings, regions, programme="tibet_1994")
    assert set(tibet["programme_id"]) == {"tibet_1994"}
    fujian_2020 = filter_pairings(pairings, regions, programme="tibet_1994", place="福建", year=2020)
    assert fujian_2020["recipient_name"].str.contains("昌都").all() and len(fujian_2020) >= 1
    shanghai = filter_pairings(pairings, regions, place="上海")
    assert len(shanghai) >= 10
    assert len(pairing_explorer(pairings, regions, data.load_table("programmes")).children) == 3


def test_model_explorers_build():
    from pairing_assistance.explorers import WESTERN, equalisation_explorer, growth_explorer
    from pairing_assistance.models import equalisation

    regions = equalisation.regions_from_table(data.load_table("fiscal_2019"))
    assert len(set(regions.names) & WESTERN) == 12
    assert len(equalisation_explorer(regions).children) == 3
    assert len(growth_explorer().children) == 3


def test_specification_explorer_builds_and_runs_outside_the_grid():
    from pairing_assistance.explorers import specification_explorer

    box = specification_explorer(data.load_table("panel_provinces"), data.load_table("pairings"), data.load_table("regions"))
    assert len(box.children) == 3
    pre_start = box.children[1].children[1]
    pre_start.value = 1990  # not one of the grid's pre-period starts
    assert pre_start.value == 1990
