"""Simulated patients for `make bench-load` (scripts/bench_load.py): the conversation each one
has over REST, what every reply must contain, the patient itself as an asyncio task that
reads and types between messages, and the check that the trackers hold exactly what was said.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import aiohttp
import requests

from channels.guard import RATE_LIMITED_REPLY, UNAVAILABLE_REPLY
from core.knowledge import get_knowledge


@dataclass(frozen=True)
class Step:
    """One message of a conversation and the text its reply must contain."""

    message: str
    expected: str
    # The red flag's escalation must come first, not just somewhere in the reply.
    expected_first: bool = False

    def problem(self, replies: List[Dict[str, Any]]) -> Optional[str]:
        """Why this reply is wrong, or None when it is what a patient should get."""
        if not replies:
            return "empty reply"
        texts = [str(reply.get("text", "")) for reply in replies]
        everything = "\n".join(texts)
        if RATE_LIMITED_REPLY in everything:
            return "rate limited"
        if UNAVAILABLE_REPLY in everything:
            return "'technical problem' apology"
        found = (
            texts[0].startswith(self.expected)
            if self.expected_first
            else self.expected in everything
        )
        return None if found else f"{self.message!r} answered without {self.expected[:40]!r}"


@cache
def _questions() -> Tuple[Tuple[Step, ...], Tuple[Step, ...]]:
    """The questions every patient asks, and the extra ones a patient may add (one or none)."""
    causes, treatment = get_knowledge().topic("causes"), get_knowledge().topic("treatment")
    diagnosis = get_knowledge().topic("diagnosis")
    needling = treatment.items[treatment.item_index("treatment_needling_injections")]
    always = (
        Step("what causes it", causes.items[0].text),
        Step("next", causes.items[1].text),
    )
    extra = (
        Step("how is it treated", treatment.items[0].text),
        Step("does dry needling help?", needling.text),
        Step("how do doctors diagnose it", diagnosis.items[0].text),
    )
    return always, extra


GREETING = Step("hi", "not a diagnosis")
# The symptom check: a description starts it, two safety answers, then "stop" leaves it. The
# description already says "groin" and "stairs", so the third question is about clicking.
SYMPTOM_CHECK = (
    Step("my groin hurts when I climb stairs", "First, safety"),
    Step("no", "And do you have any of these"),
    Step("no none of those", "clicking or snapping"),
    Step("stop", "Okay, stopped"),
)
RED_FLAG = Step("I suddenly can't control my bladder", "⚠️", expected_first=True)


def conversation(rng: random.Random) -> List[Step]:
    """A whole conversation of 8 or 9 messages: greeting, questions, symptom check, red flag."""
    always, extra = _questions()
    chosen = rng.choice([*extra, None])
    questions = [*always, chosen] if chosen else list(always)
    return [GREETING, *questions, *SYMPTOM_CHECK, RED_FLAG]


@dataclass
class ConversationRecord:
    """What one sender sent and got back, for the statistics and the tracker check."""

    sender: str
    sent: List[str] = field(default_factory=list)
    received: int = 0  # reply messages in 200 responses
    answered: int = 0  # 200 responses
    latencies_ms: List[float] = field(default_factory=list)
    errors: List[str] = field(default_factory=list)


async def _exchange(
    session: aiohttp.ClientSession,
    url: str,
    sender: str,
    step: Step,
    timeout: float,
    record: ConversationRecord,
) -> None:
    """Sends one message and records its latency and any error."""
    record.sent.append(step.message)
    started = time.perf_counter()
    try:
        async with session.post(
            f"{url}/webhooks/rest/webhook",
            json={"sender": sender, "message": step.message},
            timeout=aiohttp.ClientTimeout(total=timeout),
        ) as response:
            body = await response.text()
            status = response.status
    except asyncio.TimeoutError:
        record.errors.append(f"timeout after {timeout:.0f} s")
        return
    except aiohttp.ClientError as error:
        record.errors.append(f"connection: {type(error).__name__}")
        return
    finally:
        # Every request counts, failed ones too: a timeout belongs in p99.
        record.latencies_ms.append((time.perf_counter() - started) * 1000)
    if status != 200:
        record.errors.append(f"HTTP {status}")
        return
    record.answered += 1
    try:
        replies = json.loads(body)
    except ValueError:
        record.errors.append("reply is not JSON")
        return
    record.received += len(replies) if isinstance(replies, list) else 0
    problem = step.problem(replies if isinstance(replies, list) else [])
    if problem:
        record.errors.append(problem)


async def patient(
    session: aiohttp.ClientSession,
    urls: Sequence[str],
    name: str,
    conversations: int,
    think_seconds: Tuple[float, float],
    timeout: float,
    rng: random.Random,
    records: List[ConversationRecord],
) -> None:
    """One patient: `conversations` whole conversations, each under a fresh sender id.

    With several `urls` the messages of a conversation go to them in turn, as a round-robin
    load balancer would send them; patients start at different replicas."""
    # Patients arrive at different moments rather than all pressing Enter at once.
    await asyncio.sleep(rng.uniform(0, think_seconds[1]))
    for number in range(conversations):
        record = ConversationRecord(sender=f"{name}-{number}")
        records.append(record)
        first_replica = rng.randrange(len(urls))
        for index, step in enumerate(conversation(rng)):
            if index:
                await asyncio.sleep(rng.uniform(*think_seconds))
            url = urls[(first_replica + index) % len(urls)]
            await _exchange(session, url, record.sender, step, timeout, record)
        if number + 1 < conversations:
            await asyncio.sleep(rng.uniform(*think_seconds))


async def run_patients(
    urls: Sequence[str],
    sender_prefix: str,
    patients: int,
    conversations: int,
    think_seconds: Tuple[float, float],
    timeout: float,
    seed: str,
) -> Tuple[List[ConversationRecord], float]:
    """Runs `patients` patients at once; returns their conversations and the wall time in s.

    Patient i's choices and pauses come from `seed` and i alone, so a rerun (or the other
    setup) gets the same conversations at the same moments."""
    records: List[ConversationRecord] = []
    # A new connection per request, as separate patients' browsers would open: reused idle
    # connections race with the server's keep-alive timeout and fail for reasons of the client.
    connector = aiohttp.TCPConnector(force_close=True, limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.perf_counter()
        await asyncio.gather(
            *(
                patient(
                    session,
                    urls,
                    f"{sender_prefix}-p{number}",
                    conversations,
                    think_seconds,
                    timeout,
                    random.Random(f"{seed}-{number}"),
                    records,
                )
                for number in range(patients)
            )
        )
        return records, time.perf_counter() - started


def rest_message_count(bot_event: Dict[str, Any]) -> int:
    """How many REST messages one bot event became: the REST channel sends the paragraphs of a
    reply without buttons as separate messages."""
    if bot_event.get("data", {}).get("buttons"):
        return 1
    return len((bot_event.get("text") or "").strip().split("\n\n"))


def count_lost_events(
    read_tracker: Callable[[str], Dict[str, Any]], records: List[ConversationRecord]
) -> int:
    """User events missing or duplicated in each sender's tracker, plus the difference between
    its bot events and the replies the patient received. An unreadable tracker loses all."""
    lost = 0
    for record in records:
        try:
            events = read_tracker(record.sender)["events"]
        except (requests.RequestException, KeyError, ValueError):
            lost += len(record.sent) + record.received
            continue
        stored = Counter(event.get("text") for event in events if event["event"] == "user")
        sent = Counter(record.sent)
        lost += sum((sent - stored).values()) + sum((stored - sent).values())
        bots = sum(rest_message_count(event) for event in events if event["event"] == "bot")
        lost += abs(bots - record.received)
    return lost
