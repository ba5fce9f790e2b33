"""ipywidgets explorers for instructors (they need a live Jupyter kernel).

On the website these cells show nothing; the charts' own controls work there.
"""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd
from IPython.display import display

from .data import STAGE_YEARS
from .i18n import bare, t
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


def _sliders(specs: dict) -> dict:
    return {name: widgets.FloatSlider(value=v, min=lo, max=hi, step=step, description=label,
                                      style={"description_width": "initial"}, continuous_update=False)
            for name, (label, v, lo, hi, step) in specs.items()}


def equalisation_explorer(regions, west_need: float = 1.0) -> widgets.VBox:
    """Any transfer rate and costs (the website offers a grid), plus a spending-need index for western regions.

    ``regions`` is an ``equalisation.Regions``; the need slider applies to regions whose name is in
    ``WESTERN`` below when the regions are provinces.
    """
    from .charts import equalisation_run_chart
    from .models import equalisation

    controls = _sliders({
        "rate": ("转移力度", 0.3, 0.0, 1.0, 0.01), "cost_vertical": ("纵向效率损失", 0.2, 0.0, 1.0, 0.01),
        "cost_horizontal": ("横向协调损失", 0.1, 0.0, 1.0, 0.01), "west_need": ("西部支出需要指数", west_need, 0.5, 2.0, 0.05)})
    output = widgets.Output()

    def refresh(_=None):
        need = tuple(controls["west_need"].value if name in WESTERN else 1.0 for name in regions.names)
        chosen = equalisation.Regions(regions.names, regions.population, regions.capacity, need)
        result = equalisation.simulate(controls["rate"].value, controls["cost_vertical"].value,
                                       controls["cost_horizontal"].value, chosen)
        output.clear_output()
        with output:
            display(equalisation.summarise(result).round(3))
            cost = equalisation.break_even_cost(controls["rate"].value, controls["cost_vertical"].value, chosen)
            print("横向规则不再占优的协调损失：", "任意水平都占优" if cost is None else f"{cost:.3f}")
            display(equalisation_run_chart(result))

    for control in controls.values():
        control.observe(refresh, names="value")
    refresh()
    return widgets.VBox([widgets.HBox(list(controls.values())[:2]), widgets.HBox(list(controls.values())[2:]), output])


WESTERN = {"内蒙古自治区", "广西壮族自治区", "重庆市", "四川省", "贵州省", "云南省", "西藏自治区", "陕西省", "甘肃省",
           "青海省", "宁夏回族自治区", "新疆维吾尔自治区"}


def growth_explorer() -> widgets.VBox:
    """Any support mix and model parameters (the website offers a grid), with the convergence half-life."""
    from dataclasses import replace

    from .charts import growth_run_chart
    from .models import growth

    controls = _sliders({
        "transfer": ("资本转移", 0.10, 0.0, 0.5, 0.01), "gain": ("生产率提升", 0.20, 0.0, 1.0, 0.01),
        "years": ("支援年数", 10, 0, 60, 1), "persistence": ("保留比例", 0.5, 0.0, 1.0, 0.05),
        "alpha": ("资本份额 α", 0.4, 0.2, 0.7, 0.01), "delta": ("折旧率 δ", 0.08, 0.02, 0.15, 0.01)})
    output = widgets.Output()

    def refresh(_=None):
        p = replace(growth.DEFAULT, persistence=controls["persistence"].value, alpha=controls["alpha"].value,
                    delta=controls["delta"].value)
        output.clear_output()
        try:
            run = growth.simulate(controls["transfer"].value, controls["gain"].value, int(controls["years"].value), 60, p)
        except growth.DonorExhausted as exhausted:
            with output:
                print(f"这样的资本转移会在第 {exhausted.year} 年耗尽支援方的资本，模型在此之后没有意义："
                      "请调低资本转移或缩短支援年数。")
            return
        with output:
            print(f"半衰期 {growth.convergence_half_life(p):.1f} 年；第60年受援方人均产出 {run['recipient'].iloc[-1]:.3f}")
            display(growth_run_chart(run))

    for control in controls.values():
        control.observe(refresh, names="value")
    refresh()
    items = list(controls.values())
    return widgets.VBox([widgets.HBox(items[:3]), widgets.HBox(items[3:]), output])


def specification_explorer(panel: pd.DataFrame, pairings: pd.DataFrame, regions: pd.DataFrame) -> widgets.VBox:
    """Re-run any specification, including ones outside the website's grid (any pre-period start and
    post window, any donor pool, either estimator), with its placebo test."""
    from .estimate import did, specs, synth

    cases = {c.name: c for c in specs.CASES}
    # labels from the translation table, as on the website's spec-curve chart
    case = widgets.Dropdown(options=[(t(f"est.case.{c}"), c) for c in cases], description=bare("est.case"))
    outcome = widgets.Dropdown(options=[(t(f"est.outcome.{o}"), o) for o in specs.OUTCOMES],
                               description=bare("est.outcome"))
    pool = widgets.Dropdown(options=[(t(f"est.pool.{p}"), p) for p in specs.DONOR_POOLS], description=bare("est.pool"))
    estimator = widgets.Dropdown(options=[(t("est.synth"), "synth"), (t("est.did"), "did")],
                                 description=bare("est.estimator"))
    pre_start = widgets.IntSlider(value=1978, min=1978, max=2005, description=bare("est.pre"))
    post_years = widgets.IntSlider(value=10, min=1, max=15, description=bare("est.window"))
    output = widgets.Output()

    def refresh(_=None):
        chosen = cases[case.value]
        donors = specs.donor_pools(chosen, pairings, regions, panel["code"].unique())[pool.value]
        post_end = min(chosen.treatment_year + post_years.value - 1, int(panel["year"].max()))
        output.clear_output()
        with output:
            if pre_start.value >= chosen.treatment_year - 2:
                print("事前期太短：请把起点设在处理年份之前至少三年。")
                return
            method = synth if estimator.value == "synth" else did
            test = method.placebos(panel, chosen.treated, chosen.treatment_year, outcome.value, donors,
                                   pre_start.value, post_end)
            print(f"{len(donors)} 个对照省；窗口 {pre_start.value}–{post_end}；安慰剂 p = {test.p_value:.3f}")
            display(test.table.round(4))

    for control in (case, outcome, pool, estimator, pre_start, post_years):
        control.observe(refresh, names="value")
    refresh()
    return widgets.VBox([widgets.HBox([case, outcome, pool]), widgets.HBox([estimator, pre_start, post_years]), output])
