"""End to end over the REST channel, with both servers running for real."""

from __future__ import annotations

import uuid
from typing import Any, Dict, List

import pytest

from core.knowledge import get_knowledge
from scripts.local_servers import LocalAssistant
from tests.support.environment import CLINIC_ENVIRONMENT

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


def test_a_full_symptom_check_ends_in_a_consultation_in_plain_words(
    assistant: LocalAssistant,
) -> None:
    sender = new_sender()
    assistant.send(sender, "can you check my symptoms?")
    for answer in [
        "/deny",  # emergency list
        "/deny",  # urgent list
        "I'm 45",
        "/deny",  # blood thinners
        "/deny",  # infection risk
        "/deny",  # night pain
        '/inform{"body_part": "groin"}',
        "/affirm",
        "/affirm",
        "/affirm",
        "a few weeks",
    ]:
        assistant.send(sender, answer)
    reply = texts(assistant.send(sender, "/deny"))
    knowledge = get_knowledge()
    assert "Some of what you describe is typical of iliopsoas muscle syndrome" in reply
    assert "only a clinician who examines you can tell" in reply
    assert all(feature.summary in reply for feature in knowledge.symptom_features)
    assert "article" not in reply and " of 4 " not in reply
    assert knowledge.next_steps["consultation"].text in reply
    assert knowledge.watch_for.text.replace("{emergency_number}", EMERGENCY_NUMBER) in reply
    assert slot(assistant, sender, "triage_level") == "consultation"
    assert slot(assistant, sender, "requested_slot") is None


def test_a_non_answer_is_asked_again_and_not_sure_at_the_emergency_list_gives_same_day_advice(
    assistant: LocalAssistant,
) -> None:
    sender = new_sender()
    first_question = texts(assistant.send(sender, "check my symptoms"))
    signs = [item.text for item in get_knowledge().safety_screening["emergency"]]
    assert all(f"• {sign}" in first_question for sign in signs)

    again = assistant.send(sender, "ok")
    assert "yes, no or not sure" in texts(again)
    assert all(f"• {sign}" in texts(again) for sign in signs)
    payloads = {button["payload"] for message in again for button in message.get("buttons", [])}
    assert payloads == {"/affirm", "/deny", "/not_sure"}
    assert slot(assistant, sender, "emergency_signs") is None

    assistant.send(sender, "not really")
    assert slot(assistant, sender, "emergency_signs") == "not_sure"
    for answer in ["/deny", "I'm 50"]:
        assistant.send(sender, answer)
    reply = texts(assistant.send(sender, "/deny"))
    assert "needs to be checked by a doctor today" in reply
    assert f"call {EMERGENCY_NUMBER} at once" in reply
    assert all(f"• {sign}" in reply for sign in signs)
    assert slot(assistant, sender, "triage_level") == "urgent"
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


@pytest.mark.parametrize(
    "question, expected",
    [
        ("where are you located", CLINIC_ENVIRONMENT["CLINIC_ADDRESS"]),
        ("is there parking", CLINIC_ENVIRONMENT["CLINIC_PARKING"]),
        # Not set in the test clinic: said to be unknown, with the ways that are set.
        ("how much does it cost", CLINIC_ENVIRONMENT["CLINIC_PHONE"]),
        ("can you prescribe me ibuprofen", "pharmacist"),
        ("so do i have it or not?", "can't tell whether you have it"),
        ("is it serious?", f"Call {EMERGENCY_NUMBER}"),
        ("how do i stretch my hip flexor", "Kneeling hip flexor stretch"),
        ("my knee hurts", "I only know about hip, groin and low-back pain"),
    ],
)
def test_practical_and_off_topic_questions_get_their_own_answer(
    assistant: LocalAssistant, question: str, expected: str
) -> None:
    reply = texts(assistant.send(new_sender(), question))

    assert expected in reply
    assert "⚠️" not in reply


def test_a_question_in_the_middle_of_the_symptom_check_is_answered_and_the_check_goes_on(
    assistant: LocalAssistant,
) -> None:
    sender = new_sender()
    assistant.send(sender, "check my symptoms please")
    assert slot(assistant, sender, "requested_slot") == "emergency_signs"

    reply = texts(assistant.send(sender, "where are you located"))

    assert CLINIC_ENVIRONMENT["CLINIC_ADDRESS"] in reply
    assert slot(assistant, sender, "requested_slot") == "emergency_signs"
    assert assistant.tracker(sender)["active_loop"]["name"] == "symptom_check_form"


def test_without_a_staff_channel_booking_gives_the_contact_details_and_asks_nothing(
    assistant: LocalAssistant,
) -> None:
    sender = new_sender()
    reply = texts(assistant.send(sender, "can someone call me back"))
    assert CLINIC_ENVIRONMENT["CLINIC_PHONE"] in reply
    assert "Shall I share" not in reply  # no referral is offered that nobody could receive
    assert not (assistant.tracker(sender)["active_loop"] or {}).get("name")
    # The conversation goes on as usual.
    reply = texts(assistant.send(sender, "what causes it"))
    assert get_knowledge().topic("causes").items[0].text in reply
