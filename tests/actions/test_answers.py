"""Tests for actions/answers.py: topic answers and walk-throughs come from the content file."""

from __future__ import annotations

from typing import Any, Callable, Dict, List

import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import (
    ActionAnswerQuestion,
    ActionWalkthroughNext,
    ActionWalkthroughPrevious,
)
from actions.buttons import BACK, MENU, NEXT
from core.knowledge import Item, get_knowledge

RunAction = Callable[[Action, Tracker], List[EventType]]


def items(*item_ids: str) -> List[Item]:
    """The content file's items with these ids."""
    by_id = {item.id: item for item in get_knowledge().all_items()}
    return [by_id[item_id] for item_id in item_ids]


def all_buttons(dispatcher: CollectingDispatcher) -> List[Dict[str, Any]]:
    """Every button of every message the action sent."""
    return [button for message in dispatcher.messages for button in message["buttons"]]


def entity(name: str, value: str) -> Dict[str, Any]:
    """An entity of the latest message, as the NLU pipeline gives it."""
    return {"entity": name, "value": value}


@pytest.mark.parametrize(
    ("intent", "topic_name"),
    [
        ("ask_overview", "overview"),
        ("ask_anatomy", "anatomy"),
        ("ask_symptoms", "symptoms"),
        ("ask_when_to_seek_help", "when_to_seek_help"),
    ],
)
def test_question_topic_is_answered_with_all_its_items(
    intent: str,
    topic_name: str,
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatched_text: Callable[[], str],
) -> None:
    events = run_action(ActionAnswerQuestion(), make_tracker(intent=intent))

    said = dispatched_text()
    for item in get_knowledge().topic(topic_name).items:
        assert item.text in said, item.id
    assert events == []


@pytest.mark.parametrize(
    ("intent", "topic_name", "extra_item_ids"),
    [
        ("ask_causes", "causes", ["who_gets_it_groups"]),
        ("ask_diagnosis", "diagnosis", []),
        ("ask_treatment", "treatment", ["treatment_intro"]),
        ("ask_prevention", "prevention", []),
        ("ask_exercises", "exercises", ["exercises_intro"]),
    ],
)
def test_general_walkthrough_question_starts_at_the_first_item(
    intent: str,
    topic_name: str,
    extra_item_ids: List[str],
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatcher: CollectingDispatcher,
    dispatched_text: Callable[[], str],
    slots_set: Callable[[List[EventType]], Dict[str, Any]],
) -> None:
    topic = get_knowledge().topic(topic_name)

    events = run_action(ActionAnswerQuestion(), make_tracker(intent=intent))

    said = dispatched_text()
    for item in [topic.items[0], *items(*extra_item_ids)]:
        assert item.text in said, item.id
    for item in topic.items[1:]:
        assert item.text not in said, item.id
    assert f"1 of {len(topic.items)}" in said
    assert slots_set(events) == {"walkthrough_topic": topic_name, "walkthrough_step": 0}
    step_buttons = dispatcher.messages[-1]["buttons"]
    assert NEXT in step_buttons and MENU in step_buttons
    assert BACK not in step_buttons


def test_general_causes_question_says_one_of_five_with_next_and_menu_but_no_back(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatcher: CollectingDispatcher,
    slots_set: Callable[[List[EventType]], Dict[str, Any]],
) -> None:
    events = run_action(ActionAnswerQuestion(), make_tracker(intent="ask_causes"))

    step = dispatcher.messages[-1]
    assert "1 of 5" in step["text"]
    assert step["buttons"] == [NEXT, MENU]
    assert slots_set(events) == {"walkthrough_topic": "causes", "walkthrough_step": 0}


@pytest.mark.parametrize(
    ("intent", "entity_name", "value", "topic_name", "item_id"),
    [
        (
            "ask_treatment",
            "treatment",
            "dry needling",
            "treatment",
            "treatment_needling_injections",
        ),
        ("ask_treatment", "treatment", "stretching", "treatment", "treatment_physical_therapy"),
        ("ask_diagnosis", "diagnostic_test", "mri", "diagnosis", "diagnosis_imaging"),
        ("ask_diagnosis", "diagnostic_test", "thomas test", "diagnosis", "diagnosis_thomas_test"),
        ("ask_causes", "activity", "cycling", "causes", "cause_repetitive_motion"),
        ("ask_causes", "activity", "sitting", "causes", "cause_prolonged_sitting"),
        ("ask_prevention", "treatment", "strengthening", "prevention", "prevention_strengthening"),
    ],
)
def test_question_naming_an_item_answers_that_item_only(
    intent: str,
    entity_name: str,
    value: str,
    topic_name: str,
    item_id: str,
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatched_text: Callable[[], str],
    slots_set: Callable[[List[EventType]], Dict[str, Any]],
) -> None:
    topic = get_knowledge().topic(topic_name)
    tracker = make_tracker(intent=intent, entities=[entity(entity_name, value)])

    events = run_action(ActionAnswerQuestion(), tracker)

    said = dispatched_text()
    answered = [item.id for item in topic.items if item.text in said]
    assert answered == [item_id]
    assert slots_set(events) == {
        "walkthrough_topic": topic_name,
        "walkthrough_step": topic.item_index(item_id),
    }


def test_does_dry_needling_help_answers_the_dry_needling_item_at_step_four(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatched_text: Callable[[], str],
    slots_set: Callable[[List[EventType]], Dict[str, Any]],
) -> None:
    tracker = make_tracker(
        intent="ask_treatment",
        text="does dry needling help?",
        entities=[entity("treatment", "dry needling")],
    )

    events = run_action(ActionAnswerQuestion(), tracker)

    (needling,) = items("treatment_needling_injections")
    assert needling.text in dispatched_text()
    assert "5 of 5" in dispatched_text()
    assert slots_set(events) == {"walkthrough_topic": "treatment", "walkthrough_step": 4}


def test_mri_question_answers_the_imaging_item(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatched_text: Callable[[], str],
) -> None:
    tracker = make_tracker(intent="ask_diagnosis", entities=[entity("diagnostic_test", "mri")])

    run_action(ActionAnswerQuestion(), tracker)

    (imaging, history) = items("diagnosis_imaging", "diagnosis_history_exam")
    assert imaging.text in dispatched_text()
    assert history.text not in dispatched_text()


def test_cycling_question_about_causes_answers_the_repetitive_motion_cause(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatched_text: Callable[[], str],
) -> None:
    tracker = make_tracker(intent="ask_causes", entities=[entity("activity", "cycling")])

    run_action(ActionAnswerQuestion(), tracker)

    (repetitive, sitting) = items("cause_repetitive_motion", "cause_prolonged_sitting")
    assert repetitive.text in dispatched_text()
    assert sitting.text not in dispatched_text()


def test_entity_value_that_names_no_item_starts_the_walkthrough_at_the_beginning(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    slots_set: Callable[[List[EventType]], Dict[str, Any]],
) -> None:
    tracker = make_tracker(intent="ask_causes", entities=[entity("activity", "climbing stairs")])

    events = run_action(ActionAnswerQuestion(), tracker)

    assert slots_set(events) == {"walkthrough_topic": "causes", "walkthrough_step": 0}


def test_symptoms_answer_ends_with_the_referred_pain_caveat(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatcher: CollectingDispatcher,
) -> None:
    run_action(ActionAnswerQuestion(), make_tracker(intent="ask_symptoms"))

    (referred,) = items("symptom_referred_pain")
    assert dispatcher.messages[-1]["text"] == referred.text
    assert referred.text not in dispatcher.messages[0]["text"]


def test_intent_that_is_not_a_question_gets_the_menu(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatched_responses: Callable[[], List[str]],
) -> None:
    events = run_action(ActionAnswerQuestion(), make_tracker(intent="greet"))

    assert dispatched_responses() == ["utter_menu"]
    assert events == []


def test_when_to_seek_help_lists_every_red_flag_and_the_clinic_phone(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatched_text: Callable[[], str],
    clinic_environment: Callable[..., None],
) -> None:
    clinic_environment(CLINIC_PHONE="+44 20 7946 0000", CLINIC_EMERGENCY_NUMBER="999")

    run_action(ActionAnswerQuestion(), make_tracker(intent="ask_when_to_seek_help"))

    said = dispatched_text()
    for red_flag in get_knowledge().red_flags:
        assert red_flag.label in said, red_flag.id
    assert "+44 20 7946 0000" in said
    assert "Call 999" in said


@pytest.mark.parametrize(
    ("action", "topic_name", "step", "expected_step"),
    [
        (ActionWalkthroughNext(), "causes", 0.0, 1),
        (ActionWalkthroughNext(), "treatment", 3.0, 4),
        (ActionWalkthroughPrevious(), "diagnosis", 2.0, 1),
        (ActionWalkthroughPrevious(), "prevention", 4.0, 3),
        # At the first item, Back stays there.
        (ActionWalkthroughPrevious(), "causes", 0.0, 0),
    ],
)
def test_walkthrough_moves_one_step(
    action: Action,
    topic_name: str,
    step: float,
    expected_step: int,
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatched_text: Callable[[], str],
    slots_set: Callable[[List[EventType]], Dict[str, Any]],
) -> None:
    topic = get_knowledge().topic(topic_name)
    tracker = make_tracker(slots={"walkthrough_topic": topic_name, "walkthrough_step": step})

    events = run_action(action, tracker)

    assert slots_set(events) == {"walkthrough_topic": topic_name, "walkthrough_step": expected_step}
    assert topic.items[expected_step].text in dispatched_text()
    assert f"{expected_step + 1} of {len(topic.items)}" in dispatched_text()


def test_next_at_the_last_item_stays_and_offers_back(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatcher: CollectingDispatcher,
) -> None:
    tracker = make_tracker(slots={"walkthrough_topic": "causes", "walkthrough_step": 4.0})

    events = run_action(ActionWalkthroughNext(), tracker)

    assert events == []
    assert BACK in all_buttons(dispatcher)
    assert NEXT not in all_buttons(dispatcher)
    assert "last" in dispatcher.messages[-1]["text"]


def test_previous_at_the_first_item_says_so(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatcher: CollectingDispatcher,
) -> None:
    tracker = make_tracker(slots={"walkthrough_topic": "causes", "walkthrough_step": 0.0})

    run_action(ActionWalkthroughPrevious(), tracker)

    assert "first" in dispatcher.messages[0]["text"]
    assert BACK not in dispatcher.messages[-1]["buttons"]


def test_last_step_card_has_back_and_menu_but_no_next(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatcher: CollectingDispatcher,
) -> None:
    tracker = make_tracker(slots={"walkthrough_topic": "prevention", "walkthrough_step": 3.0})

    run_action(ActionWalkthroughNext(), tracker)

    assert dispatcher.messages[-1]["buttons"] == [BACK, MENU]


@pytest.mark.parametrize("action", [ActionWalkthroughNext(), ActionWalkthroughPrevious()])
@pytest.mark.parametrize(
    ("topic_name", "step"),
    [(None, None), ("causes", None), (None, 2.0)],
)
def test_walkthrough_without_a_position_asks_which_topic(
    action: Action,
    topic_name: str | None,
    step: float | None,
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatcher: CollectingDispatcher,
) -> None:
    tracker = make_tracker(slots={"walkthrough_topic": topic_name, "walkthrough_step": step})

    events = run_action(action, tracker)

    assert events == []
    assert "Which topic" in dispatcher.messages[0]["text"]
    payloads = [button["payload"] for button in dispatcher.messages[0]["buttons"]]
    assert payloads == ["/ask_causes", "/ask_diagnosis", "/ask_treatment", "/ask_prevention"]


def test_asking_again_in_the_middle_of_a_walkthrough_goes_on_from_where_it_was(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatched_text: Callable[[], str],
    slots_set: Callable[[List[EventType]], Dict[str, Any]],
) -> None:
    prevention = get_knowledge().topic("prevention")
    tracker = make_tracker(
        intent="ask_prevention", slots={"walkthrough_topic": "prevention", "walkthrough_step": 1}
    )

    events = run_action(ActionAnswerQuestion(), tracker)

    said = dispatched_text()
    assert f"3 of {len(prevention.items)}" in said
    assert prevention.items[2].text in said
    assert f"1 of {len(prevention.items)}" not in said
    assert slots_set(events) == {"walkthrough_topic": "prevention", "walkthrough_step": 2}


def test_asking_again_after_the_last_step_starts_the_walkthrough_over(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatched_text: Callable[[], str],
) -> None:
    prevention = get_knowledge().topic("prevention")
    last = len(prevention.items) - 1
    tracker = make_tracker(
        intent="ask_prevention", slots={"walkthrough_topic": "prevention", "walkthrough_step": last}
    )

    run_action(ActionAnswerQuestion(), tracker)

    assert f"1 of {len(prevention.items)}" in dispatched_text()
