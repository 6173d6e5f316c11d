"""Tests for referrals/delivery.py against real parts on 127.0.0.1: a recording Slack webhook
(an HTTP server), a real SMTP server (aiosmtpd), and the outbox on SQLite and PostgreSQL.

Time is stepped through the `now` parameter, never slept through."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from typing import Iterator, List

import pytest
import sqlalchemy as sa

from core.clinic import get_clinic_settings
from referrals.delivery import (
    DeliveryWorker,
    SlackWebhookSender,
    SmtpSender,
    senders_from_settings,
)
from referrals.outbox import Outbox, new_referral_id
from referrals.settings import DeliverySettings
from referrals.summary import NOT_A_DIAGNOSIS
from referrals.tables import DELIVERED, PENDING
from scripts.local_services import scratch_database
from tests.support.referrals import (
    PATIENT_EMAIL,
    PATIENT_NAME,
    PATIENT_PHONE,
    PREFERRED_TIME,
    T0,
    delivery_rows,
    fhir_of,
    make_summary,
    store_referral,
)
from tests.support.staff_channels import RecordingSmtp, RecordingWebhook, free_port

STAFF = ("frontdesk@clinic.example", "physio@clinic.example")


@pytest.fixture(scope="module")
def webhook_server() -> Iterator[RecordingWebhook]:
    server = RecordingWebhook().start()
    yield server
    server.stop()  # takes half a second: once for the module, not per test


@pytest.fixture
def webhook(webhook_server: RecordingWebhook) -> RecordingWebhook:
    webhook_server.reset()
    return webhook_server


@pytest.fixture
def smtp() -> Iterator[RecordingSmtp]:
    server = RecordingSmtp().start()
    yield server
    server.stop()


def settings_for(smtp_port: int, webhook_url: str = "", **extra: str) -> DeliverySettings:
    return DeliverySettings.from_environment(
        {
            "STAFF_SLACK_WEBHOOK_URL": webhook_url,
            "STAFF_EMAIL_TO": ",".join(STAFF),
            "SMTP_URL": f"smtp://127.0.0.1:{smtp_port}",
            "SMTP_FROM": "assistant@clinic.example",
            **extra,
        }
    )


def test_a_webhook_that_fails_twice_gets_the_referral_once_after_the_backoff(
    outbox: Outbox, webhook: RecordingWebhook
) -> None:
    referral_id = store_referral(outbox, ("slack",), urgent=True)
    worker = DeliveryWorker(
        outbox, {"slack": SlackWebhookSender(webhook.url)}, settings=DeliverySettings()
    )
    webhook.fail_next(2)
    assert worker.deliver_due(now=T0) == 0  # 500: retry in 30 s (+ up to 10 %)
    assert worker.deliver_due(now=T0 + 29) == 0 and webhook.refused == 1  # not yet due
    assert worker.deliver_due(now=T0 + 34) == 0  # 500 again: retry in 60 s
    assert worker.deliver_due(now=T0 + 34 + 59) == 0 and webhook.refused == 2
    assert worker.deliver_due(now=T0 + 34 + 67) == 1
    assert worker.deliver_due(now=T0 + 10_000) == 0  # delivered is final

    [body] = webhook.accepted
    assert body["text"] == f"URGENT referral: {PATIENT_NAME}"
    assert PREFERRED_TIME in json.dumps(body["blocks"])
    row = delivery_rows(outbox)[(referral_id, "slack")]
    assert (row.status, row.attempts, row.last_error) == (DELIVERED, 3, "WebhookRejectedError")
    assert row.delivered_at == T0 + 34 + 67


def test_staff_email_carries_the_summary_and_the_fhir_form_and_the_patient_gets_a_copy(
    outbox: Outbox, smtp: RecordingSmtp
) -> None:
    referral_id = store_referral(outbox, ("email",), urgent=True, patient_email=PATIENT_EMAIL)
    settings = settings_for(smtp.port)
    worker = DeliveryWorker(outbox, senders_from_settings(settings), settings=settings)
    assert worker.deliver_due(now=T0) == 2

    mails = {tuple(mail.recipients): mail for mail in smtp.messages}
    assert set(mails) == {STAFF, (PATIENT_EMAIL,)}
    staff = mails[STAFF].message
    assert staff["Subject"] == "[URGENT] Referral from the chat assistant"
    assert staff["From"] == "assistant@clinic.example"
    # Nothing of the patient's in any header staff mail carries.
    headers = " ".join(f"{name}: {value}" for name, value in staff.items())
    assert PATIENT_NAME not in headers and PATIENT_PHONE not in headers
    body = staff.get_body(preferencelist=("plain",)).get_content()
    assert PATIENT_NAME in body and PATIENT_PHONE in body and NOT_A_DIAGNOSIS in body
    [attachment] = list(staff.iter_attachments())
    assert attachment.get_content_type() == "application/fhir+json"
    assert attachment.get_filename() == f"referral-{referral_id}.fhir.json"
    assert json.loads(attachment.get_content()) == json.loads(fhir_of(referral_id))

    patient = mails[(PATIENT_EMAIL,)].message
    assert patient["To"] == PATIENT_EMAIL
    assert patient["Subject"] == f"Your request to {get_clinic_settings().name}"
    assert PREFERRED_TIME in patient.get_content() and not list(patient.iter_attachments())
    assert NOT_A_DIAGNOSIS not in patient.get_content()  # the patient's words, not staff's


def test_a_routine_staff_email_has_the_plain_subject(outbox: Outbox, smtp: RecordingSmtp) -> None:
    store_referral(outbox, ("email",))
    settings = settings_for(smtp.port)
    DeliveryWorker(outbox, senders_from_settings(settings), settings=settings).deliver_due(T0)
    [mail] = smtp.messages
    assert mail.message["Subject"] == "Referral from the chat assistant"


def test_mail_waits_while_the_server_is_down_and_goes_once_when_it_is_back(
    outbox: Outbox,
) -> None:
    port = free_port()  # nothing listens here yet
    referral_id = store_referral(outbox, ("email",))
    settings = settings_for(port)
    worker = DeliveryWorker(outbox, senders_from_settings(settings), settings=settings)
    assert worker.deliver_due(now=T0) == 0
    row = delivery_rows(outbox)[(referral_id, "email")]
    assert (row.status, row.attempts, row.last_error) == (PENDING, 1, "ConnectionRefusedError")

    server = RecordingSmtp(port).start()
    try:
        assert worker.deliver_due(now=T0 + 1) == 0  # back, but the retry is not due yet
        assert server.messages == []
        assert worker.deliver_due(now=T0 + 34) == 1
        assert worker.deliver_due(now=T0 + 10_000) == 0
        assert len(server.messages) == 1
    finally:
        server.stop()
    row = delivery_rows(outbox)[(referral_id, "email")]
    assert (row.status, row.attempts) == (DELIVERED, 2)


def test_starttls_is_required_when_set_so_a_server_without_it_gets_nothing(
    outbox: Outbox, smtp: RecordingSmtp
) -> None:
    referral_id = store_referral(outbox, ("email",))
    settings = settings_for(smtp.port, SMTP_STARTTLS="true")
    worker = DeliveryWorker(outbox, senders_from_settings(settings), settings=settings)
    assert worker.deliver_due(now=T0) == 0
    assert smtp.messages == []
    row = delivery_rows(outbox)[(referral_id, "email")]
    assert (row.status, row.attempts, row.last_error) == (PENDING, 1, "SMTPNotSupportedError")


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_the_smtp_login_is_used_when_the_url_has_one(outbox: Outbox) -> None:
    server = RecordingSmtp(login=("mailer@clinic", "p@ss:w0rd")).start()
    try:
        store_referral(outbox, ("email",))
        settings = settings_for(
            server.port, SMTP_URL=f"smtp://mailer%40clinic:p%40ss%3Aw0rd@127.0.0.1:{server.port}"
        )
        worker = DeliveryWorker(outbox, senders_from_settings(settings), settings=settings)
        assert worker.deliver_due(now=T0) == 1
        assert server.logins == [("mailer@clinic", "p@ss:w0rd")] and len(server.messages) == 1
    finally:
        server.stop()


def test_a_channel_without_a_sender_stays_pending_and_is_logged_once(
    outbox: Outbox, webhook: RecordingWebhook, caplog: pytest.LogCaptureFixture
) -> None:
    referral_id = store_referral(outbox, ("slack", "email"))
    worker = DeliveryWorker(outbox, {"slack": SlackWebhookSender(webhook.url)})
    with caplog.at_level(logging.WARNING, logger="referrals"):
        assert worker.deliver_due(now=T0) == 1
        assert worker.deliver_due(now=T0 + 3600) == 0
    assert delivery_rows(outbox)[(referral_id, "email")].status == PENDING
    assert delivery_rows(outbox)[(referral_id, "email")].attempts == 0
    assert [record.getMessage() for record in caplog.records] == [
        "Referrals wait for the email channel, which is not configured: they stay pending "
        "until it is."
    ]


def test_failed_deliveries_are_logged_without_anything_the_patient_said(
    outbox: Outbox, webhook: RecordingWebhook, caplog: pytest.LogCaptureFixture
) -> None:
    referral_id = store_referral(outbox, ("slack", "email"), patient_email=PATIENT_EMAIL)
    settings = settings_for(free_port(), webhook.url)
    worker = DeliveryWorker(outbox, senders_from_settings(settings), settings=settings)
    webhook.fail_next(1)
    # Every logger at INFO, as the servers run (urllib3's DEBUG lines name the webhook's URL).
    with caplog.at_level(logging.INFO):
        assert worker.deliver_due(now=T0) == 0
    failures = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert len(failures) == 3
    assert all(referral_id in record.getMessage() for record in failures)
    logged = caplog.text + " ".join(str(record.args) for record in caplog.records)
    for patient_text in (PATIENT_NAME, PATIENT_PHONE, PATIENT_EMAIL, PREFERRED_TIME, "groin"):
        assert patient_text not in logged
    assert "secretpath" not in logged  # nor the webhook's key


def test_senders_follow_the_settings(smtp: RecordingSmtp) -> None:
    assert senders_from_settings(DeliverySettings()) == {}
    every = senders_from_settings(settings_for(smtp.port, "https://hooks.slack.com/services/x"))
    assert set(every) == {"slack", "email", "patient_email"}
    assert isinstance(every["email"], SmtpSender) and every["email"] is every["patient_email"]
    patient_only = DeliverySettings.from_environment(
        {"SMTP_URL": "smtp://127.0.0.1", "SMTP_FROM": "assistant@clinic.example"}
    )
    assert set(senders_from_settings(patient_only)) == {"patient_email"}


def test_two_workers_on_postgresql_deliver_every_referral_once_per_channel(
    webhook: RecordingWebhook, smtp: RecordingSmtp
) -> None:
    with scratch_database("delivery") as url:
        setup = Outbox.open({"DATABASE_URL": url})
        setup.create_tables()
        ids = [
            store_referral(
                setup, ("slack", "email"), sender_id=f"c-{n}", patient_email=PATIENT_EMAIL
            )
            for n in range(20)
        ]
        settings = settings_for(smtp.port, webhook.url)
        errors: List[BaseException] = []
        start = threading.Barrier(2)

        def work(worker_id: str) -> None:
            outbox = Outbox.open({"DATABASE_URL": url})
            worker = DeliveryWorker(
                outbox, senders_from_settings(settings), worker_id, settings, batch_size=4
            )
            try:
                start.wait(timeout=10)
                for _ in range(60):  # bounded: 60 deliveries, at most 4 a round
                    if not worker.deliver_due(now=T0) and not outbox.pending_channels():
                        break
            except BaseException as error:  # noqa: B036 (reported below)
                errors.append(error)
            finally:
                outbox.close()

        threads = [threading.Thread(target=work, args=(name,)) for name in ("a", "b")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        rows = delivery_rows(setup)
        setup.close()
    assert errors == []
    assert all(row.status == DELIVERED and row.attempts == 1 for row in rows.values())
    assert len(rows) == 60
    assert {row.claimed_by for row in rows.values()} == {None}
    slack_ids = [
        block["elements"][0]["text"].rsplit(" ", 1)[-1]
        for body in webhook.accepted
        for block in body["blocks"]
        if block["type"] == "context"
    ]
    assert sorted(slack_ids) == sorted(ids)
    staff_mail = [mail for mail in smtp.messages if tuple(mail.recipients) == STAFF]
    patient_mail = [mail for mail in smtp.messages if mail.recipients == [PATIENT_EMAIL]]
    attached = [next(mail.message.iter_attachments()).get_filename() for mail in staff_mail]
    assert sorted(attached) == sorted(f"referral-{referral_id}.fhir.json" for referral_id in ids)
    assert len(patient_mail) == 20 and len(smtp.messages) == 40


def test_the_running_worker_delivers_when_woken_and_survives_a_failed_round(
    outbox: Outbox, webhook: RecordingWebhook, caplog: pytest.LogCaptureFixture
) -> None:
    class FlakyOutbox(Outbox):
        failures = 1

        def pending_channels(self) -> List[str]:
            if self.failures:
                self.failures -= 1
                raise sa.exc.OperationalError("SELECT", {}, ConnectionError())
            return super().pending_channels()

    flaky = FlakyOutbox(outbox.engine)
    worker = DeliveryWorker(flaky, {"slack": SlackWebhookSender(webhook.url)})

    async def scenario() -> None:
        stop = asyncio.Event()
        running = asyncio.create_task(worker.run(stop, poll_seconds=60))
        await asyncio.sleep(0.2)  # the first round fails; the worker waits for its next poll
        outbox.store(new_referral_id(), make_summary(), "{}", ["slack"])
        worker.wake()
        for _ in range(100):  # bounded: 10 s at most
            if webhook.accepted:
                break
            await asyncio.sleep(0.1)
        stop.set()
        await asyncio.wait_for(running, timeout=10)

    with caplog.at_level(logging.ERROR, logger="referrals"):
        asyncio.run(scenario())
    assert len(webhook.accepted) == 1  # at once, not after the 60 s poll
    assert [record.getMessage() for record in caplog.records] == [
        "Referral delivery round failed (OperationalError)."
    ]
