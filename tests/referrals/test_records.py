"""Tests for referrals/records.py through the outbox, on SQLite and PostgreSQL: the staff
listing, "delete my data" (content erased, delivered records kept, the rest cancelled) and the
retention purge."""

from __future__ import annotations

from typing import List

import sqlalchemy as sa

from referrals.outbox import Delivery, Outbox
from referrals.tables import CANCELLED, DELIVERED, referrals_table
from tests.support.referrals import (
    PATIENT_EMAIL,
    PATIENT_NAME,
    T0,
    delivery_rows,
    fhir_of,
    store_referral,
)

DAY = 24 * 60 * 60


def test_forgetting_a_sender_erases_content_keeps_delivered_records_and_cancels_the_rest(
    outbox: Outbox,
) -> None:
    forgotten = store_referral(
        outbox, ("slack", "email"), "patient-forgets", patient_email=PATIENT_EMAIL
    )
    kept = store_referral(outbox, ("slack",), "patient-stays", T0 + 1, patient_email=PATIENT_EMAIL)
    claimed = outbox.claim_due("worker", now=T0 + 2)
    slack = next(d for d in claimed if (d.referral_id, d.channel) == (forgotten, "slack"))
    outbox.mark_delivered(slack, "worker", now=T0 + 3)
    for delivery in claimed:
        if delivery is not slack:
            outbox.mark_failed(delivery, "worker", "SMTPException", 30, 3600, now=T0 + 3)

    assert outbox.forget_sender("patient-forgets") == 1
    assert outbox.forget_sender("patient-forgets") == 0  # nothing of theirs is left to find

    rows = delivery_rows(outbox)
    assert rows[(forgotten, "slack")].status == DELIVERED
    assert rows[(forgotten, "slack")].delivered_at == T0 + 3
    assert rows[(forgotten, "email")].status == CANCELLED
    assert rows[(forgotten, "patient_email")].status == CANCELLED
    assert all(row.recipient is None for key, row in rows.items() if key[0] == forgotten)
    assert rows[(kept, "patient_email")].recipient == PATIENT_EMAIL
    # The cancelled ones are never sent, however late; the other patient's still are.
    due = outbox.claim_due("worker", now=T0 + DAY)
    assert {(d.referral_id, d.channel) for d in due} == {(kept, "slack"), (kept, "patient_email")}

    listing = {referral["id"]: referral for referral in outbox.referrals()}
    assert listing[forgotten]["erased"] is True and listing[forgotten]["summary"] is None
    assert listing[forgotten]["sender_id"] != "patient-forgets"
    assert listing[forgotten]["triage_level"] is None
    assert outbox.fhir(forgotten) is None and outbox.fhir(kept) == fhir_of(kept)
    with outbox.engine.connect() as connection:
        [row] = connection.execute(
            sa.select(referrals_table).where(referrals_table.c.id == forgotten)
        ).fetchall()
    assert (row.summary_json, row.fhir_json) == (None, None)
    assert "patient-forgets" not in str(outbox.referrals())
    assert PATIENT_NAME in str(listing[kept])


def test_a_delivery_erased_while_claimed_is_not_sent_but_one_already_sent_is_recorded(
    outbox: Outbox,
) -> None:
    store_referral(outbox, sender_id="patient-forgets", channels=("slack", "email"))
    claimed: List[Delivery] = outbox.claim_due("worker", now=T0)
    outbox.forget_sender("patient-forgets")
    # The worker checks its claim right before sending: both are gone...
    assert not any(outbox.renew_claim(d, "worker", now=T0 + 1) for d in claimed)
    # ...but one that was already on its way when the patient asked is recorded as sent.
    assert outbox.mark_delivered(claimed[0], "worker", now=T0 + 1)
    statuses = {channel: row.status for (_, channel), row in delivery_rows(outbox).items()}
    assert statuses == {claimed[0].channel: DELIVERED, claimed[1].channel: CANCELLED}


def test_purge_deletes_old_referrals_with_their_deliveries_delivered_or_not(
    outbox: Outbox,
) -> None:
    old = store_referral(outbox, sender_id="old", now=T0 - 31 * DAY)
    [delivery, _] = outbox.claim_due("worker", now=T0 - 31 * DAY)
    outbox.mark_delivered(delivery, "worker", now=T0 - 31 * DAY)
    recent = store_referral(outbox, sender_id="recent", now=T0 - 29 * DAY)
    assert outbox.purge_older_than(30, now=T0) == 1
    assert [referral["id"] for referral in outbox.referrals()] == [recent]
    assert {referral_id for referral_id, _ in delivery_rows(outbox)} == {recent}
    assert outbox.fhir(old) is None


def test_the_listing_is_newest_first_and_limited(outbox: Outbox) -> None:
    ids = [store_referral(outbox, sender_id=f"conversation-{n}", now=T0 + n) for n in range(5)]
    assert [referral["id"] for referral in outbox.referrals()] == ids[::-1]
    assert [referral["id"] for referral in outbox.referrals(limit=2)] == ids[:2:-1]
    assert outbox.fhir("no-such-referral") is None
