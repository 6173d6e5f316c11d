"""The committed endpoints.yml as the Rasa server reads it, for the staff commands that open the
same stores outside the server (retention purge, "delete my data").

Conversations go to PostgreSQL when DATABASE_URL is set, else to an SQLite file; conversation
locks go to Redis when REDIS_URL is set, else stay in the process. Several replicas need both.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Dict, Mapping

from core.settings import read_config_file

ENDPOINTS_FILE = Path(__file__).resolve().parent.parent / "endpoints.yml"
TRACKER_STORE = "server.tracker_store.ClinicTrackerStore"
LOCK_STORE = "server.lock_store.ClinicLockStore"


def read_endpoints(environment: Mapping[str, str] = os.environ) -> Dict[str, Any]:
    """endpoints.yml with every ${VAR} taken from `environment`."""
    return read_config_file(ENDPOINTS_FILE, environment)
