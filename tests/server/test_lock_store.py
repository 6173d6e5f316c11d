"""Tests for server/lock_store.py on the machine's real Redis: replicas never share a ticket,
a conversation is answered one turn at a time, and an unreachable Redis fails fast and clearly."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from typing import Iterator, List

import pytest
import redis
from rasa.core.lock_store import LockError
from rasa.utils.endpoints import EndpointConfig

from scripts.local_services import TEST_REDIS_URL, scratch_redis_prefix
from server.lock_store import ClinicRedisLockStore


@pytest.fixture()
def prefix() -> Iterator[str]:
    with scratch_redis_prefix("locks") as own_prefix:
        yield own_prefix


def replica_store(prefix: str, url: str = TEST_REDIS_URL) -> ClinicRedisLockStore:
    """A lock store as one Rasa replica opens it from its endpoints file."""
    return ClinicRedisLockStore(EndpointConfig(url=url, type="lock", key_prefix=prefix))


def test_replicas_taking_tickets_at_the_same_moment_never_get_the_same_one(prefix: str) -> None:
    tickets: List[int] = []
    guard = threading.Lock()

    def take_tickets() -> None:
        store = replica_store(prefix)  # each thread is a replica with its own connection
        for _ in range(150):
            ticket = store.issue_ticket("busy-conversation", lock_lifetime=60)
            with guard:
                tickets.append(ticket)

    replicas = [threading.Thread(target=take_tickets) for _ in range(3)]
    for replica in replicas:
        replica.start()
    for replica in replicas:
        replica.join(timeout=120)
    assert len(tickets) == 450
    assert len(set(tickets)) == 450


def test_a_second_replica_waits_until_the_first_has_finished_the_turn(prefix: str) -> None:
    first, second = replica_store(prefix), replica_store(prefix)
    timeline: List[str] = []

    async def turn(store: ClinicRedisLockStore, name: str, delay: float) -> None:
        await asyncio.sleep(delay)
        async with store.lock("shared-conversation", wait_time_in_seconds=0.05):
            timeline.append(f"{name} starts")
            await asyncio.sleep(0.5)
            timeline.append(f"{name} ends")

    async def both() -> None:
        await asyncio.gather(turn(first, "first", 0), turn(second, "second", 0.1))

    asyncio.run(both())
    assert timeline == ["first starts", "first ends", "second starts", "second ends"]
    # The lock is gone once nobody waits: nothing is left behind in Redis.
    assert not list(redis.Redis.from_url(TEST_REDIS_URL).scan_iter(match=f"{prefix}:*"))


def test_a_message_queued_behind_a_replica_that_died_mid_turn_is_served_when_its_ticket_expires(
    prefix: str,
) -> None:
    # The waiter polls every 1.5 s, so when the dead ticket (2 s) has expired its own ticket,
    # taken 0.1 s later, would have expired too had waiting not kept it alive.
    store = replica_store(prefix)
    store.issue_ticket("orphaned-conversation", lock_lifetime=2)  # the replica then dies

    async def queued_turn() -> float:
        started = time.monotonic()
        async with store.lock("orphaned-conversation", 2, wait_time_in_seconds=1.5):
            return time.monotonic() - started

    async def main() -> float:
        await asyncio.sleep(0.1)
        return await asyncio.wait_for(queued_turn(), timeout=20)

    waited = asyncio.run(main())
    assert 1.5 <= waited < 10


def test_an_unreachable_redis_raises_a_lock_error_fast_with_a_clear_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    store = replica_store("unreachable", url="redis://127.0.0.1:1/0")
    started = time.monotonic()
    with caplog.at_level(logging.ERROR, logger="server.lock_store"):
        with pytest.raises(LockError):
            store.issue_ticket("anyone")
    assert time.monotonic() - started < 5
    assert "Redis at 127.0.0.1:1/0 is unreachable" in caplog.text
