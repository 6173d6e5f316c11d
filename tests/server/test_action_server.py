"""Tests for server/action_server.py: once the action server has failed in a turn, the turn's
other custom actions are not tried; a session start it cannot run is done by the Rasa server,
and the turn ends with the apology and the emergency line. (With real servers: test_faults.py.)"""

from __future__ import annotations

import asyncio
from typing import Any, Iterator, List

import aiohttp
import pytest
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SessionStarted, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig

from channels.guard import UNAVAILABLE_REPLY
from core.clinic import get_clinic_settings
from server.action_server import (
    apologise_if_the_session_start_failed,
    patient_turn,
    run_custom_action,
)

ENDPOINT = EndpointConfig("http://127.0.0.1:1/webhook")
EMERGENCY_NUMBER = "999"


@pytest.fixture(autouse=True)
def clinic(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("CLINIC_EMERGENCY_NUMBER", EMERGENCY_NUMBER)
    get_clinic_settings.cache_clear()
    yield
    get_clinic_settings.cache_clear()


def refused_connection() -> RasaException:
    """What Rasa raises for a closed port: a RasaException while handling aiohttp's error."""
    try:
        raise aiohttp.ClientConnectionError("refused")
    except aiohttp.ClientConnectionError:
        try:
            raise RasaException("Couldn't connect")
        except RasaException as error:
            return error


class FakeActionServer:
    """Rasa's RemoteAction.run, answered by a list of outcomes; records what was called."""

    def __init__(self, *outcomes: Any) -> None:
        self.outcomes = list(outcomes)
        self.called: List[str] = []

    async def __call__(self, action: RemoteAction, *args: Any) -> List[Event]:
        self.called.append(action.name())
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome


def run(server: FakeActionServer, name: str) -> List[Event]:
    return asyncio.run(run_custom_action(server, RemoteAction(name, ENDPOINT), (), {}))


async def run_in_turn(server: FakeActionServer, names: List[str]) -> List[Any]:
    """Runs the actions in one turn; each one's events, or the exception it raised."""
    outcomes: List[Any] = []
    with patient_turn():
        for name in names:
            try:
                outcomes.append(
                    await run_custom_action(server, RemoteAction(name, ENDPOINT), (), {})
                )
            except Exception as error:
                outcomes.append(error)
    return outcomes


@pytest.mark.parametrize("failure", [asyncio.TimeoutError(), refused_connection()])
def test_after_the_action_server_failed_the_turns_other_actions_are_not_tried(
    failure: Exception,
) -> None:
    server = FakeActionServer(failure, [], [])
    outcomes = asyncio.run(
        run_in_turn(server, ["action_answer_question", "action_explain_red_flag"])
    )
    assert server.called == ["action_answer_question"]
    assert isinstance(outcomes[1], RasaException)
    # The next turn tries again.
    assert asyncio.run(run_in_turn(server, ["action_answer_question"])) == [[]]


@pytest.mark.parametrize(
    "own_error",
    [RasaException("HTTP 500 from the action"), ActionExecutionRejection("action_x")],
)
def test_an_actions_own_error_does_not_stop_the_turns_other_actions(own_error: Exception) -> None:
    server = FakeActionServer(own_error, [SlotSet("x", 1)])
    outcomes = asyncio.run(run_in_turn(server, ["action_one", "action_two"]))
    assert outcomes == [own_error, [SlotSet("x", 1)]]


def test_outside_a_patient_turn_every_action_is_tried() -> None:
    server = FakeActionServer(asyncio.TimeoutError(), [])
    with pytest.raises(asyncio.TimeoutError):
        run(server, "action_one")
    assert run(server, "action_two") == []


@pytest.mark.parametrize("failure", [asyncio.TimeoutError(), refused_connection()])
def test_a_session_start_the_action_server_cannot_run_is_started_by_the_rasa_server(
    failure: Exception,
) -> None:
    async def start_then_reply() -> List[BotUttered]:
        server = FakeActionServer(failure)
        with patient_turn():
            events = await run_custom_action(
                server, RemoteAction("action_session_start", ENDPOINT), (), {}
            )
            tracker = DialogueStateTracker.from_events("new", events)
            output = CollectingOutputChannel()
            await apologise_if_the_session_start_failed(output, tracker, Domain.empty())
        assert isinstance(events[0], SessionStarted)
        assert SlotSet("emergency_number", EMERGENCY_NUMBER) in events
        assert events[-1] == ActionExecuted("action_listen")
        return [e for e in tracker.events if isinstance(e, BotUttered)], output.messages

    said, sent = asyncio.run(start_then_reply())
    assert len(said) == 1
    # Channels send each paragraph as its own message, as they do for every reply.
    assert "\n\n".join(m["text"] for m in sent) == said[0].text
    assert UNAVAILABLE_REPLY in said[0].text
    assert f"call {EMERGENCY_NUMBER} or go to the nearest emergency department" in said[0].text


def test_a_turn_whose_session_started_normally_gets_no_apology() -> None:
    async def turn() -> list:
        server = FakeActionServer([SessionStarted(), ActionExecuted("action_listen")])
        output = CollectingOutputChannel()
        with patient_turn():
            await run_custom_action(server, RemoteAction("action_session_start", ENDPOINT), (), {})
            tracker = DialogueStateTracker.from_events("known", [])
            await apologise_if_the_session_start_failed(output, tracker, Domain.empty())
        return output.messages

    assert asyncio.run(turn()) == []
