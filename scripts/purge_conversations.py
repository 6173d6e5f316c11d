"""Deletes conversations older than the retention period (RETENTION_DAYS, default 30).

Usage: python scripts/purge_conversations.py [--days N]
A conversation is purged when its latest message is more than N days old; it is deleted whole,
from the store every replica uses (PostgreSQL with DATABASE_URL, else the SQLite file).
`make run` runs this at start and daily; in Kubernetes a CronJob runs it (deploy/).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

from server.settings import Settings, SettingsError  # noqa: E402
from server.stores import open_tracker_store  # noqa: E402


def main() -> int:
    try:
        settings = Settings.from_environment()
    except SettingsError as error:
        print(f"Cannot purge: {error}", file=sys.stderr)
        return 2
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=float, default=settings.retention_days)
    days = parser.parse_args().days
    if days <= 0:
        print("Cannot purge: --days must be greater than zero", file=sys.stderr)
        return 2
    purged = asyncio.run(open_tracker_store(settings).purge_older_than(days))
    print(f"Purged {len(purged)} conversation(s) older than {days:g} days.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
