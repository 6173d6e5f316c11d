"""Rasa's endpoints file, written from the settings at every start (like the credentials file).

Conversations go to PostgreSQL when DATABASE_URL is set, else to an SQLite file; conversation
locks go to Redis when REDIS_URL is set, else stay in the process. Several replicas need both.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Dict, Mapping

import yaml

from server.settings import Settings

TRACKER_STORE = "server.tracker_store.ClinicTrackerStore"
LOCK_STORE = "server.lock_store.ClinicRedisLockStore"


def endpoints_from_settings(settings: Settings) -> Dict[str, Any]:
    """The endpoints Rasa needs: action server, tracker store and, with Redis, the lock store."""
    if settings.database_url:
        tracker_store: Dict[str, Any] = {"type": TRACKER_STORE, "url": settings.database_url}
    else:
        tracker_store = {"type": TRACKER_STORE, "db": settings.sqlite_path}
    tracker_store["action_server_timeout_seconds"] = settings.action_server_timeout_seconds
    endpoints: Dict[str, Any] = {
        "action_endpoint": {"url": settings.action_server_url},
        "tracker_store": tracker_store,
    }
    if settings.redis_url:
        endpoints["lock_store"] = {
            "type": LOCK_STORE,
            "url": settings.redis_url,
            "key_prefix": settings.redis_key_prefix,
        }
    return endpoints


def write_endpoints(path: Path, environment: Mapping[str, str] = os.environ) -> Path:
    """Writes the endpoints file, readable by its owner only (it may hold a database password)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    settings = Settings.from_environment(environment)
    path.write_text(yaml.safe_dump(endpoints_from_settings(settings), sort_keys=False))
    return path
