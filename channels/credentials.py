"""Which channels are on, and their settings, from environment variables (see README, "Channels").

Rasa reads its channels from a credentials file. Ours is written at start-up from the
environment, so a channel whose variables are unset is simply not in it: `make run` works with
none of them, and no secret ever sits in a committed file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional

import yaml

REST_CHANNEL = "channels.rest.RestInput"
WEB_WIDGET_CHANNEL = "channels.web_widget.WebWidgetInput"
TELEGRAM_CHANNEL = "channels.telegram.TelegramInput"
SLACK_CHANNEL = "channels.slack.SlackInput"

TELEGRAM_API_URL = "https://api.telegram.org"
SLACK_API_URL = "https://slack.com/api/"
DEFAULT_RASA_PORT = "5005"


class ChannelConfigurationError(ValueError):
    """A channel is half configured: some of its variables are set, others are missing."""


def _read(environment: Mapping[str, str], name: str) -> Optional[str]:
    value = environment.get(name, "").strip()
    return value or None


def _all_or_none(environment: Mapping[str, str], names: List[str]) -> Optional[Dict[str, str]]:
    """The values of `names` if all are set, None if none is; a partial set is an error."""
    values = {name: _read(environment, name) for name in names}
    missing = [name for name, value in values.items() if value is None]
    if len(missing) == len(names):
        return None
    if missing:
        given = [name for name in names if name not in missing]
        raise ChannelConfigurationError(
            f"{', '.join(missing)} must be set too (or unset {', '.join(given)})"
        )
    return values  # type: ignore[return-value]


def allowed_web_origins(environment: Mapping[str, str]) -> List[str]:
    """Origins whose pages may open the widget's socket: WEB_ALLOWED_ORIGINS, comma-separated.

    By default only the assistant's own demo page, on localhost, may connect.
    """
    configured = _read(environment, "WEB_ALLOWED_ORIGINS")
    if configured:
        return [origin.strip().rstrip("/") for origin in configured.split(",") if origin.strip()]
    port = _read(environment, "RASA_PORT") or DEFAULT_RASA_PORT
    return [f"http://localhost:{port}", f"http://127.0.0.1:{port}"]


def credentials_from_environment(environment: Mapping[str, str] = os.environ) -> Dict[str, Any]:
    """The credentials Rasa needs for every channel the environment switches on."""
    credentials: Dict[str, Any] = {
        REST_CHANNEL: None,
        WEB_WIDGET_CHANNEL: {
            "user_message_evt": "user_uttered",
            "bot_message_evt": "bot_uttered",
            "allowed_origins": allowed_web_origins(environment),
        },
    }
    telegram = _all_or_none(
        environment, ["TELEGRAM_TOKEN", "TELEGRAM_WEBHOOK_URL", "TELEGRAM_WEBHOOK_SECRET"]
    )
    if telegram:
        credentials[TELEGRAM_CHANNEL] = {
            "access_token": telegram["TELEGRAM_TOKEN"],
            "webhook_url": telegram["TELEGRAM_WEBHOOK_URL"],
            "webhook_secret": telegram["TELEGRAM_WEBHOOK_SECRET"],
            "bot_name": _read(environment, "TELEGRAM_BOT_NAME"),
            "api_url": _read(environment, "TELEGRAM_API_URL") or TELEGRAM_API_URL,
        }
    slack = _all_or_none(environment, ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"])
    if slack:
        credentials[SLACK_CHANNEL] = {
            "bot_token": slack["SLACK_BOT_TOKEN"],
            "signing_secret": slack["SLACK_SIGNING_SECRET"],
            "api_url": _read(environment, "SLACK_API_URL") or SLACK_API_URL,
        }
    return credentials


def write_credentials(path: Path, environment: Mapping[str, str] = os.environ) -> Path:
    """Writes the credentials file, readable by its owner only (it holds the channel secrets)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_text(yaml.safe_dump(credentials_from_environment(environment), sort_keys=False))
    return path
