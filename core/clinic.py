"""Clinic settings, read once from the environment (see README, "Configuration")."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from typing import Any, Dict, Mapping, Optional

from core.settings import DEFAULT_RETENTION_DAYS, retention_days

DEFAULT_CALLBACK_PROMISE = "as soon as they can"
DEFAULT_PHONE_REGION = "US"
DEFAULT_EMERGENCY_NUMBER = (
    "your local emergency number (911 in the US and Canada, 999 in the UK, 112 in the EU)"
)


@dataclass(frozen=True)
class ClinicSettings:
    """Who the assistant speaks for, how patients reach them, and how long chats are kept."""

    name: str = "the clinic"
    phone: Optional[str] = None
    booking_url: Optional[str] = None
    opening_hours: Optional[str] = None
    # Practical details patients ask about; each unset one is simply not mentioned.
    address: Optional[str] = None
    email: Optional[str] = None
    prices: Optional[str] = None
    insurance: Optional[str] = None
    parking: Optional[str] = None
    emergency_number: str = DEFAULT_EMERGENCY_NUMBER
    # Where to get urgent advice at any hour (e.g. "NHS 111 (call 111 or visit 111.nhs.uk)");
    # unset, the line that names it is left out of the advice.
    urgent_care: Optional[str] = None
    retention_days: float = DEFAULT_RETENTION_DAYS
    # When staff get back to a patient who asked to be contacted (e.g. "within one working
    # day"); said only once the referral is stored.
    callback_promise: str = DEFAULT_CALLBACK_PROMISE
    # The country whose national phone numbers patients type without a +code (ISO 3166, "GB").
    phone_region: str = DEFAULT_PHONE_REGION

    @classmethod
    def from_environment(cls, environment: Mapping[str, str] = os.environ) -> ClinicSettings:
        """Settings from CLINIC_* variables and RETENTION_DAYS; blank or unset ones keep their
        defaults. A RETENTION_DAYS that is not a positive number is refused, as the purge refuses
        it: the assistant must not tell patients a period that is not applied."""

        def read(name: str) -> Optional[str]:
            value = environment.get(name, "").strip()
            return value or None

        return cls(
            name=read("CLINIC_NAME") or cls.name,
            phone=read("CLINIC_PHONE"),
            booking_url=read("CLINIC_BOOKING_URL"),
            opening_hours=read("CLINIC_OPENING_HOURS"),
            address=read("CLINIC_ADDRESS"),
            email=read("CLINIC_EMAIL"),
            prices=read("CLINIC_PRICES"),
            insurance=read("CLINIC_INSURANCE"),
            parking=read("CLINIC_PARKING"),
            emergency_number=read("CLINIC_EMERGENCY_NUMBER") or cls.emergency_number,
            urgent_care=read("CLINIC_URGENT_CARE"),
            # Read as the purge reads it, so patients are told the period that is applied.
            retention_days=retention_days(environment),
            callback_promise=read("CLINIC_CALLBACK_PROMISE") or cls.callback_promise,
            phone_region=(read("CLINIC_PHONE_REGION") or cls.phone_region).upper(),
        )

    def session_slots(self) -> Dict[str, Any]:
        """The slots every session starts with, whoever starts it (the action server's
        action_session_start, or the Rasa server when the action server is down)."""
        return {
            "clinic_name": self.name,
            "emergency_number": self.emergency_number,
            "urgent_care": self.urgent_care,
            # For the reply to a message in another language (utter_other_language).
            "clinic_phone": self.phone,
            "clinic_phone_known": self.phone is not None,
        }

    @property
    def name_to_start_a_sentence(self) -> str:
        """The clinic's name with a capital first letter ("the clinic" -> "The clinic")."""
        return self.name[:1].upper() + self.name[1:]


@functools.lru_cache(maxsize=1)
def get_clinic_settings() -> ClinicSettings:
    """The settings of this process, read from the environment once."""
    return ClinicSettings.from_environment()
