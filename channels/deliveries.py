"""A bounded memory of the deliveries a channel has handled, so a platform's retry is answered once.

Telegram resends an update and Slack an event when our answer is slow; both carry an id that
stays the same across retries. The record lives in this process: after a restart, or across
several replicas, a retry that arrives then could be answered a second time.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Hashable

# Platforms retry within minutes; this many recent deliveries is far more than they resend.
REMEMBERED_DELIVERIES = 10_000


class RecentDeliveries:
    """The most recent delivery ids, oldest forgotten first."""

    def __init__(self, capacity: int = REMEMBERED_DELIVERIES) -> None:
        self.capacity = capacity
        self._keys: OrderedDict[Hashable, None] = OrderedDict()

    def first_time(self, key: Hashable) -> bool:
        """Records `key`; True if it was not in the record yet. Record before handling, so a
        retry that arrives while the first delivery is still being answered is refused too."""
        if key in self._keys:
            return False
        self._keys[key] = None
        if len(self._keys) > self.capacity:
            self._keys.popitem(last=False)
        return True

    def __len__(self) -> int:
        return len(self._keys)
