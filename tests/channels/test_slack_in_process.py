"""The Slack channel (channels/slack.py) served in the test's process: signed Events API and
interactivity deliveries, a stand-in assistant and the recording Web API (no model, no server).
test_slack.py runs whole conversations through the real assistant."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
import uuid
from typing import Any, Iterator, List, Optional
from urllib.parse import urlencode

import pytest

from channels.slack import SlackInput
from tests.support.in_process import InProcessApp
from tests.support.platforms import SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET
from tests.support.recording_api import RecordingApi

WEBHOOK = "/webhooks/slack/webhook"
TEAM_ID = "T0INPROC01"
DEEP = b"[" * 6000 + b"]" * 6000


def signed_headers(body: bytes, content_type: str, secret: str = SLACK_SIGNING_SECRET) -> dict:
    """Slack's v0 signature, computed here independently of the code under test."""
    timestamp = str(int(time.time()))
    base = f"v0:{timestamp}:".encode() + body
    signature = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {
        "content-type": content_type,
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature,
    }


def direct_message(user: str, channel: str, text: str) -> bytes:
    event = {"type": "message", "channel_type": "im", "user": user, "channel": channel}
    body = {
        "type": "event_callback",
        "team_id": TEAM_ID,
        "event_id": f"Ev{uuid.uuid4().hex[:10]}",
        "event": {**event, "text": text, "ts": f"{time.time():.6f}"},
    }
    return json.dumps(body).encode()


class SlackWebhook:
    """The channel's app and the channel itself (to wait for its background answers)."""

    def __init__(self, app: InProcessApp, channel: SlackInput) -> None:
        self.app, self.channel = app, channel

    def post(self, body: bytes, content_type: str = "application/json", **sign: Any):
        return self.app.request("POST", WEBHOOK, body, signed_headers(body, content_type, **sign))

    def answered(self) -> None:
        """Waits for the answers the webhook left running after Slack got its 200."""
        if self.channel.answers_in_progress:
            self.app.run(asyncio.gather(*self.channel.answers_in_progress))


def posted_in(api: RecordingApi, channel: str) -> List[Optional[str]]:
    calls = api.calls_to("chat.postMessage")
    return [call.body.get("text") for call in calls if call.body.get("channel") == channel]


@pytest.fixture
def slack(fake_slack: RecordingApi) -> Iterator[SlackWebhook]:
    channel = SlackInput(SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, f"{fake_slack.url}/api/")
    with InProcessApp(channel) as app:
        yield SlackWebhook(app, channel)


def test_a_direct_message_is_answered_in_its_channel(
    slack: SlackWebhook, fake_slack: RecordingApi
) -> None:
    channel = f"D{uuid.uuid4().hex[:8].upper()}"
    response = slack.post(direct_message("U0PATIENT1", channel, "hello"))
    assert response.status == 200
    slack.answered()
    assert posted_in(fake_slack, channel) == ["you said: hello"]
    [received] = slack.app.agent.received
    assert (received.sender_id, received.input_channel) == (f"slack-{TEAM_ID}-U0PATIENT1", "slack")


def test_a_retried_event_is_answered_once(slack: SlackWebhook, fake_slack: RecordingApi) -> None:
    channel = f"D{uuid.uuid4().hex[:8].upper()}"
    body = direct_message("U0PATIENT2", channel, "once")
    assert slack.post(body).status == 200
    retry = slack.post(body)
    assert retry.status == 200 and retry.headers.get("x-slack-no-retry") == "1"
    slack.answered()
    assert posted_in(fake_slack, channel) == ["you said: once"]


def test_the_url_verification_challenge_is_echoed(slack: SlackWebhook) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "c-123"}).encode()
    assert slack.post(body).json() == {"challenge": "c-123"}


def test_a_request_signed_with_another_secret_is_refused(slack: SlackWebhook) -> None:
    response = slack.post(direct_message("U0X", "D0X", "hi"), secret="not-our-secret")
    assert response.status == 401 and slack.app.agent.received == []


@pytest.mark.parametrize(
    "content_type, body",
    [
        ("application/json", DEEP),
        ("application/x-www-form-urlencoded", urlencode({"payload": DEEP.decode()}).encode()),
    ],
    ids=["event", "interactive-payload"],
)
def test_signed_json_nested_too_deep_gets_400_not_a_server_error(
    slack: SlackWebhook, content_type: str, body: bytes
) -> None:
    assert slack.post(body, content_type).status == 400
    assert slack.app.agent.received == []
