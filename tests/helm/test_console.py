"""The web console in the chart: one API Deployment without database, relay, worker or migration Job, told where
the gateway is; the gateway told where the console is; network edges both ways between them and nothing else."""

from __future__ import annotations

import json
from typing import Any

import helm_python
import pytest

from tests.helm.conftest import FULLNAME, Doc, named, of_kind, pod_specs, render
from tests.helm.test_network_and_jobs import peers_components

CONSOLE = f"{FULLNAME}-console-api"


def env_of(docs: list[Doc], deployment: str) -> dict[str, Any]:
    container = named(docs, "Deployment", deployment)["spec"]["template"]["spec"]["containers"][0]
    return {e["name"]: e.get("value", e.get("valueFrom")) for e in container["env"]}


def test_the_console_is_an_api_without_database_worker_relay_or_migration(docs: list[Doc]) -> None:
    console = {(d["kind"], d["metadata"]["name"]) for d in docs if "console" in d["metadata"]["name"]}
    policies = {("NetworkPolicy", f"{CONSOLE}-ingress"), ("NetworkPolicy", f"{CONSOLE}-egress")}
    own = {(kind, CONSOLE) for kind in ("ServiceAccount", "Service", "Deployment", "PodDisruptionBudget")}
    assert console == policies | own  # no worker, relay, migration Job or HPA
    assert not [j for j in of_kind(docs, "Job") if "console" in j["metadata"]["name"]]
    container = named(docs, "Deployment", "console-api")["spec"]["template"]["spec"]["containers"][0]
    assert container["args"] == ["api", "console", "--port", "8000"]
    secrets = {e["name"] for e in container["env"] if "valueFrom" in e}
    assert secrets == {"REDCELL_MASTER_KEY", "REDCELL_REDIS__URL"}  # sessions in Redis, CSRF from the key
    scheduler = env_of(docs, "scheduler")
    assert not [name for name in scheduler if "CONSOLE" in name]


def test_the_console_calls_the_gateway_and_the_gateway_serves_the_console(docs: list[Doc]) -> None:
    console = env_of(docs, "console-api")
    assert console["REDCELL_CONSOLE__GATEWAY_URL"] == f"http://{FULLNAME}-gateway"
    assert console["REDCELL_CONSOLE__COOKIE_SECURE"] == "true"
    gateway = env_of(docs, "gateway")
    assert gateway["REDCELL_GATEWAY__CONSOLE_URL"] == f"http://{CONSOLE}"
    assert "console" not in json.loads(gateway["REDCELL_GATEWAY__UPSTREAMS"])  # not an /api/console upstream
    service = named(docs, "Service", "console-api")["spec"]
    assert [(p["port"], p["targetPort"]) for p in service["ports"]] == [(80, "http")]


def test_the_console_is_probed_on_its_health_endpoints(docs: list[Doc]) -> None:
    container = named(docs, "Deployment", "console-api")["spec"]["template"]["spec"]["containers"][0]
    probes = {kind: container[kind]["httpGet"] for kind in ("startupProbe", "livenessProbe", "readinessProbe")}
    assert probes == {
        "startupProbe": {"path": "/livez", "port": "http"},
        "livenessProbe": {"path": "/livez", "port": "http"},
        "readinessProbe": {"path": "/readyz", "port": "http"},
    }
    assert container["ports"] == [{"name": "http", "containerPort": 8000, "protocol": "TCP"}]


def test_network_edges_both_ways_between_gateway_and_console(docs: list[Doc]) -> None:
    ingress = named(docs, "NetworkPolicy", "console-api-ingress")["spec"]["ingress"]
    assert [(peers_components(rule), rule["ports"]) for rule in ingress] == [
        ({"gateway"}, [{"port": "http", "protocol": "TCP"}])
    ]  # the gateway proxies /console/ to it, nobody else reaches it
    egress = named(docs, "NetworkPolicy", "console-api-egress")["spec"]["egress"]
    by_port = {rule["ports"][0]["port"]: peers_components(rule) for rule in egress}
    assert by_port == {6379: set(), 8000: {"gateway"}}  # Redis and the gateway: no database, no S3
    gateway_out = named(docs, "NetworkPolicy", "gateway-egress")["spec"]["egress"]
    assert {"console-api"} in [peers_components(rule) for rule in gateway_out if rule["ports"][0]["port"] == 8000]
    assert not [n for n in (d["metadata"]["name"] for d in of_kind(docs, "NetworkPolicy")) if "console-migrate" in n]


def test_a_closed_gateway_still_lets_the_console_in(production_docs: list[Doc]) -> None:
    [rule] = named(production_docs, "NetworkPolicy", "gateway-ingress")["spec"]["ingress"]
    assert {"console-api", "test"} <= peers_components(rule)
    assert {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}}} in rule["from"]


def test_without_the_console_the_gateway_serves_none() -> None:
    docs = render({"services": {"console": {"enabled": False}}})
    assert not [d for d in docs if "console" in d["metadata"]["name"]]
    assert env_of(docs, "gateway")["REDCELL_GATEWAY__CONSOLE_URL"] == ""
    egress = named(docs, "NetworkPolicy", "gateway-egress")["spec"]["egress"]
    assert {"console-api"} not in [peers_components(rule) for rule in egress]


def test_a_service_without_database_has_no_migration_relay_or_database_role() -> None:
    docs = render({"services": {"reports": {"enabled": True, "database": False, "worker": {"threads": 2}}}})
    names = {d["metadata"]["name"] for d in of_kind(docs, "Deployment")}
    assert {f"{FULLNAME}-reports-api", f"{FULLNAME}-reports-worker"} <= names
    assert f"{FULLNAME}-reports-relay" not in names
    assert f"{FULLNAME}-reports-migrate" not in {j["metadata"]["name"] for j in of_kind(docs, "Job")}
    for name, spec in pod_specs(docs):
        if "reports" in name:
            assert not [e for e in spec["containers"][0]["env"] if e["name"].startswith("REDCELL_PG__")], name
    assert "REDCELL_PG__PASSWORDS__REPORTS_APP" not in env_of(docs, "scheduler")


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"services": {"console": {"enabled": True, "worker": "no"}}}, "/services/console/worker"),
        ({"services": {"console": {"enabled": True, "database": "false"}}}, "/services/console/database"),
        ({"services": {"console": {"enabled": True, "env": {"PATH": "/bin"}}}}, "'PATH' does not match"),
    ],
)
def test_schema_refuses_wrong_console_settings(values: dict[str, Any], message: str) -> None:
    with pytest.raises(helm_python.HelmValuesError) as refused:
        render(values, validate=False)
    assert message in str(refused.value)
