"""PostgreSQL and Redis for tests and benchmarks: the machine's servers on 127.0.0.1, each run
in a database and a key prefix of its own that are removed afterwards, and a private Redis
server that a test may stop and start.

POSTGRES_ADMIN_URL and TEST_REDIS_URL point elsewhere if the services are not on the defaults.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

import psycopg2
import redis
from sqlalchemy.engine.url import make_url

POSTGRES_ADMIN_URL = os.environ.get(
    "POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _administer(statement: str) -> None:
    """Runs one statement on the admin database (CREATE/DROP DATABASE need autocommit)."""
    connection = psycopg2.connect(POSTGRES_ADMIN_URL, connect_timeout=5)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()


@contextmanager
def scratch_database(purpose: str) -> Iterator[str]:
    """A new, empty PostgreSQL database; yields its URL and drops it afterwards."""
    name = f"iliopsoas_{purpose}_{uuid.uuid4().hex[:10]}"
    _administer(f'CREATE DATABASE "{name}"')
    try:
        yield str(make_url(POSTGRES_ADMIN_URL).set(database=name))
    finally:
        _administer(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def scratch_redis_prefix(purpose: str) -> Iterator[str]:
    """A key prefix of this run's own on the machine's Redis; its keys are deleted afterwards."""
    prefix = f"test{purpose}{uuid.uuid4().hex[:10]}"
    try:
        yield prefix
    finally:
        client = redis.Redis.from_url(TEST_REDIS_URL)
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
        client.close()


def restart_postgres() -> None:
    """Restarts the machine's PostgreSQL cluster (every open connection is dropped)."""
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True,
        timeout=120,
        capture_output=True,
    )


class PrivateRedis:
    """A redis-server of a test's own on a given port, which the test may stop and restart."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: Optional[subprocess.Popen] = None
        self.directory = Path(tempfile.mkdtemp(prefix="redis-"))

    def start(self) -> PrivateRedis:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if redis.Redis(port=self.port, socket_connect_timeout=1).ping():
                    return self
            except redis.ConnectionError:
                time.sleep(0.1)
        raise TimeoutError(f"redis-server on port {self.port} did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None
