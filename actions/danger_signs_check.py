"""The danger-signs question: asked when a message sounds like a red flag but no sign was
recognised, instead of guessing a level.

"Right now, do you have any of these?" lists the content file's emergency signs
(`safety_screening.emergency`) with Yes / No / Not sure. It is a one-slot form so that anything
that is not an answer is asked again and never stored: the answer is read by
actions/screening_answers.py, which never guesses. Yes -> emergency advice; not sure -> same-day
advice, never "no"; no -> thanks, and the symptom check or the menu.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import latest_entity_values, latest_intent
from actions.screening_answers import NO, NOT_SURE, YES, screening_answer
from core.knowledge import get_knowledge
from core.names import ALERT_LEVEL_SLOT, DANGER_SIGNS_SLOT, TRIAGE_LEVEL_SLOT
from core.red_flags import higher_level

# Messages that are not an answer but something the rules for this form deal with (see
# data/rules/danger_signs_check.yml): the form lets them through instead of asking again.
INTERRUPTING_INTENTS = {
    "stop",
    "help",
    "bot_challenge",
    "ask_privacy",
    "delete_my_data",
    "request_appointment",
    "ask_overview",
    "ask_anatomy",
    "ask_symptoms",
    "ask_causes",
    "ask_diagnosis",
    "ask_treatment",
    "ask_prevention",
    "ask_when_to_seek_help",
    "other_language",
}
# Whatever its words, a message with this intent does not answer the question.
NEVER_AN_ANSWER = {"hesitate_to_get_help"}
LEVEL_OF_ANSWER = {YES: "emergency", NOT_SURE: "urgent"}


def danger_signs_list() -> str:
    """The emergency signs of the content file, one bulleted line each."""
    items = get_knowledge().safety_screening["emergency"]
    return "\n".join(f"• {item.text}" for item in items)


def interrupts_the_question(tracker: Tracker) -> bool:
    """True for a message the form's rules answer: a recognised red flag, stop, a question."""
    intent = latest_intent(tracker)
    if intent == "report_red_flag":
        return bool(latest_entity_values(tracker, "triage_level"))
    return intent in INTERRUPTING_INTENTS


class ValidateDangerSignsCheckForm(FormValidationAction):
    """Reads yes, no or not sure; anything else is asked again."""

    def name(self) -> str:
        return "validate_danger_signs_check_form"

    async def extract_danger_signs_now(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        # Only a reply to the question counts: the message that led to it is never an answer.
        if tracker.get_slot("requested_slot") != DANGER_SIGNS_SLOT:
            return {}
        if interrupts_the_question(tracker):
            return {}
        text = (tracker.latest_message or {}).get("text") or ""
        intent = latest_intent(tracker)
        # "I don't want to bother anyone" starts like a no, but it is pushback, not an answer.
        answer = None if intent in NEVER_AN_ANSWER else screening_answer(text, intent)
        if answer is None:
            dispatcher.utter_message(response="utter_danger_signs_please_answer")
        # None keeps the slot empty, so the form asks again.
        return {DANGER_SIGNS_SLOT: answer}


class ActionAskDangerSignsNow(Action):
    """Asks the question, leading with the emergency number, the signs from the content file."""

    def name(self) -> str:
        return "action_ask_danger_signs_now"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        dispatcher.utter_message(
            response="utter_ask_danger_signs_now", danger_signs=danger_signs_list()
        )
        return []


class ActionActOnDangerSigns(Action):
    """Gives the advice the answer calls for and records the alert; the answer is then
    forgotten, so the question can be asked afresh later."""

    def name(self) -> str:
        return "action_act_on_danger_signs"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        answer = tracker.get_slot(DANGER_SIGNS_SLOT)
        forget_answer = SlotSet(DANGER_SIGNS_SLOT, None)
        if answer == NO:
            dispatcher.utter_message(response="utter_danger_signs_none")
            return [forget_answer]
        # Anything but a clear no is acted on; a missing answer counts as "not sure".
        answered_level = LEVEL_OF_ANSWER.get(answer, LEVEL_OF_ANSWER[NOT_SURE])
        level = higher_level(answered_level, tracker.get_slot(ALERT_LEVEL_SLOT))
        if level == "emergency":
            dispatcher.utter_message(response="utter_red_flag_emergency")
        else:
            dispatcher.utter_message(response="utter_danger_signs_not_sure")
        return [SlotSet(TRIAGE_LEVEL_SLOT, level), SlotSet(ALERT_LEVEL_SLOT, level), forget_answer]
