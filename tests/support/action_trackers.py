"""Building what the action server would receive: slots at their initial values, the clinic
settings a test may set, and the English messages the project has."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable, Dict, List

import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import EventType

CLINIC_VARIABLES = (
    "CLINIC_NAME",
    "CLINIC_PHONE",
    "CLINIC_BOOKING_URL",
    "CLINIC_OPENING_HOURS",
    "CLINIC_EMERGENCY_NUMBER",
    "CLINIC_URGENT_CARE",
    "CLINIC_ADDRESS",
    "CLINIC_EMAIL",
    "CLINIC_PRICES",
    "CLINIC_INSURANCE",
    "CLINIC_PARKING",
)

TrackerFactory = Callable[..., Tracker]

_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


def nlu_examples(path: Path) -> List[str]:
    """The examples of a Rasa NLU file, entity annotations removed."""
    content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    texts = []
    for block in content.get("nlu", []):
        for line in (block.get("examples") or "").splitlines():
            line = line.strip()
            if line.startswith("- "):
                texts.append(_ANNOTATION.sub(r"\1", line[2:]))
    return texts


def initial_slots(domain: Dict[str, Any]) -> Dict[str, Any]:
    """Every domain slot at its initial value (None unless the domain gives one)."""
    slots = {
        name: definition.get("initial_value")
        for name, definition in (domain.get("slots") or {}).items()
    }
    # Rasa adds requested_slot to every domain with a form.
    slots["requested_slot"] = None
    return slots


def slot_sets(events: List[EventType]) -> Dict[str, Any]:
    """The slots that these events set, with their values."""
    return {event["name"]: event["value"] for event in events if event.get("event") == "slot"}
