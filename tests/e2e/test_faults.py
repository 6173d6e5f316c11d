"""Faults, each with what the patient sees: the action server down or hung past its timeout,
for a known patient and for a new one, and Redis down. (A PostgreSQL restart is in
test_replicas.py, where PostgreSQL is in use.)"""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, List

import pytest

from channels.guard import UNAVAILABLE_REPLY, URGENT_HELP_LINE
from core.knowledge import get_knowledge
from scripts.local_servers import LocalAssistant, free_port
from scripts.local_services import PrivateRedis
from tests.support.environment import ACTION_SERVER_TIMEOUT_SECONDS, CLINIC_ENVIRONMENT
from tests.support.widget_client import WidgetClient, wait_until

EMERGENCY_NUMBER = CLINIC_ENVIRONMENT["CLINIC_EMERGENCY_NUMBER"]
# The action timeout of the assistant whose action server is down or hung from the start.
SHORT_ACTION_TIMEOUT_SECONDS = 3


def new_sender() -> str:
    return f"fault-{uuid.uuid4().hex[:12]}"


def reply_text(assistant: LocalAssistant, sender: str, message: str) -> str:
    return "\n".join(m.get("text", "") for m in assistant.send(sender, message, timeout=120))


def test_with_the_action_server_down_the_patient_gets_an_apology_not_silence(
    assistant: LocalAssistant,
) -> None:
    sender = new_sender()
    assert "not a diagnosis" in reply_text(assistant, sender, "hello")
    assistant.stop_action_server()
    try:
        reply = reply_text(assistant, sender, "how is it treated")
        assert UNAVAILABLE_REPLY in reply
        assert EMERGENCY_NUMBER in reply
    finally:
        assistant.start_action_server()
    treatment = get_knowledge().topic("treatment").items[0].text
    assert treatment in reply_text(assistant, sender, "how is it treated")


def test_with_the_action_server_down_red_flags_escalate_and_pushback_keeps_the_emergency_advice(
    assistant: LocalAssistant,
) -> None:
    sender = new_sender()
    assert "not a diagnosis" in reply_text(assistant, sender, "hello")
    assistant.stop_action_server()
    try:
        escalation = assistant.send(sender, "I've lost control of my bladder", timeout=120)
        assert escalation[0]["text"].startswith("⚠️")
        assert f"call {EMERGENCY_NUMBER} now" in escalation[0]["text"]
        # The advice again, the level it keeps and the escalation's wording all come from the
        # Rasa server itself (components/alert_policy.py and domain responses).
        pushback = assistant.send(sender, "cant i wait for my physio appt on thursday", timeout=120)
        assert [m["text"][:2] for m in pushback] == ["⚠️", "⚠️"]
        assert f"call {EMERGENCY_NUMBER} now" in pushback[1]["text"]
        assert UNAVAILABLE_REPLY not in reply_text(assistant, sender, "ok")
        later = assistant.send(sender, "i also have a high temperature now", timeout=120)
        assert f"call {EMERGENCY_NUMBER} now" in later[0]["text"]
    finally:
        assistant.start_action_server()
    slots = assistant.tracker(sender)["slots"]
    assert (slots["alert_level"], slots["triage_level"]) == ("emergency", "urgent")


def test_a_hung_action_server_is_given_up_on_and_a_red_flag_is_still_escalated(
    assistant: LocalAssistant,
) -> None:
    sender = new_sender()
    assert "not a diagnosis" in reply_text(assistant, sender, "hello")
    action_server = assistant.action_server
    assert action_server is not None
    os.killpg(action_server.pid, signal.SIGSTOP)  # alive and listening, but never answers
    try:
        started = time.monotonic()
        reply = reply_text(assistant, sender, "what causes it")
        waited = time.monotonic() - started
        assert UNAVAILABLE_REPLY in reply
        assert waited < 4 * ACTION_SERVER_TIMEOUT_SECONDS, f"waited {waited:.1f} s"

        escalation = assistant.send(sender, "I've lost control of my bowels", timeout=120)
        assert escalation[0]["text"].startswith("⚠️")
        assert EMERGENCY_NUMBER in escalation[0]["text"]
    finally:
        os.killpg(action_server.pid, signal.SIGCONT)
    assert assistant.tracker(sender)["slots"]["triage_level"] == "emergency"
    causes = get_knowledge().topic("causes").items[0].text
    assert causes in reply_text(assistant, new_sender(), "what causes it")


@pytest.fixture(scope="module")
def redis_backed_assistant(
    trained_model: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple]:
    """One Rasa server whose conversation locks are on a Redis server of this test's own."""
    redis_server = PrivateRedis(free_port()).start()
    running = LocalAssistant(
        model=trained_model,
        workdir=tmp_path_factory.mktemp("redis-backed"),
        environment={**CLINIC_ENVIRONMENT, "REDIS_URL": redis_server.url},
    )
    try:
        yield running.start(), redis_server
    finally:
        running.stop()
        redis_server.stop()


def test_with_redis_down_the_patient_gets_a_polite_reply_fast_and_the_log_says_why(
    redis_backed_assistant: tuple,
) -> None:
    assistant, redis_server = redis_backed_assistant
    sender = new_sender()
    assert "not a diagnosis" in reply_text(assistant, sender, "hello")

    redis_server.stop()
    try:
        started = time.monotonic()
        reply = reply_text(assistant, sender, "what causes it")
        assert time.monotonic() - started < 10
        assert UNAVAILABLE_REPLY in reply and EMERGENCY_NUMBER in reply
        escalation = assistant.send(sender, "I suddenly can't control my bladder")
        assert escalation[0]["text"].startswith("⚠️")
        # The website widget too: its reply is delivered without Redis.
        tab = WidgetClient(assistant)
        try:
            session_id = tab.request_session(uuid.uuid4().hex)
            tab.say({"message": "what causes it", "session_id": session_id})
            wait_until(lambda: UNAVAILABLE_REPLY in tab.texts(), "apology in the widget")
        finally:
            tab.close()
        log = (assistant.workdir / "rasa_server.log").read_text()
        assert f"Redis at 127.0.0.1:{redis_server.port}/0 is unreachable" in log
        assert "what causes it" not in log
    finally:
        redis_server.start()

    # Redis back: the same conversation goes on where it was.
    causes = get_knowledge().topic("causes").items[0].text
    assert causes in reply_text(assistant, sender, "what causes it")


@pytest.fixture(scope="module")
def assistant_without_action_server(
    trained_model: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LocalAssistant]:
    """A Rasa server whose action server URL points at a port nothing listens on."""
    running = LocalAssistant(
        model=trained_model,
        workdir=tmp_path_factory.mktemp("no-action-server"),
        environment={
            **CLINIC_ENVIRONMENT,
            "ACTION_SERVER_TIMEOUT_SECONDS": str(SHORT_ACTION_TIMEOUT_SECONDS),
        },
    )
    try:
        running.start_rasa_server()
        yield running
    finally:
        running.stop()


@contextmanager
def hung_action_server(port: int) -> Iterator[None]:
    """A server on `port` that accepts every connection and never answers."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(64)
    listener.settimeout(0.2)
    held: List[socket.socket] = []
    stopping = threading.Event()

    def hold_connections() -> None:
        while not stopping.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:  # the 0.2 s accept timeout, so that `stopping` is seen
                continue

    holder = threading.Thread(target=hold_connections, daemon=True)
    holder.start()
    try:
        yield
    finally:
        stopping.set()
        holder.join(timeout=5)
        for connection in held:
            connection.close()
        listener.close()


def test_with_the_action_server_down_a_new_patient_gets_the_apology_and_the_emergency_line(
    assistant_without_action_server: LocalAssistant,
) -> None:
    assistant = assistant_without_action_server
    urgent_help = URGENT_HELP_LINE.format(emergency_number=EMERGENCY_NUMBER)
    greeting = reply_text(assistant, new_sender(), "hello")
    assert UNAVAILABLE_REPLY in greeting and urgent_help in greeting
    assert "didn't catch that" not in greeting
    question = reply_text(assistant, new_sender(), "what causes it")
    assert question.count(UNAVAILABLE_REPLY) == 1 and urgent_help in question

    # A red flag: the escalation first, at the clinic's emergency number, then the apology.
    escalation = assistant.send(new_sender(), "I've lost control of my bladder", timeout=120)
    assert escalation[0]["text"].startswith("⚠️")
    assert f"call {EMERGENCY_NUMBER} now" in escalation[0]["text"]
    assert UNAVAILABLE_REPLY in "\n".join(m.get("text", "") for m in escalation)


def test_with_the_action_server_hung_a_new_patients_red_flag_is_escalated_within_one_timeout(
    assistant_without_action_server: LocalAssistant,
) -> None:
    assistant = assistant_without_action_server
    with hung_action_server(assistant.action_port):
        started = time.monotonic()
        escalation = assistant.send(new_sender(), "I've lost control of my bowels", timeout=120)
        waited = time.monotonic() - started
    print(f"new patient's red flag, action server hung: escalation after {waited:.1f} s")
    assert escalation[0]["text"].startswith("⚠️")
    assert f"call {EMERGENCY_NUMBER} now" in escalation[0]["text"]
    assert waited < SHORT_ACTION_TIMEOUT_SECONDS + 2, f"waited {waited:.1f} s"
