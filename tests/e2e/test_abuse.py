"""Bad input and abuse over REST, against the real servers: every message gets a clear answer,
bad requests get 400, nothing refused reaches the conversation, and the server stays up."""

from __future__ import annotations

import json
import uuid
from typing import Any, Dict, List

import pytest
import requests

from channels.guard import EMPTY_REPLY, RATE_LIMITED_REPLY, TOO_LONG_REPLY
from core.settings import Settings
from scripts.local_servers import LocalAssistant
from tests.support.environment import CLINIC_ENVIRONMENT

DEFAULTS = Settings.from_environment({})
EMERGENCY_NUMBER = CLINIC_ENVIRONMENT["CLINIC_EMERGENCY_NUMBER"]


def new_sender() -> str:
    return f"abuse-{uuid.uuid4().hex[:12]}"


def texts(messages: List[Dict[str, Any]]) -> str:
    return "\n".join(message.get("text", "") for message in messages)


def user_texts(assistant: LocalAssistant, sender: str) -> List[str]:
    events = assistant.tracker(sender)["events"]
    return [event["text"] for event in events if event["event"] == "user"]


def test_an_overlong_message_gets_a_clear_reply_and_is_not_processed(
    assistant: LocalAssistant,
) -> None:
    sender = new_sender()
    reply = texts(assistant.send(sender, "my hip hurts " * 200))
    assert TOO_LONG_REPLY.format(limit=DEFAULTS.max_message_characters) in reply
    assert EMERGENCY_NUMBER in reply
    assert user_texts(assistant, sender) == []


def test_an_overlong_message_describing_a_red_flag_is_still_escalated(
    assistant: LocalAssistant,
) -> None:
    story = "My back has hurt for weeks. " * 80 + "Now I suddenly can't control my bladder."
    messages = assistant.send(new_sender(), story)
    assert messages[0]["text"].startswith("⚠️")
    assert EMERGENCY_NUMBER in messages[0]["text"]


@pytest.mark.parametrize(
    "message",
    ["", "    ", "\n\t \n", "\u0000\u0001\u0002\u007f", "\ufeff"],
    ids=["empty", "spaces", "whitespace", "control characters", "byte order mark"],
)
def test_a_message_without_text_gets_a_clear_reply_and_is_not_processed(
    assistant: LocalAssistant, message: str
) -> None:
    sender = new_sender()
    assert texts(assistant.send(sender, message)) == EMPTY_REPLY
    assert user_texts(assistant, sender) == []


@pytest.mark.parametrize("message", ["👍", "🙂🙂🙂", "🦵💥😣"])
def test_an_emoji_only_message_gets_an_answer(assistant: LocalAssistant, message: str) -> None:
    reply = assistant.send(new_sender(), message)
    assert texts(reply).strip()


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"\x89PNG\r\n\x1a\n\x00\x00binary",
        b"[]",
        b'{"sender": "me"}',
        b'{"message": "hi"}',
        b'{"sender": "telegram-1", "message": "hi"}',
        json.dumps({"sender": "me", "message": "x" * 20_000}).encode(),
    ],
    ids=[
        "malformed",
        "binary",
        "not an object",
        "no message",
        "no sender",
        "another channel's id",
        "oversized",
    ],
)
def test_a_bad_request_gets_400_with_a_reason(assistant: LocalAssistant, body: bytes) -> None:
    response = assistant.post_body(body)
    assert response.status_code == 400
    assert response.json()["error"]


def test_a_body_over_the_size_bound_is_refused_before_it_is_read(
    assistant: LocalAssistant,
) -> None:
    response = assistant.post_body(b"x" * (DEFAULTS.max_request_bytes + 1))
    assert response.status_code == 413


def test_unknown_fields_are_ignored(assistant: LocalAssistant) -> None:
    sender = new_sender()
    body = {"sender": sender, "message": "what causes it", "colour": "blue", "input_channel": "x"}
    response = assistant.post_body(json.dumps(body).encode())
    assert response.status_code == 200 and texts(response.json())
    events = assistant.tracker(sender)["events"]
    [user] = [event for event in events if event["event"] == "user"]
    assert user["input_channel"] == "rest"


def test_a_sender_over_the_rate_limit_gets_a_polite_reply_and_a_red_flag_still_wins(
    assistant: LocalAssistant,
) -> None:
    sender = new_sender()
    for _ in range(DEFAULTS.rate_limit_messages):
        assert RATE_LIMITED_REPLY not in texts(assistant.send(sender, "thanks"))
    limited = texts(assistant.send(sender, "what causes it"))
    assert RATE_LIMITED_REPLY in limited
    escalated = assistant.send(sender, "I suddenly can't control my bladder")
    assert escalated[0]["text"].startswith("⚠️")
    assert len(user_texts(assistant, sender)) == DEFAULTS.rate_limit_messages
    # Someone else is not affected.
    assert RATE_LIMITED_REPLY not in texts(assistant.send(new_sender(), "thanks"))


def test_the_server_is_still_up_after_all_of_this(assistant: LocalAssistant) -> None:
    assert requests.get(assistant.url, timeout=10).ok
    assert "not a diagnosis" in texts(assistant.send(new_sender(), "hello"))
