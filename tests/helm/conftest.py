"""Render the chart offline with a real Helm engine and check every manifest against Kubernetes' schemas.

`helm_python` bundles Helm's Go SDK (no helm binary, no cluster); `kubernetes_validate` bundles the
OpenAPI schemas of each Kubernetes release. Custom resources (ServiceMonitor) are not in those schemas
and are checked by the tests that expect them.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import helm_python
import kubernetes_validate
import pytest
import yaml

CHART = Path(__file__).parents[2] / "helm" / "redcell"
PRODUCTION = CHART / "ci" / "production-values.yaml"
KUBE_VERSION = "1.33.0"
RELEASE, NAMESPACE = "rc", "redcell"
FULLNAME = f"{RELEASE}-redcell"
CUSTOM_KINDS = {"ServiceMonitor"}

Doc = dict[str, Any]


def production_values() -> dict[str, Any]:
    values: dict[str, Any] = yaml.safe_load(PRODUCTION.read_text())
    return values


def merged(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in extra.items():
        out[key] = merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def render(values: dict[str, Any] | None = None, *, validate: bool = True) -> list[Doc]:
    chart = helm_python.Chart.load(CHART)
    try:
        rendered = chart.render(values, name=RELEASE, namespace=NAMESPACE, is_install=True)
    finally:
        chart.close()
    docs: list[Doc] = []
    for path, text in sorted(rendered.items()):
        if path.endswith("NOTES.txt"):
            continue
        for doc in yaml.safe_load_all(text):
            if not doc:
                continue
            if validate and doc["kind"] not in CUSTOM_KINDS:
                kubernetes_validate.validate(doc, KUBE_VERSION, strict=True)
            docs.append(doc)
    return docs


def of_kind(docs: list[Doc], kind: str) -> list[Doc]:
    return [d for d in docs if d["kind"] == kind]


def named(docs: list[Doc], kind: str, suffix: str) -> Doc:
    matches = [d for d in of_kind(docs, kind) if d["metadata"]["name"] == f"{FULLNAME}-{suffix}"]
    assert len(matches) == 1, f"{kind} {suffix}: {[d['metadata']['name'] for d in of_kind(docs, kind)]}"
    return matches[0]


def pod_specs(docs: list[Doc]) -> list[tuple[str, Doc]]:
    """(name, pod spec) of every Deployment, Job and bare Pod."""
    specs = []
    for doc in docs:
        if doc["kind"] in {"Deployment", "Job"}:
            specs.append((doc["metadata"]["name"], doc["spec"]["template"]["spec"]))
        elif doc["kind"] == "Pod":
            specs.append((doc["metadata"]["name"], doc["spec"]))
    return specs


@pytest.fixture(scope="session")
def default_docs() -> list[Doc]:
    return render()


@pytest.fixture(scope="session")
def production_docs() -> list[Doc]:
    return render(production_values())


@pytest.fixture(params=["default", "production"])
def docs(request: pytest.FixtureRequest, default_docs: list[Doc], production_docs: list[Doc]) -> list[Doc]:
    return default_docs if request.param == "default" else production_docs


Render = Callable[..., list[Doc]]
