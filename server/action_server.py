"""How the Rasa server talks to the action server: how long it waits, and how it checks replies.

- Rasa 3.6 waits up to five minutes for a custom action (`DEFAULT_REQUEST_TIMEOUT`, not
  configurable), so a hung action server would leave a patient looking at a typing indicator.
  We lower that wait; when it passes, Rasa drops the action's events and the channels send the
  patient an apology (see `channels.turns`). Red-flag escalation comes from the Rasa server
  itself and is not affected.
- Rasa checks every action server reply against its JSON schema with `jsonschema.validate`,
  which first checks the schema itself against the JSON Schema meta-schema, every time: under
  load that was about a third of the Rasa server's time per message. We build the validator
  once; replies are checked exactly as before and a bad one raises the same error.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Dict

import jsonschema
import rasa.core.actions.action as rasa_actions
from rasa.core.actions.action import RemoteAction

INVALID_REPLY_HINT = (
    ". Failed to validate Action server response from API, make sure your response from the "
    "Action endpoint is valid."
)


def limit_action_server_wait(seconds: float) -> None:
    """Makes every custom action call give up after `seconds`."""
    rasa_actions.DEFAULT_REQUEST_TIMEOUT = seconds


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


def check_replies_with_a_prebuilt_validator() -> None:
    """Replaces Rasa's per-reply schema check with the same check on a validator built once."""
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
