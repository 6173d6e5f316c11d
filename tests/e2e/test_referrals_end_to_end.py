"""The referral hand-over end to end: both servers started for real with a recording stand-in
for the staff Slack webhook and a real SMTP server (aiosmtpd) on 127.0.0.1. A patient asks to be
contacted over REST, the website widget and Telegram; staff get the summary in Slack and by
email (with the FHIR JSON attached), can read it over the staff API, and the patient gets a copy.
"""

from __future__ import annotations

import json
import time
import uuid
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List

import pytest
import requests
from fhir.resources.questionnaireresponse import QuestionnaireResponse

from scripts.local_servers import LocalAssistant
from tests.support.environment import E2E_ENVIRONMENT
from tests.support.platforms import TELEGRAM_SECRET, telegram_environment
from tests.support.recording_api import RecordingApi
from tests.support.staff_channels import RecordingSmtp, RecordingWebhook, staff_api_get
from tests.support.telegram_updates import (
    SECRET_HEADER,
    button_press_update,
    message_update,
    new_chat_id,
    sent_to,
)
from tests.support.widget_client import WidgetClient, wait_until

STAFF_TOKEN = "staff-token-for-the-tests-0123456789"
STAFF_INBOX = "staff@clinic.example"
PROMISE = "within one working day"
DELIVERY_TIMEOUT = 60


@pytest.fixture(scope="module")
def clinic(
    trained_model: Path,
    tmp_path_factory: pytest.TempPathFactory,
    slack_webhook: RecordingWebhook,
    telegram_api: RecordingApi,
    inbox: RecordingSmtp,
) -> Iterator[LocalAssistant]:
    running = LocalAssistant(
        model=trained_model,
        workdir=tmp_path_factory.mktemp("referrals"),
        environment={
            **E2E_ENVIRONMENT,
            "CLINIC_CALLBACK_PROMISE": PROMISE,
            "CLINIC_PHONE_REGION": "GB",
            "STAFF_SLACK_WEBHOOK_URL": slack_webhook.url,
            "STAFF_EMAIL_TO": STAFF_INBOX,
            "SMTP_URL": f"smtp://127.0.0.1:{inbox.port}",
            "SMTP_FROM": "assistant@clinic.example",
            "STAFF_API_TOKEN": STAFF_TOKEN,
            "REFERRAL_RETRY_SECONDS": "1",
            **telegram_environment(telegram_api.url),
        },
    )
    try:
        yield running.start()
    finally:
        running.stop()


def texts(messages: List[Dict[str, Any]]) -> str:
    return "\n".join(message.get("text", "") for message in messages)


def staff_get(clinic: LocalAssistant, path: str, token: str = STAFF_TOKEN) -> requests.Response:
    return staff_api_get(clinic.url, path, token)


def referral_of(clinic: LocalAssistant, name: str) -> Dict[str, Any]:
    """The staff API's entry for the referral made under this (unique) name."""
    listed = staff_get(clinic, "referrals").json()["referrals"]
    found = [
        item
        for item in listed
        if (item.get("summary") or {}).get("contact", {}).get("name") == name
    ]
    assert len(found) == 1, listed
    return found[0]


def slack_posts_naming(webhook: RecordingWebhook, name: str) -> List[Dict[str, Any]]:
    return [body for body in list(webhook.accepted) if name in json.dumps(body)]


def mails_to(inbox: RecordingSmtp, address: str, naming: str = "") -> List[EmailMessage]:
    return [
        mail.message
        for mail in inbox.messages
        if address in mail.recipients and naming in mail.message.get_body(("plain",)).get_content()
    ]


def wait_for(check: Callable[[], Any], what: str) -> Any:
    deadline = time.monotonic() + DELIVERY_TIMEOUT
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise TimeoutError(f"no {what} within {DELIVERY_TIMEOUT} s")


def test_a_referral_typed_over_rest_reaches_slack_the_inbox_and_the_staff_api(
    clinic: LocalAssistant, slack_webhook: RecordingWebhook, inbox: RecordingSmtp
) -> None:
    sender = f"referral-{uuid.uuid4().hex[:8]}"
    clinic.send(sender, "what causes it")
    offer = texts(clinic.send(sender, "can someone call me back"))
    assert "Shall I share it with them?" in offer
    assert "What name should" in texts(clinic.send(sender, "/affirm"))
    assert "phone number or email" in texts(clinic.send(sender, "I'm Ana Rest"))
    assert "good time" in texts(clinic.send(sender, "07911 123456"))
    done = texts(clinic.send(sender, "weekday mornings"))
    assert f"they will contact you {PROMISE}" in done
    assert "Here is a copy of what I sent" in done
    assert "How to reach you: +447911123456" in done

    posts = wait_for(lambda: slack_posts_naming(slack_webhook, "Ana Rest"), "Slack post")
    slack_text = json.dumps(posts[0])
    assert "Reason for contact" in slack_text and "asked to be called back" in slack_text
    assert "Topics read*\\nCauses" in slack_text
    assert sender in slack_text
    mails = wait_for(lambda: mails_to(inbox, STAFF_INBOX, "Ana Rest"), "staff email")
    assert "Ana Rest" not in str(mails[0]["Subject"])
    attachments = [part for part in mails[0].iter_attachments()]
    assert [part.get_content_type() for part in attachments] == ["application/fhir+json"]
    attached = attachments[0].get_content()
    attached = attached.decode() if isinstance(attached, bytes) else attached
    assert QuestionnaireResponse.parse_raw(attached).status == "completed"

    def delivered_everywhere() -> Dict[str, Any] | None:
        entry = referral_of(clinic, "Ana Rest")
        return entry if all(d["status"] == "delivered" for d in entry["deliveries"]) else None

    entry = wait_for(delivered_everywhere, "both deliveries recorded")
    assert {d["channel"] for d in entry["deliveries"]} == {"slack", "email"}
    fhir = staff_get(clinic, f"referrals/{entry['id']}/fhir")
    assert fhir.headers["Content-Type"].startswith("application/fhir+json")
    response = QuestionnaireResponse.parse_raw(fhir.text)
    assert response.id == entry["id"]
    # Delivered once each, however long the worker keeps running.
    time.sleep(3)
    assert len(slack_posts_naming(slack_webhook, "Ana Rest")) == 1


def test_the_staff_api_needs_the_token(clinic: LocalAssistant) -> None:
    assert requests.get(f"{clinic.url}/staff/referrals", timeout=30).status_code == 401
    assert staff_get(clinic, "referrals", token="wrong-token-wrong-token").status_code == 401
    assert staff_get(clinic, "referrals/unknown/fhir", token="").status_code == 401
    assert staff_get(clinic, "referrals/unknown/fhir").status_code == 404


def test_no_at_the_consent_question_shares_nothing(
    clinic: LocalAssistant, slack_webhook: RecordingWebhook
) -> None:
    sender = f"referral-{uuid.uuid4().hex[:8]}"
    clinic.send(sender, "i want to talk to a real person")
    refused = texts(clinic.send(sender, "/deny"))
    assert "nothing has been shared" in refused
    # Even a name typed afterwards is just a message: no referral exists for this sender.
    clinic.send(sender, "Bo Refused")
    listed = staff_get(clinic, "referrals").json()["referrals"]
    assert all((item.get("summary") or {}).get("sender_id") != sender for item in listed)
    assert not slack_posts_naming(slack_webhook, sender)


def test_stop_while_giving_details_shares_nothing(clinic: LocalAssistant) -> None:
    sender = f"referral-{uuid.uuid4().hex[:8]}"
    clinic.send(sender, "book an appointment")
    clinic.send(sender, "/affirm")
    clinic.send(sender, "Cy Jones")
    assert "nothing has been shared" in texts(clinic.send(sender, "stop"))
    listed = staff_get(clinic, "referrals").json()["referrals"]
    assert all((item.get("summary") or {}).get("sender_id") != sender for item in listed)


def test_a_red_flag_while_giving_details_wins_and_the_referral_is_urgent(
    clinic: LocalAssistant, slack_webhook: RecordingWebhook
) -> None:
    sender = f"referral-{uuid.uuid4().hex[:8]}"
    clinic.send(sender, "book an appointment")
    clinic.send(sender, "/affirm")
    alert = texts(clinic.send(sender, "i suddenly can't control my bladder"))
    assert "911" in alert  # the escalation comes first
    assert "What name should" in alert  # then the referral goes on
    clinic.send(sender, "Di Urgent")
    clinic.send(sender, "di.urgent@example.com")
    done = texts(clinic.send(sender, "any time"))
    assert "marked urgent" in done
    posts = wait_for(lambda: slack_posts_naming(slack_webhook, "Di Urgent"), "Slack post")
    assert "URGENT" in json.dumps(posts[0])
    entry = referral_of(clinic, "Di Urgent")
    assert entry["urgent"] is True and entry["triage_level"] == "emergency"


def test_a_referral_over_the_widget_with_an_email_gets_the_patient_a_copy_by_email(
    clinic: LocalAssistant, inbox: RecordingSmtp
) -> None:
    tab = WidgetClient(clinic)
    try:
        session_id = tab.request_session(None)
        for message in ["can someone call me back", "/affirm", "Eve Widget", "eve@example.com"]:
            seen = len(tab.replies)
            tab.say({"message": message, "session_id": session_id})
            wait_until(lambda seen=seen: len(tab.replies) > seen, f"reply to {message!r}")
            time.sleep(1)
        tab.say({"message": "evenings", "session_id": session_id})
        wait_until(lambda: "Here is a copy" in tab.texts(), "the patient's copy")
        assert PROMISE in tab.texts()
    finally:
        tab.close()
    copies = wait_for(lambda: mails_to(inbox, "eve@example.com"), "the patient's email copy")
    body = copies[0].get_body(("plain",)).get_content()
    assert "Best time: evenings" in body
    assert not list(copies[0].iter_attachments())


def test_a_referral_over_telegram_with_the_consent_button(
    clinic: LocalAssistant, telegram_api: RecordingApi, slack_webhook: RecordingWebhook
) -> None:
    chat_id = new_chat_id()

    def deliver(update: Dict[str, Any]) -> None:
        status = requests.post(
            f"{clinic.url}/webhooks/telegram/webhook",
            json=update,
            headers={SECRET_HEADER: TELEGRAM_SECRET},
            timeout=60,
        ).status_code
        assert status == 200

    deliver(message_update(chat_id, "can someone ring me back please"))
    deliver(button_press_update(chat_id, "/affirm"))
    deliver(message_update(chat_id, "Flo Telegram"))
    deliver(message_update(chat_id, "+44 7911 123457"))
    deliver(message_update(chat_id, "after 5pm"))
    said = "\n".join(str(call.get("text", "")) for call in sent_to(telegram_api, chat_id))
    assert PROMISE in said and "Here is a copy" in said
    wait_for(lambda: slack_posts_naming(slack_webhook, "Flo Telegram"), "Slack post")


def test_deleting_my_data_removes_the_referral_content(
    clinic: LocalAssistant, slack_webhook: RecordingWebhook
) -> None:
    sender = f"referral-{uuid.uuid4().hex[:8]}"
    for message in ["book an appointment", "/affirm", "Gus Brown", "07911 123458", "mornings"]:
        clinic.send(sender, message)
    entry = referral_of(clinic, "Gus Brown")
    wait_for(lambda: slack_posts_naming(slack_webhook, "Gus Brown"), "Slack post")
    clinic.send(sender, "delete my data")
    clinic.send(sender, "/confirm_delete_my_data")
    listed = staff_get(clinic, "referrals").json()["referrals"]
    kept = [item for item in listed if item["id"] == entry["id"]]
    assert len(kept) == 1 and kept[0]["erased"] is True and kept[0]["summary"] is None
    assert "Gus Brown" not in json.dumps(listed)
    assert staff_get(clinic, f"referrals/{entry['id']}/fhir").status_code == 404


def test_after_an_alert_the_contact_button_offers_an_urgent_referral(
    clinic: LocalAssistant,
) -> None:
    sender = f"referral-{uuid.uuid4().hex[:8]}"
    alert = clinic.send(sender, "I have a high fever and my hip hurts")
    payloads = {button["payload"] for message in alert for button in message.get("buttons", [])}
    assert "/request_appointment" in payloads  # "Contact the clinic"
    offer = texts(clinic.send(sender, "/request_appointment"))
    assert "marked urgent" in offer and "does not replace getting help now" in offer
    assert "Shall I share it with them?" in offer
