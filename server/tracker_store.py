"""Where conversations are kept: Rasa's SQL tracker store on PostgreSQL or SQLite, plus what a
clinic needs around it.

- Survives a database restart: stale pooled connections are tested before use
  (`pool_pre_ping`), and a read or write that fails on a dropped connection is tried again for a
  few seconds, so a PostgreSQL restart mid-conversation loses nothing.
- Deletes a conversation for good when the patient asked for it (`action_delete_my_data` sets
  the `data_deletion_requested` slot; the turn is then deleted instead of saved), and for staff
  (`scripts/forget_conversation.py`) and the retention purge (`scripts/purge_conversations.py`);
  the patient's referrals (`referrals.outbox`, same database) go with it.
- Applies every run-time patch of Rasa (`server.rasa_patches.apply_all`, with the action
  timeout): its constructor is THE start-up point, since every Rasa server of this project
  builds this store from endpoints.yml before it handles a message. SQLite runs in WAL mode.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Awaitable, Callable, Iterable, List, Optional, TypeVar

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine.url import make_url

from core.names import DELETION_SLOT
from core.settings import DEFAULT_SQLITE_PATH, Settings
from referrals.outbox import Outbox
from server import rasa_patches

logger = logging.getLogger(__name__)

# A PostgreSQL restart takes a second or two; a patient's turn waits at most this long for it.
DATABASE_ATTEMPTS = 5
SECONDS_BETWEEN_ATTEMPTS = 1.0
SECONDS_PER_DAY = 24 * 60 * 60

Result = TypeVar("Result")


def is_connection_error(error: Exception) -> bool:
    """True for the errors a database restart or a dropped connection causes."""
    return isinstance(error, sa.exc.OperationalError) or (
        isinstance(error, sa.exc.DBAPIError) and error.connection_invalidated
    )


def _write_ahead_log(connection: Any, _record: Any) -> None:
    """SQLite in WAL mode: readers never wait for the writer, and a commit no longer waits for
    the disk twice. A process crash loses nothing; a power cut can lose the last turns."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def action_server_timeout(value: Optional[Any]) -> float:
    """The action timeout in seconds from endpoints.yml, where `${ACTION_SERVER_TIMEOUT_SECONDS}`
    arrives as text and may be empty; checked and defaulted as the settings do."""
    text = "" if value is None else str(value)
    settings = Settings.from_environment({"ACTION_SERVER_TIMEOUT_SECONDS": text})
    return settings.action_server_timeout_seconds


class ClinicTrackerStore(SQLTrackerStore):
    """Rasa's SQLTrackerStore, configured by one `url` (PostgreSQL) or an SQLite file `db`, and
    `action_server_timeout_seconds` (this store is the one plugin every Rasa server loads, so it
    applies the patches of Rasa; see `server.rasa_patches`)."""

    def __init__(
        self,
        domain: Optional[Domain] = None,
        host: Optional[str] = None,
        db: Optional[str] = None,
        event_broker: Any = None,
        action_server_timeout_seconds: Optional[Any] = None,
        **kwargs: Any,
    ) -> None:
        # THE start-up point of the patches: before Rasa handles any message.
        rasa_patches.apply_all(action_server_timeout(action_server_timeout_seconds))
        # endpoints.yml passes every value as text, empty when its variable is not configured.
        db = db or DEFAULT_SQLITE_PATH
        if host and "://" in host:
            url = make_url(host.replace("postgres://", "postgresql://", 1))
            super().__init__(
                domain,
                dialect="postgresql",
                host=url.host,
                port=url.port,
                db=url.database,
                username=url.username,
                password=url.password,
                event_broker=event_broker,
                query=dict(url.query) or None,
                **kwargs,
            )
        else:
            super().__init__(domain, dialect="sqlite", db=db, event_broker=event_broker, **kwargs)
        # Rasa's engine keeps pooled connections that a database restart silently breaks.
        engine_url = self.engine.url
        self.engine.dispose()
        options = create_engine_kwargs(engine_url)
        is_sqlite = engine_url.get_backend_name() == "sqlite"
        if is_sqlite:
            # SQLAlchemy 1.4 opens a new SQLite connection for every read and write of a file
            # database, and closing the last one checkpoints the log: keep a few open instead.
            options.update(poolclass=sa.pool.QueuePool, connect_args={"check_same_thread": False})
        self.engine = sa.create_engine(engine_url, pool_pre_ping=True, **options)
        if is_sqlite:
            sa.event.listen(self.engine, "connect", _write_ahead_log)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        # The referrals patients consented to live in the same database: deleting a
        # conversation or purging old ones covers them too.
        self.referrals = Outbox(self.engine)
        self.referrals.create_tables()

    async def _retrying(self, what: str, operation: Callable[[], Awaitable[Result]]) -> Result:
        for attempt in range(1, DATABASE_ATTEMPTS + 1):
            try:
                return await operation()
            except sa.exc.DBAPIError as error:
                if not is_connection_error(error) or attempt == DATABASE_ATTEMPTS:
                    logger.error(
                        "Conversation database: %s failed (%s).", what, type(error).__name__
                    )
                    raise
                logger.warning(
                    "Conversation database unreachable while trying to %s (attempt %d of %d); "
                    "trying again.",
                    what,
                    attempt,
                    DATABASE_ATTEMPTS,
                )
                await asyncio.sleep(SECONDS_BETWEEN_ATTEMPTS)
        raise AssertionError("unreachable")

    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        return await self._retrying(
            "read a conversation", lambda: super(ClinicTrackerStore, self).retrieve(sender_id)
        )

    async def retrieve_full_tracker(self, conversation_id: str) -> Optional[DialogueStateTracker]:
        return await self._retrying(
            "read a conversation",
            lambda: super(ClinicTrackerStore, self).retrieve_full_tracker(conversation_id),
        )

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Saves the turn's new events, or deletes the whole conversation if the patient asked.

        Saving only adds the events not stored yet, so trying again after a dropped connection
        never stores an event twice."""
        if tracker.get_slot(DELETION_SLOT):
            await self._retrying(
                "delete a conversation", lambda: self.delete_conversation(tracker.sender_id)
            )
            logger.info("A conversation was deleted at the patient's request.")
            return
        await self._retrying(
            "save a conversation", lambda: super(ClinicTrackerStore, self).save(tracker)
        )

    async def delete_conversation(self, sender_id: str) -> int:
        """Deletes every stored event of `sender_id`, all sessions, and erases the content of
        its referrals (one already delivered stays only as the record that it was sent);
        returns how many events were deleted."""
        self.referrals.forget_sender(sender_id)
        with self.session_scope() as session:
            deleted = (
                session.query(self.SQLEvent)
                .filter(self.SQLEvent.sender_id == sender_id)
                .delete(synchronize_session=False)
            )
            session.commit()
        return deleted

    async def purge_older_than(self, days: float, now: Optional[float] = None) -> List[str]:
        """Deletes every conversation whose latest event is more than `days` days old; returns
        their sender ids. A conversation still going on is kept whole, old sessions included.
        Referrals made more than `days` days ago are deleted too, delivered or not."""
        self.referrals.purge_older_than(days, now)
        cutoff = (now if now is not None else time.time()) - days * SECONDS_PER_DAY
        with self.session_scope() as session:
            stale: Iterable[Any] = (
                session.query(self.SQLEvent.sender_id)
                .group_by(self.SQLEvent.sender_id)
                .having(sa.func.max(self.SQLEvent.timestamp) < cutoff)
                .all()
            )
            sender_ids = [sender_id for (sender_id,) in stale]
            for start in range(0, len(sender_ids), 500):
                batch = sender_ids[start : start + 500]
                session.query(self.SQLEvent).filter(self.SQLEvent.sender_id.in_(batch)).delete(
                    synchronize_session=False
                )
            session.commit()
        return sender_ids
