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
from rasa_sdk.types import DomainDict

from actions.buttons import CONTACT_CLINIC, MENU
from actions.conversation import latest_entity_values
from actions.symptom_check import reset_symptom_check
from actions.wording import phrase
from core.clinic import get_clinic_settings
from core.knowledge import RedFlag, get_knowledge
from core.names import ALERT_LEVEL_SLOT, TRIAGE_LEVEL_SLOT
from core.red_flags import higher_level, highest_level


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


def explanation(
    domain: DomainDict, red_flags: List[RedFlag], reported: Optional[str], level: str
) -> str:
    """Names the signs with the care they need, and the session's level if it is higher: the
    utter_part_red_flag_* sentences that apply."""

    def care(at_level: str) -> str:
        return phrase(domain, f"utter_part_care_{at_level}")

    sentences = []
    if red_flags and reported:
        labels = "; ".join(flag.label for flag in red_flags)
        sentences.append(
            phrase(domain, "utter_part_red_flag_named", red_flags=labels, care=care(reported))
        )
    elif reported:
        sentences.append(phrase(domain, "utter_part_red_flag_described", care=care(reported)))
    if level != reported:
        sentences.append(phrase(domain, "utter_part_red_flag_earlier", care=care(level)))
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
            dispatcher.utter_message(
                response="utter_red_flag_without_a_level",
                buttons=[CONTACT_CLINIC, MENU],
                emergency_number=get_clinic_settings().emergency_number,
            )
            return reset_symptom_check()
        dispatcher.utter_message(
            response="utter_red_flag_explained",
            buttons=[CONTACT_CLINIC, MENU],
            explanation=explanation(domain, red_flags, reported, level),
        )
        return [
            SlotSet(TRIAGE_LEVEL_SLOT, level),
            SlotSet(ALERT_LEVEL_SLOT, level),
            *reset_symptom_check(),
        ]
