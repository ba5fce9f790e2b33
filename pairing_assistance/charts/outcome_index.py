"""Section 5.3 charts: recipients against the other provinces over time, and the outcome index builder.

The index builder runs in the browser: the standardised scores (``outcome_index.standardise``) travel
with the chart, checkboxes and sliders are Altair parameters, and Vega expressions weight, sum, rescale
and rank them — the same arithmetic as ``outcome_index.build_index`` (a test compares the two). Bad
input shows a Chinese message in the chart instead of an empty or NaN line.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from ..i18n import t
from ..outcome_index import DEFAULT_WEIGHTS, INDICATORS, build_index, rank_move
from .render import template_expr, text_lines

RECIPIENT_COLOURS = ["#d6616b", "#3182bd", "#e6a000", "#31a354"]
UNITS = {"education_pc": "元/人", "science_pc": "元/人", "agriculture_pc": "元/人", "expenditure_pc": "元/人",
         "urbanisation": "%", "professionals_per_10k": "人/万人"}


def _names(codes: Sequence[str], names: Mapping[str, str]) -> str:
    return "[" + ",".join(json.dumps(names[c], ensure_ascii=False) for c in codes) + "]"


def paths_chart(paths: pd.DataFrame, names: Mapping[str, str], lang: str = "zh") -> alt.LayerChart:
    """Each recipient's value (coloured lines) against the other provinces' median (grey line) and
    interquartile range (band), for the indicator picked in a dropdown. ``paths``: ``group_paths``."""
    indicators = [i for i in INDICATORS if i in set(paths["indicator"])]
    labels = [f"{t(f'oi.ind.{i}', lang)}（{UNITS[i]}）" for i in indicators]
    pick = alt.param(name="oi_indicator", value=indicators[0], bind=alt.binding_select(
        options=indicators, labels=labels, name=t("oi.indicator", lang) + " "))
    recipients = sorted(c for c in paths["series"].unique() if c != "others")
    others_label = t("oi.others", lang)
    series_labels = {**{c: names[c] for c in recipients}, "others": others_label}
    data = paths.assign(name=paths["series"].map(series_labels), value=paths["value"].round(3),
                        q25=paths["q25"].round(3), q75=paths["q75"].round(3))
    domain = [names[c] for c in recipients] + [others_label]
    colour = alt.Color("name:N", title=t("oi.series", lang), scale=alt.Scale(
        domain=domain, range=RECIPIENT_COLOURS[:len(recipients)] + ["#636363"]))
    base = alt.Chart(data).transform_filter("datum.indicator == oi_indicator")
    # every other year where the column is narrow (a phone): the labels would run together
    x = alt.X("year:O", title=t("oi.year", lang), axis=alt.Axis(labelAngle=0, labelOverlap="greedy"))
    band = base.transform_filter("datum.series == 'others'").mark_area(color="#bdbdbd", opacity=0.45).encode(
        x=x, y="q25:Q", y2="q75:Q", tooltip=[alt.Tooltip("year:O", title=t("oi.year", lang)),
                                             alt.Tooltip("q25:Q", title="25%", format=",.2f"),
                                             alt.Tooltip("q75:Q", title="75%", format=",.2f")])
    lines = base.mark_line(point=True, strokeWidth=2).encode(
        x=x, y=alt.Y("value:Q", title=t("oi.value", lang)), color=colour,
        strokeDash=alt.condition("datum.series == 'others'", alt.value([5, 3]), alt.value([1, 0])),
        tooltip=[alt.Tooltip("name:N", title=t("oi.series", lang)), alt.Tooltip("year:O", title=t("oi.year", lang)),
                 alt.Tooltip("value:Q", title=t("oi.value", lang), format=",.2f")])
    first = indicators[0]
    last_year = int(data[data["indicator"] == first]["year"].max())
    latest = data[(data["indicator"] == first) & (data["year"] == last_year)].set_index("series")["value"]
    description = (f"图中比较受援省与其他省份的公共服务与财政指标，可用下拉菜单切换指标。初始显示{t(f'oi.ind.{first}', lang)}"
                   f"（{UNITS[first]}）：{last_year}年" + "，".join(f"{names[c]}为{latest[c]:,.0f}" for c in recipients)
                   + f"，其他省份中位数为{latest['others']:,.0f}。")
    return alt.layer(band, lines).add_params(pick).properties(width=560, height=300, title=t("oi.title.paths", lang),
                                                             description=description)


def _coverage(scores: pd.DataFrame) -> pd.DataFrame:
    """Indicator-years where some province lacks a score: (i, y, n) with n the number of provinces missing."""
    provinces = scores["code"].nunique()
    rows = []
    for n, indicator in enumerate(INDICATORS):
        for year in sorted(scores["year"].unique()):
            have = scores[(scores["indicator"] == indicator) & (scores["year"] == year)]["score"].notna().sum()
            if have < provinces:
                rows.append({"i": n, "y": int(year), "n": int(provinces - have)})
    return pd.DataFrame(rows, columns=["i", "y", "n"])


def index_builder_chart(scores: pd.DataFrame, recipients: Sequence[str],
                        weights: Mapping[str, float] = DEFAULT_WEIGHTS, lang: str = "zh") -> alt.VConcatChart:
    """Rank of every province on the reader's index, by year; recipients coloured and labelled.

    Controls: per indicator a checkbox (纳入) and a weight slider (0–3). ``scores``: ``standardise``
    output. The browser rescales the chosen weights to sum to one (shown above the chart), drops a
    province-year that lacks a chosen indicator and says which years are affected, and says so when
    every weight is zero.
    """
    codes = sorted(scores["code"].unique())
    names = scores.drop_duplicates("code").set_index("code")["province"]
    ind = list(INDICATORS)
    compact = pd.DataFrame({"c": scores["code"].map({c: n for n, c in enumerate(codes)}), "y": scores["year"],
                            "i": scores["indicator"].map({k: n for n, k in enumerate(ind)}),
                            "z": scores["score"].round(4)}).dropna(subset=["z"])
    use = {k: alt.param(name=f"oi_use_{n}", value=bool(weights.get(k, 0) > 0),
                        bind=alt.binding_checkbox(name=f"{t('oi.use', lang)} {t(f'oi.ind.{k}', lang)} "))
           for n, k in enumerate(ind)}
    wgt = {k: alt.param(name=f"oi_w_{n}", value=float(weights.get(k, 0)) or 1.0,
                        bind=alt.binding_range(min=0, max=3, step=0.5, name=f"{t('oi.weight', lang)} "))
           for n, k in enumerate(ind)}
    chosen = {n: f"(oi_use_{n} ? oi_w_{n} : 0)" for n in range(len(ind))}
    total = "(" + " + ".join(chosen.values()) + ")"
    weight_of = "".join(f"datum.i == {n} ? {chosen[n]} : " for n in range(len(ind))) + "0"
    recipient_idx = [codes.index(c) for c in recipients]
    is_recipient = "indexof([" + ",".join(map(str, recipient_idx)) + "], datum.c) >= 0"
    name_expr = _names(codes, names)

    ranked = alt.Chart(compact).transform_calculate(w=weight_of).transform_calculate(
        wz="datum.w * datum.z").transform_aggregate(
        sw="sum(w)", swz="sum(wz)", groupby=["c", "y"]).transform_filter(
        f"{total} > 0 && abs(datum.sw - {total}) < 1e-9").transform_calculate(
        index=f"datum.swz / {total}", name=f"{name_expr}[datum.c]",
        group=f"{is_recipient} ? {json.dumps(t('oi.recipient', lang), ensure_ascii=False)} : "
              f"{json.dumps(t('oi.other', lang), ensure_ascii=False)}").transform_window(
        rank="rank()", sort=[alt.SortField("index", order="descending")], groupby=["y"])
    x = alt.X("y:O", title=t("oi.year", lang), axis=alt.Axis(labelAngle=0, labelOverlap="greedy"))  # every other year on a phone
    y = alt.Y("rank:Q", title=t("oi.rank", lang), scale=alt.Scale(reverse=True, domain=[1, len(codes)], nice=False))
    tooltip = [alt.Tooltip("name:N", title=t("oi.province", lang)), alt.Tooltip("y:O", title=t("oi.year", lang)),
               alt.Tooltip("index:Q", title=t("oi.index", lang), format=".3f"),
               alt.Tooltip("rank:Q", title=t("oi.rank", lang))]
    others = ranked.transform_filter(f"!({is_recipient})").mark_line(color="#bdbdbd", strokeWidth=1, opacity=0.7,
                                                                       point=alt.OverlayMarkDef(size=12, color="#bdbdbd")
                                                                       ).encode(x=x, y=y, detail="c:N", tooltip=tooltip)
    colour = alt.Color("name:N", title=t("oi.recipient", lang), scale=alt.Scale(
        domain=[names[c] for c in recipients], range=RECIPIENT_COLOURS[:len(recipients)]))
    own = ranked.transform_filter(is_recipient).mark_line(strokeWidth=3, point=True).encode(
        x=x, y=y, color=colour, tooltip=tooltip)
    lines = alt.layer(others, own).properties(width=560, height=360, title=t("oi.title.ranks", lang))

    labels = [json.dumps(t(f"oi.ind.{k}", lang), ensure_ascii=False) for k in ind]
    # One line per indicator (a single line ran to 1,200 px and shrank the whole chart on the page). An unticked
    # indicator's slider still says what it is set to, so no control looks live while doing nothing, also when
    # nothing is ticked.
    unused_text = t("oi.unused", lang).rstrip("；; ")
    # '.1~f' writes 1 and 0.5 as the slider beside it does (it wrote 1.0)
    weight_shown = [template_expr(unused_text, w=f"format(oi_w_{n}, '.1~f')") for n in range(len(ind))]
    unused = [f"(!oi_use_{n} ? {labels[n]} + {weight_shown[n]} + '\\n' : '')" for n in range(len(ind))]
    shares = " + ".join(f"({chosen[n]} > 0 ? {labels[n]} + ' ' + format({chosen[n]} / {total}, '.2f') + '\\n' : "
                        f"{unused[n]})" for n in range(len(ind)))
    one_row = pd.DataFrame({"k": [0]})
    lines_high = len(ind) + 1
    shares_text = alt.Chart(one_row).transform_filter(f"{total} > 0").transform_calculate(
        text=f"{json.dumps(t('oi.shares', lang), ensure_ascii=False)} + '\\n' + {shares}").mark_text(**text_lines()).encode(text="text:N")
    zero_text = alt.Chart(one_row).transform_filter(f"{total} <= 0").transform_calculate(
        text=f"{json.dumps(t('oi.zero', lang), ensure_ascii=False)} + '\\n' + {' + '.join(unused)}").mark_text(**text_lines("#b30000")).encode(text="text:N")
    status = alt.layer(shares_text, zero_text).properties(width=560, height=17 * lines_high)
    coverage = _coverage(scores)
    missing = alt.Chart(coverage if not coverage.empty else pd.DataFrame({"i": [-1], "y": [0], "n": [0]})
                        ).transform_calculate(w=weight_of).transform_filter("datum.w > 0 && datum.n > 0").transform_aggregate(
        first="min(y)", last="max(y)", n="max(n)", groupby=["i"]).transform_calculate(
        text=json.dumps(t("oi.missing", lang), ensure_ascii=False) + f" + '\\n' + [{','.join(labels)}][datum.i] + '（' + "
             "datum.first + (datum.last > datum.first ? '—' + datum.last : '') + '年，' + datum.n + '个省份）'"
    ).mark_text(**text_lines("#b30000")).encode(text="text:N").properties(width=560, height=2 * 17)  # two lines: one ran off the chart
    default = build_index(scores, {k: w for k, w in weights.items() if w > 0})
    first, last = int(default["year"].min()), int(default["year"].max())
    rank = default.set_index(["code", "year"])["rank"]
    description = (f"图中是{len(codes)}个省级行政区按综合指数的排名（{first}—{last}年，1为最高），可勾选指标、拖动权重。"
                   "初始权重下，" + "，".join(names[c] + rank_move(rank[(c, first)], rank[(c, last)], first, last)
                                           for c in recipients) + "。")
    chart = alt.vconcat(status, missing, lines).resolve_scale(color="independent").properties(description=description)
    return chart.add_params(*[p for k in ind for p in (use[k], wgt[k])])
