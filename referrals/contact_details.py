"""A patient's name, phone number and email address as typed in a chat, checked with maintained
libraries (phonenumbers: Google's libphonenumber; email-validator) rather than our own patterns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

import phonenumbers
from email_validator import EmailNotValidError, validate_email

# Something shaped like an address; email-validator then decides whether it is one.
EMAIL_CANDIDATE = re.compile(r"[^\s<>(),;:\"']+@[^\s<>(),;:\"']+")
LONGEST_NAME = 80
MOST_WORDS_IN_A_NAME = 6
LONGEST_PREFERRED_TIME = 200
# "I'm Ana", "my name is Ana Lopez", "it's Ana", "call me Ana".
NAME_INTRODUCTION = re.compile(
    r"^(?:(?:hi|hello|hey)[,!.]?\s+)?(?:my name is|my name's|name is|name's|i am|i'm|im|it's|it is|"
    r"this is|call me|you can call me)\s+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ContactDetails:
    """The ways to reach a patient found in one message: a phone number in E.164 form and/or a
    normalised email address."""

    phone: Optional[str] = None
    email: Optional[str] = None

    @property
    def found(self) -> bool:
        return bool(self.phone or self.email)


def find_email(text: str) -> Optional[str]:
    """The first valid email address in `text`, normalised; None when there is none. No DNS
    look-up: a chat must not wait on the network, and staff can still call."""
    for candidate in EMAIL_CANDIDATE.findall(text):
        try:
            return validate_email(candidate.rstrip("."), check_deliverability=False).normalized
        except EmailNotValidError:
            continue
    return None


def find_phone(text: str, region: str) -> Optional[str]:
    """The first valid phone number in `text` (national numbers read as `region`'s, e.g. "GB"),
    in E.164 form; None when there is none."""
    for match in phonenumbers.PhoneNumberMatcher(text, region):
        if phonenumbers.is_valid_number(match.number):
            return phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
    return None


def find_contact_details(text: str, region: str) -> ContactDetails:
    """The phone number and email address in a message (either, both or neither)."""
    email = find_email(text)
    without_email = EMAIL_CANDIDATE.sub(" ", text)
    return ContactDetails(phone=find_phone(without_email, region), email=email)


def read_name(text: str) -> Optional[str]:
    """The name in an answer to "what name should the clinic use?", or None when the answer
    does not look like a name (a question, digits, a long sentence)."""
    name = NAME_INTRODUCTION.sub("", text.strip()).strip(" .!")
    words = name.split()
    if not words or len(name) > LONGEST_NAME or len(words) > MOST_WORDS_IN_A_NAME:
        return None
    if any(character.isdigit() for character in name) or "?" in name or "@" in name:
        return None
    if not any(character.isalpha() for character in name):
        return None
    return " ".join(words)


def read_preferred_time(text: str) -> Optional[str]:
    """A preferred time in the patient's own words, or None when there is nothing to keep."""
    preferred = " ".join(text.split())
    if not preferred or len(preferred) > LONGEST_PREFERRED_TIME:
        return None
    return preferred
