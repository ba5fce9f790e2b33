"""Chapter 4: funding rules by programme, instruments recorded per programme, aid figures put to scale.

Aid figures (``aid_figures``) are headline totals from press releases and reports. To compare them they are
turned into a yearly average (cumulative totals divided by the number of calendar years they cover) and set
against four yardsticks from the book's own tables:

* per inhabitant of the recipient (yuan per person and year; recipient population from the provincial panel),
* share of the donor's revenue (2019 tax revenue from ``fiscal_2019``, the only revenue year the book has),
* share of the recipient's GDP and of its budget expenditure (provincial panel, mean over the figure's years
  that the panel covers: GDP 1978–2020, expenditure 2010–2020).

A yardstick is computed only where the donor or recipient is a province (or, for "19 provinces" style
donors, where the count named matches the programme's donor provinces in the pairing database); the panel has
no prefecture data. Every figure left out carries a Chinese reason, so the page can say why.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .i18n import t
from .pairings import province_of

SCALES = ("annual", "per_capita", "donor_revenue", "recipient_gdp", "recipient_expenditure")
MEASURES = ("funds", "projects", "cadres", "enterprises", "investment_signed")
_GROUP = re.compile(r"^(\d+)\s*(?:partner\s+)?(?:donor\s+)?provinces|^(\d+)个(?:对口支援|援疆|援藏)?省市")


def figure_problems(aid: pd.DataFrame) -> list[str]:
    """Chinese messages for money figures that cannot be annualised, naming file, line and column."""
    messages = []
    for index, row in aid.iterrows():
        where = f"data/aid_figures.csv 第 {index + 2} 行"
        if not str(row["unit"]).strip():
            messages.append(f"{where}，“unit”列：{row['figure_id']} 没有单位，无法换算")
        elif row["unit"] == "亿元" and pd.isna(row["period_start"]):
            messages.append(f"{where}，“period_start”列：{row['figure_id']} 缺少起始年份，无法换算为年均数")
        elif row["unit"] == "亿元" and pd.isna(row["period_end"]):
            messages.append(f"{where}，“period_end”列：{row['figure_id']} 缺少截止年份，无法换算为年均数")
    return messages


def _province_code(text: str, provinces: pd.DataFrame) -> str | None:
    """Province code for a name such as 西藏, 陕西省 or 西藏（74个县区）; None if it is not one province."""
    name = re.sub(r"[（(].*?[)）]", "", str(text)).strip()
    if len(name) < 2:
        return None
    found = provinces[provinces["name_zh"].str.startswith(name)]
    return found["code"].iloc[0] if len(found) == 1 else None


def _donor_codes(row, provinces, pairings, regions) -> list[str]:
    own = _province_code(row["donor"], provinces)
    if own:
        return [own]
    match = _GROUP.match(str(row["donor"]))
    if not match or pd.isna(row["programme_id"]):
        return []
    named = int(match.group(1) or match.group(2))
    rows = pairings[(pairings["programme_id"] == row["programme_id"]) & (pairings["donor_level"] == "province")]
    codes = sorted(set(province_of(rows["donor_code"], regions).dropna()))
    return codes if len(codes) == named else []


def _panel_mean(panel: pd.DataFrame, code: str, column: str, first: int, last: int) -> tuple[float, str]:
    rows = panel[(panel["code"] == code) & panel["year"].between(first, last)].dropna(subset=[column])
    if rows.empty:
        return np.nan, ""
    years = f"{int(rows['year'].min())}—{int(rows['year'].max())}"
    return float(rows[column].mean()), years


def scaled_figures(aid: pd.DataFrame, pairings: pd.DataFrame, regions: pd.DataFrame, panel: pd.DataFrame,
                   fiscal: pd.DataFrame) -> pd.DataFrame:
    """One row per money figure (亿元, funds): yearly average and the four yardsticks, each with the years used.

    Yardsticks that cannot be computed are NaN with a reason in ``*_why`` (Chinese).
    """
    provinces = regions[regions["level"] == "province"]
    revenue = dict(zip(fiscal["code"], fiscal["tax_revenue_100m"]))
    money = aid[(aid["measure"] == "funds") & (aid["unit"] == "亿元")]
    rows = []
    for _, row in money.iterrows():
        out = {"figure_id": row["figure_id"], "programme_id": row["programme_id"], "donor": row["donor"],
               "recipient": row["recipient"], "value": row["value"], "confidence": row["confidence"],
               "source_title": row["source_title"]}
        if pd.isna(row["period_start"]) or pd.isna(row["period_end"]):
            rows.append({**out, "why": "缺少起始或截止年份，无法换算为年均数"})
            continue
        first, last = int(row["period_start"]), int(row["period_end"])
        years = last - first + 1 if row["cumulative"] else 1
        annual = row["value"] / years
        out.update(period=f"{first}—{last}" if first != last else str(first), annual=annual, why="")
        recipient = _province_code(row["recipient"], provinces)
        donors = _donor_codes(row, provinces, pairings, regions)
        if donors and all(code in revenue for code in donors):
            out["donor_revenue"] = 100 * annual / sum(revenue[c] for c in donors)
            out["donor_revenue_years"] = "2019"
        else:
            out["donor_revenue_why"] = "支援方不是单个省级单位，或无法与数据库中的支援省份对应"
        if not recipient:
            for scale in ("per_capita", "recipient_gdp", "recipient_expenditure"):
                out[f"{scale}_why"] = "受援方不是省级单位，本书没有地市和县级数据"
        else:
            for scale, column, factor in (("per_capita", "population_10k", None), ("recipient_gdp", "gdp_100m", 100),
                                          ("recipient_expenditure", "expenditure_100m", 100)):
                base, used = _panel_mean(panel, recipient, column, first, last)
                if np.isnan(base):
                    out[f"{scale}_why"] = "分省面板没有覆盖这些年份"
                    continue
                out[scale] = annual * 1e8 / (base * 1e4) if factor is None else factor * annual / base
                out[f"{scale}_years"] = used
        rows.append(out)
    return pd.DataFrame(rows)


def long_scaled(scaled: pd.DataFrame, programmes: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Long table for the chart: one row per figure and yardstick that could be computed."""
    names = programmes.set_index("programme_id")["name_zh"]
    usable = scaled[scaled["why"] == ""]
    frames = []
    for scale in SCALES:
        column = scale if scale != "annual" else "annual"
        if column not in usable:
            continue
        part = usable.dropna(subset=[column])
        years = part.get(f"{scale}_years", part["period"]) if scale != "annual" else part["period"]
        frames.append(pd.DataFrame({
            "scale": scale, "figure_id": part["figure_id"],
            "label": part["figure_id"] + " " + part["donor"].astype(str) + "→" + part["recipient"].astype(str),
            "programme": part["programme_id"].map(names).fillna(t("ins.no_programme", lang)),
            "period": part["period"], "base_years": years.fillna("").astype(str),
            "value": part[column].round(6), "confidence": part["confidence"].map(lambda c: t(f"db.conf.{c}", lang)),
        }))
    return pd.concat(frames, ignore_index=True)


def excluded_table(scaled: pd.DataFrame, aid: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Figures that cannot be put to scale at all, with the reason (Chinese headers)."""
    gone = scaled[scaled["why"] != ""]
    return pd.DataFrame({t("ins.figure", lang): gone["figure_id"], t("ins.donor", lang): gone["donor"],
                         t("ins.recipient", lang): gone["recipient"], t("ins.reason", lang): gone["why"]}
                        ).reset_index(drop=True)


def funding_rules_table(programmes: pd.DataFrame, rules: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Every programme with its founding document and the quantified funding rule found (or a note that none was)."""
    merged = programmes.merge(rules[["programme_id", "rule_zh", "source_title", "confidence"]], on="programme_id",
                              how="left", suffixes=("", "_rule"))
    # meetings (…座谈会, …会议) are events, not documents: no title marks
    document = merged["document_title"].map(lambda s: f"《{s}》" if s and not s.endswith("会") else s or "")
    number = merged["document_number"].fillna("").map(lambda s: f"（{s}）" if s else "")
    return pd.DataFrame({
        t("db.programme_short", lang): merged["name_zh"],
        t("ins.start", lang): merged["start_year"].astype(int),
        t("ins.document", lang): merged["issuer"] + "：" + document + number,
        t("ins.rule", lang): merged["rule_zh"].fillna(t("ins.no_rule", lang)),
        t("ins.rule_source", lang): merged["source_title_rule"].fillna("—"),
        t("db.confidence", lang): merged["confidence_rule"].map(
            lambda c: t(f"db.conf.{c}", lang) if isinstance(c, str) else "—"),
    }).set_index(t("db.programme_short", lang))


def instrument_matrix(programmes: pd.DataFrame, aid: pd.DataFrame, rules: pd.DataFrame,
                      lang: str = "zh") -> pd.DataFrame:
    """Programmes (rows) by instrument (columns): number of sourced figures in the database, '—' for none."""
    counts = pd.crosstab(aid["programme_id"], aid["measure"]).reindex(columns=list(MEASURES), fill_value=0)
    counts["rule"] = rules.groupby("programme_id").size()
    counts = counts.reindex(programmes["programme_id"]).fillna(0).astype(int)
    counts.index = programmes.set_index("programme_id").loc[counts.index, "name_zh"]
    counts.index.name = t("db.programme_short", lang)
    counts.columns = [t(f"ins.measure.{c}", lang) for c in counts.columns]
    return counts.map(lambda n: str(n) if n else "—")


def share_of_figures(scaled: pd.DataFrame, scale: str) -> float:
    """Share (0–1) of money figures for which a yardstick could be computed."""
    return float(scaled[scale].notna().mean()) if scale in scaled else 0.0


def scale_summary(scaled: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Per yardstick: how many figures could be scaled, smallest and largest value (Chinese labels)."""
    rows = {}
    for scale in SCALES:
        values = scaled[scale].dropna() if scale in scaled else pd.Series(dtype=float)
        rows[t(f"ins.scale.{scale}", lang)] = {t("count", lang): int(values.size),
                                                t("ins.min", lang): round(float(values.min()), 3),
                                                t("ins.max", lang): round(float(values.max()), 3)}
    table = pd.DataFrame(rows).T
    table.index.name = t("ins.scale", lang).rstrip("：: ")
    return table.astype({t("count", lang): int})


# The three "two-wheel" cases of figure 4-1 and its key-number table: the chapter's chosen slider positions
# (capital transfer 10% of recipient output, productivity gain 20%, ten years of support).
TWO_WHEEL_CASES = {"none": (0.0, 0.0), "capital": (0.10, 0.0), "productivity": (0.0, 0.20), "both": (0.10, 0.20)}
TWO_WHEEL_YEARS = 10


def two_wheel_paths(years=(0, 5, 10, 20, 30, 40)) -> pd.DataFrame:
    """Recipient output per head in the four cases of ``TWO_WHEEL_CASES`` at the given years (rows)."""
    from .models import growth

    paths = {name: growth.simulate(*args, TWO_WHEEL_YEARS).set_index("year")["recipient"]
             for name, args in TWO_WHEEL_CASES.items()}
    return pd.concat(paths, axis=1).loc[list(years)]


def two_wheel_numbers() -> dict[str, float]:
    """The numbers chapter 4 writes about figure 4-1: levels, increments over 'no support' and the cross term.

    ``ch4_{case}_{year}`` is recipient output, ``ch4_gain_{case}_{year}`` its increment over the no-support
    path, ``ch4_sum_{year}`` the sum of the two single-instrument increments and ``ch4_cross_{year}`` what
    using both adds beyond that sum; years 10 (support just ended), 30 and 40. ``ch4_mpk_rise`` is the rise
    of the marginal product of capital at the steady-state capital when productivity rises by the case's gain
    (exercise 4): the marginal product is proportional to productivity.
    """
    from .models import growth

    paths = two_wheel_paths((10, 20, 30, 40))
    numbers: dict[str, float] = {}
    for year in paths.index:
        for case in ("capital", "productivity", "both"):
            numbers[f"ch4_{case}_{year}"] = float(paths.loc[year, case])
            numbers[f"ch4_gain_{case}_{year}"] = float(paths.loc[year, case] - paths.loc[year, "none"])
        single = numbers[f"ch4_gain_capital_{year}"] + numbers[f"ch4_gain_productivity_{year}"]
        numbers[f"ch4_sum_{year}"] = single
        numbers[f"ch4_cross_{year}"] = numbers[f"ch4_gain_both_{year}"] - single
    p, gain = growth.DEFAULT, TWO_WHEEL_CASES["productivity"][1]
    capital = growth.steady_state_capital(1.0)
    steady_mpk = p.alpha * capital ** (p.alpha - 1)
    numbers["ch4_mpk_rise"] = float(p.alpha * (1 + gain) * capital ** (p.alpha - 1) / steady_mpk - 1)
    # the new steady state once support ends and the kept share of the gain stays: y* ∝ A^(1/(1-alpha))
    numbers["ch4_new_steady_rise"] = float((1 + p.persistence * gain) ** (1 / (1 - p.alpha)) - 1)
    numbers["ch4_half_life"] = float(growth.convergence_half_life())
    return numbers


def yearly_average_numbers(aid: pd.DataFrame, cumulative_id: str = "A061", yearly_id: str = "A035") -> dict[str, float | int]:
    """Exercise 2's answers from two rows of ``aid_figures``: a cumulative total per year, a yearly total per donor.

    The cumulative total is divided both by the span of years (last − first) and by the number of calendar
    years it touches (last − first + 1), because the source does not say whether the end years are whole;
    the yearly total is divided by the number of donors its ``donor`` field names ("19个省市").
    """
    rows = aid.set_index("figure_id")
    for figure in (cumulative_id, yearly_id):
        if figure not in rows.index:
            raise KeyError(f"aid_figures.csv: no row with figure_id {figure}")
    total = rows.loc[cumulative_id]
    first, last = int(total["period_start"]), int(total["period_end"])
    yearly = rows.loc[yearly_id]
    match = _GROUP.match(str(yearly["donor"]))
    if not match:
        raise ValueError(f"aid_figures.csv row {yearly_id}, column donor: no donor count in {yearly['donor']!r}")
    donors = int(match.group(1) or match.group(2))
    return {
        "ch4_ex2_span": last - first, "ch4_ex2_years": last - first + 1,
        "ch4_ex2_per_span": float(total["value"]) / (last - first),
        "ch4_ex2_per_year": float(total["value"]) / (last - first + 1),
        "ch4_ex2_per_donor": float(yearly["value"]) / donors,
        "ch4_ex2_gap_years": int(yearly["period_start"]) - first,
    }
