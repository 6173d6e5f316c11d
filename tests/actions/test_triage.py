"""Tests for actions/triage.py: the red-flag follow-up names the sign and records the level,
which never drops below an earlier alert."""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional

import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType

from actions.symptom_check import FORM_SLOTS
from actions.triage import ActionExplainRedFlag
from core.knowledge import get_knowledge

RunAction = Callable[[Action, Tracker], List[EventType]]


def detector_entities(level: str, *red_flag_ids: str) -> List[Dict[str, Any]]:
    """The entities components/red_flag_detector.py adds to a message."""
    entities = [{"entity": "red_flag", "value": red_flag_id} for red_flag_id in red_flag_ids]
    return entities + [{"entity": "triage_level", "value": level}]


@pytest.mark.parametrize(
    ("level", "red_flag_ids"),
    [
        ("emergency", ["bladder_bowel_control"]),
        ("emergency", ["saddle_numbness", "fever_with_pain"]),
        ("urgent", ["fever_with_pain"]),
        ("urgent", []),
    ],
)
def test_triage_level_comes_from_the_triage_level_entity(
    level: str,
    red_flag_ids: List[str],
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    slots_set: Callable[[List[EventType]], Dict[str, Any]],
) -> None:
    tracker = make_tracker(
        intent="report_red_flag", entities=detector_entities(level, *red_flag_ids)
    )

    events = run_action(ActionExplainRedFlag(), tracker)

    assert slots_set(events)["triage_level"] == level


@pytest.mark.parametrize(
    "red_flag_ids",
    [
        ["bladder_bowel_control"],
        ["unable_to_bear_weight"],
        ["leg_weakness_worsening", "thigh_numbness_weakness"],
    ],
)
def test_named_red_flags_are_named_by_their_labels(
    red_flag_ids: List[str],
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatched_text: Callable[[], str],
) -> None:
    knowledge = get_knowledge()
    level = knowledge.red_flag(red_flag_ids[0]).level
    tracker = make_tracker(
        intent="report_red_flag", entities=detector_entities(level, *red_flag_ids)
    )

    run_action(ActionExplainRedFlag(), tracker)

    for red_flag_id in red_flag_ids:
        assert knowledge.red_flag(red_flag_id).label in dispatched_text()


def test_unknown_red_flag_id_is_not_named(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatched_text: Callable[[], str],
) -> None:
    tracker = make_tracker(
        intent="report_red_flag", entities=detector_entities("urgent", "not_a_red_flag")
    )

    run_action(ActionExplainRedFlag(), tracker)

    assert "not_a_red_flag" not in dispatched_text()
    assert "You mentioned" not in dispatched_text()


def test_a_report_naming_no_sign_and_no_level_makes_up_no_level(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    slots_set: Callable[[List[EventType]], Dict[str, Any]],
    dispatched_text: Callable[[], str],
    clinic_environment: Callable[..., None],
) -> None:
    clinic_environment(CLINIC_EMERGENCY_NUMBER="999")

    events = run_action(ActionExplainRedFlag(), make_tracker(intent="report_red_flag"))

    assert "triage_level" not in slots_set(events)
    assert "alert_level" not in slots_set(events)
    assert "999" in dispatched_text()


@pytest.mark.parametrize(
    ("previous_alert", "reported", "expected"),
    [
        (None, "urgent", "urgent"),
        (None, "emergency", "emergency"),
        ("urgent", "emergency", "emergency"),
        ("emergency", "urgent", "emergency"),
        ("emergency", "emergency", "emergency"),
        ("urgent", "urgent", "urgent"),
    ],
)
def test_the_level_recorded_never_drops_below_an_earlier_alert(
    previous_alert: Optional[str],
    reported: str,
    expected: str,
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    slots_set: Callable[[List[EventType]], Dict[str, Any]],
) -> None:
    red_flag = "saddle_numbness" if reported == "emergency" else "fever_with_pain"
    tracker = make_tracker(
        intent="report_red_flag",
        entities=detector_entities(reported, red_flag),
        slots={"alert_level": previous_alert, "triage_level": previous_alert},
    )

    events = run_action(ActionExplainRedFlag(), tracker)

    assert slots_set(events)["triage_level"] == expected
    assert slots_set(events)["alert_level"] == expected


def test_a_later_urgent_sign_is_named_with_its_own_care_and_the_emergency_still_stands(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatched_text: Callable[[], str],
) -> None:
    tracker = make_tracker(
        intent="report_red_flag",
        entities=detector_entities("urgent", "fever_with_pain"),
        slots={"alert_level": "emergency"},
    )

    run_action(ActionExplainRedFlag(), tracker)

    fever = get_knowledge().red_flag("fever_with_pain").label
    assert f"You mentioned: {fever}. That is a warning sign that needs a doctor's" in (
        dispatched_text()
    )
    assert "you still need emergency care" in dispatched_text()


def test_a_red_flag_at_the_sessions_level_adds_no_reminder_of_earlier_ones(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatched_text: Callable[[], str],
) -> None:
    tracker = make_tracker(
        intent="report_red_flag",
        entities=detector_entities("emergency", "saddle_numbness"),
        slots={"alert_level": "urgent"},
    )

    run_action(ActionExplainRedFlag(), tracker)

    assert "earlier" not in dispatched_text()


def test_named_flags_without_a_level_entity_take_the_most_serious_level(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    slots_set: Callable[[List[EventType]], Dict[str, Any]],
) -> None:
    entities = [
        {"entity": "red_flag", "value": "fever_with_pain"},
        {"entity": "red_flag", "value": "major_trauma"},
    ]

    events = run_action(
        ActionExplainRedFlag(), make_tracker(intent="report_red_flag", entities=entities)
    )

    assert slots_set(events)["triage_level"] == "emergency"


def test_explaining_a_red_flag_resets_the_symptom_check(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    slots_set: Callable[[List[EventType]], Dict[str, Any]],
) -> None:
    answered = {
        "emergency_signs": "no",
        "urgent_signs": "no",
        "pain_location": ["hip"],
        "pain_on_rising_or_stairs": "yes",
        "requested_slot": "hip_clicking",
    }
    tracker = make_tracker(
        intent="report_red_flag",
        entities=detector_entities("emergency", "saddle_numbness"),
        slots=answered,
        active_loop={"name": "symptom_check_form"},
    )

    events = run_action(ActionExplainRedFlag(), tracker)

    assert slots_set(events) == {
        "triage_level": "emergency",
        "alert_level": "emergency",
        **{slot: None for slot in FORM_SLOTS},
        "requested_slot": None,
    }
