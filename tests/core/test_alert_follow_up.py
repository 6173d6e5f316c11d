"""Tests for core/alert_follow_up.py: the session's alert level, and kinds of pushback."""

from __future__ import annotations

from typing import Any, Dict, Optional

import pytest

from core.alert_follow_up import (
    MINIMISING,
    NO_ACCESS,
    NOT_BOTHERING,
    OTHER,
    PUSHBACK_KINDS,
    SELF_TREATMENT,
    WAITING,
    pushback_kind,
    session_alert_level,
)


@pytest.mark.parametrize(
    ("slots", "level"),
    [
        ({}, None),
        ({"alert_level": None, "triage_level": None}, None),
        ({"triage_level": "consultation"}, None),
        ({"triage_level": "self_care"}, None),
        ({"alert_level": "urgent"}, "urgent"),
        ({"triage_level": "urgent"}, "urgent"),
        ({"alert_level": "emergency", "triage_level": "urgent"}, "emergency"),
        # The Rasa server fills triage_level from the detector even with the action server down.
        ({"alert_level": "urgent", "triage_level": "emergency"}, "emergency"),
        ({"alert_level": "emergency", "triage_level": "consultation"}, "emergency"),
    ],
)
def test_the_sessions_alert_level_is_the_most_serious_recorded(
    slots: Dict[str, Any], level: Optional[str]
) -> None:
    assert session_alert_level(slots) == level


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        # The examples.
        ("cant i wait for my physio appt on thursday", WAITING),
        ("i dont want to waste the ER's time", NOT_BOTHERING),
        ("the numbness is still there now btw", OTHER),
        ("its sunday, my gp is closed, can i put ice on it and wait?", NO_ACCESS),
        ("can I give him calpol and see how he is in the morning?", SELF_TREATMENT),
        ("can i wait", WAITING),
        ("it's not that bad", MINIMISING),
        ("I don't want to bother them", NOT_BOTHERING),
        ("my GP is closed", NO_ACCESS),
        ("can I take a painkiller and see", SELF_TREATMENT),
        # More ways of saying the same.
        ("would it be ok to wait until the morning", WAITING),
        ("I'll give it a couple of days", WAITING),
        ("ill see how it goes tomorrow", WAITING),
        ("i'll take some paracetamol and go to bed", SELF_TREATMENT),
        ("can i just put a hot water bottle on it", SELF_TREATMENT),
        ("Its NOT that bad tbh", MINIMISING),
        ("honestly im fine", MINIMISING),
        ("it's probably nothing", MINIMISING),
        ("i don\u2019t want to make a fuss", NOT_BOTHERING),
        ("they've got real emergencies to deal with", NOT_BOTHERING),
        ("i feel silly going in", NOT_BOTHERING),
        ("i don't have a car", NO_ACCESS),
        ("there's no one to take me", NO_ACCESS),
        ("i can't afford an ambulance", NO_ACCESS),
        ("the surgery is shut", NO_ACCESS),
        ("ok", OTHER),
        ("thanks", OTHER),
        ("bye", OTHER),
        ("stop", OTHER),
        ("no", OTHER),
        ("what's the weather like", OTHER),
        ("/deny", OTHER),
        ("", OTHER),
    ],
)
def test_pushback_is_recognised_by_its_kind(message: str, kind: str) -> None:
    assert pushback_kind(message) == kind


def test_a_barrier_to_getting_there_is_answered_before_waiting_or_self_treatment() -> None:
    # "closed", "ice" and "wait" in one message: the barrier is what keeps people at home.
    assert pushback_kind("gp's closed so can i ice it and wait") == NO_ACCESS


def test_every_kind_has_an_acknowledgement_in_the_domain(domain: Dict[str, Any]) -> None:
    for kind in PUSHBACK_KINDS:
        (variation,) = domain["responses"][f"utter_alert_pushback_{kind}"]
        assert variation["text"].startswith("⚠️")


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("what's the weather like tomorrow", OTHER),
        ("i'm seeing my physio on monday", WAITING),
        ("can i go in tomorrow instead", WAITING),
        ("i'll call the doctor in the morning", WAITING),
    ],
)
def test_a_day_alone_is_not_waiting_but_going_later_is(message: str, kind: str) -> None:
    assert pushback_kind(message) == kind
