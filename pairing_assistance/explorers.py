"""ipywidgets explorers for instructors (they need a live Jupyter kernel).

On the website these cells show nothing; the charts' own controls work there.
"""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd
from IPython.display import display

from .data import STAGE_YEARS
from .i18n import t
from .pairings import active_in, with_provinces


def filter_timeline(timeline: pd.DataFrame, stages=None, years=None, text: str = "") -> pd.DataFrame:
    """Events in the given stages and year range whose title, issuer or content contains ``text``."""
    keep = pd.Series(True, index=timeline.index)
    if stages:
        keep &= timeline["stage"].isin(stages)
    if years:
        keep &= timeline["year"].between(*years)
    if text:
        haystack = timeline["title"] + timeline["issuer"] + timeline["content_zh"] + timeline["document_number"]
        keep &= haystack.str.contains(text, regex=False)
    return timeline[keep]


def timeline_explorer(timeline: pd.DataFrame, lang: str = "zh") -> widgets.VBox:
    """Stage, year-range and keyword filters over the timeline table."""
    stages = widgets.SelectMultiple(
        options=[(t(f"stage.{s}", lang), s) for s in STAGE_YEARS], description=t("stage", lang))
    years = widgets.IntRangeSlider(
        value=(int(timeline["year"].min()), int(timeline["year"].max())),
        min=1949, max=2025, description=t("year", lang))
    text = widgets.Text(description="关键词" if lang == "zh" else "Keyword")
    output = widgets.Output()

    def refresh(_=None):
        chosen = filter_timeline(timeline, stages.value, years.value, text.value.strip())
        output.clear_output()
        with output:
            display(chosen[["year", "title", "issuer", "document_number", "content_zh"]])

    for control in (stages, years, text):
        control.observe(refresh, names="value")
    refresh()
    return widgets.VBox([widgets.HBox([stages, years]), text, output])


def filter_pairings(pairings: pd.DataFrame, regions: pd.DataFrame, programme: str | None = None,
                    place: str = "", year: int | None = None) -> pd.DataFrame:
    """Pairs of one programme (or all), involving ``place`` (any name or code), in force in ``year``."""
    chosen = pairings if not programme else pairings[pairings["programme_id"] == programme]
    if year is not None:
        chosen = active_in(chosen, year)
    if place:
        table = with_provinces(chosen, regions)
        columns = ["donor_name", "recipient_name", "donor_province_name", "recipient_province_name",
                   "donor_code", "recipient_code"]
        chosen = chosen[table[columns].fillna("").apply(lambda c: c.str.contains(place, regex=False)).any(axis=1)]
    return chosen


def pairing_explorer(pairings: pd.DataFrame, regions: pd.DataFrame, programmes: pd.DataFrame,
                     lang: str = "zh") -> widgets.VBox:
    """Programme, place and year filters over the pairings, with the matching rows listed."""
    options = [(t("all", lang), "")] + [
        (f"{row.name_zh}（{row.start_year}）", row.programme_id)
        for row in programmes.sort_values("start_year").itertuples()]
    programme = widgets.Dropdown(options=options, description=t("db.programme_short", lang))
    place = widgets.Text(description=t("region", lang), placeholder="上海市 / 310000")
    any_year = widgets.Checkbox(value=True, description="不限年份" if lang == "zh" else "Any year")
    year = widgets.IntSlider(value=2012, min=1992, max=2025, description=t("year", lang))
    output = widgets.Output()

    def refresh(_=None):
        chosen = filter_pairings(pairings, regions, programme.value or None, place.value.strip(),
                                 None if any_year.value else year.value)
        output.clear_output()
        with output:
            print(f"{len(chosen)} rows")
            display(chosen[["programme_id", "donor_name", "recipient_name", "valid_from", "valid_to", "confidence"]])

    for control in (programme, place, any_year, year):
        control.observe(refresh, names="value")
    refresh()
    return widgets.VBox([widgets.HBox([programme, place]), widgets.HBox([any_year, year]), output])
