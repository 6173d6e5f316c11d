"""The Telegram channel (channels/telegram.py) served in the test's process: its webhook, with a
stand-in assistant and the recording Bot API (no model, no server). test_telegram.py runs whole
conversations through the real assistant."""

from __future__ import annotations

import itertools
import random
from typing import Any, Dict, Iterator

import pytest

from channels.telegram import TelegramInput
from channels.telegram_api import sender_id_of
from tests.support.in_process import InProcessApp
from tests.support.platforms import TELEGRAM_SECRET, TELEGRAM_TOKEN
from tests.support.recording_api import RecordingApi

WEBHOOK = "/webhooks/telegram/webhook"
WEBHOOK_URL = "https://assistant.clinic.example/webhooks/telegram/webhook"
SIGNED = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}
_update_ids = itertools.count(random.randrange(10**9, 10**10))


def text_update(chat_id: int, text: str, update_id: int = 0) -> Dict[str, Any]:
    return {
        "update_id": update_id or next(_update_ids),
        "message": {
            "message_id": 1,
            "chat": {"id": chat_id, "type": "private"},
            "date": 1700000000,
            "text": text,
        },
    }


def sent_to(api: RecordingApi, chat_id: int) -> list:
    return [
        call.body["text"] for call in api.calls_to("sendMessage") if call.body["chat_id"] == chat_id
    ]


@pytest.fixture
def telegram(fake_telegram: RecordingApi) -> Iterator[InProcessApp]:
    channel = TelegramInput(TELEGRAM_TOKEN, WEBHOOK_URL, TELEGRAM_SECRET, fake_telegram.url)
    with InProcessApp(channel) as app:
        yield app


def test_the_webhook_is_registered_with_its_secret_on_start(
    telegram: InProcessApp, fake_telegram: RecordingApi
) -> None:
    registration = fake_telegram.calls_to("setWebhook")[-1].body
    assert registration["url"] == WEBHOOK_URL
    assert registration["secret_token"] == TELEGRAM_SECRET


def test_a_patients_message_is_answered_in_their_chat(
    telegram: InProcessApp, fake_telegram: RecordingApi
) -> None:
    chat_id = random.randrange(10**8, 10**10)
    response = telegram.post_json(WEBHOOK, text_update(chat_id, "hello"), SIGNED)
    assert response.status == 200
    assert sent_to(fake_telegram, chat_id) == ["you said: hello"]
    [received] = telegram.agent.received
    assert (received.sender_id, received.input_channel) == (sender_id_of(chat_id), "telegram")


def test_a_typed_command_cannot_inject_an_intent(telegram: InProcessApp) -> None:
    chat_id = random.randrange(10**8, 10**10)
    telegram.post_json(WEBHOOK, text_update(chat_id, "/ask_symptoms"), SIGNED)
    assert telegram.agent.received[0].text == "ask_symptoms"


def test_a_retried_update_is_answered_once(
    telegram: InProcessApp, fake_telegram: RecordingApi
) -> None:
    chat_id = random.randrange(10**8, 10**10)
    update = text_update(chat_id, "once")
    for _ in range(2):
        assert telegram.post_json(WEBHOOK, update, SIGNED).status == 200
    assert sent_to(fake_telegram, chat_id) == ["you said: once"]


@pytest.mark.parametrize("headers", [{}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}])
def test_an_update_without_our_secret_is_refused(
    telegram: InProcessApp, headers: Dict[str, str]
) -> None:
    response = telegram.post_json(WEBHOOK, text_update(1234567890, "hi"), headers)
    assert response.status == 403 and telegram.agent.received == []


@pytest.mark.parametrize(
    "body",
    [b"[" * 6000 + b"]" * 6000, b'{"update_id": 1, "message": ' + b"[" * 40 + b"]" * 40 + b"}"],
    ids=["deep-array", "deep-message"],
)
def test_json_nested_too_deep_gets_400_not_a_server_error(
    telegram: InProcessApp, body: bytes
) -> None:
    response = telegram.post_json(WEBHOOK, body, SIGNED)
    assert response.status == 400 and telegram.agent.received == []
