"""Tests for channels/deliveries.py: a retried delivery is recognised, in this process and in
Redis shared by replicas; memory stays bounded."""

from __future__ import annotations

import asyncio
import uuid
from typing import Hashable, List

import redis
import redis.asyncio

from channels.deliveries import (
    RecentDeliveries,
    SharedDeliveries,
    delivery_record,
)
from core.settings import Settings

REDIS_URL = "redis://127.0.0.1:6379/0"


def first_times(record: object, keys: List[Hashable]) -> List[bool]:
    async def check() -> List[bool]:
        return [await record.first_time(key) for key in keys]  # type: ignore[attr-defined]

    return asyncio.run(check())


def test_a_repeated_delivery_is_not_a_first_time() -> None:
    assert first_times(RecentDeliveries(), [7, 7, 8]) == [True, False, True]


def test_the_record_remembers_recent_keys_and_forgets_the_oldest() -> None:
    record = RecentDeliveries(capacity=3)
    assert first_times(record, ["a", "b", "a", "c", "d"]) == [True, True, False, True, True]
    assert len(record) == 3  # "a" is forgotten now
    assert first_times(record, ["d", "b", "a"]) == [False, False, True]


def test_two_replicas_sharing_redis_answer_a_retry_once() -> None:
    namespace = f"test{uuid.uuid4().hex}:delivery:telegram"

    async def replicas_see() -> List[bool]:
        # Two clients stand for two replicas' connections.
        first = redis.asyncio.Redis.from_url(REDIS_URL)
        second = redis.asyncio.Redis.from_url(REDIS_URL)
        try:
            return [
                await SharedDeliveries(first, namespace).first_time(41),
                await SharedDeliveries(second, namespace).first_time(41),
                await SharedDeliveries(second, namespace).first_time(42),
            ]
        finally:
            await first.close()
            await second.close()

    try:
        assert asyncio.run(replicas_see()) == [True, False, True]
        ttl = redis.Redis.from_url(REDIS_URL).ttl(f"{namespace}:41")
        assert 0 < ttl <= 24 * 60 * 60
    finally:
        client = redis.Redis.from_url(REDIS_URL)
        client.delete(f"{namespace}:41", f"{namespace}:42")


def test_an_unreachable_redis_lets_the_delivery_through() -> None:
    async def check() -> bool:
        client = redis.asyncio.Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=1)
        try:
            return await SharedDeliveries(client, "unreachable").first_time(1)
        finally:
            await client.close()

    assert asyncio.run(check()) is True


def test_the_record_is_shared_only_when_redis_is_configured() -> None:
    assert isinstance(delivery_record("slack", Settings.from_environment({})), RecentDeliveries)
    shared = delivery_record("slack", Settings.from_environment({"REDIS_URL": REDIS_URL}))
    assert isinstance(shared, SharedDeliveries)
    assert shared.namespace == "iliopsoas:delivery:slack"
