"""What the symptom check's answers lead to: the level of care with its reasons, and which
questions are still worth asking. No Rasa here, so the rules read (and test) as tables.

Answers are the slots' values: yes/no questions hold "yes", "no" or "not_sure"; "not sure" is
never taken as "no".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, List, Mapping, Optional, Tuple

from actions.screening_answers import NO, NOT_SURE, YES
from core.knowledge import get_knowledge

LEVELS = ("self_care", "consultation", "urgent", "emergency")  # least to most serious
ALERT_LEVELS = ("urgent", "emergency")
# Slots where the session may already hold an alert: `alert_level` (the highest alert given,
# when the domain has it) and `triage_level` (the latest escalation or check outcome).
EARLIER_ALERT_SLOTS = ("alert_level", "triage_level")

SCREENING_QUESTIONS = ("emergency_signs", "urgent_signs")
AGE_QUESTION = "age_group"
ONSET_QUESTION = "pain_started_recently"
DESCRIPTIVE_QUESTIONS = (
    "pain_location",
    "pain_on_rising_or_stairs",
    "hip_clicking",
    "sitting_or_sport",
    "pain_duration",
    "activity_or_stretching_helped",
)
# The order the check asks in: safety first; age early, so a child or teenager is sent to
# same-day care after a few questions; what the pain is like last.
QUESTION_ORDER = (
    *SCREENING_QUESTIONS,
    AGE_QUESTION,
    "blood_thinners",
    ONSET_QUESTION,
    "infection_risk",
    "night_pain",
    *DESCRIPTIVE_QUESTIONS,
)
YES_NO_QUESTIONS = tuple(
    slot for slot in QUESTION_ORDER if slot not in (AGE_QUESTION, "pain_location", "pain_duration")
)
# Once same-day care is advised, only these can still change the advice (to an emergency).
CAN_RAISE_TO_EMERGENCY = (*SCREENING_QUESTIONS, AGE_QUESTION, "blood_thinners", ONSET_QUESTION)
LOCATION_NOT_LISTED = "somewhere else"
# Pain in these places is never left to self-care: it can have other causes.
PAIN_ELSEWHERE = {"abdomen", LOCATION_NOT_LISTED}
# Keys of `symptom_check.reasons` in the content file; tests check the two agree.
REASONS = (
    "earlier_warning_sign",
    "emergency_signs_unsure",
    "urgent_signs",
    "child",
    "child_with_temperature",
    "teenager",
    "blood_thinners_new_pain",
    "blood_thinners",
    "infection_with_temperature",
    "infection_risk",
    "night_pain",
    "pain_elsewhere",
    "lasting_pain",
    "not_improving",
)

Answers = Mapping[str, Any]


@dataclass(frozen=True)
class Outcome:
    """The level of care a check leads to, and the reasons (keys of REASONS) for that level."""

    level: str
    reasons: Tuple[str, ...] = ()


def most_serious(*levels: Optional[str]) -> str:
    """The most serious of these triage levels; self-care when there are none."""
    known = [level for level in levels if level in LEVELS]
    return max(known, key=LEVELS.index, default="self_care")


def earlier_alert_level(slots: Answers) -> Optional[str]:
    """The most serious emergency or urgent alert this session has already given, if any."""
    alerts = [slots.get(slot) for slot in EARLIER_ALERT_SLOTS if slots.get(slot) in ALERT_LEVELS]
    return most_serious(*alerts) if alerts else None


def is_yes_or_not_sure(answer: Any) -> bool:
    """True for "yes" and for "not sure": a safety answer that is not a clear "no"."""
    return answer in (YES, NOT_SURE)


def _findings(answers: Answers, earlier_level: Optional[str]) -> List[Tuple[str, Optional[str]]]:
    """Every (level, reason) the answers point to; a reason of None needs no explaining."""
    found: List[Tuple[str, Optional[str]]] = []
    if earlier_level in ALERT_LEVELS:
        found.append((earlier_level, "earlier_warning_sign"))
    emergency_signs = answers.get("emergency_signs")
    if emergency_signs == YES:
        found.append(("emergency", None))
    elif emergency_signs == NOT_SURE:
        found.append(("urgent", "emergency_signs_unsure"))
    # The urgent list asks about a high temperature: it makes a child's pain or an infection
    # risk an emergency.
    temperature = is_yes_or_not_sure(answers.get("urgent_signs"))
    if temperature:
        found.append(("urgent", "urgent_signs"))
    age_group = answers.get(AGE_QUESTION)
    if age_group == "child":
        found.append(
            ("emergency", "child_with_temperature") if temperature else ("urgent", "child")
        )
    elif age_group == "teenager":
        found.append(("urgent", "teenager"))
    if is_yes_or_not_sure(answers.get("blood_thinners")):
        new_pain = (
            is_yes_or_not_sure(answers.get(ONSET_QUESTION))
            or answers.get("pain_duration") == "days"
        )
        found.append(
            ("emergency", "blood_thinners_new_pain")
            if new_pain
            else ("consultation", "blood_thinners")
        )
    if is_yes_or_not_sure(answers.get("infection_risk")):
        found.append(
            ("emergency", "infection_with_temperature")
            if temperature
            else ("consultation", "infection_risk")
        )
    if is_yes_or_not_sure(answers.get("night_pain")):
        found.append(("urgent", "night_pain"))
    if set(answers.get("pain_location") or ()) & PAIN_ELSEWHERE:
        found.append(("consultation", "pain_elsewhere"))
    if answers.get("pain_duration") in get_knowledge().persistent_durations:
        found.append(("consultation", "lasting_pain"))
    if answers.get("activity_or_stretching_helped") in (NO, NOT_SURE):
        found.append(("consultation", "not_improving"))
    return found


def check_outcome(answers: Answers, earlier_level: Optional[str] = None) -> Outcome:
    """The level of care these answers lead to, never below the session's earlier alert, with
    the reasons for that level. Self-care only when nothing points higher."""
    found = _findings(answers, earlier_level)
    level = most_serious(*(found_level for found_level, _ in found))
    reasons = tuple(reason for found_level, reason in found if found_level == level and reason)
    return Outcome(level, tuple(dict.fromkeys(reasons)))


def _worth_asking(question: str, answers: Answers, level: str) -> bool:
    if level == "emergency":
        return False
    if question == ONSET_QUESTION:
        # Only after a "yes" or "not sure" about blood thinners, and only if the check does not
        # already know how long the pain has lasted.
        unknown = answers.get("pain_duration") is None
        return unknown and is_yes_or_not_sure(answers.get("blood_thinners"))
    if level == "urgent":
        if question == "infection_risk":
            return is_yes_or_not_sure(answers.get("urgent_signs"))
        return question in CAN_RAISE_TO_EMERGENCY
    return True


def questions_to_ask(answers: Answers, earlier_level: Optional[str] = None) -> List[str]:
    """The check's questions, in order, that are answered or still worth asking.

    Once the answers lead to an emergency nothing more is asked; once they lead to same-day
    care only what could make it an emergency is asked, so help is not delayed."""
    level = check_outcome(answers, earlier_level).level
    return [
        question
        for question in QUESTION_ORDER
        if answers.get(question) is not None or _worth_asking(question, answers, level)
    ]
