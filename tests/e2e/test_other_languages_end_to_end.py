"""Other languages end to end over REST, both servers running: a message in another language gets
the reply in that language (English only, the emergency number, the clinic's phone); a red flag
in Spanish gets the escalation, in Spanish, at the level of the English red flag; short English
replies in the middle of a flow are answered as they always were."""

from __future__ import annotations

import uuid
from typing import Any, Dict, List

import pytest

from scripts.local_servers import LocalAssistant
from tests.support.environment import CLINIC_ENVIRONMENT

EMERGENCY_NUMBER = CLINIC_ENVIRONMENT["CLINIC_EMERGENCY_NUMBER"]
CLINIC_PHONE = CLINIC_ENVIRONMENT["CLINIC_PHONE"]
CLINIC_NAME = CLINIC_ENVIRONMENT["CLINIC_NAME"]


def new_sender() -> str:
    return f"lang-{uuid.uuid4().hex[:12]}"


def texts(messages: List[Dict[str, Any]]) -> str:
    return "\n".join(message.get("text", "") for message in messages)


def started(assistant: LocalAssistant) -> str:
    """A sender whose session has started (disclaimer said), so replies are the message's own."""
    sender = new_sender()
    assert "not a diagnosis" in texts(assistant.send(sender, "hello"))
    return sender


@pytest.mark.parametrize(
    ("message", "language", "words"),
    [
        (
            "Hola, me duele la ingle cuando subo escaleras, ¿me puede ayudar?",
            "es",
            ["solo puedo entender y responder en inglés", "número de emergencias"],
        ),
        (
            "Bonjour, j'ai mal à la hanche depuis deux semaines",
            "fr",
            ["uniquement en anglais", "numéro d'urgence"],
        ),
        (
            "Guten Tag, meine Hüfte tut seit zwei Wochen weh",
            "de",
            ["nur Englisch", "Notrufnummer"],
        ),
        ("你好，我的髋部疼了两个星期了", "zh", ["只能理解和回复英文", "急救电话"]),
        ("estou com dor na virilha quando subo escadas", "pt", ["em inglês", "emergência"]),
        ("مرحبا، عندي ألم في الورك منذ أسبوعين", "ar", ["الإنجليزية", "الطوارئ"]),
    ],
)
def test_a_message_in_another_language_gets_the_reply_in_that_language(
    assistant: LocalAssistant, message: str, language: str, words: List[str]
) -> None:
    sender = started(assistant)
    reply = texts(assistant.send(sender, message))

    assert all(word in reply for word in words), reply
    assert EMERGENCY_NUMBER in reply
    assert CLINIC_PHONE in reply and CLINIC_NAME in reply
    tracker = assistant.tracker(sender)
    assert tracker["latest_message"]["intent"]["name"] == "other_language"
    assert tracker["slots"]["language"] == language


def test_a_language_without_a_translation_gets_the_english_reply(
    assistant: LocalAssistant,
) -> None:
    sender = started(assistant)
    messages = assistant.send(sender, "buongiorno, mi fa male l'anca da due settimane")
    reply = texts(messages)
    assert "I can only understand and answer in English" in reply
    assert EMERGENCY_NUMBER in reply
    payloads = {button["payload"] for message in messages for button in message.get("buttons", [])}
    assert "/request_appointment" in payloads


@pytest.mark.parametrize(
    ("message", "level", "wording"),
    [
        (
            "no puedo orinar desde ayer y me duele mucho la espalda",
            "emergency",
            f"Llame ahora al número de emergencias ({EMERGENCY_NUMBER})",
        ),
        (
            "mi abuela se cayo y no puede caminar",
            "emergency",
            f"Llame ahora al número de emergencias ({EMERGENCY_NUMBER})",
        ),
        (
            "tengo fiebre y me duele la cadera desde ayer",
            "urgent",
            "debe revisarlo un médico hoy mismo",
        ),
    ],
)
def test_a_red_flag_in_spanish_gets_the_escalation_in_spanish_at_its_level(
    assistant: LocalAssistant, message: str, level: str, wording: str
) -> None:
    sender = started(assistant)
    messages = assistant.send(sender, message)

    assert messages[0]["text"].startswith("⚠️")
    assert wording in messages[0]["text"]
    assert EMERGENCY_NUMBER in messages[0]["text"]
    assert "inglés" not in texts(messages)  # the escalation, not the language reply
    slots = assistant.tracker(sender)["slots"]
    assert slots["triage_level"] == level
    assert slots["alert_level"] == level
    assert slots["language"] == "es"


def test_pushback_in_spanish_after_a_spanish_alert_gets_the_advice_again_in_spanish(
    assistant: LocalAssistant,
) -> None:
    sender = started(assistant)
    assistant.send(sender, "no puedo orinar desde ayer y me duele mucho la espalda")
    messages = assistant.send(sender, "¿puedo esperar a mañana para ir al médico?")
    assert [message["text"][:2] for message in messages] == ["⚠️", "⚠️"]
    assert "Mi consejo sigue siendo el mismo" in messages[1]["text"]
    assert f"llame ahora al número de emergencias ({EMERGENCY_NUMBER})" in messages[1]["text"]
    assert assistant.tracker(sender)["slots"]["alert_level"] == "emergency"


def test_an_english_red_flag_after_a_spanish_message_is_escalated_in_english(
    assistant: LocalAssistant,
) -> None:
    sender = started(assistant)
    assistant.send(sender, "me duele la ingle cuando subo escaleras")
    reply = texts(assistant.send(sender, "I can't feel anything between my legs"))
    assert f"call {EMERGENCY_NUMBER} now" in reply
    assert assistant.tracker(sender)["slots"]["language"] == "en"


def test_short_english_replies_in_the_middle_of_a_flow_are_unaffected(
    assistant: LocalAssistant,
) -> None:
    sender = started(assistant)
    assistant.send(sender, "check my symptoms")
    # "ok" is not an answer: asked again, in English.
    assert "yes, no or not sure" in texts(assistant.send(sender, "ok"))
    assistant.send(sender, "no")
    slots = assistant.tracker(sender)["slots"]
    assert slots["emergency_signs"] == "no"
    assert slots["requested_slot"] == "urgent_signs"
    # A Spanish message is answered in Spanish, and the question comes again.
    reply = texts(assistant.send(sender, "perdone, no entiendo bien el inglés, me duele la cadera"))
    assert "solo puedo entender y responder en inglés" in reply
    tracker = assistant.tracker(sender)
    assert tracker["active_loop"]["name"] == "symptom_check_form"
    assert tracker["slots"]["requested_slot"] == "urgent_signs"
    for short in ["nope", "thx"]:
        reply = texts(assistant.send(sender, short))
        assert "inglés" not in reply and "English" not in reply
    assert assistant.tracker(sender)["slots"]["urgent_signs"] == "no"


def test_a_walkthrough_goes_on_after_short_replies(assistant: LocalAssistant) -> None:
    sender = started(assistant)
    assert "1 of" in texts(assistant.send(sender, "what causes it"))
    assert "2 of" in texts(assistant.send(sender, "next"))
    assert "3 of" in texts(assistant.send(sender, "more"))


def test_with_the_action_server_down_the_spanish_reply_and_escalation_still_come(
    assistant: LocalAssistant,
) -> None:
    sender = started(assistant)
    assistant.stop_action_server()
    try:
        reply = texts(
            assistant.send(sender, "me duele la ingle cuando subo escaleras", timeout=120)
        )
        assert "solo puedo entender y responder en inglés" in reply
        assert EMERGENCY_NUMBER in reply and CLINIC_PHONE in reply
        escalation = assistant.send(sender, "no puedo orinar desde ayer", timeout=120)
        assert escalation[0]["text"].startswith("⚠️ Lo que describe")
        assert f"Llame ahora al número de emergencias ({EMERGENCY_NUMBER})" in escalation[0]["text"]
    finally:
        assistant.start_action_server()
