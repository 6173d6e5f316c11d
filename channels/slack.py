"""Slack connector: Events API and interactivity on /webhooks/slack/webhook, Web API replies.

Builds on Rasa's own Slack connector for message clean-up and interactive-payload parsing, but
answers a bad signature with 401, never answers a retried delivery twice, talks to a configurable
API URL, and lays out any number of buttons as Block Kit.
"""

from __future__ import annotations

import asyncio
import logging
from http import HTTPStatus
from typing import Any, Awaitable, Callable, Dict, List, Optional, Set

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.slack import SlackBot as RasaSlackBot
from rasa.core.channels.slack import SlackInput as RasaSlackInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.signature import Clock, SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from channels.credentials import SLACK_API_URL, SLACK_REQUIRED, ChannelOff, switched_on
from channels.deliveries import delivery_record
from channels.slack_blocks import button_blocks, escape_text
from channels.slack_events import SlackMessage, parse_request
from channels.turns import patient_turns

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Slack-Signature"
TIMESTAMP_HEADER = "X-Slack-Request-Timestamp"
RETRY_NUMBER_HEADER = "X-Slack-Retry-Num"
RETRY_REASON_HEADER = "X-Slack-Retry-Reason"


class FixedClock(Clock):
    """A clock stopped at one moment, to check a signature as of that time."""

    def __init__(self, now: float) -> None:
        self.moment = now

    def now(self) -> float:
        return self.moment


def is_request_signed(
    signing_secret: str,
    timestamp: Optional[str],
    signature: Optional[str],
    body: bytes,
    now: Optional[float] = None,
) -> bool:
    """True if the v0 signature matches and the timestamp is within five minutes of `now`
    (slack_sdk's SignatureVerifier: Slack's own check, replays refused after five minutes)."""
    # The verifier reads the timestamp with int(): anything but digits is refused here first.
    if not timestamp or not signature or not timestamp.isdigit():
        return False
    clock = Clock() if now is None else FixedClock(now)
    return SignatureVerifier(signing_secret, clock).is_valid(body, timestamp, signature)


class SlackBot(RasaSlackBot):
    """Sends the assistant's messages to one Slack channel (and thread) through chat.postMessage."""

    def __init__(
        self, token: str, api_url: str, slack_channel: str, thread_ts: Optional[str]
    ) -> None:
        super().__init__(token, slack_channel, thread_ts)
        # Rasa's client always talks to slack.com; ours follows the configured API URL, and
        # waits out one "429 Too Many Requests" (slack_sdk's handler reads Retry-After).
        self.client = AsyncWebClient(
            token=token,
            base_url=api_url,
            retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=1)],
        )

    async def _post_message(self, channel: str, **kwargs: Any) -> None:
        # Rasa's methods add `as_user` (only for classic Slack apps) and `type` (no such arg).
        kwargs.pop("as_user", None)
        kwargs.pop("type", None)
        if self.thread_id:
            kwargs["thread_ts"] = self.thread_id
        await self.client.chat_postMessage(channel=channel, **kwargs)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """Posts the text, one Slack message per paragraph."""
        for paragraph in text.strip().split("\n\n"):
            if paragraph.strip():
                await self._post_message(
                    self.slack_channel or recipient_id, text=escape_text(paragraph)
                )

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        """Posts the text with its buttons as Block Kit; `text` stays as the notification."""
        await self._post_message(
            self.slack_channel or recipient_id,
            text=escape_text(text),
            blocks=button_blocks(text, buttons),
        )


class SlackInput(RasaSlackInput):
    """Receives Slack events and button clicks, checks they come from Slack, answers each once."""

    @classmethod
    def name(cls) -> str:
        return "slack"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> InputChannel:
        required = switched_on(credentials, SLACK_REQUIRED)
        if required is None:
            return ChannelOff(cls.name())
        return cls(
            bot_token=required["bot_token"],
            signing_secret=required["signing_secret"],
            api_url=(credentials or {}).get("api_url") or SLACK_API_URL,
        )

    def __init__(self, bot_token: str, signing_secret: str, api_url: str) -> None:
        super().__init__(slack_token=bot_token, slack_signing_secret=signing_secret)
        self.api_url = api_url
        self.deliveries = delivery_record("slack")
        # Answers still running after Slack got its reply; asyncio keeps only weak references.
        self.answers_in_progress: Set[asyncio.Task] = set()

    def get_output_channel(
        self, channel: Optional[str] = None, thread_id: Optional[str] = None
    ) -> OutputChannel:
        return SlackBot(self.slack_token, self.api_url, channel or "", thread_id)

    def _answer_in_background(
        self, message: SlackMessage, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> None:
        user_message = UserMessage(
            message.text,
            self.get_output_channel(message.channel, message.thread_ts),
            message.sender_id,
            input_channel=self.name(),
            metadata={"out_channel": message.channel, "thread_id": message.thread_ts},
        )
        # Slack wants an answer within 3 s; keep a reference so the task is not collected.
        task = asyncio.create_task(self._answer(user_message, on_new_message))
        self.answers_in_progress.add(task)
        task.add_done_callback(self.answers_in_progress.discard)

    @staticmethod
    async def _answer(
        user_message: UserMessage, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> None:
        await patient_turns().answer(user_message, on_new_message)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        slack_webhook = Blueprint("slack_webhook", __name__)

        @slack_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @slack_webhook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if not is_request_signed(
                self.slack_signing_secret,
                request.headers.get(TIMESTAMP_HEADER),
                request.headers.get(SIGNATURE_HEADER),
                request.body,
            ):
                logger.warning("Refused a Slack request without a valid, recent signature.")
                return response.text("invalid signature", status=HTTPStatus.UNAUTHORIZED)
            try:
                parsed = parse_request(request.headers.get("content-type") or "", request.body)
            except (ValueError, KeyError, TypeError, AttributeError, IndexError):
                return response.text("malformed request", status=HTTPStatus.BAD_REQUEST)
            if parsed.challenge is not None:
                return response.json({"challenge": parsed.challenge})
            if request.headers.get(RETRY_NUMBER_HEADER):
                logger.info(
                    "Slack retry #%s (%s) of %s",
                    request.headers.get(RETRY_NUMBER_HEADER),
                    request.headers.get(RETRY_REASON_HEADER),
                    parsed.delivery_key,
                )
            key = parsed.delivery_key
            if key is not None and not await self.deliveries.first_time(key):
                return response.text("already handled", headers={"X-Slack-No-Retry": "1"})
            if parsed.message is not None:
                self._answer_in_background(parsed.message, on_new_message)
            return response.text("")

        return slack_webhook
