"""Tests for referrals/settings.py: which channels are on, parsing, refusals, and that secrets
never show in a repr or an error."""

from __future__ import annotations

from typing import Dict

import pytest

from core.settings import SettingsError
from referrals.settings import DeliverySettings, SmtpServer

WEBHOOK = "https://hooks.slack.com/services/T0001/B0001/webhooksecret42"
EMAIL = {
    "STAFF_EMAIL_TO": "frontdesk@clinic.example, Physio@Clinic.Example",
    "SMTP_URL": "smtp://mailer%40clinic:p%40ss%3Aw0rd@mail.clinic.example:587",
    "SMTP_FROM": "assistant@clinic.example",
}


def test_by_default_no_channel_is_on_and_retries_start_at_30_seconds() -> None:
    settings = DeliverySettings.from_environment({})
    assert settings.staff_channels() == []
    assert not (settings.slack_on or settings.email_on or settings.patient_email_on)
    assert (settings.retry_seconds, settings.retry_max_seconds) == (30, 3600)


def test_every_setting_is_read_from_the_environment() -> None:
    settings = DeliverySettings.from_environment(
        {
            "STAFF_SLACK_WEBHOOK_URL": WEBHOOK,
            **EMAIL,
            "SMTP_STARTTLS": "true",
            "REFERRAL_RETRY_SECONDS": "5",
            "REFERRAL_RETRY_MAX_SECONDS": "600",
        }
    )
    assert settings.staff_channels() == ["slack", "email"]
    assert settings.patient_email_on
    assert settings.slack_webhook_url == WEBHOOK
    assert settings.staff_email_to == ("frontdesk@clinic.example", "Physio@clinic.example")
    # The user and password are percent-decoded.
    assert settings.smtp == SmtpServer("mail.clinic.example", 587, "mailer@clinic", "p@ss:w0rd")
    assert settings.smtp_starttls and settings.smtp_from == "assistant@clinic.example"
    assert (settings.retry_seconds, settings.retry_max_seconds) == (5, 600)


def test_the_smtp_port_defaults_to_25_and_login_is_optional() -> None:
    settings = DeliverySettings.from_environment({**EMAIL, "SMTP_URL": "smtp://localhost"})
    assert settings.smtp == SmtpServer("localhost", 25, None, None)
    assert settings.smtp_starttls is False


def test_without_staff_addresses_only_the_patients_copy_is_emailed() -> None:
    settings = DeliverySettings.from_environment(
        {"SMTP_URL": EMAIL["SMTP_URL"], "SMTP_FROM": EMAIL["SMTP_FROM"]}
    )
    assert settings.patient_email_on and not settings.email_on
    assert settings.staff_channels() == []


@pytest.mark.parametrize(
    "present, missing",
    [
        (["STAFF_EMAIL_TO"], "SMTP_URL, SMTP_FROM"),
        (["STAFF_EMAIL_TO", "SMTP_URL"], "SMTP_FROM"),
        (["STAFF_EMAIL_TO", "SMTP_FROM"], "SMTP_URL"),
        (["SMTP_URL"], "SMTP_FROM"),
        (["SMTP_FROM"], "SMTP_URL"),
    ],
)
def test_a_half_set_email_configuration_is_refused_naming_what_is_missing(
    present: list, missing: str
) -> None:
    with pytest.raises(SettingsError, match=f"but {missing} missing"):
        DeliverySettings.from_environment({name: EMAIL[name] for name in present})


@pytest.mark.parametrize(
    "changes, named",
    [
        ({"STAFF_SLACK_WEBHOOK_URL": "hooks.slack.com/services/x"}, "STAFF_SLACK_WEBHOOK_URL"),
        ({"STAFF_SLACK_WEBHOOK_URL": "ftp://hooks.slack.com/x"}, "STAFF_SLACK_WEBHOOK_URL"),
        ({"SMTP_URL": "smtps://user:pw@mail.example:465"}, "SMTP_URL"),
        ({"SMTP_URL": "smtp://user:pw@mail.example:port"}, "SMTP_URL"),
        ({"SMTP_URL": "smtp://:25"}, "SMTP_URL"),
        ({"STAFF_EMAIL_TO": "frontdesk@clinic.example, not-an-address"}, "STAFF_EMAIL_TO"),
        ({"SMTP_FROM": "assistant at clinic"}, "SMTP_FROM"),
        ({"REFERRAL_RETRY_SECONDS": "soon"}, "REFERRAL_RETRY_SECONDS"),
        ({"REFERRAL_RETRY_MAX_SECONDS": "0"}, "REFERRAL_RETRY_MAX_SECONDS"),
    ],
)
def test_a_value_that_cannot_be_used_is_refused_by_name(
    changes: Dict[str, str], named: str
) -> None:
    with pytest.raises(SettingsError, match=named):
        DeliverySettings.from_environment({**EMAIL, **changes})


@pytest.mark.parametrize(
    "smtp_url",
    [
        "smtps://mailer:sup3rsecret@mail.example:465",
        "smtp://mailer:sup3rsecret@mail.example:99999",
        "smtp://mailer:sup3rsecret@:25",
    ],
)
def test_a_refused_smtp_url_does_not_echo_its_password(smtp_url: str) -> None:
    with pytest.raises(SettingsError) as refused:
        DeliverySettings.from_environment({**EMAIL, "SMTP_URL": smtp_url})
    assert "sup3rsecret" not in str(refused.value)


def test_a_refused_webhook_url_is_not_echoed() -> None:
    with pytest.raises(SettingsError) as refused:
        DeliverySettings.from_environment({"STAFF_SLACK_WEBHOOK_URL": "hooks/webhooksecret42"})
    assert "webhooksecret42" not in str(refused.value)


def test_the_repr_hides_the_password_and_the_webhook_path() -> None:
    settings = DeliverySettings.from_environment({"STAFF_SLACK_WEBHOOK_URL": WEBHOOK, **EMAIL})
    shown = repr(settings) + str(settings) + repr(settings.smtp)
    assert "p@ss:w0rd" not in shown and "p%40ss" not in shown
    assert "webhooksecret42" not in shown and "T0001" not in shown
    assert "mail.clinic.example" in shown and "hooks.slack.com" in shown
