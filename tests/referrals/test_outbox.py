"""Tests for referrals/outbox.py and its tables (referrals/tables.py) on SQLite (a file) and
PostgreSQL (a scratch database): storing, claiming (once, between concurrent workers), leases,
backoff, and opening the conversation database."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Dict, List, Tuple

import pytest
import sqlalchemy as sa

from referrals.outbox import Outbox, retry_delay
from referrals.tables import DELIVERED, PENDING
from scripts.local_services import scratch_database
from tests.support.referrals import (
    PATIENT_EMAIL,
    PATIENT_NAME,
    T0,
    delivery_rows,
    fhir_of,
    make_summary,
    store_referral,
)

DAY = 24 * 60 * 60


def test_a_stored_referral_is_claimed_sent_and_recorded_once(outbox: Outbox) -> None:
    referral_id = store_referral(outbox, urgent=True)
    claimed = outbox.claim_due("worker-a", now=T0)
    assert sorted(delivery.channel for delivery in claimed) == ["email", "slack"]
    slack = next(delivery for delivery in claimed if delivery.channel == "slack")
    assert slack.referral_id == referral_id and slack.attempts == 0 and slack.urgent
    assert slack.summary == make_summary(urgent=True)
    assert slack.fhir_json == fhir_of(referral_id)
    # Claimed: nobody else gets them while the lease runs.
    assert outbox.claim_due("worker-b", now=T0 + 1) == []

    assert outbox.mark_delivered(slack, "worker-a", now=T0 + 2)
    [listed] = outbox.referrals()
    assert listed["id"] == referral_id and listed["urgent"] is True
    assert listed["triage_level"] == "urgent" and listed["erased"] is False
    assert listed["summary"]["contact"]["name"] == PATIENT_NAME
    assert listed["created_at"] == "2027-01-15T08:00:00+00:00"
    assert listed["deliveries"] == [
        {"channel": "email", "status": PENDING, "attempts": 0, "delivered_at": None,
         "last_error": None},
        {"channel": "slack", "status": DELIVERED, "attempts": 1,
         "delivered_at": "2027-01-15T08:00:02+00:00", "last_error": None},
    ]  # fmt: skip
    # Delivered is final: never claimed again, even long after.
    later = outbox.claim_due("worker-b", now=T0 + DAY)
    assert [delivery.channel for delivery in later] == ["email"]


def test_storing_is_all_or_nothing(outbox: Outbox) -> None:
    referral_id = store_referral(outbox)
    with pytest.raises(sa.exc.IntegrityError):
        outbox.store(referral_id, make_summary("someone-else"), "{}", ["slack", "patient_email"])
    assert [referral["sender_id"] for referral in outbox.referrals()] == ["conversation-1"]
    assert sorted(delivery_rows(outbox)) == [(referral_id, "email"), (referral_id, "slack")]


def test_the_patient_copy_is_a_delivery_to_their_address(outbox: Outbox) -> None:
    store_referral(outbox, channels=("slack",), patient_email=PATIENT_EMAIL)
    claimed = {delivery.channel: delivery for delivery in outbox.claim_due("worker", now=T0)}
    assert set(claimed) == {"slack", "patient_email"}
    assert claimed["patient_email"].recipient == PATIENT_EMAIL
    assert claimed["slack"].recipient is None


def test_a_failed_delivery_is_retried_only_after_its_doubling_backoff(outbox: Outbox) -> None:
    store_referral(outbox, channels=("slack",))
    now = T0
    for attempts, delay in enumerate([30, 60, 120, 120]):
        [delivery] = outbox.claim_due("worker", now=now)
        assert delivery.attempts == attempts
        assert outbox.mark_failed(delivery, "worker", "ConnectionError", 30, 120, now=now)
        # Not before the delay; due once it (and at most 10% jitter) has passed.
        assert outbox.claim_due("worker", now=now + delay - 1) == []
        now += delay * 1.1 + 0.01
    [row] = delivery_rows(outbox).values()
    assert (row.status, row.attempts, row.last_error) == (PENDING, 4, "ConnectionError")


def test_retry_delays_double_up_to_the_cap_with_a_little_jitter() -> None:
    for attempts, base in [(0, 30), (1, 60), (2, 120), (6, 1920), (7, 3600), (500, 3600)]:
        delay = retry_delay(attempts, 30, 3600)
        assert base <= delay <= base * 1.1


def test_an_expired_claim_passes_to_another_worker_and_the_first_cannot_record(
    outbox: Outbox,
) -> None:
    store_referral(outbox, channels=("slack",))
    [first] = outbox.claim_due("worker-a", now=T0, lease_seconds=60)
    assert outbox.claim_due("worker-b", now=T0 + 59) == []
    [second] = outbox.claim_due("worker-b", now=T0 + 61)
    # Worker a's lease ran out: its late results are ignored; worker b's count.
    assert not outbox.renew_claim(first, "worker-a", now=T0 + 62)
    assert not outbox.mark_failed(first, "worker-a", "Timeout", 30, 3600, now=T0 + 62)
    assert not outbox.mark_delivered(first, "worker-a", now=T0 + 62)
    assert outbox.mark_delivered(second, "worker-b", now=T0 + 63)
    [row] = delivery_rows(outbox).values()
    assert (row.status, row.attempts, row.claimed_by) == (DELIVERED, 1, None)


def test_claims_can_be_limited_to_the_channels_a_worker_can_send(outbox: Outbox) -> None:
    store_referral(outbox, channels=("slack", "email"))
    assert [d.channel for d in outbox.claim_due("worker", now=T0, channels=["slack"])] == ["slack"]
    assert outbox.pending_channels() == ["email", "slack"]


def test_creating_the_tables_twice_and_from_two_replicas_at_once_is_safe(
    database_environment: Dict[str, str],
) -> None:
    outboxes = [Outbox.open(database_environment) for _ in range(4)]
    errors: List[BaseException] = []

    def create(outbox: Outbox) -> None:
        try:
            outbox.create_tables()
            outbox.create_tables()
        except BaseException as error:  # noqa: B036 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=create, args=(outbox,)) for outbox in outboxes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert set(sa.inspect(outboxes[0].engine).get_table_names()) >= {
        "referrals",
        "referral_deliveries",
    }
    for outbox in outboxes:
        outbox.close()


def test_sqlite_is_opened_in_write_ahead_log_mode(tmp_path: Path) -> None:
    outbox = Outbox.open({"TRACKER_SQLITE_PATH": str(tmp_path / "conversations.db")})
    outbox.create_tables()
    with outbox.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert (tmp_path / "conversations.db").exists()
    outbox.close()


def test_a_heroku_style_postgres_url_is_accepted() -> None:
    with scratch_database("outbox") as url:
        outbox = Outbox.open({"DATABASE_URL": url.replace("postgresql://", "postgres://", 1)})
        outbox.create_tables()
        assert outbox.engine.dialect.name == "postgresql"
        outbox.close()


def test_concurrent_claimers_never_claim_the_same_delivery(
    database_environment: Dict[str, str],
) -> None:
    setup = Outbox.open(database_environment)
    setup.create_tables()
    ids = [store_referral(setup, sender_id=f"conversation-{n}") for n in range(60)]
    claims: Dict[str, List[Tuple[str, str]]] = {"worker-a": [], "worker-b": []}
    errors: List[BaseException] = []
    start = threading.Barrier(2)

    def work(worker_id: str) -> None:
        outbox = Outbox.open(database_environment)
        try:
            start.wait(timeout=10)
            for _ in range(200):  # bounded: 120 deliveries, at most 5 a round
                claimed = outbox.claim_due(worker_id, now=T0, limit=5)
                if not claimed and not outbox.pending_channels():
                    break
                for delivery in claimed:
                    claims[worker_id].append((delivery.referral_id, delivery.channel))
                    assert outbox.mark_delivered(delivery, worker_id, now=T0)
        except BaseException as error:  # noqa: B036 (reported below)
            errors.append(error)
        finally:
            outbox.close()

    threads = [threading.Thread(target=work, args=(worker,)) for worker in claims]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    everything = claims["worker-a"] + claims["worker-b"]
    assert len(everything) == len(set(everything)) == 120
    assert {referral_id for referral_id, _ in everything} == set(ids)
    assert all(
        row.status == DELIVERED and row.attempts == 1 for row in delivery_rows(setup).values()
    )
    setup.close()


def test_a_claim_takes_at_most_its_limit_and_leaves_the_rest_to_others(outbox: Outbox) -> None:
    for n in range(4):
        store_referral(outbox, ("slack",), f"conversation-{n}")
    first = outbox.claim_due("worker-a", now=T0, limit=3)
    second = outbox.claim_due("worker-b", now=T0, limit=3)
    assert (len(first), len(second)) == (3, 1)
    assert not {d.referral_id for d in first} & {d.referral_id for d in second}
