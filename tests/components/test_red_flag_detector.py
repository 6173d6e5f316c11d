"""Tests for components/red_flag_detector.py: current red flags win over the classifier, and the
classifier's guess alone never sets a level."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest
import yaml
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from components.red_flag_detector import RedFlagDetector
from core.names import POSSIBLE_RED_FLAG_INTENT, RED_FLAG_INTENT
from core.red_flag_classifier import RedFlagClassifier

Ranking = List[Tuple[str, float]]
DIET_ENTITY = {"entity": "body_part", "value": "hip", "start": 3, "end": 6, "extractor": "DIET"}


def intent(name: str, confidence: float) -> Dict[str, Any]:
    """An intent as the classifier writes it."""
    return {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}


def parsed(text: str, ranking: Ranking, entities: List[Dict[str, Any]] | None = None) -> Message:
    """A message as DIET leaves it: its text, top intent, intent ranking and entities."""
    message = Message(data={TEXT: text})
    message.set(INTENT, intent(*ranking[0]), add_to_output=True)
    message.set(INTENT_RANKING_KEY, [intent(*entry) for entry in ranking], add_to_output=True)
    message.set(ENTITIES, list(entities or []), add_to_output=True)
    return message


def detect(message: Message) -> Message:
    """Runs the detector on one message as the pipeline would."""
    (processed,) = RedFlagDetector(RedFlagDetector.get_default_config()).process([message])
    return processed


def entity_values(message: Message, entity: str) -> List[str]:
    """The values of one entity of a processed message."""
    return [found["value"] for found in message.get(ENTITIES) if found["entity"] == entity]


@pytest.mark.parametrize(
    ("text", "ranking", "red_flag_ids", "level"),
    [
        (
            "I lost control of my bladder this morning",
            [("describe_symptoms", 0.7), ("report_red_flag", 0.2), ("ask_symptoms", 0.1)],
            ["bladder_bowel_control"],
            "emergency",
        ),
        (
            "my hip hurts and I have a fever",
            [("describe_symptoms", 0.9), ("ask_symptoms", 0.1)],
            ["fever_with_pain"],
            "urgent",
        ),
        (
            "I have a fever and my crotch feels numb",
            [("report_red_flag", 0.8), ("describe_symptoms", 0.2)],
            ["saddle_numbness", "fever_with_pain"],
            "emergency",
        ),
        (
            "no fever but I can't put weight on my leg",
            [("deny", 0.6), ("describe_symptoms", 0.4)],
            ["unable_to_bear_weight"],
            "emergency",
        ),
    ],
)
def test_current_red_flag_forces_report_red_flag_and_adds_entities(
    text: str, ranking: Ranking, red_flag_ids: List[str], level: str
) -> None:
    message = detect(parsed(text, ranking))

    assert message.get(INTENT) == intent(RED_FLAG_INTENT, 1.0)
    assert entity_values(message, "red_flag") == red_flag_ids
    assert entity_values(message, "triage_level") == [level]
    assert {found["extractor"] for found in message.get(ENTITIES)} == {"RedFlagDetector"}


def test_forced_red_flag_tops_the_ranking_once() -> None:
    ranking = [("describe_symptoms", 0.7), ("report_red_flag", 0.2), ("ask_symptoms", 0.1)]

    message = detect(parsed("my leg is getting weaker every day", ranking))

    assert message.get(INTENT_RANKING_KEY) == [
        intent(RED_FLAG_INTENT, 1.0),
        intent("describe_symptoms", 0.7),
        intent("ask_symptoms", 0.1),
    ]


def test_forced_red_flag_keeps_the_classifier_entities() -> None:
    message = detect(
        parsed("my hip hurts and I have a fever", [("describe_symptoms", 0.9)], [DIET_ENTITY])
    )

    assert message.get(ENTITIES)[0] == DIET_ENTITY
    assert entity_values(message, "body_part") == ["hip"]


@pytest.mark.parametrize(
    ("text", "ranking", "next_intent"),
    [
        ("no fever", [("report_red_flag", 0.6), ("deny", 0.3), ("inform", 0.1)], "deny"),
        (
            "I had a car crash 10 years ago",
            [("report_red_flag", 0.7), ("describe_symptoms", 0.2), ("inform", 0.1)],
            "describe_symptoms",
        ),
        (
            "what if I lose bladder control?",
            [("report_red_flag", 0.5), ("ask_when_to_seek_help", 0.4), ("ask_symptoms", 0.1)],
            "ask_when_to_seek_help",
        ),
    ],
)
def test_report_red_flag_guess_about_a_not_current_flag_is_demoted(
    text: str, ranking: Ranking, next_intent: str
) -> None:
    message = detect(parsed(text, ranking))

    assert message.get(INTENT) == intent(next_intent, dict(ranking)[next_intent])
    ranked = [entry[INTENT_NAME_KEY] for entry in message.get(INTENT_RANKING_KEY)]
    assert RED_FLAG_INTENT not in ranked
    assert ranked == [name for name, _ in ranking if name != RED_FLAG_INTENT]
    assert message.get(ENTITIES) == []


def test_demotion_without_another_intent_leaves_the_guess() -> None:
    message = detect(parsed("no fever", [("report_red_flag", 0.9)]))

    assert message.get(INTENT) == intent(RED_FLAG_INTENT, 0.9)
    assert entity_values(message, "triage_level") == []


@pytest.mark.parametrize(
    "text",
    ["something is really wrong down there, please help", "my bladder is acting up"],
)
def test_a_sure_guess_with_no_sign_recognised_asks_to_clarify_without_a_level(text: str) -> None:
    ranking = [("report_red_flag", 0.8), ("describe_symptoms", 0.2)]

    message = detect(parsed(text, ranking))

    assert message.get(INTENT) == intent(POSSIBLE_RED_FLAG_INTENT, 1.0)
    ranked = [entry[INTENT_NAME_KEY] for entry in message.get(INTENT_RANKING_KEY)]
    assert ranked == [POSSIBLE_RED_FLAG_INTENT, "describe_symptoms"]
    assert entity_values(message, "triage_level") == []


def test_an_unsure_guess_with_no_sign_recognised_gives_way_to_the_next_intent() -> None:
    ranking = [("report_red_flag", 0.4), ("describe_symptoms", 0.35), ("inform", 0.25)]

    message = detect(parsed("my back and hip have been killing me for months", ranking))

    assert message.get(INTENT) == intent("describe_symptoms", 0.35)
    assert entity_values(message, "triage_level") == []


@pytest.mark.parametrize(
    ("text", "ranking"),
    [
        ("/affirm", [("affirm", 1.0)]),
        ("/report_red_flag", [("report_red_flag", 1.0)]),
        ('/inform{"body_part": "groin"}', [("inform", 1.0)]),
    ],
)
def test_button_payloads_are_untouched(text: str, ranking: Ranking) -> None:
    message = detect(parsed(text, ranking))

    assert message.get(INTENT) == intent(*ranking[0])
    assert message.get(INTENT_RANKING_KEY) == [intent(*entry) for entry in ranking]
    assert message.get(ENTITIES) == []


@pytest.mark.parametrize(
    ("text", "ranking", "entities"),
    [
        ("does dry needling help?", [("ask_treatment", 0.95), ("ask_overview", 0.05)], []),
        (
            "my hip hurts when I sit",
            [("describe_symptoms", 0.8), ("report_red_flag", 0.2)],
            [DIET_ENTITY],
        ),
        ("hello", [("greet", 0.99)], []),
        ("no fever", [("deny", 0.9), ("report_red_flag", 0.1)], []),
    ],
)
def test_ordinary_messages_are_untouched(
    text: str, ranking: Ranking, entities: List[Dict[str, Any]]
) -> None:
    message = detect(parsed(text, ranking, entities))

    assert message.get(INTENT) == intent(*ranking[0])
    assert message.get(INTENT_RANKING_KEY) == [intent(*entry) for entry in ranking]
    assert message.get(ENTITIES) == entities


def test_process_handles_every_message_of_a_batch() -> None:
    messages = [
        parsed("I lost control of my bladder", [("describe_symptoms", 1.0)]),
        parsed("hello", [("greet", 1.0)]),
    ]

    processed = RedFlagDetector(RedFlagDetector.get_default_config()).process(messages)

    assert [message.get(INTENT)[INTENT_NAME_KEY] for message in processed] == [
        RED_FLAG_INTENT,
        "greet",
    ]


@pytest.mark.parametrize(
    "text, shown_by",
    [
        ("my hip aches and I lost control of my bladder", "lost control of my bladder"),
        ("sore groin, and I have a fever", "fever"),
        # Spans point at the words as typed, even after typos are mended.
        ("I cant controll my bladdar rn", "cant controll my bladdar"),
    ],
)
def test_red_flag_entities_span_the_words_that_showed_them(text: str, shown_by: str) -> None:
    # rasa test nlu aligns every entity with tokens, so each needs its start and end.
    message = detect(parsed(text, [("describe_symptoms", 0.9)]))
    spans = {
        text[entity["start"] : entity["end"]]
        for entity in message.get(ENTITIES)
        if entity["extractor"] == "RedFlagDetector" and entity["entity"] != "language"
    }
    assert spans == {shown_by}


def test_a_red_flag_wins_over_an_nlu_fallback_the_fallback_classifier_chose() -> None:
    # The detector runs after the FallbackClassifier (config.yml), whose nlu_fallback sits on top.
    ranking = [("nlu_fallback", 0.45), ("describe_symptoms", 0.5), ("report_red_flag", 0.48)]

    message = detect(parsed("I can't feel anything when I wipe", ranking))

    assert message.get(INTENT) == intent(RED_FLAG_INTENT, 1.0)
    assert entity_values(message, "triage_level") == ["emergency"]


def test_an_nlu_fallback_over_a_sure_red_flag_guess_asks_to_clarify() -> None:
    ranking = [("nlu_fallback", 0.45), ("report_red_flag", 0.7), ("report_red_flag_b", 0.68)]

    message = detect(parsed("something is really wrong down there, please help", ranking))

    assert message.get(INTENT) == intent(POSSIBLE_RED_FLAG_INTENT, 1.0)


def test_a_sure_guess_about_pain_alone_is_not_asked_about() -> None:
    # "killing me" is pain, not a sign: without a cue DIET's guess gives way to its next intent.
    ranking = [("report_red_flag", 0.9), ("describe_symptoms", 0.1)]

    message = detect(parsed("my back and hip have been killing me for months", ranking))

    assert message.get(INTENT) == intent("describe_symptoms", 0.1)


def test_the_detector_runs_last_in_the_pipeline() -> None:
    pipeline = yaml.safe_load((Path(__file__).parents[2] / "config.yml").read_text())["pipeline"]

    assert pipeline[-1]["name"] == "components.red_flag_detector.RedFlagDetector"


# The red-flag classifier: a second opinion where the rules find nothing.
CLASSIFIER_EXAMPLES = [
    ("the old fella won't work since my back went", "emergency"),
    ("my wee just trickles out and I can't stop it", "emergency"),
    ("burning up and shivering with this hip", "urgent"),
    ("my back aches after gardening", "none"),
    ("hip pain when I run", "none"),
    ("hello there", "none"),
] * 3


def detector_with_classifier() -> RedFlagDetector:
    classifier = RedFlagClassifier().train(CLASSIFIER_EXAMPLES)
    return RedFlagDetector(RedFlagDetector.get_default_config(), classifier=classifier)


def test_the_classifier_sets_a_level_the_rules_could_not() -> None:
    message = parsed("the old fella won't work since my back went", [("describe_symptoms", 0.9)])

    (processed,) = detector_with_classifier().process([message])

    assert processed.get(INTENT) == intent(RED_FLAG_INTENT, 1.0)
    assert entity_values(processed, "triage_level") == ["emergency"]


def test_the_classifier_is_not_asked_about_a_message_without_a_cue() -> None:
    message = parsed("hip pain when I run", [("describe_symptoms", 0.9)])

    (processed,) = detector_with_classifier().process([message])

    assert processed.get(INTENT) == intent("describe_symptoms", 0.9)


def test_training_stores_the_classifier_with_the_model_and_loading_reads_it(
    tmp_path: Path,
) -> None:
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.nlu.training_data.training_data import TrainingData

    storage, resource = LocalModelStorage(tmp_path), Resource("red_flag_detector")
    examples = tmp_path / "examples"
    examples.mkdir()
    (examples / "set.yml").write_text(
        yaml.safe_dump(
            {
                "red_flags": [
                    {"text": text, "category": "x", "acceptable": [level]}
                    for text, level in CLASSIFIER_EXAMPLES
                    if level != "none"
                ],
                "negated": [],
                "openers": [],
            }
        )
    )
    config = {**RedFlagDetector.get_default_config(), "examples": str(examples)}
    ordinary = [
        Message(data={TEXT: t, INTENT: "describe_symptoms"})
        for t, lv in CLASSIFIER_EXAMPLES
        if lv == "none"
    ]  # noqa: E501
    RedFlagDetector.create(config, storage, resource, None).train(TrainingData(ordinary))

    loaded = RedFlagDetector.load(config, storage, resource, None)

    message = parsed("the old fella won't work since my back went", [("describe_symptoms", 0.9)])
    (processed,) = loaded.process([message])
    assert entity_values(processed, "triage_level") == ["emergency"]


def test_a_sure_guess_about_someone_elses_past_sign_is_not_asked_about() -> None:
    # The classifier judges the clause: a story that ended is not a statement about now.
    ranking = [("report_red_flag", 0.9), ("describe_symptoms", 0.1)]
    message = parsed("my brother had a bleed into a muscle on warfarin years back", ranking)

    (processed,) = detector_with_classifier().process([message])

    assert processed.get(INTENT) == intent("describe_symptoms", 0.1)


def test_the_training_cache_sees_a_changed_or_added_example_set(tmp_path: Path) -> None:
    # Rasa reuses a cached component unless its fingerprint changes; the example sets are not
    # part of the graph's own inputs.
    examples = tmp_path / "examples"
    examples.mkdir()
    (examples / "set_1.yml").write_text("red_flags: []\n")
    config = {**RedFlagDetector.get_default_config(), "examples": str(examples)}
    first = RedFlagDetector.fingerprint_addon(config)

    (examples / "set_1.yml").write_text("red_flags: [{text: a, acceptable: [urgent]}]\n")
    changed = RedFlagDetector.fingerprint_addon(config)
    (examples / "set_2.yml").write_text("red_flags: []\n")
    added = RedFlagDetector.fingerprint_addon(config)

    assert len({first, changed, added}) == 3
    assert RedFlagDetector.fingerprint_addon(config) == added


@pytest.mark.parametrize("answer", ["left thigh", "both", "at night", "numb", "tingling down"])
def test_a_short_answer_is_read_by_the_rules_only(answer: str) -> None:
    # "left thigh" answers "where does it hurt?": even a classifier that learned to call it
    # urgent, and a sure DIET guess, must not raise an alert or the danger-signs question.
    taught = RedFlagClassifier().train([*CLASSIFIER_EXAMPLES, *[(answer, "urgent")] * 5])
    detector = RedFlagDetector(RedFlagDetector.get_default_config(), classifier=taught)
    assert taught.opinion(answer).alert_probability >= detector.classifier_threshold
    ranking = [("report_red_flag", 0.9), ("inform", 0.1)]

    (processed,) = detector.process([parsed(answer, ranking)])

    assert processed.get(INTENT)[INTENT_NAME_KEY] == "inform"
    assert entity_values(processed, "triage_level") == []
