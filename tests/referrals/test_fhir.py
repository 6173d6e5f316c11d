"""Tests for referrals/fhir.py: the clinician summary as a FHIR Questionnaire and
QuestionnaireResponse that fhir.resources parses back, answering only what was asked."""

from __future__ import annotations

import json
from typing import Any, Dict, Iterator, List, Optional

import pytest
from fhir.resources.questionnaire import Questionnaire
from fhir.resources.questionnaireresponse import QuestionnaireResponse

from referrals.fhir import (
    ANSWER_SYSTEM,
    QUESTIONNAIRE_URL,
    REFERRAL_ID_SYSTEM,
    InvalidResponseError,
    questionnaire_json,
    questionnaire_response,
    questionnaire_response_json,
    validate_response_json,
)
from referrals.summary import NOT_A_DIAGNOSIS, QUESTIONS, Contact, ReferralSummary

FULL = ReferralSummary(
    sender_id="conversation-1",
    reason="after_alert",
    contact=Contact(
        name="Ann Example",
        phone="+447700900123",
        email="ann@example.org",
        preferred_time="mornings",
    ),
    conversation_started_at="2024-05-01T09:00:00+00:00",
    referred_at="2024-05-01T09:12:30+00:00",
    triage_level="urgent",
    urgent=True,
    red_flags=("fever with hip pain",),
    advice="Get medical help today.",
    answers={
        "emergency_signs": "no",
        "urgent_signs": "yes",
        "age_group": "adult",
        "blood_thinners": "not_sure",
        "pain_started_recently": "yes",
        "infection_risk": "no",
        "night_pain": "not_sure",
        "pain_location": ["lower back", "groin"],
        "pain_on_rising_or_stairs": "yes",
        "hip_clicking": "no",
        "sitting_or_sport": "yes",
        "pain_duration": "weeks",
        "activity_or_stretching_helped": "not_sure",
    },
    topics_read=("symptoms", "exercises"),
    body_parts=("groin",),
)
MINIMAL = ReferralSummary(
    sender_id="conversation-2",
    reason="callback",
    contact=Contact(name="Bo", email="bo@example.org"),
    conversation_started_at="2024-05-02T14:00:00Z",
    referred_at="2024-05-02T14:03:00Z",
)


def items_by_link_id(items: List[Dict[str, Any]]) -> Dict[str, Dict[str, Any]]:
    """Every item, nested in groups or not, by link id."""
    found: Dict[str, Dict[str, Any]] = {}
    for item in items:
        found[item["linkId"]] = item
        found.update(items_by_link_id(item.get("item", [])))
    return found


def link_ids_in(items: List[Dict[str, Any]]) -> List[str]:
    """Every link id, nested or not, as often as it occurs."""
    return [
        link_id
        for item in items
        for link_id in [item["linkId"], *link_ids_in(item.get("item", []))]
    ]


def answers(response: Dict[str, Any], link_id: str) -> List[Dict[str, Any]]:
    return items_by_link_id(response["item"])[link_id]["answer"]


def strings_in(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, child in value.items():
            yield key
            yield from strings_in(child)
    elif isinstance(value, list):
        for child in value:
            yield from strings_in(child)
    elif isinstance(value, str):
        yield value


def test_the_questionnaire_round_trips_and_has_every_question_once() -> None:
    text = questionnaire_json()
    parsed = Questionnaire.parse_raw(text)
    link_ids = link_ids_in(json.loads(text)["item"])

    assert json.loads(parsed.json()) == json.loads(text)
    assert parsed.url == QUESTIONNAIRE_URL
    assert parsed.status == "active"
    assert len(link_ids) == len(set(link_ids))
    assert {question.link_id for question in QUESTIONS} <= set(link_ids)
    assert {
        "reason", "triage_level", "urgent", "red_flags", "advice", "where_it_hurts", "how_long",
        "topics_read", "name", "phone", "email", "preferred_time", "conversation_started",
        "conversation_id",
    } <= set(link_ids)  # fmt: skip


def test_yes_no_questions_offer_not_sure_and_pain_location_repeats() -> None:
    items = items_by_link_id(json.loads(questionnaire_json())["item"])
    codes = [option["valueCoding"]["code"] for option in items["night_pain"]["answerOption"]]

    assert items["night_pain"]["type"] == "choice"
    assert codes == ["yes", "no", "not-sure"]
    assert items["pain_location"]["repeats"] is True
    assert "repeats" not in items["pain_duration"]
    assert items["conversation_started"]["type"] == "dateTime"
    assert items["urgent"]["type"] == "boolean"


def test_a_full_summary_is_a_completed_response_with_every_answer() -> None:
    response = validate_response_json(questionnaire_response_json(FULL, "ref-42"))
    raw = json.loads(response.json())

    assert raw["resourceType"] == "QuestionnaireResponse"
    assert response.id == "ref-42"
    assert response.status == "completed"
    assert response.questionnaire == QUESTIONNAIRE_URL
    assert (response.identifier.system, response.identifier.value) == (REFERRAL_ID_SYSTEM, "ref-42")
    assert raw["authored"] == "2024-05-01T09:12:30+00:00"
    for question in QUESTIONS:
        assert answers(raw, question.link_id), question.link_id
    assert answers(raw, "urgent_signs") == [
        {"valueCoding": {"system": ANSWER_SYSTEM, "code": "yes", "display": "Yes"}}
    ]
    assert answers(raw, "emergency_signs")[0]["valueCoding"]["code"] == "no"
    assert answers(raw, "night_pain")[0]["valueCoding"]["code"] == "not-sure"
    assert [answer["valueCoding"]["code"] for answer in answers(raw, "pain_location")] == [
        "lower back",
        "groin",
    ]
    assert answers(raw, "pain_duration")[0]["valueCoding"]["display"] == "weeks"
    assert answers(raw, "urgent") == [{"valueBoolean": True}]
    assert answers(raw, "triage_level")[0]["valueCoding"]["code"] == "urgent"
    assert answers(raw, "reason")[0]["valueCoding"]["code"] == "after_alert"
    assert answers(raw, "red_flags") == [{"valueString": "fever with hip pain"}]
    assert answers(raw, "topics_read") == [
        {"valueString": "symptoms"},
        {"valueString": "exercises"},
    ]
    assert answers(raw, "phone") == [{"valueString": "+447700900123"}]
    assert answers(raw, "email") == [{"valueString": "ann@example.org"}]
    assert answers(raw, "name") == [{"valueString": "Ann Example"}]
    assert answers(raw, "preferred_time") == [{"valueString": "mornings"}]
    assert answers(raw, "conversation_id") == [{"valueString": "conversation-1"}]
    assert answers(raw, "conversation_started") == [{"valueDateTime": "2024-05-01T09:00:00+00:00"}]


def test_a_minimal_summary_leaves_every_unasked_question_out() -> None:
    text = questionnaire_response_json(MINIMAL, "ref-7")
    response = json.loads(validate_response_json(text).json())
    items = items_by_link_id(response["item"])

    for link_id in [q.link_id for q in QUESTIONS] + ["triage_level", "red_flags", "phone"]:
        assert link_id not in items
    assert "screening" not in items  # no empty group either
    assert answers(response, "urgent") == [{"valueBoolean": False}]
    assert answers(response, "email") == [{"valueString": "bo@example.org"}]
    assert all(item.get("answer") or item.get("item") for item in items.values())


def test_not_asked_answers_are_left_out_like_missing_ones() -> None:
    summary = ReferralSummary(
        **{**vars(MINIMAL), "answers": {"night_pain": "not_asked", "pain_location": []}}
    )
    items = items_by_link_id(json.loads(questionnaire_response_json(summary, "ref-8"))["item"])

    assert "night_pain" not in items and "pain_location" not in items


def response_with(link_id: str, answer: Optional[List[Dict[str, Any]]]) -> str:
    """The full summary's response with one item of its summary group replaced (or added),
    with these answers (None: without `answer`)."""
    response = json.loads(questionnaire_response_json(FULL, "ref-42"))
    summary_group = response["item"][0]
    summary_group["item"] = [item for item in summary_group["item"] if item["linkId"] != link_id]
    item = {"linkId": link_id} if answer is None else {"linkId": link_id, "answer": answer}
    summary_group["item"].append(item)
    return json.dumps(response)


MINIMAL_RESPONSE = json.loads(questionnaire_response_json(MINIMAL, "ref-7"))
NOT_OURS = {
    "not JSON": ("not json", "not a valid FHIR"),
    "another resource": ('{"resourceType": "Condition", "status": "completed"}', "not a valid"),
    "no status": ('{"resourceType": "QuestionnaireResponse"}', "not a valid FHIR"),
    "unknown link id": (response_with("diagnosis", [{"valueString": "x"}]), "no such item"),
    "not a boolean": (response_with("urgent", [{"valueBoolean": "maybe"}]), "not a valid FHIR"),
    "wrong value type": (response_with("urgent", [{"valueString": "yes"}]), "expects valueBool"),
    "empty answers": (response_with("urgent", []), "no answer"),
    "another system's code": (
        response_with("reason", [{"valueCoding": {"system": ANSWER_SYSTEM, "code": "yes"}}]),
        "is not an option",
    ),
    "two answers to one": (
        response_with("advice", [{"valueString": "rest"}, {"valueString": "ice"}]),
        "2 answers to a question that takes one",
    ),
    "nested under an answer": (
        response_with("advice", [{"valueString": "rest", "item": [{"linkId": "name"}]}]),
        "no nested items",
    ),
    "required items missing": (json.dumps({**MINIMAL_RESPONSE, "item": []}), "required, missing"),
    "another questionnaire": (
        json.dumps({**MINIMAL_RESPONSE, "questionnaire": "https://other.example/Q/1"}),
        "questionnaire",
    ),
}


@pytest.mark.parametrize("text, problem", list(NOT_OURS.values()), ids=list(NOT_OURS))
def test_a_response_that_is_not_ours_is_refused(text: str, problem: str) -> None:
    with pytest.raises(InvalidResponseError, match=problem):
        validate_response_json(text)


def test_the_model_takes_an_item_without_answer_but_our_check_refuses_it() -> None:
    text = response_with("urgent", None)

    QuestionnaireResponse.parse_raw(text)  # valid FHIR structure
    with pytest.raises(InvalidResponseError, match="no answer"):
        validate_response_json(text)


@pytest.mark.parametrize(
    "changes, problem",
    [
        ({"answers": {"night_pain": "maybe"}}, "not an answer to 'night_pain'"),
        ({"answers": {"age_group": ["adult", "child"]}}, "takes one answer"),
        ({"reason": "bored"}, "not an answer to 'reason'"),
        ({"referred_at": "2024-05-01T09:12:30"}, "no UTC offset"),
    ],
)
def test_a_summary_the_questionnaire_has_no_room_for_is_refused(
    changes: Dict[str, Any], problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        questionnaire_response(ReferralSummary(**{**vars(FULL), **changes}), "ref-1")


@pytest.mark.parametrize("summary", [FULL, MINIMAL], ids=["full", "minimal"])
def test_the_response_is_never_a_diagnosis(summary: ReferralSummary) -> None:
    text = questionnaire_response_json(summary, "ref-9")
    response = json.loads(text)
    narrative = response.pop("text")["div"]

    assert "Condition" not in text and "contained" not in response
    assert text.count('"resourceType"') == 1
    assert all("diagnosis" not in value.lower() for value in strings_in(response))
    assert NOT_A_DIAGNOSIS.replace("'", "&#x27;") in narrative
    assert narrative.lower().count("diagnosis") == 1
    # Every code is from our own systems: no SNOMED CT, ICD or other diagnosis codes.
    systems = {value for value in strings_in(response) if value.startswith("http")}
    assert all(system.startswith("https://iliopsoas-assistant.example/") for system in systems)
