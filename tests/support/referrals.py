"""Referral summaries for tests, built directly (no conversation needed), with patient details
distinctive enough to search logs and messages for; storing them in an outbox and reading its
delivery rows back."""

from __future__ import annotations

import json
from typing import Any, Dict, Optional, Sequence, Tuple

import sqlalchemy as sa

from referrals.outbox import Outbox, new_referral_id
from referrals.summary import NO, NOT_SURE, YES, Contact, ReferralSummary
from referrals.tables import deliveries_table

PATIENT_NAME = "Philippa Quennell-Marsh"
PATIENT_PHONE = "+447700900123"
PATIENT_EMAIL = "philippa.qm@example.org"
PREFERRED_TIME = "weekday mornings before ten"


def make_summary(
    sender_id: str = "conversation-1", urgent: bool = False, **changes: Any
) -> ReferralSummary:
    """A consented referral after a symptom check; `changes` replace any field."""
    values: dict = {
        "sender_id": sender_id,
        "reason": "after_symptom_check",
        "contact": Contact(
            name=PATIENT_NAME,
            phone=PATIENT_PHONE,
            email=PATIENT_EMAIL,
            preferred_time=PREFERRED_TIME,
        ),
        "conversation_started_at": "2026-11-30T09:00:00+00:00",
        "referred_at": "2026-11-30T09:12:00+00:00",
        "triage_level": "urgent" if urgent else "consultation",
        "urgent": urgent,
        "red_flags": ("high temperature with the pain",) if urgent else (),
        "advice": "get medical help today" if urgent else "book an appointment",
        "answers": {
            "emergency_signs": NO,
            "urgent_signs": YES if urgent else NO,
            "age_group": "adult",
            "pain_location": ["groin", "hip"],
            "pain_on_rising_or_stairs": YES,
            "hip_clicking": NOT_SURE,
            "pain_duration": "weeks",
        },
        "topics_read": ("stretches",),
        "body_parts": ("hip",),
    }
    values.update(changes)
    return ReferralSummary(**values)


def fhir_of(referral_id: str) -> str:
    """A stand-in for the referral's FHIR JSON (its content is not what these tests check)."""
    return json.dumps({"resourceType": "Bundle", "id": referral_id, "type": "collection"})


T0 = 1_800_000_000.0  # 2027-01-15T08:00:00Z, a fixed "now" that tests step forward


def store_referral(
    outbox: Outbox,
    channels: Sequence[str] = ("slack", "email"),
    sender_id: str = "conversation-1",
    now: float = T0,
    patient_email: Optional[str] = None,
    urgent: bool = False,
) -> str:
    """Stores a referral of `make_summary(sender_id, urgent)` for `channels`; returns its id."""
    referral_id = new_referral_id()
    outbox.store(
        referral_id,
        make_summary(sender_id, urgent=urgent),
        fhir_of(referral_id),
        channels,
        patient_email=patient_email,
        now=now,
    )
    return referral_id


def delivery_rows(outbox: Outbox) -> Dict[Tuple[str, str], Any]:
    """Every delivery row, by (referral id, channel), as stored."""
    with outbox.engine.connect() as connection:
        rows = connection.execute(sa.select(deliveries_table)).fetchall()
    return {(row.referral_id, row.channel): row for row in rows}
