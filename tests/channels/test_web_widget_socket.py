"""The widget's socket.io channel spoken to directly: sessions, bad events, and its helpers."""

from __future__ import annotations

import secrets
import time
import uuid
from typing import Any, Iterator

import pytest

from channels.guard import TOO_LONG_REPLY
from channels.web_replies import ALERT_CLASS, is_alert
from channels.web_widget import message_text, webchat_bundle
from channels.widget_sessions import (
    SENDER_PREFIX,
    conversation_id_for,
    sender_id_for,
    valid_session_secret,
)
from core.settings import Settings
from scripts.local_servers import LocalAssistant
from tests.support.environment import CLINIC_ENVIRONMENT
from tests.support.widget_client import WidgetClient, wait_until

MAX_MESSAGE_CHARACTERS = Settings.from_environment({}).max_message_characters

QUIET_SECONDS = 3  # how long "no reply" is waited for


@pytest.fixture
def tab(channel_assistant: LocalAssistant) -> Iterator[WidgetClient]:
    client = WidgetClient(channel_assistant)
    yield client
    client.close()


def test_a_session_is_confirmed_and_a_message_answered(tab: WidgetClient) -> None:
    session_id = tab.request_session(uuid.uuid4().hex)
    tab.say({"message": "/session_start", "session_id": session_id})
    wait_until(lambda: "not a diagnosis" in tab.texts(), "disclaimer")
    wait_until(lambda: any(reply.get("quick_replies") for reply in tab.replies), "topic buttons")
    payloads = {
        button["payload"] for reply in tab.replies for button in reply.get("quick_replies", [])
    }
    assert {"/ask_symptoms", "/check_symptoms"} <= payloads


def test_an_alert_carries_the_alert_class_and_tap_to_call_numbers(
    tab: WidgetClient,
) -> None:
    session_id = tab.request_session(uuid.uuid4().hex)
    tab.say({"message": "I suddenly can't control my bladder", "session_id": session_id})
    wait_until(lambda: any(is_alert(reply.get("text", "")) for reply in tab.replies), "alert")
    alert = next(reply for reply in tab.replies if is_alert(reply.get("text", "")))
    assert alert["metadata"] == {"customCss": {"style": "class", "css": ALERT_CLASS}}
    number = CLINIC_ENVIRONMENT["CLINIC_EMERGENCY_NUMBER"]
    assert f"[{number}](tel:{number})" in alert["text"]
    ordinary = [reply for reply in tab.replies if not is_alert(reply.get("text", ""))]
    assert not any("metadata" in reply or "tel:" in reply.get("text", "") for reply in ordinary)


def test_a_made_up_session_id_is_replaced_by_a_fresh_one(tab: WidgetClient) -> None:
    confirmed = tab.request_session("../../../etc/passwd")
    assert confirmed != "../../../etc/passwd"
    assert valid_session_secret(confirmed)


def test_a_message_before_any_session_request_is_ignored(tab: WidgetClient) -> None:
    tab.say({"message": "hi", "session_id": uuid.uuid4().hex})
    time.sleep(QUIET_SECONDS)
    assert tab.replies == []


def test_a_socket_cannot_speak_for_another_session(
    channel_assistant: LocalAssistant, tab: WidgetClient
) -> None:
    victim = WidgetClient(channel_assistant)
    try:
        victim_session = victim.request_session(uuid.uuid4().hex)
        tab.request_session(uuid.uuid4().hex)
        tab.say({"message": "hi", "session_id": victim_session})
        time.sleep(QUIET_SECONDS)
        assert tab.replies == [] and victim.replies == []
    finally:
        victim.close()


def test_knowing_a_conversation_id_gives_a_new_conversation_not_the_victims(
    channel_assistant: LocalAssistant, tab: WidgetClient
) -> None:
    victim = WidgetClient(channel_assistant)
    try:
        victim_secret = victim.request_session()
        victim_conversation = conversation_id_for(victim_secret)
        # What staff (or a leaked log line) show: the conversation id, bare or prefixed.
        for known in (victim_conversation.removeprefix(SENDER_PREFIX), victim_conversation):
            confirmed = tab.request_session(known)
            assert confirmed != victim_secret
            assert conversation_id_for(confirmed) != victim_conversation
        # Naming the victim's conversation in a message does not reach it either.
        tab.say({"message": "hello", "session_id": victim_conversation})
        tab.say({"message": "I suddenly can't control my bladder", "session_id": confirmed})
        wait_until(lambda: any(is_alert(r.get("text", "")) for r in tab.replies), "own alert")
        time.sleep(QUIET_SECONDS)
        intruder_saw = list(tab.replies)  # the intruder's own new conversation, nothing else
        victim.say({"message": "/session_start", "session_id": victim_secret})
        wait_until(lambda: "not a diagnosis" in victim.texts(), "the victim's reply")
        time.sleep(QUIET_SECONDS)
        assert tab.replies == intruder_saw
        assert not any(is_alert(reply.get("text", "")) for reply in victim.replies)
        victim_events = channel_assistant.tracker(victim_conversation)["events"]
        victim_says = [event["text"] for event in victim_events if event["event"] == "user"]
        assert victim_says == ["/session_start"]
    finally:
        victim.close()


def test_a_reload_with_the_secret_continues_the_conversation(
    channel_assistant: LocalAssistant, tab: WidgetClient
) -> None:
    before_reload = WidgetClient(channel_assistant)
    try:
        secret = before_reload.request_session()
        before_reload.say({"message": "/session_start", "session_id": secret})
        wait_until(lambda: "not a diagnosis" in before_reload.texts(), "disclaimer")
    finally:
        before_reload.close()
    assert tab.request_session(secret) == secret
    tab.say({"message": "what causes it", "session_id": secret})
    wait_until(lambda: tab.replies, "answer after the reload")
    events = channel_assistant.tracker(conversation_id_for(secret))["events"]
    said = [event["text"] for event in events if event["event"] == "user"]
    assert said == ["/session_start", "what causes it"]


def test_two_tabs_of_one_session_both_see_the_reply(
    channel_assistant: LocalAssistant, tab: WidgetClient
) -> None:
    second_tab = WidgetClient(channel_assistant)
    try:
        session_id = tab.request_session(uuid.uuid4().hex)
        second_tab.request_session(session_id)
        tab.say({"message": "/session_start", "session_id": session_id})
        wait_until(lambda: "not a diagnosis" in second_tab.texts(), "reply in the second tab")
    finally:
        second_tab.close()


def test_an_overlong_message_gets_a_polite_reply_and_is_not_processed(
    channel_assistant: LocalAssistant, tab: WidgetClient
) -> None:
    session_id = tab.request_session(uuid.uuid4().hex)
    tab.say({"message": "pain " * MAX_MESSAGE_CHARACTERS, "session_id": session_id})
    wait_until(lambda: tab.replies, "reply")
    assert TOO_LONG_REPLY.format(limit=MAX_MESSAGE_CHARACTERS) in tab.texts()
    events = channel_assistant.tracker(conversation_id_for(session_id))["events"]
    assert not [event for event in events if event["event"] == "user"]


@pytest.mark.parametrize(
    "bad_event", ["just a string", 42, None, ["a", "list"], {"message": 7}, {"text": "hi"}]
)
def test_malformed_events_are_dropped_and_the_session_carries_on(
    tab: WidgetClient, bad_event: Any
) -> None:
    session_id = tab.request_session(uuid.uuid4().hex)
    tab.say(bad_event)
    tab.say({"message": "/session_start", "session_id": session_id})
    wait_until(lambda: "not a diagnosis" in tab.texts(), "reply after a malformed event")


@pytest.mark.parametrize(
    "candidate, valid",
    [
        # Fixed values of each shape, so every test run (and every xdist worker) has the same ids.
        ("sLlD_9JoBiWaKZoSa7pMmUj1lH1W9DO_sP8dosW8Ut0", True),
        # Session ids the earlier widget made in the browser, and conversation ids: others
        # could know them, so they are no key to a conversation (issue 11).
        ("08e578897b4d428981fa92fa9b5568a0", False),
        ("0fcf9fa5-c691-4df3-84ba-0700c67c96be", False),
        (conversation_id_for("gGXMA6Y3ifYkoouLx7BihlrZItCvYshgrOvHSTEfzI8"), False),
        ("short", False),
        ("x" * 65, False),
        ("has spaces in it here", False),
        ("<script>alert(1)</script>", False),
        (None, False),
        (12345678901234567890, False),
    ],
)
def test_only_secrets_of_the_servers_shape_are_accepted(candidate: Any, valid: bool) -> None:
    assert (valid_session_secret(candidate) is not None) is valid


def test_the_conversation_id_is_a_one_way_name_of_the_secret() -> None:
    secret = secrets.token_urlsafe(32)
    conversation_id = conversation_id_for(secret)
    assert conversation_id == conversation_id_for(secret)
    assert conversation_id.startswith(SENDER_PREFIX) and secret not in conversation_id
    assert len(conversation_id) == len(SENDER_PREFIX) + 32
    assert conversation_id != conversation_id_for(secrets.token_urlsafe(32))


def test_message_text_reads_only_string_messages() -> None:
    assert message_text({"message": "hi"}) == "hi"
    assert message_text({"message": ["hi"]}) is None
    assert message_text("hi") is None


def test_widget_conversations_have_their_own_sender_ids() -> None:
    assert sender_id_for("abc") == "web-abc"


def test_the_bundle_is_served_without_its_google_font_import() -> None:
    bundle = webchat_bundle()
    assert b"fonts.googleapis.com" not in bundle
    assert b"WebChat" in bundle


def test_the_bundle_opens_its_socket_as_a_websocket_so_any_replica_can_hold_it() -> None:
    bundle = webchat_bundle()
    assert b'transports:["websocket"]' in bundle
    assert b"var r=n?{path:n}:{}" not in bundle
