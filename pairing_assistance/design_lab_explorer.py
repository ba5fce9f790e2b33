"""The design lab live in Jupyter: continuous weights and any cap, solved on each change (ipywidgets)."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from . import design_lab as lab
from .i18n import t


def lab_explorer(cases: tuple[lab.Case, ...], labels: list[str]) -> widgets.VBox:
    """Sliders for the five weights (0–5), the cap (1–6) and the case; prints the pairs and the measures."""
    case = widgets.Dropdown(options=list(zip(labels, range(len(cases)))), description=t("lab.case"))
    cap = widgets.IntSlider(value=2, min=1, max=6, description=t("lab.capacity"))
    weights = {c: widgets.FloatSlider(value=1.0 if c in ("need", "distance") else 0.0, min=0, max=5, step=0.1,
                                      description=t(f"lab.w.{c}"), style={"description_width": "initial"})
               for c in lab.CRITERIA}
    out = widgets.Output()

    def redraw(*_):
        chosen = cases[case.value]
        out.clear_output()
        with out:
            try:
                donor_of = lab.solve(chosen, {c: w.value for c, w in weights.items()}, cap.value)
            except lab.LabError as error:
                print(error)
                return
            names = chosen.names
            print(pd.DataFrame({t("ins.recipient"): [names[r] for r in chosen.recipients],
                                t("lab.proposed"): [names[chosen.donors[i]] for i in donor_of]}).to_string(index=False))
            proposed, actual = lab.evaluate(chosen, donor_of), lab.evaluate_actual(chosen)
            for key, label in (("overlap", "lab.overlap"), ("distance", "lab.distance"), ("gini", "lab.equity")):
                print(f"{t(label)}：{t('lab.proposed')} {proposed[key]:.3f}，{t('lab.actual')} {actual[key]:.3f}")

    for control in (case, cap, *weights.values()):
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([case, cap, *weights.values(), out])
