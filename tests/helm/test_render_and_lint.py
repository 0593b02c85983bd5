"""The chart lints clean, renders with the default values and the production overlay, and every manifest
is valid for Kubernetes 1.33 (strict: unknown fields are errors)."""

from __future__ import annotations

import helm_python
import pytest

from tests.helm.conftest import CHART, FULLNAME, Doc, of_kind, production_values, render


@pytest.mark.parametrize("overlay", ["default", "production"])
def test_lint_is_clean(overlay: str) -> None:
    values = production_values() if overlay == "production" else None
    report = helm_python.lint(CHART, values, strict=True, kube_version="v1.33.0")
    assert report["errors"] == []
    assert [m for m in report["messages"] if m["severity"] >= 2] == []


def test_every_component_has_its_workload(docs: list[Doc], request: pytest.FixtureRequest) -> None:
    # the production overlay gives dispatch's sync lane a worker of its own (helm/redcell/ci/production-values.yaml)
    lanes = {"dispatch-worker-sync"} if docs is request.getfixturevalue("production_docs") else set()
    components = lanes | {
        "gateway",
        "gateway-relay",
        "gateway-worker",
        "orgtree-api",
        "orgtree-worker",
        "orgtree-relay",
        "dispatch-api",
        "dispatch-worker",
        "dispatch-relay",
        "training-api",
        "training-worker",
        "training-relay",
        "documents-api",
        "documents-worker",
        "documents-relay",
        "console-api",
        "scheduler",
    }
    for kind in ("Deployment", "Service", "ServiceAccount"):
        names = {d["metadata"]["name"] for d in of_kind(docs, kind)}
        assert names == {f"{FULLNAME}-{c}" for c in components}, kind


def test_a_new_service_is_a_values_entry_not_a_template() -> None:
    docs = render({"services": {"training": {"enabled": True, "calls": ["orgtree"]}}})
    names = {d["metadata"]["name"] for d in of_kind(docs, "Deployment")}
    assert {f"{FULLNAME}-training-{part}" for part in ("api", "worker", "relay")} <= names
    assert f"{FULLNAME}-training-migrate" in {d["metadata"]["name"] for d in of_kind(docs, "Job")}
    gateway = next(d for d in of_kind(docs, "Deployment") if d["metadata"]["name"] == f"{FULLNAME}-gateway")
    env = {e["name"]: e.get("value") for e in gateway["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert '"training":"http://rc-redcell-training-api"' in env["REDCELL_GATEWAY__UPSTREAMS"]


def test_a_disabled_service_renders_nothing() -> None:
    docs = render({"services": {"orgtree": {"enabled": False}}})
    assert not [d for d in docs if "orgtree" in d["metadata"]["name"]]


def test_only_the_gateway_is_exposed(production_docs: list[Doc]) -> None:
    ingresses = of_kind(production_docs, "Ingress")
    assert len(ingresses) == 1
    backends = {
        path["backend"]["service"]["name"] for rule in ingresses[0]["spec"]["rules"] for path in rule["http"]["paths"]
    }
    assert backends == {f"{FULLNAME}-gateway"}
    assert all(s["spec"]["type"] == "ClusterIP" for s in of_kind(production_docs, "Service"))


def test_service_monitor_only_when_asked_or_the_crd_exists(default_docs: list[Doc], production_docs: list[Doc]) -> None:
    # offline there is no monitoring.coreos.com API: "auto" (the default) renders none
    assert of_kind(default_docs, "ServiceMonitor") == []
    monitors = of_kind(production_docs, "ServiceMonitor")
    assert len(monitors) == 1
    assert {e["port"] for e in monitors[0]["spec"]["endpoints"]} == {"http", "probes"}
