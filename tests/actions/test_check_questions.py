"""Tests for actions/check_questions.py: the safety questions say what the content file says and
offer Yes / No / Not sure."""

from __future__ import annotations

import json
from typing import Any, Callable, Dict, List

import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.check_questions import (
    ActionAskAgeGroup,
    ActionAskBloodThinners,
    ActionAskEmergencySigns,
    ActionAskInfectionRisk,
    ActionAskNightPain,
    ActionAskPainStartedRecently,
    ActionAskUrgentSigns,
    risk_question,
)
from core.knowledge import get_knowledge

RunAction = Callable[[Action, Tracker], List[EventType]]
YES_NO_NOT_SURE = {"Yes": "/affirm", "No": "/deny", "Not sure": "/not_sure"}


def buttons(dispatcher: CollectingDispatcher) -> Dict[str, str]:
    """The title and payload of every button the action sent."""
    return {
        button["title"]: button["payload"]
        for message in dispatcher.messages
        for button in message["buttons"]
    }


@pytest.mark.parametrize(
    ("action", "level"),
    [(ActionAskEmergencySigns(), "emergency"), (ActionAskUrgentSigns(), "urgent")],
)
def test_screening_question_itemises_the_signs_of_its_level(
    action: Action,
    level: str,
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatcher: CollectingDispatcher,
    dispatched_text: Callable[[], str],
) -> None:
    run_action(action, make_tracker(slots={"requested_slot": f"{level}_signs"}))

    screening = get_knowledge().safety_screening
    for item in screening[level]:
        assert f"• {item.text}" in dispatched_text()
    other = "urgent" if level == "emergency" else "emergency"
    for item in screening[other]:
        assert item.text not in dispatched_text()
    assert buttons(dispatcher) == YES_NO_NOT_SURE


@pytest.mark.parametrize(
    "action",
    [
        ActionAskBloodThinners(),
        ActionAskPainStartedRecently(),
        ActionAskInfectionRisk(),
        ActionAskNightPain(),
    ],
)
def test_risk_question_is_worded_by_the_content_file(
    action: Any,
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatcher: CollectingDispatcher,
    dispatched_text: Callable[[], str],
) -> None:
    run_action(action, make_tracker())

    assert action.name() == f"action_ask_{action.slot}"
    assert dispatched_text() == risk_question(action.slot).text
    assert buttons(dispatcher) == YES_NO_NOT_SURE


def test_age_question_offers_the_content_files_age_groups(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatcher: CollectingDispatcher,
    dispatched_text: Callable[[], str],
) -> None:
    run_action(ActionAskAgeGroup(), make_tracker())

    assert dispatched_text() == "How old is the person with the pain?"
    sent = buttons(dispatcher)
    assert list(sent) == ["Under 10", "10 to 16", "17 to 64", "65 or over"]
    for group in get_knowledge().age_groups:
        payload = sent[group.label]
        assert payload.startswith("/inform{")
        assert json.loads(payload.removeprefix("/inform")) == {"age_group": group.name}


def test_an_unknown_risk_question_fails_loudly() -> None:
    with pytest.raises(KeyError):
        risk_question("not_a_question")
