"""Answers to topic questions, and the guided walk-through of causes, diagnosis, treatment and
prevention one item at a time ("2 of 5"), with its place kept in slots."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

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


def bulleted(lines: List[str]) -> str:
    """Lines as a bulleted list."""
    return "\n".join(f"• {line}" for line in lines)


def walkthrough_card(topic: Topic, index: int) -> Dict[str, Any]:
    """The message for one walk-through step: "Causes 2 of 5", the item, and where to go next."""
    item = topic.items[index]
    total = len(topic.items)
    buttons: List[Button] = []
    if index > 0:
        buttons.append(BACK)
    if index < total - 1:
        buttons.append(NEXT)
    buttons.append(MENU)
    heading = f"{topic.title}, {index + 1} of {total}: {item.title}"
    return {"text": f"{heading}\n{item.text}", "buttons": buttons}


def show_step(dispatcher: CollectingDispatcher, topic: Topic, index: int) -> List[EventType]:
    """Sends one walk-through step and records where the person is."""
    dispatcher.utter_message(**walkthrough_card(topic, index))
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


def _answer_overview(dispatcher: CollectingDispatcher, topic: Topic) -> None:
    text = topic.paragraphs()
    buttons = topic_buttons("symptoms", "causes", "treatment") + [CHECK_SYMPTOMS]
    dispatcher.utter_message(text=text, buttons=buttons)


def _answer_anatomy(dispatcher: CollectingDispatcher, topic: Topic) -> None:
    dispatcher.utter_message(
        text=topic.paragraphs(), buttons=topic_buttons("causes", "symptoms") + [MENU]
    )


def _answer_symptoms(dispatcher: CollectingDispatcher, topic: Topic) -> None:
    # The caveat that symptoms mislead goes in its own message, after the list.
    referred = topic.items[topic.item_index(REFERRED_PAIN_ITEM)]
    typical = [item for item in topic.items if item is not referred]
    dispatcher.utter_message(
        text="Signs described in iliopsoas muscle syndrome:\n"
        + bulleted([item.text for item in typical])
    )
    dispatcher.utter_message(text=referred.text, buttons=[CHECK_SYMPTOMS, WHEN_TO_GET_HELP, MENU])


def _answer_when_to_seek_help(dispatcher: CollectingDispatcher, topic: Topic) -> None:
    clinic = get_clinic_settings()
    dispatcher.utter_message(text=topic.paragraphs())
    dispatcher.utter_message(
        text=f"Call {clinic.emergency_number} or go to an emergency department now if you have:\n"
        + bulleted(red_flag_lines("emergency"))
    )
    dispatcher.utter_message(
        text="Get seen by a doctor the same day if you have:\n" + bulleted(red_flag_lines("urgent"))
    )
    dispatcher.utter_message(text="\n".join(clinic.contact_lines()), buttons=[CHECK_SYMPTOMS, MENU])


def _answer_walkthrough(
    dispatcher: CollectingDispatcher, topic: Topic, tracker: Tracker
) -> List[EventType]:
    index = item_named_by_entities(topic, tracker)
    position = _current_position(tracker)
    if index is None and position and position[0].name == topic.name:
        # Asked again in the middle of it: go on from where the person was, not from the start.
        current = position[1]
        if current + 1 < len(topic.items):
            dispatcher.utter_message(text=f"Going on with {topic.title.lower()}:")
            return show_step(dispatcher, topic, current + 1)
    if topic.intro:
        dispatcher.utter_message(text=topic.intro.text)
    if index is None:
        if topic.name == "causes":
            dispatcher.utter_message(text=get_knowledge().topic("who_gets_it").items[0].text)
        titles = ", ".join(item.title.lower() for item in topic.items)
        dispatcher.utter_message(
            text=f"Here are the {len(topic.items)} points one at a time ({titles}). "
            'Press Next or type "next" to go on.'
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
        answer(dispatcher, topic)
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
        text="Which topic would you like to go through step by step?",
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
                text=f"That was the last of the {len(topic.items)} points on "
                f"{topic.title.lower()}. What next?",
                buttons=[BACK, CHECK_SYMPTOMS, CONTACT_CLINIC, MENU],
            )
            return []
        return show_step(dispatcher, topic, index + 1)


class ActionWalkthroughPrevious(_WalkthroughMove):
    """Moves the walk-through one item back ("back", "previous")."""

    def name(self) -> str:
        return "action_walkthrough_previous"

    def move(self, dispatcher: CollectingDispatcher, topic: Topic, index: int) -> List[EventType]:
        if index == 0:
            dispatcher.utter_message(text="This is the first one.")
        return show_step(dispatcher, topic, max(index - 1, 0))
