"""NetworkPolicy edges, migration hook Jobs as the owner role, provisioning Jobs, schema refusals, helm test."""

from __future__ import annotations

from typing import Any

import helm_python
import pytest

from tests.helm.conftest import FULLNAME, Doc, named, of_kind, pod_specs, render


def peers_components(rule: dict[str, Any]) -> set[str]:
    return {
        peer["podSelector"]["matchLabels"]["app.kubernetes.io/component"]
        for peer in rule.get("to", rule.get("from", []))
        if "podSelector" in peer
    }


def test_everything_is_denied_unless_allowed(docs: list[Doc]) -> None:
    deny = named(docs, "NetworkPolicy", "default-deny")
    assert deny["spec"]["policyTypes"] == ["Ingress", "Egress"]
    assert "ingress" not in deny["spec"]
    assert "egress" not in deny["spec"]
    assert deny["spec"]["podSelector"]["matchLabels"] == {
        "app.kubernetes.io/name": "redcell",
        "app.kubernetes.io/instance": "rc",
    }


def test_service_apis_accept_only_the_gateway_and_declared_callers() -> None:
    docs = render({"services": {"training": {"enabled": True, "calls": ["orgtree"]}}})
    orgtree_in = named(docs, "NetworkPolicy", "orgtree-api-ingress")["spec"]["ingress"]
    assert len(orgtree_in) == 1
    # dispatch's caller lookup is a declared call in the chart's defaults
    assert peers_components(orgtree_in[0]) == {
        "gateway",
        "training-api",
        "training-worker",
        "dispatch-api",
        "dispatch-worker",
    }
    training_in = named(docs, "NetworkPolicy", "training-api-ingress")["spec"]["ingress"]
    assert peers_components(training_in[0]) == {"gateway"}  # orgtree declared no call to training
    training_out = named(docs, "NetworkPolicy", "training-api-egress")["spec"]["egress"]
    assert {"orgtree-api"} in [peers_components(rule) for rule in training_out]
    orgtree_out = named(docs, "NetworkPolicy", "orgtree-api-egress")["spec"]["egress"]
    assert all(not peers_components(rule) for rule in orgtree_out)  # no service edges of its own


def test_a_caller_is_told_where_the_called_service_is(default_docs: list[Doc]) -> None:
    containers = {name: spec["containers"][0] for name, spec in pod_specs(default_docs)}
    env = {e["name"]: e.get("value") for e in containers[f"{FULLNAME}-dispatch-api"].get("env", [])}
    assert env["REDCELL_DISPATCH__ORGTREE_URL"] == f"http://{FULLNAME}-orgtree-api"
    orgtree_env = {e["name"] for e in containers[f"{FULLNAME}-orgtree-api"].get("env", [])}
    assert not any(name.endswith("_URL") and name.startswith("REDCELL_ORGTREE__") for name in orgtree_env)


def test_gateway_reaches_the_service_apis_and_its_data_stores(default_docs: list[Doc]) -> None:
    egress = named(default_docs, "NetworkPolicy", "gateway-egress")["spec"]["egress"]
    assert {rule["ports"][0]["port"] for rule in egress} == {
        5432,
        6379,
        8000,
        9000,
    }  # 9000: the bucket, for presigned uploads
    services = [peers_components(rule) for rule in egress if rule["ports"][0]["port"] == 8000]
    assert sorted(map(sorted, services)) == [
        ["console-api"],
        ["dispatch-api"],
        ["documents-api"],
        ["orgtree-api"],
        ["training-api"],
    ]


def test_data_store_egress_uses_the_operators_peers(production_docs: list[Doc]) -> None:
    worker = named(production_docs, "NetworkPolicy", "orgtree-worker-egress")["spec"]["egress"]
    by_port = {rule["ports"][0]["port"]: rule.get("to") for rule in worker}
    assert set(by_port) == {5432, 6379, 443}
    assert by_port[5432] == [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "databases"}}}]
    assert by_port[6379] == [{"ipBlock": {"cidr": "10.20.0.0/16"}}]
    relay = named(production_docs, "NetworkPolicy", "orgtree-relay-egress")["spec"]["egress"]
    assert {rule["ports"][0]["port"] for rule in relay} == {5432, 6379}  # relays need no S3
    gateway_in = named(production_docs, "NetworkPolicy", "gateway-ingress")["spec"]["ingress"][0]["from"]
    assert {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}}} in gateway_in
    assert named(production_docs, "NetworkPolicy", "metrics-ingress")


def test_one_migration_hook_job_per_component_as_its_owner(docs: list[Doc]) -> None:
    jobs = {j["metadata"]["name"]: j for j in of_kind(docs, "Job") if j["metadata"]["name"].endswith("-migrate")}
    assert set(jobs) == {f"{FULLNAME}-{c}-migrate" for c in ("gateway", "orgtree", "dispatch", "training", "documents")}
    for name, job in jobs.items():
        component = name.removeprefix(f"{FULLNAME}-").removesuffix("-migrate")
        annotations = job["metadata"]["annotations"]
        assert annotations["helm.sh/hook"] == "pre-install,pre-upgrade"
        spec = job["spec"]["template"]["spec"]
        assert "initContainers" not in spec
        container = spec["containers"][0]
        assert container["args"] == ["migrate", component]
        secrets = {e["name"]: e["valueFrom"]["secretKeyRef"] for e in container["env"] if "valueFrom" in e}
        owner = secrets[f"REDCELL_PG__PASSWORDS__{component.upper()}_OWNER"]
        assert owner == {"name": "redcell-postgres-migrator", "key": f"{component}-owner"}
        assert not [k for k in secrets if k.endswith(("_APP", "_SYSTEM"))], "a migration needs no other role"
    for deployment in of_kind(docs, "Deployment"):  # running pods never get an owner password
        for env in deployment["spec"]["template"]["spec"]["containers"][0]["env"]:
            assert not env["name"].endswith("_OWNER"), deployment["metadata"]["name"]
            if "valueFrom" in env:
                assert env["valueFrom"]["secretKeyRef"]["name"] != "redcell-postgres-migrator"


def test_bootstrap_adds_the_administrator_to_the_migration_only() -> None:
    docs = render({"postgres": {"bootstrap": {"enabled": True}}})
    job = named(docs, "Job", "orgtree-migrate")["spec"]["template"]["spec"]["containers"][0]
    assert job["args"] == ["migrate", "orgtree", "--bootstrap"]
    names = {e["name"] for e in job["env"]}
    assert {"REDCELL_PG__ADMIN_PASSWORD", "REDCELL_PG__PASSWORDS__ORGTREE_APP"} <= names


def test_districts_are_provisioned_from_values(production_docs: list[Doc], default_docs: list[Doc]) -> None:
    assert not [j for j in of_kind(default_docs, "Job") if "tenant" in j["metadata"]["name"]]
    job = named(production_docs, "Job", "tenant-wenzhou-longwan")
    assert job["metadata"]["annotations"]["helm.sh/hook"] == "post-install,post-upgrade"
    container = job["spec"]["template"]["spec"]["containers"][0]
    assert "--slug=wenzhou-longwan" in container["args"]
    assert "--admin-password=$(ADMIN_PASSWORD)" in container["args"]
    password = next(e for e in container["env"] if e["name"] == "ADMIN_PASSWORD")
    assert password["valueFrom"]["secretKeyRef"] == {"name": "redcell-longwan-admin", "key": "password"}


def test_helm_test_checks_readyz_through_the_gateway(default_docs: list[Doc]) -> None:
    pod = named(default_docs, "Pod", "test-readyz")
    assert pod["metadata"]["annotations"]["helm.sh/hook"] == "test"
    assert f"http://{FULLNAME}-gateway/readyz" in pod["spec"]["containers"][0]["args"][0]
    assert [name for name, _ in pod_specs(default_docs) if name.endswith("test-readyz")]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"gateway": {"api": {"replicaCount": "2"}}}, "/gateway/api/replicaCount"),
        ({"services": {"orgtree": {"enabled": True, "api": {"replicas": 2}}}}, "replicas"),
        ({"replicaCount": 2}, "replicaCount"),
        ({"networkPolicy": {"enabled": "yes"}}, "/networkPolicy/enabled"),
        ({"image": {"digest": "latest"}}, "/image/digest"),
        ({"postgres": {"existingSecret": "Not_A_Name"}}, "/postgres/existingSecret"),
        ({"provisioning": {"tenants": [{"slug": "x", "name": "y"}]}}, "/provisioning/tenants/0"),
        ({"config": {"extraEnv": {"PATH": "/bin"}}}, "'PATH' does not match"),
    ],
)
def test_schema_refuses_wrong_types_and_unknown_keys(values: dict[str, Any], message: str) -> None:
    with pytest.raises(helm_python.HelmValuesError) as refused:
        render(values, validate=False)
    assert message in str(refused.value)
