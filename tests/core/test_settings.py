"""Tests for core/settings.py: defaults, the environment, bad values."""

from __future__ import annotations

import pytest

from core.settings import Settings, SettingsError


def test_the_defaults_keep_everything_on_one_machine() -> None:
    settings = Settings.from_environment({})
    assert settings.database_url is None and settings.redis_url is None
    assert settings.sqlite_path == "tracker.db"
    assert settings.action_server_url == "http://localhost:5055/webhook"
    assert (settings.max_message_characters, settings.max_request_bytes) == (2000, 65536)
    assert (settings.rate_limit_messages, settings.rate_limit_window_seconds) == (20, 60)
    assert settings.retention_days == 30
    assert settings.api_enabled is False and settings.api_token is None


def test_values_come_from_the_environment() -> None:
    settings = Settings.from_environment(
        {
            "DATABASE_URL": "postgresql://rasa:secret@db:5432/clinic",
            "REDIS_URL": "redis://cache:6379/2",
            "REDIS_KEY_PREFIX": "clinic7",
            "RATE_LIMIT_MESSAGES": "5",
            "RETENTION_DAYS": "7.5",
            "RASA_ENABLE_API": "true",
        }
    )
    assert settings.database_url == "postgresql://rasa:secret@db:5432/clinic"
    assert settings.redis_key_prefix == "clinic7"
    assert settings.rate_limit_messages == 5 and settings.retention_days == 7.5
    assert settings.api_enabled is True


@pytest.mark.parametrize(
    "name, value",
    [
        ("RATE_LIMIT_MESSAGES", "many"),
        ("MAX_MESSAGE_CHARACTERS", "0"),
        ("RETENTION_DAYS", "-3"),
        ("REDIS_KEY_PREFIX", "has:colon"),
    ],
)
def test_a_value_the_assistant_cannot_use_is_refused_by_name(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_environment({name: value})
