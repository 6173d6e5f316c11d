"""Tests for channels/untrusted_json.py: JSON from outside, with a bound on its nesting."""

from __future__ import annotations

import json
from typing import Any

import pytest

from channels.untrusted_json import (
    MAX_NESTING_DEPTH,
    SOCKET_JSON,
    UntrustedJsonError,
    load_untrusted_json,
    nesting_depth,
)

# About 12 KB that made json.loads raise RecursionError (issue 11).
DEEP_ARRAY = b"[" * 6000 + b"]" * 6000
DEEP_OBJECT = b'{"a":' * 6000 + b"1" + b"}" * 6000


def nested(depth: int) -> bytes:
    return b"[" * depth + b"1" + b"]" * depth


@pytest.mark.parametrize(
    "document, depth",
    [
        (b"1", 0),
        (b'"[[[{{{"', 0),
        (b'{"a": "\\"]]]", "b": [[1]]}', 3),
        (nested(5), 5),
        (DEEP_ARRAY, 6000),
        (b"[[[", 3),
    ],
)
def test_nesting_depth_counts_brackets_outside_strings(document: bytes, depth: int) -> None:
    assert nesting_depth(document) == depth


@pytest.mark.parametrize(
    "document",
    [DEEP_ARRAY, DEEP_OBJECT, nested(MAX_NESTING_DEPTH + 1), DEEP_ARRAY.decode()],
    ids=["array", "object", "one-too-deep", "as-text"],
)
def test_json_nested_too_deep_is_refused_with_a_reason(document: Any) -> None:
    with pytest.raises(UntrustedJsonError, match="nested more than"):
        load_untrusted_json(document)


@pytest.mark.parametrize("document", [b"", b"{not json", b"\xff\xfe", b"[1,"])
def test_what_is_not_json_is_refused(document: bytes) -> None:
    with pytest.raises(UntrustedJsonError, match="not valid JSON"):
        load_untrusted_json(document)


def test_json_as_deep_as_allowed_is_read() -> None:
    assert load_untrusted_json(nested(MAX_NESTING_DEPTH)) == json.loads(nested(MAX_NESTING_DEPTH))
    assert load_untrusted_json('{"message": "[hi]"}') == {"message": "[hi]"}


def test_the_socket_json_module_reads_with_the_same_bound() -> None:
    assert SOCKET_JSON.loads('["user_uttered", {"message": "hi"}]')[0] == "user_uttered"
    assert SOCKET_JSON.dumps({"a": 1}) == '{"a": 1}'
    with pytest.raises(ValueError):
        SOCKET_JSON.loads(DEEP_ARRAY.decode())
