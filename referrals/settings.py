"""Where referrals go: the staff Slack webhook, the staff email addresses and the mail server,
and how patiently a failed delivery is retried. Read once from the environment.

Secrets (the SMTP password, the webhook's path, which is its key) never appear in an error
message or a repr: these end up in logs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import List, Mapping, Optional, Tuple
from urllib.parse import unquote, urlsplit

from email_validator import EmailNotValidError, validate_email

from core.settings import SettingsError, _flag, _positive_number, _text

DEFAULT_SMTP_PORT = 25
DEFAULT_RETRY_SECONDS = 30.0
DEFAULT_RETRY_MAX_SECONDS = 3600.0
# The settings that together send staff email; a clinic that sets some but not all of them
# expects email and would silently get none.
EMAIL_SETTINGS = ("STAFF_EMAIL_TO", "SMTP_URL", "SMTP_FROM")

# Every environment variable the referral hand-over reads (the tests and the local servers clear
# them, so a developer's own staff Slack or mail server is never used).
VARIABLES = (
    "STAFF_SLACK_WEBHOOK_URL",
    "STAFF_EMAIL_TO",
    "SMTP_URL",
    "SMTP_STARTTLS",
    "SMTP_FROM",
    "STAFF_API_TOKEN",
    "REFERRAL_RETRY_SECONDS",
    "REFERRAL_RETRY_MAX_SECONDS",
)


def email_address(name: str, value: str) -> str:
    """`value` as a checked, normalised address (no DNS look-up); SettingsError naming `name`."""
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError:
        raise SettingsError(f"{name} must be an email address, not {value!r}") from None


def webhook_url(value: Optional[str]) -> Optional[str]:
    """The Slack webhook URL, checked without ever echoing it (its path is the secret)."""
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SettingsError("STAFF_SLACK_WEBHOOK_URL must be an http:// or https:// URL")
    return value


def check_email_is_whole(environment: Mapping[str, str]) -> None:
    """Refuses a half-set email configuration, naming what is missing: staff email needs
    STAFF_EMAIL_TO, SMTP_URL and SMTP_FROM; the patient's copy needs SMTP_URL and SMTP_FROM."""
    present = [name for name in EMAIL_SETTINGS if _text(environment, name)]
    needed = EMAIL_SETTINGS if "STAFF_EMAIL_TO" in present else EMAIL_SETTINGS[1:]
    missing = [name for name in needed if name not in present]
    if present and missing:
        raise SettingsError(
            f"email is half configured: {', '.join(present)} set but {', '.join(missing)} "
            "missing (staff email needs STAFF_EMAIL_TO, SMTP_URL and SMTP_FROM; the patient's "
            "copy needs SMTP_URL and SMTP_FROM)"
        )


@dataclass(frozen=True, repr=False)
class SmtpServer:
    """The mail server from SMTP_URL (`smtp://user:password@host:port`)."""

    host: str
    port: int = DEFAULT_SMTP_PORT
    user: Optional[str] = None
    password: Optional[str] = None

    @classmethod
    def from_url(cls, value: str) -> SmtpServer:
        parts = urlsplit(value)
        # The URL may hold the password: no message below quotes it.
        if parts.scheme != "smtp":
            raise SettingsError("SMTP_URL must start with smtp://")
        try:
            port = parts.port or DEFAULT_SMTP_PORT
        except ValueError:
            raise SettingsError(
                "SMTP_URL has a port that is not a number from 1 to 65535"
            ) from None
        if not parts.hostname:
            raise SettingsError("SMTP_URL must name the mail server: smtp://host:port")
        user = unquote(parts.username) if parts.username else None
        password = unquote(parts.password) if parts.password else None
        return cls(host=parts.hostname, port=port, user=user, password=password)

    def __repr__(self) -> str:
        login = f"{self.user}:***@" if self.user else ""
        return f"SmtpServer(smtp://{login}{self.host}:{self.port})"


@dataclass(frozen=True, repr=False)
class DeliverySettings:
    """The staff channels a referral goes to, the mail server, and the retry delays."""

    slack_webhook_url: Optional[str] = None
    staff_email_to: Tuple[str, ...] = ()
    smtp: Optional[SmtpServer] = None
    smtp_starttls: bool = False
    smtp_from: Optional[str] = None
    retry_seconds: float = DEFAULT_RETRY_SECONDS
    retry_max_seconds: float = DEFAULT_RETRY_MAX_SECONDS
    # Staff can read referrals over the Rasa server's staff API (channels/staff_api.py, which
    # checks the token itself); here only whether it is on.
    staff_api_on: bool = False

    @classmethod
    def from_environment(cls, environment: Mapping[str, str] = os.environ) -> DeliverySettings:
        """The settings from STAFF_SLACK_WEBHOOK_URL, STAFF_EMAIL_TO, SMTP_URL, SMTP_STARTTLS,
        SMTP_FROM, REFERRAL_RETRY_SECONDS, REFERRAL_RETRY_MAX_SECONDS (and whether
        STAFF_API_TOKEN is set); unset ones are off or
        default. SMTP_URL with SMTP_FROM alone send the patient's copy; staff email needs all
        three of STAFF_EMAIL_TO, SMTP_URL and SMTP_FROM."""
        check_email_is_whole(environment)
        staff = _text(environment, "STAFF_EMAIL_TO") or ""
        smtp_url = _text(environment, "SMTP_URL")
        smtp_from = _text(environment, "SMTP_FROM")
        retry_seconds = _positive_number(
            environment, "REFERRAL_RETRY_SECONDS", DEFAULT_RETRY_SECONDS
        )
        retry_max_seconds = _positive_number(
            environment, "REFERRAL_RETRY_MAX_SECONDS", DEFAULT_RETRY_MAX_SECONDS
        )
        return cls(
            slack_webhook_url=webhook_url(_text(environment, "STAFF_SLACK_WEBHOOK_URL")),
            staff_email_to=tuple(
                email_address("STAFF_EMAIL_TO", address.strip())
                for address in staff.split(",")
                if address.strip()
            ),
            smtp=SmtpServer.from_url(smtp_url) if smtp_url else None,
            smtp_starttls=_flag(environment, "SMTP_STARTTLS"),
            smtp_from=email_address("SMTP_FROM", smtp_from) if smtp_from else None,
            retry_seconds=retry_seconds,
            # A cap below the first delay would make the first delay the cap anyway.
            retry_max_seconds=max(retry_max_seconds, retry_seconds),
            staff_api_on=_text(environment, "STAFF_API_TOKEN") is not None,
        )

    @property
    def slack_on(self) -> bool:
        return self.slack_webhook_url is not None

    @property
    def patient_email_on(self) -> bool:
        """Whether the patient can be sent a copy of their referral by email."""
        return self.smtp is not None and self.smtp_from is not None

    @property
    def email_on(self) -> bool:
        return bool(self.staff_email_to) and self.patient_email_on

    def staff_channels(self) -> List[str]:
        """The staff channels a new referral is delivered to, e.g. ["slack", "email"]."""
        return [name for name, on in (("slack", self.slack_on), ("email", self.email_on)) if on]

    def __repr__(self) -> str:
        webhook = None
        if self.slack_webhook_url:
            parts = urlsplit(self.slack_webhook_url)
            webhook = f"{parts.scheme}://{parts.hostname}/***"
        return (
            f"DeliverySettings(slack_webhook_url={webhook!r}, "
            f"staff_email_to={self.staff_email_to!r}, smtp={self.smtp!r}, "
            f"smtp_starttls={self.smtp_starttls}, smtp_from={self.smtp_from!r}, "
            f"retry_seconds={self.retry_seconds}, retry_max_seconds={self.retry_max_seconds})"
        )
