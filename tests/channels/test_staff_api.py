"""Tests for channels/staff_api.py, served in process over a real SQLite outbox: the token is
required, referrals are listed newest first with their delivery status, and each one is readable
as FHIR."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest
from fhir.resources.questionnaire import Questionnaire

from channels.credentials import ChannelConfigurationError, ChannelOff
from channels.staff_api import StaffApiInput
from referrals.fhir import questionnaire_response_json, validate_response_json
from referrals.outbox import Outbox, engine_from_environment, new_referral_id
from referrals.summary import Contact, ReferralSummary
from tests.support.in_process import InProcessApp

TOKEN = "a-staff-token-long-enough"
BEARER = {"Authorization": f"Bearer {TOKEN}"}


def summary(name: str, urgent: bool = False) -> ReferralSummary:
    return ReferralSummary(
        sender_id=f"sender-{name}",
        reason="callback",
        contact=Contact(name, phone="+447911123456", preferred_time="mornings"),
        conversation_started_at="2026-11-30T09:00:00+00:00",
        referred_at="2026-11-30T09:05:00+00:00",
        triage_level="urgent" if urgent else None,
        urgent=urgent,
    )


@pytest.fixture
def outbox(tmp_path: Path) -> Iterator[Outbox]:
    opened = Outbox(engine_from_environment({"TRACKER_SQLITE_PATH": str(tmp_path / "t.db")}))
    opened.create_tables()
    yield opened
    opened.close()


@pytest.fixture
def staff(outbox: Outbox) -> Iterator[InProcessApp]:
    with InProcessApp(StaffApiInput(TOKEN, outbox=outbox)) as app:
        yield app


def store(outbox: Outbox, name: str, at: float, urgent: bool = False) -> str:
    referral_id = new_referral_id()
    made = summary(name, urgent)
    outbox.store(
        referral_id, made, questionnaire_response_json(made, referral_id), ["slack"], now=at
    )
    return referral_id


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-token-wrong-token"},
        {"Authorization": TOKEN},  # no scheme
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": "Bearer "},
    ],
)
@pytest.mark.parametrize(
    "path", ["/staff/referrals", "/staff/referrals/abc/fhir", "/staff/referrals/questionnaire"]
)
def test_every_route_needs_the_token(staff: InProcessApp, headers: dict, path: str) -> None:
    response = staff.request("GET", path, headers=headers)
    assert response.status == 401
    assert response.headers.get("www-authenticate") == "Bearer"


def test_referrals_are_listed_newest_first_with_their_delivery_status(
    staff: InProcessApp, outbox: Outbox
) -> None:
    older = store(outbox, "Ana Older", at=1_000.0)
    newer = store(outbox, "Bo Newer", at=2_000.0, urgent=True)
    response = staff.request("GET", "/staff/referrals", headers=BEARER)
    assert response.status == 200
    listed = response.json()["referrals"]
    assert [item["id"] for item in listed] == [newer, older]
    assert listed[0]["urgent"] is True and listed[1]["urgent"] is False
    assert listed[0]["summary"]["contact"]["name"] == "Bo Newer"
    assert [(d["channel"], d["status"]) for d in listed[0]["deliveries"]] == [("slack", "pending")]


def test_a_referral_is_readable_as_fhir(staff: InProcessApp, outbox: Outbox) -> None:
    referral_id = store(outbox, "Ana Fhir", at=1_000.0)
    response = staff.request("GET", f"/staff/referrals/{referral_id}/fhir", headers=BEARER)
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/fhir+json")
    assert validate_response_json(response.text).id == referral_id
    questionnaire = staff.request("GET", "/staff/referrals/questionnaire", headers=BEARER)
    assert Questionnaire.parse_raw(questionnaire.text).status == "active"


def test_an_unknown_or_erased_referral_is_not_found(staff: InProcessApp, outbox: Outbox) -> None:
    referral_id = store(outbox, "Ana Erased", at=1_000.0)
    outbox.forget_sender("sender-Ana Erased")
    for unknown in (referral_id, "no-such-referral"):
        response = staff.request("GET", f"/staff/referrals/{unknown}/fhir", headers=BEARER)
        assert response.status == 404


def test_the_api_is_off_without_a_token_and_refuses_a_short_one() -> None:
    assert isinstance(StaffApiInput.from_credentials({"token": ""}), ChannelOff)
    assert isinstance(StaffApiInput.from_credentials({"token": TOKEN}), StaffApiInput)
    with pytest.raises(ChannelConfigurationError, match="16 characters"):
        StaffApiInput.from_credentials({"token": "too-short"})
