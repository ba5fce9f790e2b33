"""The pairing design lab: the rule is feasible, covers every recipient, beats random pairs on its own objective,
and refuses all-zero weights or too few donors with a Chinese message."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from pairing_assistance import design_lab as lab


def synthetic_case(n_donors, n_recipients, seed):
    rng = np.random.default_rng(seed)
    donors = tuple(f"d{i}" for i in range(n_donors))
    recipients = tuple(f"r{j}" for j in range(n_recipients))
    shape = (n_recipients, n_donors)
    scores = {c: rng.random(shape) for c in lab.CRITERIA}
    actual = tuple((donors[j % n_donors], r) for j, r in enumerate(recipients))
    return lab.Case("test", 2000, donors, recipients, {c: c for c in donors + recipients}, scores,
                    rng.uniform(100, 3000, shape), rng.uniform(1, 10, n_recipients), rng.uniform(100, 5000, n_donors),
                    actual)


weights_strategy = st.fixed_dictionaries({c: st.integers(0, 3) for c in lab.CRITERIA}).filter(
    lambda w: any(w.values()))


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 8), st.integers(1, 12), st.integers(1, 3), weights_strategy, st.integers(0, 10_000))
def test_rule_is_feasible_covers_everyone_and_beats_random_pairs(n_donors, n_recipients, cap, weights, seed):
    case = synthetic_case(n_donors, n_recipients, seed)
    if n_donors * cap < n_recipients:
        with pytest.raises(lab.LabError, match="支援方太少"):
            lab.solve(case, weights, cap)
        return
    donor_of = lab.solve(case, weights, cap)
    assert len(donor_of) == n_recipients  # every recipient gets exactly one donor
    assert np.bincount(donor_of, minlength=n_donors).max() <= cap  # no donor over its cap
    best = lab.objective(case, weights, donor_of)
    rng = np.random.default_rng(seed)
    for _ in range(20):
        assert best >= lab.objective(case, weights, lab.random_assignment(case, cap, rng)) - 1e-9


def test_optimum_equals_brute_force_on_a_small_case():
    import itertools
    case = synthetic_case(3, 3, 7)
    weights = {"distance": 1.0, "need": 2.0}
    best = max(itertools.permutations(range(3)), key=lambda p: lab.objective(case, weights, np.array(p)))
    assert lab.objective(case, weights, lab.solve(case, weights, 1)) == pytest.approx(
        lab.objective(case, weights, np.array(best)))


def test_all_zero_weights_are_refused_in_chinese():
    case = synthetic_case(3, 3, 1)
    with pytest.raises(lab.LabError, match="权重全为零"):
        lab.solve(case, dict.fromkeys(lab.CRITERIA, 0.0), 1)


def test_negative_and_unknown_weights_are_refused():
    case = synthetic_case(3, 3, 1)
    with pytest.raises(lab.LabError):
        lab.solve(case, {"distance": -1.0}, 1)
    with pytest.raises(KeyError):
        lab.solve(case, {"beauty": 1.0}, 1)


def test_weight_grid_index_matches_the_page_formula():
    grid = lab.weight_grid()
    assert len(grid) == 3 ** len(lab.CRITERIA)
    for k, weights in enumerate(grid):
        assert k == sum(int(weights[c]) * 3 ** (len(lab.CRITERIA) - 1 - n) for n, c in enumerate(lab.CRITERIA))


def test_actual_pairs_score_full_overlap_and_evaluate_is_consistent():
    case = synthetic_case(4, 4, 3)
    donor_of = np.array([case.donors.index(d) for d, r in sorted(case.actual, key=lambda p: case.recipients.index(p[1]))])
    assert lab.evaluate(case, donor_of)["overlap"] == 1.0
    assert lab.evaluate(case, donor_of)["gini"] == pytest.approx(lab.evaluate_actual(case)["gini"])


def test_haversine_beijing_to_shanghai_is_about_1070_km():
    assert lab.haversine_km((116.40, 39.90), (121.47, 31.23)) == pytest.approx(1068, abs=15)


def test_real_cases_build_and_precompute():
    cases = lab.load_cases()
    assert [(c.programme_id, c.year) for c in cases] == list(lab.CASES)
    for case in cases:
        assert set(d for d, _ in case.actual) == set(case.donors)
        assert all(0 <= s.min() and s.max() <= 1 for s in case.scores.values())
    pairs, measures = lab.precompute(cases)
    zero = measures[(measures["w"] == 0) & (measures["cap"] > 0)]
    feasible_cap = [len(cases[c].donors) * k >= len(cases[c].recipients) for c, k in zip(zero["case"], zero["cap"])]
    assert (zero["message"][feasible_cap] == lab.t("lab.zero")).all()
    assert zero["message"][[not f for f in feasible_cap]].str.startswith("支援方太少").all()
    feasible = measures[(measures["message"] == "") & (measures["w"] >= 0)]
    per_solution = pairs[pairs["w"] >= 0].groupby(["case", "cap", "w"]).size()
    for (c, cap, w), n in per_solution.items():
        assert n == len(cases[c].recipients)
    assert len(per_solution) == len(feasible)


def _drawn_lines(spec: dict, values: dict) -> list[str]:
    import re

    vl_convert = pytest.importorskip("vl_convert")
    for param in spec["params"]:
        if param["name"] in values:
            param["value"] = values[param["name"]]
    svg = vl_convert.vegalite_to_svg(spec)
    lines = []
    for inner in re.findall(r"<text[^>]*>(.*?)</text>", svg, re.DOTALL):
        lines += re.findall(r"<tspan[^>]*>([^<]*)</tspan>", inner) or [inner]
    return lines


def test_the_page_states_every_setting_on_short_lines():
    """Each weight and the cap show in words (every control visibly changes the page); no line is wider than
    the lab, so the lab is not shrunk on the page."""
    from pairing_assistance import data
    from pairing_assistance.charts.design_lab import design_lab_chart

    cases = lab.load_cases()
    labels = [lab.case_label(c, data.load_table("programmes")) for c in cases]
    pairs, measures = lab.precompute(cases)
    spec = design_lab_chart(cases, labels, pairs, measures).to_dict()
    chosen = {f"w_{c}": n % 3 for n, c in enumerate(lab.CRITERIA)} | {"cap_pick": 3}
    lines = _drawn_lines(spec, chosen)
    setting = [line for line in lines if "×" in line or "最多结对" in line]
    assert any(line.startswith("当前设定：") and "最多结对 3 个" in line for line in setting), setting
    for n, c in enumerate(lab.CRITERIA):
        name = lab.t(f"lab.w.{c}").split("：")[-1]
        assert any(f"{name}×{n % 3}" in line for line in setting), (name, setting)
    assert max(len(line) for line in setting) <= 40  # 13 px characters: under the lab's 640 px width
