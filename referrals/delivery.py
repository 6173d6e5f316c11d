"""Delivering stored referrals: the staff Slack webhook, staff email with the FHIR form attached,
and the patient's own copy by email; and the worker that sends what the outbox has due.

Logs name a referral by its id, a channel, an attempt number and an error's TYPE only: an
exception's message (an SMTP reply, an HTTP error) may echo patient text.
"""

from __future__ import annotations

import asyncio
import logging
import os
import smtplib
import socket
import ssl
import time
import uuid
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Dict, Mapping, Optional, Protocol, Set

import requests

from core.clinic import get_clinic_settings
from referrals.outbox import Delivery, Outbox
from referrals.settings import DeliverySettings
from referrals.slack_message import slack_message
from referrals.summary import clinician_text, patient_copy
from referrals.tables import PATIENT_EMAIL

logger = logging.getLogger(__name__)

SMTP_TIMEOUT_SECONDS = 10
# How long a claimed delivery is this worker's alone (renewed before each send): well over one
# send (each network wait is at most 10 s), short enough that when a worker dies holding claims
# another takes them over within a minute.
LEASE_SECONDS = 60
STAFF_SUBJECT = "Referral from the chat assistant"


class Sender(Protocol):
    def send(self, delivery: Delivery) -> None:
        """Sends one delivery; raises when it was not accepted."""


class WebhookRejectedError(Exception):
    """The Slack webhook answered with a status other than 2xx."""


class MissingRecipientError(Exception):
    """A patient copy without an address (erased while it was being sent)."""


class SlackWebhookSender:
    """Posts a referral to the staff channel's Slack incoming webhook."""

    def __init__(self, url: str, timeout: float = 10) -> None:
        self.url = url
        self.timeout = timeout

    def send(self, delivery: Delivery) -> None:
        response = requests.post(
            self.url,
            json=slack_message(delivery.referral_id, delivery.summary),
            timeout=self.timeout,
            allow_redirects=False,
        )
        if not 200 <= response.status_code < 300:
            raise WebhookRejectedError(f"status {response.status_code}")

    def __repr__(self) -> str:
        return "SlackWebhookSender(<webhook>)"  # the URL's path is its key


class SmtpSender:
    """Sends staff email (the summary, the FHIR form attached) and the patient's copy."""

    def __init__(self, settings: DeliverySettings) -> None:
        if settings.smtp is None or settings.smtp_from is None:
            raise ValueError("SmtpSender needs SMTP_URL and SMTP_FROM")
        self.settings = settings

    def message(self, delivery: Delivery) -> EmailMessage:
        """The email for a delivery: no patient text in any header but the patient's own To."""
        message = EmailMessage()
        message["From"] = self.settings.smtp_from
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain=self.settings.smtp_from.rsplit("@", 1)[-1])
        if delivery.channel == PATIENT_EMAIL:
            if not delivery.recipient:
                raise MissingRecipientError()
            message["To"] = delivery.recipient
            message["Subject"] = f"Your request to {get_clinic_settings().name}"
            message.set_content(patient_copy(delivery.summary))
            return message
        message["To"] = ", ".join(self.settings.staff_email_to)
        message["Subject"] = f"[URGENT] {STAFF_SUBJECT}" if delivery.urgent else STAFF_SUBJECT
        message.set_content(clinician_text(delivery.summary))
        message.add_attachment(
            delivery.fhir_json.encode("utf-8"),
            maintype="application",
            subtype="fhir+json",
            filename=f"referral-{delivery.referral_id}.fhir.json",
        )
        return message

    def send(self, delivery: Delivery) -> None:
        message = self.message(delivery)
        server = self.settings.smtp
        assert server is not None
        with smtplib.SMTP(server.host, server.port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
            if self.settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if server.user:
                smtp.login(server.user, server.password or "")
            smtp.send_message(message)


def senders_from_settings(settings: DeliverySettings) -> Dict[str, Sender]:
    """A sender for every channel the settings turn on."""
    senders: Dict[str, Sender] = {}
    if settings.slack_on:
        assert settings.slack_webhook_url is not None
        senders["slack"] = SlackWebhookSender(settings.slack_webhook_url)
    if settings.patient_email_on:
        smtp = SmtpSender(settings)
        senders[PATIENT_EMAIL] = smtp
        if settings.email_on:
            senders["email"] = smtp
    return senders


def default_worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


class DeliveryWorker:
    """Sends the outbox's due deliveries with each channel's sender, retrying failures later.

    Several workers (one per action-server replica) may share one outbox: each delivery is
    claimed by one of them at a time."""

    def __init__(
        self,
        outbox: Outbox,
        senders: Mapping[str, Sender],
        worker_id: Optional[str] = None,
        settings: Optional[DeliverySettings] = None,
        lease_seconds: float = LEASE_SECONDS,
        batch_size: int = 20,
    ) -> None:
        self.outbox = outbox
        self.senders = dict(senders)
        self.worker_id = worker_id or default_worker_id()
        self.settings = settings or DeliverySettings()
        self.lease_seconds = lease_seconds
        self.batch_size = batch_size
        self._unsent_channels_logged: Set[str] = set()
        self._woken = asyncio.Event()

    def deliver_due(self, now: Optional[float] = None) -> int:
        """Sends every delivery due at `now` that this worker claims; returns how many were
        delivered."""
        self._log_channels_without_sender()
        if not self.senders:
            return 0
        delivered = 0
        for delivery in self.outbox.claim_due(
            self.worker_id,
            now=now,
            limit=self.batch_size,
            lease_seconds=self.lease_seconds,
            channels=sorted(self.senders),
        ):
            if self._send(delivery, now):
                delivered += 1
        return delivered

    def _send(self, delivery: Delivery, now: Optional[float]) -> bool:
        # A full lease for this send: the batch's earlier sends may have used up the claim's.
        at = time.time() if now is None else now
        if not self.outbox.renew_claim(delivery, self.worker_id, at, self.lease_seconds):
            return False
        attempt = delivery.attempts + 1
        try:
            self.senders[delivery.channel].send(delivery)
        except Exception as error:
            logger.warning(
                "Referral %s: %s delivery attempt %d failed (%s); it will be tried again.",
                delivery.referral_id,
                delivery.channel,
                attempt,
                type(error).__name__,
            )
            self.outbox.mark_failed(
                delivery,
                self.worker_id,
                type(error).__name__,
                self.settings.retry_seconds,
                self.settings.retry_max_seconds,
                now=now,
            )
            return False
        self.outbox.mark_delivered(delivery, self.worker_id, now=now)
        logger.info(
            "Referral %s: delivered by %s (attempt %d).",
            delivery.referral_id,
            delivery.channel,
            attempt,
        )
        return True

    def _log_channels_without_sender(self) -> None:
        for channel in self.outbox.pending_channels():
            if channel not in self.senders and channel not in self._unsent_channels_logged:
                self._unsent_channels_logged.add(channel)
                logger.warning(
                    "Referrals wait for the %s channel, which is not configured: they stay "
                    "pending until it is.",
                    channel,
                )

    def wake(self) -> None:
        """Delivers now instead of at the next poll (call it from the event loop, after storing
        a referral)."""
        self._woken.set()

    async def run(self, stop: asyncio.Event, poll_seconds: float = 5.0) -> None:
        """Delivers what is due every `poll_seconds` (or at once when woken) until `stop` is
        set; a failed round is logged (its error type) and the next one runs as usual."""
        while not stop.is_set():
            self._woken.clear()
            try:
                await asyncio.to_thread(self.deliver_due)
            except Exception as error:
                logger.error("Referral delivery round failed (%s).", type(error).__name__)
            waits = [asyncio.create_task(stop.wait()), asyncio.create_task(self._woken.wait())]
            try:
                await asyncio.wait(waits, timeout=poll_seconds, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for wait in waits:
                    wait.cancel()
