"""The Slack channel: signature checks, Block Kit, threads and retries, then a real assistant.

Unit tests cover the pure parts of channels/slack.py. The end-to-end tests sign real Events API
and interactivity payloads, post them to the running Rasa server and assert the exact
chat.postMessage calls the fake Slack Web API receives. The expected replies come from the same
assistant over the REST channel, translated here into what Slack should get.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import logging
import re
import time
import uuid
from typing import Any, Dict, List, Mapping, Optional
from urllib.parse import urlencode

import pytest
import requests
from rasa.core.channels.channel import UserMessage

from channels.slack import SlackBot, SlackInput, is_request_signed
from channels.slack_blocks import BUTTONS_PER_ROW, MAX_BUTTON_TITLE, MAX_SECTION_TEXT, button_blocks
from channels.slack_events import (
    click_delivery_key,
    clicked_button_value,
    message_from_click,
    message_from_event,
    parse_request,
    reply_thread_for_click,
    reply_thread_for_event,
    sender_id_for,
    text_for_rasa,
)
from core.clinic import DEFAULT_EMERGENCY_NUMBER
from scripts.local_servers import LocalAssistant
from tests.support.environment import CLINIC_ENVIRONMENT
from tests.support.platforms import SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET
from tests.support.recording_api import ApiReply, RecordedCall, RecordingApi

TEAM_ID = "T0CLINIC01"
BOT_USER_ID = "U0BOT00001"
APP_ID = "A0APP00001"
RED_FLAG = "I suddenly can't control my bladder and my hip hurts"
SETTLE_SECONDS = 3.0
REPLY_TIMEOUT_SECONDS = 60.0


# ---------------------------------------------------------------- helpers


def sign(body: bytes, timestamp: int, secret: str = SLACK_SIGNING_SECRET) -> str:
    """Slack's v0 signature, computed here independently of the code under test."""
    base = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def new_id(prefix: str) -> str:
    return prefix + uuid.uuid4().hex[:10].upper()


def slack_sender(user: str) -> str:
    """The Rasa sender id a Slack user should get (written out here, not taken from the code)."""
    return f"slack-{TEAM_ID}-{user}"


def new_ts() -> str:
    return f"{time.time():.6f}"


def event_callback(event: Dict[str, Any], event_id: Optional[str] = None) -> Dict[str, Any]:
    """An Events API delivery, shaped as Slack sends it."""
    return {
        "token": "verification-token-unused",
        "team_id": TEAM_ID,
        "api_app_id": APP_ID,
        "event": {"event_ts": event.get("ts"), **event},
        "type": "event_callback",
        "event_id": event_id or new_id("Ev"),
        "event_time": int(time.time()),
        "authorizations": [
            {
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
    }


def direct_message(user: str, channel: str, text: str, **extra: Any) -> Dict[str, Any]:
    return event_callback(
        {
            "type": "message",
            "user": user,
            "text": text,
            "ts": new_ts(),
            "channel": channel,
            "channel_type": "im",
            **extra,
        }
    )


def mention(user: str, channel: str, text: str, **extra: Any) -> Dict[str, Any]:
    return event_callback(
        {
            "type": "app_mention",
            "user": user,
            "text": f"<@{BOT_USER_ID}> {text}",
            "ts": new_ts(),
            "channel": channel,
            **extra,
        }
    )


def button_click(user: str, channel: str, value: str, thread_ts: Optional[str] = None) -> str:
    """A signed-ready interactivity body: `payload=<json>` for a click on one of our buttons."""
    message_ts = new_ts()
    message: Dict[str, Any] = {"type": "message", "bot_id": "B0BOT00001", "ts": message_ts}
    if thread_ts:
        message["thread_ts"] = thread_ts
    payload = {
        "type": "block_actions",
        "user": {"id": user, "username": "patient", "name": "patient", "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": "verification-token-unused",
        "container": {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel,
            "is_ephemeral": False,
            **({"thread_ts": thread_ts} if thread_ts else {}),
        },
        "trigger_id": new_id("TRIGGER"),
        "team": {"id": TEAM_ID, "domain": "riverside"},
        "channel": {"id": channel, "name": "directmessage"},
        "message": message,
        "response_url": "https://hooks.slack.com/actions/T/1/x",
        "actions": [
            {
                "type": "button",
                "action_id": "button_1",
                "block_id": "b1",
                "text": {"type": "plain_text", "text": "Symptoms"},
                "value": value,
                "action_ts": new_ts(),
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)})


def post_to_slack_webhook(
    assistant: LocalAssistant,
    body: bytes,
    content_type: str = "application/json",
    timestamp: Optional[int] = None,
    signature: Optional[str] = "sign",
    headers: Optional[Dict[str, str]] = None,
) -> requests.Response:
    """Posts a body as Slack would: signed with the signing secret unless told otherwise."""
    sent_at = int(time.time()) if timestamp is None else timestamp
    all_headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": str(sent_at)}
    if signature == "sign":
        all_headers["X-Slack-Signature"] = sign(body, sent_at)
    elif signature is not None:
        all_headers["X-Slack-Signature"] = signature
    all_headers.update(headers or {})
    return requests.post(
        f"{assistant.url}/webhooks/slack/webhook", data=body, headers=all_headers, timeout=10
    )


def post_event(
    assistant: LocalAssistant, envelope: Mapping[str, Any], **kwargs: Any
) -> requests.Response:
    """Posts an Events API delivery, signed unless told otherwise."""
    return post_to_slack_webhook(assistant, json.dumps(envelope).encode(), **kwargs)


def calls_in(calls: List[RecordedCall], channel: str) -> List[RecordedCall]:
    return [c for c in calls if c.method == "chat.postMessage" and c.body.get("channel") == channel]


def replies_now(fake_slack: RecordingApi, channel: str) -> List[RecordedCall]:
    """The chat.postMessage calls to one channel recorded so far."""
    return calls_in(fake_slack.calls_to("chat.postMessage"), channel)


def wait_for_replies(
    fake_slack: RecordingApi, channel: str, count: int, settle: float = SETTLE_SECONDS
) -> List[RecordedCall]:
    """The chat.postMessage calls to one channel once `count` arrived and `settle` s passed."""
    calls = fake_slack.wait_for(
        lambda recorded: len(calls_in(recorded, channel)) >= count,
        timeout=REPLY_TIMEOUT_SECONDS,
        settle=settle,
    )
    return calls_in(calls, channel)


def escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def expected_calls(
    rest_messages: List[Dict[str, Any]], channel: str, thread_ts: Optional[str]
) -> List[Dict[str, Any]]:
    """The chat.postMessage bodies Slack should get for what the REST channel answered."""
    where: Dict[str, Any] = {"channel": channel, **({"thread_ts": thread_ts} if thread_ts else {})}
    calls: List[Dict[str, Any]] = []
    for message in rest_messages:
        text = message.get("text", "")
        buttons = message.get("buttons") or []
        if not buttons:
            calls += [{**where, "text": escaped(part)} for part in text.strip().split("\n\n")]
            continue
        elements = [
            {
                "type": "button",
                "text": {"type": "plain_text", "text": button["title"]},
                "value": button["payload"],
                "action_id": f"button_{index}",
            }
            for index, button in enumerate(buttons)
        ]
        rows = [elements[start : start + 5] for start in range(0, len(elements), 5)]
        blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": escaped(text)}}]
        blocks += [{"type": "actions", "elements": row} for row in rows]
        calls.append({**where, "text": escaped(text), "blocks": blocks})
    return calls


def rest_replies(assistant: LocalAssistant, messages: List[str]) -> List[Dict[str, Any]]:
    """What a brand-new person gets over the REST channel for these messages, in order."""
    sender = new_id("rest-oracle-")
    replies: List[Dict[str, Any]] = []
    for message in messages:
        replies += assistant.send(sender, message)
    return replies


def header(call: RecordedCall, name: str) -> Optional[str]:
    return next((v for k, v in call.headers.items() if k.lower() == name.lower()), None)


def user_events(assistant: LocalAssistant, sender_id: str) -> List[Dict[str, Any]]:
    return [e for e in assistant.tracker(sender_id)["events"] if e["event"] == "user"]


# ---------------------------------------------------------------- unit: signatures

NOW = 1_700_000_000
BODY = b'{"type":"event_callback","event_id":"Ev1"}'


@pytest.mark.parametrize(
    "timestamp, signature, body, expected",
    [
        (str(NOW), sign(BODY, NOW), BODY, True),
        (str(NOW - 4 * 60), sign(BODY, NOW - 4 * 60), BODY, True),
        (str(NOW), sign(BODY, NOW, secret="another-secret"), BODY, False),
        (str(NOW), sign(BODY, NOW), BODY + b" ", False),
        (str(NOW + 1), sign(BODY, NOW), BODY, False),
        (str(NOW - 6 * 60), sign(BODY, NOW - 6 * 60), BODY, False),
        (str(NOW + 6 * 60), sign(BODY, NOW + 6 * 60), BODY, False),
        (None, sign(BODY, NOW), BODY, False),
        ("not-a-number", sign(BODY, NOW), BODY, False),
        (str(NOW), None, BODY, False),
        (str(NOW), "", BODY, False),
        (str(NOW), sign(BODY, NOW).replace("v0=", "v1="), BODY, False),
    ],
    ids=[
        "valid",
        "four-minutes-old",
        "wrong-secret",
        "tampered-body",
        "other-timestamp",
        "stale",
        "from-the-future",
        "no-timestamp",
        "bad-timestamp",
        "no-signature",
        "empty-signature",
        "other-version",
    ],
)
def test_only_recent_requests_signed_with_our_secret_are_accepted(
    timestamp: Optional[str], signature: Optional[str], body: bytes, expected: bool
) -> None:
    assert is_request_signed(SLACK_SIGNING_SECRET, timestamp, signature, body, now=NOW) is expected


# ---------------------------------------------------------------- unit: Block Kit


def buttons(count: int) -> List[Dict[str, str]]:
    return [{"title": f"Choice {n}", "payload": f"/choice_{n}"} for n in range(count)]


@pytest.mark.parametrize("count, row_sizes", [(1, [1]), (5, [5]), (9, [5, 4]), (12, [5, 5, 2])])
def test_buttons_are_laid_out_in_rows_of_at_most_five(count: int, row_sizes: List[int]) -> None:
    blocks = button_blocks("Pick one", buttons(count))
    assert blocks[0] == {"type": "section", "text": {"type": "mrkdwn", "text": "Pick one"}}
    rows = blocks[1:]
    assert all(row["type"] == "actions" for row in rows)
    assert [len(row["elements"]) for row in rows] == row_sizes
    elements = [element for row in rows for element in row["elements"]]
    assert elements[count - 1] == {
        "type": "button",
        "text": {"type": "plain_text", "text": f"Choice {count - 1}"},
        "value": f"/choice_{count - 1}",
        "action_id": f"button_{count - 1}",
    }
    assert len({element["action_id"] for element in elements}) == count
    assert BUTTONS_PER_ROW == 5


def test_block_text_is_escaped_and_long_text_and_titles_fit_slack_limits() -> None:
    long_text = "\n".join(f"Line {n} about hip & groin <pain>" + "." * 80 for n in range(80))
    long_title = [{"title": "T" * 100, "payload": "/long"}]
    blocks = button_blocks(long_text, long_title)
    sections = [block["text"]["text"] for block in blocks if block["type"] == "section"]
    assert len(sections) > 1
    assert all(len(section) <= MAX_SECTION_TEXT for section in sections)
    assert "\n".join(sections) == escaped(long_text)
    assert "&amp;" in sections[0] and "&lt;pain&gt;" in sections[0]
    title = blocks[-1]["elements"][0]["text"]["text"]
    assert len(title) == MAX_BUTTON_TITLE and title.endswith("…")


# ---------------------------------------------------------------- unit: threads, ids, records


@pytest.mark.parametrize(
    "event, thread",
    [
        ({"type": "message", "channel_type": "im", "ts": "1.1"}, None),
        ({"type": "message", "channel_type": "im", "ts": "1.2", "thread_ts": "1.0"}, "1.0"),
        ({"type": "app_mention", "ts": "2.5"}, "2.5"),
        ({"type": "app_mention", "ts": "2.5", "thread_ts": "2.0"}, "2.0"),
    ],
    ids=["top-level-dm", "dm-thread", "channel-mention", "mention-in-thread"],
)
def test_replies_go_to_the_thread_the_question_was_asked_in(
    event: Dict[str, Any], thread: Optional[str]
) -> None:
    assert reply_thread_for_event(event) == thread


def test_a_click_is_answered_in_the_thread_of_the_clicked_message() -> None:
    assert reply_thread_for_click({"message": {"ts": "3.3"}, "container": {}}) is None
    assert reply_thread_for_click({"message": {"ts": "3.3", "thread_ts": "3.0"}}) == "3.0"
    assert reply_thread_for_click({"container": {"thread_ts": "4.0"}}) == "4.0"


def test_the_sender_id_is_namespaced_by_team_and_user() -> None:
    assert sender_id_for("T123", "U456") == "slack-T123-U456"


def test_a_click_is_identified_by_its_message_and_action_time_or_else_its_trigger() -> None:
    payload = {"container": {"message_ts": "5.0"}, "actions": [{"action_ts": "6.0"}]}
    assert click_delivery_key(payload) == "click:5.0:6.0"
    assert click_delivery_key({"trigger_id": "TR1", "actions": [{}]}) == "trigger:TR1"
    assert click_delivery_key({}) is None


# ---------------------------------------------------------------- unit: which events


@pytest.mark.parametrize(
    "event",
    [
        {
            "type": "message",
            "channel_type": "im",
            "user": BOT_USER_ID,
            "bot_id": "B1",
            "text": "hi",
        },
        {
            "type": "message",
            "channel_type": "im",
            "user": "U1",
            "subtype": "message_changed",
            "text": "hi",
        },
        {"type": "message", "channel_type": "channel", "user": "U1", "text": "hi"},
        {"type": "message", "channel_type": "im", "user": "U1", "text": f"<@{BOT_USER_ID}>"},
        {"type": "reaction_added", "user": "U1"},
    ],
    ids=["bot", "edit", "channel-message", "empty-mention", "other-event"],
)
def test_events_that_are_not_a_person_asking_are_ignored(event: Dict[str, Any]) -> None:
    assert message_from_event(event_callback({"channel": "D1", "ts": "1.0", **event})) is None


def test_a_mention_becomes_a_message_without_the_bots_own_mention() -> None:
    body = event_callback(
        {
            "type": "app_mention",
            "user": "U1",
            "text": f"<@{BOT_USER_ID}> what causes it?",
            "ts": "7.0",
            "channel": "C1",
        }
    )
    message = message_from_event(body)
    assert message is not None
    assert (message.sender_id, message.text, message.channel, message.thread_ts) == (
        f"slack-{TEAM_ID}-U1",
        "what causes it?",
        "C1",
        "7.0",
    )


def test_a_button_click_becomes_its_value_and_a_link_button_becomes_nothing() -> None:
    form = button_click("U2", "D2", "/ask_symptoms", thread_ts="8.0")
    parsed = parse_request("application/x-www-form-urlencoded", form.encode())
    assert parsed.message is not None
    assert (parsed.message.sender_id, parsed.message.text, parsed.message.thread_ts) == (
        f"slack-{TEAM_ID}-U2",
        "/ask_symptoms",
        "8.0",
    )
    link_click = {
        "type": "block_actions",
        "user": {"id": "U2"},
        "channel": {"id": "D2"},
        "actions": [{"type": "button", "url": "https://clinic.example"}],
    }
    assert message_from_click(link_click) is None


@pytest.mark.parametrize(
    "content_type, body",
    [
        ("application/json", b"{not json"),
        ("application/json", b"[1, 2]"),
        ("application/x-www-form-urlencoded", b"something=else"),
        ("application/x-www-form-urlencoded", b"payload=%7Bnot+json"),
    ],
    ids=["bad-json", "not-an-object", "form-without-payload", "payload-not-json"],
)
def test_malformed_bodies_are_refused(content_type: str, body: bytes) -> None:
    with pytest.raises(ValueError):
        parse_request(content_type, body)


# ---------------------------------------------------------------- output and logging


def test_replies_use_the_configured_api_url_token_and_thread(fake_slack: RecordingApi) -> None:
    channel = new_id("C")
    bot = SlackBot(SLACK_BOT_TOKEN, f"{fake_slack.url}/api/", channel, "9.0")
    asyncio.run(bot.send_text_message(channel, "First part.\n\nSecond & last part."))
    calls = wait_for_replies(fake_slack, channel, 2, settle=0.2)
    assert [call.body for call in calls] == [
        {"channel": channel, "text": "First part.", "thread_ts": "9.0"},
        {"channel": channel, "text": "Second &amp; last part.", "thread_ts": "9.0"},
    ]
    assert {call.path for call in calls} == {"/api/chat.postMessage"}
    assert {header(call, "Authorization") for call in calls} == {f"Bearer {SLACK_BOT_TOKEN}"}


@pytest.mark.parametrize(
    "emergency_number",
    [DEFAULT_EMERGENCY_NUMBER, "911", "+1 555 0100"],
    ids=["default", "911", "plus-one"],
)
def test_an_alert_is_posted_with_its_numbers_as_plain_text(
    fake_slack: RecordingApi, emergency_number: str
) -> None:
    channel = new_id("D")
    alert = f"⚠️ This needs help right away. Please call {emergency_number} now."
    bot = SlackBot(SLACK_BOT_TOKEN, f"{fake_slack.url}/api/", channel, None)
    asyncio.run(bot.send_text_message(channel, alert))
    asyncio.run(bot.send_text_with_buttons(channel, alert, [{"title": "Menu", "payload": "/help"}]))
    calls = wait_for_replies(fake_slack, channel, 2, settle=0.2)
    assert [call.body["text"] for call in calls] == [alert, alert]
    assert calls[1].body["blocks"][0]["text"]["text"] == alert
    assert not any("tel:" in json.dumps(call.body) for call in calls)


def test_a_rate_limited_reply_is_sent_again_after_slacks_wait() -> None:
    answers = itertools.chain(
        [ApiReply(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"})],
        itertools.repeat({"ok": True, "channel": "C1", "ts": "1.0"}),
    )
    limited_slack = RecordingApi(lambda _: next(answers)).start()
    try:
        bot = SlackBot(SLACK_BOT_TOKEN, f"{limited_slack.url}/api/", "C1", None)
        asyncio.run(bot.send_text_message("C1", "Your answer."))
        calls = limited_slack.calls_to("chat.postMessage")
        assert [call.body for call in calls] == [{"channel": "C1", "text": "Your answer."}] * 2
    finally:
        limited_slack.stop()


def test_a_failed_reply_is_logged_without_the_message_text_or_secrets(
    caplog: pytest.LogCaptureFixture,
) -> None:
    refusing_slack = RecordingApi(lambda call: {"ok": False, "error": "not_in_channel"}).start()
    try:
        channel_input = SlackInput(SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, f"{refusing_slack.url}/")
        secret_text = "my private hip history"
        message = UserMessage(
            secret_text,
            channel_input.get_output_channel("C1", None),
            "slack-T1-U1",
            input_channel="slack",
        )

        async def answer(user_message: UserMessage) -> None:
            await user_message.output_channel.send_text_message("C1", "A reply")

        with caplog.at_level(logging.DEBUG, logger="channels.slack"):
            asyncio.run(channel_input._answer(message, answer))
    finally:
        refusing_slack.stop()
    visible = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    assert any("not_in_channel" in line and "slack-T1-U1" in line for line in visible)
    assert not any(secret_text in line for line in visible)
    everything = caplog.text
    assert SLACK_BOT_TOKEN not in everything and SLACK_SIGNING_SECRET not in everything


# ---------------------------------------------------------------- end to end: refused requests


@pytest.mark.parametrize(
    "timestamp_offset, signature",
    [(0, "v0=" + "0" * 64), (0, None), (-6 * 60, "sign")],
    ids=["bad-signature", "missing-signature", "stale-timestamp"],
)
def test_unsigned_or_stale_requests_are_refused_and_never_reach_rasa(
    channel_assistant: LocalAssistant,
    fake_slack: RecordingApi,
    timestamp_offset: int,
    signature: Optional[str],
) -> None:
    user, channel = new_id("U"), new_id("D")
    sent_at = int(time.time()) + timestamp_offset
    body = json.dumps(direct_message(user, channel, "hi")).encode()
    if signature == "sign":
        signature = sign(body, sent_at)  # correctly signed, but six minutes old
    reply = post_to_slack_webhook(channel_assistant, body, timestamp=sent_at, signature=signature)
    assert reply.status_code == 401
    time.sleep(SETTLE_SECONDS)
    assert replies_now(fake_slack, channel) == []
    assert user_events(channel_assistant, slack_sender(user)) == []


def test_the_url_verification_challenge_is_answered(channel_assistant: LocalAssistant) -> None:
    body = {
        "token": "unused",
        "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
        "type": "url_verification",
    }
    reply = post_event(channel_assistant, body)
    assert reply.status_code == 200
    assert reply.json() == {"challenge": body["challenge"]}
    assert post_event(channel_assistant, body, signature=None).status_code == 401


@pytest.mark.parametrize(
    "content_type, body",
    [("application/json", b"{oops"), ("application/x-www-form-urlencoded", b"no_payload=1")],
    ids=["malformed-json", "form-without-payload"],
)
def test_malformed_signed_requests_get_400(
    channel_assistant: LocalAssistant, content_type: str, body: bytes
) -> None:
    assert post_to_slack_webhook(channel_assistant, body, content_type).status_code == 400


# ---------------------------------------------------------------- end to end: conversations


def test_a_first_direct_message_gets_the_disclaimer_and_menu_buttons(
    channel_assistant: LocalAssistant, fake_slack: RecordingApi
) -> None:
    user, channel = new_id("U"), new_id("D")
    reply = post_event(channel_assistant, direct_message(user, channel, "hi"))
    assert reply.status_code == 200
    # Acknowledged at once: the answer is still on its way when Slack gets its 200.
    assert reply.elapsed.total_seconds() < 3
    assert replies_now(fake_slack, channel) == []
    expected = expected_calls(rest_replies(channel_assistant, ["hi"]), channel, None)
    calls = wait_for_replies(fake_slack, channel, len(expected))
    assert [call.body for call in calls] == expected
    disclaimer = calls[0].body["text"]
    assert "not a diagnosis" in disclaimer and CLINIC_ENVIRONMENT["CLINIC_NAME"] in disclaimer
    values = {
        element["value"]
        for call in calls
        for block in call.body.get("blocks", [])
        if block["type"] == "actions"
        for element in block["elements"]
    }
    assert {"/ask_symptoms", "/check_symptoms"} <= values
    assert {header(call, "Authorization") for call in calls} == {f"Bearer {SLACK_BOT_TOKEN}"}


def test_a_question_in_a_direct_message_is_answered(
    channel_assistant: LocalAssistant, fake_slack: RecordingApi
) -> None:
    from core.knowledge import get_knowledge

    user, channel = new_id("U"), new_id("D")
    question = "what is iliopsoas syndrome?"
    post_event(channel_assistant, direct_message(user, channel, question))
    expected = expected_calls(rest_replies(channel_assistant, [question]), channel, None)
    calls = wait_for_replies(fake_slack, channel, len(expected))
    assert [call.body for call in calls] == expected
    overview = get_knowledge().topic("overview").items[0].text
    assert any(overview in call.body["text"] for call in calls)


def test_a_channel_mention_is_answered_in_a_thread_under_it(
    channel_assistant: LocalAssistant, fake_slack: RecordingApi
) -> None:
    user, channel = new_id("U"), new_id("C")
    envelope = mention(user, channel, "what causes it?")
    post_event(channel_assistant, envelope)
    expected = expected_calls(
        rest_replies(channel_assistant, ["what causes it?"]), channel, envelope["event"]["ts"]
    )
    calls = wait_for_replies(fake_slack, channel, len(expected))
    assert [call.body for call in calls] == expected


@pytest.mark.parametrize("make_event", [mention, direct_message], ids=["mention", "dm"])
def test_a_message_inside_a_thread_is_answered_in_that_thread(
    channel_assistant: LocalAssistant, fake_slack: RecordingApi, make_event: Any
) -> None:
    user, channel, parent = new_id("U"), new_id("C"), new_ts()
    post_event(channel_assistant, make_event(user, channel, "how is it treated", thread_ts=parent))
    expected = expected_calls(
        rest_replies(channel_assistant, ["how is it treated"]), channel, parent
    )
    calls = wait_for_replies(fake_slack, channel, len(expected))
    assert [call.body for call in calls] == expected
    assert {call.body["thread_ts"] for call in calls} == {parent}


@pytest.mark.parametrize("thread_ts", [None, "1700000000.000300"], ids=["top-level", "in-thread"])
def test_a_button_click_is_answered_where_the_clicked_message_is(
    channel_assistant: LocalAssistant, fake_slack: RecordingApi, thread_ts: Optional[str]
) -> None:
    user, channel = new_id("U"), new_id("D")
    form = button_click(user, channel, "/ask_symptoms", thread_ts)
    reply = post_to_slack_webhook(
        channel_assistant, form.encode(), "application/x-www-form-urlencoded"
    )
    assert reply.status_code == 200
    expected = expected_calls(
        rest_replies(channel_assistant, ["/ask_symptoms"]), channel, thread_ts
    )
    calls = wait_for_replies(fake_slack, channel, len(expected))
    assert [call.body for call in calls] == expected
    assert user_events(channel_assistant, slack_sender(user))[0]["text"] == "/ask_symptoms"


def test_a_retried_event_is_answered_only_once(
    channel_assistant: LocalAssistant, fake_slack: RecordingApi
) -> None:
    user, channel = new_id("U"), new_id("D")
    envelope = direct_message(user, channel, "hi")
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert post_event(channel_assistant, envelope).status_code == 200
    immediate = post_event(channel_assistant, envelope, headers=retry)  # while still answering
    assert immediate.status_code == 200 and immediate.headers.get("X-Slack-No-Retry") == "1"
    expected = expected_calls(rest_replies(channel_assistant, ["hi"]), channel, None)
    assert [call.body for call in wait_for_replies(fake_slack, channel, len(expected))] == expected
    late = post_event(channel_assistant, envelope, headers={**retry, "X-Slack-Retry-Num": "2"})
    assert late.status_code == 200 and late.headers.get("X-Slack-No-Retry") == "1"
    time.sleep(SETTLE_SECONDS)
    assert [call.body for call in replies_now(fake_slack, channel)] == expected
    assert len(user_events(channel_assistant, slack_sender(user))) == 1


def test_a_retry_of_an_event_never_received_is_answered_once(
    channel_assistant: LocalAssistant, fake_slack: RecordingApi
) -> None:
    user, channel = new_id("U"), new_id("D")
    envelope = direct_message(user, channel, "hi")
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    first = post_event(channel_assistant, envelope, headers=retry)
    assert first.status_code == 200 and "X-Slack-No-Retry" not in first.headers
    expected = expected_calls(rest_replies(channel_assistant, ["hi"]), channel, None)
    assert [call.body for call in wait_for_replies(fake_slack, channel, len(expected))] == expected


def test_a_red_flag_is_escalated_and_recorded_as_an_emergency(
    channel_assistant: LocalAssistant, fake_slack: RecordingApi
) -> None:
    user, channel = new_id("U"), new_id("D")
    post_event(channel_assistant, direct_message(user, channel, RED_FLAG))
    expected = expected_calls(rest_replies(channel_assistant, [RED_FLAG]), channel, None)
    calls = wait_for_replies(fake_slack, channel, len(expected))
    assert [call.body for call in calls] == expected
    escalation = [call.body["text"] for call in calls if "⚠️" in call.body["text"]]
    assert escalation and CLINIC_ENVIRONMENT["CLINIC_EMERGENCY_NUMBER"] in escalation[0]
    tracker = channel_assistant.tracker(slack_sender(user))
    assert tracker["slots"]["triage_level"] == "emergency"


def test_a_red_flag_alert_shows_the_emergency_number_as_plain_text(
    channel_assistant: LocalAssistant, fake_slack: RecordingApi
) -> None:
    user, channel = new_id("U"), new_id("D")
    post_event(
        channel_assistant, direct_message(user, channel, "I suddenly can't control my bladder")
    )
    calls = wait_for_replies(fake_slack, channel, 1)
    alerts = [call.body["text"] for call in calls if call.body["text"].startswith("⚠️")]
    number = CLINIC_ENVIRONMENT["CLINIC_EMERGENCY_NUMBER"]
    assert alerts and re.search(rf"(?<![\w\[(:<|]){number}(?![\w\]>|])", alerts[0])
    assert not any("tel:" in json.dumps(call.body) for call in calls)


def test_bot_messages_edits_and_plain_channel_messages_get_no_reply(
    channel_assistant: LocalAssistant, fake_slack: RecordingApi
) -> None:
    user = new_id("U")
    own_reply_channel, edit_channel, chatter_channel = new_id("D"), new_id("D"), new_id("C")
    ignored = [
        direct_message(
            BOT_USER_ID, own_reply_channel, "Hello!", bot_id="B0BOT00001", app_id=APP_ID
        ),
        direct_message(user, edit_channel, "hi", subtype="message_changed"),
        event_callback(
            {
                "type": "message",
                "user": user,
                "text": "hi team",
                "ts": new_ts(),
                "channel": chatter_channel,
                "channel_type": "channel",
            }
        ),
    ]
    for envelope in ignored:
        assert post_event(channel_assistant, envelope).status_code == 200
    time.sleep(SETTLE_SECONDS)
    for channel in (own_reply_channel, edit_channel, chatter_channel):
        assert replies_now(fake_slack, channel) == []
    assert user_events(channel_assistant, slack_sender(user)) == []


def test_the_server_log_holds_no_slack_secrets_or_message_text(
    channel_assistant: LocalAssistant, fake_slack: RecordingApi
) -> None:
    user, channel = new_id("U"), new_id("D")
    private_text = f"my hip hurts since the marathon {uuid.uuid4().hex}"
    post_event(channel_assistant, direct_message(user, channel, private_text))
    wait_for_replies(fake_slack, channel, 1)
    log = (channel_assistant.workdir / "rasa_server.log").read_text(errors="replace")
    assert SLACK_BOT_TOKEN not in log
    assert SLACK_SIGNING_SECRET not in log
    assert private_text not in log


@pytest.mark.parametrize(
    "typed, cleaned",
    [
        (f"<@{BOT_USER_ID}> what causes it?", "what causes it?"),
        (f"what causes it <@{BOT_USER_ID}>", "what causes it"),
        (f"is it<@{BOT_USER_ID}>serious", "is it serious"),
        (
            "see <https://clinic.example/book|clinic.example/book> please",
            "see clinic.example/book please",
        ),
        ("mail <mailto:desk@clinic.example|desk@clinic.example>", "mail desk@clinic.example"),
        ("ask <@U0SOMEONE> too", "ask <@U0SOMEONE> too"),
    ],
)
def test_the_bots_own_mention_is_dropped_and_links_read_as_their_text(
    typed: str, cleaned: str
) -> None:
    assert text_for_rasa(typed, [BOT_USER_ID]) == cleaned


@pytest.mark.parametrize(
    "actions, value",
    [
        ([{"type": "button", "value": "/ask_symptoms"}], "/ask_symptoms"),
        ([{"type": "button", "url": "https://clinic.example"}], None),
        ([{"type": "static_select", "selected_option": {"value": "x"}}], None),
        ([], None),
        (["not an object"], None),
    ],
)
def test_only_a_clicked_buttons_value_is_read(actions: List[Any], value: Optional[str]) -> None:
    assert clicked_button_value({"type": "block_actions", "actions": actions}) == value
