"""Wording kept in domain.yml that is only part of a message, and the clinic's details that many
responses name.

Most messages are one domain response filled in by the Rasa server. A few are made of lines that
depend on the settings or the answers (the ways to reach the clinic, the red-flag explanation):
their lines are domain responses named `utter_part_*`, filled in here and passed as one variable
of the response that is sent. The domain comes with every action call, so the wording an editor
changes in domain.yml is the wording said.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk.types import DomainDict

from core.clinic import ClinicSettings
from core.wording import PLACEHOLDER


def phrase(domain: DomainDict, name: str, **variables: Any) -> str:
    """The text of the domain response `name` with its `{placeholders}` filled in.

    A missing variable is an error here, where Rasa would send the placeholder as it is; the
    values are used as they are, so a `{` in one is shown, not read as a placeholder."""
    (variation,) = domain["responses"][name]
    return PLACEHOLDER.sub(lambda match: str(variables[match.group(1)]), variation["text"])


def bulleted(lines: List[str]) -> str:
    """Lines as a bulleted list, one a line."""
    return "\n".join(f"• {line}" for line in lines)


def clinic_variables(clinic: ClinicSettings) -> Dict[str, str]:
    """The clinic's details that responses name, from its settings (not the slots: the session
    start says them before its slots are set, and settings are what the clinic configured)."""
    return {
        "clinic_name": clinic.name,
        "clinic_name_capitalised": clinic.name_to_start_a_sentence,
        "emergency_number": clinic.emergency_number,
    }


def contact_lines(domain: DomainDict, clinic: ClinicSettings) -> List[str]:
    """How to reach the clinic, one line per way it configured (utter_part_contact_*)."""
    ways = {
        "phone": clinic.phone,
        "booking": clinic.booking_url,
        "email": clinic.email,
        "opening_hours": clinic.opening_hours,
    }
    details = {
        "clinic_name": clinic.name,
        "phone": clinic.phone,
        "booking_url": clinic.booking_url,
        "email": clinic.email,
        "opening_hours": clinic.opening_hours,
    }
    lines = [
        phrase(domain, f"utter_part_contact_{way}", **details)
        for way, value in ways.items()
        if value
    ]
    return lines or [phrase(domain, "utter_part_contact_none", **details)]
