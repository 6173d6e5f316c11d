"""The conversation locks the Rasa replicas share in Redis, read as the replicas read them."""

from __future__ import annotations

import time
from typing import List, Tuple

from rasa.core.lock import Ticket
from rasa.utils.endpoints import EndpointConfig

from server.lock_store import ClinicRedisLockStore


def shared_lock_store(redis_url: str, key_prefix: str) -> ClinicRedisLockStore:
    """The lock store a replica opens from its endpoints file."""
    return ClinicRedisLockStore(EndpointConfig(url=redis_url, type="lock", key_prefix=key_prefix))


def tickets_of(locks: ClinicRedisLockStore, sender: str) -> List[Ticket]:
    """The tickets on one conversation's lock, oldest first, expired ones included."""
    lock = locks.get_lock(sender)
    return list(lock.tickets) if lock else []


def wait_for_a_ticket(
    locks: ClinicRedisLockStore, sender: str, timeout: float
) -> Tuple[Ticket, float]:
    """The first ticket a replica takes on the conversation's lock (the start of its turn), and
    the time.time() it was seen; polls every 10 ms, up to `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        tickets = tickets_of(locks, sender)
        if tickets:
            return tickets[0], time.time()
        time.sleep(0.01)
    raise TimeoutError(f"no replica took the lock of {sender} within {timeout} s")
