"""The symptom check: red-flag screening first, then the article's picture of the condition,
ending in a summary, a `triage_level` and next steps. It never says the person has it."""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.buttons import CHECK_SYMPTOMS, CONTACT_CLINIC, MENU, button
from actions.conversation import latest_entity_values, latest_intent
from actions.knowledge import SymptomFeature, get_knowledge

FORM_SLOTS = (
    "emergency_signs",
    "urgent_signs",
    "pain_location",
    "pain_on_rising_or_stairs",
    "hip_clicking",
    "sitting_or_sport",
    "pain_duration",
    "rest_or_stretching_helped",
)
# Intents that answer the question asked; anything else (a question, "stop", a red flag) is an
# interruption that the form leaves to the rules.
ANSWER_INTENTS = {"affirm", "deny", "inform", "describe_symptoms"}
LOCATION_NOT_LISTED = "somewhere else"
SCREENING_LEVEL = {"emergency_signs": "emergency", "urgent_signs": "urgent"}
SCREENING_BUTTONS = [button("Yes", "/affirm"), button("No, none of these", "/deny")]

_MONTHS = re.compile(r"\b(months?|years?|yrs?|ages|long time|forever|since last year)\b", re.I)
_WEEKS = re.compile(r"\b(weeks?|wks?|fortnight|a month|one month|1 month)\b", re.I)
_DAYS = re.compile(
    r"\b(days?|today|yesterday|last night|this morning|"
    r"since (mon|tues|wednes|thurs|fri|satur|sun)day)\b",
    re.I,
)
_NUMBER_AND_UNIT = re.compile(r"\b(\d+)\s*(day|week|month|year)s?\b", re.I)


def reset_symptom_check() -> List[EventType]:
    """Events that clear the check, so the next one starts afresh."""
    return [SlotSet(slot, None) for slot in FORM_SLOTS] + [SlotSet("requested_slot", None)]


def parse_duration(text: str) -> Optional[str]:
    """How long the pain has lasted, as days, weeks or months; None if the text does not say."""
    exact = _NUMBER_AND_UNIT.search(text)
    if exact:
        number, unit = int(exact.group(1)), exact.group(2).lower()
        days = number * {"day": 1, "week": 7, "month": 30, "year": 365}[unit]
        return "days" if days < 7 else "weeks" if days < 60 else "months"
    for pattern, duration in ((_MONTHS, "months"), (_WEEKS, "weeks"), (_DAYS, "days")):
        if pattern.search(text):
            if duration == "months" and re.search(r"\b(a|one|1) month\b", text, re.I):
                return "weeks"
            return duration
    return None


def _feature(slot: str) -> Optional[SymptomFeature]:
    for feature in get_knowledge().symptom_features:
        if feature.slot == slot:
            return feature
    return None


class ValidateSymptomCheckForm(FormValidationAction):
    """Extracts the check's answers, skips what is already known and stops at a red flag."""

    def name(self) -> str:
        return "validate_symptom_check_form"

    async def required_slots(
        self,
        domain_slots: List[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[str]:
        # A "yes" to a screening question ends the check at once: the summary escalates.
        for index, slot in enumerate(SCREENING_LEVEL):
            if tracker.slots.get(slot):
                return list(SCREENING_LEVEL)[: index + 1]
        return domain_slots

    def _yes_no(
        self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> Dict[str, Any]:
        if tracker.slots.get(slot) is not None:
            return {}
        intent = latest_intent(tracker)
        feature = _feature(slot)
        if feature and intent in ANSWER_INTENTS | {"check_symptoms"}:
            mentioned = set(latest_entity_values(tracker, "activity"))
            if mentioned & set(feature.implied_by_activities):
                return {slot: True}
        if tracker.slots.get("requested_slot") != slot:
            return {}
        if intent == "affirm":
            return {slot: True}
        if intent == "deny":
            return {slot: False}
        if intent in ANSWER_INTENTS | {"nlu_fallback"}:
            dispatcher.utter_message(response="utter_please_answer_yes_or_no")
            return {slot: None}
        return {}

    async def extract_emergency_signs(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        return self._yes_no("emergency_signs", dispatcher, tracker)

    async def extract_urgent_signs(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        return self._yes_no("urgent_signs", dispatcher, tracker)

    async def extract_pain_on_rising_or_stairs(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        return self._yes_no("pain_on_rising_or_stairs", dispatcher, tracker)

    async def extract_hip_clicking(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        return self._yes_no("hip_clicking", dispatcher, tracker)

    async def extract_sitting_or_sport(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        return self._yes_no("sitting_or_sport", dispatcher, tracker)

    async def extract_rest_or_stretching_helped(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        return self._yes_no("rest_or_stretching_helped", dispatcher, tracker)

    async def extract_pain_location(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        if tracker.slots.get("pain_location") is not None:
            return {}
        intent = latest_intent(tracker)
        body_parts = latest_entity_values(tracker, "body_part")
        if body_parts and intent in ANSWER_INTENTS | {"check_symptoms"}:
            return {"pain_location": body_parts}
        requested = tracker.slots.get("requested_slot") == "pain_location"
        if requested and intent in ANSWER_INTENTS | {"nlu_fallback"}:
            return {"pain_location": [LOCATION_NOT_LISTED]}
        return {}

    async def extract_pain_duration(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        if tracker.slots.get("pain_duration") is not None:
            return {}
        intent = latest_intent(tracker)
        requested = tracker.slots.get("requested_slot") == "pain_duration"
        if intent not in ANSWER_INTENTS | {"check_symptoms", "nlu_fallback"}:
            return {}
        duration = parse_duration((tracker.latest_message or {}).get("text") or "")
        if duration:
            return {"pain_duration": duration}
        if requested and intent != "nlu_fallback":
            dispatcher.utter_message(response="utter_please_give_duration")
            return {"pain_duration": None}
        return {}


def _screening_question(level: str) -> str:
    labels = [flag.label for flag in get_knowledge().red_flags_at(level)]
    listed = "\n".join(f"• {label}" for label in labels)
    if level == "emergency":
        return f"First, safety. Do you have any of these right now?\n{listed}"
    return f"And do you have any of these?\n{listed}"


class ActionAskEmergencySigns(Action):
    """Asks the emergency screening question, listing the signs from the content file."""

    def name(self) -> str:
        return "action_ask_emergency_signs"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        text = _screening_question("emergency")
        dispatcher.utter_message(text=text, buttons=SCREENING_BUTTONS)
        return []


class ActionAskUrgentSigns(Action):
    """Asks the same-day screening question, listing the signs from the content file."""

    def name(self) -> str:
        return "action_ask_urgent_signs"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        text = _screening_question("urgent")
        dispatcher.utter_message(text=text, buttons=SCREENING_BUTTONS)
        return []


def matching_features(slots: Dict[str, Any]) -> List[SymptomFeature]:
    """The article's features that the person's answers match."""
    matched = []
    for feature in get_knowledge().symptom_features:
        value = slots.get(feature.slot)
        values = value if isinstance(value, list) else [value]
        if any(answer in feature.matches_any for answer in values):
            matched.append(feature)
    return matched


def triage_after_check(slots: Dict[str, Any]) -> str:
    """The triage level a finished check leads to."""
    for slot, level in SCREENING_LEVEL.items():
        if slots.get(slot):
            return level
    persistent = slots.get("pain_duration") in get_knowledge().persistent_durations
    if persistent or slots.get("rest_or_stretching_helped") is False:
        return "consultation"
    return "self_care"


class ActionSummarizeSymptomCheck(Action):
    """Ends the check: escalation after a screening "yes", otherwise a summary and next steps."""

    def name(self) -> str:
        return "action_summarize_symptom_check"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        slots = {slot: tracker.get_slot(slot) for slot in FORM_SLOTS}
        level = triage_after_check(slots)
        if level in SCREENING_LEVEL.values():
            dispatcher.utter_message(response=get_knowledge().escalation_responses[level])
            dispatcher.utter_message(
                text="I've stopped the symptom check so you can get help first.",
                buttons=[CONTACT_CLINIC, MENU],
            )
            return [SlotSet("triage_level", level), *reset_symptom_check()]
        matched = matching_features(slots)
        total = len(get_knowledge().symptom_features)
        if matched:
            listed = "\n".join(f"• {feature.summary}" for feature in matched)
            summary = (
                f"{len(matched)} of {total} things you told me match how the article describes "
                f"iliopsoas muscle syndrome:\n{listed}"
            )
        else:
            summary = (
                f"None of the {total} typical features I asked about matched what you told me."
            )
        dispatcher.utter_message(
            text=summary + "\nThis is not a diagnosis: other conditions can cause the same pain, "
            "and only a clinician who examines you can say what it is."
        )
        dispatcher.utter_message(
            text=get_knowledge().next_steps[level].text,
            buttons=[CONTACT_CLINIC, CHECK_SYMPTOMS, MENU],
        )
        return [SlotSet("triage_level", level), *reset_symptom_check()]


class ActionStopSymptomCheck(Action):
    """Leaves the check when the person says "stop", forgetting its answers."""

    def name(self) -> str:
        return "action_stop_symptom_check"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        dispatcher.utter_message(response="utter_stopped")
        return reset_symptom_check()
