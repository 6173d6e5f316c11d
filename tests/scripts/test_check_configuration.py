"""Tests for scripts/check_configuration.py: the referral settings stop the start with a message
naming what is wrong, before any server starts."""

from __future__ import annotations

from typing import Dict

import pytest

from referrals.settings import VARIABLES
from scripts.check_configuration import problems

REFERRAL_SETTINGS = (*VARIABLES, "RASA_ENABLE_API")


@pytest.fixture(autouse=True)
def no_referral_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in REFERRAL_SETTINGS:
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    ("settings", "complaint"),
    [
        ({"STAFF_EMAIL_TO": "staff@clinic.example"}, "SMTP_URL"),
        ({"SMTP_URL": "http://mail.example"}, "SMTP_URL"),
        ({"STAFF_SLACK_WEBHOOK_URL": "hooks.slack.com/services/x"}, "STAFF_SLACK_WEBHOOK_URL"),
        ({"STAFF_API_TOKEN": "short"}, "STAFF_API_TOKEN must be at least 16 characters"),
    ],
)
def test_referral_settings_that_cannot_work_stop_the_start(
    monkeypatch: pytest.MonkeyPatch, settings: Dict[str, str], complaint: str
) -> None:
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    found = problems()
    assert found and any(complaint in problem for problem in found), found


def test_complete_referral_settings_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "STAFF_SLACK_WEBHOOK_URL": "https://hooks.slack.com/services/T/B/x",
        "STAFF_EMAIL_TO": "staff@clinic.example",
        "SMTP_URL": "smtp://user:secret@mail.clinic.example:587",
        "SMTP_FROM": "assistant@clinic.example",
        "STAFF_API_TOKEN": "x" * 32,
    }.items():
        monkeypatch.setenv(name, value)
    assert problems() == []
