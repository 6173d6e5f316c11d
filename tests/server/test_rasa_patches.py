"""Tests for server/rasa_patches.py: the patches refuse any Rasa but the one they were written
for, building the tracker store applies every one of them, and the action server's replies are
checked exactly as Rasa checks them, with a validator built once."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict

import jsonschema
import pytest
import rasa
import rasa.core.actions.action as rasa_actions
from rasa.core.actions.action import RemoteAction
from rasa.core.lock_store import RedisLockStore
from rasa.core.tracker_store import create_tracker_store
from rasa.utils.endpoints import EndpointConfig

from server import rasa_patches
from server.tracker_store import ClinicTrackerStore

REMOTE_ACTION = RemoteAction("action_anything", EndpointConfig("http://127.0.0.1:1/webhook"))
ORIGINAL_CHECK = RemoteAction._validate_action_result


@pytest.fixture(autouse=True)
def prebuilt_validator() -> Any:
    rasa_patches.apply_all()
    yield
    RemoteAction._validate_action_result = ORIGINAL_CHECK  # type: ignore[method-assign]


@pytest.mark.parametrize(
    "reply",
    [
        {"events": [], "responses": []},
        {"events": [{"event": "slot", "name": "x", "value": 1}], "responses": [{"text": "hi"}]},
        {},
    ],
)
def test_a_valid_reply_is_accepted_by_both_checks(reply: Dict[str, Any]) -> None:
    assert REMOTE_ACTION._validate_action_result(reply) is True
    assert ORIGINAL_CHECK(REMOTE_ACTION, reply) is True


@pytest.mark.parametrize(
    "reply",
    [
        {"events": "not a list"},
        {"events": [{"no_event_name": 1}]},
        {"responses": {"text": "not a list"}},
    ],
)
def test_an_invalid_reply_is_refused_by_both_checks_with_the_same_error(
    reply: Dict[str, Any],
) -> None:
    with pytest.raises(jsonschema.ValidationError) as ours:
        REMOTE_ACTION._validate_action_result(reply)
    with pytest.raises(jsonschema.ValidationError) as rasas:
        ORIGINAL_CHECK(REMOTE_ACTION, reply)
    assert ours.value.message.split(". Failed")[0] == rasas.value.message.split(". Failed")[0]
    assert "Failed to validate Action server response" in ours.value.message


@pytest.mark.parametrize("other_version", ["3.6.20", "3.7.0", "3.6.21rc1", ""])
def test_the_patches_refuse_any_other_rasa_version_with_a_clear_message(
    other_version: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(rasa_patches.UnsupportedRasaVersionError) as refused:
        rasa_patches.require_rasa_version(other_version)
    assert f"written for Rasa 3.6.21, but Rasa {other_version} is installed" in str(refused.value)

    monkeypatch.setattr(rasa, "__version__", other_version)
    RemoteAction._validate_action_result = ORIGINAL_CHECK  # type: ignore[method-assign]
    with pytest.raises(rasa_patches.UnsupportedRasaVersionError):
        rasa_patches.apply_all(action_server_timeout_seconds=3)
    with pytest.raises(rasa_patches.UnsupportedRasaVersionError):
        rasa_patches.set_lock_key_prefix(RedisLockStore.__new__(RedisLockStore), "clinic")
    assert RemoteAction._validate_action_result is ORIGINAL_CHECK  # nothing was patched


def test_the_installed_rasa_is_the_one_the_patches_were_written_for() -> None:
    rasa_patches.require_rasa_version()


def test_building_the_tracker_store_applies_every_patch_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Rasa as it comes: its own methods, its five-minute wait.
    rasas_own = {
        "RemoteAction._validate_action_result": ORIGINAL_CHECK,
        "RemoteAction.run": rasa_patches.ORIGINAL_RUN_REMOTE_ACTION,
        "MessageProcessor.handle_message": rasa_patches.ORIGINAL_HANDLE_MESSAGE,
        "MessageProcessor._run_prediction_loop": rasa_patches.ORIGINAL_RUN_PREDICTION_LOOP,
    }
    for patch in rasa_patches.PATCHES:
        monkeypatch.setattr(patch.owner, patch.attribute, rasas_own[patch.name])
    monkeypatch.setattr(rasa_actions, "DEFAULT_REQUEST_TIMEOUT", 300)
    assert rasa_patches.patches_not_applied() == list(rasas_own)

    # As `rasa run` builds it from endpoints.yml, where ${VAR} arrives as text.
    ClinicTrackerStore(db=str(tmp_path / "t.db"), action_server_timeout_seconds="3")
    assert rasa_patches.patches_not_applied() == []
    assert rasa_patches.action_server_wait() == 3
    patched = {patch.name: getattr(patch.owner, patch.attribute) for patch in rasa_patches.PATCHES}

    ClinicTrackerStore(db=str(tmp_path / "t.db"), action_server_timeout_seconds="3")
    assert {p.name: getattr(p.owner, p.attribute) for p in rasa_patches.PATCHES} == patched


def test_an_empty_action_timeout_in_endpoints_yml_means_the_default(tmp_path: Path) -> None:
    ClinicTrackerStore(db=str(tmp_path / "t.db"), action_server_timeout_seconds="")
    assert rasa_patches.action_server_wait() == 10


def test_a_tracker_store_on_another_rasa_version_stops_the_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rasa, "__version__", "3.7.0")
    endpoint = EndpointConfig.from_dict(
        {"type": "server.tracker_store.ClinicTrackerStore", "db": str(tmp_path / "t.db")}
    )
    # Not quietly replaced by Rasa's in-memory store, as an ImportError would be.
    with pytest.raises(rasa_patches.UnsupportedRasaVersionError):
        create_tracker_store(endpoint)
