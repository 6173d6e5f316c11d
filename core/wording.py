"""What the assistant says outside a Rasa turn (the channels' refusals and apologies), read
from the same domain responses the Rasa server uses, so the wording lives in one place:
domain.yml. Variables are filled the way Rasa fills them: `{name}` is replaced when a value is
given, and left as it is otherwise."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Dict, List

import yaml

from core.clinic import get_clinic_settings

DOMAIN_FILE = Path(__file__).resolve().parent.parent / "domain.yml"
# A placeholder, as Rasa reads one (rasa/core/nlg/interpolator.py); actions/wording.py and the
# tests' response renderer use this one too.
PLACEHOLDER = re.compile(r"{([^\n{}]+?)}")


@cache
def _responses() -> Dict[str, List[Dict[str, object]]]:
    return yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))["responses"]


def fill(template: str, **values: object) -> str:
    """`template` with each `{name}` that has a value replaced by it."""
    return PLACEHOLDER.sub(
        lambda match: str(values[match.group(1)]) if match.group(1) in values else match.group(0),
        template,
    )


def template(name: str) -> str:
    """The first text variation of domain response `name`, its `{variables}` left in."""
    return str(_responses()[name][0]["text"])


def response_text(name: str, **values: object) -> str:
    """The first text variation of domain response `name`, with the clinic's emergency number
    and `values` filled in."""
    return fill(template(name), emergency_number=get_clinic_settings().emergency_number, **values)
