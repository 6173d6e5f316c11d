"""Tests for channels/credentials.py: which channels the environment switches on."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
import yaml

from channels.credentials import (
    REST_CHANNEL,
    SLACK_CHANNEL,
    TELEGRAM_CHANNEL,
    WEB_WIDGET_CHANNEL,
    ChannelConfigurationError,
    allowed_web_origins,
    credentials_from_environment,
    write_credentials,
)

TELEGRAM = {
    "TELEGRAM_TOKEN": "123:abc",
    "TELEGRAM_WEBHOOK_URL": "https://assistant.example/webhooks/telegram/webhook",
    "TELEGRAM_WEBHOOK_SECRET": "s3cret",
}
SLACK = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "sign"}


def test_with_no_channel_variables_only_rest_and_the_widget_are_on() -> None:
    assert list(credentials_from_environment({})) == [REST_CHANNEL, WEB_WIDGET_CHANNEL]


def test_telegram_and_slack_are_on_when_their_variables_are_set() -> None:
    credentials = credentials_from_environment({**TELEGRAM, **SLACK, "TELEGRAM_BOT_NAME": "bot"})
    assert credentials[TELEGRAM_CHANNEL] == {
        "access_token": "123:abc",
        "webhook_url": TELEGRAM["TELEGRAM_WEBHOOK_URL"],
        "webhook_secret": "s3cret",
        "bot_name": "bot",
        "api_url": "https://api.telegram.org",
    }
    assert credentials[SLACK_CHANNEL] == {
        "bot_token": "xoxb-1",
        "signing_secret": "sign",
        "api_url": "https://slack.com/api/",
    }


@pytest.mark.parametrize(
    "environment",
    [
        {"TELEGRAM_TOKEN": "123:abc"},
        {**TELEGRAM, "TELEGRAM_WEBHOOK_SECRET": "  "},
        {"SLACK_SIGNING_SECRET": "sign"},
    ],
)
def test_a_half_configured_channel_is_an_error_that_names_what_is_missing(
    environment: dict,
) -> None:
    with pytest.raises(ChannelConfigurationError, match="must be set too"):
        credentials_from_environment(environment)


def test_widget_origins_default_to_the_assistants_own_page() -> None:
    assert allowed_web_origins({"RASA_PORT": "5010"}) == [
        "http://localhost:5010",
        "http://127.0.0.1:5010",
    ]


def test_widget_origins_are_read_from_a_comma_separated_list() -> None:
    environment = {"WEB_ALLOWED_ORIGINS": "https://clinic.example/, https://www.clinic.example"}
    assert allowed_web_origins(environment) == [
        "https://clinic.example",
        "https://www.clinic.example",
    ]


def test_the_credentials_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    written = write_credentials(tmp_path / "var" / "credentials.yml", {**SLACK})
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert yaml.safe_load(written.read_text())[SLACK_CHANNEL]["signing_secret"] == "sign"
