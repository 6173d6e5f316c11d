"""One patient message, start to finish, the same on every channel.

Every channel hands its messages to `PatientTurns.answer` instead of calling Rasa directly. It
refuses what it should not process (empty, over-long, too fast; see `channels.guard`), runs the
turn, and makes sure the patient always hears something: when the turn fails (Redis or the
database unreachable) or produces no reply at all (the action server down or too slow), the
patient gets an apology, with the red-flag advice first if their message described one. The
log says what failed, never what the patient wrote.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Any, Awaitable, Callable, Dict, List, Optional, Union

from rasa.core.channels.channel import OutputChannel, UserMessage

from channels.guard import (
    EMPTY_REPLY,
    RATE_LIMITED_REPLY,
    TOO_LONG_REPLY,
    UNAVAILABLE_REPLY,
    MemoryRateLimiter,
    RedisRateLimiter,
    clean_text,
    refusal_replies,
)
from channels.redis_client import shared_redis
from core.names import SESSION_START_INTENT
from core.settings import Settings, server_settings

logger = logging.getLogger(__name__)

# The widget and Telegram open a conversation with this payload; its reply may legitimately be
# empty (the disclaimer was already given by the session start).
SESSION_START_PAYLOAD = f"/{SESSION_START_INTENT}"

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


def describe(error: Exception) -> str:
    """The error's type, with a platform's error code when it gives one (e.g. Slack's
    "not_in_channel"); never the error's text, which can quote the patient's message."""
    response = getattr(error, "response", None)
    try:
        code = response.get("error") if response is not None else None
    except (AttributeError, TypeError):
        code = None
    return f"{type(error).__name__} {code}" if isinstance(code, str) else type(error).__name__


class CountingOutput(OutputChannel):
    """Passes every reply on to the channel's own output and counts them."""

    def __init__(self, output: OutputChannel) -> None:
        self.output = output
        self.sent = 0

    def name(self) -> str:  # type: ignore[override]
        # Rasa picks channel-specific responses by this name.
        return self.output.name()

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        self.sent += 1
        await self.output.send_response(recipient_id, message)

    # Rasa sends through send_response; anything calling the specific methods is passed on too.
    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        self.sent += 1
        await self.output.send_text_message(recipient_id, text, **kwargs)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        self.sent += 1
        await self.output.send_text_with_buttons(recipient_id, text, buttons, **kwargs)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        self.sent += 1
        await self.output.send_image_url(recipient_id, image, **kwargs)

    async def send_custom_json(
        self, recipient_id: str, json_message: Dict[str, Any], **kwargs: Any
    ) -> None:
        self.sent += 1
        await self.output.send_custom_json(recipient_id, json_message, **kwargs)


class PatientTurns:
    """The checks and the safety net around `on_new_message`."""

    def __init__(
        self,
        settings: Settings,
        rate_limiter: Union[MemoryRateLimiter, RedisRateLimiter],
    ) -> None:
        self.settings = settings
        self.rate_limiter = rate_limiter

    @classmethod
    def from_settings(cls, settings: Settings) -> PatientTurns:
        client = shared_redis(settings.redis_url)
        limit, window = settings.rate_limit_messages, settings.rate_limit_window_seconds
        if client is None:
            return cls(settings, MemoryRateLimiter(limit, window))
        return cls(settings, RedisRateLimiter(client, settings.redis_key_prefix, limit, window))

    async def _say(self, output: OutputChannel, sender_id: str, texts: List[str]) -> None:
        for text in texts:
            await output.send_text_message(sender_id, text)

    async def refusal(self, sender_id: str, text: str) -> Optional[List[str]]:
        """The replies that replace processing this message, or None to process it."""
        if not text:
            return [EMPTY_REPLY]
        if len(text) > self.settings.max_message_characters:
            reason = TOO_LONG_REPLY.format(limit=self.settings.max_message_characters)
            return refusal_replies(reason, text)
        if not await self.rate_limiter.allow(sender_id):
            logger.warning("Sender %s is over the rate limit; message not processed.", sender_id)
            return refusal_replies(RATE_LIMITED_REPLY, text)
        return None

    async def answer(self, message: UserMessage, on_new_message: OnNewMessage) -> None:
        """Answers one patient message; never raises."""
        output = message.output_channel
        sender_id = message.sender_id
        text = clean_text(message.text)
        try:
            replies = await self.refusal(sender_id, text)
            if replies is not None:
                await self._say(output, sender_id, replies)
                return
            counting = CountingOutput(output)
            try:
                await on_new_message(
                    UserMessage(
                        text,
                        counting,
                        sender_id,
                        input_channel=message.input_channel,
                        message_id=message.message_id,
                        metadata=message.metadata,
                    )
                )
            except Exception as error:
                logger.error("Could not answer sender %s: %s", sender_id, describe(error))
                await self._say(output, sender_id, refusal_replies(UNAVAILABLE_REPLY, text))
                return
            if counting.sent == 0 and text != SESSION_START_PAYLOAD:
                logger.error(
                    "Sender %s got no reply (is the action server down or slow?); apologising.",
                    sender_id,
                )
                await self._say(output, sender_id, refusal_replies(UNAVAILABLE_REPLY, text))
        except Exception as error:  # the channel itself failed to send: nothing more to do
            logger.error("Could not reply to sender %s: %s", sender_id, describe(error))


@cache
def patient_turns() -> PatientTurns:
    """The process's one PatientTurns, from the environment (rate limits span all channels)."""
    return PatientTurns.from_settings(server_settings())
