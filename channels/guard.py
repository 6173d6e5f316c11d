"""What every channel checks before a patient's message reaches the assistant, and the replies
for the messages it will not process: empty, over-long, or faster than a person types.

A message that is refused is still read for red flags: if it describes one, the patient gets
the emergency advice first, because red flags win over everything else.
"""

from __future__ import annotations

import logging
import re
import time
from collections import deque
from typing import Deque, Dict, List, Optional

import redis
import redis.asyncio

from core.clinic import get_clinic_settings
from core.red_flags import current_red_flags, highest_level
from core.wording import response_text, template

logger = logging.getLogger(__name__)

# Control characters (binary junk) are dropped; tabs and line breaks are kept.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd\ufeff]")
# Idle senders are forgotten once the in-memory record holds this many.
MAX_TRACKED_SENDERS = 10_000

# The wording is in domain.yml, where editors look for what the assistant says.
EMPTY_REPLY = template("utter_refused_empty")
TOO_LONG_REPLY = template("utter_refused_too_long")
RATE_LIMITED_REPLY = template("utter_refused_too_fast")
UNAVAILABLE_REPLY = template("utter_technical_problem")
URGENT_HELP_LINE = template("utter_urgent_help_line")


def clean_text(text: object) -> str:
    """The message with control characters removed and surrounding space trimmed."""
    if not isinstance(text, str):
        return ""
    return CONTROL_CHARACTERS.sub("", text).strip()


def red_flag_advice(text: str) -> Optional[str]:
    """The escalation the assistant would give for this text, or None without a current red flag."""
    level = highest_level(current_red_flags(text))
    if level is None:
        return None
    return response_text(f"utter_red_flag_{level}")


def refusal_replies(reason: str, text: str) -> List[str]:
    """The replies to a message that is not processed: red-flag advice first if it has one."""
    emergency_number = get_clinic_settings().emergency_number
    urgent_help = URGENT_HELP_LINE.format(emergency_number=emergency_number)
    advice = red_flag_advice(text)
    body = f"{reason}\n\n{urgent_help}" if advice is None else reason
    return [advice, body] if advice else [body]


class MemoryRateLimiter:
    """At most `limit` messages per sender in any `window` seconds, counted in this process."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self._sent: Dict[str, Deque[float]] = {}

    async def allow(self, sender_id: str) -> bool:
        now = time.monotonic()
        if len(self._sent) > MAX_TRACKED_SENDERS:
            self._forget_idle(now)
        sent = self._sent.setdefault(sender_id, deque())
        while sent and sent[0] <= now - self.window:
            sent.popleft()
        if len(sent) >= self.limit:
            return False
        sent.append(now)
        return True

    def _forget_idle(self, now: float) -> None:
        for sender_id in [
            s for s, sent in self._sent.items() if not sent or sent[-1] <= now - self.window
        ]:
            del self._sent[sender_id]


class RedisRateLimiter:
    """The same limit counted in Redis, so it holds across replicas (fixed windows)."""

    def __init__(self, client: redis.asyncio.Redis, prefix: str, limit: int, window: float) -> None:
        self.client = client
        self.prefix = prefix
        self.limit = limit
        self.window = max(1, int(window))

    async def allow(self, sender_id: str) -> bool:
        key = f"{self.prefix}:rate:{sender_id}:{int(time.time() // self.window)}"
        try:
            async with self.client.pipeline(transaction=True) as pipeline:
                count, _ = await pipeline.incr(key).expire(key, self.window).execute()
        except redis.RedisError as error:
            # Counting must not be the reason a patient gets no answer: let the message through.
            logger.warning("Rate limit not checked, Redis unreachable (%s).", type(error).__name__)
            return True
        return count <= self.limit
