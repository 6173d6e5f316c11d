"""Tests for server/action_server.py: the wait for the action server is capped, and its replies
are checked exactly as Rasa checks them, with a validator built once."""

from __future__ import annotations

from typing import Any, Dict

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from server.action_server import check_replies_with_a_prebuilt_validator

REMOTE_ACTION = RemoteAction("action_anything", EndpointConfig("http://127.0.0.1:1/webhook"))
ORIGINAL_CHECK = RemoteAction._validate_action_result


@pytest.fixture(autouse=True)
def prebuilt_validator() -> Any:
    check_replies_with_a_prebuilt_validator()
    yield
    RemoteAction._validate_action_result = ORIGINAL_CHECK  # type: ignore[method-assign]


@pytest.mark.parametrize(
    "reply",
    [
        {"events": [], "responses": []},
        {"events": [{"event": "slot", "name": "x", "value": 1}], "responses": [{"text": "hi"}]},
        {},
    ],
)
def test_a_valid_reply_is_accepted_by_both_checks(reply: Dict[str, Any]) -> None:
    assert REMOTE_ACTION._validate_action_result(reply) is True
    assert ORIGINAL_CHECK(REMOTE_ACTION, reply) is True


@pytest.mark.parametrize(
    "reply",
    [
        {"events": "not a list"},
        {"events": [{"no_event_name": 1}]},
        {"responses": {"text": "not a list"}},
    ],
)
def test_an_invalid_reply_is_refused_by_both_checks_with_the_same_error(
    reply: Dict[str, Any],
) -> None:
    with pytest.raises(jsonschema.ValidationError) as ours:
        REMOTE_ACTION._validate_action_result(reply)
    with pytest.raises(jsonschema.ValidationError) as rasas:
        ORIGINAL_CHECK(REMOTE_ACTION, reply)
    assert ours.value.message.split(". Failed")[0] == rasas.value.message.split(". Failed")[0]
    assert "Failed to validate Action server response" in ours.value.message
