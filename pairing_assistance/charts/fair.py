"""Chapter 2's fair comparison: Gini of both rules as the central levy becomes progressive."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..i18n import t
from .render import attach_table
from .theory import SCENARIO_COLOURS


def fair_comparison_chart(grid: pd.DataFrame, lang: str = "zh") -> alt.Chart:
    """Lines of the Gini after each rule against the levy's progressivity; a radio picks the horizontal cost.

    ``grid`` comes from ``equalisation.fair_grid``. Where the blue line drops below the red one, the central
    transfer equalises more than pairing.
    """
    names = {s: t(f"scenario.{s}", lang) for s in ("horizontal", "vertical")}
    data = grid.assign(rule=grid["scenario"].map(names), gini=grid["gini"].round(4))
    costs = sorted(data["ch_pct"].unique().tolist())
    pick = alt.param(name="fair_ch", value=10 if 10 in costs else costs[0],
                     bind=alt.binding_radio(options=costs, name=t("eq.cost_horizontal", lang) + " %："))
    chart = alt.Chart(data).mark_line(point=True).encode(
        x=alt.X("theta_pct:Q", title=t("eq.progressivity", lang) + "（%）"),
        y=alt.Y("gini:Q", title=t("eq.gini", lang), scale=alt.Scale(zero=False)),
        color=alt.Color("rule:N", title=t("eq.rule", lang), legend=alt.Legend(orient="bottom"),
                        scale=alt.Scale(domain=list(names.values()), range=SCENARIO_COLOURS[1:])),
        tooltip=[alt.Tooltip("rule:N", title=t("eq.rule", lang)),
                 alt.Tooltip("theta_pct:Q", title=t("eq.progressivity", lang) + "（%）"),
                 alt.Tooltip("gini:Q", title=t("eq.gini", lang), format=".3f")],
    ).add_params(pick).transform_filter("datum.ch_pct == fair_ch").properties(
        width=420, height=240, title=t("eq.fair_title", lang), description=describe_fair(grid, lang))
    table = data.sort_values(["ch_pct", "scenario", "theta_pct"])
    table = pd.DataFrame({t("eq.rule", lang): table["rule"], t("eq.cost_horizontal", lang) + "（%）": table["ch_pct"],
                          t("eq.progressivity", lang) + "（%）": table["theta_pct"], t("eq.gini", lang): table["gini"].round(3)})
    return attach_table(chart, table, t("eq.source", lang))


def describe_fair(grid: pd.DataFrame, lang: str = "zh") -> str:
    """Where the vertical rule's Gini falls to the horizontal one's, at the radio's starting cost (from ``grid``)."""
    costs = sorted(grid["ch_pct"].unique().tolist())
    cost = 10 if 10 in costs else costs[0]
    part = grid[grid["ch_pct"] == cost]
    horizontal = part[part["scenario"] == "horizontal"].set_index("theta_pct")["gini"]
    vertical = part[part["scenario"] == "vertical"].set_index("theta_pct")["gini"]
    reached = vertical[vertical <= horizontal.reindex(vertical.index)]
    crossing = (t("eq.fair_cross", lang).format(theta=int(reached.index.min())) if len(reached)
                else t("eq.fair_no_cross", lang))
    return t("eq.fair_description", lang).format(
        cost=cost, horizontal=float(horizontal.mean()), v0=float(vertical.iloc[0]), v1=float(vertical.iloc[-1]),
        first=int(vertical.index.min()), last=int(vertical.index.max()), crossing=crossing)
