"""Tests for channels/rest.py: what the REST webhook accepts and the reason it gives when not,
first as a function, then as the webhook served in the test's process (no model, no server)."""

from __future__ import annotations

import json
from typing import Iterator, Optional

import pytest

from channels.rest import MAX_JSON_BYTES, RestInput, read_request
from tests.support.in_process import InProcessApp

WEBHOOK = "/webhooks/rest/webhook"


@pytest.mark.parametrize(
    "body, problem",
    [
        (b"", "not valid JSON"),
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe\x00binary", "not valid JSON"),
        (b"[1, 2]", "JSON object"),
        (b'"hello"', "JSON object"),
        (b'{"message": "hi"}', "'sender'"),
        (b'{"sender": true, "message": "hi"}', "'sender'"),
        (b'{"sender": "", "message": "hi"}', "'sender'"),
        (b'{"sender": "a\\u0000b", "message": "hi"}', "'sender'"),
        (json.dumps({"sender": "x" * 129, "message": "hi"}).encode(), "'sender'"),
        (b'{"sender": "telegram-42", "message": "hi"}', "another channel"),
        (b'{"sender": "web-abc", "message": "hi"}', "another channel"),
        (b'{"sender": "me"}', "'message'"),
        (b'{"sender": "me", "message": {"text": "hi"}}', "'message'"),
        (json.dumps({"sender": "me", "message": "a" * MAX_JSON_BYTES}).encode(), "over"),
    ],
)
def test_a_bad_body_is_refused_with_its_reason(body: bytes, problem: str) -> None:
    fields, reason = read_request(body)
    assert fields is None
    assert reason is not None and problem in reason


@pytest.mark.parametrize(
    "body, sender",
    [
        (b'{"sender": "patient-1", "message": "hi"}', "patient-1"),
        (b'{"sender": 1234, "message": "hi"}', "1234"),
        (b'{"sender": "me", "message": "hi", "metadata": {"x": 1}, "colour": "blue"}', "me"),
        (b'{"sender": " me ", "message": ""}', "me"),
    ],
)
def test_a_good_body_is_accepted_and_unknown_fields_are_ignored(
    body: bytes, sender: Optional[str]
) -> None:
    fields, reason = read_request(body)
    assert reason is None
    assert fields is not None and fields["sender"] == sender
    assert set(fields) == {"sender", "message"}


# ---------------------------------------------------------------- in process: the webhook


@pytest.fixture
def rest() -> Iterator[InProcessApp]:
    with InProcessApp(RestInput()) as app:
        yield app


def test_a_message_is_answered_through_the_collecting_output(rest: InProcessApp) -> None:
    response = rest.post_json(WEBHOOK, {"sender": "patient-7", "message": "hello"})
    assert response.status == 200
    assert response.json() == [{"recipient_id": "patient-7", "text": "you said: hello"}]
    [received] = rest.agent.received
    assert (received.sender_id, received.input_channel) == ("patient-7", "rest")


@pytest.mark.parametrize(
    "body",
    [b"[" * 6000 + b"]" * 6000, b'{"sender": "me", "message": ' + b"[" * 40 + b"]" * 40 + b"}"],
    ids=["12-kB-array", "deep-message"],
)
def test_json_nested_too_deep_gets_400_with_a_reason_not_a_server_error(
    rest: InProcessApp, body: bytes
) -> None:
    response = rest.post_json(WEBHOOK, body)
    assert response.status == 400
    assert "nested more than" in response.json()["error"]
    assert rest.agent.received == []


def test_a_refused_body_never_reaches_the_assistant(rest: InProcessApp) -> None:
    response = rest.post_json(WEBHOOK, {"sender": "web-abc", "message": "hi"})
    assert response.status == 400 and "another channel" in response.json()["error"]
    assert rest.agent.received == []


def test_the_health_check_answers(rest: InProcessApp) -> None:
    assert rest.request("GET", "/webhooks/rest/").json() == {"status": "ok"}
