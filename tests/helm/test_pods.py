"""Every container runs locked down with resources; every Deployment has three distinct probes."""

from __future__ import annotations

import jmespath

from tests.helm.conftest import Doc, of_kind, pod_specs


def test_every_pod_and_container_is_locked_down(docs: list[Doc]) -> None:
    specs = pod_specs(docs)
    assert len(specs) >= 8
    for name, spec in specs:
        assert spec["automountServiceAccountToken"] is False, name
        assert jmespath.search("securityContext.runAsNonRoot", spec) is True, name
        assert jmespath.search("securityContext.seccompProfile.type", spec) == "RuntimeDefault", name
        tmp = [v for v in spec["volumes"] if v["name"] == "tmp"]
        assert tmp, name
        assert "emptyDir" in tmp[0], name
        for container in spec["containers"]:
            context = container["securityContext"]
            assert context["runAsNonRoot"] is True, name
            assert context["readOnlyRootFilesystem"] is True, name
            assert context["allowPrivilegeEscalation"] is False, name
            assert context["capabilities"]["drop"] == ["ALL"], name
            assert context["seccompProfile"]["type"] == "RuntimeDefault", name
            assert container["resources"]["requests"]["cpu"], name
            assert container["resources"]["requests"]["memory"], name
            assert container["resources"]["limits"]["memory"], name
            assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"], name


def test_service_accounts_mount_no_token(docs: list[Doc]) -> None:
    accounts = of_kind(docs, "ServiceAccount")
    assert accounts
    assert all(a["automountServiceAccountToken"] is False for a in accounts)


def test_every_deployment_has_startup_liveness_and_readiness_probes(docs: list[Doc]) -> None:
    for deployment in of_kind(docs, "Deployment"):
        name = deployment["metadata"]["name"]
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        startup, live, ready = (container[p] for p in ("startupProbe", "livenessProbe", "readinessProbe"))
        assert live["httpGet"]["path"] == "/livez", name
        assert ready["httpGet"]["path"] == "/readyz", name
        assert startup["httpGet"]["path"] == "/livez", name
        assert len({str(startup), str(live), str(ready)}) == 3, f"{name}: probes are not distinct"
        ports = {p["name"] for p in container["ports"]}
        assert {live["httpGet"]["port"], ready["httpGet"]["port"]} <= ports, name
        assert startup["failureThreshold"] * startup["periodSeconds"] >= 60, f"{name}: too little time to start"


def test_background_processes_serve_probes_on_their_own_port(default_docs: list[Doc]) -> None:
    config = of_kind(default_docs, "ConfigMap")[0]["data"]
    assert config["REDCELL_PROBE_PORT"] == "8080"
    for deployment in of_kind(default_docs, "Deployment"):
        args = deployment["spec"]["template"]["spec"]["containers"][0]["args"]
        port = deployment["spec"]["template"]["spec"]["containers"][0]["livenessProbe"]["httpGet"]["port"]
        assert port == ("http" if args[0] == "api" else "probes"), deployment["metadata"]["name"]


def test_pods_restart_when_the_configuration_changes(docs: list[Doc]) -> None:
    checksums = {
        d["spec"]["template"]["metadata"]["annotations"]["checksum/config"] for d in of_kind(docs, "Deployment")
    }
    assert len(checksums) == 1
    assert len(checksums.pop()) == 64


def test_no_secret_is_created_and_secrets_are_referenced_only(docs: list[Doc]) -> None:
    assert of_kind(docs, "Secret") == []
    config = of_kind(docs, "ConfigMap")[0]["data"]
    assert not [k for k in config if "PASSWORD" in k or "SECRET" in k or "MASTER_KEY" in k]
    for name, spec in pod_specs(docs):
        for container in spec["containers"]:
            for env in container.get("env", []):
                if any(word in env["name"] for word in ("PASSWORD", "SECRET_KEY", "MASTER_KEY", "REDIS__URL")):
                    assert "secretKeyRef" in env["valueFrom"], f"{name}: {env['name']}"
