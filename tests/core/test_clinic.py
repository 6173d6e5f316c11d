"""Tests for core/clinic.py: clinic settings from CLINIC_* variables, with defaults."""

from __future__ import annotations

import pytest

from core.clinic import DEFAULT_EMERGENCY_NUMBER, ClinicSettings, get_clinic_settings


def test_defaults_without_any_variable() -> None:
    settings = ClinicSettings.from_environment({})

    assert settings == ClinicSettings(
        name="the clinic",
        phone=None,
        booking_url=None,
        opening_hours=None,
        emergency_number=DEFAULT_EMERGENCY_NUMBER,
        urgent_care=None,
    )


def test_every_variable_is_read() -> None:
    settings = ClinicSettings.from_environment(
        {
            "CLINIC_NAME": "Riverside Physio",
            "CLINIC_PHONE": "+1 555 0100",
            "CLINIC_BOOKING_URL": "https://clinic.example/book",
            "CLINIC_OPENING_HOURS": "Mon-Fri 8-18",
            "CLINIC_EMERGENCY_NUMBER": "911",
            "CLINIC_URGENT_CARE": "NHS 111 (call 111 or visit 111.nhs.uk)",
        }
    )

    assert settings == ClinicSettings(
        name="Riverside Physio",
        phone="+1 555 0100",
        booking_url="https://clinic.example/book",
        opening_hours="Mon-Fri 8-18",
        emergency_number="911",
        urgent_care="NHS 111 (call 111 or visit 111.nhs.uk)",
    )


@pytest.mark.parametrize("blank", ["", "   ", "\t\n"])
def test_blank_variables_keep_the_defaults(blank: str) -> None:
    names = ["NAME", "PHONE", "BOOKING_URL", "OPENING_HOURS", "EMERGENCY_NUMBER", "URGENT_CARE"]

    settings = ClinicSettings.from_environment({f"CLINIC_{name}": blank for name in names})

    assert settings == ClinicSettings.from_environment({})


def test_values_are_stripped() -> None:
    settings = ClinicSettings.from_environment({"CLINIC_PHONE": "  +1 555 0100 \n"})

    assert settings.phone == "+1 555 0100"


def test_get_clinic_settings_reads_the_process_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CLINIC_NAME", "Riverside Physio")
    get_clinic_settings.cache_clear()

    assert get_clinic_settings().name == "Riverside Physio"


def test_get_clinic_settings_reads_the_environment_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLINIC_NAME", "Riverside Physio")
    first = get_clinic_settings()
    monkeypatch.setenv("CLINIC_NAME", "Hillside Clinic")

    assert get_clinic_settings() is first
    assert get_clinic_settings().name == "Riverside Physio"
