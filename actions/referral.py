"""The referral: with the patient's explicit consent, hand them over to the clinic with a summary
of the conversation, and give them a copy.

`referral_form` asks for consent first (after saying what will be shared and with whom), then
a name, a phone number or email address, and a preferred time. "stop", "no" or "help" at any
step cancels it and nothing is kept for the clinic (data/rules/referral.yml); a red flag at any
step is escalated first and the referral is then marked urgent. The patient is told the clinic
will be in touch only once the referral is stored in the outbox (`referrals.service`).
"""

from __future__ import annotations

import re
import time
from datetime import datetime, timezone
from typing import Any, Dict, Iterable, List, Optional, Tuple

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.buttons import MENU, button
from actions.check_outcome import ALERT_LEVELS, LEVELS, most_serious
from actions.conversation import latest_intent
from actions.wording import clinic_variables, contact_lines, phrase
from core.clinic import ClinicSettings, get_clinic_settings
from core.knowledge import get_knowledge
from core.names import ALERT_LEVEL_SLOT, REFERRAL_FORM, REFERRAL_SLOTS, TRIAGE_LEVEL_SLOT
from referrals import service
from referrals.contact_details import find_contact_details, read_name, read_preferred_time
from referrals.summary import QUESTIONS, Contact, ReferralSummary, patient_copy

YES_SHARE = button("Yes, share it", "/affirm")
NO_SHARE = button("No, don't share", "/deny")
# Messages that are never read as an answer: the form rejects the turn and a rule acts on
# them (cancel, escalate, answer a privacy question, confirm a deletion).
NOT_ANSWERS = {
    "stop",
    "deny",
    "help",
    "report_red_flag",
    "possible_red_flag",
    "delete_my_data",
    "confirm_delete_my_data",
    "ask_privacy",
}
CALLBACK = re.compile(r"\b(call|ring|phone|contact)\w*\b.{0,20}\b(me|back)\b", re.IGNORECASE)
PERSON = re.compile(
    r"\b(person|human|someone|somebody|receptionist|reception|staff|real|talk|speak)\b",
    re.IGNORECASE,
)


def _latest_user_event(tracker: Tracker, intent: str) -> Optional[Dict[str, Any]]:
    for event in reversed(tracker.events):
        if (
            event.get("event") == "user"
            and (event.get("parse_data") or {}).get("intent", {}).get("name") == intent
        ):
            return event
    return None


def _user_events(tracker: Tracker) -> Iterable[Dict[str, Any]]:
    return (event for event in tracker.events if event.get("event") == "user")


def _entity_values(tracker: Tracker, entity: str) -> List[str]:
    values: List[str] = []
    for event in _user_events(tracker):
        for found in (event.get("parse_data") or {}).get("entities") or []:
            value = found.get("value")
            if found.get("entity") == entity and isinstance(value, str) and value not in values:
                values.append(value)
    return values


def _bot_actions(tracker: Tracker) -> List[str]:
    return [
        event.get("name")
        for event in tracker.events
        if event.get("event") == "action" and event.get("name") != "action_listen"
    ]


def _request_that_started_the_referral(tracker: Tracker) -> Optional[Dict[str, Any]]:
    """The patient's message the referral form was started after (later answers, e.g. "weekday
    mornings", can look like booking requests too)."""
    latest_user: Optional[Dict[str, Any]] = None
    request: Optional[Dict[str, Any]] = None
    for event in tracker.events:
        if event.get("event") == "user":
            latest_user = event
        elif event.get("event") == "active_loop" and event.get("name") == REFERRAL_FORM:
            request = latest_user
    return request or _latest_user_event(tracker, "request_appointment")


def referral_reason(tracker: Tracker) -> str:
    """Why the patient is being handed over: what they typed, else where the offer was made."""
    request = _request_that_started_the_referral(tracker)
    text = (request or {}).get("text") or ""
    if text and not text.startswith("/"):
        if CALLBACK.search(text):
            return "callback"
        if PERSON.search(text):
            return "person"
        return "appointment"
    if tracker.get_slot(ALERT_LEVEL_SLOT) in ALERT_LEVELS:
        return "after_alert"
    if "action_summarize_symptom_check" in _bot_actions(tracker):
        return "after_symptom_check"
    return "appointment"


def screening_answers(tracker: Tracker) -> Dict[str, Any]:
    """Each symptom-check answer given this session: the latest value set for its slot (an
    alert clears the check's slots, but what the patient answered still goes to the clinic)."""
    asked = {question.link_id for question in QUESTIONS}
    answers: Dict[str, Any] = {}
    for event in tracker.events:
        if event.get("event") == "slot" and event.get("name") in asked:
            if event.get("value") is not None:
                answers[event["name"]] = event["value"]
    return answers


def recognised_red_flags(tracker: Tracker) -> Tuple[str, ...]:
    """The warning signs recognised in this conversation, in the content file's words."""
    knowledge = get_knowledge()
    known = {flag.id: flag.label for flag in knowledge.red_flags}
    named = _entity_values(tracker, "red_flag") + list(tracker.get_slot("red_flag") or [])
    return tuple(dict.fromkeys(known[flag] for flag in named if flag in known))


def topics_read(tracker: Tracker) -> Tuple[str, ...]:
    """The content topics the patient asked about, by their titles."""
    knowledge = get_knowledge()
    titles: List[str] = []
    for event in _user_events(tracker):
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name") or ""
        name = intent.removeprefix("ask_")
        if intent.startswith("ask_") and name in knowledge.topics:
            title = knowledge.topic(name).title
            if title not in titles:
                titles.append(title)
    return tuple(titles)


def advice_given(level: Optional[str], clinic: ClinicSettings, domain: DomainDict) -> Optional[str]:
    """The advice that goes with the level of care, in the words the patient was given it: the
    escalation's domain response for an alert, the content file's next steps otherwise."""
    knowledge = get_knowledge()
    if level in knowledge.escalation_responses:
        response = knowledge.escalation_responses[level]
        return phrase(domain, response, emergency_number=clinic.emergency_number)
    next_steps = knowledge.next_steps.get(level or "")
    return next_steps.text if next_steps else None


def _iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).isoformat(timespec="seconds")


def build_summary(
    tracker: Tracker, domain: DomainDict, now: Optional[float] = None
) -> ReferralSummary:
    """The clinician summary of this conversation and the details the patient gave."""
    clinic = get_clinic_settings()
    alert = tracker.get_slot(ALERT_LEVEL_SLOT)
    # The most serious level of care advised this session: an alert never drops.
    advised = [level for level in (tracker.get_slot(TRIAGE_LEVEL_SLOT), alert) if level in LEVELS]
    level = most_serious(*advised) if advised else None
    # The contact slot holds the checked number and address ("phone / email"), read back here.
    details = find_contact_details(tracker.get_slot("referral_contact") or "", clinic.phone_region)
    stamps = [event.get("timestamp") for event in tracker.events if event.get("timestamp")]
    started = min(stamps) if stamps else (now or time.time())
    return ReferralSummary(
        sender_id=tracker.sender_id,
        reason=referral_reason(tracker),
        contact=Contact(
            name=tracker.get_slot("referral_name") or "",
            phone=details.phone,
            email=details.email,
            preferred_time=tracker.get_slot("referral_time") or "",
        ),
        conversation_started_at=_iso(started),
        referred_at=_iso(now or time.time()),
        triage_level=level,
        urgent=_is_urgent(tracker),
        red_flags=recognised_red_flags(tracker),
        advice=advice_given(level, clinic, domain),
        answers=screening_answers(tracker),
        topics_read=topics_read(tracker),
        body_parts=tuple(_entity_values(tracker, "body_part")),
    )


def clear_referral() -> List[EventType]:
    """Events that forget every detail typed for the referral."""
    return [SlotSet(slot, None) for slot in REFERRAL_SLOTS] + [SlotSet("requested_slot", None)]


def _is_urgent(tracker: Tracker) -> bool:
    """An alert was given, or the symptom check advised same-day or emergency care."""
    levels = (tracker.get_slot(ALERT_LEVEL_SLOT), tracker.get_slot(TRIAGE_LEVEL_SLOT))
    return any(level in ALERT_LEVELS for level in levels)


class ActionAskReferralConsent(Action):
    """Says what a referral shares and with whom, and asks for consent (yes / no)."""

    def name(self) -> str:
        return "action_ask_referral_consent"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        clinic = get_clinic_settings()
        response = (
            "utter_ask_referral_consent_urgent"
            if _is_urgent(tracker)
            else "utter_ask_referral_consent"
        )
        dispatcher.utter_message(
            response=response, buttons=[YES_SHARE, NO_SHARE], **clinic_variables(clinic)
        )
        return []


class ActionAskReferralContact(Action):
    """Asks for a phone number or an email address."""

    def name(self) -> str:
        return "action_ask_referral_contact"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(
            response="utter_ask_referral_contact",
            name=tracker.get_slot("referral_name") or "",
        )
        return []


class ValidateReferralForm(FormValidationAction):
    """Reads consent, name, phone or email and preferred time from the patient's own words;
    asks again, saying why, when an answer cannot be used."""

    def name(self) -> str:
        return "validate_referral_form"

    async def required_slots(
        self,
        domain_slots: List[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[str]:
        # No way for staff to receive a referral: nothing is asked (the contact details were
        # given just before), and action_submit_referral finds no consent.
        if not service.referrals_available():
            return []
        return domain_slots

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        intent = latest_intent(tracker)
        requested = tracker.get_slot("requested_slot")
        if intent in NOT_ANSWERS or requested not in REFERRAL_SLOTS:
            return []
        # "Can I come Thursday?" is answered by the rules (no appointment times here), except
        # as the answer to "when is a good time?".
        if intent == "request_appointment" and requested != "referral_time":
            return []
        text = ((tracker.latest_message or {}).get("text") or "").strip()
        if requested == "referral_consent":
            if intent == "affirm":
                return [SlotSet("referral_consent", True)]
            dispatcher.utter_message(response="utter_referral_consent_yes_or_no")
            return [SlotSet("referral_consent", None)]
        if requested == "referral_name":
            name = read_name(text)
            if name is None:
                dispatcher.utter_message(response="utter_referral_name_not_understood")
            return [SlotSet("referral_name", name)]
        if requested == "referral_contact":
            details = find_contact_details(text, get_clinic_settings().phone_region)
            if not details.found:
                dispatcher.utter_message(response="utter_referral_contact_not_understood")
                return [SlotSet("referral_contact", None)]
            shown = " / ".join(way for way in (details.phone, details.email) if way)
            return [SlotSet("referral_contact", shown)]
        preferred = read_preferred_time(text)
        if preferred is None:
            dispatcher.utter_message(response="utter_referral_time_not_understood")
        return [SlotSet("referral_time", preferred)]


class ActionSubmitReferral(Action):
    """Stores the consented referral in the outbox, then (and only then) tells the patient the
    clinic will be in touch, with their copy of the summary."""

    def name(self) -> str:
        return "action_submit_referral"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        if tracker.get_slot("referral_consent") is not True:
            return clear_referral()
        clinic = get_clinic_settings()
        summary = build_summary(tracker, domain)
        variables = {**clinic_variables(clinic), "name": summary.contact.name}
        try:
            await service.store_referral(summary)
        except service.ReferralNotStoredError:
            dispatcher.utter_message(
                response="utter_referral_not_stored",
                buttons=[MENU],
                contact_lines="\n".join(contact_lines(domain, clinic)),
                **clinic_variables(clinic),
            )
            return clear_referral()
        dispatcher.utter_message(
            response="utter_referral_stored_urgent" if summary.urgent else "utter_referral_stored",
            callback_promise=clinic.callback_promise,
            **variables,
        )
        dispatcher.utter_message(
            response="utter_referral_copy", referral_copy=patient_copy(summary)
        )
        if summary.contact.email and service.patient_email_available():
            dispatcher.utter_message(
                response="utter_referral_copy_by_email", email=summary.contact.email
            )
        return clear_referral()


class ActionCancelReferral(Action):
    """ "stop" or "no": nothing is shared, and the details typed so far are forgotten."""

    def name(self) -> str:
        return "action_cancel_referral"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        clinic = get_clinic_settings()
        dispatcher.utter_message(
            response="utter_referral_cancelled",
            buttons=[MENU],
            contact_lines="\n".join(contact_lines(domain, clinic)),
            **clinic_variables(clinic),
        )
        return clear_referral()
