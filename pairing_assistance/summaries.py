"""Small tables of key numbers shown in the chapters (labels from ``i18n``)."""

from __future__ import annotations

import pandas as pd

import re

from .i18n import t
from .tables import ReaderTable, labelled_table, reader_table


def _labelled(table: pd.DataFrame, row_prefix: str, column_prefix: str, lang: str) -> pd.DataFrame:
    table = table.rename(index=lambda c: t(f"{row_prefix}.{c}", lang) if c != "All" else t("total", lang),
                         columns=lambda c: t(f"{column_prefix}.{c}", lang) if c != "All" else t("total", lang))
    table.index.name, table.columns.name = t(row_prefix if row_prefix != "domain" else "ev.domain", lang), None
    return table


def events_per_stage(timeline: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Events of the review's Table 1 per stage, with first and last year."""
    table1 = timeline[timeline["in_review_table1"]]
    table = table1.groupby("stage", sort=False).agg(
        events=("event_id", "size"), first=("year", "min"), last=("year", "max"))
    table.index = [t(f"stage.{s}", lang) for s in table.index]
    table.index.name = t("stage", lang)
    return table.rename(columns={"events": t("count", lang), "first": t("first_year", lang), "last": t("last_year", lang)})


def events_per_stage_table(timeline: pd.DataFrame, lang: str = "zh") -> ReaderTable:
    """``events_per_stage`` as readers see it: stage names, 个, first and last year."""
    table1 = timeline[timeline["in_review_table1"]]
    counts = table1.groupby("stage", sort=False).agg(
        events=("event_id", "size"), first_year=("year", "min"), last_year=("year", "max"))
    return reader_table(counts, lang=lang)


def findings_by(findings: pd.DataFrame, domains: list[str], column: str = "direction", lang: str = "zh") -> pd.DataFrame:
    """Number of coded findings per domain (rows) and direction or method (columns), with totals.

    Only empirical findings carry a direction (issue 12), so a direction table counts those alone;
    counts by evidence type come from ``charts.evidence.evidence_counts``.
    """
    chosen = findings[findings["domain"].isin(domains)]
    if column == "direction":
        chosen = chosen[chosen["direction"].fillna("") != ""]
    table = pd.crosstab(chosen["domain"], chosen[column], margins=True)
    return _labelled(table, "domain", column, lang)


def problems_by_remedy(problems: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Number of problems per dimension (rows) and direction for upgrading (columns), with totals."""
    table = pd.crosstab(problems["dimension"], problems["remedy"], margins=True)
    return _labelled(table, "dimension", "remedy", lang)


def partners_table(pairings: pd.DataFrame, regions: pd.DataFrame, programmes: pd.DataFrame, place: str,
                   lang: str = "zh") -> pd.DataFrame:
    """``pairings.partners_of`` with programme names and translated column headers, for reading."""
    from .pairings import partners_of

    found = partners_of(pairings, regions, place)
    names = programmes.set_index("programme_id")["name_zh" if lang == "zh" else "name_en"]
    found = found.assign(programme_id=found["programme_id"].map(names),
                         role=found["role"].map(lambda r: t(f"db.role.{r}", lang)),
                         confidence=found["confidence"].map(lambda c: t(f"db.conf.{c}", lang)),
                         # an open end year reads 至今 (still in force, or its end is unknown)
                         valid_to=found["valid_to"].astype("Int64").astype("string").fillna(t("table.ongoing", lang)))
    headers = {"programme_id": "db.programme_short", "role": "db.role", "unit": "db.unit", "partner": "db.partner",
               "partner_province": "db.partner_province", "valid_from": "db.from", "valid_to": "db.to",
               "confidence": "db.confidence"}
    return found.rename(columns={c: t(k, lang) for c, k in headers.items()})


def programme_table(pairings: pd.DataFrame, programmes: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Pairs, donors, recipients and high-confidence rows per programme, with readable names."""
    from .pairings import programme_summary

    table = programme_summary(pairings, programmes)
    names = programmes.set_index("programme_id")["name_zh" if lang == "zh" else "name_en"]
    table.index = table.index.map(names)
    table.index.name = t("db.programme_short", lang)
    return table.rename(columns={"pairs": t("db.pairs", lang), "donors": t("db.donors", lang),
                                 "recipients": t("db.recipients", lang), "high": t("db.high_rows", lang)})


def source_shares(pairings: pd.DataFrame) -> dict[str, int | float]:
    """Honest counts of the pairing rows: with an official link or title only, by confidence and by status.

    Keys: ``rows``; ``link`` / ``title_only`` (rows with and without a URL on a vetted host) and their
    shares ``link_share`` / ``title_only_share`` (0–1); ``conf_high`` / ``conf_medium`` / ``conf_low``; ``high_with_link``;
    ``status_in_force`` / ``status_ended`` / ``status_superseded`` / ``status_unknown``.
    """
    rows = len(pairings)
    linked = int((pairings["source_url"] != "").sum())
    counts: dict[str, int | float] = {"rows": rows, "link": linked, "title_only": rows - linked,
                                      "link_share": linked / rows, "title_only_share": (rows - linked) / rows}
    for level in ("high", "medium", "low"):
        counts[f"conf_{level}"] = int((pairings["confidence"] == level).sum())
    counts["high_with_link"] = int(((pairings["confidence"] == "high") & (pairings["source_url"] != "")).sum())
    for status in ("in_force", "ended", "superseded", "unknown"):
        counts[f"status_{status}"] = int((pairings["status"] == status).sum())
    return counts


_WHERE = re.compile(r"^(?P<file>\S+) 第 (?P<line>\d+) 行，“(?P<column>\w+)”列：(?P<problem>.*)$")


def data_problems_table(messages: list[str], table: str, lang: str = "zh") -> ReaderTable:
    """Messages of a data check ("data/x.csv 第 n 行，“column”列：…") as a reader table: file, line, the column's
    Chinese name (i18n ``datacol.<table>.<column>``) and the problem; a message in another form raises ``ValueError``."""
    rows = []
    for message in messages:
        found = _WHERE.match(message)
        if not found:
            raise ValueError(f"data_problems_table: message not in the form file/line/column: {message!r}")
        rows.append({t("dq.file", lang): found["file"], t("dq.line", lang): int(found["line"]),
                     t("dq.column", lang): t(f"datacol.{table}.{found['column']}", lang),
                     t("dq.problem", lang): found["problem"]})
    columns = [t(k, lang) for k in ("dq.file", "dq.line", "dq.column", "dq.problem")]
    return labelled_table(pd.DataFrame(rows, columns=columns))


def international_table(international: pd.DataFrame, lang: str = "zh") -> ReaderTable:
    """Table 7-1 from ``data/international.csv``: arrangement, years, direction, pairing, rules, scale, source."""
    def period(row) -> str:
        end = t("intl.open", lang) if pd.isna(row["end_year"]) else str(int(row["end_year"]))
        return f"{int(row['start_year'])}—{end}"

    def source(row) -> str:
        # several sources in one row are listed "；"-separated in each column: pair them up, one per source
        parts = [str(row[c]).split("；") for c in ("publisher", "source_title", "source_date")]
        if len({len(p) for p in parts}) != 1:
            parts = [[str(row[c])] for c in ("publisher", "source_title", "source_date")]
        cited = "；".join(f"{publisher}：{title}，{t('intl.undated', lang) if date == 'n.d.' else date}"
                         for publisher, title, date in zip(*parts))
        return f"{cited}（{t('db.confidence', lang)}：{t('db.conf.' + row['confidence'], lang)}）"

    frame = pd.DataFrame({
        t("intl.country", lang): international["country_zh"],
        t("intl.name", lang): international["name_zh"] + "（" + international["name_original"] + "）",
        t("intl.years", lang): international.apply(period, axis=1),
        t("intl.flow", lang): international["flow"].map(lambda f: t(f"intl.flow.{f}", lang)),
        t("intl.pairing", lang): international["pairing"].map(lambda p: t("chart.yes" if p == "yes" else "chart.no", lang)),
        t("intl.rule", lang): international["rule_zh"], t("intl.sunset", lang): international["sunset_zh"],
        t("intl.figure", lang): international["figure_zh"], t("intl.source", lang): international.apply(source, axis=1),
    })
    return labelled_table(frame)


_PROVINCE_GROUP = re.compile(r"^(\d+)\s*(?:partner\s+)?(?:donor\s+)?provinces$")


def party_label(text: str, lang: str = "zh") -> str:
    """A donor or recipient as the aid table writes a group ("19 provinces", "all donors") in words;
    a name is returned as it is."""
    found = _PROVINCE_GROUP.match(str(text).strip())
    if found:
        return t("party.provinces", lang).format(n=int(found.group(1)))
    if str(text).strip() == "all donors":
        return t("party.all_donors", lang)
    return text


def excluded_figures_table(scaled: pd.DataFrame, aid: pd.DataFrame, lang: str = "zh") -> ReaderTable:
    """``instruments.excluded_table`` for readers: groups of donors in words, values formatted."""
    from .instruments import excluded_table

    table = excluded_table(scaled, aid, lang)
    for key in ("ins.donor", "ins.recipient"):
        table[t(key, lang)] = table[t(key, lang)].map(lambda v: party_label(v, lang))
    return labelled_table(table)


def timeline_numbers(timeline: pd.DataFrame) -> dict[str, int | float]:
    """Counts and yearly rates that chapter 3's prose writes, computed from the ``timeline`` table.

    Keys: ``ch3_t1_events`` (events of the review's Table 1), ``ch3_added`` (events the book adds),
    ``ch3_added_other`` (added events other than the one the review's section 5 names, the 2001 plan),
    ``ch3_all`` (events drawn in figure 3-1), ``ch3_t1_documents`` (Table 1 events with a document number);
    per stage ``s``: ``ch3_t1_{s}`` (Table 1 events), ``ch3_shown_{s}`` (all events), ``ch3_added_{s}``,
    ``ch3_years_{s}`` (years of the stage, the open last stage counted to Table 1's last year),
    ``ch3_rate_{s}`` (Table 1 events per year); ``ch3_rate_last_vs_busiest`` (the last stage's rate over
    the rate of the stage with most Table 1 events). Plain ints and floats, so myst-nb can format them.
    """
    from .data import STAGE_YEARS

    table1 = timeline["in_review_table1"].astype(bool)
    last_year = int(timeline.loc[table1, "year"].max())
    numbers: dict[str, int | float] = {
        "ch3_t1_events": int(table1.sum()), "ch3_added": int((~table1).sum()), "ch3_all": len(timeline),
        # the one added event the review names in its own text (section 5) is cited apart from the others
        "ch3_added_other": int((~table1 & ~timeline["source"].fillna("").str.contains("第五节")).sum()),
        "ch3_t1_documents": int((table1 & timeline["document_number"].fillna("").str.strip().ne("")).sum()),
        "ch3_t1_first_year": int(timeline.loc[table1, "year"].min()), "ch3_t1_last_year": last_year,
    }
    for stage, (first, last) in STAGE_YEARS.items():
        in_stage = timeline["stage"] == stage
        years = min(last, last_year) - first + 1
        numbers[f"ch3_t1_{stage}"] = int((in_stage & table1).sum())
        numbers[f"ch3_shown_{stage}"] = int(in_stage.sum())
        numbers[f"ch3_added_{stage}"] = int((in_stage & ~table1).sum())
        numbers[f"ch3_years_{stage}"] = years
        numbers[f"ch3_rate_{stage}"] = numbers[f"ch3_t1_{stage}"] / years
    busiest = max(STAGE_YEARS, key=lambda s: numbers[f"ch3_t1_{s}"])
    numbers["ch3_rate_last_vs_busiest"] = numbers[f"ch3_rate_{list(STAGE_YEARS)[-1]}"] / numbers[f"ch3_rate_{busiest}"]
    return numbers


def problem_numbers(problems: pd.DataFrame, pairings: pd.DataFrame) -> dict[str, int]:
    """Counts chapter 6 (and appendix B) write about the problem table and the pairing database.

    ``ch6_problems_n`` rows of ``problems``; ``ch6_remedy_{remedy}`` problems per direction for upgrading;
    ``ch6_remedy_others`` the common count of the two directions other than the government's, which the prose
    states as one number ("各 2 个"), so the two must be equal; ``ch6_programmes_n`` programmes with pairs.
    """
    counts = problems["remedy"].value_counts()
    others = [r for r in counts.index if r != "government_coordinator"]
    if len({int(counts[r]) for r in others}) > 1:
        raise ValueError("data/problems.csv, column remedy: the directions other than government_coordinator "
                         f"answer different numbers of problems ({counts[others].to_dict()}); chapter 6 and "
                         "appendix B say they answer the same number, so reword them")
    numbers = {"ch6_problems_n": len(problems), "ch6_programmes_n": int(pairings["programme_id"].nunique()),
               "ch6_remedy_others": int(counts[others[0]]) if others else 0}
    numbers.update({f"ch6_remedy_{r}": int(n) for r, n in counts.items()})
    return numbers
