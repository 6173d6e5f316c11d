"""Tests for actions/contact.py: the clinic's contact details, as configured."""

from __future__ import annotations

from typing import Any, Callable, Dict, List

import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.buttons import MENU
from actions.contact import ActionContactClinic, contact_response, contact_variables
from core.clinic import DEFAULT_EMERGENCY_NUMBER

RunAction = Callable[[Action, Tracker], List[EventType]]
ContactMessage = Callable[..., str]
NO_DETAILS_SENTENCE = "through its usual phone line or website"


@pytest.fixture
def contact_message(domain: Dict[str, Any], render: Callable[..., str]) -> ContactMessage:
    """The contact message for a request, as the patient reads it."""

    def message(request: str = "") -> str:
        return render(contact_response(request), **contact_variables(domain))

    return message


@pytest.mark.parametrize(
    ("environment", "expected", "absent"),
    [
        (
            {"CLINIC_PHONE": "+1 555 0100"},
            ["+1 555 0100"],
            ["Book online", "Opening hours", NO_DETAILS_SENTENCE],
        ),
        (
            {"CLINIC_BOOKING_URL": "https://clinic.example/book"},
            ["https://clinic.example/book"],
            ["Call the clinic:", "Opening hours", NO_DETAILS_SENTENCE],
        ),
        (
            {"CLINIC_OPENING_HOURS": "Mon-Fri 8-18"},
            ["Mon-Fri 8-18"],
            ["Call the clinic:", "Book online", NO_DETAILS_SENTENCE],
        ),
        (
            {
                "CLINIC_NAME": "Riverside Physio",
                "CLINIC_PHONE": "+1 555 0100",
                "CLINIC_BOOKING_URL": "https://clinic.example/book",
                "CLINIC_OPENING_HOURS": "Mon-Fri 8-18",
            },
            [
                "Riverside Physio",
                "+1 555 0100",
                "https://clinic.example/book",
                "Mon-Fri 8-18",
            ],
            [NO_DETAILS_SENTENCE],
        ),
    ],
)
def test_contact_message_lists_each_configured_way_to_reach_the_clinic(
    environment: Dict[str, str],
    expected: List[str],
    absent: List[str],
    clinic_environment: Callable[..., None],
    contact_message: ContactMessage,
) -> None:
    clinic_environment(**environment)

    message = contact_message()

    for detail in expected:
        assert detail in message
    for detail in absent:
        assert detail not in message


@pytest.mark.parametrize(
    "environment",
    [{}, {"CLINIC_PHONE": "", "CLINIC_BOOKING_URL": "   ", "CLINIC_OPENING_HOURS": ""}],
)
def test_contact_message_without_details_falls_back_to_a_sentence(
    environment: Dict[str, str],
    clinic_environment: Callable[..., None],
    contact_message: ContactMessage,
) -> None:
    clinic_environment(**environment)

    message = contact_message()

    assert f"Please contact the clinic {NO_DETAILS_SENTENCE}." in message
    assert "📞" not in message and "📅" not in message and "🕘" not in message


@pytest.mark.parametrize(
    ("environment", "emergency_number"),
    [({}, DEFAULT_EMERGENCY_NUMBER), ({"CLINIC_EMERGENCY_NUMBER": "000"}, "000")],
)
def test_contact_message_ends_with_the_emergency_number(
    environment: Dict[str, str],
    emergency_number: str,
    clinic_environment: Callable[..., None],
    contact_message: ContactMessage,
) -> None:
    clinic_environment(**environment)

    assert contact_message().splitlines()[-1] == f"In an emergency, call {emergency_number}."


def test_contact_action_sends_the_contact_message_with_a_menu_button(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatcher: CollectingDispatcher,
    clinic_environment: Callable[..., None],
    contact_message: ContactMessage,
) -> None:
    clinic_environment(CLINIC_PHONE="+1 555 0100")

    events = run_action(ActionContactClinic(), make_tracker(intent="request_appointment"))

    assert events == []
    assert [message["text"] for message in dispatcher.messages] == [contact_message()]
    assert dispatcher.messages[0]["buttons"] == [MENU]


@pytest.mark.parametrize(
    "request_text", ["Thursday afternoon?", "can i come tomorrow at 10", "is 3pm ok", "monday"]
)
def test_a_day_or_time_offered_is_answered_before_the_contact_details(
    request_text: str, clinic_environment: Callable[..., None], contact_message: ContactMessage
) -> None:
    clinic_environment(CLINIC_BOOKING_URL="https://clinic.example/book")

    message = contact_message(request_text)

    assert message.startswith("I can't see or book appointment times myself")
    assert "https://clinic.example/book" in message


@pytest.mark.parametrize("request_text", ["", "/request_appointment", "can i book in please"])
def test_a_request_without_a_day_or_time_goes_straight_to_the_details(
    request_text: str, contact_message: ContactMessage
) -> None:
    assert contact_message(request_text).startswith("To book an appointment")
