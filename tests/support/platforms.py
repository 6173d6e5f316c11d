"""The credentials the channel tests give the assistant, and how the fake Telegram Bot API and
Slack Web API (`RecordingApi`) answer its calls."""

from __future__ import annotations

from typing import Any, Dict

from tests.support.recording_api import RecordedCall

TELEGRAM_TOKEN = "123456:TEST-token_for-the-fake-api"
TELEGRAM_SECRET = "telegram-webhook-secret-for-tests"
SLACK_BOT_TOKEN = "xoxb-test-token"
SLACK_SIGNING_SECRET = "slack-signing-secret-for-tests"
TELEGRAM_WEBHOOK_URL = "https://assistant.clinic.example/webhooks/telegram/webhook"


def telegram_environment(api_url: str) -> Dict[str, str]:
    """The settings that switch Telegram on, talking to the fake Bot API at `api_url`."""
    return {
        "TELEGRAM_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_WEBHOOK_URL": TELEGRAM_WEBHOOK_URL,
        "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
        "TELEGRAM_API_URL": api_url,
    }


def fake_telegram_reply(call: RecordedCall) -> Dict[str, Any]:
    """What the Bot API answers: a sent message for sendMessage/sendPhoto, `true` otherwise."""
    if call.method in ("sendMessage", "sendPhoto"):
        chat_id = call.body.get("chat_id")
        return {"ok": True, "result": {"message_id": 1, "chat": {"id": chat_id}, "date": 0}}
    return {"ok": True, "result": True}


def fake_slack_reply(call: RecordedCall) -> Dict[str, Any]:
    """What the Web API answers: a posted message in the channel it was sent to."""
    return {"ok": True, "channel": call.body.get("channel"), "ts": "1700000000.000100"}
