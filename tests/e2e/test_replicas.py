"""Two Rasa replicas and one action server sharing PostgreSQL and Redis, as in production: one
conversation's messages sent alternately and concurrently to both, a replica killed and
restarted, PostgreSQL restarted, and "delete my data" on the shared store."""

from __future__ import annotations

import json
import signal
import subprocess
import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest
import requests
import sqlalchemy as sa

from core.knowledge import get_knowledge
from scripts.local_servers import ROOT, LocalAssistant
from scripts.local_services import (
    TEST_REDIS_URL,
    restart_postgres,
    scratch_database,
    scratch_redis_prefix,
)
from tests.support.conversation_locks import shared_lock_store, tickets_of, wait_for_a_ticket
from tests.support.environment import CLINIC_ENVIRONMENT
from tests.support.platforms import TELEGRAM_SECRET, telegram_environment
from tests.support.recording_api import RecordingApi
from tests.support.telegram_updates import SECRET_HEADER, message_update, sent_to
from tests.support.widget_client import WidgetClient, wait_until

PYTHON = str(ROOT / ".venv" / "bin" / "python")
# A replica killed in the middle of a turn leaves its lock ticket behind until this expires.
LOCK_LIFETIME_SECONDS = 20
# Generous bounds for a loaded 2-core machine (a turn takes well under a second on an idle one);
# each is reached only when something is wrong.
TURN_TIMEOUT_SECONDS = 120
LOCK_TAKEN_WITHIN = 30
QUESTIONS = [
    ("what causes it", "causes"),
    ("how is it treated", "treatment"),
    ("how do doctors diagnose it", "diagnosis"),
    ("how can i prevent it from coming back", "prevention"),
    ("what are the symptoms of it", "symptoms"),
    ("when should i see a doctor", "when_to_seek_help"),
]


@pytest.fixture(scope="module")
def cluster(
    trained_model: Path, tmp_path_factory: pytest.TempPathFactory, telegram_api: RecordingApi
) -> Iterator[LocalAssistant]:
    with scratch_database("replicas") as database_url, scratch_redis_prefix("replicas") as prefix:
        running = LocalAssistant(
            model=trained_model,
            workdir=tmp_path_factory.mktemp("replicas"),
            replicas=2,
            environment={
                **CLINIC_ENVIRONMENT,
                "DATABASE_URL": database_url,
                "REDIS_URL": TEST_REDIS_URL,
                "REDIS_KEY_PREFIX": prefix,
                "TICKET_LOCK_LIFETIME": str(LOCK_LIFETIME_SECONDS),
                **telegram_environment(telegram_api.url),
            },
        )
        try:
            yield running.start()
        finally:
            running.stop()


def new_sender() -> str:
    return f"replica-{uuid.uuid4().hex[:12]}"


def text_of(messages: List[Dict[str, Any]]) -> str:
    return "\n".join(message.get("text", "") for message in messages)


def step_marker(step: int) -> str:
    return f"{step} of {len(get_knowledge().topic('causes').items)}"


def stored_events(cluster: LocalAssistant, sender: str) -> List[Dict[str, Any]]:
    """The conversation as PostgreSQL holds it, every session, in order."""
    engine = sa.create_engine(cluster.environment["DATABASE_URL"])
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT type_name, data FROM events WHERE sender_id = :s ORDER BY id"),
                {"s": sender},
            ).fetchall()
    finally:
        engine.dispose()
    return [json.loads(data) for _, data in rows]


def rest_messages(bot_event: Dict[str, Any]) -> List[str]:
    """The REST channel sends the paragraphs of a reply without buttons as separate messages."""
    text = bot_event.get("text") or ""
    if bot_event.get("data", {}).get("buttons"):
        return [text]
    return text.strip().split("\n\n")


def assert_each_turn_once_and_whole(
    events: List[Dict[str, Any]], sent: List[str], replies: List[List[Dict[str, Any]]]
) -> None:
    """Every message once, every turn uninterrupted, and as many bot events as replies."""
    users = [event["text"] for event in events if event["event"] == "user"]
    assert sorted(users) == sorted(sent)
    for index, event in enumerate(events):
        if event["event"] == "user":
            # A turn starts only after the previous one ended by listening.
            previous_action = [e for e in events[:index] if e["event"] == "action"][-1]
            assert previous_action["name"] == "action_listen"
    stored = Counter(
        part for event in events if event["event"] == "bot" for part in rest_messages(event)
    )
    received = Counter(message.get("text") for reply in replies for message in reply)
    assert stored == received, (
        f"stored only: {stored - received}, received only: {received - stored}"
    )
    timestamps = [event["timestamp"] for event in events]
    assert len(set(map(repr, events))) == len(events), "an event was stored twice"
    assert timestamps == sorted(timestamps)


def test_alternating_replicas_carry_one_conversation_in_order(cluster: LocalAssistant) -> None:
    sender = new_sender()
    sent = ["hello", "what causes it", "next", "next", "back", "next"]
    replies = [cluster.send(sender, message, replica=i % 2) for i, message in enumerate(sent)]
    assert "not a diagnosis" in text_of(replies[0])
    for reply, step in zip(replies[1:], [1, 2, 3, 2, 3], strict=True):
        assert text_of(reply).count(step_marker(step)) == 1
    assert sum("not a diagnosis" in text_of(reply) for reply in replies) == 1
    assert_each_turn_once_and_whole(stored_events(cluster, sender), sent, replies)


def test_concurrent_messages_to_both_replicas_are_answered_one_turn_at_a_time(
    cluster: LocalAssistant,
) -> None:
    sender = new_sender()
    first = cluster.send(sender, "hello")
    with ThreadPoolExecutor(len(QUESTIONS)) as pool:
        futures = [
            pool.submit(cluster.send, sender, question, 120, index % 2)
            for index, (question, _) in enumerate(QUESTIONS)
        ]
        replies = [future.result() for future in futures]
    for reply, (_, topic) in zip(replies, QUESTIONS, strict=True):
        assert get_knowledge().topic(topic).items[0].text in text_of(reply)
    sent = ["hello"] + [question for question, _ in QUESTIONS]
    assert_each_turn_once_and_whole(stored_events(cluster, sender), sent, [first, *replies])


def test_a_killed_replica_leaves_the_other_carrying_on_and_rejoins_where_it_was(
    cluster: LocalAssistant,
) -> None:
    sender = new_sender()
    sent = ["hello", "what causes it", "next"]
    replies = [cluster.send(sender, message, replica=0) for message in sent]
    assert step_marker(2) in text_of(replies[-1])

    cluster.stop_rasa_server(0, signal.SIGKILL)
    try:
        replies.append(cluster.send(sender, "next", replica=1))
        sent.append("next")
        assert step_marker(3) in text_of(replies[-1])
    finally:
        cluster.start_rasa_server(0)
    replies.append(cluster.send(sender, "next", replica=0))
    sent.append("next")
    assert step_marker(4) in text_of(replies[-1])
    assert_each_turn_once_and_whole(stored_events(cluster, sender), sent, replies)


def test_a_replica_killed_in_the_middle_of_a_turn_does_not_block_the_conversation(
    cluster: LocalAssistant,
) -> None:
    sender = new_sender()
    locks = shared_lock_store(TEST_REDIS_URL, cluster.environment["REDIS_KEY_PREFIX"])
    cluster.send(sender, "hello", timeout=TURN_TIMEOUT_SECONDS, replica=1)
    in_flight = threading.Thread(
        target=lambda: _ignore_errors(
            lambda: cluster.send(sender, "what causes it", TURN_TIMEOUT_SECONDS, replica=0)
        )
    )
    in_flight.start()
    # The turn has begun once replica 0 holds a ticket on the conversation's lock: it is killed
    # then, however long the message took to get there on a busy machine.
    dead_ticket, seen_at = wait_for_a_ticket(locks, sender, TURN_TIMEOUT_SECONDS)
    cluster.stop_rasa_server(0, signal.SIGKILL)
    in_flight.join(timeout=TURN_TIMEOUT_SECONDS)
    try:
        # The ticket outlived its replica, so the kill came in the middle of the turn ...
        held = [ticket.number for ticket in tickets_of(locks, sender)]
        assert dead_ticket.number in held, "replica 0 finished the turn before it was killed"
        # ... and it expires after TICKET_LOCK_LIFETIME, not Rasa's default of 60 s.
        assert dead_ticket.expires - seen_at <= LOCK_LIFETIME_SECONDS + 0.5
        reply = cluster.send(
            sender,
            "how is it treated",
            timeout=LOCK_LIFETIME_SECONDS + TURN_TIMEOUT_SECONDS,
            replica=1,
        )
        assert get_knowledge().topic("treatment").items[0].text in text_of(reply)
    finally:
        cluster.start_rasa_server(0)
    events = stored_events(cluster, sender)
    users = [event for event in events if event["event"] == "user"]
    texts = [event["text"] for event in users]
    assert texts.count("how is it treated") == 1 and texts.count("what causes it") <= 1
    # Replica 1 waited for the dead ticket to expire (one turn at a time) and took the lock as
    # soon as it had: its turn began within a lock poll and a parse of the expiry.
    (treated,) = [event for event in users if event["text"] == "how is it treated"]
    assert dead_ticket.expires <= treated["timestamp"] < dead_ticket.expires + LOCK_TAKEN_WITHIN


def _ignore_errors(send: Any) -> None:
    try:
        send()
    except requests.RequestException:
        pass  # the replica died under this request: that is the point


def test_a_postgresql_restart_mid_conversation_loses_nothing(cluster: LocalAssistant) -> None:
    sender = new_sender()
    sent = ["hello", "what causes it"]
    replies = [cluster.send(sender, message, replica=i % 2) for i, message in enumerate(sent)]
    restart_postgres()
    for replica, step in [(0, 2), (1, 3)]:
        replies.append(cluster.send(sender, "next", replica=replica))
        sent.append("next")
        assert step_marker(step) in text_of(replies[-1])
    assert_each_turn_once_and_whole(stored_events(cluster, sender), sent, replies)


def test_a_patients_deletion_removes_the_conversation_from_postgresql(
    cluster: LocalAssistant,
) -> None:
    sender = new_sender()
    cluster.send(sender, "my groin hurts when I climb stairs", replica=0)
    cluster.send(sender, "delete my data", replica=1)
    assert stored_events(cluster, sender)
    cluster.send(sender, "/confirm_delete_my_data", replica=0)
    assert stored_events(cluster, sender) == []
    assert "not a diagnosis" in text_of(cluster.send(sender, "hello", replica=1))


def test_staff_deletion_and_the_purge_work_on_postgresql(cluster: LocalAssistant) -> None:
    leaving, old, recent = new_sender(), new_sender(), new_sender()
    for sender in (leaving, old, recent):
        cluster.send(sender, "what causes it")
    engine = sa.create_engine(cluster.environment["DATABASE_URL"])
    with engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE events SET timestamp = timestamp - 3456000 WHERE sender_id = :s"),
            {"s": old},
        )
    engine.dispose()
    environment = cluster.process_environment()
    forget = subprocess.run(
        [PYTHON, "scripts/forget_conversation.py", leaving],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    purge = subprocess.run(
        [PYTHON, "scripts/purge_conversations.py", "--days", "30"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert forget.returncode == 0 and purge.returncode == 0, forget.stderr + purge.stderr
    assert stored_events(cluster, leaving) == [] and stored_events(cluster, old) == []
    assert stored_events(cluster, recent)


def test_a_widget_reply_reaches_the_patients_tabs_on_both_replicas(cluster: LocalAssistant) -> None:
    first_tab, second_tab = WidgetClient(cluster, replica=0), WidgetClient(cluster, replica=1)
    try:
        session_id = first_tab.request_session(uuid.uuid4().hex)
        assert second_tab.request_session(session_id) == session_id
        first_tab.say({"message": "/session_start", "session_id": session_id})
        wait_until(lambda: "not a diagnosis" in first_tab.texts(), "reply in the first tab")
        wait_until(lambda: "not a diagnosis" in second_tab.texts(), "reply in the second tab")
    finally:
        first_tab.close()
        second_tab.close()


def test_a_telegram_retry_reaching_the_other_replica_is_answered_once(
    cluster: LocalAssistant, telegram_api: RecordingApi
) -> None:
    chat_id = int(uuid.uuid4().int % 10**9)

    def deliver(update: Dict[str, Any], replica: int) -> int:
        return requests.post(
            f"{cluster.replica_url(replica)}/webhooks/telegram/webhook",
            json=update,
            headers={SECRET_HEADER: TELEGRAM_SECRET},
            timeout=60,
        ).status_code

    assert deliver(message_update(chat_id, "hello"), 0) == 200  # the disclaimer, once
    already_sent = len(sent_to(telegram_api, chat_id))
    update = message_update(chat_id, "/help")
    # Telegram's retry lands on the other replica, at the same time and once more later.
    with ThreadPoolExecutor(max_workers=2) as pool:
        statuses = list(pool.map(lambda replica: deliver(update, replica), [0, 1]))
    statuses.append(deliver(update, 1))
    assert statuses == [200, 200, 200]
    menu = sent_to(telegram_api, chat_id)[already_sent:]
    assert [call["text"] for call in menu] == ["What would you like to do?"]
