"""Privacy against the real servers (SQLite here; PostgreSQL in test_replicas.py): no message
text in the logs, the retention purge, and "delete my data" for staff and for patients."""

from __future__ import annotations

import sqlite3
import subprocess
import uuid
from typing import Dict, List

from scripts.local_servers import ROOT, LocalAssistant
from tests.support.environment import CLINIC_ENVIRONMENT

DAY = 24 * 60 * 60
PYTHON = str(ROOT / ".venv" / "bin" / "python")


def new_sender() -> str:
    return f"privacy-{uuid.uuid4().hex[:12]}"


def stored_events(assistant: LocalAssistant, sender: str) -> int:
    with sqlite3.connect(assistant.tracker_db) as database:
        [(count,)] = database.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (sender,))
    return count


def staff_command(assistant: LocalAssistant, arguments: List[str]) -> subprocess.CompletedProcess:
    """A staff command run against this assistant's store, as `make purge` / `make forget` do."""
    environment: Dict[str, str] = {
        **assistant.process_environment(),
        "TRACKER_SQLITE_PATH": str(assistant.tracker_db),
    }
    return subprocess.run(
        [PYTHON, *arguments], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300
    )


def texts(messages: List[Dict]) -> str:
    return "\n".join(message.get("text", "") for message in messages)


def test_no_message_text_reaches_the_logs(assistant: LocalAssistant) -> None:
    sender = new_sender()
    secrets = ["zebraquartz groin ache", "my neighbour Ottoline has the same pain", "x" * 2500]
    for secret in secrets:
        assistant.send(sender, secret)
    logs = "".join(
        (assistant.workdir / name).read_text(errors="replace")
        for name in ["rasa_server.log", "action_server.log"]
    )
    assert "INFO" in logs  # the servers do log, at their default level
    for secret in secrets:
        assert secret[:20] not in logs


def test_the_purge_removes_conversations_past_retention_only(assistant: LocalAssistant) -> None:
    old, recent = new_sender(), new_sender()
    assistant.send(old, "what causes it")
    assistant.send(recent, "what causes it")
    with sqlite3.connect(assistant.tracker_db) as database:
        database.execute(
            "UPDATE events SET timestamp = timestamp - ? WHERE sender_id = ?", (40 * DAY, old)
        )
    result = staff_command(assistant, ["scripts/purge_conversations.py", "--days", "30"])
    assert result.returncode == 0, result.stderr
    assert "Purged" in result.stdout
    assert stored_events(assistant, old) == 0
    assert stored_events(assistant, recent) > 0
    # The purged patient can start again; the first thing they get is the disclaimer.
    assert "not a diagnosis" in texts(assistant.send(old, "hello"))


def test_staff_can_delete_one_patients_conversation(assistant: LocalAssistant) -> None:
    leaving, staying = new_sender(), new_sender()
    assistant.send(leaving, "my hip clicks when I walk")
    assistant.send(staying, "my hip clicks when I walk")
    result = staff_command(assistant, ["scripts/forget_conversation.py", leaving])
    assert result.returncode == 0, result.stderr
    assert f"{leaving}: deleted" in result.stdout
    assert stored_events(assistant, leaving) == 0
    assert stored_events(assistant, staying) > 0


def test_a_patient_can_delete_their_own_conversation(assistant: LocalAssistant) -> None:
    sender = new_sender()
    assistant.send(sender, "my groin hurts when I climb stairs")
    asked = assistant.send(sender, "please delete my data")
    payloads = {button["payload"] for message in asked for button in message.get("buttons", [])}
    assert {"/confirm_delete_my_data", "/keep_my_data"} <= payloads
    assert stored_events(assistant, sender) > 0

    done = texts(assistant.send(sender, "/confirm_delete_my_data"))
    assert "delet" in done.lower()
    assert stored_events(assistant, sender) == 0
    # Writing again starts afresh, with the disclaimer.
    assert CLINIC_ENVIRONMENT["CLINIC_NAME"] in texts(assistant.send(sender, "hello"))


def test_a_patient_who_changes_their_mind_keeps_their_conversation(
    assistant: LocalAssistant,
) -> None:
    sender = new_sender()
    assistant.send(sender, "what causes it")
    assistant.send(sender, "forget everything I told you")
    before = stored_events(assistant, sender)
    assistant.send(sender, "/keep_my_data")
    assert stored_events(assistant, sender) > before
