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
