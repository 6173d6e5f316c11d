"""The start of every conversation session: clinic settings into slots, then the disclaimer."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from core.clinic import get_clinic_settings
from core.names import SESSION_START_INTENT


def session_just_started(tracker: Tracker) -> bool:
    """True when `/session_start` is the patient's first message in a session whose disclaimer
    has just been said. Chat widgets and Telegram's /start send it when a chat opens, and Rasa
    starts a new conversation for it first; a second disclaimer would only repeat the first."""
    if tracker.latest_message.get("intent", {}).get("name") != SESSION_START_INTENT:
        return False
    starts = [
        i for i, event in enumerate(tracker.events) if event.get("event") == "session_started"
    ]
    if not starts:
        return False
    since_start = tracker.events[starts[-1] :]
    return [event.get("event") for event in since_start].count("user") == 1


class ActionSessionStart(Action):
    """Starts each session with the disclaimer and the topic menu."""

    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        if session_just_started(tracker):
            # Rasa predicts nothing after a session start, so the action itself must listen.
            return [ActionExecuted("action_listen")]
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
            *[SlotSet(name, value) for name, value in clinic.session_slots().items()],
            ActionExecuted("action_listen"),
        ]
