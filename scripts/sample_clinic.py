"""A made-up clinic for the assistant's local runs: the tests and `make bench-load` start their
servers with these settings, so replies name a clinic without anyone's real details."""

from __future__ import annotations

from typing import Dict

SAMPLE_CLINIC_ENVIRONMENT: Dict[str, str] = {
    "CLINIC_NAME": "Riverside Physio Test Clinic",
    "CLINIC_PHONE": "+1 555 0100",
    "CLINIC_BOOKING_URL": "https://clinic.example/book",
    "CLINIC_EMERGENCY_NUMBER": "911",
    "CLINIC_URGENT_CARE": "NHS 111 (call 111 or visit 111.nhs.uk)",
    "CLINIC_ADDRESS": "12 River Street, Springfield",
    "CLINIC_PARKING": "Free parking behind the building",
}
