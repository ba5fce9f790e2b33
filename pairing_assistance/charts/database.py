"""Charts of the pairing database (chapter 3): map and donor→recipient view, searchable table, mechanism."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..i18n import t
from ..pairings import OPEN_END, active_in, with_provinces
from . import china_map
from .render import STAGE_COLOURS, attach_table, code_labels_expr, template_expr

ROLE_COLOURS = {"donor": "#3182bd", "recipient": "#e6550d", "both": "#756bb1"}
CONFIDENCE_COLOURS = ["#31a354", "#fdae6b", "#d6616b"]
# one-way / two-way programmes: colours the stage panel beside them does not use (it has blue and green)
DIRECTION_COLOURS = ["#756bb1", "#17a2b8"]
LINK_BLUE = "#2f6fdf"  # a link colour that reads on the light and the dark page (#1a0dab vanished in dark mode)
MAP_WIDTH = 560
FLOW_HEIGHT = 520
FLOW_GROUP_ABOVE = 40  # programmes with more recipients than this are drawn by prefecture in the flow view
TABLE_ROWS = 40
FIRST_YEAR, LAST_YEAR = 1992, 2025


def _programme_labels(programmes: pd.DataFrame, lang: str) -> tuple[list[str], list[str]]:
    ordered = programmes.sort_values(["start_year", "programme_id"])
    names = ordered["name_zh"] if lang == "zh" else ordered["name_en"]
    labels = [f"{name}（{year}）" for name, year in zip(names, ordered["start_year"])]
    return ordered["programme_id"].tolist(), labels


def _controls(programmes: pd.DataFrame, lang: str, programme: str, year: int):
    ids, labels = _programme_labels(programmes, lang)
    pick = alt.param(name="programme_pick", value=programme,
                     bind=alt.binding_select(options=ids, labels=labels, name=t("db.programme", lang)))
    when = alt.param(name="year_pick", value=year,
                     bind=alt.binding_range(min=FIRST_YEAR, max=LAST_YEAR, step=1, name=t("db.year", lang)))
    return pick, when


def _active(pick, when):
    return (alt.datum.programme_id == pick) & (alt.datum.valid_from <= when) & (alt.datum.valid_to >= when)


def _province_roles(table: pd.DataFrame) -> pd.DataFrame:
    """One row per programme × province × role × validity window, for the map."""
    rows = []
    for side in ("donor", "recipient"):
        part = table.dropna(subset=[f"{side}_province"])
        rows.append(pd.DataFrame({
            "programme_id": part["programme_id"], "code": part[f"{side}_province"].astype(str),
            "is_donor": int(side == "donor"), "is_recipient": int(side == "recipient"),
            "valid_from": part["valid_from"].astype(int), "valid_to": part["valid_to"].fillna(OPEN_END).astype(int),
        }))
    roles = pd.concat(rows, ignore_index=True)
    return roles.groupby(list(roles.columns), as_index=False).size().rename(columns={"size": "pairs"})


def _flow_rows(table: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """Donor and recipient positions (0–1) per programme for the donor→recipient view."""
    parent_name = dict(zip(regions["code"], regions["parent_code"].map(dict(zip(regions["code"], regions["name_zh"])))))
    frames = []
    for _, part in table.groupby("programme_id", sort=False):
        part = part.copy()
        many = part["recipient_name"].nunique() > FLOW_GROUP_ABOVE
        county = part["recipient_level"].eq("county")
        part["recipient_shown"] = part["recipient_name"]
        if many:
            part.loc[county, "recipient_shown"] = part.loc[county, "recipient_code"].map(parent_name).fillna(part["recipient_name"])
        donors = list(dict.fromkeys(part.sort_values("pairing_id")["donor_name"]))
        recipients = list(dict.fromkeys(part.assign(d=part["donor_name"].map(donors.index))
                                        .sort_values(["d", "pairing_id"])["recipient_shown"]))
        part["y_donor"] = part["donor_name"].map(lambda n: (donors.index(n) + 0.5) / len(donors))
        part["y_recipient"] = part["recipient_shown"].map(lambda n: (recipients.index(n) + 0.5) / len(recipients))
        frames.append(part)
    flows = pd.concat(frames, ignore_index=True)
    flows["valid_to"] = flows["valid_to"].fillna(OPEN_END).astype(int)
    flows["valid_from"] = flows["valid_from"].astype(int)
    keep = ["programme_id", "donor_name", "recipient_shown", "y_donor", "y_recipient", "valid_from", "valid_to", "confidence"]
    return flows[keep].drop_duplicates().round({"y_donor": 4, "y_recipient": 4})


def pairing_map_chart(pairings: pd.DataFrame, programmes: pd.DataFrame, regions: pd.DataFrame, topology: dict,
                      programme: str = "xinjiang_2010", year: int = 2012, lang: str = "zh") -> alt.VConcatChart:
    """Province map of donors and recipients plus the donor→recipient lines, for one programme and year.

    Both views follow the same two controls (programme dropdown, year slider) in the browser.
    Universities (MOE programme) have no region code and appear only in the line view.
    """
    table = with_provinces(pairings, regions)
    pick, when = _controls(programmes, lang, programme, year)
    geo = china_map.province_data(topology)
    names = regions.set_index("code")["name_zh" if lang == "zh" else "name_en"]
    role_names = {r: t(f"db.role.{r}", lang) for r in ROLE_COLOURS}
    roles = _province_roles(table).assign(province=lambda f: f["code"].map(names))

    def coloured(projection: dict) -> alt.Chart:
        return (
            alt.Chart(roles)
            .transform_filter(_active(pick, when))
            .transform_aggregate(donor="sum(is_donor)", recipient="sum(is_recipient)", pairs="sum(pairs)",
                                 groupby=["code", "province"])
            .transform_calculate(role_label=alt.expr.if_(
                (alt.datum.donor > 0) & (alt.datum.recipient > 0), role_names["both"],
                alt.expr.if_(alt.datum.donor > 0, role_names["donor"], role_names["recipient"])))
            .transform_lookup(lookup="code", from_=alt.LookupData(data=geo, key="properties.code"), as_="geo")
            .mark_geoshape(stroke=china_map.STROKE, strokeWidth=0.4)
            .encode(
                shape="geo:G",
                color=alt.Color("role_label:N", title=t("db.role", lang),
                                scale=alt.Scale(domain=list(role_names.values()), range=list(ROLE_COLOURS.values())),
                                legend=alt.Legend(orient="bottom")),
                tooltip=[alt.Tooltip("province:N", title=t("region", lang)),
                         alt.Tooltip("role_label:N", title=t("db.role", lang)),
                         alt.Tooltip("pairs:Q", title=t("db.pairs", lang))],
            )
            .project(**projection)
        )

    the_map = china_map.china_map(topology, coloured, lang).properties(
        title=alt.Title(t("db.map_title", lang), subtitle=t("db.map_note", lang).split("\n"), subtitleFontSize=11))
    flows = _flow_rows(table, regions)
    active = alt.Chart(flows).transform_filter(_active(pick, when))
    y = alt.Y("y_donor:Q", axis=None, scale=alt.Scale(domain=[1, 0]))
    x_scale = alt.Scale(domain=[0, 1])
    confidence_names = {c: t(f"db.conf.{c}", lang) for c in ("high", "medium", "low")}
    lines = active.transform_calculate(
        x0="0.18", x1="0.82", confidence_label=code_labels_expr("datum.confidence", confidence_names),
    ).mark_rule(opacity=0.45, strokeWidth=1.2).encode(
        x=alt.X("x0:Q", scale=x_scale, axis=None), x2="x1:Q", y=y, y2="y_recipient:Q",
        color=alt.Color("confidence:N", title=t("db.confidence", lang),
                        scale=alt.Scale(domain=list(confidence_names), range=CONFIDENCE_COLOURS),
                        # the swatches keep full strength (the lines' 0.45 opacity left them near-invisible in dark mode)
                        legend=alt.Legend(orient="bottom", symbolOpacity=1, symbolStrokeWidth=3,
                                          labelExpr=code_labels_expr("datum.label", confidence_names))),
        tooltip=[alt.Tooltip("donor_name:N", title=t("economy.donor", lang)),
                 alt.Tooltip("recipient_shown:N", title=t("economy.recipient", lang)),
                 alt.Tooltip("valid_from:Q", title=t("db.from", lang), format="d"),
                 alt.Tooltip("confidence_label:N", title=t("db.confidence", lang))])
    donors = active.transform_aggregate(pairs="count()", groupby=["donor_name", "y_donor"]).mark_text(
        align="right", fontSize=11, dx=-4).encode(
        x=alt.X("x:Q", scale=x_scale, axis=None), y=y, text="donor_name:N", detail="donor_name:N"
    ).transform_calculate(x="0.18")
    recipients = active.transform_aggregate(pairs="count()", groupby=["recipient_shown", "y_recipient"]).mark_text(
        align="left", fontSize=11, dx=4).encode(
        x=alt.X("x:Q", scale=x_scale, axis=None), y=alt.Y("y_recipient:Q", axis=None, scale=alt.Scale(domain=[1, 0])),
        text="recipient_shown:N", detail="recipient_shown:N"
    ).transform_calculate(x="0.82")
    flow = alt.layer(lines, donors, recipients, _none_in_force(table, pick, when, lang)).properties(
        width=MAP_WIDTH, height=FLOW_HEIGHT, title=alt.Title(t("db.flow_title", lang), subtitle=t("db.flow_note", lang)))
    chart = alt.vconcat(the_map, flow).add_params(pick, when).resolve_scale(color="independent").properties(
        description=describe_map(pairings, programmes, regions, programme, year, lang))
    return attach_table(chart, pairs_frame(pairings, programmes, lang), t("db.source", lang))


def _none_in_force(table: pd.DataFrame, pick, when, lang: str) -> alt.Chart:
    """A line in the flow view when the chosen programme has no pair in force in the chosen year, so that moving
    a control never leaves the page unchanged and an empty map is not mistaken for a drawing error."""
    rows = []
    for programme_id, part in table.groupby("programme_id"):
        ends = part["valid_to"].fillna(OPEN_END).astype(int)
        starts = part["valid_from"].astype(int)
        first, last = int(starts.min()), int(ends.max())
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            if not ((starts <= year) & (ends >= year)).any():
                rows.append({"programme_id": programme_id, "year": year, "first": first,
                             "last": min(last, LAST_YEAR) if last < OPEN_END else None})
    frame = pd.DataFrame(rows, columns=["programme_id", "year", "first", "last"])
    span = (f"!isValid(datum.last) ? {template_expr(t('db.span_open', lang))} : datum.last == datum.first ? "
            f"{template_expr(t('db.span_one', lang))} : {template_expr(t('db.span_closed', lang))}")
    text = template_expr(t("db.none_in_force", lang), span=f"({span})")
    return alt.Chart(frame).transform_filter((alt.datum.programme_id == pick) & (alt.datum.year == when)
                                             ).transform_calculate(text=text).mark_text(
        align="center", fontSize=13).encode(x=alt.value(MAP_WIDTH / 2), y=alt.value(FLOW_HEIGHT / 2),
                                                             text="text:N")


def pairs_frame(pairings: pd.DataFrame, programmes: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The pairings as readers read them (the data behind figures 3-2 and 3-3): names, years, confidence, source."""
    names = programmes.set_index("programme_id")["name_zh" if lang == "zh" else "name_en"]
    rows = pairings.sort_values(["valid_from", "pairing_id"])
    return pd.DataFrame({
        t("db.programme_short", lang): rows["programme_id"].map(names), t("db.role.donor", lang): rows["donor_name"],
        t("db.role.recipient", lang): rows["recipient_name"], t("db.from", lang): rows["valid_from"],
        t("db.to", lang): rows["valid_to"].astype("Int64").astype("string").fillna(t("table.ongoing", lang)),
        t("db.confidence", lang): rows["confidence"].map(lambda c: t(f"db.conf.{c}", lang)),
        t("source", lang): rows["source_title"]})


def describe_map(pairings: pd.DataFrame, programmes: pd.DataFrame, regions: pd.DataFrame, programme: str = "xinjiang_2010",
                 year: int = 2012, lang: str = "zh") -> str:
    """What figure 3-2 shows at its starting programme and year: pairs, donor and recipient provinces in force."""
    own = with_provinces(active_in(pairings[pairings["programme_id"] == programme], year), regions)
    name = programmes.set_index("programme_id").loc[programme, "name_zh" if lang == "zh" else "name_en"]
    return t("db.map_description", lang).format(
        programmes=len(programmes), rows=len(pairings), name=name, year=year, pairs=len(own),
        donors=own["donor_province"].nunique(), recipients=own["recipient_province"].nunique())


def pairing_table_chart(pairings: pd.DataFrame, programmes: pd.DataFrame, lang: str = "zh") -> alt.VConcatChart:
    """The pairs as a searchable list: a text box filters by any name, year or source; links open sources."""
    names = programmes.set_index("programme_id")["name_zh" if lang == "zh" else "name_en"]
    rows = pairings.assign(
        programme=pairings["programme_id"].map(names),
        years=pairings["valid_from"].astype(str) + "—" + pairings["valid_to"].astype("string").fillna(""),
        confidence_label=pairings["confidence"].map(lambda c: t(f"db.conf.{c}", lang)),
        has_link=pairings["source_url"].ne(""),
    )
    rows["line"] = (rows["donor_name"] + " → " + rows["recipient_name"] + "　" + rows["years"] + "　"
                    + rows["programme"])
    rows["search"] = (rows["line"] + " " + rows["source_title"] + " " + rows["pairing_id"]).str.lower()
    rows = rows[["pairing_id", "valid_from", "line", "search", "confidence", "confidence_label", "source_title",
                 "source_url", "has_link"]]
    query = alt.param(name="query", value="", bind=alt.binding(input="search", placeholder=t("db.search_hint", lang),
                                                                 name=t("db.search", lang)))
    matched = alt.Chart(rows).transform_filter(f"indexof(datum.search, lower({query.name})) >= 0")
    counted = matched.transform_window(row="row_number()", sort=[alt.SortField("valid_from"), alt.SortField("pairing_id")]).transform_joinaggregate(
        matches="count()")
    status = counted.transform_filter(alt.datum.row == 1).mark_text(align="left", fontSize=12).encode(
        x=alt.value(0), text=alt.Text("status:N")).transform_calculate(
        status=f"'{t('db.showing', lang)} ' + min(datum.matches, {TABLE_ROWS}) + ' / ' + datum.matches").properties(
        width=MAP_WIDTH, height=16)
    shown = counted.transform_filter(alt.datum.row <= TABLE_ROWS)
    lines = shown.mark_text(align="left", fontSize=12, limit=MAP_WIDTH - 70).encode(
        x=alt.value(0), y=alt.Y("row:O", axis=None), text="line:N",
        tooltip=[alt.Tooltip("pairing_id:N", title="ID"), alt.Tooltip("source_title:N", title=t("source", lang)),
                 alt.Tooltip("confidence_label:N", title=t("db.confidence", lang))])
    badges = shown.mark_text(align="left", fontSize=12, fontWeight="bold").encode(
        x=alt.value(MAP_WIDTH - 62), y=alt.Y("row:O", axis=None), text="confidence_label:N",
        color=alt.Color("confidence:N", scale=alt.Scale(domain=["high", "medium", "low"], range=CONFIDENCE_COLOURS),
                        legend=None))
    links = shown.transform_filter(alt.datum.has_link).mark_text(align="left", fontSize=12, color=LINK_BLUE).encode(
        x=alt.value(MAP_WIDTH - 20), y=alt.Y("row:O", axis=None), text=alt.value("↗"), href="source_url:N",
        tooltip=alt.Tooltip("source_url:N", title=t("db.open_source", lang)))
    listing = alt.layer(lines, badges, links).properties(width=MAP_WIDTH, height=alt.Step(18))
    chart = alt.vconcat(status, listing).add_params(query).properties(
        title=t("db.table_title", lang), description=describe_table(pairings, lang))
    return attach_table(chart, pairs_frame(pairings, programmes, lang), t("db.source", lang))


def describe_table(pairings: pd.DataFrame, lang: str = "zh") -> str:
    """What figure 3-3 lists: rows, programmes, confidence and linked sources."""
    return t("db.table_description", lang).format(
        rows=len(pairings), programmes=pairings["programme_id"].nunique(), shown=TABLE_ROWS,
        high=int((pairings["confidence"] == "high").sum()), linked=int(pairings["source_url"].ne("").sum()))


def mechanism_chart(programmes: pd.DataFrame, pairings: pd.DataFrame, lang: str = "zh") -> alt.VConcatChart:
    """How the mechanism changed: programme spans by direction, active programmes per year, and size."""
    label = "name_zh" if lang == "zh" else "name_en"
    progs = programmes.assign(
        end=programmes["end_year"].fillna(LAST_YEAR).astype(int) + 1,  # bars cover whole years
        direction_label=programmes["direction"].map(lambda d: t(f"db.direction.{d}", lang)),
        field_label=programmes["field"].map(lambda f: t(f"db.field.{f}", lang)),
        stage_label=programmes["stage"].map(lambda s: t(f"stage.{s}", lang)),
        name=programmes[label],
    )
    size = pairings.groupby("programme_id").agg(donors=("donor_name", "nunique"), recipients=("recipient_name", "nunique"))
    progs = progs.join(size, on="programme_id").fillna({"donors": 0, "recipients": 0})
    fields = sorted(progs["field"].unique())
    field_pick = alt.param(name="field_pick", value="all", bind=alt.binding_select(
        options=["all", *fields], labels=[t("all", lang), *(t(f"db.field.{f}", lang) for f in fields)],
        name=t("db.field", lang)))
    in_field = (field_pick == "all") | (alt.datum.field == field_pick)
    directions = [t("db.direction.one_way", lang), t("db.direction.two_way", lang)]
    colour = alt.Color("direction_label:N", title=t("db.direction", lang),
                       scale=alt.Scale(domain=directions, range=DIRECTION_COLOURS), legend=alt.Legend(orient="bottom"))
    order = progs.sort_values("start_year")["name"].tolist()
    spans = alt.Chart(progs).transform_filter(in_field).mark_bar(height=12).encode(
        x=alt.X("start_year:Q", title=t("year", lang), scale=alt.Scale(domain=[1990, LAST_YEAR + 1]), axis=alt.Axis(format="d")),
        x2="end:Q", y=alt.Y("name:N", title=None, sort=order), color=colour,
        tooltip=[alt.Tooltip("name:N", title=t("db.programme_short", lang)),
                 alt.Tooltip("start_year:Q", title=t("db.from", lang), format="d"),
                 alt.Tooltip("adjustment_years:N", title=t("db.adjusted", lang)),
                 alt.Tooltip("field_label:N", title=t("db.field_short", lang)),
                 alt.Tooltip("stage_label:N", title=t("stage", lang)),
                 alt.Tooltip("document_number:N", title=t("document_number", lang))],
    ).properties(width=380, height=alt.Step(20), title=t("db.spans_title", lang))
    years = pd.DataFrame({"year": range(1990, LAST_YEAR + 1)})
    in_force = progs[["programme_id", "field", "direction_label", "start_year", "end"]].merge(years, how="cross")
    in_force = in_force[(in_force["year"] >= in_force["start_year"]) & (in_force["year"] < in_force["end"])]
    per_year = (
        alt.Chart(in_force[["programme_id", "field", "direction_label", "year"]])
        .transform_filter(in_field)
        .mark_bar().encode(
            x=alt.X("year:O", title=t("year", lang), axis=alt.Axis(values=list(range(1990, LAST_YEAR + 1, 5)), labelAngle=0)),
            y=alt.Y("count():Q", title=t("db.active", lang)), color=colour)
        .properties(width=380, height=140, title=t("db.active_title", lang))
    )
    sizes = (
        alt.Chart(progs).transform_filter(in_field)
        .transform_fold(["donors", "recipients"], as_=["side", "count"])
        .transform_calculate(side_label=alt.expr.if_(alt.datum.side == "donors", t("db.donors", lang), t("db.recipients", lang)))
        .mark_bar().encode(
            y=alt.Y("name:N", title=None, sort=order), x=alt.X("count:Q", title=t("db.units", lang)),
            yOffset="side_label:N",
            color=alt.Color("side_label:N", title=None, legend=alt.Legend(orient="bottom"),
                            scale=alt.Scale(domain=[t("db.donors", lang), t("db.recipients", lang)],
                                            range=[ROLE_COLOURS["donor"], ROLE_COLOURS["recipient"]])),
            tooltip=[alt.Tooltip("name:N"), alt.Tooltip("side_label:N"), alt.Tooltip("count:Q")])
        .properties(width=380, height=alt.Step(10), title=t("db.size_title", lang))
    )
    stages = [t(f"stage.{s}", lang) for s in ("emergence", "exploration", "improvement", "upgrading")]
    by_field = alt.Chart(progs).transform_filter(in_field).mark_bar().encode(
        y=alt.Y("field_label:N", title=None, sort="-x"), x=alt.X("count():Q", title=t("db.programmes_n", lang), axis=alt.Axis(tickMinStep=1, format="d")),
        color=alt.Color("stage_label:N", title=t("stage", lang), legend=alt.Legend(orient="bottom", columns=2),
                        scale=alt.Scale(domain=stages, range=STAGE_COLOURS)),
        tooltip=[alt.Tooltip("field_label:N", title=t("db.field_short", lang)),
                 alt.Tooltip("stage_label:N", title=t("stage", lang)), alt.Tooltip("count():Q", title=t("db.programmes_n", lang))],
    ).properties(width=380, height=alt.Step(18), title=t("db.field_title", lang))
    chart = alt.vconcat(spans, per_year, by_field, sizes).add_params(field_pick).resolve_scale(color="independent")
    counts = in_force.groupby("year")["programme_id"].nunique()
    two_way = progs[progs["direction"] == "two_way"]
    chart = chart.properties(description=t("db.mechanism_description", lang).format(
        n=len(progs), first=int(progs["start_year"].min()), busiest=int(counts.idxmax()), most=int(counts.max()),
        fields=progs["field"].nunique(), two_way=len(two_way),
        two_way_first=int(two_way["start_year"].min()) if len(two_way) else LAST_YEAR))
    table = progs.sort_values("start_year")
    table = pd.DataFrame({
        t("db.programme_short", lang): table["name"], t("db.from", lang): table["start_year"],
        t("db.to", lang): table["end_year"].astype("Int64").astype("string").fillna(t("table.ongoing", lang)),
        t("db.adjusted", lang): table["adjustment_years"].fillna("").str.replace(";", "、"),
        t("db.field_short", lang): table["field_label"], t("db.direction", lang): table["direction_label"],
        t("stage", lang): table["stage_label"], t("db.donors", lang): table["donors"].astype(int),
        t("db.recipients", lang): table["recipients"].astype(int)})
    return attach_table(chart, table, t("db.source", lang))
