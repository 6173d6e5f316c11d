"""Both servers listen on 127.0.0.1 unless told otherwise: the action server has no
authentication, and the Rasa server's API is for this machine unless a container opens it.
(The Rasa server's side: tests/e2e/test_api_access.py, on the server its script starts.)"""

from __future__ import annotations

import os
import subprocess
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator, Set

import pytest
import requests

from scripts.local_servers import ROOT, LocalAssistant, free_port, wait_until
from tests.support.sockets import listening_addresses

ACTION_SERVER_SCRIPT = str(ROOT / "scripts" / "action_server.sh")


@contextmanager
def action_server_started_by_its_script(
    environment: Dict[str, str], workdir: Path
) -> Iterator[int]:
    """scripts/action_server.sh on a free port, until it answers its health check; its port."""
    port = free_port()
    with open(workdir / "actions.log", "ab") as log:
        server = subprocess.Popen(
            [ACTION_SERVER_SCRIPT],
            cwd=ROOT,
            env={**os.environ, **environment, "ACTION_SERVER_PORT": str(port)},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until(
            lambda: requests.get(f"http://127.0.0.1:{port}/health", timeout=2).ok,
            120,
            "action server",
            server,
        )
        yield port
    finally:
        LocalAssistant._stop(server)


@pytest.mark.parametrize("interface, expected", [(None, {"127.0.0.1"}), ("0.0.0.0", {"0.0.0.0"})])
def test_the_action_server_binds_to_this_machine_unless_a_container_says_otherwise(
    interface: str, expected: Set[str], tmp_path: Path
) -> None:
    environment = {"ACTION_SERVER_INTERFACE": interface} if interface else {}
    with action_server_started_by_its_script(environment, tmp_path) as port:
        assert listening_addresses(port) == expected


def test_the_action_server_takes_whole_conversations_whatever_the_patients_body_limit(
    tmp_path: Path,
) -> None:
    # The Rasa server sends the action server the whole tracker; the patients' body limit
    # (SANIC_REQUEST_MAX_SIZE, which Sanic reads from the environment) must not apply there.
    with action_server_started_by_its_script({"SANIC_REQUEST_MAX_SIZE": "65536"}, tmp_path) as port:
        long_conversation = {"next_action": "action_no_such_action", "padding": "x" * 200_000}
        response = requests.post(
            f"http://127.0.0.1:{port}/webhook", json=long_conversation, timeout=30
        )
    # Read in full: the action server answers about the action (none by that name here).
    assert response.status_code == 404, response.text[:300]
    assert "size limit" not in response.text
