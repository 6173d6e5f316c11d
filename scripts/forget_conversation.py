"""Deletes one patient's conversation everywhere it is stored, at their request (for staff).

Usage: python scripts/forget_conversation.py SENDER_ID [SENDER_ID ...]
Sender ids name the channel: `web-<session>`, `telegram-<chat id>`, `slack-<team>-<user>`, or
the REST `sender`. Every session of the conversation is deleted from the tracker store (the
PostgreSQL database or the SQLite file), under the conversation's lock when Redis is shared, so
a reply being written at that moment cannot bring it back. Patients can do the same themselves
by asking the assistant to delete their data.
"""

from __future__ import annotations

import asyncio
import os
import sys
from typing import List

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

from core.settings import Settings, SettingsError
from server.stores import open_lock_store, open_tracker_store


async def forget(sender_ids: List[str], settings: Settings) -> int:
    """Deletes each conversation; returns how many held anything."""
    tracker_store = open_tracker_store()
    lock_store = open_lock_store()
    found = 0
    for sender_id in sender_ids:
        if lock_store is None:
            deleted = await tracker_store.delete_conversation(sender_id)
        else:
            async with lock_store.lock(sender_id):
                deleted = await tracker_store.delete_conversation(sender_id)
        print(f"{sender_id}: {'deleted' if deleted else 'nothing stored'} ({deleted} events)")
        found += bool(deleted)
    return found


def main() -> int:
    sender_ids = [argument for argument in sys.argv[1:] if argument.strip()]
    if not sender_ids:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        settings = Settings.from_environment()
    except SettingsError as error:
        print(f"Cannot delete: {error}", file=sys.stderr)
        return 2
    asyncio.run(forget(sender_ids, settings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
