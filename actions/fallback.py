"""What happens when the assistant does not understand, or is asked about something else."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.buttons import MENU
from actions.contact import contact_message
from actions.conversation import latest_intent
from core.clinic import get_clinic_settings

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
                text="I'm sorry I couldn't help with that. A person may be able to.\n"
                + contact_message(),
                buttons=[MENU],
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
        clinic = get_clinic_settings()
        lines = [
            "I'm sorry you're dealing with that. I only know about hip, groin and low-back pain "
            "and iliopsoas muscle syndrome, so I can't advise on it. "
            f"{clinic.name_to_start_a_sentence} can help or tell you who can:"
        ]
        lines += clinic.contact_lines()
        lines.append(f"If it's an emergency, call {clinic.emergency_number}.")
        dispatcher.utter_message(text="\n".join(lines), buttons=[MENU])
        return []
