"""Interactive timeline of the review's Table 1 (chapter 3)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..data import STAGE_YEARS
from ..i18n import enum_labels, t
from .render import STAGE_COLOURS

STAGES = list(STAGE_YEARS)
KINDS = ["document", "meeting", "report", "press", "programme", "mechanism"]
KIND_SHAPES = ["triangle-right", "square", "triangle-up", "diamond", "circle", "cross"]
LAST_YEAR_SHOWN = 2025
WIDTH = 560


def _events(timeline: pd.DataFrame, lang: str) -> pd.DataFrame:
    events = timeline.copy()
    events["stage_label"] = events["stage"].map(enum_labels("stage", STAGES, lang))
    events["kind_label"] = events["kind"].map(enum_labels("kind", KINDS, lang))
    # events of the same year and kind side by side, centred on their kind's row: -1/+1 for two, 0 for one
    # (numbered from the top, a lone event sat a lane above its row's label)
    same = events.groupby(["year", "kind"])
    events["lane"] = 2 * same.cumcount() - (same["kind"].transform("size") - 1)
    numbered = events["document_number"].fillna("").ne("")
    events["label"] = (
        events["year"].astype(str) + "  " + events["title"]
        + numbered.map({True: "（", False: ""}) + events["document_number"].fillna("")
        + numbered.map({True: "）", False: ""})
    )
    events["in_table1"] = events["in_review_table1"].map({True: t("yes", lang), False: t("no", lang)})
    return events


def _bands(lang: str) -> pd.DataFrame:
    rows = [
        {"stage": s, "stage_label": t(f"stage.{s}", lang), "start": a, "end": min(b, LAST_YEAR_SHOWN) + 1}
        for s, (a, b) in STAGE_YEARS.items()
    ]
    return pd.DataFrame(rows)


def timeline_chart(timeline: pd.DataFrame, lang: str = "zh") -> alt.VConcatChart:
    """Events by year and kind on stage bands, with a stage dropdown and a year brush.

    Both controls run in the browser: the dropdown filters the events, the
    brush on the bottom strip sets the years shown above, and the list under
    the chart shows exactly the events in view.
    """
    events = _events(timeline, lang)
    reach = int(events["lane"].abs().max())
    lanes = list(range(-reach, reach + 1))  # symmetric, so lane 0 is the middle of each row
    kind_order = [t(f"kind.{k}", lang) for k in KINDS]
    stage_colour = alt.Scale(domain=[t(f"stage.{s}", lang) for s in STAGES], range=STAGE_COLOURS)
    stage_pick = alt.param(
        name="stage_pick",
        value="all",
        bind=alt.binding_select(
            options=["all", *STAGES],
            labels=[t("all", lang), *(t(f"stage.{s}", lang) for s in STAGES)],
            name=t("timeline.pick_stage", lang),
        ),
    )
    years = alt.selection_interval(name="years", encodings=["x"])
    in_stage = (stage_pick == "all") | (alt.datum.stage == stage_pick)
    x_main = alt.X("year:Q", title=t("year", lang), scale=alt.Scale(domain=years, nice=False), axis=alt.Axis(format="d"))

    bands = alt.Chart(_bands(lang)).mark_rect(opacity=0.13).encode(
        x=alt.X("start:Q", scale=alt.Scale(domain=years, nice=False)),
        x2="end:Q",
        # swatches stronger than the bands' 0.13 tint (near-invisible, above all in dark mode)
        color=alt.Color("stage_label:N", scale=stage_colour,
                        legend=alt.Legend(title=t("stage", lang), orient="bottom", symbolOpacity=0.6)),
    )
    points = (
        alt.Chart(events)
        .mark_point(filled=True, size=160, opacity=0.9, stroke="white", strokeWidth=1)
        .encode(
            x=x_main,
            y=alt.Y("kind_label:N", title=t("kind", lang), scale=alt.Scale(domain=kind_order)),
            yOffset=alt.YOffset("lane:O", scale=alt.Scale(domain=lanes)),
            color=alt.Color("stage_label:N", scale=stage_colour, legend=None),
            shape=alt.Shape("kind_label:N", legend=None, scale=alt.Scale(domain=kind_order, range=KIND_SHAPES)),
            tooltip=[
                alt.Tooltip("year:Q", title=t("year", lang), format="d"),
                alt.Tooltip("stage_label:N", title=t("stage", lang)),
                alt.Tooltip("title:N", title=t("event", lang)),
                alt.Tooltip("issuer:N", title=t("issuer", lang)),
                alt.Tooltip("document_number:N", title=t("document_number", lang)),
                alt.Tooltip("content_zh:N", title=t("content", lang)),
                alt.Tooltip("in_table1:N", title=t("in_table1", lang)),
                alt.Tooltip("source:N", title=t("source", lang)),
            ],
        )
        .transform_filter(in_stage)
    )
    main = (
        alt.layer(bands, points)
        .properties(width=WIDTH, height=230, title=alt.Title(t("timeline.title", lang), subtitle=t("timeline.brush", lang)))
        .add_params(stage_pick)
    )
    strip = (
        alt.Chart(events)
        .mark_tick(thickness=2, size=14)
        .encode(
            x=alt.X("year:Q", title=None, axis=alt.Axis(format="d"), scale=alt.Scale(domain=[1949, LAST_YEAR_SHOWN + 1])),
            color=alt.Color("stage_label:N", scale=stage_colour, legend=None),
        )
        .add_params(years)
        .properties(width=WIDTH, height=28)
    )
    listing = (
        alt.Chart(events)
        .transform_filter(in_stage)
        .transform_filter(years)
        .transform_window(row="row_number()", sort=[alt.SortField("year"), alt.SortField("event_id")])
        .mark_text(align="left", baseline="middle", fontSize=11, limit=WIDTH)
        .encode(
            x=alt.value(0),
            y=alt.Y("row:O", axis=None),
            text="label:N",
            color=alt.Color("stage_label:N", scale=stage_colour, legend=None),
        )
        .properties(width=WIDTH, height=alt.Step(18), title=alt.Title(t("timeline.list", lang), fontSize=13))
    )
    return alt.vconcat(main, strip, listing).resolve_scale(color="shared").properties(
        description=describe(timeline, lang))


def describe(timeline: pd.DataFrame, lang: str = "zh") -> str:
    """What the timeline shows and its main point, in words computed from the data (the chart's text alternative)."""
    per_stage = timeline["stage"].value_counts()
    busiest = per_stage.idxmax()
    return t("timeline.description", lang).format(
        n=len(timeline), first=int(timeline["year"].min()), last=int(timeline["year"].max()),
        table1=int(timeline["in_review_table1"].sum()), stage=t(f"stage.{busiest}", lang), most=int(per_stage.max()))
