"""Every manifest in deploy/kubernetes/ against Kubernetes' own OpenAPI schemas
(kubernetes-validate, strict: an unknown or misspelt field is an error, as `kubectl apply
--validate=strict` would say), with no cluster needed."""

from __future__ import annotations

import copy
from typing import Any, Callable

import kubernetes_validate
import pytest

from tests.support.manifests import Manifest, find, resources

# The newest Kubernetes whose schemas the pinned kubernetes-validate (1.28.0) ships.
KUBERNETES_VERSION = "1.28.0"
ALL_RESOURCES = resources()


def validate(resource: Manifest) -> str:
    """Validates strictly; returns the schema version used, raises on any violation."""
    return kubernetes_validate.validate(resource, KUBERNETES_VERSION, strict=True)


def test_the_version_checked_against_is_the_newest_the_validator_knows() -> None:
    # When requirements-dev.txt moves kubernetes-validate on, this says to move the version too.
    assert kubernetes_validate.latest_version() == KUBERNETES_VERSION


@pytest.mark.parametrize(
    "file_name, resource",
    ALL_RESOURCES,
    ids=[f"{name}:{doc.get('kind')}" for name, doc in ALL_RESOURCES],
)
def test_every_resource_matches_the_kubernetes_schema(file_name: str, resource: Manifest) -> None:
    # A kind without a schema raises SchemaNotFoundError: it fails here rather than passing
    # unchecked.
    assert validate(resource) == "1.28", file_name


def misspell_a_container_field(deployment: Manifest) -> None:
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    container["imagePullPolice"] = container.pop("imagePullPolicy", "IfNotPresent")


def give_replicas_as_text(deployment: Manifest) -> None:
    deployment["spec"]["replicas"] = "two"


def drop_the_selector(deployment: Manifest) -> None:
    del deployment["spec"]["selector"]


def put_env_values_in_a_mapping(deployment: Manifest) -> None:
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    container["env"] = {"CLINIC_NAME": "A clinic"}


@pytest.mark.parametrize(
    "break_it",
    [
        misspell_a_container_field,
        give_replicas_as_text,
        drop_the_selector,
        put_env_values_in_a_mapping,
    ],
)
def test_a_broken_manifest_is_rejected(break_it: Callable[[Manifest], Any]) -> None:
    # The untouched Deployment passes (test_every_resource_matches_the_kubernetes_schema).
    deployment = copy.deepcopy(find("Deployment", "iliopsoas-rasa"))
    break_it(deployment)
    with pytest.raises(kubernetes_validate.ValidationError):
        validate(deployment)
