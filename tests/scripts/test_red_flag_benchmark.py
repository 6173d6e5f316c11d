"""Tests for scripts/red_flag_benchmark.py: the figures `make bench` prints are counted right."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import yaml

from scripts.red_flag_benchmark import CLARIFY, measure, outcome_of_parse, table

SET = {
    "red_flags": [
        {"text": "A", "category": "saddle_numbness", "acceptable": ["emergency"]},
        {"text": "B", "category": "saddle_numbness", "acceptable": ["emergency"]},
        {"text": "C", "category": "night_pain", "acceptable": ["urgent"]},
        {"text": "D", "category": "child_limp", "acceptable": ["urgent", "emergency"]},
    ],
    "negated": [{"text": "E", "kind": "denied"}, {"text": "F", "kind": "past"}],
    "openers": [{"text": "G"}, {"text": "H"}],
}
OUTCOMES = {"A": "emergency", "B": "urgent", "C": CLARIFY, "D": "emergency", "E": "urgent",
            "F": None, "G": CLARIFY, "H": None}  # fmt: skip


def classify(text: str) -> Optional[str]:
    return OUTCOMES[text]


def test_measure_counts_right_levels_alerts_clarifications_and_false_alarms(
    tmp_path: Path,
) -> None:
    path = tmp_path / "set.yml"
    path.write_text(yaml.safe_dump(SET))

    figures = measure(path, classify)

    assert (figures.red_flags, figures.right_level, figures.any_alert) == (4, 2, 3)
    assert figures.clarified == 1
    assert figures.per_category == {
        "saddle_numbness": (1, 2),
        "night_pain": (0, 1),
        "child_limp": (1, 1),
    }
    assert (figures.negated, figures.false_alarms) == (2, 1)
    assert (figures.openers, figures.openers_alerted, figures.openers_clarified) == (2, 0, 1)
    assert figures.openers_escalated_rate == 0.5
    assert "| right-level recall (4 red-flag messages) | 50.0% (2) | >= 98% |" in table(figures)
    # Misses name the category and outcome, never the message.
    assert all("A" not in miss.split(" (")[0] for miss in figures.misses)


def test_outcome_of_parse_reads_the_level_or_a_clarification() -> None:
    def parsed(intent: str, level: Optional[str] = None) -> dict:
        entities = [{"entity": "triage_level", "value": level}] if level else []
        return {"intent": {"name": intent}, "entities": entities}

    assert outcome_of_parse(parsed("report_red_flag", "urgent")) == "urgent"
    assert outcome_of_parse(parsed("possible_red_flag")) == CLARIFY
    assert outcome_of_parse(parsed("report_red_flag")) == CLARIFY
    assert outcome_of_parse(parsed("greet")) is None
