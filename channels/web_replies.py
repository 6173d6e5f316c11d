"""What the assistant's replies look like in the website widget.

rasa-webchat renders a reply's text as markdown, so web addresses are sent as links and "• "
lines as markdown lists (web/widget.css keeps the other line breaks). A red-flag
alert (its text starts with ⚠️) is marked for the widget's alert style through the message's
`metadata.customCss`, which rasa-webchat 1.0.1 puts on the bubble as a CSS class, and every
configured phone number in it becomes a tap-to-call `tel:` link. Only the widget does this:
Telegram and Slack show the same texts as plain text.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Iterable, List, Optional, Sequence

from core.clinic import ClinicSettings

# Every red-flag alert starts with this sign (the variation selector is optional here).
ALERT_SIGN = "\u26a0"
# The bubble's classes (web/widget.css): the first bubble of an alert carries the "Urgent"
# label; an alert said in several paragraphs continues in bubbles without it.
ALERT_CLASS = "clinic-alert"
ALERT_CONTINUED_CLASS = "clinic-alert clinic-alert-continued"
# A web address written out in a reply; the widget renders markdown, so it becomes a link.
BARE_URL = re.compile(r"(?<![(<\[])\bhttps?://[^\s)>\]]+")
TRAILING_PUNCTUATION = ".,;:!?"
# Parts of a text already linked (markdown links, web addresses): numbers in them stay as they are.
LINKED_PART = re.compile(r"\[[^\]]*\]\([^)]*\)|\bhttps?://\S+")
# A phone number as a clinic writes it: "911", "+1 555 0100", "+44 (20) 7946-0000".
PHONE_NUMBER = re.compile(r"(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d(?:[ .-]?\d)*")
# A bulleted line as the actions write one: "• Pain in the groin".
BULLETED_LINE = re.compile(r"^[ \t]*\u2022[ \t]*(?P<item>\S.*)$")
# Short codes such as France's 15 are the shortest numbers worth dialling.
MIN_DIGITS = 2


def with_markdown_links(text: str) -> str:
    """The text with each bare web address made a markdown link, so patients can click the
    clinic's booking page (other channels link bare addresses themselves)."""

    def link(match: re.Match) -> str:
        address = match.group(0).rstrip(TRAILING_PUNCTUATION)
        rest = match.group(0)[len(address) :]
        return f"[{address}]({address}){rest}"

    return BARE_URL.sub(link, text)


def with_markdown_lists(text: str) -> str:
    """The text with each run of "• " lines made a markdown list ("- " items), a blank line
    before and after it: the widget's markdown otherwise runs the items together into one
    paragraph, or glues the sentence after the list onto the last item."""
    lines: List[str] = []
    in_list = False
    for line in text.split("\n"):
        bulleted = BULLETED_LINE.match(line)
        if lines and bool(bulleted) != in_list:
            lines.append("")
        in_list = bool(bulleted)
        lines.append(f"- {bulleted.group('item')}" if bulleted else line)
    return "\n".join(lines)


def is_alert(text: str) -> bool:
    """Whether a reply is a red-flag alert: by contract, its text starts with ⚠️."""
    return text.lstrip().startswith(ALERT_SIGN)


def dialable_numbers(configured: Iterable[Optional[str]]) -> List[str]:
    """The phone numbers written in configured texts, longest first, e.g. "911", "999" and "112"
    from "your local emergency number (911 in the US and Canada, 999 in the UK, 112 in the EU)"."""
    numbers = {
        found.group(0).strip()
        for text in configured
        if text
        for found in PHONE_NUMBER.finditer(text)
        if len(re.sub(r"\D", "", found.group(0))) >= MIN_DIGITS
    }
    return sorted(numbers, key=lambda number: (-len(number), number))


def alert_numbers(clinic: ClinicSettings) -> List[str]:
    """The numbers an alert may give: the emergency number(s), an urgent-care line once one is
    configured, and the clinic's own phone."""
    urgent_care = getattr(clinic, "urgent_care", None)  # CLINIC_URGENT_CARE, where configured
    return dialable_numbers([clinic.emergency_number, urgent_care, clinic.phone])


def tel_uri(number: str) -> str:
    """The `tel:` address of a written number: its digits, and a leading + if it has one."""
    return "tel:" + re.sub(r"[^\d+]", "", number)


def with_tel_links(text: str, numbers: Sequence[str]) -> str:
    """The text with each of `numbers` made a markdown `tel:` link, e.g. "[911](tel:911)";
    numbers inside links and web addresses, or part of a longer number, are left alone."""
    if not numbers:
        return text
    alternatives = "|".join(re.escape(number) for number in sorted(numbers, key=len, reverse=True))
    # Not part of a longer number, a word or an address ("9112", "111.nhs.uk", "/911/").
    number_pattern = re.compile(rf"(?<![\w+/.@-])(?:{alternatives})(?![\w/@]|[.-]\w)")

    def link(match: re.Match) -> str:
        return f"[{match.group(0)}]({tel_uri(match.group(0))})"

    pieces: List[str] = []
    unlinked_from = 0
    for linked in LINKED_PART.finditer(text):
        pieces.append(number_pattern.sub(link, text[unlinked_from : linked.start()]))
        pieces.append(linked.group(0))
        unlinked_from = linked.end()
    pieces.append(number_pattern.sub(link, text[unlinked_from:]))
    return "".join(pieces)


def alert_metadata(first_part: bool) -> Dict[str, Any]:
    """The metadata that makes rasa-webchat put our alert class on the bubble."""
    css = ALERT_CLASS if first_part else ALERT_CONTINUED_CLASS
    return {"customCss": {"style": "class", "css": css}}


def widget_messages(
    text: str, buttons: Optional[List[Dict[str, Any]]], numbers: Sequence[str]
) -> List[Dict[str, Any]]:
    """The socket messages for one reply, as Rasa's socket.io channel sends them (one per
    paragraph, the buttons as quick replies under the last) with web addresses linked and
    bulleted lines as lists; an alert also carries its class and tap-to-call numbers in every
    paragraph."""
    alert = is_alert(text)
    parts = [part for part in text.strip().split("\n\n") if part.strip()] or [text]
    messages: List[Dict[str, Any]] = []
    for index, part in enumerate(parts):
        linked = with_markdown_links(part)
        if alert:
            linked = with_tel_links(linked, numbers)
        message: Dict[str, Any] = {"text": with_markdown_lists(linked)}
        if buttons is not None:
            message["quick_replies"] = []
        if alert:
            message["metadata"] = alert_metadata(first_part=index == 0)
        messages.append(message)
    if buttons is not None:
        messages[-1]["quick_replies"] = [
            {"content_type": "text", "title": button["title"], "payload": button["payload"]}
            for button in buttons
        ]
    return messages
