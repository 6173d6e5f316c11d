"""`make shell` (scripts/shell.sh): `rasa shell` at the root with the committed endpoints.yml,
in a real terminal, beside an assistant that is already running (as `make run` leaves it)."""

from __future__ import annotations

import os
import pty
import select
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Dict

import pytest

from scripts.local_servers import ROOT, LocalAssistant, free_port

SHELL_SCRIPT = str(ROOT / "scripts" / "shell.sh")


def read_until(descriptor: int, wanted: str, timeout: float) -> str:
    """What the terminal showed until `wanted` appeared; fails after `timeout` seconds."""
    seen = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([descriptor], [], [], 1.0)
        if ready:
            try:
                chunk = os.read(descriptor, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
            if wanted in seen.decode("utf-8", "replace"):
                return seen.decode("utf-8", "replace")
    raise AssertionError(f"{wanted!r} not shown within {timeout} s; saw: {seen[-2000:]!r}")


def shell_environment(assistant: LocalAssistant, model: Path, workdir: Path) -> Dict[str, str]:
    return {
        **assistant.process_environment(),
        "RASA_MODEL": str(model),
        "RASA_PORT": str(assistant.rasa_port),  # the running assistant's port stays its own
        "RASA_SHELL_PORT": str(free_port()),
        "ACTION_SERVER_PORT": str(assistant.action_port),
        "ACTION_SERVER_URL": f"http://127.0.0.1:{assistant.action_port}/webhook",
        "TRACKER_SQLITE_PATH": str(workdir / "shell.db"),
    }


def test_make_shell_chats_in_a_terminal_beside_a_running_assistant(
    assistant: LocalAssistant, trained_model: Path, tmp_path: Path
) -> None:
    environment = shell_environment(assistant, trained_model, tmp_path)
    pid, terminal = pty.fork()
    if pid == 0:  # the child: the script, in a real terminal
        os.chdir(ROOT)
        os.execve(SHELL_SCRIPT, [SHELL_SCRIPT], environment)
    try:
        read_until(terminal, "Your input", timeout=420)
        os.write(terminal, b"hello\r")
        shown = read_until(terminal, "not a diagnosis", timeout=180)
        assert "Traceback" not in shown
    finally:
        os.killpg(os.getpgid(pid), signal.SIGTERM) if _alive(pid) else None
        _reap(pid)
        os.close(terminal)


def test_make_shell_says_what_to_do_when_its_port_is_taken(
    assistant: LocalAssistant, trained_model: Path, tmp_path: Path
) -> None:
    environment = shell_environment(assistant, trained_model, tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        environment["RASA_SHELL_PORT"] = str(taken.getsockname()[1])
        result = subprocess.run(
            [SHELL_SCRIPT], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300
        )
    assert result.returncode == 2
    assert "RASA_SHELL_PORT" in result.stderr


def _alive(pid: int) -> bool:
    try:
        return os.waitpid(pid, os.WNOHANG) == (0, 0)
    except ChildProcessError:
        return False


def _reap(pid: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if os.waitpid(pid, os.WNOHANG) != (0, 0):
                return
        except ChildProcessError:
            return
        time.sleep(0.5)
    pytest.fail("the shell did not stop within 30 s")
