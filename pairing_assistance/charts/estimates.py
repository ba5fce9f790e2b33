"""Charts of the chapter 5 estimates: convergence, synthetic-control gaps, and the specification curve."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..i18n import bare, t
from .render import NEUTRAL

WIDTH = 540
TREATED_COLOUR, PLACEBO_COLOUR = "#d6616b", "#bdbdbd"




def convergence_chart(sigma: pd.DataFrame, sigma_weighted: pd.DataFrame, theil: pd.DataFrame,
                      milestones: pd.DataFrame, lang: str = "zh") -> alt.VConcatChart:
    """σ-convergence (choose unweighted or population-weighted) and the Theil index split into between
    and within the four regions, with pairing milestones marked (``milestones``: year, label)."""
    measures = {"unweighted": t("est.sigma_unweighted", lang), "weighted": t("est.sigma_weighted", lang)}
    sigmas = pd.concat([sigma.assign(measure="unweighted"), sigma_weighted.assign(measure="weighted")])
    sigmas = sigmas.assign(measure_label=sigmas["measure"].map(measures), sigma=sigmas["sigma"].round(4))
    pick = alt.param(name="sigma_pick", value="unweighted", bind=alt.binding_radio(
        options=list(measures), labels=list(measures.values()), name=t("est.sigma_pick", lang)))
    years = alt.X("year:Q", title=t("year", lang), axis=alt.Axis(format="d"), scale=alt.Scale(domain=[1978, 2020]))
    marks = alt.Chart(milestones[milestones["year"].between(1978, 2020)]).mark_rule(strokeDash=[3, 3], color="#888").encode(
        x=alt.X("year:Q", scale=alt.Scale(domain=[1978, 2020])), tooltip=[alt.Tooltip("year:Q", format="d"), "label:N"])
    line = alt.Chart(sigmas).transform_filter(alt.datum.measure == pick).mark_line(strokeWidth=2.5, color="#3182bd").encode(
        x=years, y=alt.Y("sigma:Q", title=t("est.sigma", lang), scale=alt.Scale(zero=False)),
        tooltip=[alt.Tooltip("year:Q", format="d"), alt.Tooltip("sigma:Q", format=".3f", title=t("est.sigma", lang))])
    top = alt.layer(marks, line).properties(width=WIDTH, height=200, title=t("est.sigma_title", lang))
    parts = {"between": t("est.between", lang), "within": t("est.within", lang)}
    long = theil.melt(id_vars="year", value_vars=list(parts), var_name="part", value_name="theil")
    long = long.assign(part_label=long["part"].map(parts), theil=long["theil"].round(4))
    area = alt.Chart(long).mark_area(opacity=0.85).encode(
        x=years, y=alt.Y("theil:Q", stack=True, title=t("est.theil", lang)),
        color=alt.Color("part_label:N", title=None, scale=alt.Scale(domain=list(parts.values()), range=["#e6550d", "#fdae6b"]),
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("year:Q", format="d"), alt.Tooltip("part_label:N"), alt.Tooltip("theil:Q", format=".4f")])
    bottom = alt.layer(area, marks).properties(width=WIDTH, height=180, title=t("est.theil_title", lang))
    return alt.vconcat(top, bottom).add_params(pick)


def _case_outcome_controls(lang: str):
    case = alt.param(name="case_pick", value="tibet_1994", bind=alt.binding_select(
        options=["tibet_1994", "xinjiang_2010"], labels=[t("est.case.tibet_1994", lang), t("est.case.xinjiang_2010", lang)],
        name=t("est.case", lang)))
    outcome = alt.param(name="outcome_pick", value="rel_gdp_per_capita", bind=alt.binding_select(
        options=["rel_gdp_per_capita", "log_gdp_per_capita"],
        labels=[t("est.outcome.rel_gdp_per_capita", lang), t("est.outcome.log_gdp_per_capita", lang)],
        name=t("est.outcome", lang)))
    chosen = (alt.datum.case == case) & (alt.datum.outcome == outcome)
    return case, outcome, chosen


def synth_gap_chart(paths: pd.DataFrame, summary: pd.DataFrame, lang: str = "zh") -> alt.LayerChart:
    """Gap between each case and its synthetic control, with in-space placebos in grey."""
    case, outcome, chosen = _case_outcome_controls(lang)
    shown = paths[paths["shown"]].assign(gap=paths["gap"].round(4))
    lines = alt.Chart(shown).transform_filter(chosen).mark_line().encode(
        x=alt.X("year:Q", title=t("year", lang), axis=alt.Axis(format="d")),
        y=alt.Y("gap:Q", title=t("est.gap", lang)),
        detail="code:N",
        color=alt.condition(alt.datum.treated, alt.value(TREATED_COLOUR), alt.value(PLACEBO_COLOUR)),
        strokeWidth=alt.condition(alt.datum.treated, alt.value(3), alt.value(1)),
        tooltip=[alt.Tooltip("code:N"), alt.Tooltip("year:Q", format="d"), alt.Tooltip("gap:Q", format=".3f")])
    facts = summary.assign(text=summary.apply(lambda r: t("est.summary_line", lang).format(
        att=r["att"], pre=r["pre_rmspe"], p=r["p_value"], n=r["n_donors"]), axis=1))
    start = alt.Chart(facts).transform_filter(chosen).mark_rule(color=NEUTRAL, strokeDash=[4, 4]).encode(x="treatment_year:Q")
    zero = alt.Chart().mark_rule(color=NEUTRAL).encode(y=alt.datum(0))
    note = alt.Chart(facts).transform_filter(chosen).mark_text(align="left", baseline="top", fontSize=12, dy=-2).encode(
        x=alt.value(4), y=alt.value(4), text="text:N")
    weights = alt.Chart(facts).transform_filter(chosen).mark_text(align="left", baseline="top", fontSize=11).encode(
        x=alt.value(4), y=alt.value(20), text=alt.Text("weights_text:N")).transform_calculate(
        weights_text=f"'{t('est.weights', lang)}' + datum.weights")
    return alt.layer(lines, start, zero, note, weights).add_params(case, outcome).properties(
        width=WIDTH, height=300, title=alt.Title(t("est.gap_title", lang), subtitle=t("est.gap_note", lang)))


def specification_chart(grid: pd.DataFrame, lang: str = "zh") -> alt.LayerChart:
    """Every specification's estimate for the chosen case and outcome, sorted, with the chosen one marked."""
    case, outcome, chosen = _case_outcome_controls(lang)
    first_start = grid.groupby("case")["pre_start"].transform("min")
    data = grid.assign(pre_choice=(grid["pre_start"] != first_start).map({False: "early", True: "late"}),
                       estimate=grid["estimate"].round(4), pre_rmspe=grid["pre_rmspe"].round(4),
                       p_value=grid["p_value"].round(3),
                       estimator_label=grid["estimator"].map({"synth": t("est.synth", lang), "did": t("est.did", lang)}),
                       significant=grid["p_value"].le(0.1).map({True: t("est.p_low", lang), False: t("est.p_high", lang)}))
    pools = ["non_donor", "west", "no_recipients"]
    pool = alt.param(name="pool_pick", value="non_donor", bind=alt.binding_select(
        options=pools, labels=[t(f"est.pool.{p}", lang) for p in pools], name=t("est.pool", lang)))
    pre = alt.param(name="pre_pick", value="early", bind=alt.binding_radio(
        options=["early", "late"], labels=[t("est.pre.early", lang), t("est.pre.late", lang)], name=t("est.pre", lang)))
    window = alt.param(name="window_pick", value=10, bind=alt.binding_radio(options=[5, 10], name=t("est.window", lang)))
    estimator = alt.param(name="estimator_pick", value="synth", bind=alt.binding_radio(
        options=["synth", "did"], labels=[t("est.synth", lang), t("est.did", lang)], name=t("est.estimator", lang)))
    picked = ((alt.datum.donor_pool == pool) & (alt.datum.pre_choice == pre)
              & (alt.datum.post_years == window) & (alt.datum.estimator == estimator))
    base = alt.Chart(data).transform_filter(chosen).transform_window(rank="rank()", sort=[alt.SortField("estimate")])
    points = base.mark_point(filled=True).encode(
        x=alt.X("rank:O", title=t("est.rank", lang), axis=alt.Axis(labels=False, ticks=False)),
        y=alt.Y("estimate:Q", title=t("est.estimate", lang)),
        color=alt.Color("significant:N", title=t("est.p_legend", lang), legend=alt.Legend(orient="bottom"),
                        scale=alt.Scale(domain=[t("est.p_low", lang), t("est.p_high", lang)], range=["#d6616b", "#9e9e9e"])),
        # the symbols' own black vanished in dark mode
        shape=alt.Shape("estimator_label:N", title=bare("est.estimator", lang),
                        legend=alt.Legend(orient="bottom", symbolFillColor=NEUTRAL),
                        scale=alt.Scale(domain=[t("est.synth", lang), t("est.did", lang)], range=["circle", "square"])),
        size=alt.condition(picked, alt.value(260), alt.value(60)),
        stroke=alt.condition(picked, alt.value("black"), alt.value(None)),
        tooltip=[alt.Tooltip("donor_pool:N", title=bare("est.pool", lang)), alt.Tooltip("pre_start:Q", title=bare("est.pre", lang)),
                 alt.Tooltip("post_years:Q", title=bare("est.window", lang)), alt.Tooltip("estimator_label:N", title=bare("est.estimator", lang)),
                 alt.Tooltip("estimate:Q", format=".3f"), alt.Tooltip("pre_rmspe:Q", format=".3f"),
                 alt.Tooltip("p_value:Q", format=".3f"), alt.Tooltip("n_donors:Q")])
    zero = alt.Chart().mark_rule(color=NEUTRAL).encode(y=alt.datum(0))
    readout = base.transform_filter(picked).mark_text(align="left", baseline="top", fontSize=12).encode(
        x=alt.value(4), y=alt.value(4), text="line:N").transform_calculate(
        line=f"'{t('est.chosen', lang)}' + format(datum.estimate, '.3f') + '，{t('est.fit', lang)}' + format(datum.pre_rmspe, '.3f')"
             f" + '，p = ' + format(datum.p_value, '.2f') + '，{t('est.donors_n', lang)}' + datum.n_donors + '{t('est.donors_unit', lang)}'")
    return alt.layer(points, zero, readout).add_params(case, outcome, pool, pre, window, estimator).properties(
        width=WIDTH, height=280, title=alt.Title(t("est.spec_title", lang), subtitle=t("est.spec_note", lang)))


def estimator_comparison_chart(results: pd.DataFrame, outcome: str = "log_gdp_per_capita",
                               lang: str = "zh") -> alt.Chart:
    """Each estimator's estimate (point) against the detectable effect (grey band ±), one row per
    estimator, a dropdown for the case. Reads the precomputed ``ch5_results`` table (analysis 'main')."""
    part = results[(results["analysis"] == "main") & (results["outcome"] == outcome)].copy()
    if part.empty:
        raise ValueError(f"no main results for outcome {outcome}")
    part["estimator_label"] = part["estimator"].map(lambda e: t(f"estimator.{e}", lang))
    part["low"], part["high"] = -part["detectable"], part["detectable"]
    cases = list(pd.unique(part["case"]))
    pick = alt.param(name="case_pick", value=cases[0], bind=alt.binding_select(
        options=cases, labels=[t(f"case.{c}", lang) for c in cases], name=t("est.case", lang)))
    base = alt.Chart(part).transform_filter(alt.datum.case == pick).encode(
        y=alt.Y("estimator_label:N", title=None, sort=[t(f"estimator.{e}", lang) for e in part["estimator"].unique()]))
    band = base.mark_bar(color="#d9d9d9", height=14).encode(x=alt.X("low:Q", title=t("est.estimate", lang)), x2="high:Q")
    dots = base.mark_point(filled=True, size=90, color="#d6616b").encode(
        x="estimate:Q",
        tooltip=[alt.Tooltip("estimator_label:N", title=bare("est.estimator", lang)),
                 alt.Tooltip("estimate:Q", title=t("est.estimate", lang), format=".3f"),
                 alt.Tooltip("pre_rmspe:Q", title=t("est.pre_rmspe", lang), format=".3f"),
                 alt.Tooltip("p_value:Q", title=t("est.p_value", lang), format=".3f"),
                 alt.Tooltip("detectable:Q", title=t("est.detectable", lang), format=".3f")])
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(strokeDash=[4, 3]).encode(x="x:Q")
    return alt.layer(band, zero, dots).add_params(pick).properties(
        width=460, height=alt.Step(26), title=alt.Title(t("est.comparison_title", lang), subtitle=t("est.band", lang)))
