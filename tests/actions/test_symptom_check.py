"""Tests for actions/symptom_check.py: the form reads answers (never guesses them), asks only
what is still needed, and the summary gives the outcome in plain words.

Whole checks are replayed through the form's validation action as Rasa would run it: each
message with the slots so far, the next question being the one the action requests (or, when it
names none, the domain's next unanswered one)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Tuple

import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.check_outcome import (
    LOCATION_NOT_LISTED,
    QUESTION_ORDER,
    YES_NO_QUESTIONS,
    questions_to_ask,
)
from actions.symptom_check import (
    FORM_SLOTS,
    ActionStopSymptomCheck,
    ActionSummarizeSymptomCheck,
    ValidateSymptomCheckForm,
    match_response,
    matching_features,
)
from core.knowledge import get_knowledge

RunAction = Callable[[Action, Tracker], List[EventType]]
SlotsSet = Callable[[List[EventType]], Dict[str, Any]]
FORM = {"name": "symptom_check_form"}
# Phrases a check must never say: it cannot diagnose, and it cannot rule anything out.
FORBIDDEN_PHRASES = [
    "you have iliopsoas",
    "you've got iliopsoas",
    "you do not have",
    "you don't have",
    "harmless",
    "nothing to worry",
    "nothing serious",
    "the article",
]
# An adult with nothing that needs same-day care, up to each question.
ANSWERED_BEFORE: Dict[str, Any] = {
    "emergency_signs": "no",
    "urgent_signs": "no",
    "age_group": "adult",
    "blood_thinners": "no",
    "infection_risk": "no",
    "night_pain": "no",
    "pain_location": ["hip"],
    "pain_on_rising_or_stairs": "no",
    "hip_clicking": "no",
    "sitting_or_sport": "no",
    "pain_duration": "days",
}
# Messages: (intent, text) or (intent, text, entities).
Message = Tuple[Any, ...]


def asked(slot: str, **extra_slots: Any) -> Dict[str, Any]:
    """Form slots as they are while the form asks this slot's question."""
    earlier = QUESTION_ORDER[: QUESTION_ORDER.index(slot)]
    slots = {name: ANSWERED_BEFORE[name] for name in earlier if name in ANSWERED_BEFORE}
    if slot == "pain_started_recently":
        slots["blood_thinners"] = "yes"  # the follow-up is asked only then
    return {**slots, **extra_slots, "requested_slot": slot}


def entity(name: str, value: str) -> Dict[str, Any]:
    """An entity of the latest message, as the NLU pipeline gives it."""
    return {"entity": name, "value": value}


@dataclass
class Check:
    """A symptom check replayed through the form: the questions asked and the slots left."""

    questions: List[str] = field(default_factory=list)
    slots: Dict[str, Any] = field(default_factory=dict)
    said: List[str] = field(default_factory=list)


@pytest.fixture
def replay(
    make_tracker: Callable[..., Tracker], domain: Dict[str, Any], slots_set: SlotsSet
) -> Callable[..., Check]:
    """Runs a first message and then each answer through validate_symptom_check_form."""

    def run(first: Message, answers: List[Message], **session_slots: Any) -> Check:
        check = Check(slots=dict(session_slots))
        for message in [first, *answers]:
            intent, text, entities = (*message, [])[:3]
            dispatcher = CollectingDispatcher()
            tracker = make_tracker(
                intent=intent, text=text, entities=entities, slots=check.slots, active_loop=FORM
            )
            events = asyncio.run(ValidateSymptomCheckForm().run(dispatcher, tracker, domain))
            check.said += [
                message["response"] or message["text"] for message in dispatcher.messages
            ]
            check.slots.update(slots_set(events))
            if "requested_slot" not in slots_set(events):
                # Rasa's own choice when the action names none: the next unanswered question.
                unanswered = [slot for slot in FORM_SLOTS if check.slots.get(slot) is None]
                check.slots["requested_slot"] = unanswered[0] if unanswered else None
            if check.slots["requested_slot"]:
                check.questions.append(check.slots["requested_slot"])
        return check

    return run


def summary(
    slots: Dict[str, Any], make_tracker: Callable[..., Tracker], run_action: RunAction
) -> List[EventType]:
    """The events of the summary after a check that ended with these slots."""
    form_slots = {name: value for name, value in slots.items() if name != "requested_slot"}
    return run_action(ActionSummarizeSymptomCheck(), make_tracker(slots=form_slots))


CHECK_SYMPTOMS: Message = ("check_symptoms", "can you check my symptoms?")
ADULT_NOTHING_FOUND: List[Message] = [
    ("deny", "no"),
    ("deny", "no"),
    ("inform", "45"),
    ("deny", "no"),
    ("deny", "no"),
    ("deny", "no"),
    ("inform", "my hip", [entity("body_part", "hip")]),
    ("affirm", "yes"),
    ("deny", "no"),
    ("deny", "no"),
    ("inform", "a few days"),
    ("affirm", "yes"),
]
SAME_DAY_QUESTIONS = ["emergency_signs", "urgent_signs", "age_group", "blood_thinners"]

WHOLE_CHECKS = [
    ("an adult with nothing found: every question but the follow-up, then self-care",
     CHECK_SYMPTOMS, ADULT_NOTHING_FOUND, {},
     [q for q in QUESTION_ORDER if q != "pain_started_recently"], "self_care"),
    ("a yes to the emergency list ends the check at once",
     CHECK_SYMPTOMS, [("affirm", "/affirm")], {}, ["emergency_signs"], "emergency"),
    ("not sure at the emergency list: same-day care after the questions that could raise it",
     CHECK_SYMPTOMS, [("deny", "not really"), ("deny", "no"), ("inform", "I'm 50"), ("deny", "no")],
     {}, SAME_DAY_QUESTIONS, "urgent"),
    ("a child is sent to same-day care after four questions",
     CHECK_SYMPTOMS, [("deny", "no"), ("deny", "no"), ("inform", "he's 7"), ("deny", "no")], {},
     SAME_DAY_QUESTIONS, "urgent"),
    ("a child with a temperature is an emergency",
     CHECK_SYMPTOMS,
     [("deny", "no"), ("affirm", "yes"), ("inform", "/inform", [entity("age_group", "child")])],
     {}, SAME_DAY_QUESTIONS[:3], "emergency"),
    ("a teenager is sent to same-day care",
     CHECK_SYMPTOMS, [("deny", "no"), ("deny", "no"), ("inform", "I'm 14"), ("deny", "no")], {},
     SAME_DAY_QUESTIONS, "urgent"),
    ("blood thinners and pain that just started is an emergency",
     CHECK_SYMPTOMS,
     [("deny", "no"), ("deny", "no"), ("inform", "72"), ("affirm", "yes"), ("affirm", "yes")], {},
     [*SAME_DAY_QUESTIONS, "pain_started_recently"], "emergency"),
    ("blood thinners with a duration already known skips the follow-up",
     ("describe_symptoms", "my groin has hurt since yesterday", [entity("body_part", "groin")]),
     [("deny", "no"), ("deny", "no"), ("inform", "60"), ("not_sure", "/not_sure")], {},
     SAME_DAY_QUESTIONS, "emergency"),
    ("infection risk with a temperature is an emergency",
     CHECK_SYMPTOMS,
     [("deny", "no"), ("not_sure", "not sure"), ("inform", "40"), ("deny", "no"),
      ("affirm", "yes")],
     {}, [*SAME_DAY_QUESTIONS, "infection_risk"], "emergency"),
    ("night pain means same-day care",
     CHECK_SYMPTOMS, [*ADULT_NOTHING_FOUND[:5], ("affirm", "yes")], {},
     [*QUESTION_ORDER[:4], *QUESTION_ORDER[5:7]], "urgent"),
    ("the first message's age, place and activity are not asked again",
     ("describe_symptoms", "my 7 year old has hip pain on the stairs",
      [entity("body_part", "hip"), entity("activity", "climbing stairs")]),
     [("deny", "no"), ("deny", "no"), ("deny", "no")], {},
     ["emergency_signs", "urgent_signs", "blood_thinners"], "urgent"),
    ("an earlier urgent alert: only what could make it an emergency is asked",
     CHECK_SYMPTOMS, ADULT_NOTHING_FOUND[:4], {"triage_level": "urgent"}, SAME_DAY_QUESTIONS,
     "urgent"),
    ("an earlier emergency alert: no questions at all",
     CHECK_SYMPTOMS, [], {"triage_level": "emergency"}, [], "emergency"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("first", "answers", "session", "questions", "level"),
    [case[1:] for case in WHOLE_CHECKS],
    ids=[case[0] for case in WHOLE_CHECKS],
)
def test_a_whole_check_asks_only_what_it_needs_and_ends_at_the_right_level(
    first: Message,
    answers: List[Message],
    session: Dict[str, Any],
    questions: List[str],
    level: str,
    replay: Callable[..., Check],
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    slots_set: SlotsSet,
) -> None:
    check = replay(first, answers, **session)

    assert check.questions == questions
    assert check.slots["requested_slot"] is None
    assert check.said == []
    assert slots_set(summary(check.slots, make_tracker, run_action))["triage_level"] == level


NON_ANSWERS = [
    ("deny", "is it psoas or not, yes or no"),
    ("check_symptoms", "is it psoas or not, yes or no"),
    ("affirm", "ok"),
    ("affirm", "okay"),
    ("inform", "it aches"),
    ("nlu_fallback", "what?"),
    ("out_of_scope", "whatever you think"),
    ("inform", '/inform{"body_part": "groin"}'),
]


@pytest.mark.parametrize("slot", YES_NO_QUESTIONS)
@pytest.mark.parametrize(("intent", "text"), NON_ANSWERS)
def test_a_non_answer_is_asked_again_and_never_stored(
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
    assert slots_set(events)[slot] is None
    assert slots_set(events).get("requested_slot", slot) == slot


@pytest.mark.parametrize("slot", YES_NO_QUESTIONS)
@pytest.mark.parametrize(
    ("intent", "text", "answer"),
    [
        ("affirm", "/affirm", "yes"),
        ("deny", "/deny", "no"),
        ("not_sure", "/not_sure", "not_sure"),
        ("affirm", "yes", "yes"),
        ("affirm", "yeah a bit", "yes"),
        ("deny", "no", "no"),
        ("deny", "nope, none of those", "no"),
        # A hedged no is not a no.
        ("deny", "not really", "not_sure"),
        ("deny", "don't think so", "not_sure"),
        ("not_sure", "not that I know of", "not_sure"),
        ("not_sure", "dunno", "not_sure"),
        ("deny", "no but my leg feels funny", "not_sure"),
    ],
)
def test_an_answer_is_stored_as_yes_no_or_not_sure(
    slot: str,
    intent: str,
    text: str,
    answer: str,
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatcher: CollectingDispatcher,
    slots_set: SlotsSet,
) -> None:
    tracker = make_tracker(intent=intent, text=text, slots=asked(slot), active_loop=FORM)

    events = run_action(ValidateSymptomCheckForm(), tracker)

    assert slots_set(events)[slot] == answer
    assert dispatcher.messages == []


@pytest.mark.parametrize("slot", [*YES_NO_QUESTIONS, "age_group", "pain_location", "pain_duration"])
@pytest.mark.parametrize(
    ("intent", "text"),
    [
        ("ask_treatment", "does dry needling help?"),
        ("ask_symptoms", "yes, what do you mean by saddle?"),
        ("stop", "stop"),
        ("request_appointment", "can I book in?"),
        # A red flag always reaches its rule, even when the message also answers.
        ("report_red_flag", "yes, I can't feel my bottom and I'm 14"),
        ("possible_red_flag", "yes something is really wrong"),
    ],
)
def test_an_interruption_sets_nothing_so_the_rules_handle_it(
    slot: str,
    intent: str,
    text: str,
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatcher: CollectingDispatcher,
    slots_set: SlotsSet,
) -> None:
    entities = [entity("body_part", "hip"), entity("activity", "running")]
    tracker = make_tracker(
        intent=intent, text=text, entities=entities, slots=asked(slot), active_loop=FORM
    )

    events = run_action(ValidateSymptomCheckForm(), tracker)

    # Rasa rejects the form's turn when nothing but requested_slot is set.
    assert set(slots_set(events)) <= {"requested_slot"}
    assert dispatcher.messages == []


@pytest.mark.parametrize(
    ("intent", "text", "entities", "group"),
    [
        ("inform", "I'm 14", [], "teenager"),
        ("inform", "he's 7", [], "child"),
        ("nlu_fallback", "72", [], "older_adult"),
        ("inform", "she is 4, I'm asking for my daughter", [], "child"),
        ("inform", "Under 10", [], "child"),
        ("affirm", "yes she's 15", [], "teenager"),
        ("inform", "/inform", [entity("age_group", "older_adult")], "older_adult"),
    ],
)
def test_a_typed_age_or_an_age_button_answers_the_age_question(
    intent: str,
    text: str,
    entities: List[Dict[str, Any]],
    group: str,
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    slots_set: SlotsSet,
) -> None:
    tracker = make_tracker(
        intent=intent, text=text, entities=entities, slots=asked("age_group"), active_loop=FORM
    )

    events = run_action(ValidateSymptomCheckForm(), tracker)

    assert slots_set(events)["age_group"] == group


@pytest.mark.parametrize(("intent", "text"), [("inform", "why?"), ("not_sure", "not sure")])
def test_a_reply_without_an_age_asks_again(
    intent: str,
    text: str,
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatched_responses: Callable[[], List[str]],
    slots_set: SlotsSet,
) -> None:
    tracker = make_tracker(intent=intent, text=text, slots=asked("age_group"), active_loop=FORM)

    events = run_action(ValidateSymptomCheckForm(), tracker)

    assert dispatched_responses() == ["utter_please_give_age"]
    assert slots_set(events)["age_group"] is None


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
        text=f"no, it just hurts after {activity}",
        entities=[entity("activity", activity)],
        slots={"emergency_signs": "no", "requested_slot": "urgent_signs"},
        active_loop=FORM,
    )

    events = run_action(ValidateSymptomCheckForm(), tracker)

    assert slots_set(events)[slot] == "yes"


def test_check_symptoms_request_with_details_fills_what_it_says(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    slots_set: SlotsSet,
) -> None:
    tracker = make_tracker(
        intent="check_symptoms",
        text="can you check my hip pain, I'm 35, I run a lot and it's been 3 weeks",
        entities=[entity("body_part", "hip"), entity("activity", "running")],
    )

    events = run_action(ValidateSymptomCheckForm(), tracker)

    assert {name: value for name, value in slots_set(events).items() if value} == {
        "age_group": "adult",
        "pain_location": ["hip"],
        "sitting_or_sport": "yes",
        "pain_duration": "weeks",
        "requested_slot": "emergency_signs",
    }


@pytest.mark.parametrize(
    ("intent", "text", "entities", "location"),
    [
        ("inform", '/inform{"body_part": "abdomen"}', [entity("body_part", "abdomen")],
         ["abdomen"]),
        ("inform", "/inform", [], [LOCATION_NOT_LISTED]),
        ("inform", "my hip and groin", [entity("body_part", "hip"), entity("body_part", "groin")],
         ["hip", "groin"]),
    ],
)  # fmt: skip
def test_pain_location_answers(
    intent: str,
    text: str,
    entities: List[Dict[str, Any]],
    location: List[str],
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    slots_set: SlotsSet,
) -> None:
    tracker = make_tracker(
        intent=intent, text=text, entities=entities, slots=asked("pain_location"), active_loop=FORM
    )

    events = run_action(ValidateSymptomCheckForm(), tracker)

    assert slots_set(events)["pain_location"] == location


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

    assert slots_set(events)["pain_duration"] == duration


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
    assert slots_set(events)["pain_duration"] is None


def finished_check(**answers: Any) -> Dict[str, Any]:
    """The slots of a check of an adult that found nothing, with these answers changed."""
    return {**ANSWERED_BEFORE, "activity_or_stretching_helped": "yes", **answers}


@pytest.mark.parametrize(
    ("slots", "level", "responses"),
    [
        (finished_check(emergency_signs="yes"), "emergency", ["utter_red_flag_emergency"]),
        (finished_check(emergency_signs="not_sure"), "urgent", ["utter_red_flag_urgent"]),
        (finished_check(urgent_signs="yes"), "urgent", ["utter_red_flag_urgent"]),
        (finished_check(age_group="child"), "urgent", ["utter_red_flag_urgent"]),
        (finished_check(blood_thinners="yes"), "emergency", ["utter_red_flag_emergency"]),
        (finished_check(pain_duration="weeks"), "consultation", []),
        (finished_check(pain_location=["abdomen"]), "consultation", []),
        (finished_check(activity_or_stretching_helped="no"), "consultation", []),
        (finished_check(), "self_care", []),
    ],
)
def test_summary_sets_the_triage_level_and_escalates_when_needed(
    slots: Dict[str, Any],
    level: str,
    responses: List[str],
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatched_responses: Callable[[], List[str]],
    slots_set: SlotsSet,
) -> None:
    events = run_action(ActionSummarizeSymptomCheck(), make_tracker(slots=slots))

    assert slots_set(events)["triage_level"] == level
    # Every message is a response now; the escalation is the one that names a red flag.
    escalations = [name for name in dispatched_responses() if name.startswith("utter_red_flag_")]
    assert escalations == responses


def test_not_sure_at_the_emergency_list_gives_same_day_advice_and_the_signs_to_call_for(
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatched_text: Callable[[], str],
    clinic_environment: Callable[..., None],
) -> None:
    clinic_environment(CLINIC_EMERGENCY_NUMBER="999")

    run_action(
        ActionSummarizeSymptomCheck(),
        make_tracker(slots=finished_check(emergency_signs="not_sure")),
    )

    said = dispatched_text()
    assert "call 999 at once" in said
    for item in get_knowledge().safety_screening["emergency"]:
        assert f"• {item.text}" in said


@pytest.mark.parametrize(
    ("session_slots", "level"),
    [
        ({"triage_level": "urgent"}, "urgent"),
        ({"triage_level": "emergency"}, "emergency"),
        ({"alert_level": "emergency"}, "emergency"),
        ({"alert_level": "urgent", "triage_level": "consultation"}, "urgent"),
    ],
)
def test_an_alert_given_earlier_in_the_session_counts(
    session_slots: Dict[str, Any],
    level: str,
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatched_text: Callable[[], str],
    slots_set: SlotsSet,
) -> None:
    tracker = make_tracker(slots=finished_check())
    # `alert_level` belongs to the after-alert path and may be missing from this domain: the
    # summary reads it from the tracker when it is there.
    tracker.slots.update(session_slots)

    events = run_action(ActionSummarizeSymptomCheck(), tracker)

    assert slots_set(events)["triage_level"] == level
    assert get_knowledge().check_reasons["earlier_warning_sign"].text in dispatched_text()


def test_summary_raises_alert_level_when_the_domain_keeps_one(
    make_tracker: Callable[..., Tracker],
    dispatcher: CollectingDispatcher,
    domain: Dict[str, Any],
    slots_set: SlotsSet,
) -> None:
    alert_slot = {"type": "categorical", "values": ["emergency", "urgent"]}
    with_alert_level = {**domain, "slots": {**domain["slots"], "alert_level": alert_slot}}
    tracker = make_tracker(slots=finished_check(age_group="child"))

    events = asyncio.run(ActionSummarizeSymptomCheck().run(dispatcher, tracker, with_alert_level))

    assert slots_set(events)["alert_level"] == "urgent"


@pytest.mark.parametrize(
    ("level", "slots"),
    [
        ("consultation", finished_check(pain_duration="weeks")),
        ("self_care", finished_check()),
    ],
)
def test_consultation_and_self_care_say_when_to_get_seen_what_to_watch_for_and_the_number(
    level: str,
    slots: Dict[str, Any],
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatched_text: Callable[[], str],
    clinic_environment: Callable[..., None],
) -> None:
    clinic_environment(CLINIC_EMERGENCY_NUMBER="112")

    run_action(ActionSummarizeSymptomCheck(), make_tracker(slots=slots))

    knowledge = get_knowledge()
    said = dispatched_text()
    assert knowledge.next_steps[level].text in said
    other = "self_care" if level == "consultation" else "consultation"
    assert knowledge.next_steps[other].text not in said
    assert knowledge.watch_for.text.replace("{emergency_number}", "112") in said
    assert "{emergency_number}" not in said


COMPLETE_ANSWERS = [
    finished_check(
        pain_location=["groin", "thigh"],
        pain_on_rising_or_stairs="yes",
        hip_clicking="yes",
        sitting_or_sport="yes",
        pain_duration="months",
        activity_or_stretching_helped="no",
    ),
    finished_check(pain_location=["hip"], hip_clicking="yes"),
    finished_check(pain_location=[LOCATION_NOT_LISTED], hip_clicking="not_sure"),
]


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


@pytest.mark.parametrize("slots", COMPLETE_ANSWERS)
def test_summary_names_what_matches_in_plain_words_without_a_score(
    slots: Dict[str, Any],
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    dispatched_text: Callable[[], str],
    render: Callable[..., str],
) -> None:
    run_action(ActionSummarizeSymptomCheck(), make_tracker(slots=slots))

    said = dispatched_text()
    response, variables = match_response(slots)
    matched = {feature.slot for feature in matching_features(slots)}
    for feature in get_knowledge().symptom_features:
        assert (feature.summary in said) is (feature.slot in matched), feature.slot
    assert render(response, **variables) in said
    assert "only a clinician who examines you can tell" in said
    assert " of 4 " not in said and "match how" not in said


@pytest.mark.parametrize(
    "slots",
    [*COMPLETE_ANSWERS, finished_check(emergency_signs="yes"), finished_check(urgent_signs="yes")],
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
    "slots",
    [*COMPLETE_ANSWERS, finished_check(emergency_signs="yes"), finished_check(urgent_signs="yes")],
)
def test_summary_resets_every_form_slot(
    slots: Dict[str, Any],
    make_tracker: Callable[..., Tracker],
    run_action: RunAction,
    slots_set: SlotsSet,
) -> None:
    events = run_action(ActionSummarizeSymptomCheck(), make_tracker(slots=slots))

    recorded_levels = {"triage_level", "alert_level"}
    reset = {
        name: value for name, value in slots_set(events).items() if name not in recorded_levels
    }
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


def test_asked_helper_matches_the_questions_the_form_would_ask() -> None:
    # Guards the tables above: each question is tested in a state where the form asks it.
    for slot in QUESTION_ORDER:
        answered = {name: value for name, value in asked(slot).items() if name != "requested_slot"}
        remaining = [name for name in questions_to_ask(answered) if answered.get(name) is None]
        assert remaining[0] == slot
