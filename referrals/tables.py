"""The outbox's two tables in the conversation database (beside Rasa's `events`), and how that
database is opened: as the tracker store opens it (server/tracker_store.py), which this package
may not import."""

from __future__ import annotations

import os
import time
from typing import Any, Mapping

import sqlalchemy as sa

from core.settings import DEFAULT_SQLITE_PATH, _text

PENDING, DELIVERED, CANCELLED = "pending", "delivered", "cancelled"
# The patient's own copy, beside the staff channels ("slack", "email").
PATIENT_EMAIL = "patient_email"
SQLITE_BUSY_TIMEOUT_SECONDS = 15
CREATE_ATTEMPTS = 3

metadata = sa.MetaData()
referrals_table = sa.Table(
    "referrals",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("sender_id", sa.Text, nullable=False, index=True),
    sa.Column("created_at", sa.Float, nullable=False, index=True),
    sa.Column("urgent", sa.Boolean, nullable=False, default=False),
    sa.Column("triage_level", sa.Text, nullable=True),
    sa.Column("summary_json", sa.Text, nullable=True),
    sa.Column("fhir_json", sa.Text, nullable=True),
    sa.Column("erased", sa.Boolean, nullable=False, default=False),
)
deliveries_table = sa.Table(
    "referral_deliveries",
    metadata,
    sa.Column("referral_id", sa.Text, sa.ForeignKey("referrals.id"), primary_key=True),
    sa.Column("channel", sa.Text, primary_key=True),
    # The patient's address for "patient_email": content, erased with the referral.
    sa.Column("recipient", sa.Text, nullable=True),
    sa.Column("status", sa.Text, nullable=False, default=PENDING),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("next_attempt_at", sa.Float, nullable=False),
    sa.Column("claimed_by", sa.Text, nullable=True),
    sa.Column("claimed_until", sa.Float, nullable=True),
    sa.Column("delivered_at", sa.Float, nullable=True),
    # An exception's type name only, never its message.
    sa.Column("last_error", sa.Text, nullable=True),
    sa.Index("ix_referral_deliveries_due", "status", "next_attempt_at"),
)


def _write_ahead_log(connection: Any, _record: Any) -> None:
    """SQLite in WAL mode, as the tracker store opens it (server/tracker_store.py)."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def engine_from_environment(environment: Mapping[str, str] = os.environ) -> sa.engine.Engine:
    """The conversation database's engine: DATABASE_URL (PostgreSQL), else the SQLite file
    TRACKER_SQLITE_PATH (default tracker.db) in WAL mode, as the tracker store opens it."""
    database_url = _text(environment, "DATABASE_URL")
    if database_url:
        if database_url.startswith("postgres://"):
            database_url = database_url.replace("postgres://", "postgresql://", 1)
        return sa.create_engine(database_url, pool_pre_ping=True)
    path = _text(environment, "TRACKER_SQLITE_PATH") or DEFAULT_SQLITE_PATH
    engine = sa.create_engine(
        f"sqlite:///{path}",
        pool_pre_ping=True,
        # Keep a few connections open (closing the last one checkpoints the log), usable from the
        # worker's thread, waiting for another process's write instead of failing at once.
        poolclass=sa.pool.QueuePool,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_SECONDS},
    )
    sa.event.listen(engine, "connect", _write_ahead_log)
    return engine


def _is_creation_race(error: sa.exc.DBAPIError) -> bool:
    """The error of a CREATE that another process ran first (PostgreSQL reports it as an
    existing relation or as a duplicate key in its catalogue)."""
    text = str(error.orig).lower()
    return "already exists" in text or "duplicate key" in text


def create_tables(engine: sa.engine.Engine) -> None:
    """Creates the tables if missing; safe when several replicas start at once."""
    for attempt in range(1, CREATE_ATTEMPTS + 1):
        try:
            metadata.create_all(engine, checkfirst=True)
            return
        except (sa.exc.ProgrammingError, sa.exc.IntegrityError, sa.exc.OperationalError) as error:
            if not _is_creation_race(error) or attempt == CREATE_ATTEMPTS:
                raise
            time.sleep(0.2)  # the other replica's CREATE commits; checkfirst then sees it
