"""One real assistant with every channel switched on, talking to fake platform APIs on 127.0.0.1.

The Rasa server and the action server start once for all channel tests (about 30 s); the
Telegram Bot API and the Slack Web API are `RecordingApi` servers that record what the assistant
sends them.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, Iterator

import pytest

from scripts.local_servers import LocalAssistant, free_port
from tests.channels.recording_api import RecordedCall, RecordingApi
from tests.conftest import CLINIC_ENVIRONMENT

TELEGRAM_TOKEN = "123456:TEST-token_for-the-fake-api"
TELEGRAM_SECRET = "telegram-webhook-secret-for-tests"
SLACK_BOT_TOKEN = "xoxb-test-token"
SLACK_SIGNING_SECRET = "slack-signing-secret-for-tests"


def fake_telegram_reply(call: RecordedCall) -> Dict[str, Any]:
    if call.method in ("sendMessage", "sendPhoto"):
        chat_id = call.body.get("chat_id")
        return {"ok": True, "result": {"message_id": 1, "chat": {"id": chat_id}, "date": 0}}
    return {"ok": True, "result": True}


def _slack_reply(call: RecordedCall) -> Dict[str, Any]:
    return {"ok": True, "channel": call.body.get("channel"), "ts": "1700000000.000100"}


@pytest.fixture(scope="session")
def fake_telegram() -> Iterator[RecordingApi]:
    """The Telegram Bot API, as far as the assistant uses it."""
    api = RecordingApi(fake_telegram_reply).start()
    yield api
    api.stop()


@pytest.fixture(scope="session")
def fake_slack() -> Iterator[RecordingApi]:
    """The Slack Web API, as far as the assistant uses it."""
    api = RecordingApi(_slack_reply).start()
    yield api
    api.stop()


@dataclass(frozen=True)
class ClinicSite:
    """Another website (another origin) that embeds the widget with the README's snippet."""

    folder: Path
    port: int

    @property
    def origin(self) -> str:
        return f"http://localhost:{self.port}"

    def write_page(self, assistant_url: str, attributes: str = "", name: str = "index.html") -> str:
        """Writes a page that embeds the widget from `assistant_url` with the README's line
        (plus `attributes` on the tag); returns its URL."""
        snippet = f'<script src="{assistant_url}/chat/widget.js" {attributes} defer></script>'
        (self.folder / name).write_text(
            "<!doctype html><html lang=en><head><meta charset=utf-8><title>A clinic</title>"
            f"</head><body><h1>A clinic's own site</h1>{snippet}</body></html>"
        )
        return f"{self.origin}/{name}"


class QuietFolderHandler(SimpleHTTPRequestHandler):
    def log_message(self, *_: Any) -> None:
        pass


@contextlib.contextmanager
def served_site(folder: Path) -> Iterator[ClinicSite]:
    """A static site serving `folder` on 127.0.0.1 (its own origin), for as long as needed."""
    site = ClinicSite(folder, free_port())
    handler = functools.partial(QuietFolderHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", site.port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def clinic_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ClinicSite]:
    """An allowed origin: a clinic's own site that embeds the widget."""
    with served_site(tmp_path_factory.mktemp("clinic-site")) as site:
        yield site


@pytest.fixture(scope="session")
def rogue_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ClinicSite]:
    """An origin that is not allowed: the same embed on a site the clinic did not list."""
    with served_site(tmp_path_factory.mktemp("rogue-site")) as site:
        yield site


@pytest.fixture(scope="session")
def channel_assistant(
    trained_model: Path,
    tmp_path_factory: pytest.TempPathFactory,
    fake_telegram: RecordingApi,
    fake_slack: RecordingApi,
    clinic_site: ClinicSite,
) -> Iterator[LocalAssistant]:
    """Both servers with the widget, Telegram and Slack on; stopped at the end of the run."""
    running = LocalAssistant(
        model=trained_model,
        workdir=tmp_path_factory.mktemp("channels"),
        environment={
            **CLINIC_ENVIRONMENT,
            "TELEGRAM_TOKEN": TELEGRAM_TOKEN,
            "TELEGRAM_BOT_NAME": "iliopsoas_test_bot",
            "TELEGRAM_WEBHOOK_URL": "https://assistant.clinic.example/webhooks/telegram/webhook",
            "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
            "TELEGRAM_API_URL": fake_telegram.url,
            "SLACK_BOT_TOKEN": SLACK_BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SLACK_SIGNING_SECRET,
            "SLACK_API_URL": f"{fake_slack.url}/api/",
        },
    )
    # The assistant's own demo page, and one clinic site on another origin.
    running.environment["WEB_ALLOWED_ORIGINS"] = (
        f"http://127.0.0.1:{running.rasa_port},{clinic_site.origin}"
    )
    try:
        yield running.start()
    finally:
        running.stop()
