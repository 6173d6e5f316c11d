"""The Telegram channel: its pure parts, its Bot API calls against a recording fake, and whole
conversations through the real assistant's webhook."""

from __future__ import annotations

import asyncio
import itertools
import logging
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import requests
import yaml
from rasa.shared.exceptions import RasaException

from actions.answers import REFERRED_PAIN_ITEM, walkthrough_card
from actions.buttons import CHECK_SYMPTOMS, MENU, WHEN_TO_GET_HELP
from channels.credentials import TELEGRAM_CHANNEL, credentials_from_environment
from channels.telegram import (
    TEXT_ONLY_REPLY,
    PatientMessage,
    TelegramInput,
    parse_update,
    read_update,
    text_for_rasa,
)
from channels.telegram_api import (
    MESSAGE_LIMIT_CHARACTERS,
    TelegramBotApi,
    TelegramOutput,
    callback_data_of,
    chat_id_of,
    inline_keyboard,
    message_parts,
    sender_id_of,
)
from core.clinic import DEFAULT_EMERGENCY_NUMBER
from core.knowledge import get_knowledge
from scripts.local_servers import LocalAssistant, free_port
from tests.support.environment import CLINIC_ENVIRONMENT
from tests.support.platforms import TELEGRAM_SECRET, TELEGRAM_TOKEN
from tests.support.recording_api import RecordingApi
from tests.support.responses import load_responses, render_message
from tests.support.telegram_updates import (
    SECRET_HEADER,
    button_press_update,
    chat,
    message_update,
    new_chat_id,
    new_update_id,
    sent_to,
)

ROOT = Path(__file__).resolve().parents[2]
WEBHOOK_URL = "https://assistant.clinic.example/webhooks/telegram/webhook"


# ---- pure parts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, for_rasa",
    [
        ("what causes it", "what causes it"),
        ("/start", "/session_start"),
        ("/start from-clinic-website", "/session_start"),
        ("/start@iliopsoas_test_bot", "/session_start"),
        ("  /START  ", "/session_start"),
        ("/help", "/help"),
        ("/help@iliopsoas_test_bot", "/help"),
        ("/ask_symptoms", "ask_symptoms"),
        ("/symptoms@iliopsoas_test_bot please", "symptoms please"),
        ('/inform{"body_part": "groin"}', 'inform{"body_part": "groin"}'),
        ("//ask_symptoms", "ask_symptoms"),
        ("/ /ask_symptoms", "ask_symptoms"),
        ("/", ""),
    ],
)
def test_typed_text_reaches_rasa_as_plain_text_except_start_and_help(
    typed: str, for_rasa: str
) -> None:
    assert text_for_rasa(typed) == for_rasa


def test_a_text_message_in_a_private_chat_is_read_as_its_text() -> None:
    update = message_update(42, "what causes it")
    assert read_update(update) == PatientMessage(42, "what causes it")


def test_an_edited_message_is_read_like_a_new_one() -> None:
    update = message_update(42, "/ask_causes")
    update["edited_message"] = update.pop("message")
    assert read_update(update) == PatientMessage(42, "ask_causes")


def test_a_button_press_is_read_as_its_callback_data() -> None:
    assert read_update(button_press_update(42, "/ask_symptoms")) == PatientMessage(
        42, "/ask_symptoms", "cb-42"
    )


def test_a_sticker_is_read_as_a_message_without_text() -> None:
    update = message_update(42, sticker={"file_id": "CAAC", "emoji": "👍"})
    assert read_update(update) == PatientMessage(42, None)


@pytest.mark.parametrize(
    "update",
    [
        message_update(-100123, "hello", chat=chat(-100123, "group")),
        message_update(-100123, "hello", chat=chat(-100123, "supergroup")),
        {"update_id": 1, "channel_post": message_update(-100123, "hi")["message"]},
        {"update_id": 2, "poll": {"id": "1", "question": "?"}},
        {"update_id": 3, "callback_query": {"id": "9", "inline_message_id": "x", "data": "/help"}},
        {"update_id": 4, "message": "not an object"},
    ],
    ids=["group", "supergroup", "channel post", "poll", "inline callback", "odd message"],
)
def test_updates_from_other_than_a_private_chat_or_of_unknown_kinds_are_ignored(
    update: Dict[str, Any],
) -> None:
    assert read_update(update) is None


@pytest.mark.parametrize(
    "body", [b"{not json", b"[1, 2]", b'"text"', b"{}", b'{"update_id": "7"}', b"\xff\xfe"]
)
def test_a_body_that_is_not_an_update_is_rejected(body: bytes) -> None:
    assert parse_update(body) is None


def test_a_payload_within_64_bytes_is_the_callback_data() -> None:
    payload = "/" + "a" * 63
    assert callback_data_of({"title": "Symptoms", "payload": payload}) == payload


def test_a_payload_over_64_bytes_falls_back_to_the_title() -> None:
    payload = '/inform{"body_part": "groin", "side": "left", "since": "2 weeks"}'
    assert len(payload.encode("utf-8")) == 65
    assert callback_data_of({"title": "Groin", "payload": payload}) == "Groin"


def test_a_long_title_as_callback_data_is_cut_to_64_bytes_of_whole_characters() -> None:
    data = callback_data_of({"title": "é" * 40, "payload": "/" + "a" * 70})
    assert data == "é" * 32
    assert len(data.encode("utf-8")) <= 64


def test_buttons_become_an_inline_keyboard_with_one_button_per_row() -> None:
    buttons = [{"title": "Symptoms", "payload": "/ask_symptoms"}, {"title": "Menu", "payload": ""}]
    assert inline_keyboard(buttons) == {
        "inline_keyboard": [
            [{"text": "Symptoms", "callback_data": "/ask_symptoms"}],
            [{"text": "Menu", "callback_data": "Menu"}],
        ]
    }


def test_a_text_is_split_into_messages_on_blank_lines() -> None:
    assert message_parts("\nFirst.\n\nSecond,\nstill second.\n\n\n\n") == [
        "First.",
        "Second,\nstill second.",
    ]


def test_a_paragraph_over_telegrams_limit_is_sent_in_pieces_cut_between_words() -> None:
    paragraph = " ".join(["pain"] * 2000)  # 9,999 characters
    parts = message_parts(f"Short first.\n\n{paragraph}")
    assert parts[0] == "Short first."
    assert all(len(part) <= MESSAGE_LIMIT_CHARACTERS for part in parts)
    assert " ".join(parts[1:]) == paragraph
    assert len(parts) == 4


def test_sender_ids_are_namespaced_and_map_back_to_the_chat() -> None:
    assert sender_id_of(123456) == "telegram-123456"
    assert chat_id_of(sender_id_of(123456)) == 123456


def test_the_channel_is_built_from_the_credentials_the_environment_writes() -> None:
    credentials = credentials_from_environment(
        {
            "TELEGRAM_TOKEN": TELEGRAM_TOKEN,
            "TELEGRAM_WEBHOOK_URL": WEBHOOK_URL,
            "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
        }
    )[TELEGRAM_CHANNEL]
    channel = TelegramInput.from_credentials(credentials)
    assert isinstance(channel, TelegramInput)
    assert (channel.webhook_url, channel.webhook_secret) == (WEBHOOK_URL, TELEGRAM_SECRET)
    assert channel.bot_name is None


def test_the_channel_without_credentials_fails_at_start() -> None:
    with pytest.raises(RasaException):
        TelegramInput.from_credentials(None)


# ---- Bot API calls, against the recording fake --------------------------------------------


def send_through_output(api_url: str, recipient_id: str, *messages: Dict[str, Any]) -> None:
    async def send() -> None:
        api = TelegramBotApi(api_url, TELEGRAM_TOKEN)
        output = TelegramOutput(api)
        try:
            for message in messages:
                await output.send_response(recipient_id, dict(message))
        finally:
            await api.close()

    asyncio.run(send())


def test_buttons_are_attached_to_the_last_paragraph(fake_telegram: RecordingApi) -> None:
    chat_id = new_chat_id()
    buttons = [{"title": "Next", "payload": "/next_item"}, {"title": "Menu", "payload": "/help"}]
    send_through_output(
        fake_telegram.url, sender_id_of(chat_id), {"text": "One.\n\nTwo.", "buttons": buttons}
    )
    assert sent_to(fake_telegram, chat_id) == [
        {"method": "sendMessage", "chat_id": chat_id, "text": "One."},
        {
            "method": "sendMessage",
            "chat_id": chat_id,
            "text": "Two.",
            "reply_markup": inline_keyboard(buttons),
        },
    ]
    call = fake_telegram.calls_to("sendMessage")[-1]
    assert call.path == f"/bot{TELEGRAM_TOKEN}/sendMessage"
    assert "application/json" in call.headers["Content-Type"]


@pytest.mark.parametrize(
    "emergency_number",
    [DEFAULT_EMERGENCY_NUMBER, "911", "+1 555 0100"],
    ids=["default", "911", "plus-one"],
)
def test_an_alert_is_sent_with_its_numbers_as_plain_text(
    fake_telegram: RecordingApi, emergency_number: str
) -> None:
    chat_id = new_chat_id()
    alert = f"⚠️ This needs help right away. Please call {emergency_number} now."
    buttons = [{"title": "Menu", "payload": "/help"}]
    send_through_output(
        fake_telegram.url,
        sender_id_of(chat_id),
        {"text": alert},
        {"text": alert, "buttons": buttons},
    )
    sent = sent_to(fake_telegram, chat_id)
    assert [call["text"] for call in sent] == [alert, alert]
    assert not any("tel:" in str(call) or "parse_mode" in call for call in sent)


def test_an_image_is_sent_as_a_photo_and_custom_json_as_message_fields(
    fake_telegram: RecordingApi,
) -> None:
    chat_id = new_chat_id()
    send_through_output(
        fake_telegram.url,
        sender_id_of(chat_id),
        {"image": "https://clinic.example/hip.png", "custom": {"text": "Hi", "protect_content": 1}},
    )
    assert sent_to(fake_telegram, chat_id) == [
        {"method": "sendMessage", "chat_id": chat_id, "text": "Hi", "protect_content": 1},
        {"method": "sendPhoto", "chat_id": chat_id, "photo": "https://clinic.example/hip.png"},
    ]


@pytest.mark.parametrize("retry_after, answered", [(1, True), (30, False)])
def test_a_short_too_many_requests_wait_is_waited_out_once(
    retry_after: int, answered: bool
) -> None:
    too_many = {"ok": False, "error_code": 429, "parameters": {"retry_after": retry_after}}
    answers = itertools.chain([too_many], itertools.repeat({"ok": True, "result": {"id": 1}}))
    server = RecordingApi(lambda _: next(answers)).start()

    async def call() -> Optional[Any]:
        api = TelegramBotApi(server.url, TELEGRAM_TOKEN)
        try:
            return await api.call("sendMessage", {"chat_id": 1, "text": "hi"})
        finally:
            await api.close()

    try:
        assert (asyncio.run(call()) is not None) is answered
        assert len(server.calls_to("sendMessage")) == (2 if answered else 1)
    finally:
        server.stop()


def test_a_failed_api_call_is_logged_without_the_token(caplog: pytest.LogCaptureFixture) -> None:
    async def call_twice() -> List[Any]:
        refusing_server = RecordingApi(lambda _: {"ok": False, "description": "Bad Request"})
        unreachable = TelegramBotApi(f"http://127.0.0.1:{free_port()}", TELEGRAM_TOKEN)
        refusing = TelegramBotApi(refusing_server.start().url, TELEGRAM_TOKEN)
        try:
            return [
                await unreachable.call("sendMessage", {"chat_id": 1, "text": "hi"}),
                await refusing.call("getMe", {}),
            ]
        finally:
            await unreachable.close()
            await refusing.close()
            refusing_server.stop()

    with caplog.at_level(logging.DEBUG, logger="channels.telegram_api"):
        assert asyncio.run(call_twice()) == [None, None]
    assert "sendMessage failed" in caplog.text
    assert "getMe refused: Bad Request" in caplog.text
    assert TELEGRAM_TOKEN not in caplog.text


# ---- whole conversations through the real assistant ----------------------------------------


def post_update(
    assistant: LocalAssistant, update: Any, secret: Optional[str] = TELEGRAM_SECRET
) -> requests.Response:
    """Posts an update as Telegram does; the assistant has replied when this returns."""
    headers = {SECRET_HEADER: secret} if secret is not None else {}
    return requests.post(
        f"{assistant.url}/webhooks/telegram/webhook", json=update, headers=headers, timeout=60
    )


def keyboard(buttons: List[Dict[str, str]]) -> Dict[str, Any]:
    """The inline keyboard Telegram should get for these buttons (payloads all short)."""
    return {
        "inline_keyboard": [[{"text": b["title"], "callback_data": b["payload"]}] for b in buttons]
    }


def texts(calls: List[Dict[str, Any]]) -> str:
    return "\n".join(call.get("text", "") for call in calls)


def user_messages(assistant: LocalAssistant, chat_id: int) -> List[str]:
    """What reached Rasa from this chat."""
    events = assistant.tracker(sender_id_of(chat_id))["events"]
    return [event.get("text") for event in events if event["event"] == "user"]


def start_chat(assistant: LocalAssistant, api: RecordingApi) -> int:
    """A new chat past its /start, so later replies carry no disclaimer."""
    chat_id = new_chat_id()
    assert post_update(assistant, message_update(chat_id, "/start")).status_code == 200
    assert sent_to(api, chat_id)
    return chat_id


def test_the_webhook_is_registered_with_its_secret_at_start(
    channel_assistant: LocalAssistant, fake_telegram: RecordingApi
) -> None:
    calls = fake_telegram.wait_for(
        lambda calls: any(call.method == "setWebhook" for call in calls), timeout=10
    )
    registrations = [call for call in calls if call.method == "setWebhook"]
    assert [call.body for call in registrations] == [
        {
            "url": WEBHOOK_URL,
            "secret_token": TELEGRAM_SECRET,
            "allowed_updates": ["message", "edited_message", "callback_query"],
        }
    ]
    assert registrations[0].path == f"/bot{TELEGRAM_TOKEN}/setWebhook"
    assert not fake_telegram.calls_to("getMe")


@pytest.mark.parametrize("secret", ["wrong-secret", "", None], ids=["wrong", "empty", "missing"])
def test_an_update_without_the_right_secret_is_refused_unanswered(
    channel_assistant: LocalAssistant, fake_telegram: RecordingApi, secret: Optional[str]
) -> None:
    chat_id = new_chat_id()
    reply = post_update(channel_assistant, message_update(chat_id, "what causes it"), secret)
    assert reply.status_code == 403
    assert sent_to(fake_telegram, chat_id) == []
    assert user_messages(channel_assistant, chat_id) == []


def test_start_sends_the_disclaimer_and_the_topic_buttons(
    channel_assistant: LocalAssistant, fake_telegram: RecordingApi
) -> None:
    responses = yaml.safe_load((ROOT / "domain.yml").read_text())["responses"]
    disclaimer = responses["utter_disclaimer"][0]["text"].format(
        clinic_name=CLINIC_ENVIRONMENT["CLINIC_NAME"],
        emergency_number=CLINIC_ENVIRONMENT["CLINIC_EMERGENCY_NUMBER"],
    )
    menu = responses["utter_menu"][0]
    chat_id = new_chat_id()

    reply = post_update(channel_assistant, message_update(chat_id, "/start"))

    assert reply.status_code == 200
    sent = sent_to(fake_telegram, chat_id)
    assert sent == [
        {"method": "sendMessage", "chat_id": chat_id, "text": disclaimer},
        {
            "method": "sendMessage",
            "chat_id": chat_id,
            "text": menu["text"],
            "reply_markup": keyboard(menu["buttons"]),
        },
    ]
    assert "not a diagnosis" in sent[0]["text"]
    assert CLINIC_ENVIRONMENT["CLINIC_NAME"] in sent[0]["text"]
    callback_data = {row[0]["callback_data"] for row in sent[1]["reply_markup"]["inline_keyboard"]}
    assert {"/ask_symptoms", "/check_symptoms"} <= callback_data


def test_start_in_an_ongoing_chat_starts_over_with_the_disclaimer_once(
    channel_assistant: LocalAssistant, fake_telegram: RecordingApi
) -> None:
    chat_id = start_chat(channel_assistant, fake_telegram)
    first_start = sent_to(fake_telegram, chat_id)
    post_update(channel_assistant, message_update(chat_id, "what causes it"))
    already_sent = len(sent_to(fake_telegram, chat_id))

    post_update(channel_assistant, message_update(chat_id, "/start@iliopsoas_test_bot"))

    assert sent_to(fake_telegram, chat_id)[already_sent:] == first_start
    assert user_messages(channel_assistant, chat_id)[-1] == "/session_start"


def test_a_question_is_answered(
    channel_assistant: LocalAssistant, fake_telegram: RecordingApi
) -> None:
    chat_id = start_chat(channel_assistant, fake_telegram)
    already_sent = len(sent_to(fake_telegram, chat_id))

    post_update(channel_assistant, message_update(chat_id, "what causes it"))

    answer = sent_to(fake_telegram, chat_id)[already_sent:]
    step = walkthrough_card(get_knowledge().topic("causes"), 0)
    card = render_message({"response": "utter_walkthrough_step", **step}, load_responses(), {})
    assert answer[-1] == {
        "method": "sendMessage",
        "chat_id": chat_id,
        "text": card["text"],
        "reply_markup": keyboard(card["buttons"]),
    }
    assert all(call["method"] == "sendMessage" for call in answer)
    assert all("reply_markup" not in call for call in answer[:-1])


def test_a_button_press_answers_the_callback_and_its_payload(
    channel_assistant: LocalAssistant, fake_telegram: RecordingApi
) -> None:
    chat_id = start_chat(channel_assistant, fake_telegram)
    already_sent = len(sent_to(fake_telegram, chat_id))
    press = button_press_update(chat_id, "/ask_symptoms")

    post_update(channel_assistant, press)

    answered = [call.body for call in fake_telegram.calls_to("answerCallbackQuery")]
    assert {"callback_query_id": press["callback_query"]["id"]} in answered
    symptoms = get_knowledge().topic("symptoms")
    referred = symptoms.items[symptoms.item_index(REFERRED_PAIN_ITEM)]
    sent = sent_to(fake_telegram, chat_id)[already_sent:]
    assert sent[0]["text"].startswith("Signs described in iliopsoas muscle syndrome:")
    assert "reply_markup" not in sent[0]
    assert sent[1:] == [
        {
            "method": "sendMessage",
            "chat_id": chat_id,
            "text": referred.text,
            "reply_markup": keyboard([CHECK_SYMPTOMS, WHEN_TO_GET_HELP, MENU]),
        }
    ]
    assert user_messages(channel_assistant, chat_id)[-1] == "/ask_symptoms"


def test_a_repeated_update_is_answered_once(
    channel_assistant: LocalAssistant, fake_telegram: RecordingApi
) -> None:
    chat_id = start_chat(channel_assistant, fake_telegram)
    already_sent = len(sent_to(fake_telegram, chat_id))
    update = message_update(chat_id, "/help")

    # The retry arrives while the first delivery is still being answered, then once more.
    with ThreadPoolExecutor(max_workers=2) as pool:
        replies = list(pool.map(lambda _: post_update(channel_assistant, update), range(2)))
    replies.append(post_update(channel_assistant, update))

    assert [reply.status_code for reply in replies] == [200, 200, 200]
    menu = sent_to(fake_telegram, chat_id)[already_sent:]
    assert [call["text"] for call in menu] == ["What would you like to do?"]
    assert user_messages(channel_assistant, chat_id).count("/help") == 1


def test_a_red_flag_is_escalated_and_recorded(
    channel_assistant: LocalAssistant, fake_telegram: RecordingApi
) -> None:
    chat_id = new_chat_id()
    message = "I suddenly can't control my bladder and my hip hurts"

    post_update(channel_assistant, message_update(chat_id, message))

    reply = texts(sent_to(fake_telegram, chat_id))
    assert CLINIC_ENVIRONMENT["CLINIC_EMERGENCY_NUMBER"] in reply
    assert "⚠️" in reply
    tracker = channel_assistant.tracker(sender_id_of(chat_id))
    assert tracker["slots"]["triage_level"] == "emergency"


def test_a_red_flag_alert_shows_the_emergency_number_as_plain_text(
    channel_assistant: LocalAssistant, fake_telegram: RecordingApi
) -> None:
    chat_id = new_chat_id()

    post_update(channel_assistant, message_update(chat_id, "I suddenly can't control my bladder"))

    sent = sent_to(fake_telegram, chat_id)
    alerts = [call["text"] for call in sent if call.get("text", "").startswith("⚠️")]
    number = CLINIC_ENVIRONMENT["CLINIC_EMERGENCY_NUMBER"]
    assert alerts and re.search(rf"(?<![\w\[(:]){number}(?![\w\]])", alerts[0])
    assert not any("tel:" in str(call) or "parse_mode" in call for call in sent)


def test_a_sticker_gets_the_text_only_reply_and_does_not_reach_rasa(
    channel_assistant: LocalAssistant, fake_telegram: RecordingApi
) -> None:
    chat_id = new_chat_id()
    sticker = {"file_id": "CAACAgIAAxkBAAEB", "file_unique_id": "AgAD", "emoji": "👍"}

    reply = post_update(channel_assistant, message_update(chat_id, sticker=sticker))

    assert reply.status_code == 200
    assert sent_to(fake_telegram, chat_id) == [
        {"method": "sendMessage", "chat_id": chat_id, "text": TEXT_ONLY_REPLY}
    ]
    assert user_messages(channel_assistant, chat_id) == []


def test_a_group_chat_is_ignored(
    channel_assistant: LocalAssistant, fake_telegram: RecordingApi
) -> None:
    group_id = -new_chat_id()
    update = message_update(group_id, "what causes it", chat=chat(group_id, "group"))

    assert post_update(channel_assistant, update).status_code == 200
    assert sent_to(fake_telegram, group_id) == []
    assert user_messages(channel_assistant, group_id) == []


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", "{}"], ids=["not json", "list", "empty"])
def test_a_malformed_body_is_a_bad_request(channel_assistant: LocalAssistant, body: str) -> None:
    reply = requests.post(
        f"{channel_assistant.url}/webhooks/telegram/webhook",
        data=body,
        headers={SECRET_HEADER: TELEGRAM_SECRET, "Content-Type": "application/json"},
        timeout=30,
    )
    assert reply.status_code == 400
    assert "Traceback" not in reply.text


def test_an_unknown_kind_of_update_is_accepted_and_ignored(
    channel_assistant: LocalAssistant, fake_telegram: RecordingApi
) -> None:
    calls_before = len(fake_telegram.calls)
    update = {"update_id": new_update_id(), "poll": {"id": "5", "question": "Hip?"}}

    assert post_update(channel_assistant, update).status_code == 200
    assert len(fake_telegram.calls) == calls_before
