"""Tests for referrals/summary.py: the clinician summary and the patient's copy."""

from __future__ import annotations

from actions.check_outcome import QUESTION_ORDER, YES_NO_QUESTIONS
from referrals.summary import (
    NOT_A_DIAGNOSIS,
    QUESTIONS,
    Contact,
    ReferralSummary,
    clinician_text,
    patient_copy,
)

FULL = ReferralSummary(
    sender_id="web-0123",
    reason="callback",
    contact=Contact("Ana Lopez", "+12125550134", "ana@example.com", "weekday mornings"),
    conversation_started_at="2026-11-30T09:00:00+00:00",
    referred_at="2026-11-30T09:10:00+00:00",
    triage_level="urgent",
    urgent=True,
    red_flags=("a high temperature with the pain",),
    advice="See a doctor today.",
    answers={
        "emergency_signs": "no",
        "urgent_signs": "yes",
        "age_group": "adult",
        "blood_thinners": "not_sure",
        "pain_location": ["groin", "hip"],
        "pain_duration": "weeks",
        "pain_on_rising_or_stairs": "yes",
    },
    topics_read=("What it is", "Treatment"),
)


def test_every_symptom_check_question_is_in_the_summary_in_the_order_asked() -> None:
    assert [question.link_id for question in QUESTIONS] == list(QUESTION_ORDER)
    yes_no = {question.link_id for question in QUESTIONS if question.kind == "yes_no"}
    assert yes_no == set(YES_NO_QUESTIONS)


def test_the_clinician_text_has_every_part_staff_act_on() -> None:
    text = clinician_text(FULL)
    assert text.startswith("URGENT referral")
    for expected in (
        "Reason for contact: asked to be called back",
        "URGENT: told to get medical help today",
        "Warning signs recognised: a high temperature with the pain",
        "Advice given: See a doctor today.",
        "Where it hurts: groin, hip",
        "How long: weeks",
        "Worse getting up from sitting, walking or on stairs: yes",
        "Topics read: What it is, Treatment",
        "Name: Ana Lopez",
        "Contact: +12125550134 / ana@example.com",
        "Preferred time: weekday mornings",
        "Conversation started: 2026-11-30T09:00:00+00:00",
        "Conversation id: web-0123",
        "Takes blood thinners or has a bleeding disorder: not sure",
        "Pain wakes them at night and stays when lying still: not asked",
        "Age group: 18 to 64",
    ):
        assert expected in text


def test_the_summary_is_never_a_diagnosis() -> None:
    text = clinician_text(FULL).replace(NOT_A_DIAGNOSIS, "")
    assert "diagnos" not in text.lower()
    assert "you have" not in patient_copy(FULL).lower()


def test_the_patients_copy_leaves_out_questions_not_asked() -> None:
    copy = patient_copy(FULL)
    assert "Where it hurts: groin, hip" in copy
    assert "How to reach you: +12125550134 / ana@example.com" in copy
    assert "not asked" not in copy


def test_a_summary_survives_its_json_form() -> None:
    assert ReferralSummary.from_json(FULL.to_json()) == ReferralSummary.from_json(
        ReferralSummary.from_json(FULL.to_json()).to_json()
    )
    assert ReferralSummary.from_json(FULL.to_json()).contact == FULL.contact
