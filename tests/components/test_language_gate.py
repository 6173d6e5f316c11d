"""Tests for components/language_gate.py: a message surely in another language becomes
`other_language` with its `language`; English and anything short is left alone; a red flag, in
English or Spanish, still wins, and says which language the escalation is given in."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import yaml
from rasa.core.nlg.generator import ResponseVariationFilter
from rasa.shared.core.domain import Domain
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.language_gate import LanguageGate
from components.red_flag_detector import RedFlagDetector
from core.names import OTHER_LANGUAGE_INTENT, RED_FLAG_INTENT

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = Domain.load(str(ROOT / "domain.yml"))
DIET_ENTITY = {"entity": "body_part", "value": "hip", "start": 0, "end": 2, "extractor": "DIET"}
TRANSLATED = ["es", "fr", "pt", "de", "zh", "ar"]


def parsed(
    text: str, intent: str = "describe_symptoms", entities: Optional[List] = None
) -> Message:
    """A message as DIET and the FallbackClassifier leave it."""
    message = Message(data={TEXT: text})
    ranking = [{"name": intent, "confidence": 0.8}, {"name": "greet", "confidence": 0.2}]
    message.set(INTENT, ranking[0], add_to_output=True)
    message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
    message.set(ENTITIES, list(entities or []), add_to_output=True)
    return message


def through_the_pipeline_end(message: Message) -> Message:
    """The gate, then the red-flag detector, as config.yml runs them."""
    (message,) = LanguageGate.create(LanguageGate.get_default_config()).process([message])
    (message,) = RedFlagDetector(RedFlagDetector.get_default_config()).process([message])
    return message


def entity_values(message: Message, entity: str) -> List[str]:
    return [found["value"] for found in message.get(ENTITIES) if found["entity"] == entity]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("me duele la ingle cuando subo escaleras", "es"),
        ("je ne parle pas anglais", "fr"),
        ("Ich habe Schmerzen in der Leiste, wenn ich Treppen steige", "de"),
        ("我爬楼梯的时候腹股沟很痛", "zh"),
        ("estou com dor na virilha quando subo escadas", "pt"),
        ("لا أتكلم الإنجليزية", "ar"),
        ("ho dolore all'inguine quando salgo le scale", "it"),
    ],
)
def test_a_message_in_another_language_gets_other_language_and_its_code(
    text: str, language: str
) -> None:
    message = through_the_pipeline_end(parsed(text, entities=[DIET_ENTITY]))

    assert message.get(INTENT) == {"name": OTHER_LANGUAGE_INTENT, "confidence": 1.0}
    assert [entry["name"] for entry in message.get(INTENT_RANKING_KEY)] == [
        OTHER_LANGUAGE_INTENT,
        "describe_symptoms",
        "greet",
    ]
    # What DIET guessed from foreign words is gone; the entity spans the message for Rasa's
    # token alignment.
    (entity,) = message.get(ENTITIES)
    assert entity["entity"] == "language" and entity["value"] == language
    assert (entity["start"], entity["end"], entity["extractor"]) == (0, len(text), "LanguageGate")


@pytest.mark.parametrize(
    "text",
    ["ok", "si", "no", "thx", "psoas", "José García", "muchas gracias", "my groin hurts on stairs"],
)
def test_english_and_short_replies_are_left_as_they_were(text: str) -> None:
    message = through_the_pipeline_end(parsed(text, intent="affirm", entities=[DIET_ENTITY]))

    assert message.get(INTENT)["name"] == "affirm"
    assert message.get(ENTITIES) == [DIET_ENTITY]


def test_a_button_payload_is_never_read_for_its_language() -> None:
    message = parsed("/inform", intent="inform")
    (processed,) = LanguageGate.create(LanguageGate.get_default_config()).process([message])
    assert processed.get(INTENT)["name"] == "inform"


@pytest.mark.parametrize(
    ("text", "red_flag_id", "level", "language"),
    [
        # Long enough for the gate to read as Spanish; the Spanish rules find the sign.
        (
            "no puedo orinar desde ayer y me duele la espalda",
            "bladder_bowel_control",
            "emergency",
            "es",
        ),
        ("mi abuela se cayó y no puede caminar", "fracture", "emergency", "es"),
        ("tengo fiebre y me duele la cadera", "fever_with_pain", "urgent", "es"),
        # Too short for the gate: the Spanish rules alone say it is Spanish.
        ("tengo fiebre", "fever_with_pain", "urgent", "es"),
        # The English rules find it in a French message: the escalation is in English.
        ("j'ai 39° de fièvre et mal au dos", "fever_with_pain", "urgent", "en"),
        ("I lost control of my bladder this morning", "bladder_bowel_control", "emergency", "en"),
    ],
)
def test_a_red_flag_wins_over_the_language_reply_and_names_the_escalations_language(
    text: str, red_flag_id: str, level: str, language: str
) -> None:
    message = through_the_pipeline_end(parsed(text))

    assert message.get(INTENT)["name"] == RED_FLAG_INTENT
    assert red_flag_id in entity_values(message, "red_flag")
    assert entity_values(message, "triage_level") == [level]
    assert entity_values(message, "language") == [language]


def test_a_denied_spanish_sign_gets_the_language_reply_not_an_escalation() -> None:
    message = through_the_pipeline_end(parsed("no tengo fiebre, solo me duele la cadera al andar"))

    assert message.get(INTENT)["name"] == OTHER_LANGUAGE_INTENT
    assert entity_values(message, "language") == ["es"]


def test_the_gate_runs_after_the_classifiers_and_right_before_the_red_flag_detector() -> None:
    pipeline = [
        step["name"] for step in yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"]
    ]
    gate = pipeline.index("components.language_gate.LanguageGate")
    assert pipeline[gate + 1 :] == ["components.red_flag_detector.RedFlagDetector"]
    assert pipeline.index("FallbackClassifier") < gate


def reply_texts(language: str, phone_known: bool) -> List[Dict[str, Any]]:
    slots = {"language": language, "clinic_phone_known": phone_known}
    return ResponseVariationFilter(DOMAIN.responses).responses_for_utter_action(
        "utter_other_language", "rest", slots
    )


@pytest.mark.parametrize("phone_known", [True, False])
@pytest.mark.parametrize("language", TRANSLATED)
def test_the_reply_is_in_the_patients_language_with_the_emergency_number_and_the_clinic(
    language: str, phone_known: bool
) -> None:
    # Rasa picks at random among matching variations: exactly one must match.
    (variation,) = reply_texts(language, phone_known)
    text = variation["text"]
    assert "{emergency_number}" in text
    assert ("{clinic_phone}" in text) == phone_known
    assert ("{clinic_name}" in text) == phone_known
    assert "Sorry" not in text


@pytest.mark.parametrize("language", ["it", "nl", "pl", "tr", "ru", "hi", "en"])
def test_other_languages_get_the_english_reply_with_a_way_to_reach_the_clinic(
    language: str,
) -> None:
    for phone_known in (True, False):
        (variation,) = reply_texts(language, phone_known)
        assert variation["text"].startswith("Sorry, I can only understand and answer in English")
        assert "{emergency_number}" in variation["text"]
        assert "/request_appointment" in [button["payload"] for button in variation["buttons"]]


def test_each_translation_says_the_assistant_speaks_english() -> None:
    english_word = {
        "es": "inglés",
        "fr": "anglais",
        "pt": "inglês",
        "de": "Englisch",
        "zh": "英文",
        "ar": "الإنجليزية",
    }
    for language, word in english_word.items():
        for phone_known in (True, False):
            (variation,) = reply_texts(language, phone_known)
            assert word in variation["text"]
