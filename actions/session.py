"""The start of every conversation session: clinic settings into slots, then the disclaimer."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.clinic import get_clinic_settings


class ActionSessionStart(Action):
    """Starts each session with the disclaimer and the topic menu."""

    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        clinic = get_clinic_settings()
        # Responses are rendered before these slots are applied, so pass the values along.
        dispatcher.utter_message(
            response="utter_disclaimer",
            clinic_name=clinic.name,
            emergency_number=clinic.emergency_number,
        )
        dispatcher.utter_message(response="utter_menu")
        return [
            SessionStarted(),
            SlotSet("clinic_name", clinic.name),
            SlotSet("emergency_number", clinic.emergency_number),
            ActionExecuted("action_listen"),
        ]
