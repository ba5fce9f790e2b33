"""The pairing design lab on the website: a precomputed grid of rule results filtered by controls in the browser.

Provinces travel as integer indices (names are mapped in ``labelExpr``) to keep the page light.
"""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

from ..design_lab import CRITERIA, Case
from ..i18n import t
from .render import attach_table, template_expr, text_lines

METRICS = ("overlap", "distance", "gini")
METRIC_KEYS = {"overlap": "lab.overlap", "distance": "lab.distance", "gini": "lab.equity"}
_FORMAT = {"overlap": lambda v: f"{100 * v:.0f}%", "distance": lambda v: f"{v:,.0f}", "gini": lambda v: f"{v:.3f}"}


def _codes(cases: tuple[Case, ...]) -> list[str]:
    return sorted({c for case in cases for c in case.donors + case.recipients})


def lab_data(cases: tuple[Case, ...], pairs: pd.DataFrame, measures: pd.DataFrame, lang: str = "zh"):
    """Compact tables for the chart: pairs (c, k, w, j, i), metric strings and the messages."""
    codes = _codes(cases)
    index = {c: n for n, c in enumerate(codes)}
    names = {**{c: n for case in cases for c, n in case.names.items()}}
    # one row per solution: recipients and donors as comma-separated indices, expanded in the browser
    indexed = pairs.assign(j=pairs["recipient"].map(index).astype(str), i=pairs["donor"].map(index).astype(str))
    compact = indexed.groupby(["case", "cap", "w"], sort=False).agg(r=("j", ",".join), d=("i", ",".join)).reset_index()
    compact = compact.rename(columns={"case": "c", "cap": "k"})
    ok = measures[measures["message"] == ""]
    metrics = pd.DataFrame({"c": ok["case"], "k": ok["cap"], "w": ok["w"],
                            **{m: [_FORMAT[m](v) for v in ok[m]] for m in METRICS}})
    few = measures[measures["message"].str.startswith(t("lab.too_few", lang)[:4])]
    few = few.drop_duplicates(["case", "cap"])
    messages = pd.concat([pd.DataFrame({"c": [-1], "k": [-1], "kind": ["zero"], "text": [t("lab.zero", lang)]}),
                          pd.DataFrame({"c": few["case"], "k": few["cap"], "kind": "few", "text": few["message"]})],
                         ignore_index=True)
    return compact, metrics, messages, [names[c] for c in codes]


def design_lab_chart(cases: tuple[Case, ...], labels: list[str], pairs: pd.DataFrame, measures: pd.DataFrame,
                     lang: str = "zh") -> alt.VConcatChart:
    """Matrix of recipients (rows) by donors (columns): circles = the rule's pairs, squares = the actual pairs;
    beside it overlap, mean distance and burden Gini of both. Controls: case, five weights (0–2), cap (1–3)."""
    compact, metrics, messages, names = lab_data(cases, pairs, measures, lang)
    name_expr = "[" + ",".join(json.dumps(n, ensure_ascii=False) for n in names) + "][datum.value]"
    case = alt.param(name="case_pick", value=0, bind=alt.binding_select(
        options=list(range(len(cases))), labels=labels, name=t("lab.case", lang)))
    cap = alt.param(name="cap_pick", value=2, bind=alt.binding_radio(options=[1, 2, 3], name=t("lab.capacity", lang)))
    weights = [alt.param(name=f"w_{c}", value=1 if c in ("need", "distance") else 0,
                         bind=alt.binding_range(min=0, max=2, step=1, name=t(f"lab.w.{c}", lang))) for c in CRITERIA]
    wkey = " + ".join(f"w_{c} * {3 ** (len(CRITERIA) - 1 - n)}" for n, c in enumerate(CRITERIA))
    # inline values: the grid is larger than Altair's default row limit, and small once integer-coded
    base = alt.Chart(compact).encode(
        x=alt.X("i:O", title=t("ins.donor", lang), axis=alt.Axis(labelExpr=name_expr, labelAngle=-40)),
        y=alt.Y("j:O", title=t("ins.recipient", lang), axis=alt.Axis(labelExpr=name_expr)))
    def expand(chart):
        return chart.transform_calculate(rs="split(datum.r, ',')", ds="split(datum.d, ',')").transform_flatten(
            ["rs", "ds"], as_=["rj", "di"]).transform_calculate(j="toNumber(datum.rj)", i="toNumber(datum.di)")

    actual = expand(base.mark_square(size=360, filled=False, strokeWidth=2, color="#3182bd").transform_filter(
        "datum.w == -1 && datum.c == case_pick"))
    proposed = expand(base.mark_circle(size=130, color="#d6616b", opacity=0.9).transform_filter(
        f"datum.w == ({wkey}) && datum.k == cap_pick && datum.c == case_pick"))
    matrix = alt.layer(actual, proposed).properties(width=alt.Step(34), height=alt.Step(24),
                                                    title=t("lab.title", lang))
    kinds = [t("lab.proposed", lang), t("lab.actual", lang)]
    metric_names = "{" + ",".join(f"{m!r}: {json.dumps(t(METRIC_KEYS[m], lang), ensure_ascii=False)}"
                                  for m in METRICS) + "}[datum.value]"
    table = alt.Chart(metrics).transform_filter(
        f"datum.c == case_pick && ((datum.w == -1) || (datum.w == ({wkey}) && datum.k == cap_pick))"
    ).transform_fold(list(METRICS), as_=["m", "s"]).transform_calculate(
        kind=f"datum.w == -1 ? '{kinds[1]}' : '{kinds[0]}'").mark_text(fontSize=13).encode(
        y=alt.Y("m:N", title=None, sort=list(METRICS), axis=alt.Axis(labelExpr=metric_names, labelLimit=240)),
        x=alt.X("kind:N", title=None, sort=kinds, axis=alt.Axis(orient="top", labelAngle=0)),
        text="s:N", color=alt.Color("kind:N", scale=alt.Scale(domain=kinds, range=["#d6616b", "#3182bd"]),
                                    legend=None),
    ).properties(width=200, height=90, title=t("lab.metric", lang))
    message = alt.Chart(messages).transform_filter(
        f"(datum.kind == 'zero' && ({wkey}) == 0) || (datum.kind == 'few' && datum.c == case_pick && datum.k == cap_pick)"
    ).mark_text(**text_lines("#b30000", font_size=14, line_break="：")).encode(text="text:N").properties(width=420, height=2 * 18)
    # the setting in words: every control visibly changes the page even where the optimum stays the same. Three
    # short lines (as one line it ran to 1,100 px and shrank the whole lab to two thirds on the page).
    parts = [f"{json.dumps(t(f'lab.w.{c}', lang).split('：')[-1] + '×', ensure_ascii=False)} + w_{c}"
             for c in CRITERIA]
    half = (len(parts) + 1) // 2
    setting = alt.Chart(pd.DataFrame({"k": [0]})).transform_calculate(
        text=f"{json.dumps(t('lab.setting', lang), ensure_ascii=False)} + "
             f"{template_expr(t('lab.setting_cap', lang), k='cap_pick')} + '\\n' + "
             + " + '，' + ".join(parts[:half]) + " + '\\n' + " + " + '，' + ".join(parts[half:])
    ).mark_text(**text_lines()).encode(text="text:N").properties(width=420, height=3 * 17)
    # one column: side by side the lab was about 900 px wide and shrank to a third on a phone
    chart = alt.vconcat(setting, message, matrix, table).add_params(case, cap, *weights).properties(
        description=describe_lab(labels, measures, lang))
    return attach_table(chart, lab_table(labels, measures, lang), t("lab.source", lang), t("lab.table_note", lang))


def _weights_of(w: int) -> list[int]:
    """The five weights (0–2) packed in ``w`` as base-3 digits, first criterion first."""
    return [(w // 3 ** (len(CRITERIA) - 1 - n)) % 3 for n in range(len(CRITERIA))]


def lab_table(labels: list[str], measures: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Every precomputed rule result (and each case's actual pairs) with readable weights and measures."""
    rows = measures.sort_values(["case", "w", "cap"])
    actual = rows["w"] < 0
    weights = pd.DataFrame([_weights_of(int(w)) if w >= 0 else [None] * len(CRITERIA) for w in rows["w"]],
                           columns=[t(f"lab.w.{c}", lang) for c in CRITERIA], index=rows.index).astype("Int64")
    table = pd.DataFrame({t("lab.case", lang).rstrip("：: "): rows["case"].map(dict(enumerate(labels))),
                          t("lab.kind", lang): actual.map({True: t("lab.actual", lang), False: t("lab.proposed", lang)}),
                          t("lab.capacity", lang): rows["cap"].where(~actual).astype("Int64")})
    measured = pd.DataFrame({t(METRIC_KEYS["overlap"], lang): rows["overlap"].round(3),
                             t(METRIC_KEYS["distance"], lang): rows["distance"].round(0),
                             t(METRIC_KEYS["gini"], lang): rows["gini"].round(3),
                             t("note", lang): rows["message"].fillna("")})
    return pd.concat([table, weights, measured], axis=1)


def describe_lab(labels: list[str], measures: pd.DataFrame, lang: str = "zh") -> str:
    """The starting setting (first case, need and distance weighted 1, at most 2 recipients per donor) against
    the actual pairs of that case."""
    start = sum(3 ** (len(CRITERIA) - 1 - n) for n, c in enumerate(CRITERIA) if c in ("need", "distance"))
    case = measures[measures["case"] == 0]
    rule = case[(case["w"] == start) & (case["cap"] == 2)].iloc[0]
    actual = case[case["w"] < 0].iloc[0]
    return t("lab.description", lang).format(
        cases=len(labels), case=labels[0], overlap=100 * rule["overlap"], distance=rule["distance"],
        actual_distance=actual["distance"], gini=rule["gini"], actual_gini=actual["gini"])
