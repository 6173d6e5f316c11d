"""Tests for referrals/contact_details.py: names, phone numbers and email addresses as patients
type them, checked by phonenumbers and email-validator."""

from __future__ import annotations

import pytest

from referrals.contact_details import (
    find_contact_details,
    read_name,
    read_preferred_time,
)


@pytest.mark.parametrize(
    ("text", "region", "phone", "email"),
    [
        ("(212) 555-0134", "US", "+12125550134", None),
        ("call me on 212 555 0134 please", "US", "+12125550134", None),
        ("07911 123456", "GB", "+447911123456", None),
        ("+44 7911 123456", "US", "+447911123456", None),
        ("ana.lopez@example.com", "US", None, "ana.lopez@example.com"),
        ("my email is Ana@Example.COM.", "US", None, "Ana@example.com"),
        ("212 555 0134 or ana@example.org", "US", "+12125550134", "ana@example.org"),
    ],
)
def test_phone_numbers_and_addresses_are_found_and_normalised(
    text: str, region: str, phone: str | None, email: str | None
) -> None:
    details = find_contact_details(text, region)
    assert (details.phone, details.email) == (phone, email)
    assert details.found


@pytest.mark.parametrize(
    "text",
    [
        "hello",
        "12345",  # too short to be anyone's number
        "555-0100",  # no area code
        "07911 123456",  # a UK mobile, read as a US number
        "ana@",
        "ana@example",  # no domain
        "not telling",
    ],
)
def test_what_is_not_a_number_or_an_address_is_not_taken(text: str) -> None:
    assert not find_contact_details(text, "US").found


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Ana Lopez", "Ana Lopez"),
        ("I'm Ana", "Ana"),
        ("my name is  Ana   Lopez.", "Ana Lopez"),
        ("call me Jo", "Jo"),
        ("Seán Ó Briain", "Seán Ó Briain"),
    ],
)
def test_a_name_is_read_from_the_answer(text: str, name: str) -> None:
    assert read_name(text) == name


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "what is this for?",
        "07911 123456",
        "ana@example.com",
        "x" * 81,
        "...",
        "I would rather not tell you my name at all",
    ],
)
def test_an_answer_that_is_not_a_name_is_refused(text: str) -> None:
    assert read_name(text) is None


def test_a_preferred_time_is_kept_in_the_patients_words_within_a_limit() -> None:
    assert read_preferred_time("  weekday   mornings ") == "weekday mornings"
    assert read_preferred_time("") is None
    assert read_preferred_time("x" * 201) is None
