"""The assistant's messages as Slack Block Kit: escaped text sections and rows of buttons."""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Sequence

BUTTONS_PER_ROW = 5
# Block Kit limits (https://api.slack.com/reference/block-kit/blocks).
MAX_SECTION_TEXT = 3000
MAX_BUTTON_TITLE = 75


def escape_text(text: str) -> str:
    """Slack reads &, < and > as markup; our texts are plain, so escape them as Slack asks."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _section_texts(text: str) -> List[str]:
    """The text in pieces a section block accepts, cut at line ends where possible."""
    pieces: List[str] = []
    while len(text) > MAX_SECTION_TEXT:
        cut = text.rfind("\n", 0, MAX_SECTION_TEXT)
        cut = cut if cut > 0 else MAX_SECTION_TEXT
        pieces.append(text[:cut])
        text = text[cut:].lstrip("\n")
    return pieces + [text] if text else pieces


def _button_element(button: Mapping[str, Any], index: int) -> Dict[str, Any]:
    title = str(button.get("title", ""))
    if len(title) > MAX_BUTTON_TITLE:
        title = title[: MAX_BUTTON_TITLE - 1] + "…"
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": title},
        "value": str(button.get("payload", "")),
        # Slack needs action ids unique within a message; the value says what was chosen.
        "action_id": f"button_{index}",
    }


def button_blocks(text: str, buttons: Sequence[Mapping[str, Any]]) -> List[Dict[str, Any]]:
    """Block Kit for a message with buttons: the text, then rows of at most five buttons."""
    blocks: List[Dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": piece}}
        for piece in _section_texts(escape_text(text))
    ]
    elements = [_button_element(button, index) for index, button in enumerate(buttons)]
    for start in range(0, len(elements), BUTTONS_PER_ROW):
        blocks.append({"type": "actions", "elements": elements[start : start + BUTTONS_PER_ROW]})
    return blocks
