"""What happens to stored referrals after delivery: staff read them (newest first, with their
deliveries, and each one's FHIR form), a patient's "delete my data" erases their content, and the
retention purge deletes old ones. `Outbox` offers each of these as a method."""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional

import sqlalchemy as sa

from referrals.tables import CANCELLED, PENDING, deliveries_table, referrals_table

SECONDS_PER_DAY = 24 * 60 * 60
# What an erased referral's sender id becomes: nothing left links it to the conversation.
ERASED_SENDER = "erased"


def iso_utc(timestamp: Optional[float]) -> Optional[str]:
    if timestamp is None:
        return None
    return datetime.fromtimestamp(timestamp, timezone.utc).isoformat()


def list_referrals(engine: sa.engine.Engine, limit: int = 200) -> List[Dict[str, Any]]:
    """The newest `limit` referrals, newest first, with their deliveries, for staff."""
    referrals, deliveries = referrals_table.c, deliveries_table.c
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(referrals_table)
            .order_by(referrals.created_at.desc(), referrals.id)
            .limit(limit)
        ).fetchall()
        ids = [row.id for row in rows]
        delivery_rows = connection.execute(
            sa.select(
                deliveries.referral_id,
                deliveries.channel,
                deliveries.status,
                deliveries.attempts,
                deliveries.delivered_at,
                deliveries.last_error,
            )
            .where(deliveries.referral_id.in_(ids))
            .order_by(deliveries.channel)
        ).fetchall()
    by_referral: Dict[str, List[Dict[str, Any]]] = {referral_id: [] for referral_id in ids}
    for row in delivery_rows:
        by_referral[row.referral_id].append(
            {
                "channel": row.channel,
                "status": row.status,
                "attempts": row.attempts,
                "delivered_at": iso_utc(row.delivered_at),
                "last_error": row.last_error,
            }
        )
    return [
        {
            "id": row.id,
            "sender_id": row.sender_id,
            "created_at": iso_utc(row.created_at),
            "urgent": bool(row.urgent),
            "triage_level": row.triage_level,
            "erased": bool(row.erased),
            "summary": None if row.erased else json.loads(row.summary_json or "null"),
            "deliveries": by_referral[row.id],
        }
        for row in rows
    ]


def referral_fhir(engine: sa.engine.Engine, referral_id: str) -> Optional[str]:
    """The referral's FHIR JSON; None when unknown or erased."""
    referrals = referrals_table.c
    with engine.connect() as connection:
        row = connection.execute(
            sa.select(referrals.fhir_json, referrals.erased).where(referrals.id == referral_id)
        ).first()
    if row is None or row.erased:
        return None
    return row.fhir_json


def forget_sender(engine: sa.engine.Engine, sender_id: str) -> int:
    """Erases the content of every referral of `sender_id` ("delete my data"): summary,
    FHIR form, triage level, the patient's address and the sender id itself. Delivered
    deliveries stay as a record (channel, status, when); undelivered ones are cancelled and
    never sent. Returns how many referrals were erased."""
    referrals, deliveries = referrals_table.c, deliveries_table.c
    with engine.begin() as connection:
        ids = [
            referral_id
            for (referral_id,) in connection.execute(
                sa.select(referrals.id).where(referrals.sender_id == sender_id)
            ).fetchall()
        ]
        if not ids:
            return 0
        # The deliveries first: a worker holding one waits for us (PostgreSQL), then finds
        # it cancelled and does not send it.
        connection.execute(
            deliveries_table.update()
            .where(deliveries.referral_id.in_(ids))
            .where(deliveries.status == PENDING)
            .values(status=CANCELLED)
        )
        connection.execute(
            deliveries_table.update().where(deliveries.referral_id.in_(ids)).values(recipient=None)
        )
        connection.execute(
            referrals_table.update()
            .where(referrals.id.in_(ids))
            .values(
                sender_id=ERASED_SENDER,
                triage_level=None,
                summary_json=None,
                fhir_json=None,
                erased=True,
            )
        )
    return len(ids)


def purge_older_than(engine: sa.engine.Engine, days: float, now: Optional[float] = None) -> int:
    """Deletes the referrals created more than `days` days ago, with their deliveries,
    delivered or not; returns how many referrals."""
    cutoff = (time.time() if now is None else now) - days * SECONDS_PER_DAY
    referrals, deliveries = referrals_table.c, deliveries_table.c
    old = sa.select(referrals.id).where(referrals.created_at < cutoff)
    with engine.begin() as connection:
        connection.execute(deliveries_table.delete().where(deliveries.referral_id.in_(old)))
        result = connection.execute(referrals_table.delete().where(referrals.created_at < cutoff))
    return result.rowcount
