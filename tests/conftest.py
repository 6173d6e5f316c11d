"""Fixtures shared by the whole suite: the trained model (trained once per run, if stale) and
one real action server and Rasa server, on free local ports, for every test that needs them."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest
import yaml

from core.red_flag_classifier import examples_from_sets
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


_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


def _nlu_examples(path: Path) -> List[str]:
    content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    texts = []
    for block in content.get("nlu", []):
        for line in (block.get("examples") or "").splitlines():
            line = line.strip()
            if line.startswith("- "):
                texts.append(_ANNOTATION.sub(r"\1", line[2:]))
    return texts


@pytest.fixture(scope="session")
def english_examples() -> List[str]:
    """Every English message the project has: the NLU training data, the held-out NLU files and
    the red-flag development sets (annotations removed)."""
    paths = [
        *sorted((ROOT / "data" / "nlu").glob("*.yml")),
        *(ROOT / "tests" / "nlu").glob("*.yml"),
    ]
    texts = [text for path in paths for text in _nlu_examples(path)]
    texts += [text for text, _ in examples_from_sets((ROOT / "data" / "red_flags").glob("*.yml"))]
    return texts


@pytest.fixture(scope="session")
def domain() -> Dict[str, Any]:
    """domain.yml as the action server receives it: a plain dict."""
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
