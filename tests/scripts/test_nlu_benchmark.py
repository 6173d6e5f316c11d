"""Tests for scripts/nlu_benchmark.py: the blind NLU figures are computed as they claim."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.nlu_benchmark import (
    Example,
    load_examples,
    measure_languages,
    parse_of_response,
    score,
)

HIP = ("body_part", 3, 6)
RUNNING = ("activity", 10, 17)


def test_intent_macro_f1_off_topic_and_small_talk_rates() -> None:
    examples = [
        Example("a", "greet"),
        Example("b", "greet"),
        Example("c", "out_of_scope"),
        Example("d", "out_of_scope"),
        Example("e", "ask_causes"),
    ]
    predictions = [
        ("greet", frozenset()),
        ("thank", frozenset()),
        ("ask_prevention", frozenset()),
        ("out_of_scope", frozenset()),
        ("ask_causes", frozenset()),
    ]

    scores = score(examples, predictions)

    assert scores.intent_accuracy == pytest.approx(3 / 5)
    assert scores.off_topic_taken_for_medical == pytest.approx(1 / 2)
    assert scores.small_talk_accuracy == pytest.approx(1 / 2)
    # greet: tp 1, fn 1 -> 2/3; out_of_scope: tp 1, fn 1 -> 2/3; ask_causes: 1.
    assert scores.intent_macro_f1 == pytest.approx((2 / 3 + 2 / 3 + 1) / 3)


def test_entity_f1_counts_exact_spans_only() -> None:
    examples = [Example("my hip and running", "describe_symptoms", frozenset({HIP, RUNNING}))]
    shifted_running = ("activity", 10, 16)
    predictions = [("describe_symptoms", frozenset({HIP, shifted_running}))]

    scores = score(examples, predictions)

    assert scores.entity_precision == pytest.approx(1 / 2)
    assert scores.entity_recall == pytest.approx(1 / 2)
    assert scores.entity_f1 == pytest.approx(1 / 2)
    assert scores.entity_f1_by_type == {"activity": 0.0, "body_part": 1.0}


def test_a_parse_keeps_the_patients_entities_not_the_detectors() -> None:
    parsed = {
        "intent": {"name": "report_red_flag"},
        "entities": [
            {"entity": "body_part", "start": 3, "end": 6, "value": "hip"},
            {"entity": "triage_level", "value": "emergency"},
            {"entity": "red_flag", "start": 0, "end": 5, "value": "fever_with_pain"},
        ],
    }

    assert parse_of_response(parsed) == ("report_red_flag", frozenset({HIP}))


def test_examples_are_read_with_their_annotated_spans(tmp_path: Path) -> None:
    nlu = tmp_path / "nlu.yml"
    nlu.write_text(
        'version: "3.1"\nnlu:\n- intent: describe_symptoms\n  examples: |\n'
        "    - my [hip](body_part) hurts when [running](activity)\n"
    )

    (example,) = load_examples(nlu)

    assert example.text == "my hip hurts when running"
    assert example.entities == {("body_part", 3, 6), ("activity", 18, 25)}


def test_languages_figures(tmp_path: Path) -> None:
    sets = tmp_path / "languages.yml"
    sets.write_text(
        "other_language:\n- {text: hola, language: es}\n- {text: bonjour, language: fr}\n"
        "spanish_red_flags:\n- {text: fiebre, level: urgent}\n- {text: pis, level: emergency}\n"
        "english:\n- {text: ok}\n- {text: hi}\n"
    )
    answers = {
        "hola": {"intent": {"name": "other_language"}},
        "bonjour": {"intent": {"name": "greet"}},
        "fiebre": {
            "intent": {"name": "report_red_flag"},
            "entities": [{"entity": "triage_level", "value": "emergency"}],
        },
        "pis": {
            "intent": {"name": "report_red_flag"},
            "entities": [{"entity": "triage_level", "value": "urgent"}],
        },
        "ok": {"intent": {"name": "affirm"}},
        "hi": {"intent": {"name": "other_language"}},
    }

    scores = measure_languages(sets, lambda text: answers[text])

    assert scores.other_language_told == 0.5
    # An urgent case told emergency is at least right; an emergency told urgent is not.
    assert scores.spanish_red_flags_right_level == 0.5
    assert scores.spanish_red_flags_any_alert == 1.0
    assert scores.english_taken_for_other == 0.5
