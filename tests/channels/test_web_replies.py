"""How replies look in the website widget: alerts marked, their numbers tap-to-call, links,
bulleted lines as lists."""

from __future__ import annotations

from typing import List, Optional

import pytest

from channels.web_replies import (
    ALERT_CLASS,
    ALERT_CONTINUED_CLASS,
    alert_numbers,
    dialable_numbers,
    is_alert,
    widget_messages,
    with_markdown_links,
    with_markdown_lists,
    with_tel_links,
)
from core.clinic import DEFAULT_EMERGENCY_NUMBER, ClinicSettings

ALERT_OPENING = "⚠️ What you describe can be a sign of a serious problem. "
DEFAULT_NUMBERS = dialable_numbers([DEFAULT_EMERGENCY_NUMBER])


@pytest.mark.parametrize(
    "configured, numbers",
    [
        ([DEFAULT_EMERGENCY_NUMBER], ["112", "911", "999"]),
        (["911"], ["911"]),
        (["+1 555 0100"], ["+1 555 0100"]),
        (["+44 (20) 7946-0000"], ["+44 (20) 7946-0000"]),
        (["NHS 111, or 999 in an emergency"], ["111", "999"]),
        (["your local emergency number"], []),
        ([None, "", "112"], ["112"]),
    ],
    ids=["default-text", "single", "plus-one", "area-code", "urgent-care", "no-digits", "blanks"],
)
def test_the_dialable_numbers_are_read_from_the_configured_texts(
    configured: List[str], numbers: List[str]
) -> None:
    assert sorted(dialable_numbers(configured)) == sorted(numbers)


@pytest.mark.parametrize(
    "text, numbers, expected",
    [
        (
            f"Please call {DEFAULT_EMERGENCY_NUMBER} now.",
            DEFAULT_NUMBERS,
            "Please call your local emergency number ([911](tel:911) in the US and Canada, "
            "[999](tel:999) in the UK, [112](tel:112) in the EU) now.",
        ),
        (
            "Please call 911 now or go to the ED.",
            ["911"],
            "Please call [911](tel:911) now or go to the ED.",
        ),
        (
            "Call +1 555 0100 today.",
            ["+1 555 0100"],
            "Call [+1 555 0100](tel:+15550100) today.",
        ),
        (
            "Call +44 (20) 7946-0000.",
            ["+44 (20) 7946-0000"],
            "Call [+44 (20) 7946-0000](tel:+442079460000).",
        ),
        (
            "Call 999, or NHS 111 if it is not an emergency.",
            ["999", "111"],
            "Call [999](tel:999), or NHS [111](tel:111) if it is not an emergency.",
        ),
        (
            "Call 911. More at https://clinic.example/911/help and [our page](https://x.example/911).",
            ["911"],
            "Call [911](tel:911). More at https://clinic.example/911/help and "
            "[our page](https://x.example/911).",
        ),
        (
            "See 111.nhs.uk or clinic.example/911 now.",
            ["111", "911"],
            "See 111.nhs.uk or clinic.example/911 now.",
        ),
        ("Ref 9112 and 1911 are not 911.", ["911"], "Ref 9112 and 1911 are not [911](tel:911)."),
        ("Call 911 now.", [], "Call 911 now."),
    ],
    ids=[
        "default-text",
        "single",
        "plus-one",
        "area-code",
        "urgent-care",
        "web-links",
        "bare-addresses",
        "longer-numbers",
        "none-configured",
    ],
)
def test_configured_numbers_become_tel_links_outside_web_links(
    text: str, numbers: List[str], expected: str
) -> None:
    assert with_tel_links(text, numbers) == expected


@pytest.mark.parametrize(
    "text, alert",
    [
        ("⚠️ Please call 911 now.", True),
        ("  ⚠️ Please call 911 now.", True),
        ("⚠ Please call 911 now.", True),
        ("In an emergency, call 911.", False),
        ("Watch for these ⚠️ signs and call 911.", False),
    ],
)
def test_an_alert_is_a_reply_that_starts_with_the_warning_sign(text: str, alert: bool) -> None:
    assert is_alert(text) is alert


def test_an_alert_is_marked_with_the_alert_class_and_its_numbers_made_tel_links() -> None:
    text = f"{ALERT_OPENING}Please call {DEFAULT_EMERGENCY_NUMBER} now."
    [message] = widget_messages(text, None, DEFAULT_NUMBERS)
    assert message["metadata"] == {"customCss": {"style": "class", "css": ALERT_CLASS}}
    for number in ("911", "999", "112"):
        assert f"[{number}](tel:{number})" in message["text"]
    assert message["text"].startswith("⚠️")
    assert set(message) == {"text", "metadata"}


def test_an_alert_in_paragraphs_stays_an_alert_with_its_buttons_under_the_last() -> None:
    text = f"{ALERT_OPENING}Call 911 now.\n\nIf it is not an emergency, call 111 today."
    buttons = [{"title": "I understand", "payload": "/affirm"}]
    first, second = widget_messages(text, buttons, ["911", "111"])
    assert first["metadata"]["customCss"]["css"] == ALERT_CLASS
    assert second["metadata"]["customCss"]["css"] == ALERT_CONTINUED_CLASS
    assert "[911](tel:911)" in first["text"] and "[111](tel:111)" in second["text"]
    assert first["quick_replies"] == []
    assert second["quick_replies"] == [
        {"content_type": "text", "title": "I understand", "payload": "/affirm"}
    ]


@pytest.mark.parametrize(
    "text",
    [
        "In an emergency, call 911.",
        "Call the clinic on +1 555 0100 to book.",
        "Watch for these ⚠️ signs and call 911.",
    ],
)
def test_a_reply_that_is_not_an_alert_is_sent_untouched(text: str) -> None:
    assert widget_messages(text, None, ["911", "+1 555 0100"]) == [{"text": text}]


def test_a_reply_that_is_not_an_alert_keeps_rasas_shape_with_web_links() -> None:
    text = "Book at https://clinic.example/book.\n\nOr call 911."
    buttons = [{"title": "Menu", "payload": "/help"}]
    assert widget_messages(text, buttons, ["911"]) == [
        {
            "text": "Book at [https://clinic.example/book](https://clinic.example/book).",
            "quick_replies": [],
        },
        {
            "text": "Or call 911.",
            "quick_replies": [{"content_type": "text", "title": "Menu", "payload": "/help"}],
        },
    ]


def test_an_alert_links_the_emergency_number_urgent_care_line_and_clinic_phone() -> None:
    clinic = ClinicSettings(emergency_number="999", phone="+44 20 7946 0000")
    assert sorted(alert_numbers(clinic)) == ["+44 20 7946 0000", "999"]
    assert sorted(alert_numbers(ClinicSettings())) == ["112", "911", "999"]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Book at https://clinic.example/book.",
            "Book at [https://clinic.example/book](https://clinic.example/book).",
        ),
        ("No address here.", "No address here."),
        ("Already [a link](https://a.example).", "Already [a link](https://a.example)."),
        ("Call 911 now", "Call 911 now"),
    ],
)
def test_web_addresses_in_replies_become_markdown_links(text: str, expected: str) -> None:
    assert with_markdown_links(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Get seen the same day if you have:\n• a fever\n• night pain",
            "Get seen the same day if you have:\n\n- a fever\n- night pain",
        ),
        (
            "Typical of it:\n• groin pain\nBut other problems can cause it.",
            "Typical of it:\n\n- groin pain\n\nBut other problems can cause it.",
        ),
        ("• first\n  •  second", "- first\n- second"),
        ("Treatment, 1 of 5: Physical therapy\nA plan made for you.", None),
        ("Call 911 • or 112", None),
    ],
    ids=["after-intro", "sentence-after", "list-only", "no-bullets", "bullet-mid-line"],
)
def test_bulleted_lines_become_a_markdown_list_set_off_by_blank_lines(
    text: str, expected: Optional[str]
) -> None:
    assert with_markdown_lists(text) == (expected or text)


def test_an_alert_keeps_its_list_and_tel_links() -> None:
    text = f"{ALERT_OPENING}Call 911 now if you have:\n• numbness\n• weakness in both legs"
    [message] = widget_messages(text, None, ["911"])
    assert message["text"].endswith(
        "Call [911](tel:911) now if you have:\n\n- numbness\n- weakness in both legs"
    )
    assert message["metadata"]["customCss"]["css"] == ALERT_CLASS
