"""Putting the patient in touch with the clinic (appointments, a real person)."""

from __future__ import annotations

import re
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.buttons import MENU
from actions.wording import clinic_variables, contact_lines
from core.clinic import get_clinic_settings

# A day or a time offered for a visit ("Thursday afternoon?", "tomorrow at 10").
DAY_OR_TIME = re.compile(
    r"\b(mon|tues?|wed(nes)?|thu(rs)?|fri|sat(ur)?|sun)(day)?s?\b|\b(today|tonight|tomorrow|"
    r"tmrw|next week|this week|weekend|morning|afternoon|evening|noon|midday)\b|"
    r"\b\d{1,2}(:\d{2})? ?(am|pm)\b|\bat \d{1,2}(:\d{2})?\b",
    re.IGNORECASE,
)


def contact_response(request: str = "") -> str:
    """The response that gives the clinic's contact details: a day or time in the request is
    answered first, because the assistant cannot see or book appointment times."""
    if DAY_OR_TIME.search(request):
        return "utter_contact_clinic_no_appointment_times"
    return "utter_contact_clinic"


def contact_variables(domain: DomainDict) -> Dict[str, str]:
    """What the contact responses name: the clinic, its configured ways, the emergency line."""
    clinic = get_clinic_settings()
    return {**clinic_variables(clinic), "contact_lines": "\n".join(contact_lines(domain, clinic))}


class ActionContactClinic(Action):
    """Answers requests to book, call or talk to a person."""

    def name(self) -> str:
        return "action_contact_clinic"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        request = tracker.latest_message.get("text") or ""
        dispatcher.utter_message(
            response=contact_response(request), buttons=[MENU], **contact_variables(domain)
        )
        return []
