"""End to end over the REST channel, with both servers running for real."""

from __future__ import annotations

import uuid
from typing import Any, Dict, List

import pytest

from actions.knowledge import get_knowledge
from scripts.local_servers import LocalAssistant
from tests.e2e.conftest import CLINIC_ENVIRONMENT

EMERGENCY_NUMBER = CLINIC_ENVIRONMENT["CLINIC_EMERGENCY_NUMBER"]


def new_sender() -> str:
    return f"e2e-{uuid.uuid4().hex[:12]}"


def texts(messages: List[Dict[str, Any]]) -> str:
    return "\n".join(message.get("text", "") for message in messages)


def slot(assistant: LocalAssistant, sender: str, name: str) -> Any:
    return assistant.tracker(sender)["slots"].get(name)


def test_a_new_session_starts_with_the_disclaimer_and_topic_buttons(
    assistant: LocalAssistant,
) -> None:
    messages = assistant.send(new_sender(), "hello")
    first = messages[0]["text"]
    assert "not a diagnosis" in first
    assert CLINIC_ENVIRONMENT["CLINIC_NAME"] in first
    assert EMERGENCY_NUMBER in first
    payloads = {button["payload"] for message in messages for button in message.get("buttons", [])}
    assert {"/ask_symptoms", "/check_symptoms", "/request_appointment"} <= payloads


@pytest.mark.parametrize(
    "question, topic",
    [
        ("what is iliopsoas syndrome?", "overview"),
        ("where exactly is the psoas muscle", "anatomy"),
        ("what are the symptoms of it", "symptoms"),
        ("what causes it", "causes"),
        ("how do doctors diagnose it", "diagnosis"),
        ("how is it treated", "treatment"),
        ("how can i prevent it from coming back", "prevention"),
        ("when should i see a doctor", "when_to_seek_help"),
    ],
)
def test_every_topic_is_answered_from_the_content_file(
    assistant: LocalAssistant, question: str, topic: str
) -> None:
    reply = texts(assistant.send(new_sender(), question))
    first_item = get_knowledge().topic(topic).items[0]
    assert first_item.text in reply


def test_a_question_naming_a_treatment_answers_about_that_treatment(
    assistant: LocalAssistant,
) -> None:
    reply = texts(assistant.send(new_sender(), "does dry needling help?"))
    treatment = get_knowledge().topic("treatment")
    needling = treatment.items[treatment.item_index("treatment_needling_injections")]
    assert needling.text in reply
    assert treatment.items[0].text not in reply


@pytest.mark.parametrize(
    "message, level",
    [
        ("I suddenly can't control my bladder and my hip hurts", "emergency"),
        ("my hip hurts and I have a fever and chills", "urgent"),
    ],
)
def test_a_red_flag_is_escalated_and_recorded_in_triage_level(
    assistant: LocalAssistant, message: str, level: str
) -> None:
    sender = new_sender()
    reply = texts(assistant.send(sender, message))
    assert EMERGENCY_NUMBER in reply
    assert "⚠️" in reply
    assert slot(assistant, sender, "triage_level") == level


def test_a_denied_red_flag_is_not_escalated(assistant: LocalAssistant) -> None:
    sender = new_sender()
    reply = texts(assistant.send(sender, "no fever, just a dull ache in my hip when I stand up"))
    assert "⚠️" not in reply
    assert slot(assistant, sender, "triage_level") is None


def test_a_full_symptom_check_ends_with_a_summary_and_a_triage_level(
    assistant: LocalAssistant,
) -> None:
    sender = new_sender()
    assistant.send(sender, "can you check my symptoms?")
    for answer in [
        "/deny",
        "/deny",
        '/inform{"body_part": "groin"}',
        "/affirm",
        "/affirm",
        "/affirm",
        "a few weeks",
    ]:
        assistant.send(sender, answer)
    reply = texts(assistant.send(sender, "/deny"))
    assert "not a diagnosis" in reply
    features = get_knowledge().symptom_features
    assert all(feature.summary in reply for feature in features)
    assert get_knowledge().next_steps["consultation"].text in reply
    assert slot(assistant, sender, "triage_level") == "consultation"
    assert slot(assistant, sender, "requested_slot") is None


def test_a_red_flag_inside_the_symptom_check_escalates_and_ends_it(
    assistant: LocalAssistant,
) -> None:
    sender = new_sender()
    assistant.send(sender, "check my symptoms")
    assistant.send(sender, "/deny")
    reply = texts(assistant.send(sender, "actually I can't feel anything between my legs"))
    assert EMERGENCY_NUMBER in reply
    tracker = assistant.tracker(sender)
    assert tracker["slots"]["triage_level"] == "emergency"
    assert tracker["active_loop"] in ({}, None) or not tracker["active_loop"].get("name")
