"""The widget's socket.io channel as a browser tab speaks it, without a browser."""

from __future__ import annotations

import time
from typing import Any, Dict, List

import socketio

from scripts.local_servers import LocalAssistant


def wait_until(check: Any, what: str, timeout: float = 30) -> None:
    """Polls `check` until it is truthy; raises TimeoutError after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise TimeoutError(f"no {what} within {timeout} s")


class WidgetClient:
    """One browser tab's socket, as rasa-webchat opens it."""

    def __init__(self, assistant: LocalAssistant, replica: int = 0) -> None:
        self.replies: List[Dict[str, Any]] = []
        self.confirmed: List[str] = []
        self.client = socketio.Client(reconnection=False)
        self.client.on("bot_uttered", self.replies.append)
        self.client.on("session_confirm", self.confirmed.append)
        self.client.connect(
            assistant.replica_url(replica),
            headers={"Origin": f"http://127.0.0.1:{assistant.rasa_port}"},
            transports=["polling"],
            socketio_path="/socket.io/",
            wait_timeout=10,
        )

    def request_session(self, session_id: Any = None) -> str:
        """What the server confirms for the offered session id (rasa-webchat offers the secret
        it was confirmed before, or None in a new browser)."""
        confirmed_before = len(self.confirmed)
        self.client.emit("session_request", {"session_id": session_id})
        wait_until(lambda: len(self.confirmed) > confirmed_before, "session_confirm")
        return self.confirmed[-1]

    def say(self, data: Any) -> None:
        self.client.emit("user_uttered", data)

    def close(self) -> None:
        # A polling client's polite disconnect waits out the pending long-poll (up to 25 s).
        self.client.eio.disconnect(abort=True)

    def texts(self) -> str:
        return "\n".join(reply.get("text", "") for reply in self.replies)
