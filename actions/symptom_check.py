"""The symptom check: red-flag screening and safety questions first, then the article's picture
of the condition, ending in a `triage_level` and next steps. It never says the person has it.

Which questions are asked, and what the answers lead to, is decided in actions/check_outcome.py;
the questions themselves are asked by actions/check_questions.py.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Tuple

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.buttons import CHECK_SYMPTOMS, CONTACT_CLINIC, MENU
from actions.check_answers import parse_age_group, parse_duration
from actions.check_outcome import (
    ALERT_LEVELS,
    LOCATION_NOT_LISTED,
    QUESTION_ORDER,
    YES_NO_QUESTIONS,
    Outcome,
    check_outcome,
    earlier_alert_level,
    most_serious,
    questions_to_ask,
)
from actions.conversation import latest_entity_values, latest_intent
from actions.screening_answers import YES, screening_answer
from actions.wording import bulleted
from core.clinic import get_clinic_settings
from core.knowledge import SymptomFeature, get_knowledge

FORM_SLOTS = QUESTION_ORDER
# Intents the form reads as an answer, or asks its question again after. Any other intent (a
# question, "stop", a red flag) is an interruption: nothing is extracted, so the form rejects
# the turn and the rules handle it. A red flag must always reach its rule this way.
INTENTS_READ_AS_ANSWERS = {
    "affirm",
    "deny",
    "not_sure",
    "inform",
    "describe_symptoms",
    "check_symptoms",
    "nlu_fallback",
    "out_of_scope",
    "greet",
    "thank",
}
# Intents of messages that may also answer questions not asked yet ("my groin hurts on stairs").
DESCRIBING_INTENTS = {"affirm", "deny", "inform", "describe_symptoms", "check_symptoms"}


def reset_symptom_check() -> List[EventType]:
    """Events that clear the check, so the next one starts afresh."""
    return [SlotSet(slot, None) for slot in FORM_SLOTS] + [SlotSet("requested_slot", None)]


def _feature(slot: str) -> Optional[SymptomFeature]:
    for feature in get_knowledge().symptom_features:
        if feature.slot == slot:
            return feature
    return None


def _text(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


Extraction = Dict[str, Any]


class ValidateSymptomCheckForm(FormValidationAction):
    """Reads the check's answers, skips what is already known or no longer needed, and asks
    again after a message that does not answer the question."""

    def name(self) -> str:
        return "validate_symptom_check_form"

    async def required_slots(
        self,
        domain_slots: List[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[str]:
        answers = {slot: tracker.slots.get(slot) for slot in FORM_SLOTS}
        return questions_to_ask(answers, earlier_alert_level(tracker.slots))

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if latest_intent(tracker) not in INTENTS_READ_AS_ANSWERS:
            return []
        extracted: Extraction = {}
        required = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        for slot in required:
            found = self._extract(slot, dispatcher, tracker)
            extracted.update(found)
            # Later questions see this answer (e.g. a known duration skips the onset question).
            tracker.slots.update(found)
        return [SlotSet(slot, value) for slot, value in extracted.items()]

    def _extract(self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> Extraction:
        if tracker.slots.get(slot) is not None:
            return {}
        readers: Dict[str, Callable[[CollectingDispatcher, Tracker], Extraction]] = {
            "age_group": self._age_group,
            "pain_location": self._pain_location,
            "pain_duration": self._pain_duration,
        }
        if slot in readers:
            return readers[slot](dispatcher, tracker)
        if slot in YES_NO_QUESTIONS:
            return self._yes_no(slot, dispatcher, tracker)
        return {}

    @staticmethod
    def _requested(tracker: Tracker, slot: str) -> bool:
        return tracker.slots.get("requested_slot") == slot

    def _yes_no(self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> Extraction:
        intent = latest_intent(tracker)
        if not self._requested(tracker, slot):
            feature = _feature(slot)
            mentioned = set(latest_entity_values(tracker, "activity"))
            if feature and intent in DESCRIBING_INTENTS:
                if mentioned & set(feature.implied_by_activities):
                    return {slot: YES}
            return {}
        answer = screening_answer(_text(tracker), intent)
        if answer:
            return {slot: answer}
        # Not an answer ("ok", "is it psoas or not, yes or no"): nothing is stored and the
        # form asks the same question again.
        dispatcher.utter_message(response="utter_please_answer_yes_or_no")
        return {slot: None}

    def _age_group(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> Extraction:
        known_groups = {group.name for group in get_knowledge().age_groups}
        pressed = set(latest_entity_values(tracker, "age_group")) & known_groups
        requested = self._requested(tracker, "age_group")
        if len(pressed) == 1:
            return {"age_group": pressed.pop()}
        if requested or latest_intent(tracker) in DESCRIBING_INTENTS:
            group = parse_age_group(_text(tracker), asked=requested)
            if group:
                return {"age_group": group}
        if requested:
            dispatcher.utter_message(response="utter_please_give_age")
            return {"age_group": None}
        return {}

    def _pain_location(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> Extraction:
        requested = self._requested(tracker, "pain_location")
        body_parts = latest_entity_values(tracker, "body_part")
        if body_parts and (requested or latest_intent(tracker) in DESCRIBING_INTENTS):
            return {"pain_location": body_parts}
        # "Somewhere else", or an answer naming no place the NLU knows: never self-care.
        if requested:
            return {"pain_location": [LOCATION_NOT_LISTED]}
        return {}

    def _pain_duration(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> Extraction:
        requested = self._requested(tracker, "pain_duration")
        if not requested and latest_intent(tracker) not in DESCRIBING_INTENTS:
            return {}
        duration = parse_duration(_text(tracker))
        if duration:
            return {"pain_duration": duration}
        if requested:
            dispatcher.utter_message(response="utter_please_give_duration")
            return {"pain_duration": None}
        return {}


def matching_features(slots: Dict[str, Any]) -> List[SymptomFeature]:
    """The article's features that the person's answers match."""
    matched = []
    for feature in get_knowledge().symptom_features:
        value = slots.get(feature.slot)
        values = value if isinstance(value, list) else [value]
        if any(answer in feature.matches_any for answer in values):
            matched.append(feature)
    return matched


def match_response(slots: Dict[str, Any]) -> Tuple[str, Dict[str, str]]:
    """What the answers have in common with the typical picture, in plain words; never a score
    and never a diagnosis: the response and its variables."""
    matched = matching_features(slots)
    if matched:
        features = bulleted([feature.summary for feature in matched])
        return "utter_check_matches_typical_features", {"features": features}
    return "utter_check_not_the_typical_picture", {}


def _with_emergency_number(text: str) -> str:
    # The content file names the emergency line as a placeholder; Rasa would not fill one in
    # a variable's value, so it is filled here.
    return text.replace("{emergency_number}", get_clinic_settings().emergency_number)


def reasons_text(outcome: Outcome) -> str:
    """The outcome's reasons from the content file, one line each."""
    knowledge = get_knowledge()
    lines = []
    for reason in outcome.reasons:
        lines.append(_with_emergency_number(knowledge.check_reasons[reason].text))
        if reason == "emergency_signs_unsure":
            # "Call at once if you notice any of them": the signs are listed again right here.
            lines.append(bulleted([item.text for item in knowledge.safety_screening["emergency"]]))
    return "\n".join(lines)


class ActionSummarizeSymptomCheck(Action):
    """Ends the check: emergency or same-day advice when the answers call for it, otherwise what
    the answers have in common with the condition, the next steps and what to watch for."""

    def name(self) -> str:
        return "action_summarize_symptom_check"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        answers = {slot: tracker.get_slot(slot) for slot in FORM_SLOTS}
        outcome = check_outcome(answers, earlier_alert_level(tracker.slots))
        knowledge = get_knowledge()
        events: List[EventType] = [SlotSet("triage_level", outcome.level)]
        if outcome.level in ALERT_LEVELS:
            dispatcher.utter_message(response=knowledge.escalation_responses[outcome.level])
            if outcome.reasons:
                dispatcher.utter_message(response="utter_content", content=reasons_text(outcome))
            dispatcher.utter_message(
                response="utter_check_stopped_for_help", buttons=[CONTACT_CLINIC, MENU]
            )
            # The session's highest alert, where the domain keeps one (the after-alert path).
            if "alert_level" in (domain.get("slots") or {}):
                highest = most_serious(outcome.level, tracker.get_slot("alert_level"))
                events.append(SlotSet("alert_level", highest))
        else:
            response, variables = match_response(answers)
            dispatcher.utter_message(response=response, **variables)
            next_steps = knowledge.next_steps[outcome.level].text
            advice = "\n".join(filter(None, [reasons_text(outcome), next_steps]))
            dispatcher.utter_message(
                response="utter_content",
                content=advice,
                buttons=[CONTACT_CLINIC, CHECK_SYMPTOMS, MENU],
            )
            if knowledge.watch_for:
                watch_for = _with_emergency_number(knowledge.watch_for.text)
                dispatcher.utter_message(response="utter_content", content=watch_for)
        return events + reset_symptom_check()


class ActionStopSymptomCheck(Action):
    """Leaves the check when the person says "stop", forgetting its answers."""

    def name(self) -> str:
        return "action_stop_symptom_check"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        dispatcher.utter_message(response="utter_stopped")
        return reset_symptom_check()
