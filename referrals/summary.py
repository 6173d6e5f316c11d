"""The clinician summary of a referral: what the patient asked for, what the assistant screened,
recognised and advised, and how to reach them. Never a diagnosis: it records answers and the
advice given, in the words staff read.

A `ReferralSummary` is plain data (JSON in the outbox, FHIR in `referrals.fhir`); the texts for
staff (Slack, email) and for the patient (chat, email) are written from it here.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Tuple

YES, NO, NOT_SURE, NOT_ASKED = "yes", "no", "not_sure", "not_asked"
ANSWER_WORDS = {YES: "yes", NO: "no", NOT_SURE: "not sure", NOT_ASKED: "not asked"}

# Why the patient was handed over (`reason` below), as staff read it.
REASONS = {
    "appointment": "asked to book an appointment",
    "callback": "asked to be called back",
    "person": "asked to talk to a person",
    "after_alert": "offered after a warning sign was recognised",
    "after_symptom_check": "offered at the end of the symptom check",
}
TRIAGE_WORDS = {
    "emergency": "EMERGENCY: told to call the emergency number now",
    "urgent": "URGENT: told to get medical help today",
    "consultation": "told to book an appointment with a clinician",
    "self_care": "given self-care information and told when to get help",
}


@dataclass(frozen=True)
class Question:
    """One question of the symptom check, as staff and the FHIR Questionnaire name it.

    `kind` is "yes_no" (yes / no / not sure), or "choice" with `options` (value -> words)."""

    link_id: str
    text: str
    kind: str = "yes_no"
    options: Tuple[Tuple[str, str], ...] = ()
    repeats: bool = False


# Every question of the symptom check (the slots of `symptom_check_form`, in the order asked;
# tests/referrals check they agree with actions/check_outcome.QUESTION_ORDER).
QUESTIONS: Tuple[Question, ...] = (
    Question("emergency_signs", "Any emergency warning sign from the screening list"),
    Question("urgent_signs", "Any same-day warning sign (incl. high temperature)"),
    Question(
        "age_group",
        "Age group",
        "choice",
        (
            ("child", "under 10"),
            ("teenager", "10 to 17"),
            ("adult", "18 to 64"),
            ("older_adult", "65 or older"),
        ),
    ),
    Question("blood_thinners", "Takes blood thinners or has a bleeding disorder"),
    Question("pain_started_recently", "Pain started in the last few days"),
    Question(
        "infection_risk",
        "Weak immune system, diabetes, injects drugs, or recent infection, injection or surgery",
    ),
    Question("night_pain", "Pain wakes them at night and stays when lying still"),
    Question(
        "pain_location",
        "Where it hurts",
        "choice",
        (
            ("lower back", "lower back"),
            ("hip", "hip"),
            ("groin", "groin"),
            ("thigh", "thigh"),
            ("abdomen", "abdomen"),
            ("somewhere else", "somewhere else"),
        ),
        repeats=True,
    ),
    Question("pain_on_rising_or_stairs", "Worse getting up from sitting, walking or on stairs"),
    Question("hip_clicking", "Clicking or snapping in the hip"),
    Question("sitting_or_sport", "Long hours of sitting, or sport/dance that flexes the hip"),
    Question(
        "pain_duration",
        "How long it has hurt",
        "choice",
        (("days", "days"), ("weeks", "weeks"), ("months", "months or longer")),
    ),
    Question("activity_or_stretching_helped", "Better with staying active and stretching"),
)
QUESTION_BY_ID = {question.link_id: question for question in QUESTIONS}
# What makes the pain worse or better, among the questions.
WORSE_OR_BETTER = ("pain_on_rising_or_stairs", "sitting_or_sport", "activity_or_stretching_helped")


@dataclass(frozen=True)
class Contact:
    """How the clinic reaches the patient: a phone number (E.164) or an email address, or both."""

    name: str
    phone: Optional[str] = None
    email: Optional[str] = None
    preferred_time: str = ""


@dataclass(frozen=True)
class ReferralSummary:
    """Everything a referral hands over. `answers` maps each question's link id to its answer:
    "yes" / "no" / "not_sure" for yes-no questions, an option value (a list of them for a
    repeating question) otherwise; a question not in it was not asked."""

    sender_id: str
    reason: str
    contact: Contact
    conversation_started_at: str
    referred_at: str
    triage_level: Optional[str] = None
    urgent: bool = False
    red_flags: Tuple[str, ...] = ()
    advice: Optional[str] = None
    answers: Mapping[str, Any] = field(default_factory=dict)
    topics_read: Tuple[str, ...] = ()
    body_parts: Tuple[str, ...] = ()

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ReferralSummary:
        raw: Dict[str, Any] = json.loads(text)
        raw["contact"] = Contact(**raw["contact"])
        for name in ("red_flags", "topics_read", "body_parts"):
            raw[name] = tuple(raw.get(name) or ())
        return cls(**raw)

    def answer_words(self, link_id: str) -> str:
        """A question's answer as staff read it; "not asked" when it was not."""
        question = QUESTION_BY_ID[link_id]
        answer = self.answers.get(link_id)
        if answer is None or answer == NOT_ASKED:
            return ANSWER_WORDS[NOT_ASKED]
        if question.kind == "yes_no":
            return ANSWER_WORDS.get(str(answer), str(answer))
        options = dict(question.options)
        values = answer if isinstance(answer, (list, tuple)) else [answer]
        return ", ".join(options.get(str(value), str(value)) for value in values)

    @property
    def where_it_hurts(self) -> str:
        if self.answers.get("pain_location"):
            return self.answer_words("pain_location")
        return ", ".join(self.body_parts) or "not said"

    @property
    def how_long(self) -> str:
        if self.answers.get("pain_duration"):
            return self.answer_words("pain_duration")
        return "not said"

    @property
    def triage_words(self) -> str:
        return TRIAGE_WORDS.get(self.triage_level or "", "no level of care advised yet")

    @property
    def contact_words(self) -> str:
        ways = [way for way in (self.contact.phone, self.contact.email) if way]
        return " / ".join(ways)


def clinician_lines(summary: ReferralSummary) -> List[Tuple[str, str]]:
    """The summary as (heading, text) pairs, in the order staff read it."""
    worse_or_better = "; ".join(
        f"{QUESTION_BY_ID[link_id].text}: {summary.answer_words(link_id)}"
        for link_id in WORSE_OR_BETTER
    )
    return [
        ("Reason for contact", REASONS.get(summary.reason, summary.reason)),
        ("Level of care advised", summary.triage_words),
        ("Warning signs recognised", "; ".join(summary.red_flags) or "none"),
        ("Advice given", summary.advice or "none yet"),
        ("Where it hurts", summary.where_it_hurts),
        ("How long", summary.how_long),
        ("What makes it worse or better", worse_or_better),
        ("Topics read", ", ".join(summary.topics_read) or "none"),
        ("Name", summary.contact.name),
        ("Contact", summary.contact_words),
        ("Preferred time", summary.contact.preferred_time or "any time"),
        ("Conversation started", summary.conversation_started_at),
        ("Referral made", summary.referred_at),
        ("Conversation id", summary.sender_id),
    ]


def screening_lines(summary: ReferralSummary) -> List[Tuple[str, str]]:
    """Every symptom-check question with its answer (or "not asked")."""
    return [(question.text, summary.answer_words(question.link_id)) for question in QUESTIONS]


NOT_A_DIAGNOSIS = (
    "Collected by the clinic's chat assistant from the patient's own answers. "
    "It is not a diagnosis."
)


def clinician_text(summary: ReferralSummary) -> str:
    """The plain-text summary for staff (the email body; Slack shows the same lines)."""
    title = "URGENT referral" if summary.urgent else "Referral"
    lines = [f"{title} from the chat assistant", NOT_A_DIAGNOSIS, ""]
    lines += [f"{heading}: {text}" for heading, text in clinician_lines(summary)]
    lines += ["", "Symptom check answers:"]
    lines += [f"- {question}: {answer}" for question, answer in screening_lines(summary)]
    return "\n".join(lines)


def patient_copy(summary: ReferralSummary) -> str:
    """The same summary in plain words for the patient (the chat and, with an email address,
    their inbox), to bring to the appointment."""
    answered = [
        f"- {question}: {answer}"
        for question, answer in screening_lines(summary)
        if answer != ANSWER_WORDS[NOT_ASKED]
    ]
    lines = [
        f"Why you got in touch: you {REASONS.get(summary.reason, summary.reason)}",
        f"Where it hurts: {summary.where_it_hurts}",
        f"How long: {summary.how_long}",
        f"Warning signs you mentioned: {'; '.join(summary.red_flags) or 'none'}",
        f"Advice you were given: {summary.advice or 'none yet'}",
        f"Your name: {summary.contact.name}",
        f"How to reach you: {summary.contact_words}",
        f"Best time: {summary.contact.preferred_time or 'any time'}",
    ]
    if answered:
        lines += ["Your answers to the symptom check:", *answered]
    if summary.topics_read:
        lines.append(f"Topics you read: {', '.join(summary.topics_read)}")
    return "\n".join(lines)
