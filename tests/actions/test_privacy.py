"""Tests for actions/privacy.py: the privacy answer names the retention period and offers
deletion; a confirmed deletion request marks the conversation."""

from __future__ import annotations

from typing import Any, Callable, Dict, Iterator, List

import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.privacy import ActionDeleteMyData, ActionExplainPrivacy, format_days
from core.clinic import ClinicSettings, get_clinic_settings
from core.names import DELETION_SLOT

RunAction = Callable[[Action, Tracker], List[EventType]]


@pytest.fixture(autouse=True)
def no_retention_variable(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts without RETENTION_DAYS, whatever the shell running the tests has set."""
    monkeypatch.delenv("RETENTION_DAYS", raising=False)
    get_clinic_settings.cache_clear()
    yield
    get_clinic_settings.cache_clear()


def explain_privacy(make_tracker: Callable[..., Tracker], run_action: RunAction) -> List[EventType]:
    return run_action(ActionExplainPrivacy(), make_tracker(intent="ask_privacy"))


def test_privacy_answer_names_the_default_retention_of_30_days(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatched_text: Callable[[], str],
) -> None:
    events = explain_privacy(make_tracker, run_action)

    assert events == []
    assert "no message has been added to it for 30 days" in dispatched_text()


@pytest.mark.parametrize(
    ("retention_days", "said"),
    [("7", "7 days"), ("7.5", "7.5 days"), ("90.0", "90 days"), (" 14 ", "14 days")],
)
def test_privacy_answer_names_the_retention_days_from_the_environment(
    retention_days: str,
    said: str,
    monkeypatch: pytest.MonkeyPatch,
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatched_text: Callable[[], str],
) -> None:
    monkeypatch.setenv("RETENTION_DAYS", retention_days)
    get_clinic_settings.cache_clear()

    explain_privacy(make_tracker, run_action)

    assert f"for {said}." in dispatched_text()
    assert "30 days" not in dispatched_text()


def test_privacy_answer_says_what_is_kept_and_what_is_not(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatched_text: Callable[[], str],
) -> None:
    explain_privacy(make_tracker, run_action)
    text = dispatched_text()

    assert "kept by the clinic's assistant" in text
    assert "isn't used for anything else" in text
    assert "logs don't contain what you write" in text
    assert "your browser also keeps a copy" in text
    # What a referral shares, with whom, and that deleting covers it.
    assert "Nothing is passed to anyone unless you ask the clinic to contact you" in text
    assert "go to the clinic's staff only" in text
    assert "That also deletes a request you made" in text
    # Nothing the assistant does not itself guarantee.
    for promise in ("GDPR", "encrypt", "secure", "compliant", "never"):
        assert promise.lower() not in text.lower()


def test_privacy_answer_names_the_configured_clinic(
    clinic_environment: Callable[..., None],
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatched_text: Callable[[], str],
) -> None:
    clinic_environment(CLINIC_NAME="Riverside Physio")

    explain_privacy(make_tracker, run_action)

    assert "kept by Riverside Physio's assistant" in dispatched_text()


def test_privacy_answer_offers_deletion_and_the_menu(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatcher: CollectingDispatcher,
) -> None:
    explain_privacy(make_tracker, run_action)

    (message,) = dispatcher.messages
    assert message["buttons"] == [
        {"title": "Delete my data", "payload": "/delete_my_data"},
        {"title": "Menu", "payload": "/help"},
    ]


def test_privacy_action_and_its_intent_are_in_the_domain(domain: Dict[str, Any]) -> None:
    assert ActionExplainPrivacy().name() in domain["actions"]
    assert {"ask_privacy", "delete_my_data"} <= set(domain["intents"])


@pytest.mark.parametrize(
    ("days", "said"),
    [(30.0, "30 days"), (7.5, "7.5 days"), (1.0, "1 day"), (0.5, "0.5 days"), (365, "365 days")],
)
def test_days_are_written_as_patients_read_them(
    days: float, said: str, domain: Dict[str, Any]
) -> None:
    assert format_days(domain, days) == said


@pytest.mark.parametrize("blank", ["", "  "])
def test_blank_retention_days_keeps_the_default(blank: str) -> None:
    assert ClinicSettings.from_environment({"RETENTION_DAYS": blank}).retention_days == 30


@pytest.mark.parametrize("value", ["a month", "0", "-3", "inf", "nan"])
def test_retention_days_that_is_not_a_positive_number_is_refused_by_name(value: str) -> None:
    with pytest.raises(ValueError, match="RETENTION_DAYS"):
        ClinicSettings.from_environment({"RETENTION_DAYS": value})


def test_deletion_slot_is_in_the_domain_off_by_default(domain: Dict[str, Any]) -> None:
    slot = domain["slots"][DELETION_SLOT]

    assert slot["type"] == "bool"
    assert slot["initial_value"] is False
    assert slot["influence_conversation"] is False


@pytest.mark.parametrize("intent", ["confirm_delete_my_data", "affirm"])
def test_delete_action_sets_the_deletion_slot_and_says_so(
    intent: str,
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatched_responses: Callable[[], List[str]],
    slots_set: Callable[[List[EventType]], Dict[str, Any]],
) -> None:
    events = run_action(ActionDeleteMyData(), make_tracker(intent=intent))

    assert slots_set(events) == {DELETION_SLOT: True}
    assert len(events) == 1
    assert dispatched_responses() == ["utter_data_deleted"]


def test_delete_action_is_registered_in_the_domain(domain: Dict[str, Any]) -> None:
    assert ActionDeleteMyData().name() in domain["actions"]
    assert {"utter_data_deleted", "utter_confirm_delete_my_data", "utter_data_kept"} <= set(
        domain["responses"]
    )


def test_confirmation_question_offers_to_delete_or_keep(domain: Dict[str, Any]) -> None:
    (variant,) = domain["responses"]["utter_confirm_delete_my_data"]

    assert [button["payload"] for button in variant["buttons"]] == [
        "/confirm_delete_my_data",
        "/keep_my_data",
    ]
    assert "can't be undone" in variant["text"]
