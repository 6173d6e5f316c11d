"""One real assistant with every channel switched on, talking to fake platform APIs on 127.0.0.1.

The Rasa server and the action server start once for all channel tests (about 30 s); the
Telegram Bot API and the Slack Web API are `RecordingApi` servers that record what the assistant
sends them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from scripts.local_servers import LocalAssistant
from tests.support.environment import CLINIC_ENVIRONMENT
from tests.support.platforms import (
    SLACK_BOT_TOKEN,
    SLACK_SIGNING_SECRET,
    fake_slack_reply,
    fake_telegram_reply,
    telegram_environment,
)
from tests.support.recording_api import RecordingApi
from tests.support.sites import ClinicSite, served_site


@pytest.fixture(scope="session")
def fake_telegram() -> Iterator[RecordingApi]:
    """The Telegram Bot API, as far as the assistant uses it."""
    api = RecordingApi(fake_telegram_reply).start()
    yield api
    api.stop()


@pytest.fixture(scope="session")
def fake_slack() -> Iterator[RecordingApi]:
    """The Slack Web API, as far as the assistant uses it."""
    api = RecordingApi(fake_slack_reply).start()
    yield api
    api.stop()


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
            **telegram_environment(fake_telegram.url),
            "TELEGRAM_BOT_NAME": "iliopsoas_test_bot",
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
