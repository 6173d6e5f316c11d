"""What a verified Slack request asks of us: which messages to answer, where, and as whom."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, List, Mapping, Optional
from urllib.parse import parse_qs

from channels.untrusted_json import load_untrusted_json

SENDER_PREFIX = "slack-"
# Slack writes a link the user typed as <https://address|shown text> (or <mailto:...|...>).
LINK_WITH_SHOWN_TEXT = re.compile(r"<(?:mailto:|https?://)[^|>]*\|([^>]*)>")


@dataclass(frozen=True)
class SlackMessage:
    """A user's message for Rasa and where in Slack to answer it."""

    sender_id: str
    text: str
    channel: str
    thread_ts: Optional[str]


def sender_id_for(team_id: str, user_id: str) -> str:
    """One conversation per person, namespaced so Slack ids never meet other channels' ids."""
    return f"{SENDER_PREFIX}{team_id}-{user_id}"


def reply_thread_for_event(event: Mapping[str, Any]) -> Optional[str]:
    """Answer in the thread asked in; a channel mention gets a thread; a plain DM gets none."""
    if event.get("thread_ts"):
        return event["thread_ts"]
    if event.get("type") == "app_mention":
        return event.get("ts")
    return None


def reply_thread_for_click(payload: Mapping[str, Any]) -> Optional[str]:
    """Answer a button click in the thread of the clicked message, if it is in one."""
    message = payload.get("message") or {}
    container = payload.get("container") or {}
    return message.get("thread_ts") or container.get("thread_ts")


def event_delivery_key(body: Mapping[str, Any]) -> Optional[str]:
    """What identifies an Events API delivery across Slack's retries."""
    event_id = body.get("event_id")
    return f"event:{event_id}" if event_id else None


def click_delivery_key(payload: Mapping[str, Any]) -> Optional[str]:
    """What identifies one click across retries: the message and the action time, or trigger."""
    container = payload.get("container") or {}
    actions = payload.get("actions") or [{}]
    message_ts, action_ts = container.get("message_ts"), actions[0].get("action_ts")
    if message_ts and action_ts:
        return f"click:{message_ts}:{action_ts}"
    trigger_id = payload.get("trigger_id")
    return f"trigger:{trigger_id}" if trigger_id else None


def text_for_rasa(text: str, bot_user_ids: List[str]) -> str:
    """The text without mentions of the bot itself and with links as the text they show, as
    Rasa's Slack connector cleans it."""
    for user_id in bot_user_ids:
        text = re.sub(rf"\s*<@{re.escape(user_id)}>\s*", " ", text)
    return LINK_WITH_SHOWN_TEXT.sub(r"\1", text).strip()


def clicked_button_value(payload: Mapping[str, Any]) -> Optional[str]:
    """The value of the clicked button (our messages hold no other interactive elements)."""
    actions = payload.get("actions") or [{}]
    action = actions[0] if isinstance(actions[0], dict) else {}
    return action.get("value") if action.get("type") == "button" else None


def _bot_user_ids(body: Mapping[str, Any]) -> List[str]:
    """The bot's own user id, whose mention is stripped from the text (as Rasa does)."""
    authorizations = body.get("authorizations") or []
    if authorizations and authorizations[0].get("user_id"):
        return [authorizations[0]["user_id"]]
    return list(body.get("authed_users") or [])


def message_from_event(body: Mapping[str, Any]) -> Optional[SlackMessage]:
    """The user message in an Events API callback, or None for anything we must not answer.

    Answered: direct messages and mentions. Not: bots (our own replies included), edits and
    other subtypes, and plain channel messages (a mention arrives as both; answer it once).
    """
    event = body.get("event") or {}
    is_direct_message = event.get("type") == "message" and event.get("channel_type") == "im"
    if not (is_direct_message or event.get("type") == "app_mention"):
        return None
    if event.get("bot_id") or event.get("subtype") or not event.get("user"):
        return None
    text = text_for_rasa(event.get("text") or "", _bot_user_ids(body))
    if not text or not event.get("channel"):
        return None
    team_id = body.get("team_id") or event.get("team") or "unknown"
    sender_id = sender_id_for(team_id, event["user"])
    return SlackMessage(sender_id, text, event["channel"], reply_thread_for_event(event))


def message_from_click(payload: Mapping[str, Any]) -> Optional[SlackMessage]:
    """The clicked button's value as the user's message, or None for other interactions."""
    if payload.get("type") != "block_actions":
        return None
    text = clicked_button_value(payload)
    user = payload.get("user") or {}
    container = payload.get("container") or {}
    channel = (payload.get("channel") or {}).get("id") or container.get("channel_id")
    if not text or not user.get("id") or not channel:
        return None  # e.g. a link button: it opens a page and carries no value
    team_id = (payload.get("team") or {}).get("id") or user.get("team_id") or "unknown"
    sender_id = sender_id_for(team_id, user["id"])
    return SlackMessage(sender_id, text, channel, reply_thread_for_click(payload))


@dataclass(frozen=True)
class SlackRequest:
    """What a verified request asks of us: a challenge to echo, or a delivery to handle once."""

    challenge: Optional[str] = None
    delivery_key: Optional[str] = None
    message: Optional[SlackMessage] = None


def parse_request(content_type: str, body: bytes) -> SlackRequest:
    """Reads an Events API (JSON) or interactivity (form `payload=`) body; ValueError if bad
    (UntrustedJsonError, a ValueError, for JSON that is not valid or nests too deep)."""
    if content_type.split(";")[0].strip() == "application/x-www-form-urlencoded":
        form = parse_qs(body.decode("utf-8"))
        if "payload" not in form:
            raise ValueError("form without payload")
        payload = load_untrusted_json(form["payload"][0])
        if not isinstance(payload, dict):
            raise ValueError("payload is not an object")
        return SlackRequest(
            delivery_key=click_delivery_key(payload), message=message_from_click(payload)
        )
    event_body = load_untrusted_json(body)
    if not isinstance(event_body, dict):
        raise ValueError("body is not an object")
    if event_body.get("type") == "url_verification":
        return SlackRequest(challenge=str(event_body.get("challenge", "")))
    return SlackRequest(
        delivery_key=event_delivery_key(event_body), message=message_from_event(event_body)
    )
