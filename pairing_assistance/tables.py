"""Tables as readers see them: Chinese headers with units, formatted values, no pandas artefacts.

``reader_table(frame)`` turns a result table of the package into a ``ReaderTable``
that a notebook cell can return. myst-nb shows its HTML (a plain ``<table>``
with ``<th scope="col">`` headers, numbers right-aligned); nbval compares its
plain text, which holds the same formatted numbers. Every header comes from
``COLUMNS`` (keys of ``pairing_assistance.i18n``): a column the registry does
not know raises ``KeyError`` naming it, so a variable name can never reach a
page. A named index (``year``, ``case``) becomes an ordinary first column; an
unnamed index is a row counter and is dropped. Missing values show as "—"
(or a column's own word, e.g. 至今 for an open end year), never NaN or <NA>.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .i18n import t


@dataclass(frozen=True)
class Column:
    """How one column is shown.

    ``label``: i18n key of the header; ``unit``: i18n key of the unit, shown as 标题（单位）;
    ``digits``: decimals of a number (``None``: whole numbers, or text as it is);
    ``codes``: i18n prefix that turns a code into its label (``"scenario"`` -> ``t("scenario.before")``);
    ``missing``: i18n key of the text shown for a missing value;
    ``scale``: factor applied before formatting (100 turns a share into a percentage).
    """

    label: str
    unit: str | None = None
    digits: int | None = None
    codes: str | None = None
    missing: str = "table.missing"
    scale: float = 1.0

    def header(self, lang: str = "zh") -> str:
        return f"{t(self.label, lang)}（{t(self.unit, lang)}）" if self.unit else t(self.label, lang)

    def cell(self, value, lang: str = "zh") -> str:
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
            return t(self.missing, lang)
        if self.codes:
            return t(f"{self.codes}.{value}", lang)
        if isinstance(value, (bool, np.bool_)):
            return t("yes" if value else "no", lang)
        if isinstance(value, (int, float, np.number)):
            number = float(value) * self.scale
            if self.digits is None:
                return f"{number:.0f}"
            # "-0.000" would suggest a sign the number does not have
            text = f"{number:.{self.digits}f}"
            return text[1:] if text.startswith("-") and float(text) == 0 else text
        return str(value)


def _three(label: str, unit: str | None = None) -> Column:
    return Column(label, unit, digits=3)


# Every column a chapter shows, by the name it has in the package's result tables.
COLUMNS: dict[str, Column] = {
    "year": Column("year"),
    "stage": Column("stage", codes="stage"),
    "events": Column("count", "unit.events"),
    "first_year": Column("first_year"),
    "last_year": Column("last_year"),
    "label": Column("col.label"),
    # chapter 2: equalisation and growth models
    "scenario": Column("scenario", codes="scenario"),
    "gini": _three("col.gini"),
    "cv": _three("col.cv"),
    "theil": _three("col.theil"),
    "loss_pct": _three("col.loss_pct", "unit.percent"),
    "donor_burden_pct": _three("col.donor_burden_pct", "unit.percent"),
    "donor": _three("col.output_donor"),
    "recipient": _three("col.output_recipient"),
    "economy": Column("gr.economy", codes="economy"),
    "output": _three("col.output"),
    "min": _three("col.min"),
    "max": _three("col.max"),
    "median": _three("col.median"),
    # chapter 5: estimates
    "case": Column("col.case", codes="est.case"),
    "outcome": Column("col.outcome", codes="est.outcome"),
    "estimator": Column("col.estimator", codes="est"),
    "donor_pool": Column("col.donor_pool", codes="est.pool"),
    "treatment_year": Column("col.treatment_year"),
    "pre_start": Column("col.pre_start"),
    "post_end": Column("col.post_end"),
    "post_years": Column("col.post_years", "unit.years"),
    "att": _three("col.att"),
    "full_att": _three("col.full_att"),
    "estimate": _three("est.estimate"),
    "pre_rmspe": _three("col.pre_rmspe"),
    "p_value": _three("col.p_value"),
    "n_donors": Column("col.n_donors"),
    "n_specs": Column("col.n_specs"),
    "share_p_le_010": Column("col.share_p_le_010", "unit.percent", digits=0, scale=100.0),
    "min_p": _three("col.min_p"),
    "weights": Column("col.weights"),
    "dropped": Column("col.dropped"),
    "weight_in_full": _three("col.weight_in_full"),
    "event_time": Column("col.event_time"),
    "coef": _three("col.coef"),
    "placebo_min": _three("col.placebo_min"),
    "placebo_max": _three("col.placebo_max"),
    "sigma": _three("col.sigma"),
    "sigma_weighted": _three("col.sigma_weighted"),
    "start": Column("col.start"),
    "end": Column("col.end"),
    "beta": Column("col.beta", digits=4),
    "se": Column("col.se", digits=4),
    "speed": Column("col.speed", digits=4),
    "half_life": Column("col.half_life", "unit.years", digits=1),
    "r_squared": _three("col.r_squared"),
    "n": Column("col.n_provinces"),
    "total": _three("col.theil"),
    "between": _three("col.between"),
    "within": _three("col.within"),
    "between_share": _three("col.between_share"),
    "vintage_a": Column("col.vintage_a"),
    "vintage_b": Column("col.vintage_b"),
    "median_abs_rel_diff": _three("col.median_abs_rel_diff"),
    "max_abs_rel_diff": _three("col.max_abs_rel_diff"),
    "max_province": Column("col.max_province"),
    "max_year": Column("col.max_year"),
    # section 3.1: pairing database (map programme ids to names before)
    "programme": Column("db.programme_short"),
    "pairs": Column("db.pairs"),
    "donors": Column("db.donors"),
    "recipients": Column("db.recipients"),
    "high": Column("db.high_rows"),
    "role": Column("db.role", codes="db.role"),
    "unit": Column("db.unit"),
    "partner": Column("db.partner"),
    "partner_province": Column("db.partner_province"),
    "valid_from": Column("db.from"),
    "valid_to": Column("db.to", missing="table.ongoing"),
    "confidence": Column("db.confidence", codes="db.conf"),
}


# A cell longer than this (characters) holds a sentence: its column keeps a readable width (pairing.css) and a
# table of several such columns scrolls sideways in its box instead of squeezing them to a few characters.
LONG_CELL = 40


@dataclass(frozen=True)
class ReaderTable:
    """Formatted cells with their headers; shown as HTML by Jupyter and myst-nb, as aligned text by nbval."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]
    caption: str = ""

    @property
    def frame(self) -> pd.DataFrame:
        """The formatted table as a DataFrame of strings (for tests and downloads)."""
        return pd.DataFrame(list(self.rows), columns=list(self.headers))

    def _repr_html_(self) -> str:
        def cell(tag: str, text: str, numeric: bool, extra: str = "") -> str:
            # inline, so the table reads the same in Jupyter, on the site and in print without a stylesheet
            align = ' class="pairing-num" style="text-align:right"' if numeric else ""
            if not numeric and len(text) > LONG_CELL:  # a sentence: a readable column, the box scrolls instead
                align = ' class="pairing-long"'
            return f"<{tag}{extra}{align}>{html.escape(text)}</{tag}>"

        caption = f"<caption>{html.escape(self.caption)}</caption>" if self.caption else ""
        head = "".join(cell("th", h, n, ' scope="col"') for h, n in zip(self.headers, self.numeric))
        body = "".join("<tr>" + "".join(cell("td", v, n) for v, n in zip(row, self.numeric)) + "</tr>"
                       for row in self.rows)
        # a wide table scrolls inside its own box (phones); the box is focusable so keyboards can scroll it
        name = html.escape(self.caption or t("table.name"), quote=True)
        return (f'<div class="pairing-table-wrap" role="region" aria-label="{name}" tabindex="0" '
                f'style="overflow-x:auto"><table class="pairing-table">{caption}'
                f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")

    def __repr__(self) -> str:
        table = [self.headers, *self.rows]
        widths = [max(_width(row[i]) for row in table) for i in range(len(self.headers))]
        lines = ["  ".join(_pad(v, w, n) for v, w, n in zip(row, widths, self.numeric)).rstrip() for row in table]
        return "\n".join(([self.caption] if self.caption else []) + lines)


def _width(text: str) -> int:
    """Display width: CJK and full-width characters take two columns."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    space = " " * (width - _width(text))
    return space + text if right else text + space


_CJK = re.compile(r"[\u3400-\u9fff]")
_IDENTIFIER = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def labelled_table(frame: pd.DataFrame | pd.Series, digits: int = 3, caption: str = "") -> ReaderTable:
    """A table whose headers are already Chinese (e.g. from ``summaries``): values formatted, index as a column.

    Each header must contain Chinese and no code identifier, else ``KeyError`` names it; whole numbers stay
    whole, other numbers get ``digits`` decimals, missing values show as "—".
    """
    if isinstance(frame, pd.Series):
        frame = frame.to_frame()
    if any(name is not None for name in frame.index.names):
        frame = frame.reset_index()
    bad = [str(c) for c in frame.columns if not _CJK.search(str(c)) or _IDENTIFIER.search(str(c))]
    if bad:
        raise KeyError(f"labelled_table: header(s) {bad} are not Chinese labels; use reader_table")
    columns = {c: Column("table.name", digits=None if pd.api.types.is_integer_dtype(frame[c]) else digits)
               for c in frame.columns}
    table = reader_table(frame, columns=columns, caption=caption)
    return ReaderTable(tuple(str(c) for c in frame.columns), table.rows, table.numeric, caption)


def reader_table(frame: pd.DataFrame | pd.Series, columns: dict[str, Column] | None = None,
                 caption: str = "", lang: str = "zh") -> ReaderTable:
    """Format ``frame`` for readers; ``columns`` adds or overrides entries of ``COLUMNS``.

    Raises ``KeyError`` naming any column (or index level) that has no Chinese header, and
    ``ValueError`` for tables with several header rows (flatten them first).
    """
    if isinstance(frame, pd.Series):
        frame = frame.to_frame()
    if isinstance(frame.columns, pd.MultiIndex):
        raise ValueError("reader_table: columns with several levels; flatten or reshape the table first")
    if any(name is not None for name in frame.index.names):
        frame = frame.reset_index()
    known = {**COLUMNS, **(columns or {})}
    unknown = [str(c) for c in frame.columns if c not in known]
    if unknown:
        raise KeyError(f"reader_table: no Chinese header for column(s) {unknown}; add them to tables.COLUMNS "
                       "or pass columns={...}")
    specs = [known[c] for c in frame.columns]
    numeric = tuple(pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
                    and spec.codes is None for c, spec in zip(frame.columns, specs))
    rows = tuple(tuple(spec.cell(value, lang) for spec, value in zip(specs, record))
                 for record in frame.itertuples(index=False, name=None))
    return ReaderTable(tuple(spec.header(lang) for spec in specs), rows, numeric, caption)
