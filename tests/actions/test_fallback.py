"""Tests for actions/fallback.py: rephrase, out of scope, and a person after two misses."""

from __future__ import annotations

from typing import Any, Callable, Dict, List

import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.contact import contact_variables
from actions.fallback import ActionAnswerOtherComplaint, ActionHandleMiss, consecutive_misses

RunAction = Callable[[Action, Tracker], List[EventType]]


def user_said(intent: str, text: str = "...") -> Dict[str, Any]:
    """A user event as the Rasa server sends it in the tracker's events."""
    return {
        "event": "user",
        "text": text,
        "parse_data": {"intent": {"name": intent, "confidence": 0.9}, "entities": []},
    }


def bot_said(text: str = "...") -> Dict[str, Any]:
    """A bot utterance event."""
    return {"event": "bot", "text": text}


def action_ran(name: str) -> Dict[str, Any]:
    """An action event."""
    return {"event": "action", "name": name}


def conversation(*intents: str) -> List[Dict[str, Any]]:
    """Events of a conversation whose user messages had these intents, with bot turns between."""
    events: List[Dict[str, Any]] = [action_ran("action_session_start"), action_ran("action_listen")]
    for index, intent in enumerate(intents):
        events.append(user_said(intent))
        if index < len(intents) - 1:
            events += [action_ran("action_handle_miss"), bot_said(), action_ran("action_listen")]
    return events


def tracker_after(make_tracker: Callable[..., Tracker], *intents: str) -> Tracker:
    """A tracker whose latest message is the last of these intents."""
    return make_tracker(intent=intents[-1], text="...", events=conversation(*intents))


@pytest.mark.parametrize(
    ("intents", "misses"),
    [
        (["nlu_fallback"], 1),
        (["out_of_scope"], 1),
        (["greet", "nlu_fallback"], 1),
        (["ask_causes", "out_of_scope"], 1),
        (["nlu_fallback", "nlu_fallback"], 2),
        (["out_of_scope", "nlu_fallback"], 2),
        (["nlu_fallback", "greet", "nlu_fallback"], 1),
        (["greet", "out_of_scope", "out_of_scope", "nlu_fallback"], 3),
        (["greet"], 0),
    ],
)
def test_consecutive_misses_counts_the_latest_misses_in_a_row(
    intents: List[str], misses: int, make_tracker: Callable[..., Tracker]
) -> None:
    assert consecutive_misses(tracker_after(make_tracker, *intents)) == misses


@pytest.mark.parametrize(
    ("intents", "response"),
    [
        (["nlu_fallback"], "utter_ask_rephrase"),
        (["out_of_scope"], "utter_out_of_scope"),
        (["greet", "nlu_fallback"], "utter_ask_rephrase"),
        (["ask_treatment", "out_of_scope"], "utter_out_of_scope"),
    ],
)
def test_single_miss_gets_its_response(
    intents: List[str],
    response: str,
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatcher: CollectingDispatcher,
) -> None:
    events = run_action(ActionHandleMiss(), tracker_after(make_tracker, *intents))

    assert [message["response"] for message in dispatcher.messages] == [response]
    assert events == []


@pytest.mark.parametrize(
    "intents",
    [
        ["nlu_fallback", "nlu_fallback"],
        ["out_of_scope", "out_of_scope"],
        ["nlu_fallback", "out_of_scope"],
        ["greet", "out_of_scope", "nlu_fallback"],
    ],
)
def test_two_misses_in_a_row_offer_the_clinic_contact(
    intents: List[str],
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatcher: CollectingDispatcher,
    clinic_environment: Callable[..., None],
    domain: Dict[str, Any],
    render: Callable[..., str],
) -> None:
    clinic_environment(CLINIC_PHONE="+1 555 0100")

    run_action(ActionHandleMiss(), tracker_after(make_tracker, *intents))

    (message,) = dispatcher.messages
    # Not one of the fallback responses that ask to rephrase: the offer of a person.
    assert message["response"] == "utter_offer_a_person"
    assert render("utter_contact_clinic", **contact_variables(domain)) in message["text"]
    assert "+1 555 0100" in message["text"]


EMERGENCY_LINE = "If this is an emergency, call {emergency_number}."


@pytest.mark.parametrize("response", ["utter_ask_rephrase", "utter_out_of_scope", "utter_default"])
def test_every_fallback_response_carries_the_emergency_line(
    response: str, domain: Dict[str, Any]
) -> None:
    # A patient who is not understood may be one who needs help now.
    for variation in domain["responses"][response]:
        assert variation["text"].endswith(EMERGENCY_LINE)


def test_the_offer_of_a_person_after_two_misses_carries_the_emergency_number(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatched_text: Callable[[], str],
    clinic_environment: Callable[..., None],
) -> None:
    clinic_environment(CLINIC_EMERGENCY_NUMBER="999")

    run_action(ActionHandleMiss(), tracker_after(make_tracker, "nlu_fallback", "nlu_fallback"))

    assert "emergency, call 999." in dispatched_text()


def test_another_health_problem_gets_a_kind_scope_answer_with_the_clinics_contact(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatched_text: Callable[[], str],
    clinic_environment: Callable[..., None],
) -> None:
    clinic_environment(CLINIC_NAME="Riverside Physio", CLINIC_PHONE="+1 555 0100")

    run_action(ActionAnswerOtherComplaint(), make_tracker("other_complaint", "my knee hurts"))

    answer = dispatched_text()
    assert answer.startswith("I'm sorry you're dealing with that.")
    assert "Riverside Physio can help" in answer
    assert "+1 555 0100" in answer
    assert answer.splitlines()[-1].startswith("If it's an emergency, call")
