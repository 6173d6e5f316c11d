"""Checks the deployment's configuration before any server starts, and names what is wrong.

Run by scripts/rasa_server.sh (and so by `make run` before the slow set-up). Exit code 2 with
one message per problem: a channel half configured, a setting the assistant cannot use, Rasa's
HTTP API switched on without a long enough token.
"""

from __future__ import annotations

import sys
from typing import List

from channels.credentials import ChannelConfigurationError, credentials_from_environment
from channels.staff_api import read_token
from core.settings import SHORTEST_TOKEN, Settings, SettingsError
from referrals.settings import DeliverySettings

CHANNEL_LABELS = {
    "channels.rest.RestInput": "REST",
    "channels.web_widget.WebWidgetInput": "website widget",
    "channels.telegram.TelegramInput": "Telegram",
    "channels.slack.SlackInput": "Slack",
    "channels.staff_api.StaffApiInput": "staff API",
}


def problems() -> List[str]:
    """Every reason the servers must not start; empty when the configuration is usable."""
    found: List[str] = []
    try:
        settings = Settings.from_environment()
    except SettingsError as error:
        return [f"Cannot start: {error}"]
    if settings.api_enabled and not settings.api_token:
        found.append(
            "Refusing to start: RASA_ENABLE_API is on but RASA_AUTH_TOKEN is not set.\n"
            "Set RASA_AUTH_TOKEN to a long random secret (openssl rand -hex 32), or turn the API "
            "off."
        )
    elif settings.api_enabled and len(settings.api_token or "") < SHORTEST_TOKEN:
        found.append(
            f"Refusing to start: RASA_AUTH_TOKEN must be at least {SHORTEST_TOKEN} characters long."
        )
    try:
        DeliverySettings.from_environment()
    except SettingsError as error:
        found.append(f"Referral delivery: {error}")
    try:
        channels = credentials_from_environment()
        read_token(channels.get("channels.staff_api.StaffApiInput"))
    except ChannelConfigurationError as error:
        found.append(f"Channel configuration: {error}")
    else:
        if not found:
            print(f"Channels on: {', '.join(CHANNEL_LABELS[name] for name in channels)}")
    return found


if __name__ == "__main__":
    reasons = problems()
    for reason in reasons:
        print(reason, file=sys.stderr)
    sys.exit(2 if reasons else 0)
