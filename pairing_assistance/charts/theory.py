"""Charts of the chapter 2 models, with sliders that filter precomputed runs in the browser."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from ..i18n import enum_labels, t
from ..models import equalisation, growth

SCENARIO_COLOURS = ["#9e9e9e", "#d6616b", "#3182bd"]


def _slider(name: str, label: str, lo: int, hi: int, step: int, value: int) -> alt.Parameter:
    return alt.param(name=name, value=value, bind=alt.binding_range(min=lo, max=hi, step=step, name=label))


def _equalisation_data(lang: str):
    """Slim the model grid for the page: each rule keeps only the cost it depends on."""
    bars, summary = equalisation.grid()
    names = enum_labels("scenario", equalisation.SCENARIOS, lang)

    def slim(frame, columns):
        before = frame[(frame["scenario"] == "before") & (frame["rate_pct"] == 0)
                       & (frame["cv_pct"] == 0) & (frame["ch_pct"] == 0)].assign(rate_pct=-1, cost_pct=-1)
        horizontal = frame[(frame["scenario"] == "horizontal") & (frame["cv_pct"] == 0)].assign(cost_pct=frame["ch_pct"])
        vertical = frame[(frame["scenario"] == "vertical") & (frame["ch_pct"] == 0)].assign(cost_pct=frame["cv_pct"])
        out = pd.concat([before, horizontal, vertical], ignore_index=True)
        out["scenario_label"] = out["scenario"].map(names)
        return out[["scenario", "scenario_label", "rate_pct", "cost_pct", *columns]]

    bars = slim(bars.assign(resources=bars["resources"].round(0)), ["region", "resources"])
    summary = slim(summary.assign(gini=summary["gini"].round(3), loss_pct=summary["loss_pct"].round(2)),
                   ["gini", "loss_pct"])
    return bars, summary, names


def equalisation_chart(lang: str = "zh") -> alt.HConcatChart:
    """Resources per head by region before and after each transfer rule, and the Gini of each."""
    bars, summary, scenario_names = _equalisation_data(lang)
    rate = _slider("rate_pct", t("eq.rate", lang) + " %", 0, 50, 5, 30)
    cost_v = _slider("cv_pct", t("eq.cost_vertical", lang) + " %", 0, 30, 10, 20)
    cost_h = _slider("ch_pct", t("eq.cost_horizontal", lang) + " %", 0, 30, 10, 10)
    chosen = (
        "datum.scenario == 'before' || (datum.rate_pct == rate_pct && "
        "datum.cost_pct == (datum.scenario == 'horizontal' ? ch_pct : cv_pct))"
    )
    order = list(scenario_names.values())
    scenario_scale = alt.Scale(domain=order, range=SCENARIO_COLOURS)
    colour = alt.Color("scenario_label:N", title=t("scenario", lang), scale=scenario_scale,
                       legend=alt.Legend(orient="bottom"))
    regions = list(equalisation.DEFAULT_REGIONS.names)
    per_region = (
        alt.Chart(bars).mark_bar().encode(
            x=alt.X("region:N", title=t("region", lang), sort=regions, axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("scenario_label:N", sort=order),
            y=alt.Y("resources:Q", title=t("eq.resources", lang)),
            color=colour,
            tooltip=[alt.Tooltip("region:N", title=t("region", lang)),
                     alt.Tooltip("scenario_label:N", title=t("scenario", lang)),
                     alt.Tooltip("resources:Q", title=t("eq.resources", lang), format=",.0f")],
        ).transform_filter(chosen).properties(width=320, height=260, title=t("eq.title", lang))
    )

    def measure(field: str, title: str, top: float, fmt: str) -> alt.LayerChart:
        base = alt.Chart(summary).encode(
            y=alt.Y("scenario_label:N", title=None, sort=order),
            x=alt.X(f"{field}:Q", title=title, scale=alt.Scale(domain=[0, top])),
        ).transform_filter(chosen)
        bar = base.mark_bar().encode(color=alt.Color("scenario_label:N", scale=scenario_scale, legend=None))
        label = base.mark_text(align="left", dx=4).encode(text=alt.Text(f"{field}:Q", format=fmt))
        return alt.layer(bar, label).properties(width=130, height=100, title=title)

    top_loss = float(np.ceil(summary["loss_pct"].max()))
    side = alt.vconcat(measure("gini", t("eq.gini", lang), 0.35, ".3f"),
                       measure("loss_pct", t("eq.loss", lang), top_loss, ".2f"))
    return alt.hconcat(per_region, side).add_params(rate, cost_v, cost_h)


def two_wheel_chart(lang: str = "zh") -> alt.LayerChart:
    """Output per worker of donor and recipient after support starts, with three sliders."""
    economy_names = enum_labels("economy", ["donor", "recipient"], lang)
    runs = growth.grid()
    runs = (runs[runs["year"] % 2 == 0]
            .pivot_table(index=["transfer_pct", "gain_pct", "support_years", "year"], columns="economy", values="output")
            .rename(columns=economy_names).reset_index())
    transfer = _slider("transfer_pct", t("gr.capital", lang) + " %", 0, 20, 5, 10)
    gain = _slider("gain_pct", t("gr.productivity", lang) + " %", 0, 30, 10, 20)
    years = alt.param(name="support_years", value=10, bind=alt.binding_select(
        options=[5, 10, 20, 40], name=t("gr.end", lang) + " "))
    chosen = (alt.datum.transfer_pct == transfer) & (alt.datum.gain_pct == gain) & (alt.datum.support_years == years)
    lines = alt.Chart(runs).transform_filter(chosen).transform_fold(
        list(economy_names.values()), as_=["economy_label", "output"]
    ).mark_line(strokeWidth=2.5).encode(
        x=alt.X("year:Q", title=t("gr.years", lang)),
        y=alt.Y("output:Q", title=t("gr.output", lang), scale=alt.Scale(domain=[0, 3.2])),
        color=alt.Color("economy_label:N", title=t("gr.economy", lang),
                        scale=alt.Scale(domain=list(economy_names.values()), range=["#3182bd", "#d6616b"]),
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("year:Q", title=t("gr.years", lang)),
                 alt.Tooltip("economy_label:N", title=t("gr.economy", lang)),
                 alt.Tooltip("output:Q", title=t("gr.output", lang), format=".3f")],
    )
    baseline = alt.Chart().mark_rule(strokeDash=[4, 4], color="#d6616b").encode(y=alt.datum(1.0))
    support_end = alt.Chart().mark_rule(color="#555").encode(x=alt.datum(alt.expr(years.name), type="quantitative"))
    return alt.layer(lines, baseline, support_end).add_params(transfer, gain, years).properties(
        width=540, height=280, title=alt.Title(t("gr.title", lang), subtitle=t("economy.recipient_baseline", lang) + " = 1"))
