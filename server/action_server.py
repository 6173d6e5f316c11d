"""What the Rasa server does when the action server fails it in a patient's turn: down (the
connection is refused) or hung (no answer within ACTION_SERVER_TIMEOUT_SECONDS).

- Once the action server has failed in a turn, the turn's later custom actions are not tried:
  a hung server would cost a full timeout each. (A new patient's red flag waited for two, the
  session start's and then `action_explain_red_flag`'s, before the escalation was delivered.)
- When the action server cannot start a new session, the Rasa server starts it itself: the
  clinic's settings into slots and the conversation in a state the rules know, so the message
  is answered as usual (a red flag escalated, a greeting returned). The disclaimer could not
  be given, so the turn ends with the apology and the emergency line that the channels give
  when nothing could be said. Before, the failed start left a state no rule matched and the
  patient got only "Sorry, I didn't catch that".

Rasa's code calls these through the patches in `server.rasa_patches`.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, Iterator, List, Optional, Tuple

import aiohttp
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.channels.channel import OutputChannel
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SessionStarted, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException

from core.clinic import get_clinic_settings
from core.wording import response_text

logger = logging.getLogger(__name__)

# What a down or hung action server raises from RemoteAction.run: the timeout itself, or Rasa's
# RasaException raised while handling aiohttp's connection error.
UNREACHABLE = (asyncio.TimeoutError, aiohttp.ClientConnectionError)

RunRemoteAction = Callable[..., Awaitable[List[Event]]]


@dataclass
class PatientTurn:
    """What went wrong with the action server in the turn being answered."""

    action_server_failed: bool = False
    session_started_without_action_server: bool = False


_current_turn: ContextVar[Optional[PatientTurn]] = ContextVar("patient_turn", default=None)


@contextmanager
def patient_turn() -> Iterator[PatientTurn]:
    """Marks one patient message being answered, session start included."""
    turn = PatientTurn()
    token = _current_turn.set(turn)
    try:
        yield turn
    finally:
        _current_turn.reset(token)


def current_turn() -> Optional[PatientTurn]:
    """The turn being answered, or None outside one (e.g. an HTTP API call)."""
    return _current_turn.get()


def is_action_server_unreachable(error: BaseException) -> bool:
    """True when the action server is down or hung; False for an action's own error (an HTTP
    error status, an invalid reply), after which the turn's other actions may still work."""
    if isinstance(error, ActionExecutionRejection):
        return False
    return isinstance(error, UNREACHABLE) or isinstance(error.__context__, UNREACHABLE)


def session_start_events() -> List[Event]:
    """What `action_session_start` records, without its disclaimer: the Rasa server's own start
    of a session when the action server cannot run it."""
    clinic = get_clinic_settings()
    return [
        SessionStarted(),
        *[SlotSet(name, value) for name, value in clinic.session_slots().items()],
        ActionExecuted(ACTION_LISTEN_NAME),
    ]


async def run_custom_action(
    run: RunRemoteAction, action: RemoteAction, args: Tuple[Any, ...], kwargs: Dict[str, Any]
) -> List[Event]:
    """`run` (Rasa's RemoteAction.run) unless the action server already failed in this turn;
    a session start it cannot run is done here instead."""
    turn = current_turn()
    is_session_start = action.name() == ACTION_SESSION_START_NAME
    if turn is not None and turn.action_server_failed and not is_session_start:
        raise RasaException(
            f"Custom action '{action.name()}' not run: the action server already failed in "
            "this turn."
        )
    try:
        return await run(action, *args, **kwargs)
    except Exception as error:
        if not is_action_server_unreachable(error):
            raise
        if turn is not None:
            turn.action_server_failed = True
        if not is_session_start:
            raise
        logger.error(
            "The action server could not start a session (%s); the Rasa server started it "
            "and the patient gets an apology.",
            type(error).__name__,
        )
        if turn is not None:
            turn.session_started_without_action_server = True
        return session_start_events()


def apology_with_the_emergency_line() -> str:
    """The channels' apology for a turn that could not be answered, with the emergency line."""
    return (
        f"{response_text('utter_technical_problem')}\n\n{response_text('utter_urgent_help_line')}"
    )


async def apologise_if_the_session_start_failed(
    output_channel: OutputChannel, tracker: DialogueStateTracker, domain: Domain
) -> None:
    """Ends a turn whose session the action server could not start with the apology."""
    turn = current_turn()
    if turn is None or not turn.session_started_without_action_server:
        return
    apology = BotUttered(apology_with_the_emergency_line())
    tracker.update(apology, domain)
    await output_channel.send_response(tracker.sender_id, apology.message())
