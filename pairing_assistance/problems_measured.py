"""Chapter 6: the problems the review lists, measured from the pairing database where it can be done.

* stability: at each recorded adjustment of a programme, what became of the pairs in force the year before
  (kept, donor changed, dropped) and how many pairs came with new recipients;
* burden: recipient units and programmes per donor province in a year, against its 2019 tax revenue;
* overlap: recipient provinces reached by several programmes in the same year.

All counts are of rows in ``pairings`` (one donor unit and one recipient unit); lower-level units are rolled up
to their province where a province is needed. The database is incomplete (see appendix A), so every number
is "in the database", not "in reality".
"""

from __future__ import annotations

import pandas as pd
from scipy import stats

from .i18n import t
from .pairings import active_in, with_provinces

STATUSES = ("kept", "changed", "dropped", "added")


def _pairs(frame: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(frame["donor_name"], frame["recipient_name"]))


def compare_lists(before: pd.DataFrame, after: pd.DataFrame) -> dict[str, int]:
    """Counts between two lists: kept; changed (recipient stays, donor differs); dropped; added (new recipient or
    an extra donor for a recipient whose pairs were all kept)."""
    old, new = _pairs(before), _pairs(after)
    new_recipients = {r for _, r in new}
    kept = old & new
    lost = old - new
    changed = {p for p in lost if p[1] in new_recipients}
    replaced = {r for _, r in changed}
    # a new pair is "added" unless it replaces a lost pair of the same recipient (new recipient or extra donor)
    return {"pairs_before": len(old), "kept": len(kept), "changed": len(changed), "dropped": len(lost - changed),
            "added": len({p for p in new - old if p[1] not in replaced})}


def stability(pairings: pd.DataFrame, programmes: pd.DataFrame) -> pd.DataFrame:
    """One row per programme adjustment: the pairs of the year before against the pairs of the adjustment year.

    Also compares the Wenchuan emergency list (May 2008) with the reconstruction plan (June 2008).
    """
    rows = []
    for _, programme in programmes.iterrows():
        years = [int(y) for y in str(programme["adjustment_years"] or "").split(";") if y.strip()]
        own = pairings[pairings["programme_id"] == programme["programme_id"]]
        for year in years:
            counts = compare_lists(active_in(own, year - 1), active_in(own, year))
            rows.append({"programme_id": programme["programme_id"], "name": programme["name_zh"],
                         "adjustment": str(year), **counts})
    may = pairings[pairings["programme_id"] == "wenchuan_2008_may"]
    june = pairings[pairings["programme_id"] == "wenchuan_2008_june"]
    if len(may) and len(june):
        names = programmes.set_index("programme_id")["name_zh"]
        rows.append({"programme_id": "wenchuan_2008_june", "name": names["wenchuan_2008_june"],
                     "adjustment": "2008年5月→6月", **compare_lists(may, june)})
    table = pd.DataFrame(rows)
    table = table[table["pairs_before"] > 0].reset_index(drop=True)
    table["share_kept"] = table["kept"] / table["pairs_before"]
    return table


def stability_long(table: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Long form for the stacked bars: shares of the pairs before (added as a share too, may exceed 1)."""
    long = table.melt(id_vars=["name", "adjustment", "pairs_before"], value_vars=list(STATUSES),
                      var_name="status", value_name="pairs")
    long["share"] = long["pairs"] / long["pairs_before"]
    long["status_label"] = long["status"].map(lambda s: t(f"pb.{s}", lang))
    long["case"] = long["name"] + "（" + long["adjustment"] + "）"
    return long


def stability_table(table: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Readable version with Chinese headers."""
    out = table[["name", "adjustment", "pairs_before", *STATUSES]].copy()
    out["share_kept"] = (100 * table["share_kept"]).round(0).astype(int).astype(str) + "%"
    out = out.rename(columns={"name": t("db.programme_short", lang), "adjustment": t("pb.adjustment", lang),
                               "pairs_before": t("pb.pairs_before", lang), "share_kept": t("pb.share_kept", lang),
                               **{s: t(f"pb.{s}", lang) for s in STATUSES}})
    return out.set_index(t("db.programme_short", lang))


def burden(pairings: pd.DataFrame, regions: pd.DataFrame, fiscal: pd.DataFrame, year: int) -> pd.DataFrame:
    """Per donor province in ``year``: recipient units paired, programmes, 2019 tax revenue (100 million yuan)."""
    active = with_provinces(active_in(pairings, year), regions).dropna(subset=["donor_province"])
    per_donor = active.groupby(["donor_province", "donor_province_name"]).agg(
        recipients=("recipient_name", "nunique"), programmes=("programme_id", "nunique")).reset_index()
    revenue = fiscal.set_index("code")["tax_revenue_100m"]
    per_donor["revenue"] = per_donor["donor_province"].map(revenue)
    per_donor["year"] = year
    return per_donor.dropna(subset=["revenue"]).reset_index(drop=True)


def burden_correlation(per_donor: pd.DataFrame) -> float:
    """Spearman rank correlation of recipient units per donor with its tax revenue (NaN if < 3 donors)."""
    if len(per_donor) < 3:
        return float("nan")
    return float(stats.spearmanr(per_donor["recipients"], per_donor["revenue"]).statistic)


def overlap(pairings: pd.DataFrame, regions: pd.DataFrame, year: int) -> pd.DataFrame:
    """Per recipient province in ``year``: number of programmes reaching it and recipient units there."""
    active = with_provinces(active_in(pairings, year), regions).dropna(subset=["recipient_province"])
    table = active.groupby("recipient_province_name").agg(
        programmes=("programme_id", "nunique"), units=("recipient_name", "nunique")).reset_index()
    table["year"] = year
    return table.sort_values(["programmes", "units"], ascending=False).reset_index(drop=True)


def units_in_several(pairings: pd.DataFrame, year: int) -> pd.DataFrame:
    """Recipient units (by code) that belong to two or more programmes in ``year``."""
    active = active_in(pairings, year).dropna(subset=["recipient_code"])
    active = active[active["recipient_code"] != ""]
    counts = active.groupby(["recipient_code", "recipient_name"])["programme_id"].nunique()
    return counts[counts >= 2].reset_index(name="programmes")


def policy_basis_table(basis: pd.DataFrame, programmes: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Laws and regulations (``policy_basis``) followed by each programme's own founding document or meeting."""
    laws = pd.DataFrame({
        "level": basis["level"], "title": "《" + basis["title"] + "》" + basis["article"].fillna(""),
        "issuer": basis["issuer"], "date": basis["date"].astype(str), "number": basis["document_number"].fillna(""),
        "content": basis["content_zh"], "source": basis["source_title"], "confidence": basis["confidence"]})
    meeting = programmes["document_title"].str.endswith("会")
    docs = pd.DataFrame({
        "level": "programme_document",
        "title": programmes["document_title"].where(meeting, "《" + programmes["document_title"] + "》"),
        "issuer": programmes["issuer"], "date": programmes["start_year"].astype(int).astype(str),
        "number": programmes["document_number"].fillna(""),
        "content": t("pb.content_programme", lang) + programmes["name_zh"],
        "source": programmes["source_title"], "confidence": programmes["confidence"]})
    out = pd.concat([laws, docs], ignore_index=True)
    out["level"] = out["level"].map(lambda v: t(f"pb.level.{v}", lang))
    out["confidence"] = out["confidence"].map(lambda c: t(f"db.conf.{c}", lang))
    out["number"] = out["number"].replace("", "—")
    headers = {"level": "pb.level", "title": "pb.title", "issuer": "pb.issuer", "date": "pb.date", "number": "pb.number",
               "content": "pb.content", "source": "pb.source", "confidence": "db.confidence"}
    return out.rename(columns={c: t(k, lang) for c, k in headers.items()}).set_index(t("pb.level", lang))


def evidence_lines(stable: pd.DataFrame, per_donor: pd.DataFrame, overlap_table: pd.DataFrame,
                   programmes: pd.DataFrame, lab_overlap: float, lang: str = "zh") -> pd.DataFrame:
    """The review's problems with what this book measured and the kind of evidence behind each (Chinese)."""
    without_number = int((programmes["document_number"].fillna("") == "").sum())
    several = overlap_table[overlap_table["programmes"] >= 2]
    rows = [
        ("结对变动频繁", "各项目调整时结对的去留",
         f"调整时保留的结对占 {stable['share_kept'].min():.0%}—{stable['share_kept'].max():.0%}", "measured"),
        ("结对选择缺乏标准", "设计实验室：明确规则提出的结对与实际结对的重合",
         f"默认权重下与实际结对重合的受援方约占 {lab_overlap:.0%}", "measured"),
        ("支援负担与财力不匹配", "每个支援省份结对的受援单位数与其税收收入的等级相关",
         f"斯皮尔曼相关系数 {burden_correlation(per_donor):.2f}（{int(per_donor['year'].iloc[0])}年，{len(per_donor)}个省份）",
         "measured"),
        ("多项目叠加、协调困难", "同一年同一受援省份所处的项目数",
         f"{len(several)}个受援省份同时处在两个及以上项目中（{int(overlap_table['year'].iloc[0])}年）", "measured"),
        ("缺乏法律保障", "各项目的设立依据有无文号",
         f"{len(programmes)}个项目中有{without_number}个的依据是会议或未读到文号的文件", "measured"),
        ("配置效率偏低", "需要逐对的投入与产出数据，本书没有", "王磊等（2018）的研究", "study"),
        ("三方博弈与不当竞争", "需要协议、拨付与谈判记录，本书没有", "综述所引研究的制度分析", "asserted"),
        ("面子工程、形象工程", "需要项目使用率和审计记录，本书没有", "综述所引研究的定性论述", "asserted"),
    ]
    table = pd.DataFrame(rows, columns=["problem", "measure", "result", "evidence"])
    table["evidence"] = table["evidence"].map(lambda e: t(f"pb.evidence.{e}", lang))
    return table.rename(columns={c: t(f"pb.{c}", lang) for c in table.columns}).set_index(t("pb.problem", lang))
