"""Tests for the committed endpoints.yml, read by Rasa itself the way `rasa run` reads it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, Iterator, Tuple

import pytest
import yaml
from rasa.core.lock_store import InMemoryLockStore, LockStore
from rasa.core.tracker_store import TrackerStore
from rasa.core.utils import AvailableEndpoints
from rasa.shared.exceptions import RasaException

from core.settings import config_file_variables
from server.endpoints import ENDPOINTS_FILE, LOCK_STORE, TRACKER_STORE, read_endpoints
from server.lock_store import ClinicRedisLockStore
from server.tracker_store import ClinicTrackerStore

ROOT = Path(__file__).resolve().parents[2]


def rasa_endpoints(monkeypatch: pytest.MonkeyPatch, values: Dict[str, str]) -> AvailableEndpoints:
    """Rasa's own reading of endpoints.yml with every variable set as scripts/env.sh sets it."""
    for name in config_file_variables(ENDPOINTS_FILE):
        monkeypatch.setenv(name, values.get(name, ""))
    return AvailableEndpoints.read_endpoints(str(ENDPOINTS_FILE))


def test_the_endpoints_file_is_rasas_own_at_the_top_level() -> None:
    assert ENDPOINTS_FILE == ROOT / "endpoints.yml"
    endpoints = read_endpoints({})
    assert endpoints["tracker_store"]["type"] == TRACKER_STORE
    assert endpoints["lock_store"]["type"] == LOCK_STORE


def test_without_database_and_redis_conversations_go_to_sqlite_and_locks_stay_in_process(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)  # the default SQLite file, tracker.db, lands here
    endpoints = rasa_endpoints(monkeypatch, {"ACTION_SERVER_URL": "http://localhost:5055/webhook"})
    tracker_store = TrackerStore.create(endpoints.tracker_store)
    assert isinstance(tracker_store, ClinicTrackerStore)
    assert tracker_store.engine.url.get_backend_name() == "sqlite"
    assert tracker_store.engine.url.database == "tracker.db"
    assert isinstance(LockStore.create(endpoints.lock_store), InMemoryLockStore)
    assert endpoints.action.url == "http://localhost:5055/webhook"


def test_with_database_and_redis_both_are_shared(monkeypatch: pytest.MonkeyPatch) -> None:
    endpoints = rasa_endpoints(
        monkeypatch,
        {
            "DATABASE_URL": "postgresql://db/clinic",
            "REDIS_URL": "redis://cache:6379/0",
            "ACTION_SERVER_URL": "http://actions:5055/webhook",
        },
    )
    assert endpoints.tracker_store.url == "postgresql://db/clinic"
    lock_store = LockStore.create(endpoints.lock_store)
    assert isinstance(lock_store, ClinicRedisLockStore)
    assert lock_store.key_prefix == "iliopsoas:lock:"
    assert endpoints.action.url == "http://actions:5055/webhook"


def test_a_variable_that_is_not_set_at_all_stops_rasa_with_its_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in config_file_variables(ENDPOINTS_FILE):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(RasaException, match="ACTION_SERVER_URL"):
        AvailableEndpoints.read_endpoints(str(ENDPOINTS_FILE))


@pytest.mark.parametrize("file_name", ["endpoints.yml", "credentials.yml"])
def test_no_address_or_secret_is_written_into_a_committed_config_file(file_name: str) -> None:
    """Every value of these files is a ${VAR} or a fixed name, never a literal address or key."""

    def leaves(section: object, path: str) -> Iterator[Tuple[str, object]]:
        if isinstance(section, dict):
            for key, value in section.items():
                yield from leaves(value, f"{path}.{key}")
        else:
            yield path, section

    for path, value in leaves(yaml.safe_load((ROOT / file_name).read_text()), file_name):
        if path.rsplit(".", 1)[-1] in {"type", "user_message_evt", "bot_message_evt"}:
            continue
        assert value is None or re.fullmatch(r"\$\{[A-Z_]+\}", str(value)), f"{path}: {value}"
