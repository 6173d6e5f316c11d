"""What happens when the assistant does not understand, or is asked about something else."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.buttons import MENU
from actions.contact import contact_variables
from actions.conversation import latest_intent

MISSED_INTENTS = {"nlu_fallback", "out_of_scope"}
MISSES_BEFORE_OFFERING_A_PERSON = 2


def consecutive_misses(tracker: Tracker) -> int:
    """How many of the latest user messages in a row were not understood or off-topic."""
    misses = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent not in MISSED_INTENTS:
            break
        misses += 1
    return misses


class ActionHandleMiss(Action):
    """Asks to rephrase, says what the assistant covers, and offers a person after two misses."""

    def name(self) -> str:
        return "action_handle_miss"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        if consecutive_misses(tracker) >= MISSES_BEFORE_OFFERING_A_PERSON:
            dispatcher.utter_message(
                response="utter_offer_a_person", buttons=[MENU], **contact_variables(domain)
            )
        elif latest_intent(tracker) == "out_of_scope":
            dispatcher.utter_message(response="utter_out_of_scope")
        else:
            dispatcher.utter_message(response="utter_ask_rephrase")
        return []


class ActionAnswerOtherComplaint(Action):
    """Another health problem (a knee, a migraine): kindly out of scope, with the clinic's
    contact, because the clinic may still be the right place to ask."""

    def name(self) -> str:
        return "action_answer_other_complaint"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(
            response="utter_other_complaint", buttons=[MENU], **contact_variables(domain)
        )
        return []
