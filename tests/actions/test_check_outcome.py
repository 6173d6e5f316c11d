"""Tests for actions/check_outcome.py: every outcome rule of the symptom check as a table, the
questions still worth asking, and alerts given earlier in the session."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest
import yaml

from actions.check_outcome import (
    QUESTION_ORDER,
    REASONS,
    YES_NO_QUESTIONS,
    check_outcome,
    earlier_alert_level,
    most_serious,
    questions_to_ask,
)
from core.knowledge import get_knowledge

DOMAIN_PATH = Path(__file__).resolve().parents[2] / "domain.yml"
DOMAIN = yaml.safe_load(DOMAIN_PATH.read_text())
# An adult whose answers raise nothing: the self-care baseline the tables below change.
NOTHING_FOUND: Dict[str, Any] = {
    "emergency_signs": "no",
    "urgent_signs": "no",
    "age_group": "adult",
    "blood_thinners": "no",
    "infection_risk": "no",
    "night_pain": "no",
    "pain_location": ["hip"],
    "pain_on_rising_or_stairs": "yes",
    "hip_clicking": "no",
    "sitting_or_sport": "no",
    "pain_duration": "days",
    "activity_or_stretching_helped": "yes",
}


def answers(**changes: Any) -> Dict[str, Any]:
    """The self-care baseline with these answers changed."""
    return {**NOTHING_FOUND, **changes}


OUTCOME_RULES: List[Tuple[str, Dict[str, Any], str, Tuple[str, ...]]] = [
    ("nothing found", answers(), "self_care", ()),
    ("65 or over, nothing found", answers(age_group="older_adult"), "self_care", ()),
    # The two screening lists.
    ("emergency list yes", answers(emergency_signs="yes"), "emergency", ()),
    ("emergency list not sure", answers(emergency_signs="not_sure"), "urgent",
     ("emergency_signs_unsure",)),
    ("urgent list yes", answers(urgent_signs="yes"), "urgent", ("urgent_signs",)),
    ("urgent list not sure", answers(urgent_signs="not_sure"), "urgent", ("urgent_signs",)),
    # Age.
    ("child", answers(age_group="child"), "urgent", ("child",)),
    ("child with a temperature", answers(age_group="child", urgent_signs="yes"), "emergency",
     ("child_with_temperature",)),
    ("child, not sure about a temperature", answers(age_group="child", urgent_signs="not_sure"),
     "emergency", ("child_with_temperature",)),
    ("teenager", answers(age_group="teenager"), "urgent", ("teenager",)),
    ("teenager with a temperature", answers(age_group="teenager", urgent_signs="yes"), "urgent",
     ("urgent_signs", "teenager")),
    # Blood thinners: an emergency when the pain is new, otherwise never below consultation.
    ("blood thinners, pain started recently",
     answers(blood_thinners="yes", pain_started_recently="yes", pain_duration=None),
     "emergency", ("blood_thinners_new_pain",)),
    ("blood thinners, not sure when it started",
     answers(blood_thinners="yes", pain_started_recently="not_sure", pain_duration=None),
     "emergency", ("blood_thinners_new_pain",)),
    ("not sure about blood thinners, pain for days", answers(blood_thinners="not_sure"),
     "emergency", ("blood_thinners_new_pain",)),
    ("blood thinners, pain for weeks",
     answers(blood_thinners="yes", pain_started_recently="no", pain_duration="weeks"),
     "consultation", ("blood_thinners", "lasting_pain")),
    ("blood thinners, not new, helped",
     answers(blood_thinners="yes", pain_started_recently="no", pain_duration=None),
     "consultation", ("blood_thinners",)),
    # Infection risk: an emergency with a temperature, otherwise never below consultation.
    ("infection risk with a temperature", answers(infection_risk="yes", urgent_signs="yes"),
     "emergency", ("infection_with_temperature",)),
    ("infection risk, not sure about a temperature",
     answers(infection_risk="not_sure", urgent_signs="not_sure"), "emergency",
     ("infection_with_temperature",)),
    ("infection risk, no temperature", answers(infection_risk="yes"), "consultation",
     ("infection_risk",)),
    ("not sure about infection risk", answers(infection_risk="not_sure"), "consultation",
     ("infection_risk",)),
    # Night pain.
    ("night pain", answers(night_pain="yes"), "urgent", ("night_pain",)),
    ("not sure about night pain", answers(night_pain="not_sure"), "urgent", ("night_pain",)),
    # Pain elsewhere is never self-care.
    ("belly pain", answers(pain_location=["abdomen"]), "consultation", ("pain_elsewhere",)),
    ("hip and belly pain", answers(pain_location=["hip", "abdomen"]), "consultation",
     ("pain_elsewhere",)),
    ("somewhere else", answers(pain_location=["somewhere else"]), "consultation",
     ("pain_elsewhere",)),
    # How long, and whether staying active has helped.
    ("pain for weeks", answers(pain_duration="weeks"), "consultation", ("lasting_pain",)),
    ("pain for months", answers(pain_duration="months"), "consultation", ("lasting_pain",)),
    ("not helped", answers(activity_or_stretching_helped="no"), "consultation",
     ("not_improving",)),
    ("not sure it helped", answers(activity_or_stretching_helped="not_sure"), "consultation",
     ("not_improving",)),
    # The most serious finding wins, and its reasons are the ones given.
    ("night pain and pain for months", answers(night_pain="yes", pain_duration="months"),
     "urgent", ("night_pain",)),
    ("emergency list yes and a child", answers(emergency_signs="yes", age_group="child"),
     "emergency", ()),
]  # fmt: skip


@pytest.mark.parametrize(
    ("answers_given", "level", "reasons"),
    [rule[1:] for rule in OUTCOME_RULES],
    ids=[rule[0] for rule in OUTCOME_RULES],
)
def test_each_outcome_rule(answers_given: Dict[str, Any], level: str, reasons: tuple) -> None:
    outcome = check_outcome(answers_given)

    assert (outcome.level, outcome.reasons) == (level, reasons)


@pytest.mark.parametrize("slot", YES_NO_QUESTIONS)
def test_not_sure_never_leads_to_less_care_than_no(slot: str) -> None:
    levels = ["self_care", "consultation", "urgent", "emergency"]
    unsure = check_outcome(answers(**{slot: "not_sure"})).level
    no = check_outcome(answers(**{slot: "no"})).level

    assert levels.index(unsure) >= levels.index(no)


@pytest.mark.parametrize(
    ("earlier", "answers_given", "level"),
    [
        ("emergency", answers(), "emergency"),
        ("urgent", answers(), "urgent"),
        ("urgent", answers(pain_duration="months"), "urgent"),
        ("urgent", answers(blood_thinners="yes"), "emergency"),
        (None, answers(), "self_care"),
    ],
)
def test_the_outcome_is_never_below_an_earlier_alert(
    earlier: Optional[str], answers_given: Dict[str, Any], level: str
) -> None:
    outcome = check_outcome(answers_given, earlier)

    assert outcome.level == level
    assert ("earlier_warning_sign" in outcome.reasons) is (earlier == level)


@pytest.mark.parametrize(
    ("slots", "earlier"),
    [
        ({"alert_level": "emergency", "triage_level": "consultation"}, "emergency"),
        ({"alert_level": "urgent", "triage_level": "emergency"}, "emergency"),
        ({"alert_level": "urgent"}, "urgent"),
        ({"triage_level": "urgent"}, "urgent"),
        # An earlier check's consultation or self-care advice is no alert.
        ({"triage_level": "consultation"}, None),
        ({"triage_level": "self_care", "alert_level": None}, None),
        # Without the after-alert path's `alert_level` slot at all.
        ({}, None),
    ],
)
def test_earlier_alerts_are_read_from_alert_level_and_triage_level(
    slots: Dict[str, Any], earlier: Optional[str]
) -> None:
    assert earlier_alert_level(slots) == earlier


def test_most_serious_orders_the_levels() -> None:
    assert most_serious("consultation", None, "urgent", "self_care") == "urgent"
    assert most_serious() == "self_care"


ALL_BUT_ONSET = [question for question in QUESTION_ORDER if question != "pain_started_recently"]
SAME_DAY_QUESTIONS = ["emergency_signs", "urgent_signs", "age_group", "blood_thinners"]


@pytest.mark.parametrize(
    ("given", "earlier", "questions"),
    [
        # Nothing known: every question but the blood-thinner follow-up, in order.
        ({}, None, ALL_BUT_ONSET),
        ({"emergency_signs": "yes"}, None, ["emergency_signs"]),
        # A child or teenager is sent to same-day care after four questions.
        ({"emergency_signs": "no", "urgent_signs": "no", "age_group": "child",
          "blood_thinners": "no"}, None, SAME_DAY_QUESTIONS),
        ({"emergency_signs": "no", "urgent_signs": "no", "age_group": "teenager"}, None,
         SAME_DAY_QUESTIONS),
        ({"emergency_signs": "no", "urgent_signs": "yes", "age_group": "child"}, None,
         ["emergency_signs", "urgent_signs", "age_group"]),
        # Same-day care already: only what could make it an emergency is asked.
        ({"emergency_signs": "not_sure"}, None, SAME_DAY_QUESTIONS),
        ({"emergency_signs": "no", "urgent_signs": "yes"}, None,
         [*SAME_DAY_QUESTIONS, "infection_risk"]),
        # The blood-thinner follow-up only after a yes or not sure, when the duration is unknown.
        ({"blood_thinners": "yes"}, None,
         [*SAME_DAY_QUESTIONS, "pain_started_recently", *ALL_BUT_ONSET[4:]]),
        ({"blood_thinners": "not_sure", "pain_duration": "weeks"}, None, ALL_BUT_ONSET),
        ({"blood_thinners": "yes", "pain_started_recently": "yes"}, None,
         ["blood_thinners", "pain_started_recently"]),
        # Alerts given earlier in the session.
        ({}, "emergency", []),
        ({}, "urgent", SAME_DAY_QUESTIONS),
    ],
)  # fmt: skip
def test_questions_still_worth_asking(
    given: Dict[str, Any], earlier: Optional[str], questions: List[str]
) -> None:
    assert questions_to_ask(given, earlier) == questions


def test_domain_form_asks_every_question_in_the_checks_order() -> None:
    assert DOMAIN["forms"]["symptom_check_form"]["required_slots"] == list(QUESTION_ORDER)


@pytest.mark.parametrize("slot", YES_NO_QUESTIONS)
def test_yes_no_questions_store_yes_no_or_not_sure(slot: str) -> None:
    definition = DOMAIN["slots"][slot]

    assert (definition["type"], definition["values"]) == ("categorical", ["yes", "no", "not_sure"])


def test_content_file_words_every_reason_and_question_the_check_uses() -> None:
    knowledge = get_knowledge()
    assert set(knowledge.check_reasons) == set(REASONS)
    asked = [question.slot for question in knowledge.risk_questions]
    asked.append(knowledge.recent_onset_question.slot)
    assert set(asked) <= set(QUESTION_ORDER)
    assert set(knowledge.age_group_starts) == set(DOMAIN["slots"]["age_group"]["values"])


def test_rasa_reads_every_check_slot_as_the_domain_declares_it() -> None:
    # Rasa changes slot definitions as it reads them, so the plain YAML above is not enough.
    from rasa.shared.core.domain import Domain

    slots = {slot.name: slot for slot in Domain.load(str(DOMAIN_PATH)).slots}
    for question in YES_NO_QUESTIONS:
        assert slots[question].values[:3] == ["yes", "no", "not_sure"], question
