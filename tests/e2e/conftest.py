"""Stand-ins the end-to-end modules start for their own assistants, one per module: the Telegram
Bot API, the staff Slack webhook and the staff mail server, all on 127.0.0.1."""

from __future__ import annotations

from typing import Iterator

import pytest

from tests.support.platforms import fake_telegram_reply
from tests.support.recording_api import RecordingApi
from tests.support.staff_channels import RecordingSmtp, RecordingWebhook


@pytest.fixture(scope="module")
def telegram_api() -> Iterator[RecordingApi]:
    """A fake Telegram Bot API the module's assistant talks to."""
    api = RecordingApi(fake_telegram_reply).start()
    yield api
    api.stop()


@pytest.fixture(scope="module")
def slack_webhook() -> Iterator[RecordingWebhook]:
    """The staff channel's Slack incoming webhook."""
    webhook = RecordingWebhook().start()
    yield webhook
    webhook.stop()


@pytest.fixture(scope="module")
def inbox() -> Iterator[RecordingSmtp]:
    """The clinic's mail server (aiosmtpd), which keeps every message."""
    server = RecordingSmtp().start()
    yield server
    server.stop()
