"""The patient's request to delete this conversation.

The action only marks the request: the Rasa server's tracker store sees the
`data_deletion_requested` slot when it saves the turn and deletes the conversation instead.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

DELETION_SLOT = "data_deletion_requested"


class ActionDeleteMyData(Action):
    """Marks the conversation for deletion once the patient has confirmed, and says so."""

    def name(self) -> str:
        return "action_delete_my_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(response="utter_data_deleted")
        return [SlotSet(DELETION_SLOT, True)]
