"""What happens to the patient's conversation, and their request to delete it.

Deleting is only marked here: the Rasa server's tracker store sees the
`data_deletion_requested` slot when it saves the turn and deletes the conversation instead.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.buttons import MENU, button
from actions.wording import phrase
from core.clinic import get_clinic_settings
from core.names import DELETION_SLOT

DELETE_MY_DATA = button("Delete my data", "/delete_my_data")


def format_days(domain: DomainDict, days: float) -> str:
    """A number of days as a patient reads it: "30 days", "7.5 days", "1 day"."""
    number = str(int(days)) if float(days).is_integer() else str(days)
    if number == "1":
        return phrase(domain, "utter_part_one_day")
    return phrase(domain, "utter_part_days", days=number)


class ActionExplainPrivacy(Action):
    """Answers "do you store my data?", "who can see this chat?" and the like."""

    def name(self) -> str:
        return "action_explain_privacy"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        # What is kept, for how long and why: the period is the one the purge applies.
        clinic = get_clinic_settings()
        dispatcher.utter_message(
            response="utter_privacy",
            buttons=[DELETE_MY_DATA, MENU],
            clinic_name=clinic.name,
            retention_period=format_days(domain, clinic.retention_days),
        )
        return []


class ActionDeleteMyData(Action):
    """Marks the conversation for deletion once the patient has confirmed, and says so."""

    def name(self) -> str:
        return "action_delete_my_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(response="utter_data_deleted")
        return [SlotSet(DELETION_SLOT, True)]
