"""Telegram's Bot API as the assistant uses it: JSON calls, and our messages in Telegram's form."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, List, Mapping, Optional, Union

import aiohttp
from rasa.core.channels.channel import OutputChannel

logger = logging.getLogger(__name__)

SENDER_PREFIX = "telegram-"
CALLBACK_DATA_LIMIT_BYTES = 64
MESSAGE_LIMIT_CHARACTERS = 4096
# A longer wait than this is not waited out inside a patient's turn: the reply is logged as lost.
MAX_RETRY_AFTER_SECONDS = 5
REQUEST_TIMEOUT_SECONDS = 10


def sender_id_of(chat_id: int) -> str:
    """The Rasa sender id of a chat, namespaced so it never collides with other channels."""
    return f"{SENDER_PREFIX}{chat_id}"


def chat_id_of(sender_id: str) -> Union[int, str]:
    """The Telegram chat id behind a Rasa sender id (the inverse of `sender_id_of`)."""
    chat_id = sender_id[len(SENDER_PREFIX) :] if sender_id.startswith(SENDER_PREFIX) else sender_id
    return int(chat_id) if chat_id.lstrip("-").isdigit() else chat_id


def callback_data_of(button: Mapping[str, Any]) -> str:
    """The button's payload, or its title when the payload is over Telegram's 64-byte limit
    (the title then goes through NLU); a title is cut to the limit too."""
    payload = str(button.get("payload") or "")
    if payload and len(payload.encode("utf-8")) <= CALLBACK_DATA_LIMIT_BYTES:
        return payload
    title = str(button.get("title") or "").encode("utf-8")[:CALLBACK_DATA_LIMIT_BYTES]
    return title.decode("utf-8", errors="ignore")


def inline_keyboard(buttons: List[Mapping[str, Any]]) -> Dict[str, Any]:
    """Rasa buttons as a Telegram inline keyboard, one button per row (readable on phones)."""
    return {
        "inline_keyboard": [
            [{"text": str(button.get("title")), "callback_data": callback_data_of(button)}]
            for button in buttons
        ]
    }


def _within_limit(paragraph: str) -> List[str]:
    """A paragraph in pieces Telegram accepts, cut at line ends (or spaces) where possible."""
    pieces: List[str] = []
    while len(paragraph) > MESSAGE_LIMIT_CHARACTERS:
        window = paragraph[:MESSAGE_LIMIT_CHARACTERS]
        cut = max(window.rfind("\n"), window.rfind(" "))
        cut = cut if cut > 0 else MESSAGE_LIMIT_CHARACTERS
        pieces.append(paragraph[:cut].rstrip())
        paragraph = paragraph[cut:].lstrip()
    return pieces + [paragraph] if paragraph else pieces


def message_parts(text: str) -> List[str]:
    """A text split on blank lines into separate messages, as Rasa's channels do, and any
    paragraph over Telegram's 4,096-character limit cut into pieces it accepts."""
    paragraphs = [part for part in text.strip().split("\n\n") if part.strip()]
    return [piece for paragraph in paragraphs for piece in _within_limit(paragraph)]


def _retry_after(body: Any) -> Optional[float]:
    """The wait Telegram asks for in a "429 Too Many Requests" answer, if any."""
    if not isinstance(body, dict) or body.get("error_code") != 429:
        return None
    wait = (body.get("parameters") or {}).get("retry_after")
    return float(wait) if isinstance(wait, (int, float)) and wait >= 0 else None


class TelegramBotApi:
    """Calls Bot API methods as JSON POSTs. Failures are logged, never raised, and the token
    (which is part of every URL) never reaches the log."""

    def __init__(self, api_url: str, access_token: str) -> None:
        self._api_url = api_url.rstrip("/")
        self._access_token = access_token
        self._session: Optional[aiohttp.ClientSession] = None

    async def call(self, method: str, fields: Dict[str, Any]) -> Optional[Any]:
        """The method's result, or None if the call failed. When Telegram says "too many
        requests" and to retry within a few seconds, waits and tries once more, so a patient
        does not lose a reply to a burst."""
        body = await self._post(method, fields)
        retry_after = _retry_after(body)
        if retry_after is not None and retry_after <= MAX_RETRY_AFTER_SECONDS:
            await asyncio.sleep(retry_after)
            body = await self._post(method, fields)
        if not isinstance(body, dict) or not body.get("ok"):
            description = body.get("description") if isinstance(body, dict) else body
            logger.error("Telegram %s refused: %s", method, description)
            return None
        return body.get("result")

    async def _post(self, method: str, fields: Dict[str, Any]) -> Optional[Any]:
        if self._session is None or self._session.closed:
            timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS)
            self._session = aiohttp.ClientSession(timeout=timeout)
        url = f"{self._api_url}/bot{self._access_token}/{method}"
        try:
            async with self._session.post(url, json=fields) as reply:
                return await reply.json(content_type=None)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            redacted = str(error).replace(self._access_token, "<token>")
            logger.error("Telegram %s failed: %s %s", method, type(error).__name__, redacted)
            return {"ok": False, "description": f"no answer ({type(error).__name__})"}

    async def close(self) -> None:
        """Closes the connection pool (at server stop)."""
        if self._session is not None:
            await self._session.close()


class TelegramOutput(OutputChannel):
    """Sends the assistant's messages to a Telegram chat, as plain text (no parse_mode)."""

    @classmethod
    def name(cls) -> str:
        return "telegram"

    def __init__(self, api: TelegramBotApi) -> None:
        self.api = api

    async def _send_parts(
        self, recipient_id: str, text: str, reply_markup: Optional[Dict[str, Any]] = None
    ) -> None:
        parts = message_parts(text)
        for index, part in enumerate(parts):
            fields: Dict[str, Any] = {"chat_id": chat_id_of(recipient_id), "text": part}
            # The buttons belong under the last part, where the patient reads on from.
            if reply_markup and index == len(parts) - 1:
                fields["reply_markup"] = reply_markup
            await self.api.call("sendMessage", fields)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """Sends a text, one message per paragraph."""
        await self._send_parts(recipient_id, text)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        """Sends a text with its buttons as an inline keyboard under the last paragraph."""
        await self._send_parts(recipient_id, text, inline_keyboard(buttons))

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        """Sends an image by its URL."""
        await self.api.call("sendPhoto", {"chat_id": chat_id_of(recipient_id), "photo": image})

    async def send_custom_json(
        self, recipient_id: str, json_message: Dict[str, Any], **kwargs: Any
    ) -> None:
        """Sends a custom payload as sendMessage fields; chat_id defaults to the recipient."""
        await self.api.call("sendMessage", {"chat_id": chat_id_of(recipient_id), **json_message})
