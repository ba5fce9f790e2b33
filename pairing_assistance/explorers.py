"""ipywidgets explorers for instructors (they need a live Jupyter kernel).

On the website these cells show nothing; the charts' own controls work there.
"""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd
from IPython.display import display

from .data import STAGE_YEARS
from .i18n import t


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
