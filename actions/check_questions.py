"""The symptom check's safety questions, worded by the content file: the two itemised screening
lists, the age question and the risk questions. Each is a domain response filled in with the
content file's text (utter_emergency_signs_question, utter_urgent_signs_question,
utter_age_group_question, utter_risk_question); the other questions are plain domain responses
(utter_ask_<slot>)."""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from typing import List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.buttons import Button, button
from actions.wording import bulleted
from core.knowledge import RiskQuestion, get_knowledge


def screening_signs(level: str) -> str:
    """The signs of one screening level, itemised from the content file."""
    return bulleted([item.text for item in get_knowledge().safety_screening[level]])


def age_buttons() -> List[Button]:
    """One button per age group of the content file; the payload names the group."""
    return [
        button(group.label, "/inform" + json.dumps({"age_group": group.name}))
        for group in get_knowledge().age_groups
    ]


def risk_question(slot: str) -> RiskQuestion:
    """The content file's question for this slot; KeyError if it has none."""
    knowledge = get_knowledge()
    questions = [*knowledge.risk_questions, knowledge.recent_onset_question]
    for question in questions:
        if question and question.slot == slot:
            return question
    raise KeyError(slot)


class ActionAskEmergencySigns(Action):
    """Asks the emergency screening question, listing the signs from the content file."""

    def name(self) -> str:
        return "action_ask_emergency_signs"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        dispatcher.utter_message(
            response="utter_emergency_signs_question", signs=screening_signs("emergency")
        )
        return []


class ActionAskUrgentSigns(Action):
    """Asks the same-day screening question, listing the signs from the content file."""

    def name(self) -> str:
        return "action_ask_urgent_signs"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        dispatcher.utter_message(
            response="utter_urgent_signs_question", signs=screening_signs("urgent")
        )
        return []


class ActionAskAgeGroup(Action):
    """Asks how old the person with the pain is, with the content file's age groups."""

    def name(self) -> str:
        return "action_ask_age_group"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        dispatcher.utter_message(response="utter_age_group_question", buttons=age_buttons())
        return []


class AskRiskQuestion(Action, ABC):
    """Asks one of the content file's yes / no / not sure risk questions."""

    @property
    @abstractmethod
    def slot(self) -> str:
        """The slot the question fills."""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        dispatcher.utter_message(
            response="utter_risk_question", question=risk_question(self.slot).text
        )
        return []


class ActionAskBloodThinners(AskRiskQuestion):
    """Blood thinners or a bleeding disorder: new pain can be bleeding into the muscle."""

    slot = "blood_thinners"


class ActionAskPainStartedRecently(AskRiskQuestion):
    """The follow-up after blood thinners: did the pain start in the last few days?"""

    slot = "pain_started_recently"


class ActionAskInfectionRisk(AskRiskQuestion):
    """A weak immune system, diabetes, drug injecting or a recent infection or procedure."""

    slot = "infection_risk"


class ActionAskNightPain(AskRiskQuestion):
    """Night pain that rest or a change of position doesn't ease."""

    slot = "night_pain"
