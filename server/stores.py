"""Opens the deployment's conversation store and lock store outside the Rasa server, for the
staff commands (retention purge, "delete my data")."""

from __future__ import annotations

from typing import Optional

from rasa.core.lock_store import LockStore
from rasa.utils.endpoints import EndpointConfig

from server.endpoints import endpoints_from_settings
from server.lock_store import ClinicRedisLockStore
from server.settings import Settings
from server.tracker_store import ClinicTrackerStore


def open_tracker_store(settings: Settings) -> ClinicTrackerStore:
    """The tracker store the Rasa servers of this deployment use."""
    config = EndpointConfig.from_dict(endpoints_from_settings(settings)["tracker_store"])
    return ClinicTrackerStore(host=config.url, **config.kwargs)


def open_lock_store(settings: Settings) -> Optional[LockStore]:
    """The shared lock store, or None when locks live inside a single Rasa server."""
    lock_store = endpoints_from_settings(settings).get("lock_store")
    if lock_store is None:
        return None
    return ClinicRedisLockStore(EndpointConfig.from_dict(lock_store))
