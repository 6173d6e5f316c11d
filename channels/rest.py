"""The REST channel (`POST /webhooks/rest/webhook`), strict about what it accepts.

Rasa's own REST channel answers a malformed body with a server error and writes the patient's
text into the log when a turn fails. Ours answers bad requests with 400 and a reason, ignores
fields it does not know, refuses sender ids that belong to the other channels (so a REST client
cannot write into someone's Telegram or widget conversation), and hands every message to
`channels.turns` like the other channels do. (The bound on every request body the server
accepts is Sanic's own REQUEST_MAX_SIZE, which Sanic reads from SANIC_REQUEST_MAX_SIZE.)
"""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Tuple

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.slack_events import SENDER_PREFIX as SLACK_PREFIX
from channels.telegram_api import SENDER_PREFIX as TELEGRAM_PREFIX
from channels.turns import patient_turns
from channels.untrusted_json import UntrustedJsonError, load_untrusted_json
from channels.widget_sessions import SENDER_PREFIX as WEB_PREFIX

logger = logging.getLogger(__name__)

# A 2,000-character message, even with every character escaped, fits well within this.
MAX_JSON_BYTES = 16 * 1024
MAX_SENDER_CHARACTERS = 128
# Conversation ids the other channels give out; a REST client must not pose as one of them.
RESERVED_SENDER_PREFIXES = (WEB_PREFIX, TELEGRAM_PREFIX, SLACK_PREFIX)


def read_request(body: bytes) -> Tuple[Optional[Dict[str, str]], Optional[str]]:
    """(sender and message, None) for a good body, or (None, the reason it is refused)."""
    if len(body) > MAX_JSON_BYTES:
        return None, f"request body over {MAX_JSON_BYTES} bytes"
    try:
        payload = load_untrusted_json(body)
    except UntrustedJsonError as error:
        return None, f"body is not accepted: {error}"
    if not isinstance(payload, dict):
        return None, "body must be a JSON object"
    sender = payload.get("sender")
    if isinstance(sender, bool) or not isinstance(sender, (str, int)):
        return None, "'sender' must be a string"
    sender = str(sender).strip()
    if not sender or len(sender) > MAX_SENDER_CHARACTERS or not sender.isprintable():
        return None, f"'sender' must be 1 to {MAX_SENDER_CHARACTERS} printable characters"
    if sender.startswith(RESERVED_SENDER_PREFIXES):
        return None, "'sender' may not start with a prefix another channel uses"
    message = payload.get("message")
    if not isinstance(message, str):
        return None, "'message' must be a string"
    return {"sender": sender, "message": message}, None


class RestInput(InputChannel):
    """REST: `{"sender": ..., "message": ...}` in, the assistant's replies as a JSON list out."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        rest = Blueprint("rest_webhook", __name__)

        @rest.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @rest.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            fields, problem = read_request(request.body or b"")
            if fields is None:
                return response.json({"error": problem}, status=400)
            collector = CollectingOutputChannel()
            await patient_turns().answer(
                UserMessage(
                    fields["message"], collector, fields["sender"], input_channel=self.name()
                ),
                on_new_message,
            )
            return response.json(collector.messages)

        return rest
