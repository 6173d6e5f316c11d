"""The frozen blind red-flag sets (tests/benchmark/red_flags_blind_*.yml) stay above the floor.

The sets were written by helpers who never saw the rules or the training data, and committed
before any tuning. They are measured on what a patient meets: the trained model behind a real
Rasa server (rules, the red-flag classifier and DIET together). `make bench` prints their full
figures; these tests fail the suite when a set falls below the floor. They report figures only,
never the messages, so that nobody tunes the rules while looking at a blind set's errors.
"""

from __future__ import annotations

from typing import Dict

import pytest

from scripts.local_servers import LocalAssistant
from scripts.red_flag_benchmark import (
    BENCHMARK_DIR,
    BLIND_SETS,
    Figures,
    measure,
    parse_with_server,
)

# The floor issue 9 sets for the suite. The targets are higher (98% right, 100% at least
# urgent, false alarms <= 3%); `make bench` and the README show how far each set is from them.
RIGHT_LEVEL_FLOOR = 0.95
# A regression ceiling, not the target: the worst blind set stood at 5.1% (set A) when set C was
# first measured (1%), so a rise past 6% means the judgement of denied and past signs broke.
FALSE_ALARM_CEILING = 0.06
OPENERS_ESCALATED_CEILING = 0.02


@pytest.fixture(scope="module")
def blind_figures(assistant: LocalAssistant) -> Dict[str, Figures]:
    """Every blind set, measured once through the running server."""
    classify = parse_with_server(assistant.url, assistant.auth_token)
    return {name: measure(BENCHMARK_DIR / name, classify, keep_misses=False) for name in BLIND_SETS}


@pytest.mark.parametrize("set_name", BLIND_SETS)
def test_blind_set_right_level_recall_stays_above_the_floor(
    blind_figures: Dict[str, Figures], set_name: str
) -> None:
    figures = blind_figures[set_name]

    assert figures.red_flags >= 150
    assert figures.right_level_recall >= RIGHT_LEVEL_FLOOR, (
        f"{set_name}: right-level recall {figures.right_level_recall:.1%} "
        f"({figures.right_level}/{figures.red_flags})"
    )


@pytest.mark.parametrize("set_name", BLIND_SETS)
def test_blind_set_false_alarms_and_escalated_openers_stay_under_the_ceiling(
    blind_figures: Dict[str, Figures], set_name: str
) -> None:
    figures = blind_figures[set_name]

    assert figures.negated >= 80 and figures.openers >= 50
    assert figures.false_alarm_rate <= FALSE_ALARM_CEILING, (
        f"{set_name}: false alarms {figures.false_alarms}/{figures.negated}"
    )
    assert figures.openers_escalated_rate <= OPENERS_ESCALATED_CEILING, (
        f"{set_name}: openers escalated or asked to clarify "
        f"{figures.openers_alerted + figures.openers_clarified}/{figures.openers}"
    )
