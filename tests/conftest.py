"""Fixtures shared by the whole suite: the trained model (trained once per run, if stale) and
one real action server and Rasa server, on free local ports, for every test that needs them.

Every test is also marked with its cost bucket (unit, model, e2e, replicas, browser) from where
it lives and the fixtures it uses: see tests/support/markers.py."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Dict, Iterator, List, NoReturn

import pytest
import yaml

from core.red_flag_classifier import examples_from_sets
from scripts.local_servers import LocalAssistant
from scripts.train_if_stale import train_if_stale
from tests.support.action_trackers import nlu_examples
from tests.support.environment import E2E_ENVIRONMENT, ROOT
from tests.support.markers import cost_bucket

TESTS = Path(__file__).resolve().parent
# Nothing the tests do may leave this machine: no Rasa telemetry or error reports.
os.environ["RASA_TELEMETRY_ENABLED"] = "false"


def pytest_collection_modifyitems(config: pytest.Config, items: List[pytest.Item]) -> None:
    for item in items:
        path = Path(item.path).resolve()
        if path.is_relative_to(TESTS):
            bucket = cost_bucket(path.relative_to(TESTS).as_posix(), item.fixturenames)
            item.add_marker(bucket)


@pytest.fixture(autouse=True)
def fast_tests_start_no_server(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A test in the fast set that starts servers itself would make `make test-fast` slow and
    dependent on a model: it fails here, saying how to put it in the right bucket."""
    if request.node.get_closest_marker("unit") is None:
        return

    def refuse(*_: Any, **__: Any) -> NoReturn:
        pytest.fail(
            "a `unit` test started a server: use the `assistant` fixture (or `trained_model`), "
            "or put the test in tests/e2e/ (see tests/support/markers.py)"
        )

    monkeypatch.setattr(LocalAssistant, "start_action_server", refuse)
    monkeypatch.setattr(LocalAssistant, "start_rasa_server", refuse)


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


@pytest.fixture(scope="session")
def english_examples() -> List[str]:
    """Every English message the project has: the NLU training data, the held-out NLU files and
    the red-flag development sets (annotations removed)."""
    paths = [
        *sorted((ROOT / "data" / "nlu").glob("*.yml")),
        *(ROOT / "tests" / "nlu").glob("*.yml"),
    ]
    texts = [text for path in paths for text in nlu_examples(path)]
    texts += [text for text, _ in examples_from_sets((ROOT / "data" / "red_flags").glob("*.yml"))]
    return texts


@pytest.fixture(scope="session")
def domain() -> Dict[str, Any]:
    """domain.yml as the action server receives it: a plain dict."""
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
