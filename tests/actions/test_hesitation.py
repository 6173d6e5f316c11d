"""Tests for actions/hesitation.py: "can I wait?" with no alert gets no reassurance."""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional

import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.danger_signs_check import danger_signs_list
from actions.hesitation import ActionAnswerHesitation

RunAction = Callable[[Action, Tracker], List[EventType]]
REASSURANCE = ["safe to wait.", "nothing to worry", "you'll be fine", "it can wait", "harmless"]


@pytest.mark.parametrize(
    ("urgent_care", "response"),
    [
        (None, "utter_cannot_say_it_is_safe_to_wait"),
        (
            "NHS 111 (call 111 or visit 111.nhs.uk)",
            "utter_cannot_say_it_is_safe_to_wait_with_urgent_care",
        ),
    ],
)
def test_the_answer_lists_the_emergency_signs_and_names_urgent_care_only_when_configured(
    urgent_care: Optional[str],
    response: str,
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatcher: CollectingDispatcher,
) -> None:
    tracker = make_tracker(
        intent="hesitate_to_get_help", text="can i wait", slots={"urgent_care": urgent_care}
    )

    events = run_action(ActionAnswerHesitation(), tracker)

    (message,) = dispatcher.messages
    assert message["response"] == response
    assert message["danger_signs"] == danger_signs_list()
    assert events == []


@pytest.mark.parametrize(
    "response",
    ["utter_cannot_say_it_is_safe_to_wait", "utter_cannot_say_it_is_safe_to_wait_with_urgent_care"],
)
def test_the_answer_never_reassures_and_says_when_to_call_the_emergency_number(
    response: str, domain: Dict[str, Any]
) -> None:
    (variation,) = domain["responses"][response]
    text = variation["text"]
    assert text.startswith("I can't tell you it's safe to wait")
    assert "Call {emergency_number} now if you have any of these:\n{danger_signs}" in text
    assert "your doctor" in text
    for phrase in REASSURANCE:
        assert phrase not in text.lower()
    assert ("{urgent_care}" in text) == response.endswith("_with_urgent_care")
