"""Reads deploy/kubernetes/ and the project's code for the deployment tests (no cluster needed)."""

from __future__ import annotations

import functools
import importlib.util
import os
import re
from pathlib import Path
from typing import Any, Dict, FrozenSet, Iterator, List, Optional, Set, Tuple

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
MANIFESTS = DEPLOY / "kubernetes"
KUSTOMIZATION = "kustomization.yaml"
# Placeholders only: created by hand with `kubectl create secret`, never applied by kustomize.
SECRET_EXAMPLE = "secret.example.yaml"
NAMESPACE = "iliopsoas"
SECRET_NAME = "iliopsoas-secrets"
CONFIG_MAP_NAME = "iliopsoas-config"

# Folders that are not the assistant's own code: its tests, this deployment, installed packages.
NOT_PROJECT_CODE = {
    ".git",
    ".venv",
    ".rasa",
    ".pytest_cache",
    ".ruff_cache",
    "__pycache__",
    "bench-results",
    "deploy",
    "models",
    "node_modules",
    "results",
    "tests",
    "var",
    "web",
}

Manifest = Dict[str, Any]


def manifest_files() -> List[Path]:
    """Every YAML file in deploy/kubernetes/, the kustomization included."""
    return sorted(MANIFESTS.glob("*.yaml")) + sorted(MANIFESTS.glob("*.yml"))


def load_file(path: Path) -> List[Manifest]:
    """The YAML documents of one file (empty documents dropped)."""
    with path.open(encoding="utf-8") as stream:
        return [document for document in yaml.safe_load_all(stream) if document is not None]


def resources() -> List[Tuple[str, Manifest]]:
    """(file name, resource) for every Kubernetes resource, the Secret example included."""
    return [
        (path.name, document)
        for path in manifest_files()
        if path.name != KUSTOMIZATION
        for document in load_file(path)
    ]


def kustomization() -> Manifest:
    """The kustomization, the one document of kustomization.yaml."""
    (document,) = load_file(MANIFESTS / KUSTOMIZATION)
    return document


def find(kind: str, name: str) -> Manifest:
    """The one resource of this kind and name."""
    found = [
        doc for _, doc in resources() if doc["kind"] == kind and doc["metadata"]["name"] == name
    ]
    assert len(found) == 1, f"expected one {kind} {name}, found {len(found)}"
    return found[0]


def config_map_data() -> Dict[str, Any]:
    """The settings every workload gets from the ConfigMap."""
    return find("ConfigMap", CONFIG_MAP_NAME)["data"]


def pod_spec(workload: Manifest) -> Manifest:
    """The pod template's spec of a Deployment or a CronJob."""
    if workload["kind"] == "CronJob":
        return workload["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return workload["spec"]["template"]["spec"]


def pod_labels(workload: Manifest) -> Dict[str, str]:
    """The labels its pods carry."""
    if workload["kind"] == "CronJob":
        return workload["spec"]["jobTemplate"]["spec"]["template"]["metadata"]["labels"]
    return workload["spec"]["template"]["metadata"]["labels"]


def workloads() -> List[Manifest]:
    """Every resource that runs pods."""
    return [doc for _, doc in resources() if doc["kind"] in {"Deployment", "CronJob"}]


def containers() -> Iterator[Tuple[Manifest, Manifest]]:
    """(workload, container) for every container and init container."""
    for workload in workloads():
        spec = pod_spec(workload)
        for container in spec.get("initContainers", []) + spec["containers"]:
            yield workload, container


def rasa_deployment() -> Manifest:
    """The Rasa server's Deployment."""
    return find("Deployment", "iliopsoas-rasa")


def actions_deployment() -> Manifest:
    """The action server's Deployment."""
    return find("Deployment", "iliopsoas-actions")


def only_container(workload: Manifest) -> Manifest:
    """The one container of a workload's pods."""
    (container,) = pod_spec(workload)["containers"]
    return container


def env_entry(container: Manifest, name: str) -> Optional[Manifest]:
    """A container's own `env` entry for this name, if any."""
    return next((entry for entry in container.get("env", []) if entry["name"] == name), None)


def effective_setting(container: Manifest, name: str) -> Optional[str]:
    """The value a container sees: its own env wins over the ConfigMap it loads."""
    entry = env_entry(container, name)
    if entry is not None:
        return entry.get("value")
    loads_config = any(
        source.get("configMapRef", {}).get("name") == CONFIG_MAP_NAME
        for source in container.get("envFrom", [])
    )
    return config_map_data().get(name) if loads_config else None


def secret_reference(entry: Manifest) -> Dict[str, Any]:
    """The secretKeyRef of an env entry; fails on a literal value."""
    assert "value" not in entry, f"{entry['name']} is a literal value, not a Secret reference"
    return entry["valueFrom"]["secretKeyRef"]


def port_number(container: Manifest, port: Any) -> int:
    """A probe's or Service's port, by name or number, as the container's port number."""
    if isinstance(port, int):
        return port
    (number,) = [p["containerPort"] for p in container["ports"] if p["name"] == port]
    return number


def quantity_in_bytes(quantity: str) -> int:
    """A Kubernetes memory quantity (512Mi, 1Gi) or an nginx size (64k) in bytes."""
    match = re.fullmatch(r"(\d+)(Ki|Mi|Gi|k|m|g)?", str(quantity))
    assert match, f"unreadable size {quantity!r}"
    factors = {None: 1, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "k": 2**10, "m": 2**20, "g": 2**30}
    return int(match.group(1)) * factors[match.group(2)]


def environment_variable_names() -> Set[str]:
    """Every variable name the manifests set: ConfigMap, Secret example, containers' env."""
    names = set(config_map_data())
    names |= set(find("Secret", SECRET_NAME).get("stringData", {}))
    for _, container in containers():
        names |= {variable["name"] for variable in container.get("env", [])}
    return names


def _project_files(suffix: str) -> Iterator[Path]:
    for directory, subdirectories, files in os.walk(ROOT):
        subdirectories[:] = [name for name in subdirectories if name not in NOT_PROJECT_CODE]
        for name in files:
            if name.endswith(suffix):
                yield Path(directory) / name


@functools.lru_cache(maxsize=1)
def names_in_project_code() -> FrozenSet[str]:
    """Upper-case names the assistant's code reads from the environment.

    Python reads them through small helpers (`read("CLINIC_NAME")`, `environ.get(...)`), so a
    quoted literal in a module is the signal; shell scripts read `$NAME` or `${NAME...}`.
    """
    names: Set[str] = set()
    for path in _project_files(".py"):
        names |= set(re.findall(r"""["']([A-Z][A-Z0-9_]{2,})["']""", path.read_text("utf-8")))
    for path in _project_files(".sh"):
        names |= set(re.findall(r"\$\{?([A-Z][A-Z0-9_]*)", path.read_text("utf-8")))
    return frozenset(names)


@functools.lru_cache(maxsize=1)
def names_in_installed_rasa() -> FrozenSet[str]:
    """Upper-case quoted names in the installed Rasa package's source."""
    spec = importlib.util.find_spec("rasa")
    assert spec is not None and spec.submodule_search_locations, "rasa is not installed"
    names: Set[str] = set()
    for path in Path(spec.submodule_search_locations[0]).rglob("*.py"):
        text = path.read_text("utf-8", errors="replace")
        names |= set(re.findall(r"""["']([A-Z][A-Z0-9_]{2,})["']""", text))
    return frozenset(names)
