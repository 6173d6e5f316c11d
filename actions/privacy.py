"""What happens to the patient's conversation, and their request to delete it.

Deleting is only marked here: the Rasa server's tracker store sees the
`data_deletion_requested` slot when it saves the turn and deletes the conversation instead.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.buttons import MENU, button
from core.clinic import get_clinic_settings
from core.names import DELETION_SLOT

DELETE_MY_DATA = button("Delete my data", "/delete_my_data")


def format_days(days: float) -> str:
    """A number of days as a patient reads it: "30 days", "7.5 days", "1 day"."""
    number = str(int(days)) if float(days).is_integer() else str(days)
    return f"{number} day" if number == "1" else f"{number} days"


def privacy_message() -> str:
    """What is kept, for how long and why, in plain words. It says only what the assistant
    does (README, "Privacy"), so it makes no promise the code does not keep."""
    clinic = get_clinic_settings()
    return (
        f"This conversation is kept by {clinic.name}'s assistant so it can follow what you've "
        "said. It is deleted automatically once no message has been added to it for "
        f"{format_days(clinic.retention_days)}. It isn't used for anything else, and the "
        "assistant's logs don't contain what you write. On the website, your browser also "
        "keeps a copy of the chat (usually until you close the tab). You can have this "
        'conversation deleted at any time: choose "Delete my data".'
    )


class ActionExplainPrivacy(Action):
    """Answers "do you store my data?", "who can see this chat?" and the like."""

    def name(self) -> str:
        return "action_explain_privacy"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(text=privacy_message(), buttons=[DELETE_MY_DATA, MENU])
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
