"""Putting the patient in touch with the clinic (appointments, a real person)."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.buttons import MENU
from actions.clinic import get_clinic_settings


def contact_message() -> str:
    """The clinic's contact details, as configured."""
    clinic = get_clinic_settings()
    lines = [f"To book an appointment or talk to a person at {clinic.name}:"]
    lines += clinic.contact_lines()
    lines.append(f"In an emergency, call {clinic.emergency_number}.")
    return "\n".join(lines)


class ActionContactClinic(Action):
    """Answers requests to book, call or talk to a person."""

    def name(self) -> str:
        return "action_contact_clinic"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(text=contact_message(), buttons=[MENU])
        return []
