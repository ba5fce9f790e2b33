"""ipywidgets version of the 5.3 index builder (needs a live Jupyter kernel; the website uses the chart's controls).

It calls ``outcome_index.build_index`` itself, so any indicator, weight and year window can be tried;
unusable input shows the same Chinese message the function raises, never an empty or NaN table.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import ipywidgets as widgets
import pandas as pd
from IPython.display import display

from .i18n import t
from .outcome_index import DEFAULT_WEIGHTS, INDICATORS, IndexInputError, build_index, recipient_ranks
from .tables import labelled_table


def ranks_for(scores: pd.DataFrame, recipients: Sequence[str], weights: dict[str, float], first: int, last: int):
    """The recipients' ranks from ``first`` to ``last`` as a reader table, or the Chinese message of bad input."""
    years = list(range(first, last + 1))
    try:
        index = build_index(scores, weights, years=years)
    except IndexInputError as error:
        return str(error)
    table = recipient_ranks(index, recipients, years)
    table.index.name = t("oi.province")
    table.columns = [f"{y}年" if isinstance(y, int) else t("oi.change") for y in table.columns]
    return labelled_table(table)


def index_explorer(scores: pd.DataFrame, recipients: Sequence[str]) -> widgets.VBox:
    """Checkbox and weight slider per indicator plus a year range; shows the recipients' ranks by year."""
    use = {k: widgets.Checkbox(value=DEFAULT_WEIGHTS[k] > 0, description=t(f"oi.ind.{k}"), indent=False)
           for k in INDICATORS}
    weight = {k: widgets.FloatSlider(value=DEFAULT_WEIGHTS[k] or 1.0, min=0, max=3, step=0.5,
                                     description=t("oi.weight")) for k in INDICATORS}
    first, last = int(scores["year"].min()), int(scores["year"].max())
    years = widgets.IntRangeSlider(value=(first, last), min=first, max=last, description=t("oi.year"))
    output = widgets.Output()

    def refresh(_=None):
        chosen = {k: weight[k].value if use[k].value else 0.0 for k in INDICATORS}
        output.clear_output()
        with output:
            shown = ranks_for(scores, recipients, chosen, *years.value)
            display(widgets.HTML(f'<p style="color:#b30000">{html.escape(shown)}</p>') if isinstance(shown, str) else shown)

    for control in (*use.values(), *weight.values(), years):
        control.observe(refresh, names="value")
    refresh()
    rows = [widgets.HBox([use[k], weight[k]]) for k in INDICATORS]
    return widgets.VBox([*rows, years, output])
