"""Tests for channels/credentials.py: which channels the environment switches on."""

from __future__ import annotations

import pytest

from channels.credentials import (
    REST_CHANNEL,
    SLACK_CHANNEL,
    STAFF_API_CHANNEL,
    TELEGRAM_CHANNEL,
    WEB_WIDGET_CHANNEL,
    ChannelConfigurationError,
    ChannelOff,
    allowed_web_origins,
    credentials_from_environment,
    read_credentials,
)
from channels.slack import SlackInput
from channels.telegram import TelegramInput

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


def test_a_channel_whose_variables_are_empty_is_off_and_registers_no_routes() -> None:
    off = TelegramInput.from_credentials(read_credentials({})[TELEGRAM_CHANNEL])
    assert isinstance(off, ChannelOff)
    assert list(off.blueprint(lambda message: None).routes) == []
    assert isinstance(SlackInput.from_credentials(read_credentials({})[SLACK_CHANNEL]), ChannelOff)


def test_a_half_configured_channel_stops_rasa_building_it() -> None:
    with pytest.raises(ChannelConfigurationError, match="TELEGRAM_WEBHOOK_SECRET"):
        TelegramInput.from_credentials(
            read_credentials({k: v for k, v in TELEGRAM.items() if "SECRET" not in k})[
                TELEGRAM_CHANNEL
            ]
        )


def test_the_committed_credentials_file_lists_every_channel() -> None:
    assert list(read_credentials({})) == [
        REST_CHANNEL,
        WEB_WIDGET_CHANNEL,
        TELEGRAM_CHANNEL,
        SLACK_CHANNEL,
        STAFF_API_CHANNEL,
    ]
