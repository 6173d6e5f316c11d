"""A record of the deliveries a channel has handled, so a platform's retry is answered once.

Telegram resends an update and Slack an event when our answer is slow; both carry an id that
stays the same across retries. With REDIS_URL set the record is in Redis, shared by every
replica and kept across restarts for a day; without it, each process remembers its most recent
deliveries.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Hashable, Optional, Union

import redis
import redis.asyncio

from channels.redis_client import shared_redis
from core.settings import Settings, server_settings

logger = logging.getLogger(__name__)

# Platforms retry within minutes; this many recent deliveries is far more than they resend.
REMEMBERED_DELIVERIES = 10_000
# How long Redis remembers a delivery id.
REMEMBERED_SECONDS = 24 * 60 * 60


class RecentDeliveries:
    """The most recent delivery ids in this process, oldest forgotten first."""

    def __init__(self, capacity: int = REMEMBERED_DELIVERIES) -> None:
        self.capacity = capacity
        self._keys: OrderedDict[Hashable, None] = OrderedDict()

    async def first_time(self, key: Hashable) -> bool:
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


class SharedDeliveries:
    """Delivery ids in Redis (SET NX with an expiry): one answer across all replicas."""

    def __init__(self, client: redis.asyncio.Redis, namespace: str) -> None:
        self.client = client
        self.namespace = namespace

    async def first_time(self, key: Hashable) -> bool:
        try:
            created = await self.client.set(
                f"{self.namespace}:{key}", b"1", nx=True, ex=REMEMBERED_SECONDS
            )
        except redis.RedisError as error:
            # Better a rare double answer than no answer at all.
            logger.warning("Retry record unavailable (%s).", type(error).__name__)
            return True
        return bool(created)


def delivery_record(
    channel: str, settings: Optional[Settings] = None
) -> Union[RecentDeliveries, SharedDeliveries]:
    """The record for `channel`: shared in Redis when REDIS_URL is set, else in this process."""
    settings = settings or server_settings()
    client = shared_redis(settings.redis_url)
    if client is None:
        return RecentDeliveries()
    return SharedDeliveries(client, f"{settings.redis_key_prefix}:delivery:{channel}")
