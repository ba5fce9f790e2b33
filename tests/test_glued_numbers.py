"""The package functions that compute the numbers chapters 3, 4 and 6 glue into their prose."""

from __future__ import annotations

import pandas as pd
import pytest

from pairing_assistance import design_lab, instruments, summaries
from pairing_assistance.data import STAGE_YEARS


def _timeline():
    rows = [  # (year, stage, in Table 1, document number, source)
        (1955, "emergence", True, "", "表1"), (1960, "emergence", True, "", "表1"),
        (1992, "exploration", True, "国办发〔1992〕14号", "表1"), (2001, "exploration", False, "", "综述第五节"),
        (2008, "exploration", False, "国办发〔2008〕53号", "新闻"), (2015, "improvement", True, " ", "表1"),
        (2022, "upgrading", True, "发改振兴〔2022〕766号", "表1"), (2023, "upgrading", True, "", "表1"),
        (2024, "upgrading", False, "", "新闻"),
    ]
    return pd.DataFrame([{"event_id": f"T{i}", "year": y, "stage": s, "in_review_table1": t,
                          "document_number": d, "source": src} for i, (y, s, t, d, src) in enumerate(rows)])


def test_timeline_numbers_count_table1_apart_from_added_events():
    n = summaries.timeline_numbers(_timeline())
    assert (n["ch3_t1_events"], n["ch3_added"], n["ch3_all"]) == (6, 3, 9)
    assert n["ch3_added_other"] == 2  # the review's own section-5 event is not among "the others"
    assert n["ch3_t1_documents"] == 2  # a blank document number is no document number
    assert (n["ch3_t1_exploration"], n["ch3_shown_exploration"], n["ch3_added_exploration"]) == (1, 3, 2)
    assert sum(n[f"ch3_t1_{s}"] for s in STAGE_YEARS) == n["ch3_t1_events"]


def test_timeline_rates_use_stage_lengths_and_stop_the_open_stage_at_table1s_last_year():
    n = summaries.timeline_numbers(_timeline())
    first, last = STAGE_YEARS["exploration"]
    assert n["ch3_years_exploration"] == last - first + 1
    assert n["ch3_years_upgrading"] == 2023 - STAGE_YEARS["upgrading"][0] + 1  # not to 2024 (an added event)
    assert n["ch3_rate_emergence"] == pytest.approx(2 / n["ch3_years_emergence"])
    busiest = max(STAGE_YEARS, key=lambda s: n[f"ch3_t1_{s}"])
    assert n["ch3_rate_last_vs_busiest"] == pytest.approx(n["ch3_rate_upgrading"] / n[f"ch3_rate_{busiest}"])


def test_two_wheel_numbers_are_increments_over_no_support_and_their_cross_term():
    n = instruments.two_wheel_numbers()
    paths = instruments.two_wheel_paths((10, 40))
    for year in (10, 40):
        gains = {c: paths.loc[year, c] - paths.loc[year, "none"] for c in ("capital", "productivity", "both")}
        assert n[f"ch4_gain_both_{year}"] == pytest.approx(gains["both"])
        assert n[f"ch4_cross_{year}"] == pytest.approx(gains["both"] - gains["capital"] - gains["productivity"])
        assert n[f"ch4_cross_{year}"] > 0  # output is a product of productivity and capital: the wheels help each other
    # capital transferred wears off after support ends; part of the productivity gain stays
    assert n["ch4_gain_capital_10"] > n["ch4_gain_capital_30"] > n["ch4_gain_capital_40"] > 0
    assert n["ch4_productivity_40"] == pytest.approx(1 + n["ch4_new_steady_rise"], abs=0.01)
    # the marginal product of capital is proportional to productivity
    assert n["ch4_mpk_rise"] == pytest.approx(instruments.TWO_WHEEL_CASES["productivity"][1])


def _aid(donor="19个省市"):
    return pd.DataFrame([
        {"figure_id": "C1", "value": 33.0, "period_start": 2010, "period_end": 2020, "donor": "北京市"},
        {"figure_id": "Y1", "value": 57.0, "period_start": 2025, "period_end": 2025, "donor": donor},
    ])


def test_yearly_averages_divide_by_span_by_calendar_years_and_by_named_donors():
    n = instruments.yearly_average_numbers(_aid(), "C1", "Y1")
    assert (n["ch4_ex2_span"], n["ch4_ex2_years"]) == (10, 11)
    assert n["ch4_ex2_per_span"] == pytest.approx(3.3) and n["ch4_ex2_per_year"] == pytest.approx(3.0)
    assert n["ch4_ex2_per_donor"] == pytest.approx(3.0) and n["ch4_ex2_gap_years"] == 15


def test_yearly_averages_name_the_bad_row():
    with pytest.raises(KeyError, match="aid_figures.csv.*C9"):
        instruments.yearly_average_numbers(_aid(), "C9", "Y1")
    with pytest.raises(ValueError, match="row Y1, column donor"):
        instruments.yearly_average_numbers(_aid("各省市"), "C1", "Y1")


def test_problem_numbers_count_by_direction_and_refuse_unequal_others():
    pairings = pd.DataFrame({"programme_id": ["a", "a", "b"]})
    problems = pd.DataFrame({"remedy": ["government_coordinator"] * 3 + ["market_decisive", "broader_participation"]})
    n = summaries.problem_numbers(problems, pairings)
    assert (n["ch6_problems_n"], n["ch6_remedy_government_coordinator"], n["ch6_remedy_others"]) == (5, 3, 1)
    assert n["ch6_programmes_n"] == 2
    with pytest.raises(ValueError, match="problems.csv, column remedy"):
        summaries.problem_numbers(pd.concat([problems, problems.tail(1)]), pairings)


def test_grid_size_is_weight_combinations_times_caps():
    assert design_lab.grid_size((0, 1), (1, 2)) == 2 ** len(design_lab.CRITERIA) * 2
    assert design_lab.grid_size() == len(design_lab.weight_grid()) * len(design_lab.CAPS)
