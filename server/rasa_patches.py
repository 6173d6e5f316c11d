"""Every change this project makes to Rasa's own code at run time, in one place.

Rasa 3.6 has no setting for any of these, so each replaces or calls a Rasa internal. Each was
written against the Rasa source of `RASA_VERSION`; on any other version Rasa refuses to start
with a clear message rather than patch code that may have changed under us.

THE start-up point is `apply_all`, called by the constructor of
`server.tracker_store.ClinicTrackerStore`: the tracker store is the one plugin every Rasa server
of this project loads from endpoints.yml (`rasa run`, `rasa shell`, `make run`, the replicas),
and Rasa builds it before it handles any message. Calling `apply_all` again changes nothing but
the action timeout. The channels' own patches (Sanic's body limit, Slack, the widget bundle)
live with the channels.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Callable, Dict, List, Optional

import jsonschema
import rasa
import rasa.core.actions.action as rasa_actions
from rasa.core.actions.action import RemoteAction
from rasa.core.lock_store import RedisLockStore
from rasa.core.processor import MessageProcessor

from server import action_server

# The Rasa version whose source every patch below was read against and tested with.
RASA_VERSION = "3.6.21"

INVALID_REPLY_HINT = (
    ". Failed to validate Action server response from API, make sure your response from the "
    "Action endpoint is valid."
)


class UnsupportedRasaVersionError(RuntimeError):
    """Rasa is not the version the patches were written for.

    Not an AttributeError or ImportError on purpose: Rasa swallows those from a custom tracker
    store's constructor and quietly keeps conversations in memory instead."""


def require_rasa_version(installed: Optional[str] = None) -> None:
    """Refuses, loudly, to patch any Rasa but `RASA_VERSION`."""
    installed = rasa.__version__ if installed is None else installed
    if installed != RASA_VERSION:
        raise UnsupportedRasaVersionError(
            f"server/rasa_patches.py was written for Rasa {RASA_VERSION}, but Rasa {installed} "
            "is installed. Its patches replace Rasa internals that may have changed: read each "
            "one against the new Rasa source, test it, then update RASA_VERSION."
        )


# The action timeout. Rasa 3.6 waits up to five minutes for a custom action
# (`DEFAULT_REQUEST_TIMEOUT`, not configurable), so a hung action server would leave a patient
# looking at a typing indicator. When the shorter wait passes, Rasa drops the action's events
# and the patient gets an apology (see `channels.turns` and `server.action_server`).
def limit_action_server_wait(seconds: float) -> None:
    """Makes every custom action call give up after `seconds`."""
    require_rasa_version()
    rasa_actions.DEFAULT_REQUEST_TIMEOUT = seconds


def action_server_wait() -> float:
    """How long a custom action call waits now, in seconds."""
    return rasa_actions.DEFAULT_REQUEST_TIMEOUT


# The reply validator. Rasa checks every action server reply with `jsonschema.validate`, which
# first checks the schema itself against the JSON Schema meta-schema, every time: under load
# that was about a third of the Rasa server's time per message. We build the validator once;
# replies are checked exactly as before and a bad one raises the same error.
@cache
def _reply_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
    """RemoteAction._validate_action_result with the validator built once."""
    error = jsonschema.exceptions.best_match(_reply_validator().iter_errors(result))
    if error is not None:
        error.message += INVALID_REPLY_HINT
        raise error
    return True


# Rasa's own methods, kept before any patch, for the replacements that wrap them.
ORIGINAL_RUN_REMOTE_ACTION = RemoteAction.run
ORIGINAL_HANDLE_MESSAGE = MessageProcessor.handle_message
ORIGINAL_RUN_PREDICTION_LOOP = MessageProcessor._run_prediction_loop


# A failing action server. Once it has failed (down or hung) in a patient's turn, the turn's
# later custom actions are not tried, else a hung server costs a full timeout for each; a
# session start it cannot run is done by the Rasa server, and the turn ends with an apology.
# The turn is `MessageProcessor.handle_message` (session start included); the apology goes at
# the end of `_run_prediction_loop`, before Rasa saves the turn. See `server.action_server`.
async def _run_remote_action(self: RemoteAction, *args: Any, **kwargs: Any) -> List[Any]:
    return await action_server.run_custom_action(ORIGINAL_RUN_REMOTE_ACTION, self, args, kwargs)


async def _handle_message(self: MessageProcessor, message: Any) -> Any:
    with action_server.patient_turn():
        return await ORIGINAL_HANDLE_MESSAGE(self, message)


async def _run_prediction_loop(self: MessageProcessor, output_channel: Any, tracker: Any) -> None:
    await ORIGINAL_RUN_PREDICTION_LOOP(self, output_channel, tracker)
    await action_server.apologise_if_the_session_start_failed(output_channel, tracker, self.domain)


@dataclass(frozen=True)
class Patch:
    """One Rasa attribute replaced by ours."""

    owner: Any
    attribute: str
    replacement: Callable[..., Any]

    @property
    def name(self) -> str:
        return f"{self.owner.__name__}.{self.attribute}"

    def is_applied(self) -> bool:
        return getattr(self.owner, self.attribute) is self.replacement

    def apply(self) -> None:
        setattr(self.owner, self.attribute, self.replacement)


PATCHES = [
    Patch(RemoteAction, "_validate_action_result", _validate_action_result),
    Patch(RemoteAction, "run", _run_remote_action),
    Patch(MessageProcessor, "handle_message", _handle_message),
    Patch(MessageProcessor, "_run_prediction_loop", _run_prediction_loop),
]


def apply_all(action_server_timeout_seconds: Optional[float] = None) -> None:
    """Applies every patch (once; again is harmless), and the action timeout when given."""
    require_rasa_version()
    if action_server_timeout_seconds is not None:
        limit_action_server_wait(action_server_timeout_seconds)
    for patch in PATCHES:
        if not patch.is_applied():
            patch.apply()


def patches_not_applied() -> List[str]:
    """The names of the patches Rasa runs without right now (empty once `apply_all` ran)."""
    return [patch.name for patch in PATCHES if not patch.is_applied()]


# The lock store's key prefix. `ClinicRedisLockStore` builds its own Redis client (from a URL,
# with short timeouts), so it skips `RedisLockStore.__init__`, where Rasa sets the key prefix.
# Rasa's private `_set_key_prefix` keeps the keys exactly as Rasa writes them
# ("<prefix>:lock:<conversation id>"), so every replica agrees on them.
def set_lock_key_prefix(lock_store: RedisLockStore, prefix: str) -> None:
    """Sets the prefix of `lock_store`'s Redis keys as Rasa's own constructor would."""
    require_rasa_version()
    lock_store._set_key_prefix(prefix)
