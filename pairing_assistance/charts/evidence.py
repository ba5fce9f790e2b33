"""Evidence map of the findings the review reports (chapter 5) and the problems it lists (chapter 6)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..i18n import t

DIRECTIONS = ["positive", "mixed", "none", "negative"]
DIRECTION_COLOURS = ["#31a354", "#fdae6b", "#bdbdbd", "#d6616b"]
# Evidence types (issue 12): only empirical statements carry a direction; the others get their own columns.
EMPIRICAL = ["quantitative_empirical", "qualitative_case"]
NON_EMPIRICAL = ["theoretical", "normative", "unclear"]
EVIDENCE_TYPES = EMPIRICAL + NON_EMPIRICAL
NON_EMPIRICAL_COLOURS = ["#9e9ac8", "#6baed6", "#d9d9d9"]
LIST_CHARS = 40  # characters per line in the list under the evidence map (every summary fits on one line)
# Column labels longer than this are drawn on two lines (seven columns share the grid's width).
HEADER_CHARS = 5
TWO_LINE_HEADER = (f"length(datum.label) > {HEADER_CHARS} ? [substring(datum.label, 0, ceil(length(datum.label) / 2)), "
                   "substring(datum.label, ceil(length(datum.label) / 2))] : datum.label")
REMEDIES = ["government_coordinator", "market_decisive", "broader_participation"]
DIMENSIONS = ["government_role", "incentives", "efficiency"]


def study_labels(studies: pd.DataFrame, numbered: bool = True) -> pd.Series:
    """'王磊（2021）[1]' style labels indexed by the review's reference number ('王磊（2021）' if not ``numbered``)."""
    labels = studies["authors_zh"] + "（" + studies["year"].astype(str) + "）"
    if numbered:
        labels = labels + "[" + studies["ref"].astype(str) + "]"
    return pd.Series(labels.values, index=studies["ref"].values)


def check_findings(findings: pd.DataFrame) -> pd.DataFrame:
    """Raise ``ValueError`` naming the finding when a direction is given for a non-empirical statement or
    missing for an empirical one (the rule Frictionless cannot express); return ``findings`` unchanged."""
    for _, row in findings.iterrows():
        has_direction = isinstance(row["direction"], str) and row["direction"] != ""
        empirical = row["evidence_type"] in EMPIRICAL
        if has_direction != empirical:
            need = "needs a direction" if empirical else "must have no direction"
            raise ValueError(f"findings.csv, finding {row['finding_id']}, column 'direction': "
                             f"evidence_type {row['evidence_type']} {need}")
    return findings


def cell_of(findings: pd.DataFrame, lang: str = "zh") -> pd.Series:
    """The evidence-map column of each finding: its direction if empirical, otherwise its evidence type."""
    check_findings(findings)
    return findings.apply(lambda r: t(f"direction.{r['direction']}", lang) if r["evidence_type"] in EMPIRICAL
                          else t(f"evidence_type.{r['evidence_type']}", lang), axis=1)


def evidence_counts(findings: pd.DataFrame, domains: list[str] | None = None, lang: str = "zh") -> pd.DataFrame:
    """Findings per domain (rows) and evidence type (columns), with totals; Chinese headers."""
    if domains is not None:
        findings = findings[findings["domain"].isin(domains)]
    table = pd.crosstab(findings["domain"], findings["evidence_type"], margins=True, margins_name="total")
    table = table.reindex(columns=[c for c in EVIDENCE_TYPES if c in table.columns] + ["total"])
    table.index = [t("total", lang) if d == "total" else t(f"domain.{d}", lang) for d in table.index]
    table.columns = [t("total", lang) if c == "total" else t(f"evidence_type.{c}", lang) for c in table.columns]
    table.index.name = t("ev.domain", lang)
    return table


GLUE_KEYS = {"quantitative_empirical": "quant", "qualitative_case": "qual", "theoretical": "theory",
             "normative": "normative", "unclear": "unclear"}


def type_totals(findings: pd.DataFrame, domains: list[str] | None = None) -> dict[str, int]:
    """Findings per evidence type in ``domains`` keyed for the prose (``quant``, ``qual``, ``theory``,
    ``normative``, ``unclear``, ``total``); a type with no finding counts 0."""
    if domains is not None:
        findings = findings[findings["domain"].isin(domains)]
    counts = findings["evidence_type"].value_counts()
    totals = {key: int(counts.get(kind, 0)) for kind, key in GLUE_KEYS.items()}
    return totals | {"total": len(findings)}


def recheck_counts(findings: pd.DataFrame) -> dict[str, int]:
    """How many findings the issue-12 recheck changed (``recheck_note`` starting with 改) or kept (未改),
    and how many carry a direction (the empirical ones)."""
    note = findings["recheck_note"].fillna("")
    return {"changed": int(note.str.startswith("改").sum()), "kept": int(note.str.startswith("未改").sum()),
            "directional": int((findings["direction"].fillna("") != "").sum())}


def _pick(name: str, label: str, codes: list[str], prefix: str, lang: str) -> alt.Parameter:
    return alt.param(name=name, value="all", bind=alt.binding_select(
        options=["all", *codes], labels=[t("all", lang), *(t(f"{prefix}.{c}", lang) for c in codes)], name=label))


def evidence_map_chart(findings: pd.DataFrame, studies: pd.DataFrame, domains: list[str] | None = None,
                       lang: str = "zh") -> alt.VConcatChart:
    """Findings counted by domain × direction; a programme dropdown filters, a click lists the studies."""
    if domains is not None:
        unknown = set(domains) - set(findings["domain"])
        if unknown:
            raise ValueError(f"no findings coded for domain(s) {sorted(unknown)}")
        findings = findings[findings["domain"].isin(domains)]
    rows = findings.assign(
        study=findings["ref"].map(study_labels(studies)),
        domain_label=findings["domain"].map(lambda c: t(f"domain.{c}", lang)),
        direction_label=cell_of(findings, lang),
        type_label=findings["evidence_type"].map(lambda c: t(f"evidence_type.{c}", lang)),
        programme_label=findings["programme"].map(lambda c: t(f"programme.{c}", lang)),
        horizon_label=findings["horizon"].map(lambda c: t(f"horizon.{c}", lang)),
        method_label=findings["method"].map(lambda c: t(f"method.{c}", lang)),
    )
    rows["text_link"] = rows["page"] + ".html"  # the chapter page that discusses the finding
    # each bibliography entry has the stable anchor ref-<the review's number> (book/_ext/bibliography_style.py)
    rows["bib_link"] = "appendix/bibliography.html#ref-" + rows["ref"].astype(str)
    # the reference number stands in its own column (a link to the bibliography), so not again in the entry;
    # the time horizon only where the study states one (most do not)
    horizon = ("；" + t("ev.horizon", lang) + "：" + rows["horizon_label"]).where(rows["horizon"] != "unspecified", "")
    rows["entry"] = (rows["ref"].map(study_labels(studies, numbered=False)) + "（"
                     + rows["type_label"] + "；" + rows["programme_label"] + horizon + "）\n"
                     + rows["summary_zh"].map(_wrap))
    programmes = [p for p in pd.unique(rows["programme"])]
    programme = _pick("programme_pick", t("ev.programme", lang), programmes, "programme", lang)
    cell = alt.selection_point(name="cell", fields=["domain_label", "direction_label"])
    in_programme = (programme == "all") | (alt.datum.programme == programme)
    direction_order = ([t(f"direction.{d}", lang) for d in DIRECTIONS]
                       + [t(f"evidence_type.{e}", lang) for e in NON_EMPIRICAL])
    colours = DIRECTION_COLOURS + NON_EMPIRICAL_COLOURS
    domain_order = [t(f"domain.{d}", lang) for d in (domains or pd.unique(rows["domain"]))]
    base = alt.Chart(rows).transform_filter(in_programme).encode(
        x=alt.X("direction_label:N", title=t("ev.column", lang), sort=direction_order,
                scale=alt.Scale(domain=direction_order),
                axis=alt.Axis(labelAngle=0, orient="top", labelExpr=TWO_LINE_HEADER, labelLineHeight=14,
                              labelPadding=18)),  # room for the second line below the first
        y=alt.Y("domain_label:N", title=t("ev.domain", lang), sort=domain_order, scale=alt.Scale(domain=domain_order)),
    )
    heat = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color("direction_label:N", scale=alt.Scale(domain=direction_order, range=colours), legend=None),
        opacity=alt.condition(cell, alt.value(0.9), alt.value(0.3)),
        tooltip=[alt.Tooltip("domain_label:N", title=t("ev.domain", lang)),
                 alt.Tooltip("direction_label:N", title=t("ev.column", lang)),
                 alt.Tooltip("count():Q", title=t("ev.findings", lang))],
        detail="count():Q",
    ).add_params(cell)
    counts = base.mark_text(fontSize=16, fontWeight="bold").encode(text="count():Q")
    grid = alt.layer(heat, counts).properties(
        width=560, height=alt.Step(48), title=alt.Title(t("ev.title", lang), subtitle=t("ev.click", lang)))
    # entries and numbers in the theme's text colour (readable in light and dark); the cell's colour is shown
    # by a square before each entry, as in the grid
    in_cell = (alt.Chart(rows).transform_filter(in_programme).transform_filter(cell)
               .transform_window(row="row_number()", sort=[alt.SortField("domain"), alt.SortField("ref")]))
    listing = in_cell.mark_text(align="left", baseline="top", fontSize=12, lineBreak="\n", lineHeight=16,
                                cursor="pointer").encode(
        x=alt.value(52), y=alt.Y("row:O", axis=None), text="entry:N", href="text_link:N",
        tooltip=alt.value(t("ev.open_text", lang)))
    swatch = in_cell.mark_square(size=90, opacity=0.9, yOffset=7).encode(
        x=alt.value(44), y=alt.Y("row:O", axis=None),
        color=alt.Color("direction_label:N", scale=alt.Scale(domain=direction_order, range=colours), legend=None))
    bib = (
        in_cell.transform_calculate(label="'[' + datum.ref + ']'")
        .mark_text(align="left", baseline="top", fontSize=12, cursor="pointer")
        .encode(x=alt.value(0), y=alt.Y("row:O", axis=None), text="label:N", href="bib_link:N",
                tooltip=alt.value(t("ev.open_bib", lang)))
    )
    listing = alt.layer(swatch, listing, bib).properties(width=460, height=alt.Step(44))
    return alt.vconcat(grid, listing).add_params(programme)


def _wrap(text: str, width: int = LIST_CHARS) -> str:
    return "\n".join(text[i:i + width] for i in range(0, len(text), width))


def problems_chart(problems: pd.DataFrame, studies: pd.DataFrame, lang: str = "zh") -> alt.Chart:
    """Each problem the review lists, placed at the direction for upgrading that answers it."""
    labels = study_labels(studies)

    def cited(refs: str) -> str:
        numbers = [int(r) for r in refs.split(";") if r] if isinstance(refs, str) else []
        return "；".join(labels[n] for n in numbers) or t("no_reference", lang)

    rows = problems.assign(
        studies=problems["refs"].map(cited),
        dimension_label=problems["dimension"].map(lambda c: t(f"dimension.{c}", lang)),
        remedy_label=problems["remedy"].map(lambda c: t(f"remedy.{c}", lang)),
        phase_label=problems["phase"].map(lambda c: t(f"phase.{c}", lang)),
    )
    dimension = _pick("dimension_pick", t("pr.pick_dimension", lang), DIMENSIONS, "dimension", lang)
    dimension_order = [t(f"dimension.{d}", lang) for d in DIMENSIONS]
    return (
        alt.Chart(rows).transform_filter((dimension == "all") | (alt.datum.dimension == dimension))
        .mark_circle(size=260, opacity=0.85)
        .encode(
            x=alt.X("remedy_label:N", title=t("pr.remedy", lang), sort=[t(f"remedy.{r}", lang) for r in REMEDIES],
                    scale=alt.Scale(domain=[t(f"remedy.{r}", lang) for r in REMEDIES]),
                    axis=alt.Axis(labelAngle=0, orient="top", labelExpr=TWO_LINE_HEADER, labelLineHeight=14,
                                  labelPadding=18)),  # on a phone the three labels ran over each other
            y=alt.Y("label_zh:N", title=t("pr.problem", lang), sort=alt.SortField("problem_id")),
            color=alt.Color("dimension_label:N", title=t("pr.dimension", lang),
                            scale=alt.Scale(domain=dimension_order, range=["#3182bd", "#e6550d", "#756bb1"]),
                            legend=alt.Legend(orient="bottom")),
            tooltip=[alt.Tooltip("label_zh:N", title=t("pr.problem", lang)),
                     alt.Tooltip("dimension_label:N", title=t("pr.dimension", lang)),
                     alt.Tooltip("phase_label:N", title=t("pr.phase", lang)),
                     alt.Tooltip("description_zh:N", title=t("pr.description", lang)),
                     alt.Tooltip("studies:N", title=t("studies", lang)),
                     alt.Tooltip("remedy_label:N", title=t("pr.remedy", lang))],
        )
        .add_params(dimension)
        .properties(width=420, height=alt.Step(30), title=t("pr.title", lang))
    )
