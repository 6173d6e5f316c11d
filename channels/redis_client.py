"""The Redis connection the channels share across replicas (rate limits, retry record), or None
when REDIS_URL is unset and each process keeps its own."""

from __future__ import annotations

from functools import cache
from typing import Optional

import redis.asyncio

from server.lock_store import REDIS_TIMEOUT_SECONDS
from server.settings import Settings


@cache
def shared_redis(url: Optional[str] = None) -> Optional[redis.asyncio.Redis]:
    """One client per process (it pools its connections); None without a Redis URL."""
    url = url or Settings.from_environment().redis_url
    if not url:
        return None
    return redis.asyncio.Redis.from_url(
        url, socket_timeout=REDIS_TIMEOUT_SECONDS, socket_connect_timeout=REDIS_TIMEOUT_SECONDS
    )
