"""The frozen blind red-flag sets (tests/benchmark/red_flags_blind_*.yml) stay above the floor.

The sets were written by helpers who never saw the rules or the training data, and committed
before any tuning. `make bench` prints their full figures; this test fails the suite when the
rules fall below the floor the issue sets. It reports figures only, never the messages, so
that nobody tunes the rules while looking at the blind set's errors.
"""

from __future__ import annotations

import pytest

from scripts.red_flag_benchmark import BENCHMARK_DIR, BLIND_SETS, classify_with_rules, measure

RIGHT_LEVEL_FLOOR = 0.95
FALSE_ALARM_CEILING = 0.03
OPENERS_ESCALATED_CEILING = 0.02


@pytest.mark.parametrize("set_name", BLIND_SETS)
def test_blind_set_right_level_recall_stays_above_the_floor(set_name: str) -> None:
    figures = measure(BENCHMARK_DIR / set_name, classify_with_rules, keep_misses=False)

    assert figures.red_flags >= 150
    assert figures.right_level_recall >= RIGHT_LEVEL_FLOOR, (
        f"{set_name}: right-level recall {figures.right_level_recall:.1%} "
        f"({figures.right_level}/{figures.red_flags})"
    )


@pytest.mark.parametrize("set_name", BLIND_SETS)
def test_blind_set_false_alarms_and_escalated_openers_stay_under_the_ceiling(
    set_name: str,
) -> None:
    figures = measure(BENCHMARK_DIR / set_name, classify_with_rules, keep_misses=False)

    assert figures.false_alarm_rate <= FALSE_ALARM_CEILING, (
        f"{set_name}: false alarms {figures.false_alarms}/{figures.negated}"
    )
    assert figures.openers_escalated_rate <= OPENERS_ESCALATED_CEILING, (
        f"{set_name}: openers escalated {figures.openers_alerted}/{figures.openers}"
    )
