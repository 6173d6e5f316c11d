"""How long the Rasa server waits for the action server.

Rasa 3.6 waits up to five minutes for a custom action (`DEFAULT_REQUEST_TIMEOUT`, not
configurable), so a hung action server would leave a patient looking at a typing indicator. We
lower that wait; when it passes, Rasa drops the action's events and the channels send the
patient an apology (see `channels.turns`). Red-flag escalation comes from the Rasa server itself
and is not affected.
"""

from __future__ import annotations

import rasa.core.actions.action as rasa_actions


def limit_action_server_wait(seconds: float) -> None:
    """Makes every custom action call give up after `seconds`."""
    rasa_actions.DEFAULT_REQUEST_TIMEOUT = seconds
