"""The Kubernetes manifests in deploy/kubernetes/, checked by reading them (no cluster here)."""

from __future__ import annotations

import re
from typing import Dict, List
from urllib.parse import urlparse

import pytest

from tests.support.manifests import (
    KUSTOMIZATION,
    NAMESPACE,
    ROOT,
    SECRET_EXAMPLE,
    SECRET_NAME,
    Manifest,
    actions_deployment,
    config_map_data,
    containers,
    effective_setting,
    env_entry,
    environment_variable_names,
    find,
    kustomization,
    manifest_files,
    names_in_installed_rasa,
    names_in_project_code,
    only_container,
    pod_labels,
    pod_spec,
    port_number,
    quantity_in_bytes,
    rasa_deployment,
    resources,
    secret_reference,
    workloads,
)

# Settings Rasa itself reads, not our code; each is checked against the installed Rasa below.
RASA_OWN_SETTINGS = {
    "RASA_TELEMETRY_ENABLED",  # rasa/telemetry.py
    "SANIC_WORKERS",  # rasa/constants.py
    "TICKET_LOCK_LIFETIME",  # rasa/core/lock_store.py
    "SQL_POOL_SIZE",  # rasa/core/constants.py, used by the SQL tracker store
    "SQL_MAX_OVERFLOW",
}
SHARED_STATE_URLS = ["DATABASE_URL", "REDIS_URL"]
ALL_RESOURCES = resources()


@pytest.mark.parametrize(
    "file_name, resource",
    ALL_RESOURCES,
    ids=[f"{name}:{doc.get('kind')}" for name, doc in ALL_RESOURCES],
)
def test_every_resource_names_its_api_kind_name_and_namespace(
    file_name: str, resource: Manifest
) -> None:
    assert resource.get("apiVersion"), file_name
    assert resource.get("kind"), file_name
    assert resource.get("metadata", {}).get("name"), file_name
    if resource["kind"] != "Namespace":  # the one cluster-wide resource
        assert resource["metadata"].get("namespace") == NAMESPACE, file_name


def test_kustomization_applies_every_manifest_file_but_the_secret_example() -> None:
    present = {path.name for path in manifest_files()} - {KUSTOMIZATION, SECRET_EXAMPLE}
    listed = kustomization()["resources"]
    assert sorted(listed) == sorted(present)
    assert kustomization()["namespace"] == NAMESPACE


def test_config_map_values_are_all_strings() -> None:
    # kubectl rejects a ConfigMap whose value is a YAML number or boolean.
    not_strings = {k: v for k, v in config_map_data().items() if not isinstance(v, str)}
    assert not_strings == {}


def test_rasa_server_runs_at_least_two_replicas_of_the_server_script() -> None:
    assert rasa_deployment()["spec"]["replicas"] >= 2
    command = only_container(rasa_deployment())["command"]
    assert command[0].endswith("scripts/rasa_server.sh")


@pytest.mark.parametrize("name", ["iliopsoas-rasa", "iliopsoas-actions"])
def test_rolling_update_keeps_every_pod_until_its_replacement_is_ready(name: str) -> None:
    strategy = find("Deployment", name)["spec"]["strategy"]
    assert strategy["type"] == "RollingUpdate"
    assert strategy["rollingUpdate"]["maxUnavailable"] == 0
    assert strategy["rollingUpdate"]["maxSurge"] >= 1


def test_shared_state_urls_come_from_the_secret_never_as_literal_values() -> None:
    rasa = only_container(rasa_deployment())
    for name in SHARED_STATE_URLS:
        entry = env_entry(rasa, name)
        assert entry is not None, f"the Rasa server gets no {name}"
        reference = secret_reference(entry)
        assert (reference["name"], reference["key"]) == (SECRET_NAME, name)
        # Without it a replica would quietly keep conversations in its own SQLite file.
        assert not reference.get("optional", False)
        assert name not in config_map_data()


def test_every_secret_is_read_from_the_secret_and_never_from_the_config_map() -> None:
    secret_keys = set(find("Secret", SECRET_NAME)["stringData"])
    assert secret_keys.isdisjoint(config_map_data())
    for workload, container in containers():
        for entry in container.get("env", []):
            if entry["name"] in secret_keys:
                reference = secret_reference(entry)
                assert reference["name"] == SECRET_NAME, workload["metadata"]["name"]
                assert reference["key"] in secret_keys


def test_rasa_http_api_is_off_and_could_only_be_on_with_the_secret_token() -> None:
    rasa = only_container(rasa_deployment())
    enabled = (effective_setting(rasa, "RASA_ENABLE_API") or "false").strip().lower()
    assert enabled == "false"
    token = env_entry(rasa, "RASA_AUTH_TOKEN")
    assert token is not None, "turning the API on would leave it without a token"
    assert secret_reference(token)["name"] == SECRET_NAME


def test_rasa_server_runs_one_sanic_worker_per_pod() -> None:
    assert effective_setting(only_container(rasa_deployment()), "SANIC_WORKERS") == "1"


def test_rasa_server_probes_wait_for_the_model_to_load() -> None:
    rasa = only_container(rasa_deployment())
    port = int(effective_setting(rasa, "RASA_PORT") or 5005)
    assert port_number(rasa, "http") == port
    for kind in ["startupProbe", "readinessProbe", "livenessProbe"]:
        probe = rasa[kind]
        assert probe["httpGet"]["path"] == "/", kind
        assert port_number(rasa, probe["httpGet"]["port"]) == port, kind
    # The model loads in 25-40 s: no readiness check before 20 s, and at least twice the load
    # time before the startup probe gives up and liveness could restart the pod.
    assert rasa["readinessProbe"]["initialDelaySeconds"] >= 20
    startup = rasa["startupProbe"]
    budget = startup["initialDelaySeconds"] + startup["periodSeconds"] * startup["failureThreshold"]
    assert budget >= 80


def test_action_server_runs_on_5055_and_is_probed_on_health() -> None:
    actions = only_container(actions_deployment())
    assert actions_deployment()["spec"]["replicas"] >= 2
    # scripts/action_server.sh: `rasa run actions` on ACTION_SERVER_PORT, 5055 unless set.
    assert actions["command"] == ["/app/scripts/action_server.sh"]
    assert config_map_data().get("ACTION_SERVER_PORT", "5055") == "5055"
    for kind in ["readinessProbe", "livenessProbe"]:
        assert actions[kind]["httpGet"]["path"] == "/health", kind
        assert port_number(actions, actions[kind]["httpGet"]["port"]) == 5055, kind


def test_action_server_url_names_the_action_service_and_its_port() -> None:
    url = urlparse(config_map_data()["ACTION_SERVER_URL"])
    service = find("Service", url.hostname)
    (port,) = [p for p in service["spec"]["ports"] if p["port"] == url.port]
    assert url.path == "/webhook"
    actions = only_container(actions_deployment())
    assert port_number(actions, port["targetPort"]) == 5055


@pytest.mark.parametrize("name", ["iliopsoas-rasa", "iliopsoas-actions"])
def test_each_service_selects_its_deployments_pods_and_port(name: str) -> None:
    service, deployment = find("Service", name), find("Deployment", name)
    assert service["spec"]["selector"].items() <= pod_labels(deployment).items()
    for port in service["spec"]["ports"]:
        port_number(only_container(deployment), port["targetPort"])


@pytest.mark.parametrize("name", sorted(environment_variable_names()))
def test_every_environment_variable_set_is_one_the_assistant_reads(name: str) -> None:
    read_by_code = name in names_in_project_code()
    assert read_by_code or name in RASA_OWN_SETTINGS, (
        f"{name} is set in deploy/kubernetes but no project code or script reads it"
    )


@pytest.mark.parametrize("name", sorted(RASA_OWN_SETTINGS))
def test_settings_left_to_rasa_are_read_by_the_installed_rasa(name: str) -> None:
    assert name in names_in_installed_rasa()


def test_images_are_pinned_to_one_tag_of_one_build() -> None:
    images = {container["image"] for _, container in containers()}
    # One image for server, actions and purge: the model and the actions always match.
    assert len(images) == 1, images
    (image,) = images
    repository, _, tag = image.rpartition(":")
    assert "/" not in tag and tag not in {"", "latest"}, image
    (pinned,) = kustomization()["images"]
    assert pinned["name"] == repository
    assert pinned["newTag"] not in {"", "latest"}


@pytest.mark.parametrize("workload", workloads(), ids=lambda w: w["metadata"]["name"])
def test_every_pod_runs_as_non_root_without_privileges(workload: Manifest) -> None:
    spec = pod_spec(workload)
    assert spec["securityContext"]["runAsNonRoot"] is True
    assert spec["securityContext"]["runAsUser"] != 0
    assert spec["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
    assert spec["automountServiceAccountToken"] is False
    for container in spec["containers"]:
        context = container["securityContext"]
        assert context.get("runAsUser", 1) != 0
        assert context["allowPrivilegeEscalation"] is False
        assert context.get("privileged", False) is False
        assert context["capabilities"]["drop"] == ["ALL"]


def test_rasa_server_requests_about_a_gibibyte_and_writes_no_configuration_at_start() -> None:
    rasa = only_container(rasa_deployment())
    requested = quantity_in_bytes(rasa["resources"]["requests"]["memory"])
    assert requested >= 2**30
    assert quantity_in_bytes(rasa["resources"]["limits"]["memory"]) >= requested
    # The committed endpoints.yml and credentials.yml are read as they are: no writable folder.
    assert not [m for m in rasa.get("volumeMounts", []) if m["mountPath"] == "/app/var"]
    assert rasa["command"] == ["/app/scripts/rasa_server.sh"]


def test_disruption_budget_keeps_one_rasa_server_and_still_allows_drains() -> None:
    budget = find("PodDisruptionBudget", "iliopsoas-rasa")["spec"]
    assert budget["selector"]["matchLabels"].items() <= pod_labels(rasa_deployment()).items()
    assert 1 <= budget["minAvailable"] < rasa_deployment()["spec"]["replicas"]


def test_ingress_keeps_the_widgets_websockets_open() -> None:
    ingress = find("Ingress", "iliopsoas")
    annotations = ingress["metadata"]["annotations"]
    assert ingress["spec"]["ingressClassName"] == "nginx"
    for timeout in ["proxy-read-timeout", "proxy-send-timeout"]:
        assert int(annotations[f"nginx.ingress.kubernetes.io/{timeout}"]) >= 3600
    hosts = {rule["host"] for rule in ingress["spec"]["rules"]}
    assert hosts <= {host for tls in ingress["spec"]["tls"] for host in tls["hosts"]}
    backends = [
        path["backend"]["service"]
        for rule in ingress["spec"]["rules"]
        for path in rule["http"]["paths"]
    ]
    assert backends and all(backend["name"] == "iliopsoas-rasa" for backend in backends)


def test_ingress_body_limit_matches_max_request_bytes() -> None:
    annotations = find("Ingress", "iliopsoas")["metadata"]["annotations"]
    limit = quantity_in_bytes(annotations["nginx.ingress.kubernetes.io/proxy-body-size"])
    assert limit == int(config_map_data()["MAX_REQUEST_BYTES"])


def test_only_rasa_pods_may_call_the_action_server() -> None:
    policy = find("NetworkPolicy", "iliopsoas-actions")["spec"]
    assert policy["podSelector"]["matchLabels"].items() <= pod_labels(actions_deployment()).items()
    (rule,) = policy["ingress"]
    (source,) = rule["from"]
    assert source["podSelector"]["matchLabels"].items() <= pod_labels(rasa_deployment()).items()
    assert [port["port"] for port in rule["ports"]] == [5055]


def test_retention_purge_runs_daily_and_never_twice_at_once() -> None:
    purge = find("CronJob", "iliopsoas-retention-purge")
    minute, hour, *every = purge["spec"]["schedule"].split()
    assert minute.isdigit() and hour.isdigit() and every == ["*", "*", "*"]
    assert purge["spec"]["concurrencyPolicy"] == "Forbid"
    container = only_container(purge)
    assert container["command"] == ["python", "scripts/purge_conversations.py"]
    assert secret_reference(env_entry(container, "DATABASE_URL"))["name"] == SECRET_NAME
    assert effective_setting(container, "RETENTION_DAYS") == config_map_data()["RETENTION_DAYS"]


def test_secret_example_holds_only_placeholders() -> None:
    secret = find("Secret", SECRET_NAME)
    assert "data" not in secret  # base64 there could hide a real value
    values: Dict[str, str] = secret["stringData"]
    assert values and all("CHANGE_ME" in value for value in values.values()), values
    text = (ROOT / "deploy" / "kubernetes" / SECRET_EXAMPLE).read_text("utf-8")
    assert "kubectl -n iliopsoas create secret generic iliopsoas-secrets" in text
    assert "--from-literal" in text


def scripts_the_containers_run() -> List[str]:
    return sorted(
        {
            match
            for _, container in containers()
            for part in container.get("command", []) + container.get("args", [])
            for match in re.findall(r"scripts/[\w.]+", part)
        }
    )


@pytest.mark.parametrize("script", scripts_the_containers_run())
def test_every_script_a_container_runs_is_in_the_project(script: str) -> None:
    assert (ROOT / script).is_file(), f"{script} is not in the project"
