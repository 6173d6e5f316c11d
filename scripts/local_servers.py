"""Starts the real action server and Rasa server(s) on free local ports, for tests and benchmarks.

Each `LocalAssistant` gets its own working folder (SQLite tracker store, logs) and runs with the
committed endpoints.yml and credentials.yml, its settings in the environment,
so runs never share state with `make run`. With `replicas=2` and DATABASE_URL / REDIS_URL in its
environment it runs two Rasa servers sharing PostgreSQL and Redis, as in production. Every wait
is a bounded loop.
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

from channels.credentials import CREDENTIALS_FILE
from core.settings import config_file_variables
from referrals.settings import VARIABLES as REFERRAL_VARIABLES
from server.endpoints import ENDPOINTS_FILE

ROOT = Path(__file__).resolve().parent.parent
RASA = str(ROOT / ".venv" / "bin" / "rasa")
# Loading the model takes about half a minute on an idle 2-core machine and minutes on a loaded
# one; a server that dies is noticed at once, so this bound only ever waits out a real hang.
START_TIMEOUT_SECONDS = 600
# Where conversations live and the limits: taken from the assistant's own `environment` only, so
# a developer's shell settings never point a test at their database.
DEPLOYMENT_VARIABLES = {
    "DATABASE_URL",
    "REDIS_URL",
    "REDIS_KEY_PREFIX",
    "TRACKER_SQLITE_PATH",
    "ACTION_SERVER_URL",
    "ACTION_SERVER_TIMEOUT_SECONDS",
    "MAX_MESSAGE_CHARACTERS",
    "RATE_LIMIT_MESSAGES",
    "RATE_LIMIT_WINDOW_SECONDS",
    "MAX_REQUEST_BYTES",
    "SANIC_REQUEST_MAX_SIZE",
    "RETENTION_DAYS",
    *REFERRAL_VARIABLES,
}
# What scripts/rasa_server.sh exports: Sanic's bound on request bodies (Sanic reads SANIC_*
# variables into its config), the same as the assistant's own MAX_REQUEST_BYTES.
DEFAULT_MAX_REQUEST_BYTES = "65536"


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
    """One action server and one or more Rasa servers, started for real on 127.0.0.1."""

    model: Path
    workdir: Path
    auth_token: str = "test-token"
    environment: Dict[str, str] = field(default_factory=dict)
    replicas: int = 1
    action_port: int = field(default_factory=free_port)
    action_server: Optional[subprocess.Popen] = None
    rasa_ports: List[int] = field(default_factory=list)
    rasa_servers: List[Optional[subprocess.Popen]] = field(default_factory=list)

    def __post_init__(self) -> None:
        while len(self.rasa_ports) < self.replicas:
            self.rasa_ports.append(free_port())
        self.rasa_servers = [None] * self.replicas

    @property
    def rasa_port(self) -> int:
        return self.rasa_ports[0]

    @property
    def rasa_server(self) -> Optional[subprocess.Popen]:
        return self.rasa_servers[0]

    def replica_url(self, replica: int) -> str:
        return f"http://127.0.0.1:{self.rasa_ports[replica]}"

    @property
    def url(self) -> str:
        return self.replica_url(0)

    @property
    def tracker_db(self) -> Path:
        return self.workdir / "tracker.db"

    def process_environment(self) -> Dict[str, str]:
        """What the servers (and a staff command run for this assistant) see."""
        inherited = {k: v for k, v in os.environ.items() if k not in DEPLOYMENT_VARIABLES}
        return {**inherited, "RASA_TELEMETRY_ENABLED": "false", **self.environment}

    def server_environment(self) -> Dict[str, str]:
        """What the Rasa servers see: every variable the committed endpoints.yml and
        credentials.yml read (empty when this assistant's environment leaves it unset, as
        scripts/env.sh does), on this run's ports and files."""
        environment = self.process_environment()
        variables = config_file_variables(ENDPOINTS_FILE) + config_file_variables(CREDENTIALS_FILE)
        return {
            **environment,
            **{name: environment.get(name, "") for name in variables},
            "ACTION_SERVER_URL": f"http://127.0.0.1:{self.action_port}/webhook",
            "TRACKER_SQLITE_PATH": str(self.tracker_db),
            # The widget's default allowed origins are the demo page on this port.
            "RASA_PORT": str(self.rasa_port),
            # As scripts/rasa_server.sh exports it, for the Rasa servers only.
            "SANIC_REQUEST_MAX_SIZE": environment.get(
                "MAX_REQUEST_BYTES", DEFAULT_MAX_REQUEST_BYTES
            ),
        }

    def _spawn(
        self, arguments: List[str], log_name: str, environment: Optional[Dict[str, str]] = None
    ) -> subprocess.Popen:
        log = open(self.workdir / log_name, "ab")
        return subprocess.Popen(
            arguments,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=environment or self.process_environment(),
            start_new_session=True,
        )

    def start_action_server(self) -> None:
        """Starts the action server and waits for its health check."""
        self.action_server = self._spawn(
            [RASA, "run", "actions", "--port", str(self.action_port), "--actions", "actions"],
            "action_server.log",
            # The action server stores referrals in the conversation database.
            {
                **self.process_environment(),
                "SANIC_HOST": "127.0.0.1",
                "TRACKER_SQLITE_PATH": str(self.tracker_db),
            },
        )
        health = f"http://127.0.0.1:{self.action_port}/health"
        wait_until(
            lambda: requests.get(health, timeout=2).ok,
            START_TIMEOUT_SECONDS,
            "action server",
            self.action_server,
        )

    def start_rasa_server(self, replica: Optional[int] = None) -> None:
        """Starts the Rasa server(s) (channels, the API with a token) and waits for the model.

        Without `replica`, starts every replica at once and waits for all of them."""
        replicas = range(self.replicas) if replica is None else [replica]
        self.workdir.mkdir(parents=True, exist_ok=True)
        for each in replicas:
            arguments = [
                RASA,
                "run",
                "--model",
                str(self.model),
                "--interface",
                "127.0.0.1",
                "--port",
                str(self.rasa_ports[each]),
                "--endpoints",
                str(ENDPOINTS_FILE),
                "--credentials",
                str(CREDENTIALS_FILE),
                "--enable-api",
                "--auth-token",
                self.auth_token,
            ]
            log_name = "rasa_server.log" if each == 0 else f"rasa_server_{each}.log"
            self.rasa_servers[each] = self._spawn(arguments, log_name, self.server_environment())
        for each in replicas:
            status = f"{self.replica_url(each)}/status?token={self.auth_token}"
            wait_until(
                lambda status=status: requests.get(status, timeout=2).json().get("model_id"),
                START_TIMEOUT_SECONDS,
                f"Rasa server {each}",
                self.rasa_servers[each],
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

    def stop_rasa_server(self, replica: Optional[int] = None, sig: int = signal.SIGTERM) -> None:
        """Stops one replica (SIGKILL to simulate a crash), or all of them."""
        for each in range(self.replicas) if replica is None else [replica]:
            self._stop(self.rasa_servers[each], sig)

    def stop(self) -> None:
        """Stops both servers."""
        self.stop_rasa_server()
        self.stop_action_server()

    def send(
        self, sender: str, message: str, timeout: float = 30, replica: int = 0
    ) -> List[Dict[str, Any]]:
        """Sends one message over the REST channel and returns the bot's messages."""
        response = requests.post(
            f"{self.replica_url(replica)}/webhooks/rest/webhook",
            json={"sender": sender, "message": message},
            timeout=timeout,
        )
        response.raise_for_status()
        return response.json()

    def post_body(self, body: bytes, timeout: float = 60) -> requests.Response:
        """Posts raw bytes to the REST webhook as JSON, whatever they are (bad-input tests)."""
        return requests.post(
            f"{self.url}/webhooks/rest/webhook",
            data=body,
            headers={"Content-Type": "application/json"},
            timeout=timeout,
        )

    def tracker(self, sender: str) -> Dict[str, Any]:
        """The conversation tracker of one sender, from the HTTP API."""
        response = requests.get(
            f"{self.url}/conversations/{sender}/tracker",
            params={"token": self.auth_token},
            timeout=30,
        )
        response.raise_for_status()
        return response.json()
