"""Tests for server/settings.py and server/endpoints.py: defaults, the environment, bad values."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
import yaml

from server.endpoints import LOCK_STORE, TRACKER_STORE, endpoints_from_settings, write_endpoints
from server.settings import Settings, SettingsError


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


def test_without_database_and_redis_conversations_go_to_sqlite_and_locks_stay_in_process() -> None:
    endpoints = endpoints_from_settings(Settings.from_environment({}))
    assert endpoints["tracker_store"] == {
        "type": TRACKER_STORE,
        "db": "tracker.db",
        "action_server_timeout_seconds": 10,
    }
    assert "lock_store" not in endpoints
    assert endpoints["action_endpoint"]["url"] == "http://localhost:5055/webhook"


def test_with_database_and_redis_both_are_shared() -> None:
    endpoints = endpoints_from_settings(
        Settings.from_environment(
            {
                "DATABASE_URL": "postgresql://db/clinic",
                "REDIS_URL": "redis://cache:6379/0",
                "ACTION_SERVER_URL": "http://actions:5055/webhook",
            }
        )
    )
    assert endpoints["tracker_store"]["url"] == "postgresql://db/clinic"
    assert endpoints["lock_store"] == {
        "type": LOCK_STORE,
        "url": "redis://cache:6379/0",
        "key_prefix": "iliopsoas",
    }
    assert endpoints["action_endpoint"]["url"] == "http://actions:5055/webhook"


def test_the_endpoints_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = write_endpoints(
        tmp_path / "var" / "endpoints.yml", {"DATABASE_URL": "postgresql://u:pw@db/c"}
    )
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert yaml.safe_load(path.read_text())["tracker_store"]["url"] == "postgresql://u:pw@db/c"
