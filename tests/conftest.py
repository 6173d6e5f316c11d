"""Fixtures shared by the whole suite: the trained model (trained once per run, if stale)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import List

import pytest

from scripts.train_if_stale import train_if_stale

ROOT = Path(__file__).resolve().parent.parent
RASA = str(ROOT / ".venv" / "bin" / "rasa")
# Nothing the tests do may leave this machine: no Rasa telemetry or error reports.
os.environ["RASA_TELEMETRY_ENABLED"] = "false"


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """The assistant's model in models/, trained first only when its inputs changed."""
    return train_if_stale(ROOT / "models")


def run_rasa(arguments: List[str], timeout: float = 900) -> subprocess.CompletedProcess:
    """Runs a rasa CLI command from the project root and captures its output."""
    return subprocess.run(
        [RASA, *arguments], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
