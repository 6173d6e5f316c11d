"""The durable outbox of referrals, in the conversation database beside Rasa's `events`.

A consented referral is stored with one pending delivery per staff channel (and one for the
patient's own copy) in ONE transaction; delivery workers, one per action-server replica, claim
due deliveries, send them and mark them delivered, or failed with a later retry.

Exactly once between workers: a delivery is claimed by a conditional UPDATE (pending, claim free
or expired) that counts only when it changed one row, which holds on PostgreSQL (the row lock
makes a second UPDATE re-check its WHERE) and on SQLite (one writer at a time). A claim is a
lease: a worker that dies mid-send leaves it to expire and another worker takes the delivery.
(If a worker sends and then cannot record it, the delivery goes again after the lease: a
duplicate is preferred to a lost referral.)

Only error TYPE names are stored (`last_error`): an exception's message may echo patient text.
"""

from __future__ import annotations

import os
import random
import time
import uuid
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence

import sqlalchemy as sa

from referrals import records
from referrals.summary import ReferralSummary
from referrals.tables import (
    CANCELLED,
    DELIVERED,
    PATIENT_EMAIL,
    PENDING,
    create_tables,
    deliveries_table,
    engine_from_environment,
    referrals_table,
)

# A little randomness in each retry, so workers that failed together do not retry in step.
JITTER_FRACTION = 0.1


@dataclass(frozen=True)
class Delivery:
    """One claimed delivery: what a sender needs to send it. `attempts` counts the attempts
    before this one."""

    referral_id: str
    channel: str
    recipient: Optional[str]
    attempts: int
    urgent: bool
    summary: ReferralSummary
    fhir_json: str


def new_referral_id() -> str:
    return uuid.uuid4().hex


def retry_delay(attempts: int, retry_seconds: float, retry_max_seconds: float) -> float:
    """Seconds before the next try after `attempts` earlier failed ones (0 for the first
    failure): doubling from `retry_seconds`, at most `retry_max_seconds`, plus a little jitter."""
    delay = min(retry_max_seconds, retry_seconds * 2 ** min(attempts, 40))
    return delay + random.uniform(0, delay * JITTER_FRACTION)


class Outbox:
    """The referrals and their deliveries, over one SQLAlchemy engine."""

    def __init__(self, engine: sa.engine.Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, environment: Mapping[str, str] = os.environ) -> Outbox:
        """The outbox in the conversation database the environment names (see
        `engine_from_environment`); call `create_tables()` before first use."""
        return cls(engine_from_environment(environment))

    def close(self) -> None:
        self.engine.dispose()

    def create_tables(self) -> None:
        """Creates the tables if missing; safe when several replicas start at once."""
        create_tables(self.engine)

    def store(
        self,
        referral_id: str,
        summary: ReferralSummary,
        fhir_json: str,
        channels: Sequence[str],
        patient_email: Optional[str] = None,
        now: Optional[float] = None,
    ) -> None:
        """Stores a referral and one pending delivery per channel (and the patient's copy to
        `patient_email`), all or nothing; raises if it could not be stored."""
        now = time.time() if now is None else now
        rows = [{"channel": channel, "recipient": None} for channel in dict.fromkeys(channels)]
        if patient_email:
            rows.append({"channel": PATIENT_EMAIL, "recipient": patient_email})
        with self.engine.begin() as connection:
            connection.execute(
                referrals_table.insert().values(
                    id=referral_id,
                    sender_id=summary.sender_id,
                    created_at=now,
                    urgent=summary.urgent,
                    triage_level=summary.triage_level,
                    summary_json=summary.to_json(),
                    fhir_json=fhir_json,
                    erased=False,
                )
            )
            if rows:
                connection.execute(
                    deliveries_table.insert(),
                    [
                        {
                            **row,
                            "referral_id": referral_id,
                            "status": PENDING,
                            "attempts": 0,
                            "next_attempt_at": now,
                        }
                        for row in rows
                    ],
                )

    def claim_due(
        self,
        worker_id: str,
        now: Optional[float] = None,
        limit: int = 20,
        lease_seconds: float = 120,
        channels: Optional[Sequence[str]] = None,
    ) -> List[Delivery]:
        """Claims up to `limit` due deliveries (of `channels`, default all) for `worker_id`
        for `lease_seconds`; a delivery is claimed by one worker at a time."""
        now = time.time() if now is None else now
        deliveries = deliveries_table.c
        due = (
            sa.select(deliveries.referral_id, deliveries.channel)
            .where(deliveries.status == PENDING)
            .where(deliveries.next_attempt_at <= now)
            .where(sa.or_(deliveries.claimed_until.is_(None), deliveries.claimed_until < now))
            .order_by(deliveries.next_attempt_at)
            # More candidates than wanted: a worker that loses the first ones to another still
            # finds work in the same round.
            .limit(limit * 3)
        )
        if channels is not None:
            due = due.where(deliveries.channel.in_(list(channels)))
        claimed = []
        with self.engine.begin() as connection:
            # Read fully before writing: on SQLite the write then starts a fresh transaction.
            candidates = connection.execute(due).fetchall()
            # One order for every worker, so two never wait on each other's rows in a cycle.
            for referral_id, channel in sorted(
                (row.referral_id, row.channel) for row in candidates
            ):
                result = connection.execute(
                    deliveries_table.update()
                    .where(deliveries.referral_id == referral_id)
                    .where(deliveries.channel == channel)
                    .where(deliveries.status == PENDING)
                    .where(
                        sa.or_(deliveries.claimed_until.is_(None), deliveries.claimed_until < now)
                    )
                    .values(claimed_by=worker_id, claimed_until=now + lease_seconds)
                )
                if result.rowcount == 1:
                    claimed.append((referral_id, channel))
                    if len(claimed) == limit:
                        break
            found = self._deliveries(connection, claimed)
        return [found[key] for key in claimed if key in found]

    def _deliveries(
        self, connection: sa.engine.Connection, keys: Sequence[tuple]
    ) -> Dict[tuple, Delivery]:
        wanted = set(keys)
        referral_ids = sorted({referral_id for referral_id, _ in wanted})
        if not referral_ids:
            return {}
        deliveries, referrals = deliveries_table.c, referrals_table.c
        rows = connection.execute(
            sa.select(
                deliveries.referral_id,
                deliveries.channel,
                deliveries.recipient,
                deliveries.attempts,
                referrals.urgent,
                referrals.summary_json,
                referrals.fhir_json,
            )
            .join(referrals_table, referrals.id == deliveries.referral_id)
            .where(deliveries.referral_id.in_(referral_ids))
        ).fetchall()
        return {
            (row.referral_id, row.channel): Delivery(
                referral_id=row.referral_id,
                channel=row.channel,
                recipient=row.recipient,
                attempts=row.attempts,
                urgent=bool(row.urgent),
                summary=ReferralSummary.from_json(row.summary_json),
                fhir_json=row.fhir_json or "",
            )
            for row in rows
            # Erased while being claimed: forget_sender cancels it, nothing to send.
            if row.summary_json is not None and (row.referral_id, row.channel) in wanted
        }

    def _held(self, delivery: Delivery, worker_id: str) -> Any:
        """The WHERE clause of a delivery this worker still holds."""
        deliveries = deliveries_table.c
        return sa.and_(
            deliveries.referral_id == delivery.referral_id,
            deliveries.channel == delivery.channel,
            deliveries.claimed_by == worker_id,
        )

    def renew_claim(
        self,
        delivery: Delivery,
        worker_id: str,
        now: Optional[float] = None,
        lease_seconds: float = 120,
    ) -> bool:
        """Extends this worker's unexpired claim on a still pending delivery, right before
        sending it; False when the claim was lost (expired and taken, or the referral erased)."""
        now = time.time() if now is None else now
        deliveries = deliveries_table.c
        with self.engine.begin() as connection:
            result = connection.execute(
                deliveries_table.update()
                .where(self._held(delivery, worker_id))
                .where(deliveries.status == PENDING)
                .where(deliveries.claimed_until >= now)
                .values(claimed_until=now + lease_seconds)
            )
        return result.rowcount == 1

    def mark_delivered(
        self, delivery: Delivery, worker_id: str, now: Optional[float] = None
    ) -> bool:
        """Records a sent delivery, if this worker still holds it. A delivery cancelled by an
        erasure while it was being sent is recorded as delivered: it was."""
        now = time.time() if now is None else now
        deliveries = deliveries_table.c
        with self.engine.begin() as connection:
            result = connection.execute(
                deliveries_table.update()
                .where(self._held(delivery, worker_id))
                .where(deliveries.status.in_([PENDING, CANCELLED]))
                .values(
                    status=DELIVERED,
                    attempts=deliveries.attempts + 1,
                    delivered_at=now,
                    claimed_by=None,
                    claimed_until=None,
                )
            )
        return result.rowcount == 1

    def mark_failed(
        self,
        delivery: Delivery,
        worker_id: str,
        error_type: str,
        retry_seconds: float,
        retry_max_seconds: float,
        now: Optional[float] = None,
    ) -> bool:
        """Records a failed attempt (the error's type name only) and when to try again, and
        releases the claim, if this worker still holds it."""
        now = time.time() if now is None else now
        deliveries = deliveries_table.c
        delay = retry_delay(delivery.attempts, retry_seconds, retry_max_seconds)
        with self.engine.begin() as connection:
            result = connection.execute(
                deliveries_table.update()
                .where(self._held(delivery, worker_id))
                .where(deliveries.status == PENDING)
                .values(
                    attempts=deliveries.attempts + 1,
                    next_attempt_at=now + delay,
                    last_error=error_type[:100],
                    claimed_by=None,
                    claimed_until=None,
                )
            )
        return result.rowcount == 1

    def pending_channels(self) -> List[str]:
        """The channels that have deliveries waiting."""
        deliveries = deliveries_table.c
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(deliveries.channel).where(deliveries.status == PENDING).distinct()
            ).fetchall()
        return sorted(channel for (channel,) in rows)

    def referrals(self, limit: int = 200) -> List[Dict[str, Any]]:
        """The newest `limit` referrals, newest first, with their deliveries, for staff (see
        `records.list_referrals`)."""
        return records.list_referrals(self.engine, limit)

    def fhir(self, referral_id: str) -> Optional[str]:
        """The referral's FHIR JSON; None when unknown or erased."""
        return records.referral_fhir(self.engine, referral_id)

    def forget_sender(self, sender_id: str) -> int:
        """Erases the content of every referral of `sender_id` ("delete my data"); delivered
        deliveries stay as a record, undelivered ones are cancelled (see
        `records.forget_sender`). Returns how many referrals were erased."""
        return records.forget_sender(self.engine, sender_id)

    def purge_older_than(self, days: float, now: Optional[float] = None) -> int:
        """Deletes the referrals created more than `days` days ago, with their deliveries,
        delivered or not; returns how many referrals."""
        return records.purge_older_than(self.engine, days, now)
