"""Random text, JSON and bytes thrown at the real REST webhook (hypothesis): never a server
error, a text message always gets an answer, and the server stays up."""

from __future__ import annotations

import json
import uuid

import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scripts.local_servers import LocalAssistant

FUZZ_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    database=None,  # nothing written into the checkout
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=20,
)


@FUZZ_SETTINGS
@given(message=st.text(max_size=3000))
def test_any_text_gets_an_answer_and_never_a_server_error(
    assistant: LocalAssistant, message: str
) -> None:
    sender = f"fuzz-{uuid.uuid4().hex[:12]}"
    response = assistant.post_body(json.dumps({"sender": sender, "message": message}).encode())
    assert response.status_code == 200
    replies = response.json()
    if message.strip() != "/session_start":
        assert replies and all(isinstance(reply, dict) for reply in replies)


@FUZZ_SETTINGS
@given(
    value=JSON_VALUES
    | st.fixed_dictionaries(
        {"sender": JSON_VALUES, "message": JSON_VALUES}, optional={"x": JSON_VALUES}
    )
)
def test_any_json_gets_an_answer_or_400(assistant: LocalAssistant, value: object) -> None:
    response = assistant.post_body(json.dumps(value).encode())
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert response.json()["error"]


@FUZZ_SETTINGS
@given(body=st.binary(max_size=4000))
def test_any_bytes_get_400_and_never_a_server_error(assistant: LocalAssistant, body: bytes) -> None:
    response = assistant.post_body(body)
    assert response.status_code in (200, 400)


def test_the_server_is_up_after_the_fuzzing(assistant: LocalAssistant) -> None:
    assert requests.get(assistant.url, timeout=10).ok
    response = assistant.post_body(json.dumps({"sender": "after-fuzz", "message": "hi"}).encode())
    assert response.ok and response.json()
