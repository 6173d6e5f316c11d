"""Tests for actions/session.py: each session starts with clinic settings and the disclaimer."""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional

import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.session import ActionSessionStart
from core.clinic import DEFAULT_EMERGENCY_NUMBER

RunAction = Callable[[Action, Tracker], List[EventType]]


def test_session_starts_then_sets_clinic_slots_then_listens(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    clinic_environment: Callable[..., None],
) -> None:
    clinic_environment(CLINIC_NAME="Riverside Physio", CLINIC_EMERGENCY_NUMBER="112")

    events = run_action(ActionSessionStart(), make_tracker())

    assert events[0] == SessionStarted()
    assert events[-1] == ActionExecuted("action_listen")
    assert [event for event in events if event["event"] == "slot"] == [
        SlotSet("clinic_name", "Riverside Physio"),
        SlotSet("emergency_number", "112"),
        SlotSet("urgent_care", None),
        SlotSet("clinic_phone", None),
        SlotSet("clinic_phone_known", False),
    ]


@pytest.mark.parametrize(
    ("environment", "clinic_name", "emergency_number", "urgent_care", "clinic_phone"),
    [
        (
            {
                "CLINIC_NAME": "Riverside Physio",
                "CLINIC_EMERGENCY_NUMBER": "999",
                "CLINIC_URGENT_CARE": "NHS 111 (call 111 or visit 111.nhs.uk)",
                "CLINIC_PHONE": "+44 20 7946 0000",
            },
            "Riverside Physio",
            "999",
            "NHS 111 (call 111 or visit 111.nhs.uk)",
            "+44 20 7946 0000",
        ),
        ({}, "the clinic", DEFAULT_EMERGENCY_NUMBER, None, None),
        (
            {
                "CLINIC_NAME": "  ",
                "CLINIC_EMERGENCY_NUMBER": "",
                "CLINIC_URGENT_CARE": " ",
                "CLINIC_PHONE": " ",
            },
            "the clinic",
            DEFAULT_EMERGENCY_NUMBER,
            None,
            None,
        ),
    ],
)
def test_clinic_slots_come_from_the_environment(
    environment: Dict[str, str],
    clinic_name: str,
    emergency_number: str,
    urgent_care: Optional[str],
    clinic_phone: Optional[str],
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    clinic_environment: Callable[..., None],
    slots_set: Callable[[List[EventType]], Dict[str, Any]],
) -> None:
    clinic_environment(**environment)

    events = run_action(ActionSessionStart(), make_tracker())

    assert slots_set(events) == {
        "clinic_name": clinic_name,
        "emergency_number": emergency_number,
        "urgent_care": urgent_care,
        "clinic_phone": clinic_phone,
        "clinic_phone_known": clinic_phone is not None,
    }


def test_default_clinic_slots_match_the_domain_initial_values(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    domain: Dict[str, Any],
    slots_set: Callable[[List[EventType]], Dict[str, Any]],
) -> None:
    # The domain's initial values are what a patient sees when the action server is down.
    events = run_action(ActionSessionStart(), make_tracker())

    for slot, value in slots_set(events).items():
        assert domain["slots"][slot]["initial_value"] == value


def test_session_start_says_the_disclaimer_with_clinic_details_then_the_menu(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatcher: CollectingDispatcher,
    clinic_environment: Callable[..., None],
) -> None:
    clinic_environment(CLINIC_NAME="Riverside Physio", CLINIC_EMERGENCY_NUMBER="911")

    run_action(ActionSessionStart(), make_tracker())

    disclaimer, menu = dispatcher.messages
    assert disclaimer["response"] == "utter_disclaimer"
    assert disclaimer["clinic_name"] == "Riverside Physio"
    assert disclaimer["emergency_number"] == "911"
    assert menu["response"] == "utter_menu"


def test_a_session_start_request_right_after_a_new_session_says_nothing_twice(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatcher: CollectingDispatcher,
) -> None:
    # A widget opens a new conversation by sending /session_start: Rasa has just started the
    # session (and said the disclaimer), then the intent asks for a session start again.
    tracker = make_tracker(
        intent="session_start",
        events=[
            {"event": "action", "name": "action_session_start"},
            {"event": "session_started"},
            {"event": "action", "name": "action_listen"},
            {"event": "user", "text": "/session_start", "parse_data": {}},
        ],
    )

    assert run_action(ActionSessionStart(), tracker) == [ActionExecuted("action_listen")]
    assert dispatcher.messages == []


def test_a_session_start_request_later_in_a_conversation_starts_a_new_session(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatcher: CollectingDispatcher,
) -> None:
    tracker = make_tracker(
        intent="session_start",
        events=[
            {"event": "session_started"},
            {"event": "user", "text": "what causes it", "parse_data": {}},
            {"event": "bot", "text": "..."},
            {"event": "user", "text": "/session_start", "parse_data": {}},
        ],
    )

    events = run_action(ActionSessionStart(), tracker)

    assert events[0] == SessionStarted()
    assert [message["response"] for message in dispatcher.messages] == [
        "utter_disclaimer",
        "utter_menu",
    ]
