"""Which channels are on, from the committed credentials.yml and the environment.

credentials.yml names every channel and reads its secrets with ${VAR}; scripts/env.sh gives
each variable a value, empty when unset. A channel whose variables are all empty is off (it
registers no routes); one that is half configured stops the start with a message naming what is
missing, both in `scripts/check_configuration.py` (before the slow set-up) and in the channel's
`from_credentials` (when Rasa builds it).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.shared.exceptions import RasaException
from sanic import Blueprint

from core.settings import read_config_file

CREDENTIALS_FILE = Path(__file__).resolve().parent.parent / "credentials.yml"

REST_CHANNEL = "channels.rest.RestInput"
WEB_WIDGET_CHANNEL = "channels.web_widget.WebWidgetInput"
TELEGRAM_CHANNEL = "channels.telegram.TelegramInput"
SLACK_CHANNEL = "channels.slack.SlackInput"
STAFF_API_CHANNEL = "channels.staff_api.StaffApiInput"

TELEGRAM_API_URL = "https://api.telegram.org"
SLACK_API_URL = "https://slack.com/api/"
DEFAULT_RASA_PORT = "5005"

# For each optional channel: its credential keys that must be set together, and the environment
# variable each comes from (named in the error message).
TELEGRAM_REQUIRED = {
    "access_token": "TELEGRAM_TOKEN",
    "webhook_url": "TELEGRAM_WEBHOOK_URL",
    "webhook_secret": "TELEGRAM_WEBHOOK_SECRET",
}
SLACK_REQUIRED = {"bot_token": "SLACK_BOT_TOKEN", "signing_secret": "SLACK_SIGNING_SECRET"}
STAFF_API_REQUIRED = {"token": "STAFF_API_TOKEN"}
REQUIRED_SETTINGS = {
    TELEGRAM_CHANNEL: TELEGRAM_REQUIRED,
    SLACK_CHANNEL: SLACK_REQUIRED,
    STAFF_API_CHANNEL: STAFF_API_REQUIRED,
}


class ChannelConfigurationError(RasaException, ValueError):
    """A channel is half configured: some of its variables are set, others are missing."""


def _text(value: Any) -> Optional[str]:
    text = "" if value is None else str(value).strip()
    return text or None


def switched_on(
    credentials: Optional[Mapping[str, Any]], required: Mapping[str, str]
) -> Optional[Dict[str, str]]:
    """The required credentials if all are set, None if none is; a partial set is an error.
    A channel listed with no settings at all is a broken credentials file, not an "off"."""
    if credentials is None:
        raise ChannelConfigurationError(f"{', '.join(required.values())} must be set")
    values = {key: _text((credentials or {}).get(key)) for key in required}
    missing = [required[key] for key, value in values.items() if value is None]
    if len(missing) == len(required):
        return None
    if missing:
        given = [required[key] for key in required if required[key] not in missing]
        raise ChannelConfigurationError(
            f"{', '.join(missing)} must be set too (or unset {', '.join(given)})"
        )
    return values  # type: ignore[return-value]


def widget_origins(configured: Any, environment: Mapping[str, str] = os.environ) -> List[str]:
    """Origins whose pages may open the widget's socket, from credentials.yml's
    `allowed_origins` (WEB_ALLOWED_ORIGINS, comma-separated; a list is taken as it is). When it
    is empty only the assistant's own demo page, on localhost, may connect."""
    if isinstance(configured, (list, tuple)):
        return [str(origin).strip().rstrip("/") for origin in configured if str(origin).strip()]
    text = _text(configured)
    if text:
        return [origin.strip().rstrip("/") for origin in text.split(",") if origin.strip()]
    port = _text(environment.get("RASA_PORT")) or DEFAULT_RASA_PORT
    return [f"http://localhost:{port}", f"http://127.0.0.1:{port}"]


def allowed_web_origins(environment: Mapping[str, str] = os.environ) -> List[str]:
    """The widget's allowed origins as the environment sets them (WEB_ALLOWED_ORIGINS)."""
    return widget_origins(environment.get("WEB_ALLOWED_ORIGINS"), environment)


def read_credentials(environment: Mapping[str, str] = os.environ) -> Dict[str, Any]:
    """credentials.yml as Rasa reads it, with every ${VAR} taken from `environment`."""
    return read_config_file(CREDENTIALS_FILE, environment)


def credentials_from_environment(environment: Mapping[str, str] = os.environ) -> Dict[str, Any]:
    """The credentials of every channel the environment switches on (raises for a channel that
    is half configured)."""
    credentials: Dict[str, Any] = {}
    for channel, settings in read_credentials(environment).items():
        required = REQUIRED_SETTINGS.get(channel)
        if required is not None and switched_on(settings, required) is None:
            continue
        if channel == WEB_WIDGET_CHANNEL:
            settings = {
                **settings,
                "allowed_origins": widget_origins(settings.get("allowed_origins"), environment),
            }
        if channel == TELEGRAM_CHANNEL:
            settings = {**settings, "api_url": settings.get("api_url") or TELEGRAM_API_URL}
        if channel == SLACK_CHANNEL:
            settings = {**settings, "api_url": settings.get("api_url") or SLACK_API_URL}
        credentials[channel] = settings or None
    return credentials


class ChannelOff(InputChannel):
    """A channel whose variables are all empty: it registers no routes at all, so its webhook
    answers 404 as if the channel were not in credentials.yml."""

    def __init__(self, channel_name: str) -> None:
        self.channel_name = channel_name

    def url_prefix(self) -> str:
        return self.channel_name

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        return Blueprint(f"{self.channel_name}_off", url_prefix=f"/webhooks/{self.channel_name}")
