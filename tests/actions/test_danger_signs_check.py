"""Tests for actions/danger_signs_check.py: the question, its answers read without guessing,
and the advice each answer leads to."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Set

import pytest
import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.danger_signs_check import (
    INTERRUPTING_INTENTS,
    ActionActOnDangerSigns,
    ActionAskDangerSignsNow,
    ValidateDangerSignsCheckForm,
    danger_signs_list,
)
from core.knowledge import get_knowledge

RunAction = Callable[[Action, Tracker], List[EventType]]
SlotsSet = Callable[[List[EventType]], Dict[str, Any]]
FORM = {"name": "danger_signs_check_form"}
ASKED = {"requested_slot": "danger_signs_now"}
RULES = Path(__file__).resolve().parents[2] / "data" / "rules" / "danger_signs_check.yml"


def answer_tracker(
    make_tracker: Callable[..., Tracker], intent: str, text: str, **kwargs: Any
) -> Tracker:
    """The tracker when the patient replies to the question with this message."""
    return make_tracker(intent=intent, text=text, slots=ASKED, active_loop=FORM, **kwargs)


@pytest.mark.parametrize(
    ("intent", "text", "answer"),
    [
        ("affirm", "/affirm", "yes"),
        ("deny", "/deny", "no"),
        ("not_sure", "/not_sure", "not_sure"),
        ("affirm", "yes", "yes"),
        ("affirm", "yeah a bit", "yes"),
        ("deny", "no", "no"),
        ("deny", "none of those", "no"),
        ("not_sure", "not sure", "not_sure"),
        # A hedged no is not a no.
        ("deny", "don't think so", "not_sure"),
        ("deny", "not really", "not_sure"),
        ("deny", "no but my leg is a bit numb", "not_sure"),
    ],
)
def test_an_answer_fills_the_slot_as_yes_no_or_not_sure(
    intent: str,
    text: str,
    answer: str,
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    slots_set: SlotsSet,
    dispatcher: CollectingDispatcher,
) -> None:
    events = run_action(ValidateDangerSignsCheckForm(), answer_tracker(make_tracker, intent, text))

    assert slots_set(events)["danger_signs_now"] == answer
    assert dispatcher.messages == []


@pytest.mark.parametrize(
    ("intent", "text"),
    [
        ("ask_overview", "is it psoas or not, yes or no"),
        ("affirm", "ok"),
        ("nlu_fallback", "what do you mean"),
        ("hesitate_to_get_help", "i don't want to bother anyone"),
        ("possible_red_flag", "something is really wrong down there"),
        ("report_red_flag", "/report_red_flag"),
        ("thank", "thanks"),
    ],
)
def test_a_non_answer_is_never_stored_and_the_question_is_asked_again(
    intent: str,
    text: str,
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    slots_set: SlotsSet,
    dispatched_responses: Callable[[], List[str]],
) -> None:
    # ask_overview is an interruption, but "yes or no" in it is a question back, never an answer.
    if intent in INTERRUPTING_INTENTS:
        intent = "nlu_fallback"

    events = run_action(ValidateDangerSignsCheckForm(), answer_tracker(make_tracker, intent, text))

    # An empty slot set in the events keeps the form from being rejected: it asks again.
    assert slots_set(events) == {"danger_signs_now": None}
    assert dispatched_responses() == ["utter_danger_signs_please_answer"]


@pytest.mark.parametrize(
    ("intent", "entities"),
    [
        ("report_red_flag", [{"entity": "triage_level", "value": "emergency"}]),
        ("stop", []),
        ("help", []),
        ("ask_treatment", []),
        ("bot_challenge", []),
        ("request_appointment", []),
        ("delete_my_data", []),
    ],
)
def test_a_recognised_red_flag_stop_or_question_is_left_to_the_rules(
    intent: str,
    entities: List[Dict[str, Any]],
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    slots_set: SlotsSet,
) -> None:
    tracker = answer_tracker(make_tracker, intent, "yes, and ...", entities=entities)

    events = run_action(ValidateDangerSignsCheckForm(), tracker)

    # No slot set: the form is rejected and the rules for this form take over.
    assert "danger_signs_now" not in slots_set(events)


def test_the_message_that_led_to_the_question_is_never_taken_as_its_answer(
    make_tracker: Callable[..., Tracker], run_action: RunAction, slots_set: SlotsSet
) -> None:
    tracker = make_tracker(
        intent="possible_red_flag", text="yes something feels very wrong", active_loop=FORM
    )

    events = run_action(ValidateDangerSignsCheckForm(), tracker)

    assert "danger_signs_now" not in slots_set(events)


def test_every_interruption_the_form_lets_through_has_a_rule(domain: Dict[str, Any]) -> None:
    handled: Set[str] = set()
    for rule in yaml.safe_load(RULES.read_text())["rules"]:
        if {"active_loop": "danger_signs_check_form"} not in rule.get("condition", []):
            continue
        for step in rule["steps"]:
            handled |= {option["intent"] for option in step.get("or", [])}
            if "intent" in step:
                handled.add(step["intent"])
    assert INTERRUPTING_INTENTS <= handled


def test_the_question_leads_with_the_emergency_number_and_lists_the_content_files_signs(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatcher: CollectingDispatcher,
    domain: Dict[str, Any],
) -> None:
    run_action(ActionAskDangerSignsNow(), make_tracker(slots=ASKED, active_loop=FORM))

    (message,) = dispatcher.messages
    assert message["response"] == "utter_ask_danger_signs_now"
    signs = message["danger_signs"]
    for item in get_knowledge().safety_screening["emergency"]:
        assert f"• {item.text}" in signs
    (question,) = domain["responses"]["utter_ask_danger_signs_now"]
    assert question["text"].startswith("⚠️ If this could be an emergency, call {emergency_number}")
    assert "Right now, do you have any of these?\n{danger_signs}" in question["text"]
    assert [button["payload"] for button in question["buttons"]] == [
        "/affirm",
        "/deny",
        "/not_sure",
    ]


def test_the_signs_listed_are_exactly_the_emergency_screening_items() -> None:
    items = get_knowledge().safety_screening["emergency"]
    assert danger_signs_list().splitlines() == [f"• {item.text}" for item in items]


@pytest.mark.parametrize(
    ("answer", "previous_alert", "response", "level"),
    [
        ("yes", None, "utter_red_flag_emergency", "emergency"),
        ("yes", "urgent", "utter_red_flag_emergency", "emergency"),
        ("not_sure", None, "utter_danger_signs_not_sure", "urgent"),
        ("not_sure", "urgent", "utter_danger_signs_not_sure", "urgent"),
        # Never reached through the form, but never taken as a "no" either.
        (None, None, "utter_danger_signs_not_sure", "urgent"),
    ],
)
def test_yes_gives_emergency_advice_and_not_sure_same_day_advice(
    answer: Optional[str],
    previous_alert: Optional[str],
    response: str,
    level: str,
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    slots_set: SlotsSet,
    dispatched_responses: Callable[[], List[str]],
) -> None:
    tracker = make_tracker(slots={"danger_signs_now": answer, "alert_level": previous_alert})

    events = run_action(ActionActOnDangerSigns(), tracker)

    assert dispatched_responses() == [response]
    assert slots_set(events) == {
        "triage_level": level,
        "alert_level": level,
        "danger_signs_now": None,
    }


def test_no_thanks_them_and_sets_no_level(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    slots_set: SlotsSet,
    dispatched_responses: Callable[[], List[str]],
) -> None:
    events = run_action(ActionActOnDangerSigns(), make_tracker(slots={"danger_signs_now": "no"}))

    assert dispatched_responses() == ["utter_danger_signs_none"]
    assert slots_set(events) == {"danger_signs_now": None}


def test_no_offers_the_symptom_check_and_after_an_urgent_alert_keeps_its_advice(
    domain: Dict[str, Any],
) -> None:
    variations = domain["responses"]["utter_danger_signs_none"]
    plain = [variation for variation in variations if "condition" not in variation]
    (first,) = plain
    assert "/check_symptoms" in [button["payload"] for button in first["buttons"]]
    after_urgent = [variation for variation in variations if "condition" in variation]
    assert {variation["condition"][0]["name"] for variation in after_urgent} == {
        "alert_level",
        "triage_level",
    }
    for variation in after_urgent:
        assert variation["condition"][0]["value"] == "urgent"
        assert variation["text"].startswith("⚠️")
        assert "doctor today" in variation["text"]


@pytest.mark.parametrize(
    "response",
    ["utter_danger_signs_not_sure", "utter_danger_signs_check_left", "utter_ask_danger_signs_now"],
)
def test_every_reply_of_the_question_is_an_alert_with_the_emergency_number(
    response: str, domain: Dict[str, Any]
) -> None:
    for variation in domain["responses"][response]:
        assert variation["text"].startswith("⚠️")
        assert "{emergency_number}" in variation["text"]
        assert "Okay, stopped" not in variation["text"]
