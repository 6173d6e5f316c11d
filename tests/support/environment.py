"""Where the project is, the clinic settings the test servers run with, and the rasa CLI."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import List

from scripts.sample_clinic import SAMPLE_CLINIC_ENVIRONMENT

ROOT = Path(__file__).resolve().parents[2]
RASA = str(ROOT / ".venv" / "bin" / "rasa")

CLINIC_ENVIRONMENT = SAMPLE_CLINIC_ENVIRONMENT
# A hung action server is given up on after this many seconds (tests/e2e/test_faults.py).
ACTION_SERVER_TIMEOUT_SECONDS = 4
E2E_ENVIRONMENT = {
    **CLINIC_ENVIRONMENT,
    "ACTION_SERVER_TIMEOUT_SECONDS": str(ACTION_SERVER_TIMEOUT_SECONDS),
}


def run_rasa(arguments: List[str], timeout: float = 900) -> subprocess.CompletedProcess:
    """Runs a rasa CLI command from the project root and captures its output."""
    return subprocess.run(
        [RASA, *arguments], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
