"""The outbox on both databases the assistant runs on: an SQLite file and PostgreSQL (a scratch
database, dropped afterwards)."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, Iterator

import pytest

from referrals.outbox import Outbox
from scripts.local_services import scratch_database


@pytest.fixture(params=["sqlite", "postgresql"])
def database_environment(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Dict[str, str]]:
    """The environment of an action server whose conversations live in SQLite or PostgreSQL."""
    if request.param == "sqlite":
        yield {"TRACKER_SQLITE_PATH": str(tmp_path / "tracker.db")}
    else:
        with scratch_database("outbox") as url:
            yield {"DATABASE_URL": url}


@pytest.fixture
def outbox(database_environment: Dict[str, str]) -> Iterator[Outbox]:
    """An outbox with its tables, on each database in turn."""
    opened = Outbox.open(database_environment)
    opened.create_tables()
    yield opened
    opened.close()
