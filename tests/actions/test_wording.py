"""What the assistant says lives in domain.yml: every action message is a domain response, and
the parts of messages (actions/wording.py) are domain responses too. Medical text comes in as a
variable and is said exactly as the content file writes it."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

import pytest

from actions.wording import contact_lines, phrase
from core.clinic import ClinicSettings
from core.knowledge import get_knowledge

ROOT = Path(__file__).resolve().parents[2]
ACTION_FILES = sorted((ROOT / "actions").glob("*.py"))
# Calls of utter_message that may build their text in code, each with its reason. None today:
# add one only with a reason an editor would accept (e.g. text that is neither wording nor
# content, such as a file name echoed back).
JUSTIFIED_EXCEPTIONS: Dict[str, str] = {}
# The keys rasa_sdk's utter_message takes for itself, or that the channels read as parts of the
# message (Rasa keeps a message's variables in it): text built in code, or a variable that
# would be sent as something else.
DISPATCHER_KEYS = {
    "text",
    "image",
    "json_message",
    "template",
    "attachment",
    "elements",
    "custom",
    "quick_replies",
}


def utter_message_calls() -> List[Tuple[str, ast.Call]]:
    """Every dispatcher.utter_message(...) call in actions/, as "file:line" and the call."""
    calls = []
    for path in ACTION_FILES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "utter_message"
            ):
                calls.append((f"{path.name}:{node.lineno}", node))
    return calls


def test_the_scan_finds_the_actions_messages() -> None:
    # A scan that finds nothing would pass for the wrong reason.
    assert len(utter_message_calls()) > 40


@pytest.mark.parametrize(
    ("where", "call"),
    utter_message_calls(),
    ids=lambda value: value if isinstance(value, str) else "call",
)
def test_every_action_message_is_a_domain_response(where: str, call: ast.Call) -> None:
    if where in JUSTIFIED_EXCEPTIONS:
        pytest.skip(JUSTIFIED_EXCEPTIONS[where])
    keywords = {keyword.arg for keyword in call.keywords}
    assert not call.args, f"{where}: text passed by position; name a response instead"
    assert "response" in keywords, f'{where}: say it with response="utter_..." from domain.yml'
    assert not keywords & DISPATCHER_KEYS, f"{where}: {keywords & DISPATCHER_KEYS} in code"


def test_every_response_named_in_the_actions_exists(domain: Dict[str, Any]) -> None:
    named = set()
    for path in ACTION_FILES:
        named |= set(re.findall(r"\"(utter_\w+)\"", path.read_text(encoding="utf-8")))
    assert named
    assert named <= set(domain["responses"])


def test_parts_of_messages_have_one_plain_variation(domain: Dict[str, Any]) -> None:
    # phrase() reads a part's only variation: a condition or buttons there would be ignored.
    parts = {name: value for name, value in domain["responses"].items() if "_part_" in name}
    assert parts
    for name, variations in parts.items():
        assert len(variations) == 1, name
        assert set(variations[0]) == {"text"}, name


def test_a_part_is_filled_in_and_braces_in_a_value_are_kept(domain: Dict[str, Any]) -> None:
    line = phrase(domain, "utter_part_clinic_address", address="Unit {4}, 12 River Street")

    assert line == "📍 Address: Unit {4}, 12 River Street"


def test_a_part_missing_a_variable_fails_instead_of_showing_the_placeholder(
    domain: Dict[str, Any],
) -> None:
    with pytest.raises(KeyError):
        phrase(domain, "utter_part_clinic_address")


def test_the_contact_lines_follow_the_settings(domain: Dict[str, Any]) -> None:
    clinic = ClinicSettings(name="Riverside Physio", phone="+1 555 0100", email="a@b.example")

    assert contact_lines(domain, clinic) == [
        "📞 Call Riverside Physio: +1 555 0100",
        "✉️ Email: a@b.example",
    ]
    assert contact_lines(domain, ClinicSettings()) == [
        "Please contact the clinic through its usual phone line or website."
    ]


def test_every_content_text_is_said_exactly_as_written(render: Callable[..., str]) -> None:
    # Rasa fills variables in with str.format: a brace or a "0[" in the content file must not
    # change what the patient reads.
    for item in get_knowledge().all_items():
        assert render("utter_content", content=item.text) == item.text, item.id


def test_a_variable_with_braces_reaches_the_patient_as_it_is(render: Callable[..., str]) -> None:
    text = 'Press "next" {or} {content} /inform{"age_group": "child"}'

    assert render("utter_content", content=text) == text


@pytest.mark.parametrize(
    ("environment", "lines"),
    [
        ({}, ["Please contact the clinic through its usual phone line or website."]),
        (
            {"CLINIC_NAME": "Riverside Physio", "CLINIC_PHONE": "0100"},
            ["📞 Call Riverside Physio: 0100"],
        ),
        (
            {"CLINIC_BOOKING_URL": "https://clinic.example/book", "CLINIC_OPENING_HOURS": "9-5"},
            ["📅 Book online: https://clinic.example/book", "🕘 Opening hours: 9-5"],
        ),
    ],
)
def test_contact_lines_have_one_line_per_configured_way(
    environment: Dict[str, str], lines: List[str], domain: Dict[str, Any]
) -> None:
    clinic = ClinicSettings.from_environment(environment)
    assert contact_lines(domain, clinic) == lines
