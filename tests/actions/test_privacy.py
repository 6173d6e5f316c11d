"""Tests for actions/privacy.py: a confirmed deletion request marks the conversation."""

from __future__ import annotations

from typing import Any, Callable, Dict, List

import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType

from actions.privacy import DELETION_SLOT, ActionDeleteMyData

RunAction = Callable[[Action, Tracker], List[EventType]]


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
