"""Small readers of the conversation tracker shared by the actions."""

from __future__ import annotations

from typing import List, Optional

from rasa_sdk import Tracker


def latest_intent(tracker: Tracker) -> Optional[str]:
    """The intent of the latest user message as the NLU pipeline gave it (fallback included)."""
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def latest_entity_values(tracker: Tracker, entity: str) -> List[str]:
    """The values of one entity in the latest user message, in order, each once."""
    values: List[str] = []
    for found in (tracker.latest_message or {}).get("entities") or []:
        value = found.get("value")
        if found.get("entity") == entity and isinstance(value, str) and value not in values:
            values.append(value)
    return values
