"""Telegram channel: receives Bot API webhook updates and replies through the Bot API.

Written on aiohttp instead of Rasa's aiogram connector because the clinic needs what that one
lacks: the webhook's secret header is checked, Telegram's retries are answered once, only
private chats are served (health conversations), and typed text can never inject an intent.
"""

from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, Mapping, Optional

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.credentials import TELEGRAM_API_URL, TELEGRAM_REQUIRED, ChannelOff, switched_on
from channels.deliveries import delivery_record
from channels.telegram_api import TelegramBotApi, TelegramOutput, sender_id_of
from channels.turns import SESSION_START_PAYLOAD, patient_turns
from channels.untrusted_json import UntrustedJsonError, load_untrusted_json

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
TEXT_ONLY_REPLY = "Sorry, I can only read text messages. Please type your question."
# Bot commands that stand for an intent; any other "/..." is read as plain text.
COMMAND_MESSAGES = {"start": SESSION_START_PAYLOAD, "help": "/help"}


def text_for_rasa(typed: str) -> str:
    """What Rasa gets for text a patient typed: /start and /help become their intents, any
    other leading slashes and the command's @botname are dropped, so typing cannot inject an
    intent or entities."""
    text = typed.strip()
    if not text.startswith("/"):
        return text
    command, _, rest = text[1:].partition(" ")
    command = command.split("@", 1)[0]
    if command.lower() in COMMAND_MESSAGES:
        return COMMAND_MESSAGES[command.lower()]
    # Strip whitespace too: "/ /ask_symptoms" must not reach Rasa as "/ask_symptoms".
    return f"{command} {rest}".lstrip("/ \t\n").strip()


@dataclass(frozen=True)
class PatientMessage:
    """What one update asks of the assistant."""

    chat_id: int
    text: Optional[str]  # None: not text (photo, sticker, voice...), so it gets TEXT_ONLY_REPLY
    callback_query_id: Optional[str] = None


def _private_chat_id(message: Any) -> Optional[int]:
    chat = message.get("chat") if isinstance(message, dict) else None
    if not isinstance(chat, dict) or chat.get("type") != "private":
        return None
    chat_id = chat.get("id")
    return chat_id if isinstance(chat_id, int) else None


def read_update(update: Mapping[str, Any]) -> Optional[PatientMessage]:
    """The patient's message in a webhook update, or None when the update is ignored: an
    unknown kind, or anything from a group or channel."""
    query = update.get("callback_query")
    if isinstance(query, dict):
        chat_id = _private_chat_id(query.get("message"))
        data = query.get("data")
        if chat_id is None or not isinstance(data, str):
            return None
        query_id = query.get("id")
        return PatientMessage(chat_id, data, query_id if isinstance(query_id, str) else None)
    message = update.get("message") or update.get("edited_message")
    chat_id = _private_chat_id(message)
    if chat_id is None:
        return None
    typed = message.get("text")
    return PatientMessage(chat_id, text_for_rasa(typed) if isinstance(typed, str) else None)


def parse_update(body: bytes) -> Optional[Dict[str, Any]]:
    """The update in a webhook body, or None unless it is a JSON object with an update_id."""
    try:
        update = load_untrusted_json(body)
    except UntrustedJsonError:
        return None
    if not isinstance(update, dict) or type(update.get("update_id")) is not int:
        return None
    return update


class TelegramInput(InputChannel):
    """The webhook Telegram posts updates to: /webhooks/telegram/webhook."""

    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> InputChannel:
        """The channel from credentials.yml; off when its variables are all empty."""
        required = switched_on(credentials, TELEGRAM_REQUIRED)
        if required is None:
            return ChannelOff(cls.name())
        credentials = credentials or {}
        return cls(
            access_token=required["access_token"],
            webhook_url=required["webhook_url"],
            webhook_secret=required["webhook_secret"],
            api_url=credentials.get("api_url") or TELEGRAM_API_URL,
            bot_name=credentials.get("bot_name") or None,
        )

    def __init__(
        self,
        access_token: str,
        webhook_url: str,
        webhook_secret: str,
        api_url: str,
        bot_name: Optional[str] = None,
    ) -> None:
        self.webhook_url = webhook_url
        self.webhook_secret = webhook_secret
        self.bot_name = bot_name
        self.api = TelegramBotApi(api_url, access_token)
        self.recent_updates = delivery_record("telegram")

    def get_output_channel(self) -> TelegramOutput:
        """The channel Rasa answers through, also outside a webhook call (reminders)."""
        return TelegramOutput(self.api)

    def has_valid_secret(self, request: Request) -> bool:
        """Whether the request carries our webhook secret, i.e. really comes from Telegram."""
        received = request.headers.get(SECRET_HEADER) or ""
        return hmac.compare_digest(received.encode("utf-8"), self.webhook_secret.encode("utf-8"))

    async def register_webhook(self) -> None:
        """Tells Telegram where to post updates, and the secret to send with them."""
        registered = await self.api.call(
            "setWebhook",
            {
                "url": self.webhook_url,
                "secret_token": self.webhook_secret,
                "allowed_updates": ALLOWED_UPDATES,
            },
        )
        if registered is None:
            logger.error("Telegram webhook not registered; Telegram will not deliver messages.")
        else:
            logger.info("Telegram webhook registered for bot %s.", self.bot_name or "(unnamed)")

    async def handle(
        self,
        patient: PatientMessage,
        update_id: int,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> None:
        """Answers one patient message; errors are logged (without the text) and swallowed so
        that Telegram does not retry the update forever."""
        output = self.get_output_channel()
        if patient.callback_query_id is not None:
            # Stops the spinner on the pressed button.
            await self.api.call(
                "answerCallbackQuery", {"callback_query_id": patient.callback_query_id}
            )
        if patient.text is None:
            await output.send_text_message(sender_id_of(patient.chat_id), TEXT_ONLY_REPLY)
            return
        sender_id = sender_id_of(patient.chat_id)
        logger.debug("Telegram update %s from %s", update_id, sender_id)
        await patient_turns().answer(
            UserMessage(patient.text, output, sender_id, input_channel=self.name()),
            on_new_message,
        )

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """The webhook route, and the listeners that register the webhook and close the pool."""
        telegram_webhook = Blueprint("telegram_webhook", __name__)

        @telegram_webhook.listener("after_server_start")
        async def register_webhook(_app: Any, _loop: Any) -> None:
            await self.register_webhook()

        @telegram_webhook.listener("before_server_stop")
        async def close_api(_app: Any, _loop: Any) -> None:
            await self.api.close()

        @telegram_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @telegram_webhook.route("/webhook", methods=["POST"])
        async def receive_update(request: Request) -> HTTPResponse:
            if not self.has_valid_secret(request):
                return response.json({"error": "forbidden"}, status=403)
            update = parse_update(request.body)
            if update is None:
                return response.json({"error": "not a Telegram update"}, status=400)
            update_id = update["update_id"]
            patient = read_update(update)
            if patient is not None and await self.recent_updates.first_time(update_id):
                await self.handle(patient, update_id, on_new_message)
            return response.json({"status": "ok"})

        return telegram_webhook
