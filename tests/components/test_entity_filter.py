"""Tests for components/entity_filter.py: DIET's entities kept to the names the assistant knows."""

from __future__ import annotations

from typing import Any, Dict

import pytest
from rasa.shared.nlu.training_data.message import Message

from components.entity_filter import PatientEntityFilter


def diet_entity(text: str, word: str, kind: str, value: str | None = None) -> Dict[str, Any]:
    start = text.index(word)
    return {
        "entity": kind,
        "start": start,
        "end": start + len(word),
        "value": value or word,
        "extractor": "DIETClassifier",
    }


def kept_words(text: str, *entities: Dict[str, Any]) -> list:
    message = Message(data={"text": text, "entities": list(entities)})
    PatientEntityFilter().process([message])
    return [text[entity["start"] : entity["end"]] for entity in message.get("entities")]


def test_an_entity_whose_value_is_not_a_known_name_is_dropped() -> None:
    text = "will strengthening my core help"
    core = diet_entity(text, "core", "treatment")
    strengthening = diet_entity(text, "strengthening", "treatment")

    assert kept_words(text, core, strengthening) == ["strengthening"]


def test_a_synonym_mapped_to_a_known_name_is_kept() -> None:
    text = "does nurofen help"
    nurofen = diet_entity(text, "nurofen", "treatment", value="anti-inflammatory medication")

    assert kept_words(text, nurofen) == ["nurofen"]


@pytest.mark.parametrize(
    "text",
    [
        "when will i be back to normal",
        "when can i get back on the bike",
        "i stopped a few years back",
        "it eases off but comes back",
    ],
)
def test_back_in_its_everyday_sense_is_not_the_lower_back(text: str) -> None:
    assert kept_words(text, diet_entity(text, "back", "body_part", value="lower back")) == []


@pytest.mark.parametrize(
    "text",
    [
        "my back hurts",
        "pain in my back when i sit",
        "it's my back.",
        "back pain for weeks",
        "my back on the left side",
    ],
)
def test_back_meaning_the_body_part_is_kept(text: str) -> None:
    entity = diet_entity(text, "back", "body_part", value="lower back")

    assert kept_words(text, entity) == ["back"]


def test_the_rest_of_my_life_is_not_rest_as_a_treatment() -> None:
    text = "will i have this for the rest of my life"
    rest = diet_entity(text, "rest", "treatment", value="activity modification")

    assert kept_words(text, rest) == []
    assert kept_words("does rest help", diet_entity("does rest help", "rest", "treatment",
                      value="activity modification")) == ["rest"]  # fmt: skip


def test_entities_of_other_extractors_and_types_are_left_alone() -> None:
    text = "i have a fever"
    red_flag = {"entity": "red_flag", "value": "fever_with_pain", "extractor": "RedFlagDetector"}
    age = {
        "entity": "age_group",
        "start": 0,
        "end": 1,
        "value": "child",
        "extractor": "DIETClassifier",
    }

    message = Message(data={"text": text, "entities": [red_flag, age]})
    PatientEntityFilter().process([message])

    assert message.get("entities") == [red_flag, age]
