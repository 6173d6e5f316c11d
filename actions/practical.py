"""Practical questions patients ask: medicines, the clinic's details, "do I have it?", keeping
active, how long it takes and how serious it is.

Medical wording comes from the content file and the clinic's details from its settings. None of
these answers gives a dose, a diagnosis or an all-clear: each says what is known in general and
who can answer for this patient.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Dict, List, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.buttons import CHECK_SYMPTOMS, CONTACT_CLINIC, MENU, WHEN_TO_GET_HELP, topic_buttons
from actions.conversation import latest_intent
from actions.wording import clinic_variables, contact_lines, phrase
from core.clinic import ClinicSettings, get_clinic_settings
from core.knowledge import get_knowledge

EXERCISES = topic_buttons("exercises")[0]
NSAID_CAUTION_ITEM = "treatment_anti_inflammatory"

# The clinic details a question can ask for: its name in "I don't have the clinic's ... here",
# words that ask for it, the setting that holds it and the domain response that says it.
ClinicDetail = Tuple[str, "re.Pattern[str]", str, str]
CLINIC_DETAILS: Tuple[ClinicDetail, ...] = (
    (
        "address",
        re.compile(
            r"\b(where|address|located|location|find you|directions|get (?:to you|there)|"
            r"post ?code|zip)\b"
        ),
        "address",
        "utter_part_clinic_address",
    ),
    (
        "opening hours",
        re.compile(
            r"\b(open|opening|hours|close|closed|closing|weekends?|saturdays?|sundays?|"
            r"evenings?|mornings?|afternoons?|late)\b"
        ),
        "opening_hours",
        "utter_part_contact_opening_hours",
    ),
    (
        "prices",
        re.compile(r"\b(price|prices|pricing|cost|costs|fees?|charges?|how much|pay|afford)\b"),
        "prices",
        "utter_part_clinic_prices",
    ),
    (
        "insurance",
        re.compile(r"\b(insurance|insured|insurer|cover|covered|medicare|medicaid|bupa|axa)\b"),
        "insurance",
        "utter_part_clinic_insurance",
    ),
    (
        "parking",
        re.compile(r"\b(park|parking|car park|parking lot|drive there)\b"),
        "parking",
        "utter_part_clinic_parking",
    ),
    (
        "phone number",
        re.compile(r"\b(phone|number|call|ring|telephone)\b"),
        "phone",
        "utter_part_clinic_phone",
    ),
    (
        "email address",
        re.compile(r"\b(e-?mail|mail)\b"),
        "email",
        "utter_part_contact_email",
    ),
)


def clinic_details(domain: DomainDict, question: str, clinic: ClinicSettings) -> str:
    """The lines of the details this question asks for (all configured ones if it names none);
    a detail that is not configured is said to be unknown here, with the ways to reach the
    clinic."""
    question = question.lower()
    asked = [detail for detail in CLINIC_DETAILS if detail[1].search(question)]
    lines: List[str] = []
    missing: List[str] = []
    for name, _, setting, response in asked or CLINIC_DETAILS:
        value = getattr(clinic, setting)
        if value:
            lines.append(phrase(domain, response, **{setting: value}))
        elif asked:
            missing.append(name)
    if clinic.booking_url and not asked:
        lines.append(phrase(domain, "utter_part_contact_booking", booking_url=clinic.booking_url))
    if missing:
        lines.append(
            phrase(
                domain,
                "utter_part_clinic_details_unknown",
                clinic_name=clinic.name,
                details=" or ".join(missing),
            )
        )
        lines += [line for line in contact_lines(domain, clinic) if line not in lines]
    if not lines:
        lines = contact_lines(domain, clinic)
    return "\n".join(lines)


def _say_topic(dispatcher: CollectingDispatcher, topic_name: str, **extra: Any) -> None:
    # The content file's text as it is written there.
    text = get_knowledge().topic(topic_name).paragraphs()
    dispatcher.utter_message(response="utter_content", content=text, **extra)


def _answer_medication(dispatcher: CollectingDispatcher, clinic: ClinicSettings) -> None:
    knowledge = get_knowledge()
    treatment = knowledge.topic("treatment")
    caution = treatment.items[treatment.item_index(NSAID_CAUTION_ITEM)].text
    _say_topic(dispatcher, "medication")
    dispatcher.utter_message(
        response="utter_content", content=caution, buttons=[CONTACT_CLINIC, MENU]
    )


def _answer_do_i_have_it(dispatcher: CollectingDispatcher, clinic: ClinicSettings) -> None:
    _say_topic(dispatcher, "do_i_have_it")
    dispatcher.utter_message(
        response="utter_do_i_have_it_what_i_can_do",
        buttons=[CHECK_SYMPTOMS, CONTACT_CLINIC, MENU],
        clinic_name=clinic.name,
    )


def _answer_activity(dispatcher: CollectingDispatcher, clinic: ClinicSettings) -> None:
    _say_topic(dispatcher, "activity_advice", buttons=[EXERCISES, CONTACT_CLINIC, MENU])


def _answer_recovery(dispatcher: CollectingDispatcher, clinic: ClinicSettings) -> None:
    _say_topic(dispatcher, "recovery", buttons=[CHECK_SYMPTOMS, CONTACT_CLINIC, MENU])


def _answer_seriousness(dispatcher: CollectingDispatcher, clinic: ClinicSettings) -> None:
    watch_for = get_knowledge().watch_for
    _say_topic(dispatcher, "seriousness")
    if watch_for:
        # The content file names the emergency line as a placeholder; Rasa would not fill one
        # in a variable's value, so it is filled here.
        dispatcher.utter_message(
            response="utter_content",
            content=watch_for.text.format(emergency_number=clinic.emergency_number),
            buttons=[CHECK_SYMPTOMS, WHEN_TO_GET_HELP, MENU],
        )


def _answer_clinic_info(
    dispatcher: CollectingDispatcher, clinic: ClinicSettings, question: str, domain: DomainDict
) -> None:
    dispatcher.utter_message(
        response="utter_clinic_details",
        buttons=[MENU],
        details=clinic_details(domain, question, clinic),
        **clinic_variables(clinic),
    )


ANSWER_OF_INTENT: Dict[str, Callable[[CollectingDispatcher, ClinicSettings], None]] = {
    "ask_medication": _answer_medication,
    "ask_do_i_have_it": _answer_do_i_have_it,
    "ask_activity_advice": _answer_activity,
    "ask_recovery_time": _answer_recovery,
    "ask_seriousness": _answer_seriousness,
}
PRACTICAL_INTENTS = frozenset(ANSWER_OF_INTENT) | {"ask_clinic_info"}


class ActionAnswerPractical(Action):
    """Answers the practical questions (PRACTICAL_INTENTS)."""

    def name(self) -> str:
        return "action_answer_practical"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        clinic = get_clinic_settings()
        intent = latest_intent(tracker) or ""
        if intent == "ask_clinic_info":
            question = tracker.latest_message.get("text") or ""
            _answer_clinic_info(dispatcher, clinic, question, domain)
        elif intent in ANSWER_OF_INTENT:
            ANSWER_OF_INTENT[intent](dispatcher, clinic)
        else:
            dispatcher.utter_message(response="utter_menu")
        return []
