"""Red-flag escalation: what the person is told after the Rasa server's warning, and the
`triage_level` and `alert_level` it leaves in the conversation.

The level never drops within a session: a later, less serious sign is named with its own care,
but the levels recorded (and the advice) stay at the most serious alert given so far.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.buttons import CONTACT_CLINIC, MENU
from actions.conversation import latest_entity_values
from actions.symptom_check import reset_symptom_check
from core.clinic import get_clinic_settings
from core.knowledge import RedFlag, get_knowledge
from core.names import ALERT_LEVEL_SLOT, TRIAGE_LEVEL_SLOT
from core.red_flags import higher_level, highest_level

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


def red_flag_level(tracker: Tracker, red_flags: List[RedFlag]) -> Optional[str]:
    """The level the latest message reported: the detector's, else the most serious named
    flag's; None when it named neither (a bare typed /report_red_flag: never guessed)."""
    return higher_level(*latest_entity_values(tracker, "triage_level")) or highest_level(red_flags)


def _explanation(red_flags: List[RedFlag], reported: Optional[str], level: str) -> str:
    """Names the signs with the care they need, and the session's level if it is higher."""
    sentences = []
    if red_flags and reported:
        labels = "; ".join(flag.label for flag in red_flags)
        sentences.append(
            f"You mentioned: {labels}. That is a warning sign that needs {CARE_NEEDED[reported]}."
        )
    elif reported:
        sentences.append(f"From what you describe, please get {CARE_NEEDED[reported]}.")
    if level != reported:
        sentences.append(f"With what you told me earlier, you still need {CARE_NEEDED[level]}.")
    return " ".join(sentences)


class ActionExplainRedFlag(Action):
    """Follows the escalation: names the warning sign, records the level, offers help."""

    def name(self) -> str:
        return "action_explain_red_flag"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        red_flags = named_red_flags(tracker)
        reported = red_flag_level(tracker, red_flags)
        level = higher_level(reported, tracker.get_slot(ALERT_LEVEL_SLOT))
        if level is None:
            # Nothing named and no earlier alert: no level is made up. (The alert policy asks
            # the danger-signs question for such a report; this is only a safety net.)
            emergency_number = get_clinic_settings().emergency_number
            dispatcher.utter_message(
                text=f"If you have any warning sign right now, call {emergency_number}.",
                buttons=[CONTACT_CLINIC, MENU],
            )
            return reset_symptom_check()
        dispatcher.utter_message(
            text=_explanation(red_flags, reported, level)
            + " When you're safe, I'm still here if you have questions.",
            buttons=[CONTACT_CLINIC, MENU],
        )
        return [
            SlotSet(TRIAGE_LEVEL_SLOT, level),
            SlotSet(ALERT_LEVEL_SLOT, level),
            *reset_symptom_check(),
        ]
