"""Tests for actions/practical.py: medicines, the clinic's details, "do I have it?", keeping
active, recovery time and seriousness, answered without a dose, a diagnosis or an all-clear."""

from __future__ import annotations

import re
from typing import Any, Callable, Dict, List

import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType

from actions.practical import PRACTICAL_INTENTS, ActionAnswerPractical, clinic_details
from actions.wording import clinic_variables
from core.clinic import ClinicSettings
from core.knowledge import get_knowledge

RunAction = Callable[[Action, Tracker], List[EventType]]
DetailsMessage = Callable[[str, ClinicSettings], str]
FULL_CLINIC = ClinicSettings(
    name="Riverside Physio",
    phone="+1 555 0100",
    booking_url="https://clinic.example/book",
    opening_hours="Mon-Fri 8-18",
    address="12 River Street",
    email="hello@clinic.example",
    prices="First visit 60",
    insurance="Most insurers",
    parking="Free parking behind the building",
)
# A dose in words or digits: a number followed by a unit or "tablets".
DOSE = re.compile(r"\b\d+\s*(?:mg|milligrams?|tablets?|pills?|capsules?|times a day)\b", re.I)
# Wording that would tell the patient what they have, or that it is nothing to worry about.
DIAGNOSIS_OR_ALL_CLEAR = re.compile(
    r"(?<!whether )(?<!if )\byou (?:have|'ve got|do have) (?:it|iliopsoas)|"
    r"\bnothing to worry|\bnot serious\b|"
    r"\bharmless\b|\bit is safe\b|\byou'?re fine\b",
    re.I,
)


@pytest.fixture
def clinic_details_message(domain: Dict[str, Any], render: Callable[..., str]) -> DetailsMessage:
    """The answer to a clinic question, as the patient reads it, for these settings."""

    def message(question: str, clinic: ClinicSettings) -> str:
        details = clinic_details(domain, question, clinic)
        return render("utter_clinic_details", details=details, **clinic_variables(clinic))

    return message


@pytest.mark.parametrize(
    ("question", "expected", "absent"),
    [
        ("where are you located", ["12 River Street"], ["Mon-Fri", "First visit"]),
        ("what time do you open on saturday", ["Mon-Fri 8-18"], ["12 River Street"]),
        ("how much does a session cost", ["First visit 60"], ["Free parking"]),
        ("do you take bupa insurance", ["Most insurers"], ["First visit 60"]),
        ("is there parking", ["Free parking behind the building"], ["First visit"]),
        ("whats ur email", ["hello@clinic.example"], ["12 River Street"]),
        (
            "tell me about the clinic",
            ["12 River Street", "Mon-Fri 8-18", "First visit 60", "https://clinic.example/book"],
            [],
        ),
    ],
)
def test_a_clinic_question_gets_the_details_it_asks_for(
    question: str, expected: List[str], absent: List[str], clinic_details_message: DetailsMessage
) -> None:
    message = clinic_details_message(question, FULL_CLINIC)

    for detail in expected:
        assert detail in message
    for detail in absent:
        assert detail not in message


def test_an_unset_detail_is_said_to_be_unknown_and_the_ways_to_reach_the_clinic_follow(
    clinic_details_message: DetailsMessage,
) -> None:
    clinic = ClinicSettings(name="Riverside Physio", phone="+1 555 0100")

    message = clinic_details_message("where is the clinic? is there parking", clinic)

    assert "I don't have Riverside Physio's address or parking here" in message
    assert "+1 555 0100" in message
    assert "None" not in message


def test_with_no_details_at_all_the_clinic_question_still_gets_a_way_to_reach_it(
    clinic_details_message: DetailsMessage,
) -> None:
    message = clinic_details_message("what are your opening hours", ClinicSettings())

    assert "opening hours" in message
    assert "usual phone line or website" in message


@pytest.mark.parametrize(
    ("intent", "text"),
    [
        ("ask_medication", "how much ibuprofen can i take? i've had 4 today"),
        ("ask_medication", "can you prescribe me naproxen"),
        ("ask_do_i_have_it", "so do i have it or not?"),
        ("ask_activity_advice", "can i keep running tho"),
        ("ask_recovery_time", "how long till its better"),
        ("ask_seriousness", "is this serious"),
        ("ask_clinic_info", "where are you"),
    ],
)
def test_practical_answers_never_give_a_dose_a_diagnosis_or_an_all_clear(
    intent: str,
    text: str,
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatched_text: Callable[[], str],
) -> None:
    run_action(ActionAnswerPractical(), make_tracker(intent=intent, text=text))

    answer = dispatched_text()
    assert answer.strip()
    assert not DOSE.search(answer), answer
    assert not DIAGNOSIS_OR_ALL_CLEAR.search(answer), answer


def test_a_medicine_question_points_to_a_pharmacist_and_says_what_to_do_after_too_much(
    make_tracker: Callable[..., Tracker], run_action: RunAction, dispatched_text: Callable[[], str]
) -> None:
    run_action(ActionAnswerPractical(), make_tracker(intent="ask_medication", text="4 ibuprofen?"))

    answer = dispatched_text()
    assert "pharmacist" in answer and "leaflet" in answer
    assert "more than the leaflet allows" in answer
    assert "blood thinners" in answer


def test_do_i_have_it_is_answered_honestly_with_the_symptom_check_as_next_step(
    make_tracker: Callable[..., Tracker], run_action: RunAction, dispatcher
) -> None:
    run_action(ActionAnswerPractical(), make_tracker(intent="ask_do_i_have_it"))

    assert "can't tell whether you have it" in dispatcher.messages[0]["text"]
    payloads = [button["payload"] for button in dispatcher.messages[-1]["buttons"]]
    assert "/check_symptoms" in payloads and "/request_appointment" in payloads


def test_is_it_serious_lists_the_signs_that_need_help_now_with_the_emergency_number(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatched_text: Callable[[], str],
    clinic_environment: Callable[..., None],
) -> None:
    clinic_environment(CLINIC_EMERGENCY_NUMBER="999")

    run_action(ActionAnswerPractical(), make_tracker(intent="ask_seriousness"))

    answer = dispatched_text()
    assert "Call 999" in answer
    assert "{emergency_number}" not in answer
    assert "some causes of hip, groin or back pain are serious" in answer


def test_every_practical_intent_has_an_answer_and_a_rule(
    make_tracker: Callable[..., Tracker], run_action: RunAction, dispatched_responses
) -> None:
    for intent in sorted(PRACTICAL_INTENTS):
        run_action(ActionAnswerPractical(), make_tracker(intent=intent, text="?"))
    # Only an unknown intent falls back to the menu.
    assert "utter_menu" not in dispatched_responses()


def test_practical_topics_cite_the_article_and_their_guidance() -> None:
    knowledge = get_knowledge()
    for name in ("medication", "do_i_have_it", "activity_advice", "recovery", "seriousness"):
        for item in knowledge.topic(name).items:
            assert item.source in knowledge.article_sections
            assert all(key in knowledge.guidance for key in item.guidance)


def test_the_exercises_say_how_to_do_them_and_when_to_stop() -> None:
    exercises = get_knowledge().topic("exercises")

    assert exercises.walkthrough
    assert "Stop if the pain gets worse" in exercises.intro.text
    for item in exercises.items:
        assert re.search(r"\b(?:Hold|Do it) ", item.text), item.id
        assert item.guidance == ("nhs_inform_hip_exercises",)
