"""Tests for components/red_flag_policy.py: the escalation sequence after a red flag."""

from __future__ import annotations

from typing import List, Optional

import pytest
from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from components.red_flag_policy import next_red_flag_action


def tracker_after(
    intent: str, actions: List[str], form: Optional[str] = None
) -> DialogueStateTracker:
    events: List[Event] = [ActionExecuted("action_session_start")]
    if form:
        events.append(ActiveLoop(form))
    events.append(UserUttered("text", intent={"name": intent, "confidence": 1.0}))
    events += [ActionExecuted(action) for action in actions]
    return DialogueStateTracker.from_events("someone", events)


@pytest.mark.parametrize(
    "actions, form, expected",
    [
        ([], None, "utter_red_flag_escalation"),
        (["action_extract_slots"], None, "utter_red_flag_escalation"),
        (["utter_red_flag_escalation"], None, "action_explain_red_flag"),
        (["utter_red_flag_escalation"], "symptom_check_form", "action_deactivate_loop"),
        (["utter_red_flag_escalation", "action_deactivate_loop"], None, "action_explain_red_flag"),
        (["utter_red_flag_escalation", "action_explain_red_flag"], None, "action_listen"),
    ],
)
def test_after_a_red_flag_the_escalation_steps_follow_in_order(
    actions: List[str], form: Optional[str], expected: str
) -> None:
    assert next_red_flag_action(tracker_after("report_red_flag", actions, form)) == expected


def test_a_red_flag_is_escalated_even_when_the_session_start_left_no_listen_event() -> None:
    # This is the state after a failed custom session start: no action_listen before the user.
    assert next_red_flag_action(tracker_after("report_red_flag", [])) == "utter_red_flag_escalation"


@pytest.mark.parametrize("intent", ["greet", "ask_treatment", "describe_symptoms", "nlu_fallback"])
def test_no_opinion_after_other_intents(intent: str) -> None:
    assert next_red_flag_action(tracker_after(intent, [])) is None


def test_no_opinion_after_an_unexpected_action() -> None:
    assert next_red_flag_action(tracker_after("report_red_flag", ["utter_greet"])) is None
