"""Tests for channels/turns.py: what every channel's message goes through, with Rasa's own
collecting output channel and stand-ins for the turn (the real turn is in tests/e2e)."""

from __future__ import annotations

import asyncio
from typing import Any, List

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from slack_sdk.errors import SlackApiError

from channels.guard import EMPTY_REPLY, RATE_LIMITED_REPLY, UNAVAILABLE_REPLY, MemoryRateLimiter
from channels.turns import PatientTurns, describe
from core.settings import Settings


def answer(turns: PatientTurns, text: str, on_new_message: Any) -> List[str]:
    """The messages the patient gets (the collector sends each paragraph on its own)."""
    collector = CollectingOutputChannel()
    message = UserMessage(text, collector, "patient", input_channel="rest")
    asyncio.run(turns.answer(message, on_new_message))
    return [reply.get("text", "") for reply in collector.messages]


def turns(limit: int = 20) -> PatientTurns:
    return PatientTurns(Settings.from_environment({}), MemoryRateLimiter(limit, 60))


async def says_hello(message: UserMessage) -> None:
    await message.output_channel.send_response(message.sender_id, {"text": "hello"})


async def says_nothing(message: UserMessage) -> None:
    return None


async def fails(message: UserMessage) -> None:
    raise ConnectionError("database is down")


def test_a_normal_message_reaches_the_turn_cleaned_and_its_replies_are_passed_on() -> None:
    seen: List[str] = []

    async def turn(message: UserMessage) -> None:
        seen.append(message.text)
        await says_hello(message)

    assert answer(turns(), "  my hip\x00 hurts ", turn) == ["hello"]
    assert seen == ["my hip hurts"]


def test_an_empty_message_never_reaches_the_turn() -> None:
    assert answer(turns(), " \x01 ", fails) == [EMPTY_REPLY]


def test_a_failed_turn_gets_an_apology_with_the_red_flag_advice_first() -> None:
    replies = answer(turns(), "I suddenly can't control my bladder", fails)
    assert replies[0].startswith("⚠️")
    assert replies[1] == UNAVAILABLE_REPLY


@pytest.mark.parametrize("text", ["what causes it", "/next_item"])
def test_a_turn_that_says_nothing_gets_an_apology(text: str) -> None:
    replies = answer(turns(), text, says_nothing)
    assert replies[0] == UNAVAILABLE_REPLY


def test_opening_a_session_may_say_nothing() -> None:
    assert answer(turns(), "/session_start", says_nothing) == []


def test_the_rate_limit_refuses_the_message_after_the_limit() -> None:
    limited = turns(limit=2)
    assert answer(limited, "hi", says_hello) == ["hello"]
    assert answer(limited, "hi", says_hello) == ["hello"]
    assert answer(limited, "hi", says_hello)[0] == RATE_LIMITED_REPLY


def test_a_platform_error_is_described_by_its_code_never_its_text() -> None:
    error = SlackApiError("my private hip history", {"ok": False, "error": "not_in_channel"})
    assert describe(error) == "SlackApiError not_in_channel"
    assert describe(ValueError("my private hip history")) == "ValueError"
