"""The HTTP API is never open without a token: the run script refuses to enable it without one,
with it every API call needs the token, and by default the API is not there at all."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Dict, Iterator

import pytest
import requests

from scripts.local_servers import ROOT, LocalAssistant, free_port, wait_until
from tests.support.sockets import listening_addresses

RASA_SERVER_SCRIPT = str(ROOT / "scripts" / "rasa_server.sh")


def run_script(environment: Dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [RASA_SERVER_SCRIPT, "--check"],
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "environment, complaint",
    [
        ({"RASA_ENABLE_API": "true"}, "RASA_AUTH_TOKEN is not set"),
        ({"RASA_ENABLE_API": "1", "RASA_AUTH_TOKEN": ""}, "RASA_AUTH_TOKEN is not set"),
        ({"RASA_ENABLE_API": "yes", "RASA_AUTH_TOKEN": "short"}, "at least 16 characters"),
    ],
)
def test_the_run_script_refuses_to_open_the_api_without_a_real_token(
    environment: Dict[str, str], complaint: str
) -> None:
    environment = {"RASA_AUTH_TOKEN": "", **environment}
    result = run_script(environment)
    assert result.returncode == 2
    assert complaint in result.stderr


def test_the_run_script_accepts_a_long_token_or_no_api() -> None:
    assert run_script({"RASA_ENABLE_API": "true", "RASA_AUTH_TOKEN": "x" * 32}).returncode == 0
    assert run_script({"RASA_ENABLE_API": "false", "RASA_AUTH_TOKEN": ""}).returncode == 0


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/status"),
        ("GET", "/conversations/someone/tracker"),
        ("POST", "/conversations/someone/messages"),
        ("GET", "/domain"),
        ("POST", "/model/parse"),
    ],
)
def test_every_api_call_needs_the_token(assistant: LocalAssistant, method: str, path: str) -> None:
    without = requests.request(method, f"{assistant.url}{path}", json={}, timeout=30)
    wrong = requests.request(
        method, f"{assistant.url}{path}", params={"token": "guess"}, json={}, timeout=30
    )
    assert without.status_code == 401 and wrong.status_code == 401
    with_token = requests.get(
        f"{assistant.url}/status", params={"token": assistant.auth_token}, timeout=30
    )
    assert with_token.ok


@pytest.fixture(scope="module")
def default_server(
    trained_model: Path, assistant: LocalAssistant, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A Rasa server started by the run script itself, with the API setting left alone."""
    workdir = tmp_path_factory.mktemp("default-server")
    port = free_port()
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"RASA_ENABLE_API", "RASA_AUTH_TOKEN", "DATABASE_URL", "REDIS_URL"}
    }
    environment.update(
        RASA_PORT=str(port),
        RASA_MODEL=str(trained_model),
        TRACKER_SQLITE_PATH=str(workdir / "tracker.db"),
        ACTION_SERVER_URL=f"http://127.0.0.1:{assistant.action_port}/webhook",
    )
    with open(workdir / "server.log", "wb") as log:
        server = subprocess.Popen(
            [RASA_SERVER_SCRIPT],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: requests.get(url, timeout=2).ok, 180, "default Rasa server", server)
        yield url
    finally:
        LocalAssistant._stop(server)


def test_by_default_the_api_is_not_there_at_all(default_server: str) -> None:
    for path in ["/status", "/conversations/someone/tracker"]:
        assert requests.get(f"{default_server}{path}", timeout=30).status_code == 404
    assert (
        requests.get(f"{default_server}/conversations/x/tracker?token=", timeout=30).status_code
        == 404
    )
    # The patient-facing channels work as usual.
    reply = requests.post(
        f"{default_server}/webhooks/rest/webhook",
        json={"sender": "default-server-check", "message": "hello"},
        timeout=60,
    ).json()
    assert "not a diagnosis" in reply[0]["text"]


def test_the_rasa_server_started_by_its_script_listens_on_this_machine_only(
    default_server: str,
) -> None:
    port = int(default_server.rsplit(":", 1)[1])
    assert listening_addresses(port) == {"127.0.0.1"}
