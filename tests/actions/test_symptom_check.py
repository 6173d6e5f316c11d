"""Tests for actions/symptom_check.py: durations, the form's extraction, triage and summary."""

from __future__ import annotations

from typing import Any, Callable, Dict, List

import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge import get_knowledge
from actions.symptom_check import (
    FORM_SLOTS,
    LOCATION_NOT_LISTED,
    ActionAskEmergencySigns,
    ActionAskUrgentSigns,
    ActionStopSymptomCheck,
    ActionSummarizeSymptomCheck,
    ValidateSymptomCheckForm,
    matching_features,
    parse_duration,
    triage_after_check,
)

RunAction = Callable[[Action, Tracker], List[EventType]]
SlotsSet = Callable[[List[EventType]], Dict[str, Any]]
FORM = {"name": "symptom_check_form"}
YES_NO_SLOTS = [
    "emergency_signs",
    "urgent_signs",
    "pain_on_rising_or_stairs",
    "hip_clicking",
    "sitting_or_sport",
    "rest_or_stretching_helped",
]
# Phrases a check must never say: it cannot diagnose, and it cannot rule anything out.
FORBIDDEN_PHRASES = [
    "you have iliopsoas",
    "you've got iliopsoas",
    "you do not have",
    "you don't have",
    "harmless",
    "nothing to worry",
    "nothing serious",
]


def answered_before(slot: str) -> Dict[str, Any]:
    """Slots of the questions the form asks before this one, answered with no red flag."""
    earlier = FORM_SLOTS[: FORM_SLOTS.index(slot)]
    answers: Dict[str, Any] = {
        "emergency_signs": False,
        "urgent_signs": False,
        "pain_location": ["hip"],
        "pain_on_rising_or_stairs": False,
        "hip_clicking": False,
        "sitting_or_sport": False,
        "pain_duration": "days",
    }
    return {name: answers[name] for name in earlier}


def asked(slot: str, **extra_slots: Any) -> Dict[str, Any]:
    """Form slots as they are while the form asks this slot's question."""
    return {**answered_before(slot), **extra_slots, "requested_slot": slot}


def entity(name: str, value: str) -> Dict[str, Any]:
    """An entity of the latest message, as the NLU pipeline gives it."""
    return {"entity": name, "value": value}


@pytest.mark.parametrize(
    ("text", "duration"),
    [
        ("3 days", "days"),
        ("since yesterday", "days"),
        ("a few days", "days"),
        ("since monday", "days"),
        ("2 weeks", "weeks"),
        ("a few weeks", "weeks"),
        ("about a fortnight", "weeks"),
        ("a month", "weeks"),
        ("1 month", "weeks"),
        ("8 weeks", "weeks"),
        ("6 months", "months"),
        ("10 weeks", "months"),
        ("since last year", "months"),
        ("months or longer", "months"),
        ("for years", "months"),
        ("2 years", "months"),
        ("dunno", None),
        ("it hurts a lot", None),
        ("", None),
    ],
)
def test_parse_duration(text: str, duration: str | None) -> None:
    assert parse_duration(text) == duration


@pytest.mark.parametrize("slot", YES_NO_SLOTS)
@pytest.mark.parametrize(("intent", "value"), [("affirm", True), ("deny", False)])
def test_yes_or_no_fills_the_requested_slot(
    slot: str,
    intent: str,
    value: bool,
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    slots_set: SlotsSet,
) -> None:
    tracker = make_tracker(intent=intent, text=intent, slots=asked(slot), active_loop=FORM)

    events = run_action(ValidateSymptomCheckForm(), tracker)

    assert slots_set(events)[slot] is value


@pytest.mark.parametrize("slot", ["emergency_signs", "urgent_signs"])
def test_yes_to_a_screening_question_ends_the_check(
    slot: str,
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    slots_set: SlotsSet,
) -> None:
    tracker = make_tracker(intent="affirm", text="yes", slots=asked(slot), active_loop=FORM)

    events = run_action(ValidateSymptomCheckForm(), tracker)

    assert slots_set(events) == {slot: True, "requested_slot": None}


def test_no_to_the_emergency_question_lets_the_check_go_on(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    slots_set: SlotsSet,
) -> None:
    tracker = make_tracker(
        intent="deny", text="no", slots=asked("emergency_signs"), active_loop=FORM
    )

    events = run_action(ValidateSymptomCheckForm(), tracker)

    assert slots_set(events) == {"emergency_signs": False}


def test_described_symptoms_fill_the_questions_they_answer_without_asking(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatcher: CollectingDispatcher,
    slots_set: SlotsSet,
) -> None:
    tracker = make_tracker(
        intent="describe_symptoms",
        text="my groin hurts when climbing stairs",
        entities=[entity("body_part", "groin"), entity("activity", "climbing stairs")],
        slots=asked("pain_location"),
        active_loop=FORM,
    )

    events = run_action(ValidateSymptomCheckForm(), tracker)

    assert slots_set(events) == {"pain_location": ["groin"], "pain_on_rising_or_stairs": True}
    assert dispatcher.messages == []


@pytest.mark.parametrize(
    ("activity", "slot"),
    [
        ("climbing stairs", "pain_on_rising_or_stairs"),
        ("standing up", "pain_on_rising_or_stairs"),
        ("walking", "pain_on_rising_or_stairs"),
        ("sitting", "sitting_or_sport"),
        ("running", "sitting_or_sport"),
        ("dancing", "sitting_or_sport"),
    ],
)
def test_mentioned_activity_answers_its_question_ahead_of_time(
    activity: str,
    slot: str,
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    slots_set: SlotsSet,
) -> None:
    # The screening questions are still open: the activity is noted, not asked about later.
    tracker = make_tracker(
        intent="describe_symptoms",
        text=f"it hurts after {activity}",
        entities=[entity("activity", activity)],
        slots={"emergency_signs": False, "requested_slot": "urgent_signs"},
        active_loop=FORM,
    )

    events = run_action(ValidateSymptomCheckForm(), tracker)

    assert slots_set(events)[slot] is True


def test_check_symptoms_request_with_details_fills_what_it_says(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    slots_set: SlotsSet,
) -> None:
    tracker = make_tracker(
        intent="check_symptoms",
        text="can you check my hip pain, I run a lot and it's been 3 weeks",
        entities=[entity("body_part", "hip"), entity("activity", "running")],
    )

    events = run_action(ValidateSymptomCheckForm(), tracker)

    assert slots_set(events) == {
        "pain_location": ["hip"],
        "sitting_or_sport": True,
        "pain_duration": "weeks",
    }


@pytest.mark.parametrize("slot", YES_NO_SLOTS)
@pytest.mark.parametrize(
    ("intent", "text"),
    [("inform", "sort of"), ("describe_symptoms", "it aches"), ("nlu_fallback", "hmm")],
)
def test_unclear_answer_to_a_yes_or_no_question_asks_again(
    slot: str,
    intent: str,
    text: str,
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatched_responses: Callable[[], List[str]],
    slots_set: SlotsSet,
) -> None:
    tracker = make_tracker(intent=intent, text=text, slots=asked(slot), active_loop=FORM)

    events = run_action(ValidateSymptomCheckForm(), tracker)

    assert dispatched_responses() == ["utter_please_answer_yes_or_no"]
    assert slots_set(events) == {slot: None}


@pytest.mark.parametrize("slot", [*YES_NO_SLOTS, "pain_location", "pain_duration"])
@pytest.mark.parametrize("intent", ["ask_treatment", "stop", "report_red_flag", "greet"])
def test_interrupting_intent_leaves_the_requested_slot_alone(
    slot: str,
    intent: str,
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatcher: CollectingDispatcher,
    slots_set: SlotsSet,
) -> None:
    tracker = make_tracker(
        intent=intent, text="does dry needling help?", slots=asked(slot), active_loop=FORM
    )

    events = run_action(ValidateSymptomCheckForm(), tracker)

    assert slot not in slots_set(events)
    assert dispatcher.messages == []


def test_answered_question_is_not_overwritten(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    slots_set: SlotsSet,
) -> None:
    tracker = make_tracker(
        intent="affirm",
        text="yes",
        slots=asked("rest_or_stretching_helped", hip_clicking=False),
        active_loop=FORM,
    )

    events = run_action(ValidateSymptomCheckForm(), tracker)

    assert slots_set(events) == {"rest_or_stretching_helped": True}


@pytest.mark.parametrize(
    ("intent", "text", "duration"),
    [
        ("inform", "about 3 weeks", "weeks"),
        ("inform", "a few days", "days"),
        ("inform", "months or longer", "months"),
        ("nlu_fallback", "since last year", "months"),
    ],
)
def test_duration_answer_fills_pain_duration(
    intent: str,
    text: str,
    duration: str,
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    slots_set: SlotsSet,
) -> None:
    tracker = make_tracker(intent=intent, text=text, slots=asked("pain_duration"), active_loop=FORM)

    events = run_action(ValidateSymptomCheckForm(), tracker)

    assert slots_set(events) == {"pain_duration": duration}


def test_unclear_duration_asks_again(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatched_responses: Callable[[], List[str]],
    slots_set: SlotsSet,
) -> None:
    tracker = make_tracker(
        intent="inform", text="dunno", slots=asked("pain_duration"), active_loop=FORM
    )

    events = run_action(ValidateSymptomCheckForm(), tracker)

    assert dispatched_responses() == ["utter_please_give_duration"]
    assert slots_set(events) == {"pain_duration": None}


def test_somewhere_else_button_records_an_unlisted_location(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    slots_set: SlotsSet,
) -> None:
    tracker = make_tracker(
        intent="inform", text="/inform", slots=asked("pain_location"), active_loop=FORM
    )

    events = run_action(ValidateSymptomCheckForm(), tracker)

    assert slots_set(events) == {"pain_location": [LOCATION_NOT_LISTED]}


@pytest.mark.parametrize(
    ("action", "level"),
    [(ActionAskEmergencySigns(), "emergency"), (ActionAskUrgentSigns(), "urgent")],
)
def test_screening_question_lists_the_red_flags_of_its_level(
    action: Action,
    level: str,
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatched_text: Callable[[], str],
) -> None:
    run_action(action, make_tracker(slots={"requested_slot": f"{level}_signs"}))

    for red_flag in get_knowledge().red_flags:
        assert (red_flag.label in dispatched_text()) is (red_flag.level == level), red_flag.id


def finished_check(**answers: Any) -> Dict[str, Any]:
    """The slots of a check that found no red flag, with these answers."""
    return {"emergency_signs": False, "urgent_signs": False, **answers}


@pytest.mark.parametrize(
    ("slots", "level", "response"),
    [
        ({"emergency_signs": True}, "emergency", "utter_red_flag_emergency"),
        ({"emergency_signs": False, "urgent_signs": True}, "urgent", "utter_red_flag_urgent"),
        (finished_check(pain_duration="weeks"), "consultation", None),
        (finished_check(pain_duration="months"), "consultation", None),
        (
            finished_check(pain_duration="days", rest_or_stretching_helped=True),
            "self_care",
            None,
        ),
        (
            finished_check(pain_duration="days", rest_or_stretching_helped=False),
            "consultation",
            None,
        ),
    ],
)
def test_summary_sets_the_triage_level(
    slots: Dict[str, Any],
    level: str,
    response: str | None,
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatched_responses: Callable[[], List[str]],
    slots_set: SlotsSet,
) -> None:
    events = run_action(ActionSummarizeSymptomCheck(), make_tracker(slots=slots))

    assert slots_set(events)["triage_level"] == level
    assert triage_after_check(slots) == level
    assert dispatched_responses() == ([response] if response else [])


@pytest.mark.parametrize("level", ["consultation", "self_care"])
def test_summary_gives_the_next_steps_of_its_level(
    level: str,
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatched_text: Callable[[], str],
) -> None:
    helped = level == "self_care"
    slots = finished_check(pain_duration="days", rest_or_stretching_helped=helped)

    run_action(ActionSummarizeSymptomCheck(), make_tracker(slots=slots))

    next_steps = get_knowledge().next_steps
    assert next_steps[level].text in dispatched_text()
    other = "self_care" if level == "consultation" else "consultation"
    assert next_steps[other].text not in dispatched_text()


COMPLETE_ANSWERS = [
    finished_check(
        pain_location=["groin", "thigh"],
        pain_on_rising_or_stairs=True,
        hip_clicking=True,
        sitting_or_sport=True,
        pain_duration="months",
        rest_or_stretching_helped=False,
    ),
    finished_check(
        pain_location=["hip"],
        pain_on_rising_or_stairs=False,
        hip_clicking=True,
        sitting_or_sport=False,
        pain_duration="days",
        rest_or_stretching_helped=True,
    ),
    finished_check(
        pain_location=[LOCATION_NOT_LISTED],
        pain_on_rising_or_stairs=False,
        hip_clicking=False,
        sitting_or_sport=False,
        pain_duration="weeks",
        rest_or_stretching_helped=True,
    ),
]


@pytest.mark.parametrize("slots", COMPLETE_ANSWERS)
def test_summary_lists_exactly_the_matched_features(
    slots: Dict[str, Any],
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatched_text: Callable[[], str],
) -> None:
    run_action(ActionSummarizeSymptomCheck(), make_tracker(slots=slots))

    matched = {feature.slot for feature in matching_features(slots)}
    for feature in get_knowledge().symptom_features:
        assert (feature.summary in dispatched_text()) is (feature.slot in matched), feature.slot


@pytest.mark.parametrize(
    ("slots", "matched_slots"),
    [
        (
            COMPLETE_ANSWERS[0],
            {"pain_location", "pain_on_rising_or_stairs", "hip_clicking", "sitting_or_sport"},
        ),
        (COMPLETE_ANSWERS[1], {"pain_location", "hip_clicking"}),
        (COMPLETE_ANSWERS[2], set()),
    ],
)
def test_matching_features_compares_answers_with_the_content_file(
    slots: Dict[str, Any], matched_slots: set
) -> None:
    assert {feature.slot for feature in matching_features(slots)} == matched_slots


@pytest.mark.parametrize(
    "slots", [*COMPLETE_ANSWERS, {"emergency_signs": True}, finished_check(urgent_signs=True)]
)
def test_summary_never_diagnoses_or_reassures(
    slots: Dict[str, Any],
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatched_text: Callable[[], str],
) -> None:
    run_action(ActionSummarizeSymptomCheck(), make_tracker(slots=slots))

    said = dispatched_text().lower()
    assert said
    for phrase in FORBIDDEN_PHRASES:
        assert phrase not in said


@pytest.mark.parametrize(
    "slots", [*COMPLETE_ANSWERS, {"emergency_signs": True}, finished_check(urgent_signs=True)]
)
def test_summary_resets_every_form_slot(
    slots: Dict[str, Any],
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    slots_set: SlotsSet,
) -> None:
    events = run_action(ActionSummarizeSymptomCheck(), make_tracker(slots=slots))

    reset = {name: value for name, value in slots_set(events).items() if name != "triage_level"}
    assert reset == {**{slot: None for slot in FORM_SLOTS}, "requested_slot": None}


def test_stop_resets_every_form_slot(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatched_responses: Callable[[], List[str]],
    slots_set: SlotsSet,
) -> None:
    tracker = make_tracker(intent="stop", slots=asked("hip_clicking"), active_loop=FORM)

    events = run_action(ActionStopSymptomCheck(), tracker)

    assert slots_set(events) == {**{slot: None for slot in FORM_SLOTS}, "requested_slot": None}
    assert dispatched_responses() == ["utter_stopped"]
