"""The conversation survives a Rasa server restart, and red flags are escalated with the action
server down. Each test puts the servers back as it found them."""

from __future__ import annotations

import uuid

from core.knowledge import get_knowledge
from scripts.local_servers import LocalAssistant


def test_the_conversation_continues_after_a_rasa_server_restart(
    assistant: LocalAssistant,
) -> None:
    sender = f"restart-{uuid.uuid4().hex[:8]}"
    assistant.send(sender, "what causes it")
    assistant.send(sender, "next")
    events_before = len(assistant.tracker(sender)["events"])

    assistant.stop_rasa_server()
    assistant.start_rasa_server()

    tracker = assistant.tracker(sender)
    assert len(tracker["events"]) >= events_before
    assert tracker["slots"]["walkthrough_topic"] == "causes"
    reply = "\n".join(message.get("text", "") for message in assistant.send(sender, "next"))
    causes = get_knowledge().topic("causes")
    assert f"3 of {len(causes.items)}" in reply
    assert causes.items[2].text in reply


def test_a_red_flag_is_still_escalated_with_the_action_server_down(
    assistant: LocalAssistant,
) -> None:
    sender = f"no-actions-{uuid.uuid4().hex[:8]}"
    assistant.stop_action_server()
    try:
        messages = assistant.send(sender, "I've lost control of my bowels and my back hurts")
        reply = "\n".join(message.get("text", "") for message in messages)
        assert "⚠️" in reply
        assert "emergency" in reply
        assert assistant.tracker(sender)["slots"]["triage_level"] == "emergency"
    finally:
        assistant.start_action_server()
    # With the action server back, the same conversation goes on normally.
    reply = "\n".join(m.get("text", "") for m in assistant.send(sender, "how is it treated"))
    assert get_knowledge().topic("treatment").items[0].text in reply
