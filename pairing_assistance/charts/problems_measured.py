"""Chapter 6 charts: pair stability at adjustments, donors' tasks against revenue, programme overlap."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..i18n import t
from ..problems_measured import STATUSES, burden_correlation
from .evidence import problems_chart
from .render import attach_table

STATUS_COLOURS = ["#31a354", "#fd8d3c", "#9e9e9e", "#3182bd"]


def stability_chart(long: pd.DataFrame, lang: str = "zh") -> alt.Chart:
    """Bars per adjustment: kept, donor changed, dropped and added pairs as shares of the pairs before."""
    order = [t(f"pb.{s}", lang) for s in STATUSES]
    chart = alt.Chart(long).mark_bar().encode(
        y=alt.Y("case:N", title=None, sort=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X("share:Q", title=t("pb.share", lang), axis=alt.Axis(format="%")),
        color=alt.Color("status_label:N", title=t("pb.status", lang), sort=order,
                        scale=alt.Scale(domain=order, range=STATUS_COLOURS), legend=alt.Legend(orient="bottom")),
        order=alt.Order("status_order:Q"),
        tooltip=[alt.Tooltip("case:N", title=t("db.programme_short", lang)),
                 alt.Tooltip("status_label:N", title=t("pb.status", lang)),
                 alt.Tooltip("pairs:Q", title=t("db.pairs", lang)),
                 alt.Tooltip("share:Q", title=t("pb.share", lang), format=".0%")],
    ).transform_calculate(status_order=f"indexof({order!r}, datum.status_label)").properties(
        width=380, height=alt.Step(22), title=t("pb.stability_title", lang), description=describe_stability(long, lang))
    table = pd.DataFrame({t("db.programme_short", lang): long["name"], t("pb.adjustment", lang): long["adjustment"],
                          t("pb.pairs_before", lang): long["pairs_before"], t("pb.status", lang): long["status_label"],
                          t("db.pairs", lang): long["pairs"], t("pb.share", lang) + "（%）": (100 * long["share"]).round(1)})
    return attach_table(chart, table, t("pb.data_source", lang))


def describe_stability(long: pd.DataFrame, lang: str = "zh") -> str:
    """Range of the share of pairs kept over the adjustments recorded in the database."""
    kept = long[long["status"] == "kept"]["share"]
    return t("pb.stability_description", lang).format(n=len(kept), low=100 * float(kept.min()), high=100 * float(kept.max()),
                                                      whole=int((kept >= 1).sum()))


LABELLED = 6  # donor provinces named in the burden scatter


def burden_overlap_chart(burden: pd.DataFrame, overlap: pd.DataFrame, lang: str = "zh") -> alt.HConcatChart:
    """Left: recipient units per donor province against its 2019 tax revenue; right: programmes per recipient
    province. A radio picks the year (precomputed)."""
    years = sorted(burden["year"].unique().tolist())
    pick = alt.param(name="pb_year", value=years[-1], bind=alt.binding_radio(options=years, name=t("pb.year", lang)))
    scatter = alt.Chart(burden).mark_circle(size=80, color="#d6616b").encode(
        x=alt.X("revenue:Q", title=t("pb.revenue", lang), scale=alt.Scale(type="log")),
        y=alt.Y("recipients:Q", title=t("pb.recipients_n", lang)),
        tooltip=[alt.Tooltip("donor_province_name:N", title=t("pb.donor_province", lang)),
                 alt.Tooltip("recipients:Q", title=t("pb.recipients_n", lang)),
                 alt.Tooltip("programmes:Q", title=t("pb.programmes_n", lang)),
                 alt.Tooltip("revenue:Q", title=t("pb.revenue", lang), format=",.0f")],
    ).transform_filter("datum.year == pb_year")
    # names only for the most burdened donors: all of them piled up at the lower left (the rest are in the
    # tooltips and the data table)
    labels = scatter.transform_window(rank="rank()", sort=[alt.SortField("recipients", order="descending")]).transform_filter(
        f"datum.rank <= {LABELLED}").mark_text(align="left", dx=6, fontSize=10).encode(text="donor_province_name:N")
    left = alt.layer(scatter, labels).properties(width=340, height=260, title=alt.Title(
        t("pb.burden_title", lang), subtitle=t("pb.burden_labels", lang).format(n=LABELLED)))
    right = alt.Chart(overlap).mark_bar(color="#3182bd").encode(
        y=alt.Y("recipient_province_name:N", title=None, sort="-x"),
        x=alt.X("programmes:Q", title=t("pb.programmes_n", lang), axis=alt.Axis(tickMinStep=1, format="d")),
        tooltip=[alt.Tooltip("recipient_province_name:N", title=t("pb.recipient_province", lang)),
                 alt.Tooltip("programmes:Q", title=t("pb.programmes_n", lang)),
                 alt.Tooltip("units:Q", title=t("db.units", lang))],
    ).transform_filter("datum.year == pb_year").properties(width=200, height=alt.Step(14),
                                                            title=t("pb.overlap_title", lang))
    chart = alt.hconcat(left, right).add_params(pick).properties(description=describe_burden(burden, overlap, lang))
    table = pd.concat([
        pd.DataFrame({t("year", lang): burden["year"], t("pb.side", lang): t("pb.donor_province", lang),
                      t("region", lang): burden["donor_province_name"], t("pb.recipients_n", lang): burden["recipients"],
                      t("pb.programmes_n", lang): burden["programmes"], t("pb.revenue", lang): burden["revenue"].round(1)}),
        pd.DataFrame({t("year", lang): overlap["year"], t("pb.side", lang): t("pb.recipient_province", lang),
                      t("region", lang): overlap["recipient_province_name"], t("db.units", lang): overlap["units"],
                      t("pb.programmes_n", lang): overlap["programmes"]}),
    ], ignore_index=True)
    return attach_table(chart, table, t("pb.source_fiscal", lang))


def describe_burden(burden: pd.DataFrame, overlap: pd.DataFrame, lang: str = "zh") -> str:
    """The latest year (the radio's starting value): donors, the rank correlation, recipients in several programmes."""
    year = int(burden["year"].max())
    latest, reached = burden[burden["year"] == year], overlap[overlap["year"] == year]
    return t("pb.burden_description", lang).format(
        year=year, donors=len(latest), rho=burden_correlation(latest), most=int(latest["recipients"].max()),
        least=int(latest["recipients"].min()), several=int((reached["programmes"] >= 2).sum()), recipients=len(reached))


def problems_figure(problems: pd.DataFrame, studies: pd.DataFrame, lang: str = "zh") -> alt.Chart:
    """Figure 6-1: ``evidence.problems_chart`` with its description computed from ``problems``."""
    return problems_chart(problems, studies, lang).properties(description=describe_problems(problems, lang))


def describe_problems(problems: pd.DataFrame, lang: str = "zh") -> str:
    """How many problems per dimension and which direction for upgrading answers most of them."""
    per_dimension = problems["dimension"].value_counts()
    per_remedy = problems["remedy"].value_counts()
    dimensions = "、".join(f"{t(f'dimension.{d}', lang)}{n}个" for d, n in per_dimension.items())
    return t("pb.problems_description", lang).format(
        n=len(problems), dimensions=dimensions, remedy=t(f"remedy.{per_remedy.idxmax()}", lang), most=int(per_remedy.max()))
