"""The Redis connection the channels share across replicas (rate limits, retry record); used
only when REDIS_URL is set, else each process keeps its own."""

from __future__ import annotations

from functools import cache
from typing import Optional

import redis.asyncio

from core.settings import REDIS_TIMEOUT_SECONDS


@cache
def _client(url: str) -> redis.asyncio.Redis:
    # One client per process and URL: it pools its connections.
    return redis.asyncio.Redis.from_url(
        url, socket_timeout=REDIS_TIMEOUT_SECONDS, socket_connect_timeout=REDIS_TIMEOUT_SECONDS
    )


def shared_redis(url: Optional[str]) -> Optional[redis.asyncio.Redis]:
    """The process's client for `url`, or None without a Redis URL."""
    return _client(url) if url else None
