"""Opens the deployment's conversation store and lock store outside the Rasa server, for the
staff commands (retention purge, "delete my data"), from the same endpoints.yml."""

from __future__ import annotations

import os
from typing import Mapping, Optional

from rasa.core.lock_store import LockStore
from rasa.utils.endpoints import EndpointConfig

from server.endpoints import read_endpoints
from server.lock_store import ClinicRedisLockStore, locks_are_shared
from server.tracker_store import ClinicTrackerStore


def open_tracker_store(environment: Mapping[str, str] = os.environ) -> ClinicTrackerStore:
    """The tracker store the Rasa servers of this deployment use."""
    config = EndpointConfig.from_dict(read_endpoints(environment)["tracker_store"])
    return ClinicTrackerStore(host=config.url, **config.kwargs)


def open_lock_store(environment: Mapping[str, str] = os.environ) -> Optional[LockStore]:
    """The shared lock store, or None when locks live inside a single Rasa server."""
    config = EndpointConfig.from_dict(read_endpoints(environment)["lock_store"])
    if not locks_are_shared(config):
        return None
    return ClinicRedisLockStore(config)
