"""After an alert, over REST with both servers running: pushback gets the advice again at the
session's level, the level never drops, and a possible red flag is asked about, never guessed.
The patients' messages are the issue's own examples, none of them in the training data."""

from __future__ import annotations

import uuid
from typing import Any, Dict, List

import pytest

from core.knowledge import get_knowledge
from scripts.local_servers import LocalAssistant
from tests.support.environment import CLINIC_ENVIRONMENT

EMERGENCY_NUMBER = CLINIC_ENVIRONMENT["CLINIC_EMERGENCY_NUMBER"]
URGENT_CARE = CLINIC_ENVIRONMENT["CLINIC_URGENT_CARE"]
EMERGENCY_ADVICE = f"call {EMERGENCY_NUMBER} now or go to the nearest emergency department"
SAME_DAY_ADVICE = "checked by a doctor today"
# What the conversation fell apart into before: a restarted check, "Okay, stopped", a shrug.
NEVER_AFTER_AN_ALERT = ["Okay, stopped", "No problem", "didn't understand", "didn't catch"]
NEVER_RUN_AFTER_AN_ALERT = {"symptom_check_form", "utter_stopped", "action_handle_miss"}


def new_sender() -> str:
    return f"alert-{uuid.uuid4().hex[:12]}"


def texts(messages: List[Dict[str, Any]]) -> str:
    return "\n".join(message.get("text", "") for message in messages)


def actions_run(assistant: LocalAssistant, sender: str) -> List[str]:
    events = assistant.tracker(sender)["events"]
    return [event["name"] for event in events if event["event"] == "action"]


def assert_emergency_advice_again(messages: List[Dict[str, Any]]) -> None:
    """The reply is the emergency advice again, as an alert, with the out-of-hours line."""
    reply = texts(messages)
    assert messages and all(message["text"].startswith("⚠️") for message in messages), reply
    assert EMERGENCY_ADVICE in reply.lower(), reply
    assert URGENT_CARE in reply, reply
    for phrase in NEVER_AFTER_AN_ALERT:
        assert phrase not in reply, reply


def escalate(assistant: LocalAssistant, sender: str, message: str) -> str:
    """Sends a red flag and checks the emergency escalation came first after any disclaimer."""
    messages = assistant.send(sender, message)
    alerts = [m["text"] for m in messages if m.get("text", "").startswith("⚠️")]
    assert alerts and EMERGENCY_ADVICE in alerts[0].lower(), texts(messages)
    return texts(messages)


def test_saddle_numbness_then_pushback_gets_the_emergency_advice_every_time(
    assistant: LocalAssistant,
) -> None:
    sender = new_sender()
    escalate(
        assistant, sender, "I've gone numb between my legs and around my bum since this morning"
    )

    waiting = assistant.send(sender, "cant i wait for my physio appt on thursday")
    assert_emergency_advice_again(waiting)
    assert "rather wait" in waiting[0]["text"]

    bothering = assistant.send(sender, "i dont want to waste the ER's time")
    assert_emergency_advice_again(bothering)
    assert "not wasting anyone's time" in bothering[0]["text"]

    assert_emergency_advice_again(assistant.send(sender, "the numbness is still there now btw"))

    tracker = assistant.tracker(sender)
    assert tracker["slots"]["alert_level"] == "emergency"
    assert not (tracker.get("active_loop") or {}).get("name")
    assert not NEVER_RUN_AFTER_AN_ALERT & set(actions_run(assistant, sender))


def test_a_bleed_on_blood_thinners_then_the_gp_is_closed_gets_the_emergency_advice(
    assistant: LocalAssistant,
) -> None:
    sender = new_sender()
    escalate(
        assistant,
        sender,
        "I'm on warfarin and my groin has swollen up and is really painful since this morning",
    )

    reply = assistant.send(sender, "its sunday, my gp is closed, can i put ice on it and wait?")

    assert_emergency_advice_again(reply)
    assert "your own doctor is closed" in reply[0]["text"]


def test_a_feverish_limping_child_then_calpol_gets_the_emergency_advice(
    assistant: LocalAssistant,
) -> None:
    sender = new_sender()
    escalate(assistant, sender, "my 4 year old son is limping and has a high temperature")

    reply = assistant.send(sender, "can I give him calpol and see how he is in the morning?")

    assert_emergency_advice_again(reply)
    assert "Medicine, ice or rest" in reply[0]["text"]


def test_a_later_urgent_sign_keeps_the_emergency_level(assistant: LocalAssistant) -> None:
    sender = new_sender()
    escalate(
        assistant, sender, "I've gone numb between my legs and around my bum since this morning"
    )

    reply = escalate(assistant, sender, "i also have a high temperature now")

    fever = get_knowledge().red_flag("fever_with_pain").label
    assert fever in reply
    assert assistant.tracker(sender)["slots"]["triage_level"] == "emergency"


def test_a_question_after_an_alert_is_answered_after_a_reminder(assistant: LocalAssistant) -> None:
    sender = new_sender()
    escalate(assistant, sender, "I suddenly can't control my bladder")

    reply = assistant.send(sender, "how is it treated")

    assert reply[0]["text"].startswith("⚠️ First, a reminder")
    assert EMERGENCY_ADVICE in reply[0]["text"].lower()
    assert get_knowledge().topic("treatment").items[0].text in texts(reply)


def ask_about_danger_signs(assistant: LocalAssistant, sender: str) -> List[Dict[str, Any]]:
    """A message that may be a red flag, with no sign recognised, and its question. Which words
    lead there depends on the trained model (tests/components/test_red_flag_detector.py covers
    that), so the message is sent as the intent the detector gives."""
    messages = assistant.send(sender, "/possible_red_flag")
    question = messages[-1]
    assert question["text"].startswith(f"⚠️ If this could be an emergency, call {EMERGENCY_NUMBER}")
    assert "Right now, do you have any of these?" in question["text"]
    for item in get_knowledge().safety_screening["emergency"]:
        assert item.text in question["text"]
    assert [b["title"] for b in question["buttons"]] == ["Yes", "No", "Not sure"]
    return messages


def test_a_possible_red_flag_is_asked_about_a_non_answer_asked_again_and_not_sure_is_same_day(
    assistant: LocalAssistant,
) -> None:
    sender = new_sender()
    ask_about_danger_signs(assistant, sender)

    again = texts(assistant.send(sender, "is it psoas or not, yes or no"))
    assert "Right now, do you have any of these?" in again
    assert assistant.tracker(sender)["slots"]["danger_signs_now"] is None

    not_sure = texts(assistant.send(sender, "/not_sure"))
    assert not_sure.startswith("⚠️") and SAME_DAY_ADVICE in not_sure
    assert f"call {EMERGENCY_NUMBER} now" in not_sure
    slots = assistant.tracker(sender)["slots"]
    assert (slots["triage_level"], slots["alert_level"]) == ("urgent", "urgent")

    waiting = texts(assistant.send(sender, "can i wait till tomorrow"))
    assert SAME_DAY_ADVICE in waiting and f"contact {URGENT_CARE} today" in waiting


def test_yes_to_the_danger_signs_is_an_emergency(assistant: LocalAssistant) -> None:
    sender = new_sender()
    ask_about_danger_signs(assistant, sender)

    reply = texts(assistant.send(sender, "yes"))

    assert reply.startswith("⚠️") and EMERGENCY_ADVICE in reply.lower()
    assert assistant.tracker(sender)["slots"]["alert_level"] == "emergency"


def test_no_to_the_danger_signs_thanks_them_and_sets_no_level(assistant: LocalAssistant) -> None:
    sender = new_sender()
    ask_about_danger_signs(assistant, sender)

    reply = assistant.send(sender, "no")

    assert reply[-1]["text"].startswith("Thank you for checking")
    assert "/check_symptoms" in [b["payload"] for b in reply[-1]["buttons"]]
    slots = assistant.tracker(sender)["slots"]
    assert slots["triage_level"] is None and slots["alert_level"] is None


def test_pushback_without_an_alert_is_answered_honestly(assistant: LocalAssistant) -> None:
    reply = texts(assistant.send(new_sender(), "can i just wait and see how it goes"))

    assert "I can't tell you it's safe to wait" in reply
    assert f"Call {EMERGENCY_NUMBER} now if you have any of these" in reply
    assert URGENT_CARE in reply


# "/nlu_fallback" is what the FallbackClassifier gives text it cannot read; which gibberish the
# trained model reads as which intent is not this test's concern.
@pytest.mark.parametrize("message", ["/nlu_fallback", "what's the weather like tomorrow"])
def test_the_fallback_replies_carry_the_emergency_line(
    assistant: LocalAssistant, message: str
) -> None:
    reply = texts(assistant.send(new_sender(), message))

    assert f"If this is an emergency, call {EMERGENCY_NUMBER}." in reply
