"""The clinic website's chat widget: Rasa's socket.io channel, hardened, plus the files it needs.

Everything the browser loads comes from this server, under /chat/: the demo clinic page
(web/index.html), the embed loader (web/widget.js) and the rasa-webchat bundle that `make setup`
installs from the npm registry. Nothing is fetched from a third-party host at run time.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Optional

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncRedisManager, AsyncServer

from channels.credentials import widget_origins
from channels.turns import patient_turns
from channels.untrusted_json import SOCKET_JSON, UntrustedJsonError, load_untrusted_json
from channels.web_replies import alert_numbers, widget_messages
from channels.widget_sessions import (
    conversation_id_for,
    new_session_secret,
    valid_session_secret,
)
from core.clinic import get_clinic_settings
from core.settings import REDIS_TIMEOUT_SECONDS, Settings, server_settings

logger = logging.getLogger(__name__)

WEB_ROOT = Path(__file__).resolve().parent.parent / "web"
# rasa-webchat as scripts/patch_webchat.py writes it at install time: without its Google font
# import, and opening its socket as a WebSocket only (so any replica can hold it).
WEBCHAT_BUNDLE = WEB_ROOT / "node_modules" / "rasa-webchat" / "lib" / "index.clinic.js"
# The demo page and the widget assets are ours alone: no inline scripts, no other hosts.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self' ws: wss:; "
    "frame-ancestors 'none'"
)
# URL path under /chat/ -> (file in web/, content type).
STATIC_FILES = {
    "": ("index.html", "text/html; charset=utf-8"),
    "visit.html": ("visit.html", "text/html; charset=utf-8"),
    "widget.js": ("widget.js", "application/javascript; charset=utf-8"),
    "widget.css": ("widget.css", "text/css; charset=utf-8"),
    "demo.css": ("demo.css", "text/css; charset=utf-8"),
}


@functools.lru_cache(maxsize=1)
def webchat_bundle() -> bytes:
    """The patched rasa-webchat bundle, as installed (read once; 700 kB)."""
    if not WEBCHAT_BUNDLE.is_file():
        raise FileNotFoundError(f"{WEBCHAT_BUNDLE} is missing: run `make setup`")
    return WEBCHAT_BUNDLE.read_bytes()


class WidgetOutput(SocketIOOutput):
    """Rasa's socket.io output, with the widget's look: web addresses as links, and red-flag
    alerts marked as alerts with tap-to-call numbers (see channels/web_replies.py)."""

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._send_reply(recipient_id, text, None)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        await self._send_reply(recipient_id, text, buttons)

    async def _send_reply(
        self, recipient_id: str, text: str, buttons: Optional[List[Dict[str, Any]]]
    ) -> None:
        numbers = alert_numbers(get_clinic_settings())
        for message in widget_messages(text, buttons, numbers):
            await self._send_message(recipient_id, message)


def message_text(data: Any) -> Optional[str]:
    """The text of a `user_uttered` event, or None when the event is not a usable message."""
    if not isinstance(data, dict):
        return None
    text = data.get("message")
    if not isinstance(text, str):
        return None
    return text


class WebWidgetInput(SocketIOInput):
    """Rasa's socket.io channel with an origin allow-list, checked sessions and the web assets.

    Differences from Rasa's: only `allowed_origins` may connect (Rasa's accepts every origin);
    a conversation continues only for the browser holding its server-issued secret, and a socket
    may only speak for the session it was confirmed (Rasa's trusts the session id in every
    message, and any client that knows one joins that conversation; see widget_sessions.py);
    over-long messages get a polite answer and malformed events are dropped, where Rasa's
    raises. Replies carry web addresses as links, and alerts look like alerts.
    """

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> InputChannel:
        credentials = credentials or {}
        return cls(
            allowed_origins=widget_origins(credentials.get("allowed_origins")),
            user_message_evt=credentials.get("user_message_evt", "user_uttered"),
            bot_message_evt=credentials.get("bot_message_evt", "bot_uttered"),
        )

    def __init__(self, allowed_origins: List[str], **socketio_options: Any) -> None:
        # Sessions always persist: every socket joins its session's room (see blueprint).
        super().__init__(session_persistence=True, **socketio_options)
        self.allowed_origins = allowed_origins
        # The session secret each connected socket was confirmed: the only session it may
        # send messages to.
        self._secret_of_socket: Dict[str, str] = {}

    def get_output_channel(self) -> Optional[WidgetOutput]:
        """The output for messages Rasa sends outside a patient's turn (e.g. reminders)."""
        if self.sio is None:
            return None
        return WidgetOutput(self.sio, self.bot_message_evt)

    def url_prefix(self) -> str:
        # An absolute prefix: Rasa joins it onto /webhooks/, which leaves it as /chat.
        return "/chat"

    @staticmethod
    def _client_manager(settings: Settings) -> Optional[AsyncRedisManager]:
        """With several replicas, replies reach a patient's socket whichever replica holds it,
        through Redis (python-socketio's message queue); one server needs none."""
        if not settings.redis_url:
            return None
        # Replies are delivered to this replica's sockets first and then published, so an
        # unreachable Redis only stops replies reaching tabs held by other replicas.
        return AsyncRedisManager(
            settings.redis_url,
            channel=f"{settings.redis_key_prefix}:socketio",
            redis_options={"socket_connect_timeout": REDIS_TIMEOUT_SECONDS},
        )

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """The socket.io server on /socket.io/ and the web assets on /chat/."""
        sio = AsyncServer(
            async_mode="sanic",
            cors_allowed_origins=self.allowed_origins,
            client_manager=self._client_manager(server_settings()),
            # A patient's message is at most a few kB; the default allows 1 MB.
            max_http_buffer_size=server_settings().max_request_bytes,
            # Every socket packet is JSON from the browser: read it with the same depth bound
            # as the webhooks' bodies (python-socketio then drops the packet, logging why).
            json=SOCKET_JSON,
        )
        self.sio = sio
        widget = SocketBlueprint(sio, self.socketio_path, "web_widget", __name__)
        self._add_asset_routes(widget)

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: str, environ: Dict, auth: Optional[Dict] = None) -> bool:
            logger.debug("Widget socket %s connected.", sid)
            return True

        @sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: str) -> None:
            self._secret_of_socket.pop(sid, None)

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any) -> None:
            # rasa-webchat offers what it was confirmed before (kept in the browser's storage).
            offered = data.get("session_id") if isinstance(data, dict) else None
            secret = valid_session_secret(offered) or new_session_secret()
            self._secret_of_socket[sid] = secret
            # Rasa's output channel sends each reply to the room named after the sender id.
            # (Rasa's own channel forgets to await this with the python-socketio it installs, so
            # its session persistence silently never joins the room.)
            await sio.enter_room(sid, conversation_id_for(secret), namespace=self.namespace)
            # To this socket alone: the secret is never sent to anyone else.
            await sio.emit("session_confirm", secret, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any) -> None:
            secret = self._secret_of_socket.get(sid)
            text = message_text(data)
            if secret is None or text is None:
                logger.warning("Widget socket %s sent a message without a session; ignored.", sid)
                return
            if isinstance(data, dict) and data.get("session_id") not in (None, secret):
                logger.warning("Widget socket %s tried to speak for another session.", sid)
                return
            output = WidgetOutput(sio, self.bot_message_evt)
            sender_id = conversation_id_for(secret)
            await patient_turns().answer(
                UserMessage(
                    text,
                    output,
                    sender_id,
                    input_channel=self.name(),
                    metadata=self._metadata(data),
                ),
                on_new_message,
            )

        return widget

    def _metadata(self, data: Dict[str, Any]) -> Dict[str, Any]:
        metadata = data.get(self.metadata_key) or {}
        if isinstance(metadata, str):
            try:
                metadata = load_untrusted_json(metadata)
            except UntrustedJsonError:
                metadata = {}
        return metadata if isinstance(metadata, dict) else {}

    @staticmethod
    def _add_asset_routes(widget: Blueprint) -> None:
        security_headers = {
            "Content-Security-Policy": CONTENT_SECURITY_POLICY,
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
        }

        @widget.route("/health", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @widget.route("/webchat.js", methods=["GET"])
        async def bundle(_: Request) -> HTTPResponse:
            return response.raw(
                webchat_bundle(),
                content_type="application/javascript; charset=utf-8",
                headers={"Cache-Control": "public, max-age=3600", **security_headers},
            )

        def serve(file_name: str, content_type: str) -> Callable[..., Awaitable[HTTPResponse]]:
            async def serve_file(_: Request) -> HTTPResponse:
                return response.raw(
                    (WEB_ROOT / file_name).read_bytes(),
                    content_type=content_type,
                    headers={"Cache-Control": "no-cache", **security_headers},
                )

            return serve_file

        for path, (file_name, content_type) in STATIC_FILES.items():
            widget.add_route(
                serve(file_name, content_type),
                f"/{path}",
                methods=["GET"],
                name=f"web_{file_name.replace('.', '_')}",
            )
