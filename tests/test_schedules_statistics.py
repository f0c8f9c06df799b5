"""Schedule expansion and the statistics computed here."""

from __future__ import annotations

import pytest

from trialdb.dosing.schedules import Phase, administration_days, cumulative_dose, is_il2, periods, treatment_days
from trialdb.statistics import derive_counts, newcombe_difference, wilson


def test_three_cycles_every_other_day_14_on_14_off():
    ph = [Phase(every_days=2, for_days=14, rest_days=14, cycles=3)]
    days = administration_days(ph)
    assert days == [0, 2, 4, 6, 8, 10, 12, 28, 30, 32, 34, 36, 38, 40, 56, 58, 60, 62, 64, 66, 68]
    assert treatment_days(ph) == 84  # 12 weeks, as the publication says
    assert periods(ph)[:2] == [("dosing", 0, 14), ("rest", 14, 14)]


def test_every_other_day_then_weekly():
    ph = [Phase(every_days=2, for_days=84), Phase(every_days=7, for_days=84)]
    days = administration_days(ph)
    assert len(days) == 42 + 12 and days[41] == 82 and days[42] == 84 and days[-1] == 161
    assert treatment_days(ph) == 168


def test_monthly_for_24_weeks():
    assert administration_days([Phase(every_days=28, for_days=168)]) == [0, 28, 56, 84, 112, 140]


def test_cumulative_dose():
    assert cumulative_dose([0, 2, 4], 1.0) == [(0, 1.0), (2, 2.0), (4, 3.0)]
    assert cumulative_dose([], 1.0) == []


def test_impossible_phase():
    with pytest.raises(ValueError):
        Phase(every_days=0, for_days=14)


@pytest.mark.parametrize("drug,expected", [("hrIL-2 active", True), ("Interleukin-2", True), ("hrIL-2 placebo", True),
                                           ("Belimumab", False), ("MTX", False), ("IL-21 antibody", False)])
def test_is_il2(drug, expected):
    assert is_il2(drug) is expected


@pytest.mark.parametrize("percent,max_n,expected", [
    ("55.17", 30, (16, 29)), ("30.00", 30, (9, 30)), ("65.52", 30, (19, 29)), ("36.67", 30, (11, 30)),
    ("53.85", 13, (7, 13)), ("16.67", 12, (2, 12)), ("12.34", 5, None)])
def test_derive_counts(percent, max_n, expected):
    assert derive_counts(percent, max_n) == expected


def test_wilson_known_values():
    lo, hi = wilson(7, 13)
    assert lo == pytest.approx(0.2914, abs=1e-4) and hi == pytest.approx(0.7679, abs=1e-4)
    assert wilson(0, 30)[0] == 0.0


def test_newcombe_known_values():
    # Newcombe (1998), table II, example (a): 56/70 vs 48/80 -> 0.2000 (0.0524, 0.3339)
    d, lo, hi = newcombe_difference(56, 70, 48, 80)
    assert d == pytest.approx(0.2) and lo == pytest.approx(0.0524, abs=1e-4) and hi == pytest.approx(0.3339, abs=1e-4)
