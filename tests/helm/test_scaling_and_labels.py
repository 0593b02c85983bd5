"""PDB and HPA rules, topology spread, and selector labels that survive image changes."""

from __future__ import annotations

from tests.helm.conftest import FULLNAME, Doc, named, of_kind, render


def test_hpa_replaces_fixed_replicas(production_docs: list[Doc]) -> None:
    hpas = {h["metadata"]["name"]: h for h in of_kind(production_docs, "HorizontalPodAutoscaler")}
    assert set(hpas) == {
        f"{FULLNAME}-gateway",
        f"{FULLNAME}-orgtree-api",
        f"{FULLNAME}-dispatch-api",
        f"{FULLNAME}-training-api",
        f"{FULLNAME}-documents-api",
    }
    for name, hpa in hpas.items():
        assert hpa["apiVersion"] == "autoscaling/v2"
        assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": name}
        deployment = next(d for d in of_kind(production_docs, "Deployment") if d["metadata"]["name"] == name)
        assert "replicas" not in deployment["spec"], name
    assert hpas[f"{FULLNAME}-gateway"]["spec"]["minReplicas"] == 3


def test_pdb_only_where_more_than_one_pod_runs(default_docs: list[Doc], production_docs: list[Doc]) -> None:
    for docs in (default_docs, production_docs):
        pdbs = {p["metadata"]["name"] for p in of_kind(docs, "PodDisruptionBudget")}
        for deployment in of_kind(docs, "Deployment"):
            name = deployment["metadata"]["name"]
            several = deployment["spec"].get("replicas", 2) > 1  # no replicas: an HPA with min >= 2
            assert (name in pdbs) == several, name
    pdb = named(production_docs, "PodDisruptionBudget", "gateway")
    gateway = named(production_docs, "Deployment", "gateway")
    assert pdb["spec"]["selector"] == gateway["spec"]["selector"]
    assert pdb["spec"]["maxUnavailable"] == 1


def test_pdb_can_be_switched_off() -> None:
    docs = render({"defaults": {"pdb": {"enabled": False}}})
    assert of_kind(docs, "PodDisruptionBudget") == []


def test_pods_spread_over_nodes_and_zones(docs: list[Doc]) -> None:
    for deployment in of_kind(docs, "Deployment"):
        spec = deployment["spec"]["template"]["spec"]
        keys = {c["topologyKey"] for c in spec["topologySpreadConstraints"]}
        assert keys == {"kubernetes.io/hostname", "topology.kubernetes.io/zone"}
        for constraint in spec["topologySpreadConstraints"]:
            assert constraint["labelSelector"]["matchLabels"] == deployment["spec"]["selector"]["matchLabels"]


def test_selectors_do_not_change_with_the_image() -> None:
    def selectors(tag: str) -> dict[str, object]:
        docs = render({"image": {"tag": tag}})
        return {d["metadata"]["name"]: d["spec"]["selector"] for d in of_kind(docs, "Deployment")}

    before, after = selectors("1.0.0"), selectors("1.1.0")
    assert before == after
    for selector in before.values():
        labels = selector["matchLabels"]  # type: ignore[index]
        assert set(labels) == {"app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/component"}


def test_recommended_labels_everywhere(docs: list[Doc]) -> None:
    for doc in docs:
        labels = doc["metadata"]["labels"]
        for key in ("app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/managed-by"):
            assert key in labels, f"{doc['kind']} {doc['metadata']['name']}"
        if doc["kind"] != "ServiceMonitor":  # its extra labels are the operator's to choose (values)
            assert not {"app", "release", "heritage", "chart"} & set(labels)


def test_image_digest_wins_over_tag(production_docs: list[Doc]) -> None:
    images = {
        c["image"] for d in of_kind(production_docs, "Deployment") for c in d["spec"]["template"]["spec"]["containers"]
    }
    assert len(images) == 1
    assert "@sha256:" in images.pop()
