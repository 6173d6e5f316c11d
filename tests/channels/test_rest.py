"""Tests for channels/rest.py: what the REST webhook accepts and the reason it gives when not."""

from __future__ import annotations

import json
from typing import Optional

import pytest

from channels.rest import MAX_JSON_BYTES, read_request


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
