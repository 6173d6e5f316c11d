"""What Telegram sends the assistant's webhook (updates, the secret header) and what the fake
Bot API recorded for one chat."""

from __future__ import annotations

import itertools
import random
from typing import Any, Dict, List, Optional

from tests.support.recording_api import RecordingApi

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Update ids stay unique for the whole run: the server remembers the ones it has handled.
_update_ids = itertools.count(random.randrange(10**6, 10**9))


def new_update_id() -> int:
    return next(_update_ids)


def new_chat_id() -> int:
    return random.randrange(10**8, 10**10)


def chat(chat_id: int, kind: str = "private") -> Dict[str, Any]:
    return {"id": chat_id, "type": kind, "first_name": "Pat"}


def message_update(chat_id: int, text: Optional[str] = None, **fields: Any) -> Dict[str, Any]:
    """A realistic update for a message a patient sent (text, or `fields` like a sticker)."""
    message = {
        "message_id": random.randrange(1, 10**6),
        "from": {"id": chat_id, "is_bot": False, "first_name": "Pat", "language_code": "en"},
        "chat": fields.pop("chat", chat(chat_id)),
        "date": 1700000000,
        **fields,
    }
    if text is not None:
        message["text"] = text
    return {"update_id": new_update_id(), "message": message}


def button_press_update(chat_id: int, data: str) -> Dict[str, Any]:
    """A realistic update for a press on one of the assistant's inline buttons."""
    pressed_on = message_update(chat_id, "What would you like to do?")["message"]
    return {
        "update_id": new_update_id(),
        "callback_query": {
            "id": f"cb-{chat_id}",
            "from": {"id": chat_id, "is_bot": False, "first_name": "Pat"},
            "message": pressed_on,
            "chat_instance": "-123456789",
            "data": data,
        },
    }


def sent_to(api: RecordingApi, chat_id: int) -> List[Dict[str, Any]]:
    """What was sent to one chat, in order: the method and its fields."""
    return [
        {"method": call.method, **call.body}
        for call in list(api.calls)
        if call.body.get("chat_id") == chat_id
    ]
