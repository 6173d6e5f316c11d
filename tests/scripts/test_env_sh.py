"""scripts/env.sh: every variable the committed Rasa files read gets a value; the environment
wins over .env, and .env over the defaults."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Dict

from core.settings import config_file_variables
from tests.support.environment import ROOT


def settings_after_env_sh(tmp_path: Path, dot_env: str, environment: Dict[str, str]) -> str:
    """`env` as scripts/env.sh leaves it, in a copy of the project with this .env."""
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "env.sh", tmp_path / "scripts" / "env.sh")
    for name in ("endpoints.yml", "credentials.yml"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / ".env").write_text(dot_env)
    clean = {key: value for key, value in os.environ.items() if not key.isupper() or key == "PATH"}
    result = subprocess.run(
        ["bash", "-c", ". scripts/env.sh && env"],
        cwd=tmp_path,
        env={**clean, **environment},
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return result.stdout


def test_every_variable_the_rasa_files_read_is_set(tmp_path: Path) -> None:
    shown = settings_after_env_sh(tmp_path, "", {}).splitlines()
    names = {line.split("=", 1)[0] for line in shown}
    for file_name in ("endpoints.yml", "credentials.yml"):
        assert set(config_file_variables(ROOT / file_name)) <= names, file_name
    assert "ACTION_SERVER_URL=http://localhost:5055/webhook" in shown
    assert "RASA_INTERFACE=127.0.0.1" in shown and "ACTION_SERVER_INTERFACE=127.0.0.1" in shown
    assert "TELEGRAM_TOKEN=" in shown  # empty: the channel is off


def test_the_environment_wins_over_dot_env_and_dot_env_over_the_defaults(tmp_path: Path) -> None:
    shown = settings_after_env_sh(
        tmp_path, 'RASA_PORT=7777\nCLINIC_NAME="From dotenv"\n', {"RASA_PORT": "6000"}
    ).splitlines()
    assert "RASA_PORT=6000" in shown
    assert "CLINIC_NAME=From dotenv" in shown
