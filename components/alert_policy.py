"""After an alert, the advice stands: a dialogue policy for everything said once it is given.

Once the assistant has told someone to get emergency or same-day care, whatever they say next
("can I wait?", "I don't want to bother them", "ok", "bye", a description of their pain) gets
that advice again, at the session's highest alert level, after a short line that answers the
kind of pushback it is. Topic questions are still answered, after a one-line reminder. Greeting,
"are you a bot?", privacy and deleting data work as always. A symptom check is never restarted
and "stop" never gets "Okay, stopped".

Why a policy and not rules: rules would need `alert_level` to influence the conversation, which
doubles every rule's states for a flag most conversations never raise, and a rule cannot read
what kind of pushback a message is. This policy ranks above RulePolicy, so where it has an
opinion it beats every rule ("stop" -> utter_stopped, check_symptoms -> the symptom check);
where it has none it predicts nothing and the rules decide. A form's happy path is a "no user
prediction", which Rasa's ensemble prefers over any priority (`_pick_best_policy`), so the policy
keeps out while a form is active: the forms' own rules escalate red flags there.

Everything it predicts is a domain response, so, like the escalation, it is said by the Rasa
server itself even when the action server is down. For the same reason it records the level:
after a red-flag message it adds `alert_level` (the highest of the detector's level and the
session's) as a policy event, which Rasa applies whichever policy wins, before the escalation
is said; `utter_red_flag_escalation` then gives the emergency wording whenever an emergency
was raised earlier in the session.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa.core.constants import POLICY_PRIORITY, RULE_POLICY_PRIORITY
from rasa.core.policies.rule_policy import DEFAULT_ACTION_MAPPINGS
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_DEACTIVATE_LOOP_NAME, ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from components.red_flag_policy import actions_since_latest_user_message
from components.scripted_policy import ScriptedPolicy
from core.alert_follow_up import pushback_kind, session_alert_level
from core.names import (
    AGE_GROUP_SLOT,
    ALERT_LEVEL_SLOT,
    OTHER_LANGUAGE_INTENT,
    POSSIBLE_RED_FLAG_INTENT,
    RED_FLAG_INTENT,
    REFERRAL_FORM,
    URGENT_CARE_SLOT,
)
from core.red_flags import higher_level

# Above RulePolicy, so that where this policy has an opinion no rule overrides it.
ALERT_POLICY_PRIORITY = RULE_POLICY_PRIORITY + 1

CLARIFY_FORM = "danger_signs_check_form"
EMERGENCY = "emergency"
CHILD = "child"
FEVER = "fever_with_pain"

# Answered exactly as without an alert: none of them is a reason to repeat the advice, and a
# reported red flag has its own escalation (rules), which says the session's level.
ANSWERED_AS_USUAL = {
    "greet",
    "bot_challenge",
    "ask_privacy",
    "delete_my_data",
    "confirm_delete_my_data",
    "keep_my_data",
    *DEFAULT_ACTION_MAPPINGS,
}
# Still answered, after a one-line reminder of the advice.
ANSWERED_AFTER_A_REMINDER = {
    "ask_overview": "action_answer_question",
    "ask_anatomy": "action_answer_question",
    "ask_symptoms": "action_answer_question",
    "ask_causes": "action_answer_question",
    "ask_diagnosis": "action_answer_question",
    "ask_treatment": "action_answer_question",
    "ask_prevention": "action_answer_question",
    "ask_when_to_seek_help": "action_answer_question",
    "next_item": "action_walkthrough_next",
    "previous_item": "action_walkthrough_previous",
    "help": "utter_menu",
    "ask_clinic_info": "action_answer_practical",
}
# A yes or no that answers a question the assistant has just asked is that answer.
QUESTIONS_ANSWERED_BY_YES_OR_NO = {"utter_confirm_delete_my_data"}
YES_OR_NO = {"affirm", "deny"}

# A message in Spanish after an alert (the language gate's `other_language`, read as Spanish)
# gets the advice again in Spanish; the kinds of pushback are only told apart in English.
SPANISH = "es"
ACKNOWLEDGEMENT_IN_SPANISH = "utter_alert_pushback_other_es"
ADVICE_AGAIN_IN_SPANISH = "utter_alert_advice_again_es"

REMINDER = "utter_alert_reminder"
APPOINTMENT_AFTER_EMERGENCY = "utter_appointment_not_for_emergency"
ADVICE_AGAIN = "utter_alert_advice_again"
ADVICE_AGAIN_WITH_URGENT_CARE = "utter_alert_advice_again_with_urgent_care"


def _latest_intent(tracker: DialogueStateTracker) -> Optional[str]:
    return (tracker.latest_message.intent or {}).get("name") if tracker.latest_message else None


def _latest_entity_values(tracker: DialogueStateTracker, entity: str) -> List[str]:
    entities = tracker.latest_message.entities if tracker.latest_message else []
    return [found.get("value") for found in entities or [] if found.get("entity") == entity]


def _action_before_latest_message(tracker: DialogueStateTracker) -> Optional[str]:
    """The last bot action before the patient's latest message (listening left out)."""
    seen_user = False
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            if seen_user:
                return None
            seen_user = True
        elif seen_user and isinstance(event, ActionExecuted):
            if event.action_name != ACTION_LISTEN_NAME:
                return event.action_name
    return None


def restated_advice(tracker: DialogueStateTracker) -> List[str]:
    """The acknowledgement of this kind of pushback, then the advice at the session's level."""
    if _latest_intent(tracker) == OTHER_LANGUAGE_INTENT and _latest_entity_values(
        tracker, "language"
    ) == [SPANISH]:
        return [ACKNOWLEDGEMENT_IN_SPANISH, ADVICE_AGAIN_IN_SPANISH]
    text = tracker.latest_message.text if tracker.latest_message else ""
    with_urgent_care = bool(tracker.get_slot(URGENT_CARE_SLOT))
    advice = ADVICE_AGAIN_WITH_URGENT_CARE if with_urgent_care else ADVICE_AGAIN
    return [f"utter_alert_pushback_{pushback_kind(text or '')}", advice]


def _bare_red_flag_report(tracker: DialogueStateTracker) -> bool:
    """A typed "/report_red_flag" that names no level. (From text, `report_red_flag` only ever
    comes from the red-flag detector, which always adds the level.)"""
    text = (tracker.latest_message.text or "") if tracker.latest_message else ""
    return (
        _latest_intent(tracker) == RED_FLAG_INTENT
        and text.startswith("/")
        and not _latest_entity_values(tracker, "triage_level")
    )


def planned_reply(tracker: DialogueStateTracker) -> Optional[List[str]]:
    """Every action this policy wants in reply to the latest message, or None to leave it to
    the rules. The plan is worked out from the message and the slots alone, so it is the same
    at every step of the reply."""
    intent = _latest_intent(tracker)
    level = session_alert_level(tracker.current_slot_values())
    done = actions_since_latest_user_message(tracker)
    if _bare_red_flag_report(tracker) and level != EMERGENCY:
        # No sign and no level: ask which danger signs are there rather than guess a level. A
        # form that could not read the message as its answer is left first.
        leaves_a_form = tracker.is_active_loop_rejected or done[:1] == [ACTION_DEACTIVATE_LOOP_NAME]
        if tracker.active_loop_name and not tracker.is_active_loop_rejected:
            return None
        return [ACTION_DEACTIVATE_LOOP_NAME, CLARIFY_FORM] if leaves_a_form else [CLARIFY_FORM]
    if level is None or tracker.active_loop_name or intent in ANSWERED_AS_USUAL:
        return None
    if intent == RED_FLAG_INTENT and not _bare_red_flag_report(tracker):
        return None
    if intent == POSSIBLE_RED_FLAG_INTENT and level != EMERGENCY:
        return None  # the danger-signs question may still raise an urgent alert
    if intent in YES_OR_NO and _action_before_latest_message(tracker) in (
        QUESTIONS_ANSWERED_BY_YES_OR_NO
    ):
        return None
    # After an alert a patient may still ask the clinic to contact them: the contact details
    # (after an emergency: that an appointment is not the place for it), then the referral
    # offer, marked urgent. Once the referral form has run, its rules carry on.
    if REFERRAL_FORM in done:
        return None
    if intent == "request_appointment":
        if level == EMERGENCY:
            return [APPOINTMENT_AFTER_EMERGENCY, REFERRAL_FORM]
        return [REMINDER, "action_contact_clinic", REFERRAL_FORM]
    if intent in ANSWERED_AFTER_A_REMINDER:
        return [REMINDER, ANSWERED_AFTER_A_REMINDER[intent]]
    return restated_advice(tracker)


def next_alert_action(tracker: DialogueStateTracker) -> Optional[str]:
    """The next action of the planned reply, or None when the policy has no opinion."""
    plan = planned_reply(tracker)
    if plan is None:
        return None
    done = actions_since_latest_user_message(tracker)
    plan = [*plan, ACTION_LISTEN_NAME]
    if len(done) >= len(plan) or done != plan[: len(done)]:
        return None
    return plan[len(done)]


def alert_level_events(tracker: DialogueStateTracker) -> List[Event]:
    """`alert_level` raised by a red flag the detector has just reported, before anything is
    said about it; nothing when it does not raise the level."""
    if _latest_intent(tracker) != RED_FLAG_INTENT or actions_since_latest_user_message(tracker):
        return []
    reported = higher_level(*_latest_entity_values(tracker, "triage_level"))
    if tracker.get_slot(AGE_GROUP_SLOT) == CHILD and FEVER in _latest_entity_values(
        tracker, "red_flag"
    ):
        # A fever in a child the symptom check was about: a limping or sore child with a
        # temperature needs emergency care (the content file's child_limp_fever).
        reported = EMERGENCY
    previous = tracker.get_slot(ALERT_LEVEL_SLOT)
    raised = higher_level(reported, previous)
    if reported is None or raised == previous:
        return []
    return [SlotSet(ALERT_LEVEL_SLOT, raised)]


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class AlertPolicy(ScriptedPolicy):
    """Repeats the advice after an alert and keeps the session's alert level from dropping."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        """Rasa's hook for default settings."""
        return {POLICY_PRIORITY: ALERT_POLICY_PRIORITY}

    def next_action(self, tracker: DialogueStateTracker) -> Optional[str]:
        """The next step, or no opinion at all."""
        return next_alert_action(tracker)

    def events(self, tracker: DialogueStateTracker) -> List[Event]:
        """The session's alert level, raised by a new red flag."""
        return alert_level_events(tracker)
