"""Charts of the chapter 2 models, with sliders that filter precomputed runs in the browser."""

from __future__ import annotations

import math
import re

import altair as alt
import numpy as np
import pandas as pd

from ..i18n import enum_labels, t
from ..models import equalisation, growth
from .render import NEUTRAL, attach_table

SCENARIO_COLOURS = ["#9e9e9e", "#d6616b", "#3182bd"]
# the sliders' starting values: transfer rate, vertical and horizontal cost (%); capital transfer, productivity gain (%), years
EQ_DEFAULTS = (30, 20, 10)
GROWTH_DEFAULTS = (10, 20, 10)


def _percent(label: str) -> str:
    """A slider's name with its unit inside its bracket ("资本转移（占受援方产出，%）"): Vega writes the value
    after the slider, so a "%" after the name stood before the slider, far from the number."""
    if label.endswith("）"):
        return f"{label[:-1]}，%）"
    if label.endswith(")"):
        return f"{label[:-1]}, %)"
    # a Chinese name takes full-width brackets, as the prose writes it ("生产率提升（%）")
    return f"{label}（%）" if re.search(r"[\u4e00-\u9fff]", label) else f"{label} (%)"


def _slider(name: str, label: str, lo: int, hi: int, step: int, value: int) -> alt.Parameter:
    return alt.param(name=name, value=value, bind=alt.binding_range(min=lo, max=hi, step=step, name=label))


def _equalisation_data(regions: equalisation.Regions, lang: str):
    """Slim the model grid for the page: each rule keeps only the cost it depends on."""
    bars, summary = equalisation.grid(regions=regions)
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
    summary = slim(summary.round({"gini": 3, "loss_pct": 2, "donor_burden_pct": 1}), ["gini", "loss_pct", "donor_burden_pct"])
    return bars, summary, names


def equalisation_chart(regions: equalisation.Regions = equalisation.DEFAULT_REGIONS, lang: str = "zh") -> alt.HConcatChart:
    """Resources per head of every region before and after each transfer rule, with Gini, loss and donors' burden.

    Three sliders (transfer rate, efficiency cost of vertical transfers, coordination cost of horizontal
    ones) pick a precomputed run in the browser.
    """
    bars, summary, scenario_names = _equalisation_data(regions, lang)
    rate = _slider("rate_pct", _percent(t("eq.rate", lang)), 0, 50, 5, 30)
    cost_v = _slider("cv_pct", _percent(t("eq.cost_vertical", lang)), 0, 30, 10, 20)
    cost_h = _slider("ch_pct", _percent(t("eq.cost_horizontal", lang)), 0, 30, 10, 10)
    chosen = (
        "datum.scenario == 'before' || (datum.rate_pct == rate_pct && "
        "datum.cost_pct == (datum.scenario == 'horizontal' ? ch_pct : cv_pct))"
    )
    order = list(scenario_names.values())
    scenario_scale = alt.Scale(domain=order, range=SCENARIO_COLOURS)
    by_capacity = [n for _, n in sorted(zip(regions.capacity, regions.names), reverse=True)]
    per_region = (
        alt.Chart(bars).mark_point(filled=True, size=70, opacity=0.9).encode(
            y=alt.Y("region:N", title=None, sort=by_capacity),
            x=alt.X("resources:Q", title=t("eq.resources", lang), axis=alt.Axis(format="~s"),
                    scale=alt.Scale(type="log", domain=[float(bars["resources"].min()) * 0.9,
                                                        float(bars["resources"].max()) * 1.1], nice=False)),
            color=alt.Color("scenario_label:N", title=t("scenario", lang), scale=scenario_scale,
                            legend=alt.Legend(orient="bottom")),
            shape=alt.Shape("scenario_label:N", scale=alt.Scale(domain=order, range=["circle", "triangle-left", "triangle-right"]),
                            legend=None),
            tooltip=[alt.Tooltip("region:N", title=t("region", lang)),
                     alt.Tooltip("scenario_label:N", title=t("scenario", lang)),
                     alt.Tooltip("resources:Q", title=t("eq.resources", lang), format=",.0f")],
        ).transform_filter(chosen).properties(width=300, height=alt.Step(14 if len(by_capacity) > 10 else 30),
                                              title=t("eq.title", lang))
    )

    def measure(field: str, title: str, top: float, fmt: str) -> alt.LayerChart:
        base = alt.Chart(summary).encode(
            y=alt.Y("scenario_label:N", title=None, sort=order),
            x=alt.X(f"{field}:Q", title=title, scale=alt.Scale(domain=[0, top])),
        ).transform_filter(chosen)
        bar = base.mark_bar().encode(color=alt.Color("scenario_label:N", scale=scenario_scale, legend=None))
        label = base.mark_text(align="left", dx=4).encode(text=alt.Text(f"{field}:Q", format=fmt))
        return alt.layer(bar, label).properties(width=130, height=80, title=title)

    def top(field: str) -> float:
        return float(np.ceil(summary[field].max() * 1.15 * 100) / 100)

    side = alt.vconcat(measure("gini", t("eq.gini", lang), top("gini"), ".3f"),
                       measure("loss_pct", t("eq.loss", lang), top("loss_pct"), ".2f"),
                       measure("donor_burden_pct", t("eq.burden", lang), top("donor_burden_pct"), ".1f"))
    chart = alt.hconcat(per_region, side).add_params(rate, cost_v, cost_h).properties(
        description=describe_equalisation(regions, lang))
    return attach_table(chart, _equalisation_table(summary, lang), t("eq.source", lang), t("eq.table_note", lang))


def _equalisation_table(summary: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every setting of the sliders with its Gini, loss and burden (the "before" row holds for all settings)."""
    table = summary.sort_values(["rate_pct", "scenario", "cost_pct"])
    setting = table["rate_pct"].ge(0)
    return pd.DataFrame({
        t("scenario", lang): table["scenario_label"],
        t("eq.rate", lang) + "（%）": table["rate_pct"].where(setting).astype("Int64"),
        t("eq.rule_cost", lang) + "（%）": table["cost_pct"].where(setting).astype("Int64"),
        t("eq.gini", lang): table["gini"],
        t("eq.loss", lang): table["loss_pct"],
        t("eq.burden", lang): table["donor_burden_pct"],
    })


def describe_equalisation(regions: equalisation.Regions = equalisation.DEFAULT_REGIONS, lang: str = "zh") -> str:
    """What figure 2-1 shows and its main point at the sliders' starting values (computed from the model)."""
    rate, cost_v, cost_h = EQ_DEFAULTS
    result = equalisation.summarise(equalisation.simulate(rate / 100, cost_v / 100, cost_h / 100, regions))
    row = result.set_index("scenario")
    return t("eq.description", lang).format(
        n=len(regions.names), rate=rate, cv=cost_v, ch=cost_h, before=row.loc["before", "gini"],
        horizontal=row.loc["horizontal", "gini"], vertical=row.loc["vertical", "gini"],
        loss_h=row.loc["horizontal", "loss_pct"], loss_v=row.loc["vertical", "loss_pct"])


def two_wheel_chart(lang: str = "zh") -> alt.LayerChart:
    """Output per worker of donor and recipient after support starts, with three sliders."""
    economy_names = enum_labels("economy", ["donor", "recipient"], lang)
    runs = growth.grid()
    runs = (runs[runs["year"] % 2 == 0]
            .pivot_table(index=["transfer_pct", "gain_pct", "support_years", "year"], columns="economy", values="output")
            .reset_index())
    runs["ratio"] = (runs["recipient"] / runs["donor"]).round(4)
    runs = runs.rename(columns=economy_names)
    transfer = _slider("transfer_pct", _percent(t("gr.capital", lang)), 0, 20, 5, 10)
    gain = _slider("gain_pct", _percent(t("gr.productivity", lang)), 0, 30, 10, 20)
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
    support_end = alt.Chart().mark_rule(color=NEUTRAL).encode(x=alt.datum(alt.expr(years.name), type="quantitative"))
    half_life = growth.convergence_half_life()
    subtitle = [t("economy.recipient_baseline", lang) + " = 1",
                t("gr.half_life", lang).format(years=f"{half_life:.0f}")]
    outputs = alt.layer(lines, baseline, support_end).properties(
        width=540, height=260, title=alt.Title(t("gr.title", lang), subtitle=subtitle))
    start_ratio = float(runs.loc[runs["year"] == 0, "ratio"].iloc[0])
    ratio_range = [math.floor(runs["ratio"].min() * 20) / 20, math.ceil(runs["ratio"].max() * 20) / 20]
    gap = alt.Chart(runs).transform_filter(chosen).mark_line(color="#756bb1", strokeWidth=2.5).encode(
        x=alt.X("year:Q", title=t("gr.years", lang)),
        # one fixed range over every slider setting: runs compare at a glance, and a flat run (no transfer, no
        # gain) keeps its axis (a range computed from one flat line collapsed to a single tick)
        # (on two lines: one line was taller than the 120 px panel)
        y=alt.Y("ratio:Q", scale=alt.Scale(domain=ratio_range, nice=False),
                axis=alt.Axis(title=t("gr.ratio_axis", lang).split("\n"))),
        tooltip=[alt.Tooltip("year:Q", title=t("gr.years", lang)), alt.Tooltip("ratio:Q", title=t("gr.ratio", lang), format=".3f")])
    gap_base = alt.Chart().mark_rule(strokeDash=[4, 4], color="#756bb1").encode(y=alt.datum(start_ratio))
    gap_panel = alt.layer(gap, gap_base, support_end).properties(width=540, height=120, title=t("gr.gap_title", lang))
    chart = alt.vconcat(outputs, gap_panel).add_params(transfer, gain, years).properties(
        description=describe_growth(lang))
    table = pd.DataFrame({
        t("gr.capital", lang) + "（%）": runs["transfer_pct"], t("gr.productivity", lang) + "（%）": runs["gain_pct"],
        t("gr.end", lang): runs["support_years"], t("gr.years", lang): runs["year"],
        t("economy.donor", lang): runs[economy_names["donor"]].round(3),
        t("economy.recipient", lang): runs[economy_names["recipient"]].round(3), t("gr.ratio", lang): runs["ratio"].round(3)})
    return attach_table(chart, table, t("gr.source", lang), t("gr.table_note", lang))


def describe_growth(lang: str = "zh") -> str:
    """What figure 2-2 (and 4-1) shows and its main point at the sliders' starting values (computed from the model)."""
    transfer, gain, years = GROWTH_DEFAULTS
    run = growth.simulate(transfer / 100, gain / 100, years).set_index("year")
    ratio = run["recipient"] / run["donor"]
    last = int(run.index.max())
    return t("gr.description", lang).format(
        transfer=transfer, gain=gain, years=years, end=run.loc[years, "recipient"], last=last,
        final=run.loc[last, "recipient"], ratio0=ratio.loc[0], ratio_end=ratio.loc[years],
        half_life=growth.convergence_half_life())


def growth_run_chart(run: pd.DataFrame, lang: str = "zh") -> alt.Chart:
    """One run of ``growth.simulate`` (for the Jupyter explorer): output per worker of both economies."""
    names = enum_labels("economy", ["donor", "recipient"], lang)
    long = run.rename(columns=names).melt(id_vars="year", var_name="economy_label", value_name="output")
    return alt.Chart(long).mark_line(strokeWidth=2.5).encode(
        x=alt.X("year:Q", title=t("gr.years", lang)), y=alt.Y("output:Q", title=t("gr.output", lang)),
        color=alt.Color("economy_label:N", title=t("gr.economy", lang),
                        scale=alt.Scale(domain=list(names.values()), range=["#3182bd", "#d6616b"])),
    ).properties(width=520, height=240)


def equalisation_run_chart(result: pd.DataFrame, lang: str = "zh") -> alt.Chart:
    """One run of ``equalisation.simulate`` (for the Jupyter explorer): resources per head by region."""
    names = enum_labels("scenario", equalisation.SCENARIOS, lang)
    frame = result.assign(scenario_label=result["scenario"].map(names))
    order = frame[frame["scenario"] == "before"].sort_values("resources", ascending=False)["region"].tolist()
    return alt.Chart(frame).mark_point(filled=True, size=60).encode(
        y=alt.Y("region:N", title=None, sort=order), x=alt.X("resources:Q", title=t("eq.resources", lang),
                                                           scale=alt.Scale(type="log")),
        color=alt.Color("scenario_label:N", title=t("scenario", lang),
                        scale=alt.Scale(domain=list(names.values()), range=SCENARIO_COLOURS)),
    ).properties(width=420, height=alt.Step(14))
