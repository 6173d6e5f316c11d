"""The clinician summary as FHIR, so a clinic's record system can import it: one `Questionnaire`
(every question the assistant may ask or record) and, per referral, a `QuestionnaireResponse`.

The models are fhir.resources 6.5.0's top-level package, FHIR R4B (4.3.0): the last release on
pydantic 1 (Rasa pins pydantic<1.10.10) has no R4 (4.0.1) package, only R4B, STU3 and DSTU2.
R4B left Questionnaire and QuestionnaireResponse as in R4, so the JSON is R4 JSON too.

How answers are written:
- yes-no questions are "choice" items with three codings of our own system (`ANSWER_SYSTEM`):
  yes, no and not-sure (FHIR's boolean cannot say "not sure");
- a question that was not asked is left out of the response: FHIR has no "not asked" answer,
  and HL7 asks that unanswered items be omitted, not sent empty. The Questionnaire lists every
  question, so an absent item reads as "not asked".

The narrative (`text`) repeats the summary with the note that it is not a diagnosis, so every
FHIR viewer shows it. The canonical URLs below are names, not addresses: they need not resolve.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any, Dict, List, Optional, Sequence, Tuple

from fhir.resources.questionnaire import Questionnaire, QuestionnaireItem
from fhir.resources.questionnaireresponse import (
    QuestionnaireResponse,
    QuestionnaireResponseItem,
)

from referrals.summary import (
    NO,
    NOT_A_DIAGNOSIS,
    NOT_ASKED,
    NOT_SURE,
    QUESTIONS,
    REASONS,
    TRIAGE_WORDS,
    YES,
    Question,
    ReferralSummary,
    clinician_lines,
)

FHIR_BASE = "https://iliopsoas-assistant.example/fhir"
QUESTIONNAIRE_URL = f"{FHIR_BASE}/Questionnaire/iliopsoas-referral"
REFERRAL_ID_SYSTEM = f"{FHIR_BASE}/sid/referral-id"
CODE_SYSTEMS = f"{FHIR_BASE}/CodeSystem"
ANSWER_SYSTEM = f"{CODE_SYSTEMS}/yes-no-not-sure"
REASON_SYSTEM = f"{CODE_SYSTEMS}/referral-reason"
TRIAGE_SYSTEM = f"{CODE_SYSTEMS}/triage-level"
# The summary's yes-no answers -> (code, display) in ANSWER_SYSTEM.
YES_NO_CODES = {YES: ("yes", "Yes"), NO: ("no", "No"), NOT_SURE: ("not-sure", "Not sure")}
# Which value[x] of an answer each item type takes.
ANSWER_FIELDS = {
    "boolean": "valueBoolean",
    "choice": "valueCoding",
    "string": "valueString",
    "text": "valueString",
    "dateTime": "valueDateTime",
}
Options = Sequence[Tuple[str, str]]  # (code, display)


class InvalidResponseError(ValueError):
    """A QuestionnaireResponse that is not valid FHIR or does not conform to our Questionnaire."""


def _choice_system(question: Question) -> str:
    if question.kind == "yes_no":
        return ANSWER_SYSTEM
    return f"{CODE_SYSTEMS}/{question.link_id.replace('_', '-')}"


# Every choice item's code system and options ((code, display) pairs), by link id.
CHOICES: Dict[str, Tuple[str, Options]] = {
    "reason": (REASON_SYSTEM, tuple(REASONS.items())),
    "triage_level": (TRIAGE_SYSTEM, tuple(TRIAGE_WORDS.items())),
    **{
        question.link_id: (
            _choice_system(question),
            tuple(YES_NO_CODES.values()) if question.kind == "yes_no" else question.options,
        )
        for question in QUESTIONS
    },
}


def _item(
    link_id: str,
    text: str,
    kind: str,
    *,
    repeats: bool = False,
    required: bool = False,
    items: Sequence[QuestionnaireItem] = (),
) -> QuestionnaireItem:
    item: Dict[str, Any] = {"linkId": link_id, "text": text, "type": kind}
    if kind == "choice":
        system, options = CHOICES[link_id]
        item["answerOption"] = [
            {"valueCoding": {"system": system, "code": code, "display": display}}
            for code, display in options
        ]
    if items:
        item["item"] = list(items)
    return QuestionnaireItem(**item, repeats=repeats or None, required=required or None)


def questionnaire() -> Questionnaire:
    """Every item a referral's response may answer, in the order staff read the summary."""
    screening = [
        _item(question.link_id, question.text, "choice", repeats=question.repeats)
        for question in QUESTIONS
    ]
    summary = [
        _item("reason", "Reason for contact", "choice", required=True),
        _item("triage_level", "Level of care advised", "choice"),
        _item("urgent", "Urgent referral", "boolean", required=True),
        _item("red_flags", "Warning signs recognised", "string", repeats=True),
        _item("advice", "Advice given", "text"),
        _item("where_it_hurts", "Where it hurts", "string"),
        _item("how_long", "How long", "string"),
        _item("topics_read", "Topics read", "string", repeats=True),
    ]
    contact = [
        _item("name", "Name", "string", required=True),
        _item("phone", "Phone (E.164)", "string"),
        _item("email", "Email", "string"),
        _item("preferred_time", "Preferred time", "string"),
    ]
    conversation = [
        _item("conversation_started", "Conversation started", "dateTime", required=True),
        _item("conversation_id", "Conversation id", "string", required=True),
    ]
    return Questionnaire(
        url=QUESTIONNAIRE_URL,
        name="IliopsoasReferral",
        title="Referral from the clinic's chat assistant",
        status="active",
        subjectType=["Patient"],
        description=NOT_A_DIAGNOSIS,
        item=[
            _item("summary", "Referral", "group", required=True, items=summary),
            _item("screening", "Symptom check answers", "group", items=screening),
            _item("contact", "How to reach the patient", "group", required=True, items=contact),
            _item("conversation", "The conversation", "group", required=True, items=conversation),
        ],
    )


def questionnaire_json() -> str:
    """The Questionnaire as FHIR JSON, for the record system to load once."""
    return questionnaire().json()


def _date_time(text: str) -> datetime:
    """An ISO 8601 time as FHIR takes it: with its UTC offset, which FHIR requires."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"{text!r} has no UTC offset; a FHIR dateTime with a time needs one")
    return moment


def _coding(link_id: str, value: Any) -> Dict[str, Any]:
    system, options = CHOICES[link_id]
    display = dict(options).get(str(value))
    if display is None:
        raise ValueError(f"{value!r} is not an answer to {link_id!r}")
    return {"valueCoding": {"system": system, "code": str(value), "display": display}}


def _answered(link_id: str, answers: List[Dict[str, Any]]) -> List[QuestionnaireResponseItem]:
    """The item, or nothing when there is no answer (FHIR omits unanswered items)."""
    if not answers:
        return []
    return [QuestionnaireResponseItem(linkId=link_id, answer=answers)]


def _strings(link_id: str, values: Sequence[Optional[str]]) -> List[QuestionnaireResponseItem]:
    return _answered(link_id, [{"valueString": value} for value in values if value])


def _screening_item(question: Question, answer: Any) -> List[QuestionnaireResponseItem]:
    values = list(answer) if isinstance(answer, (list, tuple)) else [answer]
    values = [value for value in values if value not in (None, NOT_ASKED)]
    if len(values) > 1 and not question.repeats:
        raise ValueError(f"{question.link_id!r} takes one answer, not {values!r}")
    if question.kind == "yes_no":  # the summary's "not_sure" is the code "not-sure"
        values = [YES_NO_CODES[value][0] if value in YES_NO_CODES else value for value in values]
    return _answered(question.link_id, [_coding(question.link_id, value) for value in values])


def _group(link_id: str, items: List[QuestionnaireResponseItem]) -> List[QuestionnaireResponseItem]:
    return [QuestionnaireResponseItem(linkId=link_id, item=items)] if items else []


def _narrative(summary: ReferralSummary) -> Dict[str, str]:
    rows = "".join(
        f"<tr><th>{escape(heading)}</th><td>{escape(text)}</td></tr>"
        for heading, text in clinician_lines(summary)
    )
    div = (
        '<div xmlns="http://www.w3.org/1999/xhtml">'
        f"<p><b>{escape(NOT_A_DIAGNOSIS)}</b></p><table>{rows}</table></div>"
    )
    # "additional": the note is in the narrative only, so receivers must show the narrative.
    return {"status": "additional", "div": div}


def questionnaire_response(summary: ReferralSummary, referral_id: str) -> QuestionnaireResponse:
    """One referral's answers. Raises ValueError for an answer the Questionnaire has no room for
    (an unknown option, a time without its UTC offset) or a referral id FHIR refuses as an id."""
    triage = [_coding("triage_level", summary.triage_level)] if summary.triage_level else []
    answers = summary.answers
    where = summary.where_it_hurts if answers.get("pain_location") or summary.body_parts else None
    how_long = summary.how_long if answers.get("pain_duration") else None
    started = _date_time(summary.conversation_started_at)
    contact = summary.contact
    return QuestionnaireResponse(
        id=referral_id,
        identifier={"system": REFERRAL_ID_SYSTEM, "value": referral_id},
        questionnaire=QUESTIONNAIRE_URL,
        status="completed",
        authored=_date_time(summary.referred_at),
        text=_narrative(summary),
        item=[
            *_group(
                "summary",
                [
                    *_answered("reason", [_coding("reason", summary.reason)]),
                    *_answered("triage_level", triage),
                    *_answered("urgent", [{"valueBoolean": summary.urgent}]),
                    *_strings("red_flags", summary.red_flags),
                    *_strings("advice", [summary.advice]),
                    *_strings("where_it_hurts", [where]),
                    *_strings("how_long", [how_long]),
                    *_strings("topics_read", summary.topics_read),
                ],
            ),
            *_group(
                "screening",
                [
                    item
                    for question in QUESTIONS
                    for item in _screening_item(question, answers.get(question.link_id))
                ],
            ),
            *_group(
                "contact",
                [
                    *_strings("name", [contact.name]),
                    *_strings("phone", [contact.phone]),
                    *_strings("email", [contact.email]),
                    *_strings("preferred_time", [contact.preferred_time]),
                ],
            ),
            *_group(
                "conversation",
                [
                    *_answered("conversation_started", [{"valueDateTime": started}]),
                    *_strings("conversation_id", [summary.sender_id]),
                ],
            ),
        ],
    )


def questionnaire_response_json(summary: ReferralSummary, referral_id: str) -> str:
    """One referral as FHIR JSON (see `questionnaire_response`)."""
    return questionnaire_response(summary, referral_id).json()


def _conformance_problems(
    questions: Sequence[QuestionnaireItem], items: Sequence[QuestionnaireResponseItem], path: str
) -> List[str]:
    """What in `items` does not fit `questions` (the Questionnaire's items at the same level)."""
    by_link_id = {question.linkId: question for question in questions}
    problems: List[str] = []
    seen = [item.linkId for item in items]
    for question in questions:
        if question.required and question.linkId not in seen:
            problems.append(f"{path}{question.linkId}: required, missing")
    for item in items:
        where = f"{path}{item.linkId}"
        question = by_link_id.get(item.linkId)
        if question is None:
            problems.append(f"{where}: no such item in {QUESTIONNAIRE_URL}")
            continue
        if seen.count(item.linkId) > 1:
            problems.append(f"{where}: more than once (repeated answers go in one item)")
        answers = item.answer or []
        if question.type == "group":
            if answers:
                problems.append(f"{where}: a group has no answers")
            problems += _conformance_problems(question.item or [], item.item or [], f"{where}/")
            continue
        if not answers:
            problems.append(f"{where}: no answer (leave an unasked question out)")
        if len(answers) > 1 and not question.repeats:
            problems.append(f"{where}: {len(answers)} answers to a question that takes one")
        allowed = {
            (option.valueCoding.system, option.valueCoding.code)
            for option in question.answerOption or []
        }
        for answer in answers:
            value = getattr(answer, ANSWER_FIELDS[question.type])
            if value is None:
                problems.append(f"{where}: expects {ANSWER_FIELDS[question.type]}")
            elif question.type == "choice" and (value.system, value.code) not in allowed:
                problems.append(f"{where}: {value.system}|{value.code} is not an option")
        if item.item or any(answer.item for answer in answers):
            problems.append(f"{where}: our questions have no nested items")
    return problems


def validate_response_json(text: str) -> QuestionnaireResponse:
    """Parses a QuestionnaireResponse and checks it against our Questionnaire: fhir.resources
    checks the FHIR structure and types, this the link ids, answer types, options and counts."""
    try:
        response = QuestionnaireResponse.parse_raw(text)
    except ValueError as error:  # pydantic's ValidationError, also for text that is not JSON
        raise InvalidResponseError(f"not a valid FHIR QuestionnaireResponse: {error}") from error
    problems = []
    if response.questionnaire != QUESTIONNAIRE_URL:
        problems.append(f"questionnaire: {response.questionnaire!r}, not {QUESTIONNAIRE_URL!r}")
    problems += _conformance_problems(questionnaire().item, response.item or [], "")
    if problems:
        raise InvalidResponseError("; ".join(problems))
    return response
