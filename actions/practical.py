"""Practical questions patients ask: medicines, the clinic's details, "do I have it?", keeping
active, how long it takes and how serious it is.

Medical wording comes from the content file and the clinic's details from its settings. None of
these answers gives a dose, a diagnosis or an all-clear: each says what is known in general and
who can answer for this patient.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Dict, List, Optional, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.buttons import CHECK_SYMPTOMS, CONTACT_CLINIC, MENU, WHEN_TO_GET_HELP, topic_buttons
from actions.conversation import latest_intent
from core.clinic import ClinicSettings, get_clinic_settings
from core.knowledge import get_knowledge

EXERCISES = topic_buttons("exercises")[0]
NSAID_CAUTION_ITEM = "treatment_anti_inflammatory"

# The clinic details a question can ask for: words that ask for it, and how to say it.
ClinicDetail = Tuple[str, "re.Pattern[str]", Callable[[ClinicSettings], Optional[str]]]
CLINIC_DETAILS: Tuple[ClinicDetail, ...] = (
    (
        "address",
        re.compile(
            r"\b(where|address|located|location|find you|directions|get (?:to you|there)|"
            r"post ?code|zip)\b"
        ),
        lambda clinic: clinic.address and f"📍 Address: {clinic.address}",
    ),
    (
        "opening hours",
        re.compile(
            r"\b(open|opening|hours|close|closed|closing|weekends?|saturdays?|sundays?|"
            r"evenings?|mornings?|afternoons?|late)\b"
        ),
        lambda clinic: clinic.opening_hours and f"🕘 Opening hours: {clinic.opening_hours}",
    ),
    (
        "prices",
        re.compile(r"\b(price|prices|pricing|cost|costs|fees?|charges?|how much|pay|afford)\b"),
        lambda clinic: clinic.prices and f"💷 Prices: {clinic.prices}",
    ),
    (
        "insurance",
        re.compile(r"\b(insurance|insured|insurer|cover|covered|medicare|medicaid|bupa|axa)\b"),
        lambda clinic: clinic.insurance and f"🧾 Insurance: {clinic.insurance}",
    ),
    (
        "parking",
        re.compile(r"\b(park|parking|car park|parking lot|drive there)\b"),
        lambda clinic: clinic.parking and f"🅿️ Parking: {clinic.parking}",
    ),
    (
        "phone number",
        re.compile(r"\b(phone|number|call|ring|telephone)\b"),
        lambda clinic: clinic.phone and f"📞 Phone: {clinic.phone}",
    ),
    (
        "email address",
        re.compile(r"\b(e-?mail|mail)\b"),
        lambda clinic: clinic.email and f"✉️ Email: {clinic.email}",
    ),
)


def clinic_details_message(question: str, clinic: ClinicSettings) -> str:
    """The details this question asks for (all configured ones if it names none); a detail that
    is not configured is said to be unknown here, with the ways to reach the clinic."""
    question = question.lower()
    asked = [detail for detail in CLINIC_DETAILS if detail[1].search(question)]
    lines: List[str] = []
    missing: List[str] = []
    for name, _, line_of in asked or CLINIC_DETAILS:
        line = line_of(clinic)
        if line:
            lines.append(line)
        elif asked:
            missing.append(name)
    if clinic.booking_url and not asked:
        lines.append(f"📅 Book online: {clinic.booking_url}")
    if missing:
        lines.append(
            f"I don't have {clinic.name}'s {' or '.join(missing)} here. "
            "You can ask the clinic directly:"
        )
        lines += [line for line in clinic.contact_lines() if line not in lines]
    if not lines:
        lines = clinic.contact_lines()
    return "\n".join([f"{clinic.name_to_start_a_sentence}:"] + lines)


def _topic_text(topic_name: str) -> str:
    return get_knowledge().topic(topic_name).paragraphs()


def _answer_medication(dispatcher: CollectingDispatcher, clinic: ClinicSettings) -> None:
    knowledge = get_knowledge()
    treatment = knowledge.topic("treatment")
    caution = treatment.items[treatment.item_index(NSAID_CAUTION_ITEM)].text
    dispatcher.utter_message(text=_topic_text("medication"))
    dispatcher.utter_message(text=caution, buttons=[CONTACT_CLINIC, MENU])


def _answer_do_i_have_it(dispatcher: CollectingDispatcher, clinic: ClinicSettings) -> None:
    dispatcher.utter_message(text=_topic_text("do_i_have_it"))
    dispatcher.utter_message(
        text="What I can do: a short symptom check that compares what you feel with the usual "
        f"picture and says what kind of care fits. Or you can book with {clinic.name}.",
        buttons=[CHECK_SYMPTOMS, CONTACT_CLINIC, MENU],
    )


def _answer_activity(dispatcher: CollectingDispatcher, clinic: ClinicSettings) -> None:
    dispatcher.utter_message(
        text=_topic_text("activity_advice"),
        buttons=[EXERCISES, CONTACT_CLINIC, MENU],
    )


def _answer_recovery(dispatcher: CollectingDispatcher, clinic: ClinicSettings) -> None:
    dispatcher.utter_message(
        text=_topic_text("recovery"),
        buttons=[CHECK_SYMPTOMS, CONTACT_CLINIC, MENU],
    )


def _answer_seriousness(dispatcher: CollectingDispatcher, clinic: ClinicSettings) -> None:
    watch_for = get_knowledge().watch_for
    dispatcher.utter_message(text=_topic_text("seriousness"))
    if watch_for:
        dispatcher.utter_message(
            text=watch_for.text.format(emergency_number=clinic.emergency_number),
            buttons=[CHECK_SYMPTOMS, WHEN_TO_GET_HELP, MENU],
        )


def _answer_clinic_info(
    dispatcher: CollectingDispatcher, clinic: ClinicSettings, question: str
) -> None:
    dispatcher.utter_message(
        text=clinic_details_message(question, clinic)
        + f"\nIn an emergency, call {clinic.emergency_number}.",
        buttons=[MENU],
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
            _answer_clinic_info(dispatcher, clinic, tracker.latest_message.get("text") or "")
        elif intent in ANSWER_OF_INTENT:
            ANSWER_OF_INTENT[intent](dispatcher, clinic)
        else:
            dispatcher.utter_message(response="utter_menu")
        return []
