"""Outcome index of section 5.3: standardised provincial indicators, weighted by the reader, ranked by year.

Input: ``data/panel/public_services.csv`` (long: code, province, year, indicator, value, unit). What
the raw statistics hold is what the index can use: per-person general budget expenditure in total and
on education, science and technology, agriculture-forestry-water (元/人, 2010–2020), the urbanisation
rate (%, 2005–2020) and professional and technical staff of public units per 10,000 people
(2005–2017). Health workers, hospital beds, teachers, enrolment and poverty headcounts — the outcomes
the review discusses — are not in the raw files; spending per person measures input, not outcome.

Method (all indicators count "higher = more"): each indicator is standardised within each year across
the provinces that report it (z-score; per-person spending in logs, because Xizang, Beijing and
Shanghai spend several times the median); the index of a province-year is Σ wᵢ zᵢ / Σ wᵢ over the
chosen indicators, so weights need not sum to one — they are rescaled and the rescaled shares are
reported. Rank 1 is the highest index among the provinces of that year.

Bad input raises ``IndexInputError`` with a Chinese message a page can show: all weights zero, a
negative or unknown weight, an indicator missing for a province-year. No index value is ever NaN.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

# indicator id -> standardised in logs? (per-person spending is strongly right-skewed)
INDICATORS: dict[str, bool] = {
    "education_pc": True,
    "science_pc": True,
    "agriculture_pc": True,
    "expenditure_pc": True,
    "urbanisation": False,
    "professionals_per_10k": False,
}
# Stated default: equal weights on the five indicators that cover 2010–2020; the staff series ends in 2017.
DEFAULT_WEIGHTS: dict[str, float] = {"education_pc": 1.0, "science_pc": 1.0, "agriculture_pc": 1.0,
                                     "expenditure_pc": 1.0, "urbanisation": 1.0, "professionals_per_10k": 0.0}
YEARS = (2010, 2020)  # the window in which the budget series exist
SENSITIVITY_DRAWS = 2000  # random weight vectors; enough for stable 5th/95th rank percentiles
RANK_PERCENTILES = (5, 95)  # the range of ranks reported under random weights (p05, p95)
RECIPIENT_PROGRAMMES = ("tibet_1994", "xinjiang_2010", "qinghai_2010")  # whole-province recipients of 对口支援


class IndexInputError(ValueError):
    """Input the index cannot use; the message is Chinese and meant for readers."""


def _label(indicator: str) -> str:
    from .i18n import t

    return t(f"oi.ind.{indicator}")


def recipient_provinces(pairings: pd.DataFrame, programmes: Sequence[str] = RECIPIENT_PROGRAMMES) -> list[str]:
    """Province codes that are recipients of ``programmes`` in the pairings table (sorted)."""
    from .estimate.specs import programme_provinces

    return sorted(set().union(*(programme_provinces(pairings, p)[1] for p in programmes)))


def standardise(services: pd.DataFrame, years: tuple[int, int] = YEARS) -> pd.DataFrame:
    """Long table code, province, year, indicator, value, score (z within year × indicator), in ``years``.

    Raises ``ValueError`` naming the row for a duplicate key, an unknown indicator, or a value ≤ 0 in an
    indicator standardised in logs.
    """
    frame = services[services["year"].between(*years)].copy()
    unknown = sorted(set(frame["indicator"]) - set(INDICATORS))
    if unknown:
        raise ValueError(f"public_services.csv, column 'indicator': unknown indicator(s) {unknown}")
    duplicated = frame.duplicated(["code", "year", "indicator"])
    if duplicated.any():
        row = frame[duplicated].iloc[0]
        raise ValueError(f"public_services.csv, row {row.name + 2}: duplicate {row['code']}/{row['year']}/{row['indicator']}")
    logged = frame["indicator"].map(INDICATORS).astype(bool)
    bad = logged & ~(frame["value"] > 0)
    if bad.any():
        row = frame[bad].iloc[0]
        raise ValueError(f"public_services.csv, row {row.name + 2}, column 'value': {row['value']!r} "
                         f"is not positive ({row['indicator']} is standardised in logs)")
    frame["year"] = frame["year"].astype(int)
    frame["code"] = frame["code"].astype(str)
    level = np.where(logged, np.log(frame["value"].where(logged, 1.0)), frame["value"])
    frame["level"] = level
    groups = frame.groupby(["year", "indicator"])["level"]
    frame["score"] = (frame["level"] - groups.transform("mean")) / groups.transform("std", ddof=0)
    return frame.drop(columns="level").reset_index(drop=True)


def normalised_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """Weights rescaled to sum to one (zeros dropped); ``IndexInputError`` for unknown, negative or all-zero."""
    unknown = sorted(set(weights) - set(INDICATORS))
    if unknown:
        raise IndexInputError(f"未知指标：{'、'.join(unknown)}")
    negative = [k for k, w in weights.items() if not np.isfinite(w) or w < 0]
    if negative:
        raise IndexInputError(f"权重不能为负数或缺失：{'、'.join(_label(k) for k in negative)}")
    total = float(sum(weights.values()))
    if total <= 0:
        raise IndexInputError("权重全为零：请至少给一个指标设定正的权重。")
    return {k: float(w) / total for k, w in weights.items() if w > 0}


def missing_cells(scores: pd.DataFrame, indicators: Sequence[str]) -> pd.DataFrame:
    """Province-years (code, province, year, indicator) lacking a chosen indicator, among all provinces
    and years present in ``scores``."""
    full = pd.MultiIndex.from_product([sorted(scores["code"].unique()), sorted(scores["year"].unique()),
                                       list(indicators)], names=["code", "year", "indicator"])
    have = pd.MultiIndex.from_frame(scores.dropna(subset=["score"])[["code", "year", "indicator"]])
    gaps = full.difference(have).to_frame(index=False)
    names = scores.drop_duplicates("code").set_index("code")["province"]
    return gaps.assign(province=gaps["code"].map(names))[["code", "province", "year", "indicator"]]


def missing_message(gaps: pd.DataFrame) -> str:
    """Chinese message for missing indicator data: which indicator, which years, how many provinces."""
    parts = []
    for indicator, part in gaps.groupby("indicator", sort=False):
        years = sorted(part["year"].unique())
        span = f"{years[0]}年" if len(years) == 1 else f"{years[0]}—{years[-1]}年"
        parts.append(f"“{_label(indicator)}”在{span}缺少{part['code'].nunique()}个省份的数据")
    return ("；".join(parts) + "。这些年份无法计算指数：请把该指标的权重设为零，或只看有数据的年份。")


def build_index(scores: pd.DataFrame, weights: Mapping[str, float], years: Sequence[int] | None = None) -> pd.DataFrame:
    """Index and rank of every province in each year: columns code, province, year, index, rank.

    ``weights``: indicator → non-negative weight (rescaled to sum to one). ``years``: restrict to these
    years (default: all in ``scores``). Raises ``IndexInputError`` when the weights are unusable or a
    chosen indicator is missing for a province-year in the requested years.
    """
    shares = normalised_weights(weights)
    chosen = scores[scores["indicator"].isin(list(shares))]
    if years is not None:
        chosen = chosen[chosen["year"].isin(list(years))]
        if chosen.empty:
            raise IndexInputError(f"所选年份没有数据：{'、'.join(str(y) for y in years)}")
    gaps = missing_cells(chosen, list(shares))
    if not gaps.empty:
        raise IndexInputError(missing_message(gaps))
    contribution = chosen["score"] * chosen["indicator"].map(shares)
    table = chosen.assign(part=contribution).groupby(["code", "province", "year"], as_index=False)["part"].sum()
    table = table.rename(columns={"part": "index"})
    table["rank"] = table.groupby("year")["index"].rank(ascending=False, method="min").astype(int)
    return table.sort_values(["year", "rank"]).reset_index(drop=True)


def recipient_ranks(index: pd.DataFrame, recipients: Sequence[str], years: Sequence[int]) -> pd.DataFrame:
    """Ranks of the recipient provinces in ``years`` (rows: province; columns: years) and the change."""
    part = index[index["code"].isin(list(recipients)) & index["year"].isin(list(years))]
    table = part.pivot(index="province", columns="year", values="rank")
    table["change"] = table[years[0]] - table[years[-1]]  # positive: moved up
    return table


def sensitivity(scores: pd.DataFrame, recipients: Sequence[str], year: int,
                weights: Mapping[str, float] = DEFAULT_WEIGHTS, draws: int = SENSITIVITY_DRAWS, seed: int = 12) -> pd.DataFrame:
    """How the recipients' rank in ``year`` depends on the weights over the indicators of ``weights`` > 0.

    One row per recipient: ``default`` rank; ``loo_best``/``loo_worst`` — best and worst rank when one
    indicator at a time is dropped (the rest equally weighted); ``single_best``/``single_worst`` — best
    and worst rank on one indicator alone; ``p05``/``p95`` — 5th and 95th percentile of the rank under
    ``draws`` weight vectors drawn uniformly from the simplex (Dirichlet(1, …, 1), fixed ``seed``).
    """
    chosen = [k for k, w in weights.items() if w > 0]
    base = build_index(scores, weights, years=[year])
    wide = scores[(scores["year"] == year) & scores["indicator"].isin(chosen)].pivot(
        index="code", columns="indicator", values="score")[chosen]
    matrix = wide.to_numpy()

    def ranks(weight_rows: np.ndarray) -> np.ndarray:
        values = matrix @ (weight_rows / weight_rows.sum(axis=1, keepdims=True)).T  # provinces × draws
        # rank 1 = highest; ties get the best rank (as build_index's method="min")
        return (values[None, :, :] > values[:, None, :]).sum(axis=1) + 1

    k = len(chosen)
    loo = ranks(1.0 - np.eye(k)) if k > 1 else ranks(np.ones((1, 1)))
    single = ranks(np.eye(k))
    random = ranks(np.random.default_rng(seed).dirichlet(np.ones(k), size=draws))
    position = {code: i for i, code in enumerate(wide.index)}
    names = base.set_index("code")["province"]
    rows = []
    for code in recipients:
        i = position[code]
        rows.append({"province": names[code], "default": int(base.set_index("code").loc[code, "rank"]),
                     "loo_best": int(loo[i].min()), "loo_worst": int(loo[i].max()),
                     "single_best": int(single[i].min()), "single_worst": int(single[i].max()),
                     "p05": int(np.percentile(random[i], RANK_PERCENTILES[0], method="lower")),
                     "p95": int(np.percentile(random[i], RANK_PERCENTILES[1], method="higher"))})
    return pd.DataFrame(rows)


def group_paths(services: pd.DataFrame, recipients: Sequence[str], years: tuple[int, int] = (2005, 2020)) -> pd.DataFrame:
    """Per indicator and year: each recipient's value, and the median and quartiles of the other provinces.

    Columns: indicator, year, series (a recipient's code or ``others``), value, q25, q75 (quartiles only
    for ``others``). Years an indicator lacks are simply absent (no NaN rows).
    """
    frame = services[services["year"].between(*years)].dropna(subset=["value"]).copy()
    frame["code"] = frame["code"].astype(str)
    frame["year"] = frame["year"].astype(int)
    own = frame[frame["code"].isin(list(recipients))]
    own = own.assign(series=own["code"])[["indicator", "year", "series", "value"]]
    rest = frame[~frame["code"].isin(list(recipients))].groupby(["indicator", "year"])["value"]
    others = pd.DataFrame({"value": rest.median(), "q25": rest.quantile(0.25), "q75": rest.quantile(0.75)})
    others = others.reset_index().assign(series="others")
    return pd.concat([own, others], ignore_index=True)


def sensitivity_table(table: pd.DataFrame, lang: str = "zh"):
    """``sensitivity`` as readers see it: Chinese headers, ranges written as 'best—worst'."""
    from .i18n import t
    from .tables import labelled_table

    def span(a: pd.Series, b: pd.Series) -> pd.Series:
        return a.astype(str).where(a == b, a.astype(str) + "—" + b.astype(str))

    shown = pd.DataFrame({t("oi.province", lang): table["province"], t("oi.default", lang): table["default"],
                          t("oi.loo", lang): span(table["loo_best"], table["loo_worst"]),
                          t("oi.single", lang): span(table["single_best"], table["single_worst"]),
                          t("oi.random", lang): span(table["p05"], table["p95"])})
    return labelled_table(shown)


def rank_move(before: int, after: int, first: int, last: int) -> str:
    """A rank in two years in words: "在 2010 年和 2020 年均居第 3 名" or "从 2010 年的第 8 名升至 2020 年的第 7 名"."""
    if before == after:
        return f"在 {first} 年和 {last} 年均居第 {before} 名"
    return f"从 {first} 年的第 {before} 名{'升' if after < before else '降'}至 {last} 年的第 {after} 名"


def headline_numbers(services: pd.DataFrame, scores: pd.DataFrame, recipients: Sequence[str],
                     years: tuple[int, int] = YEARS) -> dict:
    """The numbers 5.3's prose pastes (myst-nb glue): recipients, their ranks on the default index in the
    first and last year, the rank spread under random weights, and the recipients' spending and
    urbanisation against the other provinces' median."""
    from .estimate.identification import Shown, Words

    first, last = years
    names = services.drop_duplicates("code").set_index(services.drop_duplicates("code")["code"].astype(str))["province"]
    short = {"540000": "xz", "630000": "qh", "650000": "xj"}
    index = build_index(scores, DEFAULT_WEIGHTS)
    out: dict = {"oi_recipients": Words("、".join(names[c] for c in recipients)),
                 "oi_n_default": Shown(sum(w > 0 for w in DEFAULT_WEIGHTS.values()), "d"),
                 "oi_n_provinces": Shown(scores["code"].nunique(), "d"),
                 "oi_first": Shown(first, "d"), "oi_last": Shown(last, "d"),
                 "oi_draws": Shown(SENSITIVITY_DRAWS, "d"),
                 "oi_pct_low": Shown(RANK_PERCENTILES[0], "d"), "oi_pct_high": Shown(RANK_PERCENTILES[1], "d"),
                 "oi_paths_first": Shown(int(services["year"].min()), "d"),
                 "oi_paths_last": Shown(int(services["year"].max()), "d")}
    staff = services[services["indicator"] == "professionals_per_10k"]["year"]
    out["oi_staff_last"] = Shown(int(staff.max()), "d")
    out["oi_staff_gap"] = Shown(int(staff.max()) + 1, "d")
    sens = sensitivity(scores, recipients, last).set_index("province")
    paths = group_paths(services, recipients, years)
    for code in recipients:
        key = short.get(code, code)
        for year in (first, last):
            out[f"oi_{key}_rank_{year}"] = Shown(index[(index["code"] == code) & (index["year"] == year)]["rank"].iloc[0], "d")
        out[f"oi_{key}_rank_move"] = Words(rank_move(out[f"oi_{key}_rank_{first}"].value,
                                                     out[f"oi_{key}_rank_{last}"].value, first, last))
        row = sens.loc[names[code]]
        for column in ("p05", "p95", "single_best", "single_worst", "loo_best", "loo_worst"):
            out[f"oi_{key}_{column}"] = Shown(row[column], "d")
        for indicator, spec in (("education_pc", ".1f"), ("expenditure_pc", ".1f")):
            for year in (first, last):
                part = paths[(paths["indicator"] == indicator) & (paths["year"] == year)].set_index("series")["value"]
                out[f"oi_{key}_{indicator}_ratio_{year}"] = Shown(part[code] / part["others"], spec)
        urban = paths[(paths["indicator"] == "urbanisation") & (paths["year"] == last)].set_index("series")["value"]
        out[f"oi_{key}_urban_{last}"] = Shown(urban[code], ".1f")
    urban = paths[(paths["indicator"] == "urbanisation") & (paths["year"] == last)].set_index("series")["value"]
    out[f"oi_others_urban_{last}"] = Shown(urban["others"], ".1f")
    return out
