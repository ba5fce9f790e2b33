"""Chapter 4 chart: sourced aid figures put to scale, with a radio control that switches the yardstick."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..i18n import t
from ..instruments import SCALES
from ..summaries import party_label
from .render import attach_table


def scaled_aid_chart(long: pd.DataFrame, lang: str = "zh") -> alt.Chart:
    """Horizontal bars (log scale) of the figures under the yardstick picked with the radio buttons.

    ``long`` comes from ``instruments.long_scaled``; only the rows of the chosen yardstick are drawn, so the
    axis rescales in the browser. The title names the yardstick and its unit.
    """
    labels = {s: t(f"ins.scale.{s}", lang) for s in SCALES}
    data = long.assign(scale_label=long["scale"].map(labels), label=long["label"].map(lambda v: _readable(v, lang)))
    pick = alt.param(name="scale_pick", value=labels["donor_revenue"],
                     bind=alt.binding_radio(options=[labels[s] for s in SCALES], name=t("ins.scale", lang)))
    chart = alt.Chart(data).mark_bar().encode(
        y=alt.Y("label:N", title=None, sort="-x", axis=alt.Axis(labelLimit=260)),
        # Bars start at half the smallest figure shown, not at zero, which a log scale cannot place (every bar
        # was drawn empty), nor at the smallest figure (its bar would have no length).
        x=alt.X("value:Q", title=t("ins.value", lang), scale=alt.Scale(type="log"), stack=None,
                axis=alt.Axis(format="~g", labelOverlap="greedy")),  # log ticks ran together ("0.020.03")
        x2="base:Q",
        color=alt.Color("programme:N", title=t("ins.programme", lang), legend=alt.Legend(orient="bottom", columns=2)),
        tooltip=[alt.Tooltip("label:N", title=t("ins.figure", lang)),
                 alt.Tooltip("programme:N", title=t("ins.programme", lang)),
                 alt.Tooltip("period:N", title=t("ins.period", lang)),
                 alt.Tooltip("base_years:N", title=t("ins.base_years", lang)),
                 alt.Tooltip("value:Q", title=t("ins.value", lang), format=",.3~f"),
                 alt.Tooltip("confidence:N", title=t("db.confidence", lang))],
    ).add_params(pick).transform_filter("datum.scale_label == scale_pick").transform_joinaggregate(
        lowest="min(value)").transform_calculate(base="datum.lowest / 2").properties(
        width=420, height=alt.Step(13),
        title=alt.Title(text=alt.expr(f"'{t('ins.title', lang)}：' + scale_pick")),
        description=describe_scaled(long, lang))
    table = pd.DataFrame({t("ins.scale", lang).rstrip("：: "): data["scale_label"], t("ins.figure_label", lang): data["label"],
                          t("ins.programme", lang): data["programme"], t("ins.period", lang): data["period"],
                          t("ins.base_years", lang): data["base_years"], t("ins.value", lang): data["value"],
                          t("db.confidence", lang): data["confidence"]})
    return attach_table(chart, table, t("ins.source", lang))


def describe_scaled(long: pd.DataFrame, lang: str = "zh") -> str:
    """How many figures each yardstick covers and the range under the starting one (share of donor revenue)."""
    shown = long[long["scale"] == "donor_revenue"]["value"]
    return t("ins.description", lang).format(
        figures=long["figure_id"].nunique(), n=len(shown), low=float(shown.min()), high=float(shown.max()),
        ratio=float(shown.max() / shown.min()))


def _readable(label: str, lang: str) -> str:
    """"A064 6 donor provinces→青海" with the donor group in words ("A064 6 个省市→青海")."""
    figure, _, parties = str(label).partition(" ")
    return f"{figure} " + "→".join(party_label(p, lang) for p in parties.split("→"))
