"""The conversation lock on Redis, safe for several Rasa replicas and quick to fail.

Rasa's RedisLockStore reads a lock, changes it and writes it back in separate steps, so two
replicas taking a ticket for the same conversation at the same moment can both get the same
ticket and answer at once. Ours makes each change one optimistic Redis transaction (WATCH/MULTI).
When Redis is unreachable it logs one clear error and raises LockError within seconds; the
channels then give the patient a polite reply instead of hanging.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from contextlib import asynccontextmanager
from typing import AsyncIterator, Callable, Optional, Tuple, TypeVar

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import (
    LOCK_LIFETIME,
    InMemoryLockStore,
    LockError,
    LockStore,
    RedisLockStore,
)
from rasa.utils.endpoints import EndpointConfig

from core.settings import DEFAULT_REDIS_KEY_PREFIX, REDIS_TIMEOUT_SECONDS
from server import rasa_patches

logger = logging.getLogger(__name__)

# Optimistic transactions retried this often before giving up (only under heavy contention).
MAX_TRANSACTION_ATTEMPTS = 100

Result = TypeVar("Result")
LockChange = Callable[[Optional[TicketLock]], Tuple[Optional[TicketLock], Result]]


def redis_address(url: str) -> str:
    """host:port/db of a Redis URL, without any password, for log messages."""
    parts = redis.connection.parse_url(url)
    return f"{parts.get('host', 'localhost')}:{parts.get('port', 6379)}/{parts.get('db', 0)}"


class ClinicRedisLockStore(RedisLockStore):
    """Ticket locks in Redis, changed atomically; configured by `url` and `key_prefix`."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        url = endpoint_config.url
        self.address = redis_address(url)
        self.red = redis.StrictRedis.from_url(
            url,
            socket_timeout=REDIS_TIMEOUT_SECONDS,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        )
        rasa_patches.set_lock_key_prefix(
            self, endpoint_config.kwargs.get("key_prefix") or DEFAULT_REDIS_KEY_PREFIX
        )
        # Rasa's LockStore base class keeps no state of its own.
        super(RedisLockStore, self).__init__()

    def _unreachable(self, error: redis.RedisError) -> LockError:
        logger.error(
            "Redis at %s is unreachable (%s): conversations cannot be locked, so patients get "
            "an apology until it is back.",
            self.address,
            type(error).__name__,
        )
        return LockError(f"Redis at {self.address} is unreachable")

    def _change(self, conversation_id: str, change: LockChange) -> Result:
        """Applies `change` to the stored lock in one transaction; None deletes the lock."""
        key = self.key_prefix + conversation_id
        try:
            with self.red.pipeline() as pipeline:
                for _ in range(MAX_TRANSACTION_ATTEMPTS):
                    try:
                        pipeline.watch(key)
                        stored = pipeline.get(key)
                        lock = TicketLock.from_dict(json.loads(stored)) if stored else None
                        new_lock, result = change(lock)
                        pipeline.multi()
                        if new_lock is None:
                            pipeline.delete(key)
                        else:
                            pipeline.set(key, new_lock.dumps())
                        pipeline.execute()
                        return result
                    except redis.WatchError:
                        continue  # another replica changed the lock first: read it again
        except redis.RedisError as error:
            raise self._unreachable(error) from error
        raise LockError(f"The lock of conversation {conversation_id} is too contended")

    def get_lock(self, conversation_id: str) -> Optional[TicketLock]:
        try:
            return super().get_lock(conversation_id)
        except redis.RedisError as error:
            raise self._unreachable(error) from error

    def delete_lock(self, conversation_id: str) -> None:
        try:
            super().delete_lock(conversation_id)
        except redis.RedisError as error:
            raise self._unreachable(error) from error

    def save_lock(self, lock: TicketLock) -> None:
        try:
            super().save_lock(lock)
        except redis.RedisError as error:
            raise self._unreachable(error) from error

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def take_ticket(lock: Optional[TicketLock]) -> Tuple[TicketLock, int]:
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        return self._change(conversation_id, take_ticket)

    def update_lock(self, conversation_id: str) -> None:
        def drop_expired(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, drop_expired)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        def finish(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._change(conversation_id, finish)

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = 1,
    ) -> AsyncIterator[TicketLock]:
        """Rasa's ticket lock, except that a replica keeps its ticket alive while it waits.

        Rasa counts a ticket's lifetime from when it was issued, waiting included: a message
        queued behind a replica that died mid-turn loses its own ticket when the dead one
        expires, and then waits forever for a turn that never comes. Here every poll renews the
        waiting ticket, so only the tickets of replicas that stopped polling expire, and a turn
        gets its whole lifetime from when it starts."""
        ticket = self.issue_ticket(conversation_id, lock_lifetime)
        try:
            yield await self._wait_for_turn(
                conversation_id, ticket, lock_lifetime, wait_time_in_seconds
            )
        finally:
            self.cleanup(conversation_id, ticket)

    async def _wait_for_turn(
        self, conversation_id: str, ticket: int, lifetime: float, wait_time_in_seconds: float
    ) -> TicketLock:
        def renew(lock: Optional[TicketLock]) -> Tuple[TicketLock, TicketLock]:
            if lock is not None:
                lock.remove_expired_tickets()
            own = [held for held in (lock.tickets if lock else []) if held.number == ticket]
            if not own:  # only when this replica could not poll for a whole lifetime
                raise LockError(f"Lost the place in the queue of {conversation_id}")
            own[0].expires = time.time() + lifetime
            return lock, lock

        while True:
            lock = self._change(conversation_id, renew)
            if not lock.is_locked(ticket):
                return lock
            await asyncio.sleep(wait_time_in_seconds)


class ClinicLockStore:
    """The lock store endpoints.yml names: Redis (ClinicRedisLockStore) when `url` is set, else
    Rasa's in-process InMemoryLockStore, which suits a single server.

    Rasa builds a custom lock store by calling the class named in endpoints.yml with the
    endpoint's config; `__new__` hands back the right store, so one committed endpoints.yml
    serves both set-ups without a generated file.
    """

    def __new__(cls, endpoint_config: EndpointConfig) -> LockStore:  # type: ignore[misc]
        if locks_are_shared(endpoint_config):
            return ClinicRedisLockStore(endpoint_config)
        return InMemoryLockStore()


def locks_are_shared(endpoint_config: EndpointConfig) -> bool:
    """True when endpoints.yml's lock store has a Redis URL: the locks are shared by every
    replica (and by the staff commands); else each Rasa server keeps its own."""
    return bool((endpoint_config.url or "").strip())
