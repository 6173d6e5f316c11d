"""The widget channel (channels/web_widget.py) served in the test's process: its files, and its
socket spoken to over engine.io long-polling, with a stand-in assistant (no model, no server).

The browser tests (test_web_widget.py) and the real socket tests (test_web_widget_socket.py)
run the same channel inside the whole assistant.
"""

from __future__ import annotations

import json
from typing import Any, Iterator, List

import pytest

from channels.web_widget import WEBCHAT_BUNDLE, WebWidgetInput
from channels.widget_sessions import SENDER_PREFIX, conversation_id_for, valid_session_secret
from tests.support.in_process import InProcessApp

SOCKET_PATH = "/socket.io/?EIO=4&transport=polling"
PACKET_SEPARATOR = "\x1e"


class PollingSocket:
    """One socket.io connection over engine.io v4 long-polling, as a browser tab opens it.

    Reads only when something is due: an empty long-poll would wait for the next ping."""

    def __init__(self, app: InProcessApp) -> None:
        self.app = app
        opened = app.request("GET", SOCKET_PATH)
        self.path = f"{SOCKET_PATH}&sid={json.loads(opened.body[1:])['sid']}"
        self._post("40")
        assert self.receive()[0][0] == "40"

    def _post(self, packet: str) -> None:
        assert self.app.request("POST", self.path, packet.encode()).text == "OK"

    def emit(self, event: str, data: Any) -> None:
        self._post("42" + json.dumps([event, data]))

    def emit_raw(self, packet: str) -> None:
        self._post(packet)

    def receive(self) -> List[List[Any]]:
        """The packets waiting for this socket: [type, payload] each."""
        body = self.app.request("GET", self.path).text
        packets = []
        for packet in body.split(PACKET_SEPARATOR):
            kind, payload = packet[:2], packet[2:]
            packets.append([kind, json.loads(payload) if payload else None])
        return packets

    def events(self) -> List[List[Any]]:
        """The socket.io events waiting: [name, data] each."""
        return [payload for kind, payload in self.receive() if kind == "42"]

    def request_session(self, offered: Any = None) -> str:
        self.emit("session_request", {"session_id": offered})
        [[name, secret]] = self.events()
        assert name == "session_confirm"
        return secret

    def say(self, text: str, session_id: Any = None) -> None:
        self.emit("user_uttered", {"message": text, "session_id": session_id})


@pytest.fixture
def widget() -> Iterator[InProcessApp]:
    with InProcessApp(WebWidgetInput(allowed_origins=["http://localhost:5005"])) as app:
        yield app


def test_a_new_browser_gets_a_secret_and_its_messages_are_answered(widget: InProcessApp) -> None:
    tab = PollingSocket(widget)
    secret = tab.request_session()
    assert valid_session_secret(secret)
    tab.say("hello", secret)
    assert tab.events() == [["bot_uttered", {"text": "you said: hello"}]]
    [received] = widget.agent.received
    assert received.sender_id == conversation_id_for(secret)
    assert received.input_channel == "socketio"


def test_a_reload_offering_the_secret_continues_the_same_conversation(
    widget: InProcessApp,
) -> None:
    secret = PollingSocket(widget).request_session()
    reloaded = PollingSocket(widget)
    assert reloaded.request_session(secret) == secret
    reloaded.say("still me", secret)
    assert reloaded.events() == [["bot_uttered", {"text": "you said: still me"}]]
    assert widget.agent.received[-1].sender_id == conversation_id_for(secret)


def test_offering_a_known_conversation_id_gets_a_new_conversation(widget: InProcessApp) -> None:
    victim = PollingSocket(widget)
    victim_secret = victim.request_session()
    victim.say("my first question", victim_secret)
    victim.events()
    # The conversation id as the server records it, the one staff (and logs) see.
    victim_conversation = widget.agent.received[-1].sender_id
    intruder = PollingSocket(widget)
    confirmed = intruder.request_session(victim_conversation.removeprefix(SENDER_PREFIX))
    assert confirmed != victim_secret
    intruder.say("let me in", victim_conversation)  # speaking for another session: dropped
    intruder.say("hello", confirmed)
    victim.say("my own question", victim_secret)
    assert intruder.events() == [["bot_uttered", {"text": "you said: hello"}]]
    assert victim.events() == [["bot_uttered", {"text": "you said: my own question"}]]
    senders = {message.text: message.sender_id for message in widget.agent.received}
    assert senders["hello"] != victim_conversation
    assert senders["my own question"] == victim_conversation == conversation_id_for(victim_secret)


def test_a_socket_packet_nested_too_deep_is_dropped_and_the_session_carries_on(
    widget: InProcessApp,
) -> None:
    tab = PollingSocket(widget)
    secret = tab.request_session()
    tab.emit_raw('42["user_uttered",' + "[" * 6000 + "]" * 6000 + "]")
    tab.say("after", secret)
    assert tab.events() == [["bot_uttered", {"text": "you said: after"}]]
    assert [message.text for message in widget.agent.received] == ["after"]


def test_the_bundle_is_served_as_installed_without_google_fonts_and_websocket_only(
    widget: InProcessApp,
) -> None:
    response = widget.request("GET", "/chat/webchat.js")
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/javascript")
    assert response.body == WEBCHAT_BUNDLE.read_bytes()
    assert b"fonts.googleapis.com" not in response.body
    assert b'transports:["websocket"]' in response.body


@pytest.mark.parametrize("path", ["/chat/", "/chat/widget.js", "/chat/health"])
def test_the_widgets_pages_are_served_with_their_security_headers(
    widget: InProcessApp, path: str
) -> None:
    response = widget.request("GET", path)
    assert response.status == 200
    if path != "/chat/health":
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
