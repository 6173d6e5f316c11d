"""Putting one intent on top of a parsed message, as the components that know better do (the
language gate, the red-flag detector)."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
)
from rasa.shared.nlu.training_data.message import Message


def ranking_without(message: Message, name: str) -> List[Dict[str, Any]]:
    """The message's intent ranking with this intent taken out."""
    return [
        entry
        for entry in message.get(INTENT_RANKING_KEY) or []
        if entry.get(INTENT_NAME_KEY) != name
    ]


def force_intent(message: Message, name: str, ranked_below: List[Dict[str, Any]]) -> None:
    """Makes `name` the message's intent with full confidence, above `ranked_below`."""
    top = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: 1.0}
    message.set(INTENT, top, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [top, *ranked_below], add_to_output=True)
