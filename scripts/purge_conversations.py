"""Deletes conversations older than the retention period (RETENTION_DAYS, default 30).

Usage: python scripts/purge_conversations.py [--days N] [--every-hours H]
A conversation is purged when its latest message is more than N days old; it is deleted whole,
from the store every replica uses (PostgreSQL with DATABASE_URL, else the SQLite file).
`make run` runs it with `--every-hours 24` (now, then daily); in Kubernetes a CronJob runs it once
a day (deploy/).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

from core.settings import Settings, SettingsError
from server.stores import open_tracker_store


def main() -> int:
    try:
        settings = Settings.from_environment()
    except SettingsError as error:
        print(f"Cannot purge: {error}", file=sys.stderr)
        return 2
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=float, default=settings.retention_days)
    parser.add_argument("--every-hours", type=float, help="keep running, purging this often")
    arguments = parser.parse_args()
    days, every_hours = arguments.days, arguments.every_hours
    if days <= 0 or (every_hours is not None and every_hours <= 0):
        print("Cannot purge: --days and --every-hours must be greater than zero", file=sys.stderr)
        return 2
    store = open_tracker_store()
    while True:
        purged = asyncio.run(store.purge_older_than(days))
        print(f"Purged {len(purged)} conversation(s) older than {days:g} days.", flush=True)
        if every_hours is None:
            return 0
        time.sleep(every_hours * 3600)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(0)
