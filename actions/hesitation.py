"""An honest answer to "can I wait?" when no alert has been given in this session.

The assistant cannot examine anyone, so it never says waiting is safe. It lists the signs that
mean calling the emergency number now (the content file's `safety_screening.emergency`) and
points to the patient's doctor, or the urgent-care line when the clinic configured one. After an
alert the same message gets the alert's advice again instead (components/alert_policy.py).
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.danger_signs_check import danger_signs_list
from core.names import URGENT_CARE_SLOT


class ActionAnswerHesitation(Action):
    """Answers pushback about getting help when no alert was given: no reassurance."""

    def name(self) -> str:
        return "action_answer_hesitation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        response = (
            "utter_cannot_say_it_is_safe_to_wait_with_urgent_care"
            if tracker.get_slot(URGENT_CARE_SLOT)
            else "utter_cannot_say_it_is_safe_to_wait"
        )
        dispatcher.utter_message(response=response, danger_signs=danger_signs_list())
        return []
