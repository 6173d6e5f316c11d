"""Fixtures shared by the whole suite: the trained model (trained once per run, if stale) and
one real action server and Rasa server, on free local ports, for every test that needs them."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Iterator, List

import pytest

from scripts.local_servers import LocalAssistant
from scripts.train_if_stale import train_if_stale

ROOT = Path(__file__).resolve().parent.parent
RASA = str(ROOT / ".venv" / "bin" / "rasa")
# Nothing the tests do may leave this machine: no Rasa telemetry or error reports.
os.environ["RASA_TELEMETRY_ENABLED"] = "false"

CLINIC_ENVIRONMENT = {
    "CLINIC_NAME": "Riverside Physio Test Clinic",
    "CLINIC_PHONE": "+1 555 0100",
    "CLINIC_BOOKING_URL": "https://clinic.example/book",
    "CLINIC_EMERGENCY_NUMBER": "911",
    "CLINIC_URGENT_CARE": "NHS 111 (call 111 or visit 111.nhs.uk)",
    "CLINIC_ADDRESS": "12 River Street, Springfield",
    "CLINIC_PARKING": "Free parking behind the building",
}
# A hung action server is given up on after this many seconds (tests/e2e/test_faults.py).
ACTION_SERVER_TIMEOUT_SECONDS = 4
E2E_ENVIRONMENT = {
    **CLINIC_ENVIRONMENT,
    "ACTION_SERVER_TIMEOUT_SECONDS": str(ACTION_SERVER_TIMEOUT_SECONDS),
}


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """The assistant's model in models/, trained first only when its inputs changed."""
    return train_if_stale(ROOT / "models")


def run_rasa(arguments: List[str], timeout: float = 900) -> subprocess.CompletedProcess:
    """Runs a rasa CLI command from the project root and captures its output."""
    return subprocess.run(
        [RASA, *arguments], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


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
