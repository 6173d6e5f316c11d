"""Stand-ins for the staff channels on 127.0.0.1: a Slack incoming webhook that records what it
accepts and can be told to fail, and a real SMTP server (aiosmtpd) that records every message."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any, Dict, List, Optional, Tuple

import requests
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from tests.support.recording_api import ApiReply, RecordedCall, RecordingApi


def free_port() -> int:
    """A port nothing listens on at the moment."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RecordingWebhook:
    """A Slack incoming webhook: answers 200 and records the body, or 500 while told to fail."""

    def __init__(self) -> None:
        self.accepted: List[Dict[str, Any]] = []
        self.refused = 0
        self._failures_left = 0
        self._lock = threading.Lock()
        self._api = RecordingApi(self._answer)

    def _answer(self, call: RecordedCall) -> Any:
        with self._lock:
            if self._failures_left:
                self._failures_left -= 1
                self.refused += 1
                return ApiReply(500, {"error": "server_error"})
            self.accepted.append(call.body)
        return {"ok": True}

    def reset(self) -> None:
        """Forgets what was recorded and any failures still to come (between tests)."""
        with self._lock:
            self.accepted.clear()
            self.refused = 0
            self._failures_left = 0

    def fail_next(self, requests: int) -> None:
        with self._lock:
            self._failures_left = requests

    @property
    def url(self) -> str:
        return f"{self._api.url}/services/T000/B000/secretpath"

    def start(self) -> RecordingWebhook:
        self._api.start()
        return self

    def stop(self) -> None:
        self._api.stop()


@dataclass
class ReceivedMail:
    mail_from: str
    recipients: List[str]
    message: EmailMessage


class _Recorder:
    def __init__(self) -> None:
        self.messages: List[ReceivedMail] = []
        self.lock = threading.Lock()

    async def handle_DATA(  # noqa: N802 (the name aiosmtpd calls)
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(
                ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), message)  # type: ignore[arg-type]
            )
        return "250 Message accepted for delivery"


class RecordingSmtp:
    """An SMTP server on 127.0.0.1:`port` that keeps every message; with `login`, it offers
    AUTH (over plain text, as a test may) and accepts only that user and password."""

    def __init__(self, port: Optional[int] = None, login: Optional[Tuple[str, str]] = None):
        self.port = port or free_port()
        self.login = login
        self.logins: List[Tuple[str, str]] = []
        self._recorder = _Recorder()
        self._controller: Optional[Controller] = None

    @property
    def messages(self) -> List[ReceivedMail]:
        with self._recorder.lock:
            return list(self._recorder.messages)

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        if not isinstance(data, LoginPassword):
            return AuthResult(success=False, handled=False)
        given = (data.login.decode(), data.password.decode())
        self.logins.append(given)
        return AuthResult(success=given == self.login)

    def start(self) -> RecordingSmtp:
        options: Dict[str, Any] = {}
        if self.login:
            options = {
                "authenticator": self._authenticate,
                "auth_require_tls": False,
                "auth_required": True,
            }
        self._controller = Controller(
            self._recorder, hostname="127.0.0.1", port=self.port, ready_timeout=10, **options
        )
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


def staff_api_get(base_url: str, path: str, token: str) -> requests.Response:
    """One request to the Rasa server's staff API (`/staff/<path>`) with this bearer token."""
    return requests.get(
        f"{base_url}/staff/{path}", headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
