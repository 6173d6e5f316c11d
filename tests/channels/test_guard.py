"""Tests for channels/guard.py: cleaning text, the refusal replies (red flags first), and the
per-sender rate limit in this process and in Redis shared by replicas."""

from __future__ import annotations

import asyncio
from typing import List

import pytest
import redis.asyncio

from channels.guard import (
    RATE_LIMITED_REPLY,
    MemoryRateLimiter,
    RedisRateLimiter,
    clean_text,
    red_flag_advice,
    refusal_replies,
)
from core.clinic import get_clinic_settings
from scripts.local_services import TEST_REDIS_URL, scratch_redis_prefix


@pytest.mark.parametrize(
    "raw, cleaned",
    [
        ("  where does it hurt?  ", "where does it hurt?"),
        ("\x00\x01\x02\x7f", ""),
        ("pain\x00 in my\x1b groin", "pain in my groin"),
        ("line one\nline two", "line one\nline two"),
        ("👍🙂", "👍🙂"),
        ("\ufeff\ufffd", ""),
        (None, ""),
        (42, ""),
    ],
)
def test_control_characters_and_surrounding_space_are_dropped(raw: object, cleaned: str) -> None:
    assert clean_text(raw) == cleaned


def test_a_refused_message_describing_a_red_flag_gets_the_emergency_advice_first() -> None:
    replies = refusal_replies(RATE_LIMITED_REPLY, "I suddenly can't control my bladder")
    assert len(replies) == 2
    assert replies[0].startswith("⚠️")
    assert get_clinic_settings().emergency_number in replies[0]
    assert replies[1] == RATE_LIMITED_REPLY


def test_a_refused_message_without_a_red_flag_still_says_where_urgent_help_is() -> None:
    [reply] = refusal_replies(RATE_LIMITED_REPLY, "what causes it")
    assert reply.startswith(RATE_LIMITED_REPLY)
    assert get_clinic_settings().emergency_number in reply


def test_a_denied_red_flag_is_not_escalated() -> None:
    assert red_flag_advice("no fever and no numbness, just a sore hip") is None


def allowed(limiter: object, senders: List[str]) -> List[bool]:
    async def check() -> List[bool]:
        return [await limiter.allow(sender) for sender in senders]  # type: ignore[attr-defined]

    return asyncio.run(check())


def test_the_memory_limit_counts_each_sender_on_their_own() -> None:
    limiter = MemoryRateLimiter(limit=3, window=60)
    assert allowed(limiter, ["a"] * 4 + ["b"]) == [True, True, True, False, True]


def test_the_memory_limit_lets_a_sender_go_on_after_the_window() -> None:
    limiter = MemoryRateLimiter(limit=1, window=0.2)
    assert allowed(limiter, ["a", "a"]) == [True, False]
    asyncio.run(asyncio.sleep(0.25))
    assert allowed(limiter, ["a"]) == [True]


def test_the_redis_limit_holds_across_replicas() -> None:
    async def two_replicas(prefix: str) -> List[bool]:
        first = redis.asyncio.Redis.from_url(TEST_REDIS_URL)
        second = redis.asyncio.Redis.from_url(TEST_REDIS_URL)
        try:
            replicas = [RedisRateLimiter(client, prefix, 3, 60) for client in (first, second)]
            return [await replicas[i % 2].allow("patient") for i in range(5)]
        finally:
            await first.close()
            await second.close()

    with scratch_redis_prefix("rate") as prefix:
        assert asyncio.run(two_replicas(prefix)) == [True, True, True, False, False]


def test_an_unreachable_redis_does_not_block_patients() -> None:
    async def check() -> bool:
        client = redis.asyncio.Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=1)
        try:
            return await RedisRateLimiter(client, "x", 1, 60).allow("patient")
        finally:
            await client.close()

    assert asyncio.run(check()) is True
