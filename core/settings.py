"""The deployment's settings, read once from environment variables (see README, "Configuration").

Shared by the Rasa server's plugins (tracker store, lock store, channels) and the staff commands,
so a replica, `make run` and a Kubernetes pod all read the same names with the same defaults.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional

import yaml

DEFAULT_ACTION_SERVER_URL = "http://localhost:5055/webhook"
DEFAULT_SQLITE_PATH = "tracker.db"
DEFAULT_ACTION_SERVER_TIMEOUT_SECONDS = 10.0
DEFAULT_REDIS_KEY_PREFIX = "iliopsoas"
# A healthy Redis answers in milliseconds; a patient should not wait longer than this for an
# unreachable one (locks, rate limits, the widget's socket messages).
REDIS_TIMEOUT_SECONDS = 2
DEFAULT_RETENTION_DAYS = 30.0
# The shortest secret token the assistant accepts (Rasa's HTTP API, the staff API).
SHORTEST_TOKEN = 16


class SettingsError(ValueError):
    """A setting has a value the assistant cannot use."""


def _text(environment: Mapping[str, str], name: str) -> Optional[str]:
    value = environment.get(name, "").strip()
    return value or None


def _positive_number(environment: Mapping[str, str], name: str, default: float) -> float:
    raw = _text(environment, name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, not {raw!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise SettingsError(f"{name} must be a number greater than zero")
    return value


def retention_days(environment: Mapping[str, str] = os.environ) -> float:
    """RETENTION_DAYS (default 30): the purge applies it, and the assistant tells patients."""
    return _positive_number(environment, "RETENTION_DAYS", DEFAULT_RETENTION_DAYS)


def _flag(environment: Mapping[str, str], name: str) -> bool:
    return (_text(environment, name) or "false").lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """Where conversations live and the limits that protect the assistant."""

    database_url: Optional[str]
    sqlite_path: str
    redis_url: Optional[str]
    redis_key_prefix: str
    action_server_url: str
    action_server_timeout_seconds: float
    max_message_characters: int
    rate_limit_messages: int
    rate_limit_window_seconds: int
    max_request_bytes: int
    retention_days: float
    api_enabled: bool
    api_token: Optional[str]

    @classmethod
    def from_environment(cls, environment: Mapping[str, str] = os.environ) -> Settings:
        prefix = _text(environment, "REDIS_KEY_PREFIX") or DEFAULT_REDIS_KEY_PREFIX
        if not prefix.isalnum():
            raise SettingsError("REDIS_KEY_PREFIX must be letters and digits only")
        return cls(
            database_url=_text(environment, "DATABASE_URL"),
            sqlite_path=_text(environment, "TRACKER_SQLITE_PATH") or DEFAULT_SQLITE_PATH,
            redis_url=_text(environment, "REDIS_URL"),
            redis_key_prefix=prefix,
            action_server_url=_text(environment, "ACTION_SERVER_URL") or DEFAULT_ACTION_SERVER_URL,
            action_server_timeout_seconds=_positive_number(
                environment, "ACTION_SERVER_TIMEOUT_SECONDS", DEFAULT_ACTION_SERVER_TIMEOUT_SECONDS
            ),
            max_message_characters=int(
                _positive_number(environment, "MAX_MESSAGE_CHARACTERS", 2000)
            ),
            rate_limit_messages=int(_positive_number(environment, "RATE_LIMIT_MESSAGES", 20)),
            rate_limit_window_seconds=int(
                _positive_number(environment, "RATE_LIMIT_WINDOW_SECONDS", 60)
            ),
            max_request_bytes=int(_positive_number(environment, "MAX_REQUEST_BYTES", 65536)),
            retention_days=retention_days(environment),
            api_enabled=_flag(environment, "RASA_ENABLE_API"),
            api_token=_text(environment, "RASA_AUTH_TOKEN"),
        )


@cache
def server_settings() -> Settings:
    """This process's settings, read from the environment once."""
    return Settings.from_environment()


CONFIG_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def read_config_file(path: Path, environment: Mapping[str, str] = os.environ) -> Dict[str, Any]:
    """A committed Rasa config file (endpoints.yml, credentials.yml) as Rasa reads it, with
    every ${VAR} taken from `environment` (empty when unset, as scripts/env.sh makes it)."""

    def substitute(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: substitute(item) for key, item in value.items()}
        if isinstance(value, str):
            return CONFIG_VARIABLE.sub(lambda match: environment.get(match.group(1), ""), value)
        return value

    return substitute(yaml.safe_load(path.read_text()) or {})


def config_file_variables(path: Path) -> List[str]:
    """The environment variables a committed config file reads, in order of first use."""
    return list(dict.fromkeys(CONFIG_VARIABLE.findall(path.read_text())))
