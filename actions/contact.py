"""Putting the patient in touch with the clinic (appointments, a real person)."""

from __future__ import annotations

import re
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.buttons import MENU
from core.clinic import get_clinic_settings

# A day or a time offered for a visit ("Thursday afternoon?", "tomorrow at 10").
DAY_OR_TIME = re.compile(
    r"\b(mon|tues?|wed(nes)?|thu(rs)?|fri|sat(ur)?|sun)(day)?s?\b|\b(today|tonight|tomorrow|"
    r"tmrw|next week|this week|weekend|morning|afternoon|evening|noon|midday)\b|"
    r"\b\d{1,2}(:\d{2})? ?(am|pm)\b|\bat \d{1,2}(:\d{2})?\b",
    re.IGNORECASE,
)


def contact_message(request: str = "") -> str:
    """The clinic's contact details, as configured; a day or time in the request is answered
    first, because the assistant cannot see or book appointment times."""
    clinic = get_clinic_settings()
    lines = []
    if DAY_OR_TIME.search(request):
        lines.append("I can't see or book appointment times myself, sorry.")
    lines.append(f"To book an appointment or talk to a person at {clinic.name}:")
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
        request = tracker.latest_message.get("text") or ""
        dispatcher.utter_message(text=contact_message(request), buttons=[MENU])
        return []
