"""Answers to topic questions, and the guided walk-through of causes, diagnosis, treatment and
prevention one item at a time ("2 of 5"), with its place kept in slots."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.buttons import (
    BACK,
    CHECK_SYMPTOMS,
    CONTACT_CLINIC,
    MENU,
    NEXT,
    WHEN_TO_GET_HELP,
    Button,
    topic_buttons,
)
from actions.conversation import latest_entity_values, latest_intent
from actions.wording import bulleted, contact_lines
from core.clinic import get_clinic_settings
from core.knowledge import Topic, get_knowledge
from core.names import WALKTHROUGH_STEP_SLOT, WALKTHROUGH_TOPIC_SLOT

TOPIC_OF_INTENT = {
    "ask_overview": "overview",
    "ask_anatomy": "anatomy",
    "ask_symptoms": "symptoms",
    "ask_causes": "causes",
    "ask_diagnosis": "diagnosis",
    "ask_treatment": "treatment",
    "ask_prevention": "prevention",
    "ask_when_to_seek_help": "when_to_seek_help",
    "ask_exercises": "exercises",
}
# Which entity of a question picks one item of a walk-through topic, and the item field it
# is matched against ("does dry needling help?" -> the dry needling item).
ITEM_ENTITY_OF_TOPIC = {
    "causes": ("activity", "activities"),
    "diagnosis": ("diagnostic_test", "diagnostic_tests"),
    "treatment": ("treatment", "treatments"),
    "prevention": ("treatment", "treatments"),
    "exercises": ("treatment", "treatments"),
}
REFERRED_PAIN_ITEM = "symptom_referred_pain"


def walkthrough_card(topic: Topic, index: int) -> Dict[str, Any]:
    """The variables and buttons of one walk-through step (utter_walkthrough_step): "Causes, 2
    of 5", the item, and where to go next."""
    item = topic.items[index]
    total = len(topic.items)
    buttons: List[Button] = []
    if index > 0:
        buttons.append(BACK)
    if index < total - 1:
        buttons.append(NEXT)
    buttons.append(MENU)
    return {
        "buttons": buttons,
        "topic_title": topic.title,
        "step": index + 1,
        "steps": total,
        "item_title": item.title,
        "item_text": item.text,
    }


def show_step(dispatcher: CollectingDispatcher, topic: Topic, index: int) -> List[EventType]:
    """Sends one walk-through step and records where the person is."""
    dispatcher.utter_message(response="utter_walkthrough_step", **walkthrough_card(topic, index))
    return [SlotSet(WALKTHROUGH_TOPIC_SLOT, topic.name), SlotSet(WALKTHROUGH_STEP_SLOT, index)]


def item_named_by_entities(topic: Topic, tracker: Tracker) -> Optional[int]:
    """The index of the first item that the latest message's entities name, if any."""
    if topic.name not in ITEM_ENTITY_OF_TOPIC:
        return None
    entity, field = ITEM_ENTITY_OF_TOPIC[topic.name]
    for value in latest_entity_values(tracker, entity):
        for index, item in enumerate(topic.items):
            if value in getattr(item, field):
                return index
    return None


def red_flag_lines(level: str) -> List[str]:
    """The labels of one level's red flags, for a bulleted list."""
    return [flag.label for flag in get_knowledge().red_flags_at(level)]


def say_content(dispatcher: CollectingDispatcher, text: str, **extra: Any) -> None:
    """Says the content file's text as it is written there (utter_content)."""
    dispatcher.utter_message(response="utter_content", content=text, **extra)


def _answer_overview(dispatcher: CollectingDispatcher, topic: Topic, domain: DomainDict) -> None:
    buttons = topic_buttons("symptoms", "causes", "treatment") + [CHECK_SYMPTOMS]
    say_content(dispatcher, topic.paragraphs(), buttons=buttons)


def _answer_anatomy(dispatcher: CollectingDispatcher, topic: Topic, domain: DomainDict) -> None:
    say_content(
        dispatcher, topic.paragraphs(), buttons=topic_buttons("causes", "symptoms") + [MENU]
    )


def _answer_symptoms(dispatcher: CollectingDispatcher, topic: Topic, domain: DomainDict) -> None:
    # The caveat that symptoms mislead goes in its own message, after the list.
    referred = topic.items[topic.item_index(REFERRED_PAIN_ITEM)]
    typical = [item for item in topic.items if item is not referred]
    dispatcher.utter_message(
        response="utter_symptoms_list", symptoms=bulleted([item.text for item in typical])
    )
    say_content(dispatcher, referred.text, buttons=[CHECK_SYMPTOMS, WHEN_TO_GET_HELP, MENU])


def _answer_when_to_seek_help(
    dispatcher: CollectingDispatcher, topic: Topic, domain: DomainDict
) -> None:
    clinic = get_clinic_settings()
    say_content(dispatcher, topic.paragraphs())
    dispatcher.utter_message(
        response="utter_emergency_red_flags_list",
        emergency_number=clinic.emergency_number,
        red_flags=bulleted(red_flag_lines("emergency")),
    )
    dispatcher.utter_message(
        response="utter_urgent_red_flags_list", red_flags=bulleted(red_flag_lines("urgent"))
    )
    dispatcher.utter_message(
        response="utter_clinic_contact_lines",
        buttons=[CHECK_SYMPTOMS, MENU],
        contact_lines="\n".join(contact_lines(domain, clinic)),
    )


def _answer_walkthrough(
    dispatcher: CollectingDispatcher, topic: Topic, tracker: Tracker
) -> List[EventType]:
    index = item_named_by_entities(topic, tracker)
    position = _current_position(tracker)
    if index is None and position and position[0].name == topic.name:
        # Asked again in the middle of it: go on from where the person was, not from the start.
        current = position[1]
        if current + 1 < len(topic.items):
            dispatcher.utter_message(
                response="utter_walkthrough_going_on", topic=topic.title.lower()
            )
            return show_step(dispatcher, topic, current + 1)
    if topic.intro:
        say_content(dispatcher, topic.intro.text)
    if index is None:
        if topic.name == "causes":
            say_content(dispatcher, get_knowledge().topic("who_gets_it").items[0].text)
        dispatcher.utter_message(
            response="utter_walkthrough_start",
            steps=len(topic.items),
            item_titles=", ".join(item.title.lower() for item in topic.items),
        )
        index = 0
    return show_step(dispatcher, topic, index)


class ActionAnswerQuestion(Action):
    """Answers every ask_* intent from the content file."""

    def name(self) -> str:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        topic_name = TOPIC_OF_INTENT.get(latest_intent(tracker) or "")
        if topic_name is None:
            dispatcher.utter_message(response="utter_menu")
            return []
        topic = get_knowledge().topic(topic_name)
        if topic.walkthrough:
            return _answer_walkthrough(dispatcher, topic, tracker)
        answer = {
            "overview": _answer_overview,
            "anatomy": _answer_anatomy,
            "symptoms": _answer_symptoms,
            "when_to_seek_help": _answer_when_to_seek_help,
        }[topic_name]
        answer(dispatcher, topic, domain)
        return []


def _current_position(tracker: Tracker) -> Optional[tuple]:
    topic_name = tracker.get_slot(WALKTHROUGH_TOPIC_SLOT)
    step = tracker.get_slot(WALKTHROUGH_STEP_SLOT)
    if not topic_name or step is None:
        return None
    topic = get_knowledge().topic(topic_name)
    return topic, min(max(int(step), 0), len(topic.items) - 1)


def _ask_which_walkthrough(dispatcher: CollectingDispatcher) -> None:
    dispatcher.utter_message(
        response="utter_which_walkthrough",
        buttons=topic_buttons("causes", "diagnosis", "treatment", "prevention"),
    )


class _WalkthroughMove(Action, ABC):
    """Shared by Next and Back: find where the person is, or ask which topic to go through."""

    @abstractmethod
    def move(self, dispatcher: CollectingDispatcher, topic: Topic, index: int) -> List[EventType]:
        """Shows the step this move leads to from `index`."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        position = _current_position(tracker)
        if position is None:
            _ask_which_walkthrough(dispatcher)
            return []
        topic, index = position
        return self.move(dispatcher, topic, index)


class ActionWalkthroughNext(_WalkthroughMove):
    """Moves the walk-through one item on ("next", "more")."""

    def name(self) -> str:
        return "action_walkthrough_next"

    def move(self, dispatcher: CollectingDispatcher, topic: Topic, index: int) -> List[EventType]:
        if index + 1 >= len(topic.items):
            dispatcher.utter_message(
                response="utter_walkthrough_last",
                buttons=[BACK, CHECK_SYMPTOMS, CONTACT_CLINIC, MENU],
                steps=len(topic.items),
                topic=topic.title.lower(),
            )
            return []
        return show_step(dispatcher, topic, index + 1)


class ActionWalkthroughPrevious(_WalkthroughMove):
    """Moves the walk-through one item back ("back", "previous")."""

    def name(self) -> str:
        return "action_walkthrough_previous"

    def move(self, dispatcher: CollectingDispatcher, topic: Topic, index: int) -> List[EventType]:
        if index == 0:
            dispatcher.utter_message(response="utter_walkthrough_first")
        return show_step(dispatcher, topic, max(index - 1, 0))
