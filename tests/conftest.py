"""Fixtures shared by the whole suite: the trained model (trained once per run, if stale) and
one real action server and Rasa server, on free local ports, for every test that needs them."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import pytest

from scripts.local_servers import LocalAssistant
from scripts.train_if_stale import train_if_stale
from tests.support.environment import E2E_ENVIRONMENT, ROOT

# Nothing the tests do may leave this machine: no Rasa telemetry or error reports.
os.environ["RASA_TELEMETRY_ENABLED"] = "false"


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """The assistant's model in models/, trained first only when its inputs changed."""
    return train_if_stale(ROOT / "models")


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
