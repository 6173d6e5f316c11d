"""Starts the real action server and Rasa server on free local ports, for tests and benchmarks.

Each `LocalAssistant` gets its own working folder (endpoints file, SQLite tracker store, logs),
so runs never share state with `make run`. Every wait is a bounded loop.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

import requests

from channels.credentials import write_credentials

ROOT = Path(__file__).resolve().parent.parent
RASA = str(ROOT / ".venv" / "bin" / "rasa")
START_TIMEOUT_SECONDS = 180


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(check, timeout: float, what: str, process: Optional[subprocess.Popen] = None):
    """Polls `check` until it returns something truthy; fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited with code {process.returncode}")
        try:
            result = check()
            if result:
                return result
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{what} not ready after {timeout} s")


@dataclass
class LocalAssistant:
    """One action server and one Rasa server, started for real on 127.0.0.1."""

    model: Path
    workdir: Path
    auth_token: str = "test-token"
    environment: Dict[str, str] = field(default_factory=dict)
    rasa_port: int = field(default_factory=free_port)
    action_port: int = field(default_factory=free_port)
    action_server: Optional[subprocess.Popen] = None
    rasa_server: Optional[subprocess.Popen] = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def tracker_db(self) -> Path:
        return self.workdir / "tracker.db"

    def _write_endpoints(self) -> Path:
        endpoints = self.workdir / "endpoints.yml"
        endpoints.write_text(
            f'action_endpoint:\n  url: "http://127.0.0.1:{self.action_port}/webhook"\n'
            "tracker_store:\n  type: SQL\n  dialect: sqlite\n"
            f'  db: "{self.tracker_db}"\n'
        )
        return endpoints

    def _write_credentials(self) -> Path:
        """Channels on as this assistant's environment says (the website widget always)."""
        environment = {**os.environ, **self.environment, "RASA_PORT": str(self.rasa_port)}
        return write_credentials(self.workdir / "credentials.yml", environment)

    def _spawn(self, arguments: List[str], log_name: str) -> subprocess.Popen:
        log = open(self.workdir / log_name, "ab")
        return subprocess.Popen(
            arguments,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "RASA_TELEMETRY_ENABLED": "false", **self.environment},
            start_new_session=True,
        )

    def start_action_server(self) -> None:
        """Starts the action server and waits for its health check."""
        self.action_server = self._spawn(
            [RASA, "run", "actions", "--port", str(self.action_port), "--actions", "actions"],
            "action_server.log",
        )
        health = f"http://127.0.0.1:{self.action_port}/health"
        wait_until(
            lambda: requests.get(health, timeout=2).ok,
            START_TIMEOUT_SECONDS,
            "action server",
            self.action_server,
        )

    def start_rasa_server(self) -> None:
        """Starts the Rasa server (its channels, the API with a token) and waits for the model."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        arguments = [
            RASA,
            "run",
            "--model",
            str(self.model),
            "--port",
            str(self.rasa_port),
            "--endpoints",
            str(self._write_endpoints()),
            "--credentials",
            str(self._write_credentials()),
            "--enable-api",
            "--auth-token",
            self.auth_token,
        ]
        self.rasa_server = self._spawn(arguments, "rasa_server.log")
        status = f"{self.url}/status?token={self.auth_token}"
        wait_until(
            lambda: requests.get(status, timeout=2).json().get("model_id"),
            START_TIMEOUT_SECONDS,
            "Rasa server",
            self.rasa_server,
        )

    def start(self) -> LocalAssistant:
        """Starts both servers, the action server first."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.start_action_server()
        self.start_rasa_server()
        return self

    @staticmethod
    def _stop(process: Optional[subprocess.Popen], sig: int = signal.SIGTERM) -> None:
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def stop_action_server(self) -> None:
        self._stop(self.action_server)

    def stop_rasa_server(self) -> None:
        self._stop(self.rasa_server)

    def stop(self) -> None:
        """Stops both servers."""
        self.stop_rasa_server()
        self.stop_action_server()

    def send(self, sender: str, message: str, timeout: float = 30) -> List[Dict[str, Any]]:
        """Sends one message over the REST channel and returns the bot's messages."""
        response = requests.post(
            f"{self.url}/webhooks/rest/webhook",
            json={"sender": sender, "message": message},
            timeout=timeout,
        )
        response.raise_for_status()
        return response.json()

    def tracker(self, sender: str) -> Dict[str, Any]:
        """The conversation tracker of one sender, from the HTTP API."""
        response = requests.get(
            f"{self.url}/conversations/{sender}/tracker",
            params={"token": self.auth_token},
            timeout=30,
        )
        response.raise_for_status()
        return response.json()
