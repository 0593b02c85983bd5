"""Workers in the chart: processes and threads per pod, and lanes given workers of their own (`worker.lanes`),
each with replicas and processes, the NetworkPolicy of the service's worker, and the service's worker skipping them."""

from __future__ import annotations

from typing import Any

import helm_python
import pytest

from tests.helm.conftest import Doc, named, render
from tests.helm.test_network_and_jobs import peers_components


def worker_of(docs: list[Doc], suffix: str) -> tuple[dict[str, Any], list[str], dict[str, str]]:
    deployment = named(docs, "Deployment", suffix)
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    env = {e["name"]: e.get("value") for e in container.get("env", [])}
    return deployment["spec"], container["args"], env


def test_by_default_one_worker_per_service_reads_every_lane_with_one_process(default_docs: list[Doc]) -> None:
    for service, threads in (
        ("orgtree", "4"),
        ("dispatch", "4"),
        ("training", "4"),
        ("documents", "4"),
        ("gateway", "2"),
    ):
        _spec, args, env = worker_of(default_docs, f"{service}-worker")
        assert args == ["worker", service]
        assert (env["REDCELL_WORKER__THREADS"], env["REDCELL_WORKER__PROCESSES"]) == (threads, "1")


def test_a_lane_gets_a_deployment_of_its_own_and_the_services_worker_skips_it(production_docs: list[Doc]) -> None:
    spec, args, env = worker_of(production_docs, "dispatch-worker")
    assert args == ["worker", "dispatch", "--skip-queues", "sync"]
    assert (spec["replicas"], env["REDCELL_WORKER__PROCESSES"], env["REDCELL_WORKER__THREADS"]) == (2, "2", "8")
    spec, args, env = worker_of(production_docs, "dispatch-worker-sync")
    assert args == ["worker", "dispatch", "--queues", "sync"]
    assert (spec["replicas"], env["REDCELL_WORKER__PROCESSES"], env["REDCELL_WORKER__THREADS"]) == (1, "2", "4")
    container = named(production_docs, "Deployment", "dispatch-worker-sync")["spec"]["template"]["spec"]
    assert container["containers"][0]["resources"]["limits"] == {"cpu": "2", "memory": "1Gi"}
    # the same database roles and settings as the service's worker
    assert {k: v for k, v in env.items() if not k.startswith("REDCELL_WORKER__")} == {
        k: v
        for k, v in worker_of(production_docs, "dispatch-worker")[2].items()
        if not k.startswith("REDCELL_WORKER__")
    }


def test_a_lanes_worker_has_the_network_policy_of_the_services_worker(production_docs: list[Doc]) -> None:
    def rules(component: str) -> list[Any]:
        return named(production_docs, "NetworkPolicy", f"{component}-egress")["spec"]["egress"]  # type: ignore[no-any-return]

    assert rules("dispatch-worker-sync") == rules("dispatch-worker")
    # dispatch's declared call: orgtree's API lets the lane's worker in too
    orgtree_in = named(production_docs, "NetworkPolicy", "orgtree-api-ingress")["spec"]["ingress"][0]
    assert {"dispatch-worker", "dispatch-worker-sync"} <= peers_components(orgtree_in)


def test_several_lanes_and_processes_render_for_any_service() -> None:
    docs = render({"services": {"training": {"worker": {"processes": 3, "lanes": {"sync": {"replicaCount": 3}}}}}})
    _spec, args, env = worker_of(docs, "training-worker")
    assert (args, env["REDCELL_WORKER__PROCESSES"]) == (["worker", "training", "--skip-queues", "sync"], "3")
    spec, args, env = worker_of(docs, "training-worker-sync")
    assert (spec["replicas"], args, env["REDCELL_WORKER__PROCESSES"]) == (
        3,
        ["worker", "training", "--queues", "sync"],
        "1",
    )
    assert named(docs, "PodDisruptionBudget", "training-worker-sync")  # three replicas: a budget


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"services": {"dispatch": {"worker": {"processes": 0}}}}, "/services/dispatch/worker"),
        ({"services": {"dispatch": {"worker": {"lanes": {"Sync!": {}}}}}}, "/services/dispatch/worker"),
        ({"services": {"dispatch": {"worker": {"lanes": {"sync": {"lanes": {}}}}}}}, "/services/dispatch/worker"),
        ({"gateway": {"worker": {"lanes": {"sync": {}}}}}, "/gateway/worker"),  # the gateway has one lane
    ],
)
def test_schema_refuses_wrong_worker_settings(values: dict[str, Any], message: str) -> None:
    with pytest.raises(helm_python.HelmValuesError) as refused:
        render(values, validate=False)
    assert message in str(refused.value)
