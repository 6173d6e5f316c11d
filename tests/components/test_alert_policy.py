"""Tests for components/alert_policy.py: after an alert the advice is given again, whatever
the patient says, at the session's highest level; the level is recorded by the Rasa server."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
from rasa.core.nlg.generator import ResponseVariationFilter
from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
from rasa.core.policies.policy import PolicyPrediction
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActiveLoop,
    Event,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from components.alert_policy import (
    ALERT_POLICY_PRIORITY,
    AlertPolicy,
    alert_level_events,
    next_alert_action,
    planned_reply,
)
from core.alert_follow_up import PUSHBACK_KINDS

DOMAIN = Domain.load(str(Path(__file__).resolve().parents[2] / "domain.yml"))
ADVICE = ["utter_alert_pushback_other", "utter_alert_advice_again"]


def tracker_after(
    intent: str,
    text: str = "...",
    slots: Optional[Dict[str, Any]] = None,
    actions: Optional[List[str]] = None,
    entities: Optional[List[Dict[str, Any]]] = None,
    before: Optional[List[Event]] = None,
    after: Optional[List[Event]] = None,
) -> DialogueStateTracker:
    """A conversation with these slots whose latest message has this intent, followed by
    these actions."""
    events: List[Event] = [ActionExecuted("action_session_start")]
    events += [SlotSet(name, value) for name, value in (slots or {}).items()]
    events += [*(before or []), ActionExecuted("action_listen")]
    events.append(
        UserUttered(text, intent={"name": intent, "confidence": 1.0}, entities=entities or [])
    )
    events.append(ActionExecuted("action_extract_slots"))
    events += [*(after or []), *(ActionExecuted(action) for action in actions or [])]
    return DialogueStateTracker.from_events("patient", events, slots=DOMAIN.slots)


EMERGENCY = {"alert_level": "emergency", "triage_level": "emergency"}
URGENT = {"alert_level": "urgent", "triage_level": "urgent"}


@pytest.mark.parametrize(
    "intent",
    [
        "hesitate_to_get_help",
        "affirm",
        "deny",
        "thank",
        "goodbye",
        "stop",
        "out_of_scope",
        "nlu_fallback",
        "describe_symptoms",
        "check_symptoms",
        "inform",
        "not_sure",
        "possible_red_flag",
        "an_intent_added_later",
    ],
)
def test_after_an_emergency_alert_anything_else_gets_the_advice_again(intent: str) -> None:
    tracker = tracker_after(intent, "whatever they say", slots=EMERGENCY)

    assert planned_reply(tracker) == ADVICE
    assert next_alert_action(tracker) == "utter_alert_pushback_other"


@pytest.mark.parametrize(
    ("text", "acknowledgement"),
    [
        ("cant i wait for my physio appt on thursday", "utter_alert_pushback_waiting"),
        ("i dont want to waste the ER's time", "utter_alert_pushback_not_bothering"),
        ("the numbness is still there now btw", "utter_alert_pushback_other"),
        (
            "its sunday, my gp is closed, can i put ice on it and wait?",
            "utter_alert_pushback_no_access",
        ),
        (
            "can I give him calpol and see how he is in the morning?",
            "utter_alert_pushback_self_treatment",
        ),
        ("it's not that bad", "utter_alert_pushback_minimising"),
    ],
)
def test_the_advice_again_starts_with_a_line_for_the_kind_of_pushback(
    text: str, acknowledgement: str
) -> None:
    tracker = tracker_after("hesitate_to_get_help", text, slots=EMERGENCY)

    assert planned_reply(tracker) == [acknowledgement, "utter_alert_advice_again"]


@pytest.mark.parametrize("slots", [EMERGENCY, URGENT])
def test_a_message_in_spanish_after_an_alert_gets_the_advice_again_in_spanish(
    slots: Dict[str, Any],
) -> None:
    spanish = [{"entity": "language", "value": "es", "start": 0, "end": 20}]
    tracker = tracker_after("other_language", "¿puedo esperar a mañana?", slots, entities=spanish)

    assert planned_reply(tracker) == [
        "utter_alert_pushback_other_es",
        "utter_alert_advice_again_es",
    ]


def test_a_message_in_another_language_after_an_alert_gets_the_advice_again_in_english() -> None:
    french = [{"entity": "language", "value": "fr", "start": 0, "end": 20}]
    tracker = tracker_after("other_language", "je peux attendre?", EMERGENCY, entities=french)

    assert planned_reply(tracker) == ADVICE


@pytest.mark.parametrize(
    ("slots", "emergency"),
    [
        ({"alert_level": "emergency", "triage_level": "urgent"}, True),
        ({"alert_level": "urgent", "triage_level": "emergency"}, True),
        (URGENT, False),
    ],
)
def test_the_spanish_advice_keeps_the_sessions_level(
    slots: Dict[str, Any], emergency: bool
) -> None:
    variations = ResponseVariationFilter(DOMAIN.responses).responses_for_utter_action(
        "utter_alert_advice_again_es", "rest", slots
    )
    (text,) = {variation["text"] for variation in variations}
    assert text.startswith("⚠️") and "{emergency_number}" in text
    assert ("llame ahora al número de emergencias" in text) == emergency


def test_the_advice_names_the_urgent_care_line_when_the_clinic_has_one() -> None:
    slots = {**URGENT, "urgent_care": "NHS 111 (call 111 or visit 111.nhs.uk)"}
    tracker = tracker_after("hesitate_to_get_help", "can i wait", slots=slots)

    assert planned_reply(tracker) == [
        "utter_alert_pushback_waiting",
        "utter_alert_advice_again_with_urgent_care",
    ]


@pytest.mark.parametrize(
    ("actions", "expected"),
    [
        ([], "utter_alert_pushback_waiting"),
        (["utter_alert_pushback_waiting"], "utter_alert_advice_again"),
        (["utter_alert_pushback_waiting", "utter_alert_advice_again"], "action_listen"),
        # Something else already answered: no opinion.
        (["utter_stopped"], None),
        (["utter_alert_pushback_waiting", "utter_alert_advice_again", "action_listen"], None),
    ],
)
def test_the_reply_is_predicted_one_step_at_a_time(
    actions: List[str], expected: Optional[str]
) -> None:
    tracker = tracker_after("hesitate_to_get_help", "can i wait", slots=URGENT, actions=actions)

    assert next_alert_action(tracker) == expected


def test_an_alert_recorded_only_in_triage_level_counts() -> None:
    # With the action server down, only the Rasa server's triage_level is there.
    tracker = tracker_after("deny", "no", slots={"triage_level": "emergency"})

    assert planned_reply(tracker) == ADVICE


@pytest.mark.parametrize(
    ("intent", "action"),
    [
        ("ask_treatment", "action_answer_question"),
        ("ask_when_to_seek_help", "action_answer_question"),
        ("next_item", "action_walkthrough_next"),
        ("previous_item", "action_walkthrough_previous"),
        ("help", "utter_menu"),
    ],
)
def test_questions_after_an_alert_are_answered_after_a_reminder(intent: str, action: str) -> None:
    for level in (EMERGENCY, URGENT):
        assert planned_reply(tracker_after(intent, slots=level)) == ["utter_alert_reminder", action]


def test_after_an_emergency_alert_an_appointment_is_not_the_place_but_a_referral_is_offered() -> (
    None
):
    tracker = tracker_after("request_appointment", slots=EMERGENCY)

    assert planned_reply(tracker) == ["utter_appointment_not_for_emergency", "referral_form"]


def test_an_appointment_after_an_urgent_alert_gets_the_contact_and_the_referral_offer() -> None:
    tracker = tracker_after("request_appointment", slots=URGENT)

    assert planned_reply(tracker) == [
        "utter_alert_reminder",
        "action_contact_clinic",
        "referral_form",
    ]


def test_once_the_referral_form_has_run_its_rules_carry_on() -> None:
    # The last answer completes the form: the rules store the referral, not the alert's advice.
    tracker = tracker_after("inform", slots=URGENT, actions=["referral_form"])

    assert planned_reply(tracker) is None


@pytest.mark.parametrize(
    "intent",
    [
        "greet",
        "bot_challenge",
        "ask_privacy",
        "delete_my_data",
        "confirm_delete_my_data",
        "keep_my_data",
        "session_start",
        "restart",
    ],
)
def test_greetings_privacy_and_rasas_own_intents_work_as_always(intent: str) -> None:
    assert planned_reply(tracker_after(intent, slots=EMERGENCY)) is None


@pytest.mark.parametrize(
    "intent", ["hesitate_to_get_help", "stop", "deny", "check_symptoms", "possible_red_flag"]
)
def test_without_an_alert_the_rules_decide(intent: str) -> None:
    tracker = tracker_after(intent, slots={"triage_level": "consultation"})

    assert planned_reply(tracker) is None


def test_a_recognised_red_flag_is_left_to_the_escalation_rules() -> None:
    entities = [{"entity": "triage_level", "value": "urgent"}]
    tracker = tracker_after("report_red_flag", "fever", slots=EMERGENCY, entities=entities)

    assert planned_reply(tracker) is None


def test_a_possible_red_flag_after_an_urgent_alert_still_asks_about_danger_signs() -> None:
    assert planned_reply(tracker_after("possible_red_flag", slots=URGENT)) is None


@pytest.mark.parametrize("slots", [{}, URGENT])
def test_a_bare_red_flag_report_asks_about_danger_signs_instead_of_guessing(
    slots: Dict[str, Any],
) -> None:
    tracker = tracker_after("report_red_flag", "/report_red_flag", slots=slots)

    assert planned_reply(tracker) == ["danger_signs_check_form"]
    assert next_alert_action(tracker) == "danger_signs_check_form"


def test_a_bare_red_flag_report_after_an_emergency_alert_gets_the_advice_again() -> None:
    tracker = tracker_after("report_red_flag", "/report_red_flag", slots=EMERGENCY)

    assert planned_reply(tracker) == ADVICE


def test_a_bare_red_flag_report_leaves_a_form_that_rejected_it_then_asks() -> None:
    form = [ActiveLoop("symptom_check_form")]
    rejected = [ActionExecutionRejected("symptom_check_form")]
    tracker = tracker_after("report_red_flag", "/report_red_flag", before=form, after=rejected)
    assert next_alert_action(tracker) == "action_deactivate_loop"

    left = tracker_after(
        "report_red_flag",
        "/report_red_flag",
        before=form,
        after=[*rejected, ActionExecuted("action_deactivate_loop"), ActiveLoop(None)],
    )
    assert next_alert_action(left) == "danger_signs_check_form"


def test_while_a_form_runs_the_policy_keeps_out() -> None:
    form = [ActiveLoop("danger_signs_check_form")]
    for intent in ("stop", "hesitate_to_get_help", "report_red_flag"):
        assert planned_reply(tracker_after(intent, slots=URGENT, before=form)) is None


def test_a_no_to_the_deletion_question_is_that_answer() -> None:
    asked = [ActionExecuted("utter_confirm_delete_my_data")]
    tracker = tracker_after("deny", "no", slots=EMERGENCY, before=asked)

    assert planned_reply(tracker) is None


@pytest.mark.parametrize(
    ("previous", "reported", "recorded"),
    [
        (None, "emergency", "emergency"),
        (None, "urgent", "urgent"),
        ("urgent", "emergency", "emergency"),
        ("emergency", "urgent", None),
        ("emergency", "emergency", None),
    ],
)
def test_a_red_flag_raises_alert_level_before_the_escalation_is_said(
    previous: Optional[str], reported: str, recorded: Optional[str]
) -> None:
    entities = [{"entity": "triage_level", "value": reported}]
    tracker = tracker_after(
        "report_red_flag", "text", slots={"alert_level": previous}, entities=entities
    )

    expected = [SlotSet("alert_level", recorded)] if recorded else []
    assert alert_level_events(tracker) == expected


@pytest.mark.parametrize(("age_group", "recorded"), [("child", "emergency"), ("adult", "urgent")])
def test_a_fever_in_a_child_the_check_was_about_is_an_emergency(
    age_group: str, recorded: str
) -> None:
    entities = [
        {"entity": "red_flag", "value": "fever_with_pain"},
        {"entity": "triage_level", "value": "urgent"},
    ]
    tracker = tracker_after(
        "report_red_flag", "yes, he has a fever", slots={"age_group": age_group}, entities=entities
    )

    assert alert_level_events(tracker) == [SlotSet("alert_level", recorded)]


def test_alert_level_is_recorded_once_per_message_and_only_for_red_flags() -> None:
    entities = [{"entity": "triage_level", "value": "emergency"}]
    said = tracker_after(
        "report_red_flag", "text", entities=entities, actions=["utter_red_flag_escalation"]
    )
    assert alert_level_events(said) == []
    assert alert_level_events(tracker_after("possible_red_flag")) == []
    assert alert_level_events(tracker_after("report_red_flag", "/report_red_flag")) == []


@pytest.fixture
def policy(tmp_path: Path) -> AlertPolicy:
    return AlertPolicy.create(
        AlertPolicy.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("alert_policy"),
        ExecutionContext(GraphSchema({}), "test-model"),
    )


def test_the_prediction_has_full_confidence_in_the_next_step_and_carries_the_level(
    policy: AlertPolicy,
) -> None:
    entities = [{"entity": "triage_level", "value": "emergency"}]
    red_flag = tracker_after("report_red_flag", "text", entities=entities)
    prediction = policy.predict_action_probabilities(red_flag, DOMAIN)
    assert prediction.max_confidence == 0.0
    assert prediction.events == [SlotSet("alert_level", "emergency")]

    pushback = tracker_after("stop", "stop", slots=EMERGENCY)
    prediction = policy.predict_action_probabilities(pushback, DOMAIN)
    assert prediction.max_confidence == 1.0
    assert DOMAIN.action_names_or_texts[prediction.max_confidence_index] == (
        "utter_alert_pushback_other"
    )


def test_its_prediction_beats_a_rule_but_not_a_forms_happy_path(policy: AlertPolicy) -> None:
    ours = policy.predict_action_probabilities(tracker_after("stop", slots=EMERGENCY), DOMAIN)
    stopped = [0.0] * DOMAIN.num_actions
    stopped[DOMAIN.index_for_action("utter_stopped")] = 1.0
    rule = PolicyPrediction(stopped, "RulePolicy", ALERT_POLICY_PRIORITY - 1)
    assert DefaultPolicyPredictionEnsemble._pick_best_policy([rule, ours]).policy_name == (
        "AlertPolicy"
    )
    happy_path = PolicyPrediction(stopped, "RulePolicy", 1, is_no_user_prediction=True)
    assert DefaultPolicyPredictionEnsemble._pick_best_policy([happy_path, ours]).policy_name == (
        "RulePolicy"
    )


def test_every_response_it_can_say_is_an_alert_in_the_domain() -> None:
    responses = [f"utter_alert_pushback_{kind}" for kind in PUSHBACK_KINDS] + [
        "utter_alert_advice_again",
        "utter_alert_advice_again_with_urgent_care",
        "utter_alert_pushback_other_es",
        "utter_alert_advice_again_es",
        "utter_alert_reminder",
        "utter_appointment_not_for_emergency",
    ]
    for response in responses:
        for variation in DOMAIN.responses[response]:
            assert variation["text"].startswith("⚠️"), response
            assert "Okay, stopped" not in variation["text"]
            assert "No problem" not in variation["text"]
            assert "didn't understand" not in variation["text"]


@pytest.mark.parametrize(
    "response", ["utter_alert_advice_again", "utter_alert_advice_again_with_urgent_care"]
)
def test_the_advice_again_is_emergency_advice_whenever_an_emergency_was_raised(
    response: str,
) -> None:
    emergency = DOMAIN.responses["utter_red_flag_emergency"][0]["text"]
    assert "{emergency_number} now or go to the nearest emergency department" in emergency
    for slot in ("alert_level", "triage_level"):
        (variation,) = [
            variation
            for variation in DOMAIN.responses[response]
            if variation.get("condition") == [{"type": "slot", "name": slot, "value": "emergency"}]
        ]
        assert (
            "call {emergency_number} now or go to the nearest emergency department"
            in (variation["text"])
        )
    (default,) = [
        variation for variation in DOMAIN.responses[response] if not variation.get("condition")
    ]
    assert "doctor today" in default["text"]
    assert "{emergency_number}" in default["text"]
    assert ("{urgent_care}" in default["text"]) == response.endswith("_with_urgent_care")


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("triage_level", ["emergency", "urgent"])
@pytest.mark.parametrize("alert_level", [None, "urgent", "emergency"])
def test_the_escalation_gives_the_emergency_wording_after_an_earlier_emergency(
    language: str, triage_level: str, alert_level: Optional[str]
) -> None:
    slots = {"language": language, "triage_level": triage_level, "alert_level": alert_level}
    variations = ResponseVariationFilter(DOMAIN.responses).responses_for_utter_action(
        "utter_red_flag_escalation", "rest", slots
    )
    # Rasa picks at random among the variations that match: they must say the same.
    (text,) = {variation["text"] for variation in variations}
    emergency = "emergency" in (triage_level, alert_level)
    if language == "en":
        assert ("call {emergency_number} now" in text) == emergency
    else:
        assert ("Llame ahora al número de emergencias ({emergency_number})" in text) == emergency
        assert ("un médico hoy mismo" in text) == (not emergency)


def test_a_red_flag_message_in_words_is_never_taken_as_a_bare_report() -> None:
    # Conversation tests replay such messages without the detector's entities.
    tracker = tracker_after("report_red_flag", "i suddenly can't control my bladder")

    assert planned_reply(tracker) is None


@pytest.mark.parametrize(
    "response", ["utter_alert_advice_again", "utter_alert_advice_again_with_urgent_care"]
)
def test_emergency_advice_offers_no_clinic_button(response: str) -> None:
    for variation in DOMAIN.responses[response]:
        if variation.get("condition"):
            assert not variation.get("buttons")
