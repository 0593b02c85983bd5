"""The lint contract that keeps the kernel from naming its consumers in strings (tests/platform/lint.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.platform.lint import string_imports


def test_a_module_path_in_a_string_is_reported_and_event_names_and_docstrings_are_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "kernelish"
    package.mkdir()
    (package / "__init__.py").write_text('"""Loads gateway.demo by name (a docstring, not an import)."""\n')
    (package / "cli.py").write_text(
        "import importlib\n"
        'LOADERS = ("services.orgtree.demo.loader", "services.dispatch.demo.loader:load_demo")\n'
        'demo = importlib.import_module("gateway.demo")\n'
        'EVENT = "gateway.TenantProvisioned"\n'
        'LABEL = "gateways and services"\n'
        'QUEUES = ("gateway", "services")\n'
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    hits = string_imports({"kernelish"}, {"gateway", "services"}, allowed={"gateway"})
    assert sorted((Path(path).name, line, value) for path, line, value in hits) == [
        ("cli.py", 2, "services.dispatch.demo.loader:load_demo"),
        ("cli.py", 2, "services.orgtree.demo.loader"),
        ("cli.py", 3, "gateway.demo"),  # an allowed name does not allow the modules under it
        ("cli.py", 6, "services"),
    ]


def test_the_kernel_names_no_component_in_a_string_but_the_gateways_queue() -> None:
    assert string_imports({"shared"}, {"gateway", "services"}, allowed={"gateway"}) == []
