"""The referral service of the action server process: stores consented referrals in the outbox
and runs the delivery worker beside the actions (started by `rasa_sdk_plugins`).

One outbox and one worker per process, opened on first use from the environment, so the
actions, the worker and the tests of a process share them.
"""

from __future__ import annotations

import asyncio
import logging
from functools import cache
from typing import Optional

from referrals.delivery import DeliveryWorker, senders_from_settings
from referrals.fhir import questionnaire_response_json
from referrals.outbox import Outbox, new_referral_id
from referrals.settings import DeliverySettings
from referrals.summary import ReferralSummary

logger = logging.getLogger(__name__)


class ReferralNotStoredError(RuntimeError):
    """The referral could not be written to the outbox: nothing will be sent."""


@cache
def delivery_settings() -> DeliverySettings:
    return DeliverySettings.from_environment()


@cache
def outbox() -> Outbox:
    """This process's outbox, its tables created if they are missing."""
    opened = Outbox.open()
    opened.create_tables()
    return opened


def referrals_available() -> bool:
    """True when staff can receive a referral: Slack, email or the staff API is on."""
    settings = delivery_settings()
    return bool(settings.staff_channels()) or settings.staff_api_on


def delivery_channels_on() -> bool:
    """True when the worker has somewhere to send referrals (Slack, staff or patient email)."""
    return bool(senders_from_settings(delivery_settings()))


def patient_email_available() -> bool:
    return delivery_settings().patient_email_on


_worker: Optional[DeliveryWorker] = None


def delivery_worker() -> DeliveryWorker:
    global _worker
    if _worker is None:
        settings = delivery_settings()
        _worker = DeliveryWorker(outbox(), senders_from_settings(settings), settings=settings)
    return _worker


def _store(summary: ReferralSummary) -> str:
    referral_id = new_referral_id()
    settings = delivery_settings()
    outbox().store(
        referral_id,
        summary,
        questionnaire_response_json(summary, referral_id),
        settings.staff_channels(),
        patient_email=summary.contact.email if settings.patient_email_on else None,
    )
    return referral_id


async def store_referral(summary: ReferralSummary) -> str:
    """Stores the referral and its deliveries in one transaction, then wakes the worker;
    returns its id. Raises ReferralNotStoredError when the database did not take it."""
    try:
        referral_id = await asyncio.to_thread(_store, summary)
    except Exception as error:  # noqa: BLE001 - any failure means "not stored"
        logger.error("A referral could not be stored (%s).", type(error).__name__)
        raise ReferralNotStoredError() from None
    if _worker is not None:
        _worker.wake()
    return referral_id
