"""Red-flag escalation: what the person is told after the Rasa server's warning, and the
`triage_level` it leaves in the conversation."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.buttons import CONTACT_CLINIC, MENU
from actions.conversation import latest_entity_values
from actions.knowledge import RedFlag, get_knowledge
from actions.red_flags import highest_level
from actions.symptom_check import reset_symptom_check

# A report with no sign named (a typed /report_red_flag) is taken as urgent.
UNNAMED_RED_FLAG_LEVEL = "urgent"

CARE_NEEDED = {"emergency": "emergency care", "urgent": "a doctor's assessment today"}


def named_red_flags(tracker: Tracker) -> List[RedFlag]:
    """The red flags the latest message reported, as the NLU's red-flag detector named them."""
    knowledge = get_knowledge()
    known = {flag.id for flag in knowledge.red_flags}
    return [
        knowledge.red_flag(red_flag_id)
        for red_flag_id in latest_entity_values(tracker, "red_flag")
        if red_flag_id in known
    ]


def red_flag_level(tracker: Tracker, red_flags: List[RedFlag]) -> str:
    """The level to act on: the detector's, else the most serious named flag, else urgent."""
    levels = latest_entity_values(tracker, "triage_level")
    return (levels[0] if levels else None) or highest_level(red_flags) or UNNAMED_RED_FLAG_LEVEL


class ActionExplainRedFlag(Action):
    """Follows the escalation: names the warning sign, records the triage level, offers help."""

    def name(self) -> str:
        return "action_explain_red_flag"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        red_flags = named_red_flags(tracker)
        level = red_flag_level(tracker, red_flags)
        if red_flags:
            labels = "; ".join(flag.label for flag in red_flags)
            text = (
                f"You mentioned: {labels}. That is a warning sign that needs {CARE_NEEDED[level]}."
            )
        else:
            text = f"From what you describe, please get {CARE_NEEDED[level]}."
        dispatcher.utter_message(
            text=text + " When you're safe, I'm still here if you have questions.",
            buttons=[CONTACT_CLINIC, MENU],
        )
        return [SlotSet("triage_level", level), *reset_symptom_check()]
