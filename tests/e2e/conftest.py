"""One real action server and Rasa server for all end-to-end tests, on free local ports."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from scripts.local_servers import LocalAssistant

CLINIC_ENVIRONMENT = {
    "CLINIC_NAME": "Riverside Physio Test Clinic",
    "CLINIC_PHONE": "+1 555 0100",
    "CLINIC_BOOKING_URL": "https://clinic.example/book",
    "CLINIC_EMERGENCY_NUMBER": "911",
    "CLINIC_URGENT_CARE": "NHS 111 (call 111 or visit 111.nhs.uk)",
}
# A hung action server is given up on after this many seconds (tests/e2e/test_faults.py).
ACTION_SERVER_TIMEOUT_SECONDS = 4
E2E_ENVIRONMENT = {
    **CLINIC_ENVIRONMENT,
    "ACTION_SERVER_TIMEOUT_SECONDS": str(ACTION_SERVER_TIMEOUT_SECONDS),
}


@pytest.fixture(scope="session")
def assistant(
    trained_model: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LocalAssistant]:
    """Both servers, started for real; stopped at the end of the run."""
    running = LocalAssistant(
        model=trained_model,
        workdir=tmp_path_factory.mktemp("assistant"),
        environment=E2E_ENVIRONMENT,
    )
    try:
        yield running.start()
    finally:
        running.stop()
