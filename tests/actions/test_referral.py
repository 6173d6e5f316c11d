"""Tests for actions/referral.py: consent, name, contact and time read from the patient's words;
the summary built from the conversation; the promise only after the referral is stored (on a
real SQLite outbox), and nothing kept after "stop"."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List

import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.referral import (
    ActionAskReferralConsent,
    ActionCancelReferral,
    ActionSubmitReferral,
    ValidateReferralForm,
    build_summary,
    referral_reason,
)
from core.clinic import get_clinic_settings
from referrals import service
from referrals.settings import VARIABLES

RunAction = Callable[[Action, Tracker], List[EventType]]
REFERRAL_SETTINGS = (*VARIABLES, "DATABASE_URL", "TRACKER_SQLITE_PATH")


@pytest.fixture
def referral_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Callable[..., None]]:
    """Sets the referral settings (a staff Slack webhook and a fresh SQLite file by default)
    and makes the service read them afresh."""

    def configure(**settings: str) -> None:
        for name in REFERRAL_SETTINGS:
            monkeypatch.delenv(name, raising=False)
        defaults = {
            "STAFF_SLACK_WEBHOOK_URL": "http://127.0.0.1:9/services/T/B/x",
            "TRACKER_SQLITE_PATH": str(tmp_path / "tracker.db"),
        }
        for name, value in {**defaults, **settings}.items():
            monkeypatch.setenv(name, value)
        service.delivery_settings.cache_clear()
        service.outbox.cache_clear()

    configure()
    yield configure
    service.delivery_settings.cache_clear()
    service.outbox.cache_clear()


def user_event(
    intent: str, text: str = "", entities: List[Dict[str, Any]] | None = None
) -> Dict[str, Any]:
    return {
        "event": "user",
        "text": text,
        "timestamp": 1_764_500_000.0,
        "parse_data": {"intent": {"name": intent}, "entities": entities or []},
    }


def validate(
    make_tracker: Callable[..., Tracker],
    dispatcher: CollectingDispatcher,
    domain: Dict[str, Any],
    requested: str,
    intent: str,
    text: str,
) -> Dict[str, Any]:
    tracker = make_tracker(
        intent=intent,
        text=text,
        slots={"requested_slot": requested},
        active_loop={"name": "referral_form"},
    )
    events = asyncio.run(ValidateReferralForm().get_extraction_events(dispatcher, tracker, domain))
    return {event["name"]: event["value"] for event in events if event["event"] == "slot"}


@pytest.mark.usefixtures("referral_environment")
def test_only_a_yes_is_consent(
    make_tracker: Callable[..., Tracker],
    dispatcher: CollectingDispatcher,
    domain: Dict[str, Any],
    dispatched_responses: Callable[[], List[str]],
) -> None:
    assert validate(make_tracker, dispatcher, domain, "referral_consent", "affirm", "yes") == {
        "referral_consent": True
    }
    assert validate(make_tracker, dispatcher, domain, "referral_consent", "not_sure", "maybe") == {
        "referral_consent": None
    }
    assert dispatched_responses() == ["utter_referral_consent_yes_or_no"]


@pytest.mark.parametrize(
    "intent", ["stop", "deny", "help", "report_red_flag", "possible_red_flag", "ask_privacy"]
)
@pytest.mark.parametrize("requested", ["referral_consent", "referral_name", "referral_time"])
@pytest.mark.usefixtures("referral_environment")
def test_stop_no_and_red_flags_are_never_taken_as_answers(
    make_tracker: Callable[..., Tracker],
    dispatcher: CollectingDispatcher,
    domain: Dict[str, Any],
    intent: str,
    requested: str,
) -> None:
    # Nothing extracted: the form rejects the turn and the rules cancel or escalate.
    assert validate(make_tracker, dispatcher, domain, requested, intent, "whatever") == {}


@pytest.mark.usefixtures("referral_environment")
def test_a_contact_is_validated_and_asked_again_when_it_is_not_one(
    make_tracker: Callable[..., Tracker],
    dispatcher: CollectingDispatcher,
    domain: Dict[str, Any],
    dispatched_responses: Callable[[], List[str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CLINIC_PHONE_REGION", "GB")
    get_clinic_settings.cache_clear()
    found = validate(make_tracker, dispatcher, domain, "referral_contact", "inform", "07911 123456")
    assert found == {"referral_contact": "+447911123456"}
    both = validate(
        make_tracker, dispatcher, domain, "referral_contact", "inform", "a@b.org or 07911123456"
    )
    assert both == {"referral_contact": "+447911123456 / a@b.org"}
    assert validate(make_tracker, dispatcher, domain, "referral_contact", "inform", "12") == {
        "referral_contact": None
    }
    assert dispatched_responses() == ["utter_referral_contact_not_understood"]


@pytest.mark.usefixtures("referral_environment")
def test_a_day_is_the_answer_only_to_the_time_question(
    make_tracker: Callable[..., Tracker], dispatcher: CollectingDispatcher, domain: Dict[str, Any]
) -> None:
    asked_time = validate(
        make_tracker, dispatcher, domain, "referral_time", "request_appointment", "Thursday pm"
    )
    assert asked_time == {"referral_time": "Thursday pm"}
    assert (
        validate(make_tracker, dispatcher, domain, "referral_name", "request_appointment", "Thu?")
        == {}
    )


def test_nothing_is_asked_when_staff_cannot_receive_a_referral(
    referral_environment: Callable[..., None],
    make_tracker: Callable[..., Tracker],
    dispatcher: CollectingDispatcher,
    domain: Dict[str, Any],
) -> None:
    referral_environment(STAFF_SLACK_WEBHOOK_URL="")
    required = asyncio.run(
        ValidateReferralForm().required_slots(
            ["referral_consent"], dispatcher, make_tracker(), domain
        )
    )
    assert required == []


def test_the_reason_is_read_from_the_request_or_where_it_was_offered(
    make_tracker: Callable[..., Tracker],
) -> None:
    def reason(text: str, **slots: Any) -> str:
        return referral_reason(
            make_tracker(events=[user_event("request_appointment", text)], slots=slots)
        )

    assert reason("can someone call me back") == "callback"
    assert reason("i want to speak to a person") == "person"
    assert reason("book me in") == "appointment"
    assert reason("/request_appointment", alert_level="urgent") == "after_alert"
    # A later answer that reads like a booking request does not change it.
    events = [
        user_event("request_appointment", "can someone ring me"),
        {"event": "active_loop", "name": "referral_form"},
        user_event("request_appointment", "weekday mornings"),
    ]
    assert referral_reason(make_tracker(events=events)) == "callback"


@pytest.mark.usefixtures("referral_environment")
def test_the_summary_keeps_answers_a_later_alert_cleared(
    make_tracker: Callable[..., Tracker], domain: Dict[str, Any]
) -> None:
    events = [
        user_event("ask_causes", "what causes it"),
        {"event": "slot", "name": "emergency_signs", "value": "no"},
        {"event": "slot", "name": "night_pain", "value": "not_sure"},
        user_event(
            "report_red_flag",
            "i have a fever",
            [{"entity": "red_flag", "value": "fever_with_pain"}],
        ),
        {"event": "slot", "name": "emergency_signs", "value": None},  # the alert's reset
        user_event("request_appointment", "/request_appointment"),
    ]
    tracker = make_tracker(
        events=events,
        slots={
            "alert_level": "urgent",
            "triage_level": "consultation",
            "referral_name": "Ana",
            "referral_contact": "ana@example.com",
            "referral_time": "mornings",
        },
    )
    summary = build_summary(tracker, domain, now=1_764_500_600.0)
    assert summary.answers == {"emergency_signs": "no", "night_pain": "not_sure"}
    assert summary.triage_level == "urgent" and summary.urgent
    assert summary.advice and "checked by a doctor today" in summary.advice
    assert summary.reason == "after_alert"
    assert summary.red_flags == ("a high temperature, chills or night sweats with the pain",)
    assert summary.topics_read == ("Causes",)
    assert summary.contact.email == "ana@example.com"
    assert summary.referred_at == "2025-11-30T11:03:20+00:00"


def test_the_promise_is_made_only_once_the_referral_is_stored(
    referral_environment: Callable[..., None],
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatched_responses: Callable[[], List[str]],
    dispatched_text: Callable[[], str],
    slots_set: Callable[[List[EventType]], Dict[str, Any]],
) -> None:
    slots = {
        "referral_consent": True,
        "referral_name": "Ana Lopez",
        "referral_contact": "+447911123456",
        "referral_time": "mornings",
    }
    events = run_action(
        ActionSubmitReferral(),
        make_tracker(events=[user_event("request_appointment", "book")], slots=slots),
    )
    assert dispatched_responses() == ["utter_referral_stored", "utter_referral_copy"]
    assert "Name: Ana Lopez" not in dispatched_text()  # the copy speaks to the patient
    assert "Your name: Ana Lopez" in dispatched_text()
    assert all(value is None for value in slots_set(events).values())
    listed = service.outbox().referrals()
    assert [item["summary"]["contact"]["name"] for item in listed] == ["Ana Lopez"]


def test_a_referral_that_cannot_be_stored_makes_no_promise(
    referral_environment: Callable[..., None],
    tmp_path: Path,
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatched_responses: Callable[[], List[str]],
) -> None:
    # A database file in a folder that does not exist cannot be written.
    referral_environment(TRACKER_SQLITE_PATH=str(tmp_path / "missing" / "tracker.db"))
    slots = {"referral_consent": True, "referral_name": "Ana", "referral_time": "any time"}
    run_action(ActionSubmitReferral(), make_tracker(slots=slots))
    assert dispatched_responses() == ["utter_referral_not_stored"]


def test_cancelling_forgets_every_detail(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatched_text: Callable[[], str],
    slots_set: Callable[[List[EventType]], Dict[str, Any]],
) -> None:
    events = run_action(
        ActionCancelReferral(),
        make_tracker(slots={"referral_consent": True, "referral_name": "Ana"}),
    )
    assert "nothing has been shared" in dispatched_text()
    assert slots_set(events)["referral_name"] is None
    assert slots_set(events)["referral_consent"] is None


@pytest.mark.parametrize(
    ("slots", "response"),
    [
        ({}, "utter_ask_referral_consent"),
        ({"triage_level": "consultation"}, "utter_ask_referral_consent"),
        ({"triage_level": "urgent"}, "utter_ask_referral_consent_urgent"),
        ({"alert_level": "emergency"}, "utter_ask_referral_consent_urgent"),
    ],
)
def test_consent_is_asked_after_saying_what_is_shared_and_urgency_is_said(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatched_responses: Callable[[], List[str]],
    dispatched_text: Callable[[], str],
    slots: Dict[str, Any],
    response: str,
) -> None:
    run_action(ActionAskReferralConsent(), make_tracker(slots=slots))
    assert dispatched_responses() == [response]
    text = dispatched_text()
    assert "your name" in text and "staff only" in text and "Shall I share" in text
