"""Referrals with two action servers (each runs a delivery worker) on one PostgreSQL database:
stored during a Slack outage, the action server that stored them killed, and still every
referral reaches Slack and the staff inbox exactly once, whichever worker sends it."""

from __future__ import annotations

import json
import signal
import time
import uuid
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest

from scripts.local_servers import LocalAssistant
from scripts.local_services import scratch_database
from tests.support.environment import E2E_ENVIRONMENT
from tests.support.staff_channels import RecordingSmtp, RecordingWebhook, staff_api_get

STAFF_TOKEN = "staff-token-for-the-replica-tests"
STAFF_INBOX = "staff@clinic.example"
NAMES = ["Ann Replica", "Ben Replica", "Cat Replica", "Dan Replica"]
# A worker killed holding a claim leaves it for its lease (60 s) before another takes it.
DELIVERY_TIMEOUT = 100


@pytest.fixture(scope="module")
def environment(slack_webhook: RecordingWebhook, inbox: RecordingSmtp) -> Iterator[Dict[str, str]]:
    with scratch_database("referrals") as url:
        yield {
            **E2E_ENVIRONMENT,
            "DATABASE_URL": url,
            "CLINIC_PHONE_REGION": "GB",
            "STAFF_SLACK_WEBHOOK_URL": slack_webhook.url,
            "STAFF_EMAIL_TO": STAFF_INBOX,
            "SMTP_URL": f"smtp://127.0.0.1:{inbox.port}",
            "SMTP_FROM": "assistant@clinic.example",
            "STAFF_API_TOKEN": STAFF_TOKEN,
            "REFERRAL_RETRY_SECONDS": "1",
            "REFERRAL_RETRY_MAX_SECONDS": "2",
        }


@pytest.fixture(scope="module")
def clinic(
    trained_model: Path, tmp_path_factory: pytest.TempPathFactory, environment: Dict[str, str]
) -> Iterator[LocalAssistant]:
    running = LocalAssistant(
        model=trained_model, workdir=tmp_path_factory.mktemp("referral-a"), environment=environment
    )
    try:
        yield running.start()
    finally:
        running.stop()


@pytest.fixture(scope="module")
def second_action_server(
    trained_model: Path, tmp_path_factory: pytest.TempPathFactory, environment: Dict[str, str]
) -> Iterator[LocalAssistant]:
    """Another action server on the same database: its worker delivers too."""
    replica = LocalAssistant(
        model=trained_model, workdir=tmp_path_factory.mktemp("referral-b"), environment=environment
    )
    try:
        replica.start_action_server()
        yield replica
    finally:
        replica.stop_action_server()


def staff_referrals(clinic: LocalAssistant) -> List[Dict[str, Any]]:
    response = staff_api_get(clinic.url, "referrals", STAFF_TOKEN)
    response.raise_for_status()
    return response.json()["referrals"]


def refer(clinic: LocalAssistant, name: str, phone: str) -> str:
    sender = f"replica-{uuid.uuid4().hex[:8]}"
    for message in ["can someone call me back", "/affirm", name, phone]:
        clinic.send(sender, message)
    done = " ".join(m.get("text", "") for m in clinic.send(sender, "mornings"))
    assert "they will contact you" in done
    return sender


def test_two_workers_deliver_each_referral_once_even_when_one_dies_mid_outage(
    clinic: LocalAssistant,
    second_action_server: LocalAssistant,
    slack_webhook: RecordingWebhook,
    inbox: RecordingSmtp,
) -> None:
    slack_webhook.fail_next(10_000)  # Slack is down while the referrals are made
    for number, name in enumerate(NAMES):
        refer(clinic, name, f"07911 12346{number}")
    stored = [item for item in staff_referrals(clinic) if item["summary"]]
    assert {item["summary"]["contact"]["name"] for item in stored} >= set(NAMES)
    slack_pending = [
        d["status"] for item in stored for d in item["deliveries"] if d["channel"] == "slack"
    ]
    assert set(slack_pending) == {"pending"}  # nothing lost, nothing sent yet

    def emails_status() -> set:
        return {
            d["status"]
            for item in staff_referrals(clinic)
            if item["summary"]
            for d in item["deliveries"]
            if d["channel"] == "email"
        }

    # The mail server is up: the staff emails go out meanwhile. Killing a worker between a
    # send and its record would send that one again (at least once: docs/referrals.md), so the
    # kill waits for them; Slack sends during the outage are refused, never half done.
    deadline = time.monotonic() + DELIVERY_TIMEOUT
    while emails_status() != {"delivered"} and time.monotonic() < deadline:
        time.sleep(0.5)
    assert emails_status() == {"delivered"}

    # The action server that stored them (and whose worker has been retrying Slack) dies.
    clinic.action_server.send_signal(signal.SIGKILL)  # type: ignore[union-attr]
    slack_webhook.fail_next(0)  # Slack is back

    def all_delivered() -> bool:
        posted = json.dumps(slack_webhook.accepted)
        mailed = " ".join(m.message.get_body(("plain",)).get_content() for m in inbox.messages)
        return all(name in posted and name in mailed for name in NAMES)

    deadline = time.monotonic() + DELIVERY_TIMEOUT
    while not all_delivered() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert all_delivered(), "the surviving worker did not deliver every referral"
    time.sleep(4)  # a duplicate would arrive within a couple of retry rounds
    for name in NAMES:
        posts = [body for body in slack_webhook.accepted if name in json.dumps(body)]
        mails = [
            m
            for m in inbox.messages
            if STAFF_INBOX in m.recipients and name in m.message.get_body(("plain",)).get_content()
        ]
        assert (len(posts), len(mails)) == (1, 1), name
